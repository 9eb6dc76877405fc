//! Speaker embeddings over short overlapping windows of speech, computed
//! while the audio streams past.
//!
//! A window is 160 mel frames (1.6 s), the length the encoder was trained
//! on; windows start every `step` frames and one is embedded only when at
//! least half of it is speech. Each window's level is raised to −30 dBFS
//! when quieter, as Resemblyzer normalises each utterance before it embeds
//! it (never lowered). Windows are embedded in batches, the batches
//! spread over the cores with rayon; only the mel frames of windows not
//! yet embedded are kept.

use rayon::prelude::*;

use super::encoder::Encoder;
use super::mel::{MelStream, HOP, N_MELS};

/// Frames per window (1.6 s).
pub const WINDOW: usize = 160;
/// Mel frames per second.
pub const FRAMES_PER_S: f64 = 100.0;
/// Windows per encoder batch.
const BATCH: usize = 32;
/// Resemblyzer's volume target.
const TARGET_DBFS: f32 = -30.0;

/// One embedded window.
#[derive(Debug, Clone)]
pub struct Window {
    /// First mel frame (10 ms each).
    pub start: usize,
    /// Unit-length speaker embedding.
    pub embedding: Vec<f32>,
}

impl Window {
    /// Start, seconds.
    pub fn start_s(&self) -> f64 {
        self.start as f64 / FRAMES_PER_S
    }
    /// Centre, seconds.
    pub fn centre_s(&self) -> f64 {
        (self.start as f64 + WINDOW as f64 / 2.0) / FRAMES_PER_S
    }
}

/// Streams samples into windows and embeddings.
pub struct Embedder<'a> {
    encoder: &'a Encoder,
    /// Speech per mel frame (true: speech).
    speech: Vec<bool>,
    step: usize,
    mel: MelStream,
    /// Mel frames (power) and hop energies from `first` on.
    frames: Vec<[f32; N_MELS]>,
    energy: Vec<f32>,
    first: usize,
    /// The next window start to consider.
    next_start: usize,
    pending: Vec<usize>,
    done: Vec<Window>,
    /// Frames before this one have their final speech verdict (see
    /// [`Embedder::settle`]); no window reaches past it.
    known: usize,
}

impl<'a> Embedder<'a> {
    /// An embedder for audio whose speech frames (10 ms) are `speech`,
    /// with a window every `step` frames. When `gated`, a frame's speech is
    /// final only once [`Embedder::settle`] has passed it.
    pub fn new(encoder: &'a Encoder, speech: Vec<bool>, step: usize, gated: bool) -> Embedder<'a> {
        Embedder {
            encoder,
            speech,
            step: step.max(1),
            mel: MelStream::new(),
            frames: Vec::new(),
            energy: Vec::new(),
            first: 0,
            next_start: 0,
            pending: Vec::new(),
            done: Vec::new(),
            known: if gated { 0 } else { usize::MAX },
        }
    }

    /// Frames `from..from + keep.len()` are final: each stays speech only
    /// where `keep` says so (the speech detector's veto).
    pub fn settle(&mut self, from: usize, keep: &[bool]) {
        for (s, k) in self.speech.iter_mut().skip(from).zip(keep) {
            *s &= *k;
        }
        self.known = self.known.max(from + keep.len());
    }

    /// Adds 16 kHz samples.
    pub fn push(&mut self, samples: &[f32]) {
        let (frames, energy) = (&mut self.frames, &mut self.energy);
        self.mel.push(samples, &mut |_, m, e| {
            frames.push(*m);
            energy.push(e);
        });
        self.queue_windows(false);
        if self.pending.len() >= 2 * BATCH {
            self.run_pending();
        }
    }

    /// Ends the audio and returns every window's embedding, in time order,
    /// and the speech frames as settled.
    pub fn finish(mut self) -> (Vec<Window>, Vec<bool>) {
        self.known = usize::MAX;
        let (frames, energy) = (&mut self.frames, &mut self.energy);
        self.mel.finish(&mut |_, m, e| {
            frames.push(*m);
            energy.push(e);
        });
        self.queue_windows(true);
        self.run_pending();
        (self.done, self.speech)
    }

    fn speech_share(&self, start: usize) -> f32 {
        let end = (start + WINDOW).min(self.speech.len());
        let n = self
            .speech
            .get(start..end)
            .map_or(0, |s| s.iter().filter(|b| **b).count());
        n as f32 / WINDOW as f32
    }

    /// Queues every window whose frames are all in; at the end, also a last
    /// window ending at the last frame, so the end of the audio is covered.
    fn queue_windows(&mut self, at_end: bool) {
        let have = (self.first + self.frames.len()).min(self.known);
        while self.next_start + WINDOW <= have {
            if self.speech_share(self.next_start) >= 0.5 {
                self.pending.push(self.next_start);
            }
            self.next_start += self.step;
        }
        if at_end && have >= WINDOW && self.next_start < have {
            let last = have - WINDOW;
            if self.pending.last() != Some(&last) && self.speech_share(last) >= 0.5 {
                self.pending.push(last);
            }
        }
    }

    /// A window's mel frames, levelled like Resemblyzer's utterances.
    fn window_frames(&self, start: usize) -> Vec<[f32; N_MELS]> {
        let at = start - self.first;
        let energy: f32 = self.energy[at..at + WINDOW].iter().sum();
        let rms = (energy / (WINDOW * HOP) as f32).sqrt().max(1e-9);
        let change_db = TARGET_DBFS - 20.0 * rms.log10();
        let gain = if change_db > 0.0 {
            10f32.powf(change_db / 10.0) // power: the square of the sample gain
        } else {
            1.0
        };
        self.frames[at..at + WINDOW]
            .iter()
            .map(|f| f.map(|v| v * gain))
            .collect()
    }

    fn run_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let inputs: Vec<Vec<[f32; N_MELS]>> = self
            .pending
            .iter()
            .map(|s| self.window_frames(*s))
            .collect();
        let encoder = self.encoder;
        let embeddings: Vec<Vec<f32>> = inputs
            .par_chunks(BATCH)
            .flat_map_iter(|batch| {
                let refs: Vec<&[[f32; N_MELS]]> = batch.iter().map(|w| w.as_slice()).collect();
                encoder.embed(&refs)
            })
            .collect();
        for (start, embedding) in self.pending.drain(..).zip(embeddings) {
            self.done.push(Window { start, embedding });
        }
        // Frames before the next window (or the last one at the end, which
        // can start up to a step earlier) are no longer needed.
        let keep_from = self.next_start.saturating_sub(self.step);
        let drop = keep_from.saturating_sub(self.first).min(self.frames.len());
        self.frames.drain(..drop);
        self.energy.drain(..drop);
        self.first += drop;
    }
}

/// Cosine similarity of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
