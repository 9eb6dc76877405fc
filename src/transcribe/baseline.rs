//! Baseline mode: transcribe exactly as whisper.cpp's own `whisper-cli` does,
//! so benchmarks compare clipper with what users of whisper.cpp get.
//!
//! whisper-cli loads the model with the library's default context
//! parameters (flash attention on) and makes one `whisper_full` call over the
//! whole 16 kHz signal with its defaults: beam search of 5, best-of 5 for the
//! temperature fallback (+0.2 per step, entropy 2.4, log-prob -1.0), and the
//! previous window's text carried as context. whisper-rs's safe API cannot
//! set `best_of` together with beam search, so this module uses the C API
//! directly.

use std::ffi::{CStr, CString};
use std::time::Instant;

use whisper_rs_sys as sys;

use crate::model::{ModelError, ModelInfo};
use crate::transcript::{Segment, Timings, Transcript};

use super::TranscribeError;

/// Owns a raw whisper.cpp context and frees it on drop.
struct RawContext(*mut sys::whisper_context);

impl Drop for RawContext {
    fn drop(&mut self) {
        // SAFETY: the pointer came from whisper_init_* and is freed once.
        unsafe { sys::whisper_free(self.0) }
    }
}

/// Loads the model as whisper-cli does, with the library's default context
/// parameters.
fn load(model: &ModelInfo) -> Result<RawContext, TranscribeError> {
    let path = CString::new(model.path.to_string_lossy().as_bytes())
        .map_err(|_| ModelError::LoadFailed(model.path.clone()))?;
    // SAFETY: plain C calls with valid arguments; the context is checked for
    // null and freed by RawContext.
    let ctx = unsafe {
        let cparams = sys::whisper_context_default_params();
        RawContext(sys::whisper_init_from_file_with_params(
            path.as_ptr(),
            cparams,
        ))
    };
    if ctx.0.is_null() {
        return Err(ModelError::LoadFailed(model.path.clone()).into());
    }
    Ok(ctx)
}

/// One `whisper_full` call over all of `samples` with whisper-cli's
/// defaults (beam 5, best-of 5, context carried, English).
fn run_full(ctx: &RawContext, samples: &[f32], threads: usize) -> Result<(), TranscribeError> {
    let language = CString::new("en").expect("no NUL");
    // SAFETY: default params are plain data; the strings outlive the call.
    let rc = unsafe {
        let mut p = sys::whisper_full_default_params(
            sys::whisper_sampling_strategy_WHISPER_SAMPLING_BEAM_SEARCH,
        );
        p.n_threads = threads as i32;
        p.beam_search.beam_size = 5;
        p.greedy.best_of = 5;
        p.no_context = false;
        p.language = language.as_ptr();
        p.print_progress = false;
        p.print_timestamps = false;
        sys::whisper_full(ctx.0, p, samples.as_ptr(), samples.len() as i32)
    };
    if rc != 0 {
        return Err(TranscribeError::Whisper(format!(
            "whisper_full returned {rc}"
        )));
    }
    Ok(())
}

/// The segments of the last `whisper_full` call: text and times only.
fn segments(ctx: &RawContext) -> Vec<Segment> {
    // SAFETY: segment indices are within whisper_full_n_segments; text
    // pointers are valid until the context is freed, and copied at once.
    unsafe {
        (0..sys::whisper_full_n_segments(ctx.0))
            .map(|i| {
                let text = CStr::from_ptr(sys::whisper_full_get_segment_text(ctx.0, i))
                    .to_string_lossy()
                    .trim()
                    .to_string();
                Segment {
                    speaker: None,
                    start: sys::whisper_full_get_segment_t0(ctx.0, i) as f64 / 100.0,
                    end: sys::whisper_full_get_segment_t1(ctx.0, i) as f64 / 100.0,
                    text,
                    words: Vec::new(),
                    no_speech_prob: 0.0,
                    avg_logprob: 0.0,
                }
            })
            .collect()
    }
}

/// Transcribes `samples` (16 kHz mono) as whisper-cli would, with `threads`
/// CPU threads.
pub fn transcribe_like_whisper_cli(
    model: &ModelInfo,
    samples: &[f32],
    threads: usize,
) -> Result<Transcript, TranscribeError> {
    let started = Instant::now();
    let ctx = load(model)?;
    let load_model = started.elapsed().as_secs_f64();
    run_full(&ctx, samples, threads)?;
    let segments = segments(&ctx);
    let total = started.elapsed().as_secs_f64();
    Ok(Transcript {
        speakers: Vec::new(),
        segments,
        audio_duration: samples.len() as f64 / 16_000.0,
        speech_duration: 0.0,
        model: model.path.display().to_string(),
        settings: serde_json::json!({
            "mode": "baseline-whisper-cli",
            "threads": threads,
            "beam": 5,
            "best_of": 5,
            "context": "carried",
        }),
        skipped: Vec::new(),
        pauses: Vec::new(),
        timings: Timings {
            load_model,
            analyse: 0.0,
            transcribe: total - load_model,
            total,
            ..Timings::default()
        },
        warnings: Vec::new(),
        language: None,
        language_probability: None,
        loudness_db: Vec::new(),
        english: None,
    })
}
