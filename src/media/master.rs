//! Mastering a clip for posting: resampled to 44.1 kHz, levelled to the
//! client's integrated loudness (EBU R128 / ITU-R BS.1770, measured with the
//! `ebur128` crate), held under a true-peak ceiling by a look-ahead limiter,
//! and faded in and out so the cut never clicks.
//!
//! Raising quiet speech to −14 LUFS puts many of its peaks above full scale;
//! a plain gain would clip them. No maintained Rust crate offers a
//! true-peak limiter, so one is written here: the true peak of every sample
//! interval is estimated by 4× oversampling (a windowed-sinc interpolator,
//! as BS.1770-4 annex 2 describes), the gain each interval needs is held
//! over a look-ahead window and smoothed so that it is already down when
//! the peak arrives, and released slowly after it.

use ebur128::{EbuR128, Mode};

use crate::audio::resample::Resampler16k;

/// Sample rate of the mastered clips (MP3's usual rate).
pub const OUT_RATE: u32 = 44_100;

/// Length of the fade at each end, seconds.
pub const FADE_S: f64 = 0.03;

/// Look-ahead (and attack) of the limiter, seconds.
const LOOKAHEAD_S: f64 = 0.005;

/// How fast the limiter lets go after a peak, dB per second.
const RELEASE_DB_PER_S: f64 = 40.0;

/// Room left under the ceiling for the MP3 encoder, whose filtering and
/// quantisation move peaks a little, dB.
pub(crate) const ENCODER_MARGIN_DB: f64 = 0.5;

/// Half length of the oversampling interpolator, samples.
const TAPS: usize = 8;

/// Oversampling factor of the true-peak estimate.
const OVERSAMPLE: usize = 4;

/// Most gain clipper adds to a clip, dB (a near-silent clip is not blown
/// up into noise).
const MAX_GAIN_DB: f64 = 30.0;

/// What mastering did to one clip.
#[derive(Debug, Clone, PartialEq)]
pub struct Mastered {
    /// The samples at [`OUT_RATE`], mono.
    pub samples: Vec<f32>,
    /// Integrated loudness before, LUFS (None when the clip is silent).
    pub loudness_in: Option<f64>,
    /// Integrated loudness after, LUFS.
    pub loudness_out: Option<f64>,
    /// True peak after, dBTP.
    pub true_peak: f64,
}

/// Masters `samples` (mono at `rate`) to `target` LUFS with the true peak
/// at most `ceiling` dBTP.
pub fn master(samples: &[f32], rate: u32, target: f64, ceiling: f64) -> Result<Mastered, String> {
    let x = resample(samples, rate)?;
    let loudness_in = loudness(&x, OUT_RATE);
    let inner = db_to_lin(ceiling - ENCODER_MARGIN_DB);
    let env = peak_envelope(&x);
    let fade_len = (FADE_S * OUT_RATE as f64) as usize;
    let mut y = x.clone();
    fade(&mut y, fade_len);
    if let Some(l0) = loudness_in {
        let mut gain_db = (target - l0).min(MAX_GAIN_DB);
        let mut limit_at = inner;
        // Limiting lowers the loudness, more the harder it works, and the
        // meter's true peak may sit a little above the limiter's estimate:
        // a few secant steps settle both.
        let mut last: Option<(f64, f64)> = None;
        for _ in 0..8 {
            y = limit(&x, &env, db_to_lin(gain_db), limit_at);
            fade(&mut y, fade_len);
            let tp = true_peak(&y, OUT_RATE);
            if tp > inner {
                limit_at *= inner / tp;
                let k = (inner / tp) as f32;
                y.iter_mut().for_each(|s| *s *= k);
            }
            let Some(l) = loudness(&y, OUT_RATE) else {
                break;
            };
            if (l - target).abs() < 0.05 || gain_db >= MAX_GAIN_DB {
                break;
            }
            // dB of loudness per dB of gain, from the last two rounds
            let slope = last
                .map(|(g, l1)| (l - l1) / (gain_db - g))
                .filter(|s| s.is_finite())
                .unwrap_or(1.0)
                .clamp(0.1, 1.0);
            last = Some((gain_db, l));
            gain_db = (gain_db + (target - l) / slope).min(MAX_GAIN_DB);
        }
    }
    Ok(Mastered {
        loudness_out: loudness(&y, OUT_RATE),
        true_peak: lin_to_db(true_peak(&y, OUT_RATE)),
        samples: y,
        loudness_in,
    })
}

pub(crate) fn db_to_lin(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

pub(crate) fn lin_to_db(x: f64) -> f64 {
    20.0 * x.max(1e-10).log10()
}

/// Converts to [`OUT_RATE`] with rubato (a pass-through at 44.1 kHz).
fn resample(samples: &[f32], rate: u32) -> Result<Vec<f32>, String> {
    let mut r = Resampler16k::between(rate, OUT_RATE)?;
    let mut out = Vec::with_capacity(samples.len() * OUT_RATE as usize / rate.max(1) as usize + 1);
    for block in samples.chunks(8192) {
        r.push(block, &mut |s| out.extend_from_slice(s));
    }
    r.finish(&mut |s| out.extend_from_slice(s));
    Ok(out)
}

/// Integrated loudness of mono `x` at `rate`, LUFS; None for silence or a
/// clip too short to gate.
pub fn loudness(x: &[f32], rate: u32) -> Option<f64> {
    let mut m = EbuR128::new(1, rate, Mode::I).ok()?;
    m.add_frames_f32(x).ok()?;
    m.loudness_global().ok().filter(|l| l.is_finite())
}

/// The true peak of mono `x` at `rate`, linear, as the `ebur128` crate
/// measures it.
pub fn true_peak(x: &[f32], rate: u32) -> f64 {
    let Ok(mut m) = EbuR128::new(1, rate, Mode::TRUE_PEAK) else {
        return 0.0;
    };
    if m.add_frames_f32(x).is_err() {
        return 0.0;
    }
    m.true_peak(0).unwrap_or(0.0)
}

/// The interpolator's coefficients: for each of the [`OVERSAMPLE`] phases,
/// the weights of the samples `n - TAPS + 1 ..= n + TAPS` (Hann-windowed
/// sinc).
fn interpolator() -> Vec<[f64; 2 * TAPS]> {
    (0..OVERSAMPLE)
        .map(|p| {
            let frac = p as f64 / OVERSAMPLE as f64;
            let mut w = [0.0; 2 * TAPS];
            for (j, c) in w.iter_mut().enumerate() {
                let t = frac - (j as f64 - (TAPS as f64 - 1.0));
                let sinc = if t.abs() < 1e-12 {
                    1.0
                } else {
                    (std::f64::consts::PI * t).sin() / (std::f64::consts::PI * t)
                };
                let hann = 0.5 + 0.5 * (std::f64::consts::PI * t / TAPS as f64).cos();
                *c = sinc * hann;
            }
            w
        })
        .collect()
}

/// Per sample `n`, the largest magnitude of the signal between samples `n`
/// and `n + 1`, oversampled [`OVERSAMPLE`] times.
fn peak_envelope(x: &[f32]) -> Vec<f32> {
    let h = interpolator();
    let at = |i: isize| -> f64 {
        if i < 0 || i as usize >= x.len() {
            0.0
        } else {
            x[i as usize] as f64
        }
    };
    (0..x.len())
        .map(|n| {
            let mut peak = (x[n] as f64).abs();
            for w in &h[1..] {
                let mut acc = 0.0;
                for (j, c) in w.iter().enumerate() {
                    acc += c * at(n as isize + j as isize - (TAPS as isize - 1));
                }
                peak = peak.max(acc.abs());
            }
            peak as f32
        })
        .collect()
}

/// `x` times `gain`, with the true peak held under `ceiling` (linear) by a
/// look-ahead limiter driven by the peak envelope `env` of `x`.
fn limit(x: &[f32], env: &[f32], gain: f64, ceiling: f64) -> Vec<f32> {
    let n = x.len();
    let look = ((LOOKAHEAD_S * OUT_RATE as f64) as usize).max(1);
    // The gain each sample needs, dB (0 or below).
    let need: Vec<f64> = env
        .iter()
        .map(|&e| {
            let peak = e as f64 * gain;
            if peak > ceiling {
                lin_to_db(ceiling / peak)
            } else {
                0.0
            }
        })
        .collect();
    let held = window_min_ahead(&need, look);
    // Slow release: the gain rises at most this much per sample.
    let step = RELEASE_DB_PER_S / OUT_RATE as f64;
    let mut released = Vec::with_capacity(n);
    let mut prev = 0.0f64;
    for &h in &held {
        prev = h.min(prev + step);
        released.push(prev);
    }
    // A moving average over the look-ahead: it reaches each sample's need
    // by the time the sample plays (every value averaged is at most it).
    let mut out = Vec::with_capacity(n);
    let mut sum = 0.0;
    for i in 0..n {
        sum += released[i];
        if i >= look {
            sum -= released[i - look];
        }
        let avg = sum / look as f64;
        out.push((x[i] as f64 * gain * db_to_lin(avg)) as f32);
    }
    out
}

/// For each `i`, the least of `v[i .. i + w]`, with a monotonic queue.
fn window_min_ahead(v: &[f64], w: usize) -> Vec<f64> {
    let n = v.len();
    let mut out = vec![0.0; n];
    let mut q: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    for i in (0..n).rev() {
        while q.back().is_some_and(|&j| v[j] >= v[i]) {
            q.pop_back();
        }
        q.push_back(i);
        while q.front().is_some_and(|&j| j >= i + w) {
            q.pop_front();
        }
        out[i] = v[q[0]];
    }
    out
}

/// Raised-cosine fades of `len` samples at both ends.
fn fade(y: &mut [f32], len: usize) {
    let len = len.min(y.len() / 2);
    for i in 0..len {
        let g = (0.5 - 0.5 * (std::f64::consts::PI * i as f64 / len as f64).cos()) as f32;
        y[i] *= g;
        let last = y.len() - 1 - i;
        y[last] *= g;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Speech-like test signal: bursts of a harmonic tone with sharp peaks.
    fn bursts(secs: f64, level: f32) -> Vec<f32> {
        let n = (secs * OUT_RATE as f64) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / OUT_RATE as f64;
                let on = if (t * 3.0).fract() < 0.6 { 1.0 } else { 0.05 };
                let s = (2.0 * std::f64::consts::PI * 180.0 * t).sin()
                    + 0.6 * (2.0 * std::f64::consts::PI * 2750.0 * t).sin();
                (s * on * level as f64) as f32
            })
            .collect()
    }

    #[test]
    fn quiet_speech_is_raised_to_target_under_the_ceiling() {
        let x = bursts(8.0, 0.05);
        let m = master(&x, OUT_RATE, -14.0, -1.0).unwrap();
        assert_eq!(m.samples.len(), x.len());
        let l = m.loudness_out.unwrap();
        assert!((l + 14.0).abs() < 0.2, "loudness {l}");
        assert!(
            m.true_peak <= -1.0 - ENCODER_MARGIN_DB + 0.05,
            "tp {}",
            m.true_peak
        );
        assert!(m.loudness_in.unwrap() < -20.0);
    }

    #[test]
    fn fades_start_and_end_at_silence() {
        let x = bursts(2.0, 0.3);
        let m = master(&x, OUT_RATE, -14.0, -1.0).unwrap();
        assert!(m.samples[0].abs() < 1e-6);
        assert!(m.samples[m.samples.len() - 1].abs() < 1e-3);
    }

    #[test]
    fn a_sixteen_khz_clip_comes_out_at_44_1_khz_with_its_length() {
        let x = vec![0.1f32; 16_000 * 3];
        let m = master(&x, 16_000, -14.0, -1.0).unwrap();
        assert_eq!(m.samples.len(), OUT_RATE as usize * 3);
    }

    #[test]
    fn silence_stays_silent() {
        let m = master(&vec![0.0; 44_100], OUT_RATE, -14.0, -1.0).unwrap();
        assert!(m.loudness_out.is_none());
        assert!(m.samples.iter().all(|s| *s == 0.0));
    }

    #[test]
    fn the_envelope_finds_peaks_between_samples() {
        // A tone at a quarter of the rate, sampled 45 degrees off its peaks:
        // every sample is 0.707 but the wave reaches 1.0 between them.
        let x: Vec<f32> = (0..4000)
            .map(|i| {
                (std::f64::consts::FRAC_PI_2 * i as f64 + std::f64::consts::FRAC_PI_4).sin() as f32
            })
            .collect();
        let env = peak_envelope(&x);
        let mid = env[2000];
        assert!(mid > 0.95, "{mid}");
    }
}
