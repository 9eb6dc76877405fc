//! Silero VAD (PyPI `silero-vad` 6.2.3, MIT; its 16 kHz network) in plain
//! Rust: how likely each 32 ms of audio is to hold speech.
//!
//! The network, as its published weights lay it out (`stft_conv`,
//! `conv1`–`conv4`, `lstm_cell`, `final_conv`), reads 512 new samples at a
//! time with the 64 before them in front:
//!
//! 1. the 576 samples, padded on the right by reflecting their last 64,
//!    through a 256-point STFT with a 128-sample hop (4 frames): its
//!    `stft_conv` kernels are a periodic Hann window times the DFT's
//!    cosines and sines, so a real FFT computes them; the magnitude of
//!    the 129 bins;
//! 2. four 3-tap convolutions with ReLU (129→128, 128→64 stride 2, 64→64
//!    stride 2, 64→128), which leave one 128-vector;
//! 3. an LSTM cell of 128 whose state runs on from chunk to chunk;
//! 4. ReLU, a 128→1 projection and a sigmoid: the probability of speech.
//!
//! Everything before the LSTM cell depends on one chunk only, so a batch
//! of chunks goes through it as matrix products (the speaker encoder's
//! packed kernel); the cell then steps through them in order.
//!
//! Diarization uses it as a veto ([`SpeechGate`]): a 10 ms frame the
//! loudness detector calls speech stays speech only when a chunk near it
//! (within [`PAD_FRAMES`]) reaches [`THRESHOLD`]. Quiet non-speech sounds
//! (paper, a chair, breathing into the microphone) otherwise form windows
//! of their own and, on the AMI excerpts, a "speaker" of their own.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use super::kernels::{matmul, sigmoid, tanh, Packed};
use crate::model::speaker::SpeakerWeights;
use crate::model::ImportError;

/// New samples per chunk (32 ms at 16 kHz).
pub const CHUNK: usize = 512;
/// Samples of the previous chunk read in front of each chunk.
const CONTEXT: usize = 64;
const N_FFT: usize = 256;
const HOP: usize = 128;
const BINS: usize = N_FFT / 2 + 1;
/// STFT frames per chunk: (576 + 64 − 256) / 128 + 1.
const FRAMES: usize = 4;
const HIDDEN: usize = 128;
const GATES: usize = 4 * HIDDEN;
/// Chunks run through the convolutions in one batch.
const BATCH: usize = 64;

/// Probability at or above which a chunk holds speech for the gate: low,
/// because the gate only removes what the network is sure is not speech
/// (measured on the AMI excerpts and the two readers; README, "Speakers").
pub const THRESHOLD: f32 = 0.15;
/// 10 ms frames either side of a speech chunk that the gate keeps (0.2 s):
/// the network hears the quiet ends of words late.
pub const PAD_FRAMES: usize = 20;

/// One 3-tap convolution with padding 1, bias and ReLU.
struct Conv {
    w: Packed,
    bias: Vec<f32>,
    c_in: usize,
    stride: usize,
}

impl Conv {
    fn from_weights(
        w: &SpeakerWeights,
        name: &str,
        c_in: usize,
        c_out: usize,
        stride: usize,
    ) -> Result<Conv, ImportError> {
        let weight = w.get(&format!("vad.{name}.weight"), &[c_out, c_in, 3])?;
        Ok(Conv {
            w: Packed::from_torch(weight, c_out, c_in * 3),
            bias: w.get(&format!("vad.{name}.bias"), &[c_out])?.to_vec(),
            c_in,
            stride,
        })
    }

    /// Output length for `t_in` input steps.
    fn t_out(&self, t_in: usize) -> usize {
        (t_in - 1) / self.stride + 1
    }

    /// `n` chunks of `t_in` steps, time-major within each chunk
    /// (`x[(chunk · t_in + t) · c_in + c]`), to the same layout out.
    fn forward(&self, x: &[f32], n: usize, t_in: usize) -> Vec<f32> {
        let t_out = self.t_out(t_in);
        let k = self.c_in * 3;
        let mut cols = vec![0f32; n * t_out * k];
        for chunk in 0..n {
            for t in 0..t_out {
                let row = &mut cols[(chunk * t_out + t) * k..][..k];
                for tap in 0..3 {
                    // input step t·stride + tap − 1; outside is padding (0)
                    let Some(ti) = (t * self.stride + tap).checked_sub(1) else {
                        continue;
                    };
                    if ti >= t_in {
                        continue;
                    }
                    let input = &x[(chunk * t_in + ti) * self.c_in..][..self.c_in];
                    for (c, v) in input.iter().enumerate() {
                        row[c * 3 + tap] = *v;
                    }
                }
            }
        }
        let c_out = self.bias.len();
        let mut out: Vec<f32> = std::iter::repeat_n(&self.bias, n * t_out)
            .flatten()
            .copied()
            .collect();
        matmul(n * t_out, &cols, &self.w, &mut out);
        debug_assert_eq!(out.len(), n * t_out * c_out);
        out.iter_mut().for_each(|v| *v = v.max(0.0));
        out
    }
}

/// The real FFT's input and output buffers.
type FftBuffers = (Vec<f32>, Vec<realfft::num_complex::Complex<f32>>);

/// A loaded Silero VAD.
pub struct Vad {
    window: Vec<f32>,
    fft: Arc<dyn RealToComplex<f32>>,
    convs: [Conv; 4],
    w_ih: Packed,
    w_hh: Packed,
    /// `b_ih + b_hh`.
    bias: Vec<f32>,
    out_w: Vec<f32>,
    out_b: f32,
}

impl Vad {
    /// The VAD held in a speaker model file (its `vad.*` tensors), every
    /// shape checked.
    pub fn from_weights(w: &SpeakerWeights) -> Result<Vad, ImportError> {
        let b_ih = w.get("vad.lstm_cell.bias_ih", &[GATES])?;
        let b_hh = w.get("vad.lstm_cell.bias_hh", &[GATES])?;
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(N_FFT);
        Ok(Vad {
            window: super::mel::periodic_hann(N_FFT),
            fft,
            convs: [
                Conv::from_weights(w, "conv1", BINS, 128, 1)?,
                Conv::from_weights(w, "conv2", 128, 64, 2)?,
                Conv::from_weights(w, "conv3", 64, 64, 2)?,
                Conv::from_weights(w, "conv4", 64, HIDDEN, 1)?,
            ],
            w_ih: Packed::from_torch(
                w.get("vad.lstm_cell.weight_ih", &[GATES, HIDDEN])?,
                GATES,
                HIDDEN,
            ),
            w_hh: Packed::from_torch(
                w.get("vad.lstm_cell.weight_hh", &[GATES, HIDDEN])?,
                GATES,
                HIDDEN,
            ),
            bias: b_ih.iter().zip(b_hh).map(|(a, b)| a + b).collect(),
            out_w: w.get("vad.final_conv.weight", &[1, HIDDEN, 1])?.to_vec(),
            out_b: w.get("vad.final_conv.bias", &[1])?[0],
        })
    }

    /// Input and output buffers for [`Vad::spectra`], made once per batch.
    fn fft_buffers(&self) -> FftBuffers {
        (self.fft.make_input_vec(), self.fft.make_output_vec())
    }

    /// The 129-bin magnitude spectra of one chunk's 4 frames, appended to
    /// `out`; `input` is the context and the chunk (576 samples), `frame`
    /// and `spectrum` the FFT's buffers ([`Vad::fft_buffers`]).
    fn spectra(&self, input: &[f32], (frame, spectrum): &mut FftBuffers, out: &mut Vec<f32>) {
        debug_assert_eq!(input.len(), CONTEXT + CHUNK);
        let n = input.len();
        let padded = |i: usize| {
            if i < n {
                input[i]
            } else {
                input[2 * (n - 1) - i] // reflection, the edge sample not repeated
            }
        };
        for f in 0..FRAMES {
            for (j, v) in frame.iter_mut().enumerate() {
                *v = self.window[j] * padded(f * HOP + j);
            }
            self.fft
                .process(frame, spectrum)
                .expect("buffers sized by the planner");
            out.extend(spectrum.iter().map(|c| c.norm()));
        }
    }
}

/// Runs the VAD over audio as it arrives.
pub struct VadStream<'a> {
    vad: &'a Vad,
    /// The last `CONTEXT` samples before `pending`.
    context: Vec<f32>,
    pending: Vec<f32>,
    h: Vec<f32>,
    c: Vec<f32>,
}

impl<'a> VadStream<'a> {
    /// A stream at the start of the audio (silence before it).
    pub fn new(vad: &'a Vad) -> VadStream<'a> {
        VadStream {
            vad,
            context: vec![0.0; CONTEXT],
            pending: Vec::new(),
            h: vec![0.0; HIDDEN],
            c: vec![0.0; HIDDEN],
        }
    }

    /// Adds 16 kHz samples; appends the speech probability of every chunk
    /// completed to `probs`.
    pub fn push(&mut self, samples: &[f32], probs: &mut Vec<f32>) {
        self.pending.extend_from_slice(samples);
        let whole = self.pending.len() / CHUNK;
        for start in (0..whole).step_by(BATCH) {
            let n = BATCH.min(whole - start);
            self.run(start * CHUNK, n, probs);
        }
        self.pending.drain(..whole * CHUNK);
    }

    /// Ends the audio: a last partial chunk is completed with silence.
    pub fn finish(&mut self, probs: &mut Vec<f32>) {
        if !self.pending.is_empty() {
            self.pending.resize(CHUNK, 0.0);
            self.run(0, 1, probs);
            self.pending.clear();
        }
    }

    /// Chunks `from..from + n·CHUNK` of `pending`.
    fn run(&mut self, from: usize, n: usize, probs: &mut Vec<f32>) {
        let vad = self.vad;
        let mut x = Vec::with_capacity(n * FRAMES * BINS);
        let mut input = Vec::with_capacity(CONTEXT + CHUNK);
        let mut buffers = vad.fft_buffers();
        for i in 0..n {
            let chunk = &self.pending[from + i * CHUNK..][..CHUNK];
            input.clear();
            input.extend_from_slice(&self.context);
            input.extend_from_slice(chunk);
            vad.spectra(&input, &mut buffers, &mut x);
            self.context.copy_from_slice(&chunk[CHUNK - CONTEXT..]);
        }
        let mut t = FRAMES;
        for conv in &vad.convs {
            x = conv.forward(&x, n, t);
            t = conv.t_out(t);
        }
        debug_assert_eq!(x.len(), n * HIDDEN);
        let mut gates: Vec<f32> = std::iter::repeat_n(&vad.bias, n)
            .flatten()
            .copied()
            .collect();
        matmul(n, &x, &vad.w_ih, &mut gates);
        for g in gates.chunks_exact_mut(GATES) {
            matmul(1, &self.h, &vad.w_hh, g);
            let (gi, rest) = g.split_at(HIDDEN);
            let (gf, rest) = rest.split_at(HIDDEN);
            let (gc, go) = rest.split_at(HIDDEN);
            let mut logit = vad.out_b;
            for u in 0..HIDDEN {
                let c = sigmoid(gf[u]) * self.c[u] + sigmoid(gi[u]) * tanh(gc[u]);
                self.c[u] = c;
                self.h[u] = sigmoid(go[u]) * tanh(c);
                logit += vad.out_w[u] * self.h[u].max(0.0);
            }
            probs.push(sigmoid(logit));
        }
    }
}

/// Turns chunk probabilities into a keep/drop verdict per 10 ms frame,
/// final once no later chunk can reach the frame.
#[derive(Debug, Default)]
pub struct SpeechGate {
    /// Per frame: a speech chunk lies within [`PAD_FRAMES`].
    keep: Vec<bool>,
    chunks: usize,
    settled: usize,
}

/// 10 ms frames (160 samples) up to sample `s`, rounded up.
fn frames_to(s: usize) -> usize {
    s.div_ceil(160)
}

impl SpeechGate {
    /// Takes the next chunks' probabilities; returns the first frame newly
    /// settled and the verdicts from there up to the frames now final.
    pub fn add(&mut self, probs: &[f32]) -> (usize, Vec<bool>) {
        for p in probs {
            let (a, b) = (
                self.chunks * CHUNK / 160,
                frames_to((self.chunks + 1) * CHUNK),
            );
            let b = b + PAD_FRAMES;
            if self.keep.len() < b {
                self.keep.resize(b, false);
            }
            if *p >= THRESHOLD {
                self.keep[a.saturating_sub(PAD_FRAMES)..b].fill(true);
            }
            self.chunks += 1;
        }
        let until = (self.chunks * CHUNK / 160).saturating_sub(PAD_FRAMES);
        self.settle(until)
    }

    /// Settles every frame up to `frames` (the audio's length in frames):
    /// frames past the last chunk are not speech.
    pub fn finish(&mut self, frames: usize) -> (usize, Vec<bool>) {
        if self.keep.len() < frames {
            self.keep.resize(frames, false);
        }
        self.settle(frames.max(self.settled))
    }

    fn settle(&mut self, until: usize) -> (usize, Vec<bool>) {
        let from = self.settled;
        let until = until.max(from);
        self.settled = until;
        (from, self.keep[from..until.min(self.keep.len())].to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_keeps_frames_near_speech_chunks_only() {
        let mut gate = SpeechGate::default();
        // chunk 0 silent, chunk 1 speech (samples 512..1024: frames 3..7),
        // then 20 silent chunks
        let mut probs = vec![0.01, 0.9];
        probs.extend([0.02; 20]);
        let (from, early) = gate.add(&probs);
        assert_eq!(from, 0);
        let (from2, rest) = gate.finish(22 * CHUNK / 160);
        assert_eq!(from2, early.len());
        let all: Vec<bool> = early.into_iter().chain(rest).collect();
        assert_eq!(all.len(), 22 * CHUNK / 160);
        // chunk 1 spans frames 3..7; kept 20 frames either side
        assert!(all[..27].iter().all(|k| *k), "{all:?}");
        assert!(all[27..].iter().all(|k| !*k), "{all:?}");
    }

    #[test]
    fn a_frame_is_settled_only_when_no_later_chunk_can_reach_it() {
        let mut gate = SpeechGate::default();
        let (_, first) = gate.add(&[0.0; 10]); // 5120 samples: 32 frames
        assert_eq!(first.len(), 32 - PAD_FRAMES);
        let (from, next) = gate.add(&[0.9]); // reaches back 20 frames
        assert_eq!(from, 32 - PAD_FRAMES);
        assert!(next.iter().all(|k| *k));
    }
}
