//! The episode's language: what the user asked for (`--language`,
//! `clipper.toml`), and, for `auto`, the language a multilingual model
//! hears over the first minutes of speech.
//!
//! Whisper's language guess on one short utterance is unstable (read
//! Indonesian news came out as Malay, Arabic or Czech one time in eight),
//! so an episode's language is decided over several chunks at once: the
//! probabilities of each chunk are summed, weighted by its length, and every
//! chunk is then transcribed in the winner. An English-only model cannot
//! guess at all; it is never asked to.
//!
//! Each chunk is heard through a window of its first [`WINDOW_SECONDS`],
//! with the encoder told to look at only that much audio (`audio_ctx`):
//! the guess then costs a quarter of a full 30 s encoder pass per chunk.
//! On the language samples, the English bench file, the meeting and the
//! demo episode, 10 s windows picked the same language as 30 s ones in every
//! case (README, "Languages").

use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperState};

use super::plan::Span;
use super::TranscribeError;
use crate::audio::TARGET_RATE;

pub use crate::lang::codes::AUTO;

/// How many chunks of the episode's start the guess listens to.
const DETECT_CHUNKS: usize = 4;

/// How much of each chunk the guess listens to, seconds.
pub const WINDOW_SECONDS: usize = 10;

/// The encoder's context for one window: 50 positions per second.
const WINDOW_CTX: i32 = (WINDOW_SECONDS * 50) as i32;

/// How much of the episode's start is kept in memory for the guess.
pub const HEAD_SECONDS: usize = 150;

/// The language an episode was found to be in.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// Whisper's code, e.g. `es`.
    pub code: String,
    /// Its probability, averaged over the chunks listened to (0..1).
    pub probability: f32,
    /// How many chunks were listened to.
    pub chunks: usize,
}

/// Guesses the language from the first chunks of `chunks` whose samples
/// lie in `head` (the episode's first [`HEAD_SECONDS`] at 16 kHz), with a
/// multilingual model.
///
/// Up to `jobs` chunks are heard at once, each by its own whisper state
/// with `threads` threads, as the transcription's workers would; their
/// probabilities are then added in chunk order with the same early stop as
/// one at a time, so the guess does not depend on `jobs`.
pub fn detect(
    ctx: &WhisperContext,
    head: &[f32],
    chunks: &[Span],
    jobs: usize,
    threads: usize,
) -> Result<Detected, TranscribeError> {
    let windows = windows_heard(head, chunks);
    let whisper_err = |e: whisper_rs::WhisperError| TranscribeError::Whisper(e.to_string());
    let mut sum: Vec<f64> = Vec::new();
    let mut weight = 0.0;
    let mut heard = 0;
    // One state per parallel listener serves all its windows: each
    // `pcm_to_mel` replaces the last.
    let mut states = (0..jobs.clamp(1, windows.len().max(1)))
        .map(|_| ctx.create_state())
        .collect::<Result<Vec<_>, _>>()
        .map_err(whisper_err)?;
    'groups: for group in windows.chunks(states.len()) {
        let heard_now: Vec<Result<Vec<f32>, whisper_rs::WhisperError>> =
            std::thread::scope(|scope| {
                let running: Vec<_> = group
                    .iter()
                    .zip(states.iter_mut())
                    .map(|(samples, state)| scope.spawn(move || listen(state, samples, threads)))
                    .collect();
                running
                    .into_iter()
                    .map(|h| h.join().expect("a language listener panicked"))
                    .collect()
            });
        for (samples, probs) in group.iter().zip(heard_now) {
            let probs = probs.map_err(whisper_err)?;
            let w = samples.len() as f64 / TARGET_RATE as f64;
            sum.resize(probs.len(), 0.0);
            for (s, p) in sum.iter_mut().zip(&probs) {
                *s += w * f64::from(*p);
            }
            weight += w;
            heard += 1;
            if heard >= 2 && sure_enough(&sum, weight) {
                break 'groups;
            }
        }
    }
    let (best, total) = sum
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, p)| (i, *p))
        .unwrap_or((0, 0.0));
    let code = whisper_rs::get_lang_str(best as i32).unwrap_or("en");
    Ok(Detected {
        code: code.to_string(),
        probability: if weight > 0.0 {
            (total / weight) as f32
        } else {
            0.0
        },
        chunks: heard,
    })
}

/// The windows the guess listens to: the first [`WINDOW_SECONDS`] of each
/// of the first [`DETECT_CHUNKS`] chunks inside `head` (of the first chunk,
/// when none fits), leaving out any under a second.
fn windows_heard<'a>(head: &'a [f32], chunks: &[Span]) -> Vec<&'a [f32]> {
    let picked: Vec<&Span> = chunks
        .iter()
        .filter(|c| c.end <= head.len())
        .take(DETECT_CHUNKS)
        .collect();
    let picked = if picked.is_empty() {
        // one chunk longer than the head: listen to what is there
        chunks.iter().take(1).collect()
    } else {
        picked
    };
    picked
        .iter()
        .map(|span| {
            let start = span.start.min(head.len());
            let end = span
                .end
                .min(head.len())
                .min(start + WINDOW_SECONDS * TARGET_RATE as usize);
            &head[start..end]
        })
        .filter(|samples| samples.len() >= TARGET_RATE as usize)
        .collect()
}

/// Whisper's language probabilities for one window of at most
/// [`WINDOW_SECONDS`].
///
/// whisper.cpp only takes a shorter encoder context (`audio_ctx`) from
/// `whisper_full`, and keeps it in the state. So the window goes through
/// `whisper_full` with a duration of 100 ms, which computes its spectrogram,
/// sets the context and stops before the encoder (whisper.cpp does not decode
/// the last 100 ms of an input); the language guess then runs one encoder
/// pass over the window's context.
fn listen(
    state: &mut WhisperState,
    samples: &[f32],
    threads: usize,
) -> Result<Vec<f32>, whisper_rs::WhisperError> {
    let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
    p.set_n_threads(threads.max(1) as i32);
    p.set_language(Some("en"));
    p.set_audio_ctx(window_ctx(samples.len()));
    p.set_duration_ms(100);
    p.set_print_progress(false);
    p.set_print_realtime(false);
    p.set_print_timestamps(false);
    p.set_print_special(false);
    state.full(p, samples)?;
    let (_, probs) = state.lang_detect(0, threads.max(1))?;
    Ok(probs)
}

/// The encoder context a window of `samples` is heard through:
/// [`WINDOW_CTX`] for a whole window of speech, the model's full 30 s (0,
/// whisper.cpp's default) for a shorter one. A short window in a short
/// context leaves the encoder mostly padding in a frame it was never
/// trained on: a 1.4 s German sentence (Thorsten-Voice `sample02`) came out
/// English at 45 % through 10 s, German at 78 % through 30 s.
fn window_ctx(samples: usize) -> i32 {
    if samples >= WINDOW_SECONDS * TARGET_RATE as usize {
        WINDOW_CTX
    } else {
        0
    }
}

/// True when two or more chunks have been heard and one language holds at
/// least [`SURE`] of the weighted probability: listening on would cost a
/// pass of the encoder each and change nothing.
fn sure_enough(sum: &[f64], weight: f64) -> bool {
    weight > 0.0 && sum.iter().cloned().fold(0.0, f64::max) / weight >= SURE
}

/// The averaged probability at which the guess stops listening early.
const SURE: f64 = 0.8;
