//! The speaker encoder's front end: a 40-channel mel power spectrogram,
//! computed while the audio streams past.
//!
//! Resemblyzer's `audio.wav_to_mel_spectrogram` calls librosa's
//! `melspectrogram` with its defaults: a 400-sample (25 ms) periodic Hann
//! window, a 160-sample (10 ms) hop, frames centred on their hop (the
//! signal padded with zeros by half a window), the power spectrum
//! |STFT|², and Slaney-normalised mel filters from 0 Hz to 8 kHz. Its
//! docstring says so too: the encoder reads mel power, *not* log mel.
//! Frame `t` is centred on sample `160 t`.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

/// Mel channels the encoder reads.
pub const N_MELS: usize = 40;
/// Samples between frames (10 ms).
pub const HOP: usize = 160;
/// Window and FFT length (25 ms).
pub const N_FFT: usize = 400;

/// The periodic Hann window of `n` samples (`0.5 − 0.5 cos(2πk/n)`), as
/// librosa's and PyTorch's STFTs use it.
pub fn periodic_hann(n: usize) -> Vec<f32> {
    (0..n)
        .map(|k| {
            let x = std::f64::consts::TAU * k as f64 / n as f64;
            (0.5 - 0.5 * x.cos()) as f32
        })
        .collect()
}

/// Turns 16 kHz samples into mel frames as they arrive.
pub struct MelStream {
    filters: Vec<f32>,
    window: Vec<f32>,
    fft: Arc<dyn RealToComplex<f32>>,
    /// Samples from `buf_start` on (absolute sample index).
    buf: Vec<f32>,
    buf_start: usize,
    /// The next frame to compute.
    next: usize,
    /// Samples pushed so far.
    total: usize,
    scratch_in: Vec<f32>,
    scratch_out: Vec<realfft::num_complex::Complex<f32>>,
}

impl Default for MelStream {
    fn default() -> Self {
        Self::new()
    }
}

impl MelStream {
    /// A stream at the start of the audio.
    pub fn new() -> MelStream {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(N_FFT);
        let window = periodic_hann(N_FFT);
        MelStream {
            filters: crate::model::mel::mel_filters(N_MELS),
            window,
            scratch_in: fft.make_input_vec(),
            scratch_out: fft.make_output_vec(),
            fft,
            buf: Vec::new(),
            buf_start: 0,
            next: 0,
            total: 0,
        }
    }

    /// Adds samples; every frame whose window is now complete goes to `out`
    /// as (frame index, mel powers, sum of squares of the frame's own hop).
    pub fn push(&mut self, samples: &[f32], out: &mut dyn FnMut(usize, &[f32; N_MELS], f32)) {
        self.buf.extend_from_slice(samples);
        self.total += samples.len();
        while self.next * HOP + N_FFT / 2 <= self.total {
            self.frame(out);
        }
        self.trim();
    }

    /// Ends the audio: the last frames, their windows padded with zeros, as
    /// librosa pads (`1 + len / 160` frames in all).
    pub fn finish(&mut self, out: &mut dyn FnMut(usize, &[f32; N_MELS], f32)) {
        let frames = 1 + self.total / HOP;
        while self.next < frames {
            self.frame(out);
        }
    }

    /// Drops samples no later frame needs.
    fn trim(&mut self) {
        let keep_from = (self.next * HOP).saturating_sub(N_FFT / 2);
        if keep_from > self.buf_start + 65_536 {
            self.buf.drain(..keep_from - self.buf_start);
            self.buf_start = keep_from;
        }
    }

    fn frame(&mut self, out: &mut dyn FnMut(usize, &[f32; N_MELS], f32)) {
        let centre = self.next * HOP;
        let sample = |i: isize| -> f32 {
            if i < self.buf_start as isize {
                return 0.0;
            }
            self.buf
                .get((i - self.buf_start as isize) as usize)
                .copied()
                .unwrap_or(0.0)
        };
        let first = centre as isize - (N_FFT / 2) as isize;
        for n in 0..N_FFT {
            self.scratch_in[n] = sample(first + n as isize) * self.window[n];
        }
        let energy: f32 = (0..HOP as isize)
            .map(|n| sample(centre as isize + n).powi(2))
            .sum();
        self.fft
            .process(&mut self.scratch_in, &mut self.scratch_out)
            .expect("buffers sized by the planner");
        let power: Vec<f32> = self.scratch_out.iter().map(|c| c.norm_sqr()).collect();
        let bins = N_FFT / 2 + 1;
        let mut mel = [0f32; N_MELS];
        for (m, v) in mel.iter_mut().enumerate() {
            let row = &self.filters[m * bins..(m + 1) * bins];
            *v = row.iter().zip(&power).map(|(w, p)| w * p).sum();
        }
        out(self.next, &mel, energy);
        self.next += 1;
    }
}

/// The mel frames of a whole signal (tests and short inputs).
pub fn mel_frames(samples: &[f32]) -> Vec<[f32; N_MELS]> {
    let mut frames = Vec::new();
    let mut s = MelStream::new();
    s.push(samples, &mut |_, m, _| frames.push(*m));
    s.finish(&mut |_, m, _| frames.push(*m));
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tone_lands_in_its_mel_channel_and_streaming_changes_nothing() {
        // 1 kHz at amplitude 0.5 for one second.
        let samples: Vec<f32> = (0..16_000)
            .map(|n| 0.5 * (std::f32::consts::TAU * 1000.0 * n as f32 / 16_000.0).sin())
            .collect();
        let whole = mel_frames(&samples);
        assert_eq!(whole.len(), 101, "librosa's count: 1 + 16000 / 160");
        let mid = &whole[50];
        let peak = (0..N_MELS)
            .max_by(|a, b| mid[*a].total_cmp(&mid[*b]))
            .unwrap();
        // 1 kHz is 15 Slaney mel; 8 kHz is 45.25, so the 40 filter centres
        // sit 45.25 / 41 = 1.10 mel apart: filter m peaks at 1.10 (m + 1).
        assert!((12..=13).contains(&peak), "peak channel {peak}");
        let mut streamed = Vec::new();
        let mut s = MelStream::new();
        for block in samples.chunks(777) {
            s.push(block, &mut |_, m, _| streamed.push(*m));
        }
        s.finish(&mut |_, m, _| streamed.push(*m));
        assert_eq!(streamed, whole);
    }
}
