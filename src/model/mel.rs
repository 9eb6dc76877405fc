//! Whisper's mel filterbank, computed from the Slaney formula.
//!
//! A ggml Whisper file carries its mel filters; CTranslate2 files do not
//! (faster-whisper computes them at run time). Whisper's filters are the
//! standard Slaney-style bank: 80 triangles on the Slaney mel scale between
//! 0 Hz and the Nyquist frequency, each scaled to unit area
//! (`2 / (f_right - f_left)`). Computing them here means the importer needs
//! no extra download.

/// Sample rate Whisper works at.
pub const SAMPLE_RATE: f64 = 16_000.0;
/// FFT size of Whisper's STFT (25 ms window).
pub const N_FFT: usize = 400;

/// Slaney mel scale: linear below 1 kHz (3 mel per 200 Hz), logarithmic above.
fn hz_to_mel(hz: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let log_step = 6.4f64.ln() / 27.0;
    if hz >= min_log_hz {
        min_log_mel + (hz / min_log_hz).ln() / log_step
    } else {
        hz / f_sp
    }
}

/// Inverse of [`hz_to_mel`].
fn mel_to_hz(mel: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let log_step = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel {
        min_log_hz * (log_step * (mel - min_log_mel)).exp()
    } else {
        mel * f_sp
    }
}

/// The `n_mels × (N_FFT/2 + 1)` filterbank, filter-major (row `m` is filter
/// `m`), as whisper.cpp stores it. Computed in f64, stored as f32.
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    let n_bins = N_FFT / 2 + 1;
    let nyquist = SAMPLE_RATE / 2.0;
    let bin_hz: Vec<f64> = (0..n_bins)
        .map(|k| k as f64 * nyquist / (n_bins - 1) as f64)
        .collect();
    // n_mels + 2 edge frequencies, evenly spaced in mel.
    let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(nyquist));
    let edges: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut out = Vec::with_capacity(n_mels * n_bins);
    for m in 0..n_mels {
        let (left, centre, right) = (edges[m], edges[m + 1], edges[m + 2]);
        let area_norm = 2.0 / (right - left);
        for &f in &bin_hz {
            let rising = (f - left) / (centre - left);
            let falling = (right - f) / (right - centre);
            let w = rising.min(falling).max(0.0) * area_norm;
            out.push(w as f32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from openai-whisper 20250625's `mel_filters.npz`
    /// (`mel_80`), which equals librosa's Slaney filters.
    #[test]
    fn matches_whisper_reference_values() {
        let f = mel_filters(80);
        assert_eq!(f.len(), 80 * 201);
        let at = |m: usize, k: usize| f[m * 201 + k];
        let close = |a: f32, b: f32| (a - b).abs() < 1e-7;
        assert!(close(at(0, 1), 0.024_862_595));
        assert!(close(at(1, 1), 0.001_990_822));
        assert!(close(at(1, 2), 0.022_871_772));
        assert!(close(at(10, 10), 0.019_908_218));
        assert!(close(at(10, 11), 0.004_954_375));
        assert!(close(at(40, 42), 0.005_411_105));
        assert!(close(at(40, 43), 0.014_735_566));
        assert!(close(at(40, 44), 0.006_518_19));
        assert!(close(at(79, 186), 0.000_366_741_7));
        assert!(close(at(79, 187), 0.000_833_07));
        // support of filter 0, 40 and 79 as in the reference
        let support = |m: usize| {
            let nz: Vec<usize> = (0..201).filter(|&k| at(m, k) > 0.0).collect();
            (nz[0], *nz.last().unwrap())
        };
        assert_eq!(support(0), (1, 1));
        assert_eq!(support(40), (42, 44));
        assert_eq!(support(79), (186, 199));
        let total: f64 = f.iter().map(|&v| v as f64).sum();
        assert!((total - 1.999_024_2).abs() < 1e-5, "sum {total}");
    }

    #[test]
    fn mel_scale_round_trips_and_is_linear_below_1khz() {
        for hz in [0.0, 100.0, 999.0, 1000.0, 4000.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9);
        }
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
        assert!((hz_to_mel(200.0) - 3.0).abs() < 1e-12);
    }
}
