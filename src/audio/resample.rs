//! Streaming conversion of mono audio at any rate to Whisper's 16 kHz (or,
//! for the clip media, to any other rate).
//!
//! Wraps rubato's synchronous FFT resampler (fixed ratio, high quality, and
//! fast) so callers can push blocks of any size and get 16 kHz samples back
//! with the resampler's start-up delay already removed.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

/// Whisper's sample rate.
pub const TARGET_RATE: u32 = 16_000;

/// Input frames per resampler call.
const CHUNK: usize = 1024;

/// Converts a mono stream at `from` Hz to 16 kHz, block by block.
pub struct Resampler16k {
    inner: Option<Fft<f32>>,
    pending: Vec<f32>,
    out: Vec<f32>,
    /// Output frames still to drop (the resampler's delay).
    to_skip: usize,
    /// Input frames pushed so far, to know the exact output length at the end.
    frames_in: u64,
    frames_out: u64,
    from: u32,
    to: u32,
}

impl Resampler16k {
    /// A resampler from `from` Hz; a pass-through when `from` is 16 kHz.
    pub fn new(from: u32) -> Result<Self, String> {
        Self::between(from, TARGET_RATE)
    }

    /// A resampler from `from` Hz to `to` Hz; a pass-through when they are
    /// equal.
    pub fn between(from: u32, to: u32) -> Result<Self, String> {
        let inner = if from == to {
            None
        } else {
            let fft = Fft::<f32>::new(from as usize, to as usize, CHUNK, 1, FixedSync::Input)
                .map_err(|e| format!("cannot resample from {from} Hz: {e}"))?;
            Some(fft)
        };
        let to_skip = inner.as_ref().map_or(0, |r| r.output_delay());
        Ok(Resampler16k {
            inner,
            pending: Vec::new(),
            out: Vec::new(),
            to_skip,
            frames_in: 0,
            frames_out: 0,
            from,
            to,
        })
    }

    /// Output frames the input so far should give.
    fn expected_out(&self) -> u64 {
        (self.frames_in * self.to as u64).div_ceil(self.from as u64)
    }

    /// Pushes samples; calls `sink` with every output block ready so far.
    pub fn push(&mut self, input: &[f32], sink: &mut dyn FnMut(&[f32])) {
        self.frames_in += input.len() as u64;
        let Some(fft) = self.inner.as_mut() else {
            self.frames_out += input.len() as u64;
            sink(input);
            return;
        };
        self.pending.extend_from_slice(input);
        let mut consumed = 0;
        while self.pending.len() - consumed >= fft.input_frames_next() {
            let need = fft.input_frames_next();
            Self::run(fft, &self.pending[consumed..consumed + need], &mut self.out);
            consumed += need;
        }
        self.pending.drain(..consumed);
        self.emit(sink);
    }

    fn run(fft: &mut Fft<f32>, input: &[f32], out: &mut Vec<f32>) {
        let need = fft.input_frames_next();
        let max_out = fft.output_frames_max();
        let start = out.len();
        out.resize(start + max_out, 0.0);
        let padded;
        let input = if input.len() < need {
            padded = {
                let mut p = input.to_vec();
                p.resize(need, 0.0);
                p
            };
            &padded[..]
        } else {
            input
        };
        let adapter_in = InterleavedSlice::new(input, 1, need).expect("mono input sized to need");
        let mut adapter_out =
            InterleavedSlice::new_mut(&mut out[start..], 1, max_out).expect("sized to max");
        let (_, written) = fft
            .process_into_buffer(&adapter_in, &mut adapter_out, None)
            .expect("buffers are sized as the resampler asks");
        out.truncate(start + written);
    }

    fn emit(&mut self, sink: &mut dyn FnMut(&[f32])) {
        let skip = self.to_skip.min(self.out.len());
        self.to_skip -= skip;
        let avail = &self.out[skip..];
        let room = self.expected_out().saturating_sub(self.frames_out) as usize;
        let take = avail.len().min(room);
        if take > 0 {
            sink(&avail[..take]);
            self.frames_out += take as u64;
        }
        self.out.clear();
    }

    /// Flushes what is left at the end of the stream.
    pub fn finish(&mut self, sink: &mut dyn FnMut(&[f32])) {
        let expected = self.expected_out();
        // Feed silence until the delayed tail has come out (a few calls at most).
        for _ in 0..64 {
            let ready = self.frames_out + self.out.len().saturating_sub(self.to_skip) as u64;
            let Some(fft) = self.inner.as_mut().filter(|_| ready < expected) else {
                break;
            };
            let pending = std::mem::take(&mut self.pending);
            Self::run(fft, &pending, &mut self.out);
        }
        self.emit(sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resample_all(rate: u32, input: &[f32], block: usize) -> Vec<f32> {
        let mut r = Resampler16k::new(rate).unwrap();
        let mut out = Vec::new();
        for b in input.chunks(block) {
            r.push(b, &mut |s| out.extend_from_slice(s));
        }
        r.finish(&mut |s| out.extend_from_slice(s));
        out
    }

    #[test]
    fn length_is_exact_and_a_tone_keeps_its_phase() {
        let rate = 44_100;
        let n = rate as usize * 2 + 123;
        let tone: Vec<f32> = (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * 440.0 * i as f32 / rate as f32).sin() * 0.5)
            .collect();
        for block in [100, 1024, 4096] {
            let out = resample_all(rate, &tone, block);
            assert_eq!(out.len() as u64, (n as u64 * 16_000).div_ceil(rate as u64));
            // no delay: sample k of the output is the tone at time k / 16 kHz
            for k in [1_000usize, 10_000, 30_000] {
                let want = (2.0 * std::f32::consts::PI * 440.0 * k as f32 / 16_000.0).sin() * 0.5;
                assert!(
                    (out[k] - want).abs() < 0.02,
                    "block {block} k {k}: {} vs {want}",
                    out[k]
                );
            }
        }
    }

    #[test]
    fn sixteen_khz_passes_through() {
        let x: Vec<f32> = (0..5000).map(|i| i as f32).collect();
        assert_eq!(resample_all(16_000, &x, 333), x);
    }
}
