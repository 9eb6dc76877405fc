//! The transcription engine: a file in, a word-timed transcript out.
//!
//! Two passes over the audio keep memory flat however long the episode is:
//! the first streams it once to measure loudness and [`plan`] chunks of at
//! most 30 s cut inside pauses (re-planned at 20 s for a model that encodes
//! only the chunk, [`Engine::plan_config`]); the second streams it again and hands each
//! chunk, as soon as its samples have arrived, to a pool of workers. Each
//! worker owns one `WhisperState` (made once, reused for every chunk) of the
//! one loaded model. Chunks are decoded without the previous chunk's text as
//! context, so a loop can never carry over, and the result does not depend
//! on how many workers ran. [`guard`] then removes loops and words in
//! silence.

pub mod baseline;
pub mod cores;
pub mod guard;
pub mod language;
pub mod pack;
pub mod plan;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperSegment,
    WhisperState,
};

use crate::audio::{self, AudioError, TARGET_RATE};
use crate::model::{ModelError, ModelInfo};
use crate::transcript::{ChunkTiming, Pause, Segment, SkippedSpan, Timings, Transcript, Word};
use pack::{Packer, Piece, TimeMap};
use plan::{EnergyTrack, Plan, PlanConfig, Span};

/// Why transcription failed. Messages are written for users.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    /// The model could not be found or loaded.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The audio could not be read.
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// The file decodes but holds no sound above silence.
    #[error("no speech found: the audio holds only silence, music or noise")]
    Silent,
    /// The file decodes to no samples at all.
    #[error("the file holds no audio samples")]
    NoSamples,
    /// whisper.cpp returned an error.
    #[error("whisper.cpp failed: {0}")]
    Whisper(String),
    /// The stop flag was raised (Ctrl-C).
    #[error("interrupted")]
    Interrupted,
}

/// The loudness track of a file (dBFS per 20 ms frame of its 16 kHz mono
/// form), exactly as the engine's first pass measures it; needs no model.
/// Used when a transcript comes from elsewhere (`--transcript`).
pub fn measure_loudness(
    path: &Path,
    decode: &audio::DecodeOptions,
) -> Result<Vec<f32>, AudioError> {
    let mut track = EnergyTrack::default();
    audio::stream_16k_with(path, decode, &mut |block| track.push(block))?;
    track.finish();
    Ok(track.db)
}

/// Settings for one transcription.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// Chunks decoded at once, each by its own worker.
    pub jobs: usize,
    /// CPU threads whisper.cpp uses inside each worker.
    pub threads: usize,
    /// Beam size; 1 means greedy decoding.
    pub beam: usize,
    /// Chunk planning.
    pub plan: PlanConfig,
    /// The episode's language: `auto` (found by a multilingual model) or a
    /// Whisper code such as `en`, `id`, `es`.
    pub language: String,
    /// How to decode the input (e.g. `--raw-format`).
    #[serde(skip)]
    pub decode: audio::DecodeOptions,
    /// Encode every chunk as a whole 30 s window, as Whisper was trained,
    /// instead of only as much as the chunk holds. Off by default: with an
    /// English-only model the shorter window is a quarter less work for a
    /// 20 s chunk at the same WER on the bench (README, "Performance"). A
    /// multilingual model reads the whole window except in the languages
    /// it was measured on (see [`Engine::encodes_whole_window`]).
    pub full_context: bool,
    /// Also write the English translation of an episode in another language
    /// (`--translate`, [`Transcript::english`]): a second decode of the
    /// same chunks by the same multilingual model with Whisper's translate
    /// task. Nothing to do for an English episode or an English-only model.
    pub translate: bool,
    /// What the decoder writes in this pass: set by the engine itself.
    #[serde(skip)]
    pub task: Task,
}

/// What a decoding pass writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Task {
    /// The speech in its own language.
    #[default]
    Transcribe,
    /// The speech translated into English (Whisper's translate task).
    Translate,
}

impl Default for Settings {
    /// One worker per core, one thread each: on small CPUs whisper.cpp's
    /// decoder gains little from a second thread (its matrices are small for
    /// the tiny and base models), while two independent chunks keep both
    /// cores busy. See the README's performance section for the figures.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Settings {
            jobs: cores.clamp(1, 8),
            threads: 1,
            beam: 1,
            plan: PlanConfig::default(),
            language: language::AUTO.to_string(),
            decode: audio::DecodeOptions::default(),
            full_context: false,
            translate: false,
            task: Task::Transcribe,
        }
    }
}

/// Receives progress reports; the library itself prints nothing.
pub trait Progress: Sync {
    /// The audio to transcribe is `total_s` seconds long.
    fn start(&self, _total_s: f64) {}
    /// `seconds` more of the audio are done (transcribed or skipped).
    fn advance(&self, _seconds: f64) {}
    /// A second pass over the same `total_s` seconds begins (`what`: the
    /// English translation); [`Progress::advance`] counts it from zero.
    fn again(&self, _what: &str, total_s: f64) {
        self.start(total_s);
    }
}

/// A pass after the first: its `start` was reported by
/// [`Progress::again`], its advances go through.
struct Continued<'a>(&'a dyn Progress);
impl Progress for Continued<'_> {
    fn advance(&self, seconds: f64) {
        self.0.advance(seconds);
    }
}

/// A [`Progress`] that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

/// A loaded Whisper model.
pub struct Engine {
    ctx: WhisperContext,
    info: ModelInfo,
    load_s: f64,
}

/// Transcribes `path` in its language with the models at hand.
///
/// `primary` is the model lookup's first choice (English-only when one is
/// installed: faster, and as good or better on English); `detector` a
/// multilingual model, when there is one besides it. With `auto`, the
/// detector listens to the first chunks: an English episode then runs on
/// `primary`, any other on the detector in the language it heard. An
/// episode in a given language other than English runs on the detector.
///
/// The detector is loaded here, and let go before an English episode is
/// transcribed: kept loaded, its weights (about 80 MB for base q8_0) would
/// sit beside the English model's for the whole run. Loading it again for
/// the next episode of a season takes a fraction of a second.
pub fn transcribe_in_language(
    primary: &Engine,
    detector: Option<&ModelInfo>,
    path: &Path,
    settings: &Settings,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<Transcript, TranscribeError> {
    let analysis = analyse(path, settings)?;
    let wanted = settings.language.as_str();
    if primary.is_multilingual() || wanted == "en" {
        return primary.transcribe_and_translate(path, &analysis, settings, progress, stop);
    }
    let Some(multi) = detector else {
        if wanted == language::AUTO {
            // Nothing can tell the language: English, unchecked.
            return primary.transcribe_and_translate(path, &analysis, settings, progress, stop);
        }
        return Err(TranscribeError::Model(ModelError::EnglishOnly {
            language: crate::lang::codes::name(wanted),
            found: format!(
                "the model {} is English-only",
                primary.model().path.display()
            ),
        }));
    };
    let multi = Engine::load(multi)?;
    if wanted != language::AUTO {
        return multi.transcribe_and_translate(path, &analysis, settings, progress, stop);
    }
    let listening = std::time::Instant::now();
    let heard = multi.detect_language(&analysis, settings)?;
    let listened = listening.elapsed().as_secs_f64();
    let settings = Settings {
        language: heard.code.clone(),
        ..settings.clone()
    };
    let mut t = if heard.code == "en" {
        drop(multi);
        primary.transcribe_and_translate(path, &analysis, &settings, progress, stop)?
    } else {
        multi.transcribe_and_translate(path, &analysis, &settings, progress, stop)?
    };
    t.language_probability = Some(heard.probability);
    t.timings.language = listened;
    t.timings.transcribe += listened;
    t.timings.total += listened;
    Ok(t)
}

/// Why a transcript made with `translate` asked for has no English
/// translation beside it, for the user; `None` when it has one, or none
/// was asked for.
pub fn translation_note(settings: &Settings, t: &Transcript) -> Option<String> {
    if !settings.translate || t.english.is_some() {
        return None;
    }
    let multilingual = t.settings["multilingual"].as_bool().unwrap_or(false);
    match t.language.as_deref() {
        Some("en") if multilingual || t.language_probability.is_some() => {
            Some("the episode is in English: nothing to translate".into())
        }
        Some("en") => Some(
            "nothing to translate: the English-only model writes English only; for an \
             episode in another language, install a multilingual model (clipper model \
             install base)"
                .into(),
        ),
        _ => None,
    }
}

/// Routes whisper.cpp's and ggml's log lines away from the terminal (they go
/// to the `log` facade, which clipper does not install).
fn quiet_native_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(whisper_rs::install_logging_hooks);
}

/// A pool of whisper states, one per worker, made once (a retry replaces
/// its worker's state, see [`Engine::transcribe_chunk`]).
struct StatePool(Mutex<Vec<Option<WhisperState>>>);

impl StatePool {
    fn take(&self) -> Option<WhisperState> {
        self.0
            .lock()
            .expect("state pool lock")
            .pop()
            .expect("one slot per worker")
    }
    fn give(&self, s: Option<WhisperState>) {
        self.0.lock().expect("state pool lock").push(s);
    }
}

/// The languages in which a multilingual model encodes each chunk for only
/// as long as it is, as an English-only model does: those it was measured
/// on, where the errors stayed level or fell and the CPU time fell by up to
/// 0.56× (`scripts/bench_languages.py` and the English bench file, README,
/// "Languages"). Any other language reads the whole 30 s window, as
/// Whisper was trained; measure one the same way before adding it here.
pub const SHORT_WINDOW_LANGUAGES: &[&str] = &["en", "de", "es", "fr", "pt"];

/// Temperatures of the retries after a greedy decode that loops or is
/// improbable (whisper's own schedule, thinned: each retry costs a decode).
const RETRY_TEMPERATURES: [f32; 3] = [0.2, 0.5, 0.8];

/// The decoded result of one chunk.
struct ChunkResult {
    segments: Vec<Segment>,
    loops_collapsed: usize,
    /// Decoding attempts (1 + retries).
    attempts: usize,
    /// Which worker decoded it, and when.
    timing: ChunkTiming,
}

/// What the first pass over a file found: its loudness, the chunk plan,
/// and its first minutes of 16 kHz samples (for the language guess).
pub struct Analysis {
    track: EnergyTrack,
    info: audio::StreamInfo,
    plan: Plan,
    head: Vec<f32>,
    seconds: f64,
}

/// Pass 1 of [`Engine::transcribe_file`]: streams the file once to measure
/// the loudness of every frame, then plans the chunks. Needs no model.
pub fn analyse(path: &Path, settings: &Settings) -> Result<Analysis, TranscribeError> {
    let started = Instant::now();
    let mut track = EnergyTrack::default();
    let head_len = language::HEAD_SECONDS * TARGET_RATE as usize;
    let mut head = Vec::new();
    let info = audio::stream_16k_with(path, &settings.decode, &mut |block| {
        if head.len() < head_len {
            let room = head_len - head.len();
            head.extend_from_slice(&block[..block.len().min(room)]);
        }
        track.push(block)
    })?;
    track.finish();
    if track.samples == 0 {
        return Err(TranscribeError::NoSamples);
    }
    let plan = plan::plan(&track, &settings.plan);
    if plan.chunks.is_empty() {
        return Err(TranscribeError::Silent);
    }
    Ok(Analysis {
        track,
        info,
        plan,
        head,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The warnings a damaged file earns: cut short, or packets skipped.
fn decode_warnings(info: &audio::StreamInfo, duration: f64) -> Vec<String> {
    let mut warnings = Vec::new();
    if info.truncated {
        warnings.push(format!(
            "the file ends early (truncated or damaged); transcribed the first {}",
            crate::util::time::duration(duration)
        ));
    }
    if info.bad_packets > 0 {
        warnings.push(format!(
            "{} damaged audio packets were skipped",
            info.bad_packets
        ));
    }
    if info.repaired_samples > 0 {
        warnings.push(format!(
            "{} samples were not numbers (NaN or infinite) and were replaced by silence",
            info.repaired_samples
        ));
    }
    warnings
}

/// A word being put together from its tokens: its bytes, start, end and
/// the probability of each token.
type PendingWord = (Vec<u8>, f64, f64, Vec<f32>);

/// Ends the word being put together, keeping it unless it is blank; its
/// probability is the mean of its tokens'.
fn flush_word(pending: &mut Option<PendingWord>, words: &mut Vec<Word>) {
    if let Some((bytes, start, end, probs)) = pending.take() {
        let word = String::from_utf8_lossy(&bytes).into_owned();
        if !word.trim().is_empty() {
            words.push(Word {
                speaker: None,
                start,
                end: end.max(start),
                word,
                probability: probs.iter().sum::<f32>() / probs.len().max(1) as f32,
            });
        }
    }
}

/// The words of one decoded segment, in episode seconds (`map`), each
/// ending where the next begins; with the sum of the
/// log-probabilities of its text tokens and their count. A token that
/// starts with a space starts a word; special tokens (from `eot` on) are
/// left out.
fn segment_words(seg: &WhisperSegment<'_>, eot: i32, map: &TimeMap) -> (Vec<Word>, f32, i32) {
    let mut words: Vec<Word> = Vec::new();
    let mut pending: Option<PendingWord> = None;
    let mut logprob_sum = 0.0f32;
    let mut n_tokens = 0;
    for i in 0..seg.n_tokens() {
        let Some(tok) = seg.get_token(i) else {
            continue;
        };
        let data = tok.token_data();
        if data.id >= eot {
            continue;
        }
        let Ok(bytes) = tok.to_bytes() else {
            continue;
        };
        logprob_sum += data.plog;
        n_tokens += 1;
        let t0 = map.to_episode(data.t0 as f64 / 100.0);
        let t1 = map.to_episode(data.t1 as f64 / 100.0);
        let starts_word = bytes.first() == Some(&b' ');
        match pending.as_mut() {
            Some((b, _, end, probs)) if !starts_word => {
                b.extend_from_slice(bytes);
                *end = t1;
                probs.push(data.p);
            }
            _ => {
                flush_word(&mut pending, &mut words);
                pending = Some((bytes.to_vec(), t0, t1, vec![data.p]));
            }
        }
    }
    flush_word(&mut pending, &mut words);
    // A word ends where the next begins; the last keeps its token
    // end time.
    for i in 1..words.len() {
        let next_start = words[i].start;
        let w = &mut words[i - 1];
        w.end = next_start.max(w.start);
    }
    (words, logprob_sum, n_tokens)
}

impl Engine {
    /// Loads the model described by `info`.
    pub fn load(info: &ModelInfo) -> Result<Engine, TranscribeError> {
        quiet_native_logs();
        let started = Instant::now();
        let path = &info.path;
        // Flash attention off. ggml's CPU flash-attention kernel computes
        // one exponential at a time, while the plain path runs the encoder's
        // attention as matrix products through the tinyBLAS kernels (see
        // .cargo/config.toml) and a vectorised softmax: 2 min of speech,
        // 1 worker × 1 thread, took 9.1 s without it vs 11.6 s with it. The
        // price is memory: about 80 MB more per worker (the 1500×1500
        // attention matrices of the encoder), which is why 2 workers on
        // tiny stay near 400 MB with an f16 model (see the README).
        let params = WhisperContextParameters {
            flash_attn: false,
            ..Default::default()
        };
        let ctx = WhisperContext::new_with_params(path, params)
            .map_err(|_| ModelError::LoadFailed(path.to_path_buf()))?;
        Ok(Engine {
            ctx,
            info: info.clone(),
            load_s: started.elapsed().as_secs_f64(),
        })
    }

    /// The whisper.cpp context, for callers that need the model itself
    /// (tokens, hyper-parameters).
    pub fn context(&self) -> &WhisperContext {
        &self.ctx
    }

    /// The model in use.
    pub fn model(&self) -> &ModelInfo {
        &self.info
    }

    /// Seconds it took to load the model.
    pub fn load_seconds(&self) -> f64 {
        self.load_s
    }

    /// whisper.cpp's parameters for one decoding attempt on `threads`.
    fn params<'s>(
        &self,
        settings: &'s Settings,
        temperature: f32,
        threads: usize,
    ) -> FullParams<'s, 's> {
        let strategy = if settings.beam > 1 && temperature == 0.0 {
            SamplingStrategy::BeamSearch {
                beam_size: settings.beam as i32,
                patience: -1.0,
            }
        } else {
            SamplingStrategy::Greedy { best_of: 1 }
        };
        let mut p = FullParams::new(strategy);
        p.set_n_threads(threads as i32);
        p.set_language(Some(if self.ctx.is_multilingual() {
            settings.language.as_str()
        } else {
            "en"
        }));
        p.set_translate(settings.task == Task::Translate);
        p.set_no_context(true);
        p.set_token_timestamps(true);
        p.set_suppress_blank(true);
        p.set_suppress_nst(true);
        p.set_temperature(temperature);
        // No internal fallback: `transcribe_chunk` retries deterministically.
        p.set_temperature_inc(0.0);
        p.set_print_special(false);
        p.set_print_progress(false);
        p.set_print_realtime(false);
        p.set_print_timestamps(false);
        p
    }

    /// Decodes one piece's `samples` with `state`; times are in episode
    /// seconds (`map`).
    fn decode_chunk(
        &self,
        state: &mut WhisperState,
        samples: &[f32],
        map: &TimeMap,
        settings: &Settings,
        temperature: f32,
        threads: usize,
    ) -> Result<Vec<Segment>, TranscribeError> {
        // whisper.cpp refuses input under 100 ms; pad short chunks with silence.
        let min_len = TARGET_RATE as usize * 11 / 10;
        let padded;
        let input = if samples.len() < min_len {
            padded = {
                let mut p = samples.to_vec();
                p.resize(min_len, 0.0);
                p
            };
            &padded[..]
        } else {
            samples
        };
        let mut params = self.params(settings, temperature, threads);
        if !self.encodes_whole_window(settings) {
            if let Some(ctx) = encoder_context(input.len(), self.info.hparams.n_audio_ctx) {
                params.set_audio_ctx(ctx);
            }
        }
        state
            .full(params, input)
            .map_err(|e| TranscribeError::Whisper(e.to_string()))?;
        let eot = self.ctx.token_eot();
        let mut segments = Vec::new();
        for seg in state.as_iter() {
            let (words, logprob_sum, n_tokens) = segment_words(&seg, eot, map);
            let avg_logprob = logprob_sum / n_tokens.max(1) as f32;
            segments.extend(Segment::from_words(
                words,
                seg.no_speech_probability(),
                avg_logprob,
            ));
        }
        Ok(segments)
    }

    /// Decodes a chunk; when the greedy result loops or is improbable,
    /// retries hotter and keeps the best attempt; collapses a loop that
    /// survives the retries.
    ///
    /// whisper.cpp's own temperature fallback is off (see [`Engine::params`]):
    /// it samples with a random generator that lives in the `WhisperState`
    /// and is seeded only when the state is created, so its result would
    /// depend on which chunks the worker decoded before, and so on `--jobs`.
    /// Each retry here runs on a freshly created state instead, which makes
    /// every chunk's text a function of its audio alone. The worker's state
    /// is dropped before its replacement is made, so a retry never holds
    /// more than one state's buffers per worker.
    fn transcribe_chunk(
        &self,
        slot: &mut Option<WhisperState>,
        samples: &[f32],
        map: &TimeMap,
        settings: &Settings,
    ) -> Result<ChunkResult, TranscribeError> {
        let fresh_state = |slot: &mut Option<WhisperState>| -> Result<(), TranscribeError> {
            *slot = None;
            *slot = Some(
                self.ctx
                    .create_state()
                    .map_err(|e| TranscribeError::Whisper(e.to_string()))?,
            );
            Ok(())
        };
        if slot.is_none() {
            fresh_state(slot)?;
        }
        let state = slot.as_mut().expect("a state is in the slot");
        let threads = cores::threads_now(settings.threads);
        let mut best = self.decode_chunk(state, samples, map, settings, 0.0, threads)?;
        let punctuated = !matches!(settings.language.as_str(), "th" | "lo" | "km" | "my");
        let mut best_quality = guard::Attempt::judge(&best, punctuated);
        let mut attempts = 1;
        for temperature in RETRY_TEMPERATURES {
            if best_quality.acceptable() {
                break;
            }
            attempts += 1;
            fresh_state(slot)?;
            let state = slot.as_mut().expect("a state is in the slot");
            let segments =
                self.decode_chunk(state, samples, map, settings, temperature, threads)?;
            let quality = guard::Attempt::judge(&segments, punctuated);
            if quality.better_than(&best_quality) {
                best = segments;
                best_quality = quality;
            }
        }
        let loops_collapsed = guard::collapse_loops(&mut best);
        Ok(ChunkResult {
            segments: best,
            loops_collapsed,
            attempts,
            timing: ChunkTiming {
                threads,
                ..ChunkTiming::default()
            },
        })
    }

    /// Decodes one piece; a chunk of a packed piece that Whisper skipped
    /// over ([`Piece::skipped_parts`]) is decoded again alone, and its words
    /// replace whatever the piece gave for its stretch.
    fn transcribe_piece(
        &self,
        slot: &mut Option<WhisperState>,
        piece: &Piece,
        settings: &Settings,
    ) -> Result<ChunkResult, TranscribeError> {
        let mut result = self.transcribe_chunk(slot, &piece.samples, &piece.map, settings)?;
        let starts: Vec<f64> = result
            .segments
            .iter()
            .flat_map(|s| s.words.iter().map(|w| w.start))
            .collect();
        for part in piece.skipped_parts(&starts) {
            let (span, range) = piece.parts[part].clone();
            let alone = &piece.samples[range];
            let redone = self.transcribe_chunk(slot, alone, &TimeMap::of_chunk(span), settings)?;
            let outside = |w: &Word| w.start < span.start_s() || w.start >= span.end_s();
            let mut segments: Vec<Segment> = std::mem::take(&mut result.segments)
                .into_iter()
                .filter_map(|seg| {
                    let words = seg.words.into_iter().filter(outside).collect();
                    Segment::from_words(words, seg.no_speech_prob, seg.avg_logprob)
                })
                .collect();
            segments.extend(redone.segments);
            segments.sort_by(|a, b| a.start.total_cmp(&b.start));
            result.segments = segments;
            result.attempts += redone.attempts;
            result.loops_collapsed += redone.loops_collapsed;
        }
        Ok(result)
    }

    /// Transcribes 16 kHz mono samples already in memory.
    pub fn transcribe_samples(
        &self,
        samples: &[f32],
        settings: &Settings,
    ) -> Result<Transcript, TranscribeError> {
        let started = Instant::now();
        let track = EnergyTrack::from_samples(samples);
        let plan = plan::plan(&track, &self.plan_config(settings));
        let analyse = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let mut packer = Packer::new(self.groups(&plan, settings));
        let mut pieces: Vec<Piece> = Vec::new();
        for (i, c) in plan.chunks.iter().enumerate() {
            let chunk = samples[c.start.min(samples.len())..c.end.min(samples.len())].to_vec();
            pieces.extend(packer.add(i, *c, chunk));
        }
        pieces.extend(packer.finish());
        let (tx, rx) = mpsc::sync_channel(pieces.len().max(1));
        for p in pieces {
            tx.send(p).expect("channel has room for every piece");
        }
        drop(tx);
        let results =
            self.run_workers(rx, settings, &NoProgress, &AtomicBool::new(false), started)?;
        Ok(self.assemble(
            results,
            &plan,
            track.samples,
            settings,
            self.timings(started, analyse),
            Vec::new(),
        ))
    }

    /// Transcribes a file: two streaming passes, parallel chunk decoding.
    pub fn transcribe_file(
        &self,
        path: &Path,
        settings: &Settings,
        progress: &dyn Progress,
        stop: &AtomicBool,
    ) -> Result<Transcript, TranscribeError> {
        let analysis = analyse(path, settings)?;
        self.transcribe_analysed(path, &analysis, settings, progress, stop)
    }

    /// [`Engine::transcribe_analysed`], then, when `settings.translate`
    /// asks for it and the transcript is in a language other than English,
    /// its English translation ([`Transcript::english`]): the same chunks
    /// decoded again by this model with Whisper's translate task. An
    /// English-only model, or an English transcript, gets none (see
    /// [`translation_note`]).
    pub fn transcribe_and_translate(
        &self,
        path: &Path,
        analysis: &Analysis,
        settings: &Settings,
        progress: &dyn Progress,
        stop: &AtomicBool,
    ) -> Result<Transcript, TranscribeError> {
        let mut t = self.transcribe_analysed(path, analysis, settings, progress, stop)?;
        let source = match t.language.as_deref() {
            Some(code) if code != "en" => code.to_string(),
            _ => return Ok(t),
        };
        if !settings.translate || !self.is_multilingual() {
            return Ok(t);
        }
        let started = Instant::now();
        let english_settings = Settings {
            language: source.clone(),
            task: Task::Translate,
            ..settings.clone()
        };
        progress.again("English translation", t.audio_duration);
        let pass = Continued(progress);
        match self.transcribe_analysed(path, analysis, &english_settings, &pass, stop) {
            Ok(mut english) => {
                english.language = Some("en".into());
                english.settings["task"] = "translate".into();
                english.settings["from_language"] = source.into();
                english.loudness_db = Vec::new();
                t.english = Some(Box::new(english));
            }
            // Sound, but no English words in it: said, not fatal.
            Err(TranscribeError::Silent) => t
                .warnings
                .push("the English translation came out empty".into()),
            Err(e) => return Err(e),
        }
        let seconds = started.elapsed().as_secs_f64();
        t.timings.translate = seconds;
        t.timings.total += seconds;
        Ok(t)
    }

    /// True when the model knows many languages (it can also guess one).
    pub fn is_multilingual(&self) -> bool {
        self.ctx.is_multilingual()
    }

    /// True when every chunk is encoded as a whole 30 s window: when asked
    /// (`--full-context`), and with a multilingual model unless the
    /// transcript's language is one of [`SHORT_WINDOW_LANGUAGES`] (and the
    /// task is to transcribe, not translate).
    ///
    /// The shorter window ([`encoder_context`]) was measured first on the
    /// English-only tiny model, where it costs nothing in WER. On base it
    /// lost Japanese: on the language samples CER 18.4 → 27.6 %, a longer
    /// tail after the chunk making it worse, not better (a whole Japanese
    /// sentence lost to timestamps past the chunk's end). On English,
    /// German, Spanish, French and Portuguese it held, for much less work:
    /// README, "Languages".
    pub fn encodes_whole_window(&self, settings: &Settings) -> bool {
        settings.full_context
            || (self.is_multilingual()
                && (settings.task == Task::Translate
                    || !SHORT_WINDOW_LANGUAGES.contains(&settings.language.as_str())))
    }

    /// The chunk plan this engine transcribes with: `settings.plan`, with
    /// chunks of at most [`plan::SHORT_WINDOW_MAX_S`] when each chunk is
    /// encoded for only as long as it is.
    ///
    /// The encoder's attention costs the square of its window, so shorter
    /// windows cost less per second of speech: on the 10-minute bench file,
    /// chunks of at most 20 s took 29.6 s of CPU against 44.4 s for 30 s, at
    /// a lower WER (10.5 % against 12.8 %; README, "Performance"). A model
    /// that reads the whole 30 s window whatever the chunk gains nothing from
    /// it and keeps the 30 s chunks.
    pub fn plan_config(&self, settings: &Settings) -> PlanConfig {
        if self.encodes_whole_window(settings) {
            settings.plan.clone()
        } else {
            settings.plan.with_short_windows()
        }
    }

    /// How the chunks of `plan` go to the workers: several short ones packed
    /// into one window when every chunk is encoded as a whole 30 s window
    /// anyway and the language is written with spaces (see [`pack`]), else
    /// one by one.
    fn groups(&self, plan: &Plan, settings: &Settings) -> Vec<std::ops::Range<usize>> {
        let spaced = !pack::UNSPACED_LANGUAGES.contains(&settings.language.as_str());
        pack::groups(
            &plan.chunks,
            settings.plan.max_chunk_s.min(pack::WINDOW_S),
            self.encodes_whole_window(settings) && spaced,
        )
    }

    /// Guesses the language of an analysed file over its first chunks; an
    /// English-only model answers English without listening.
    pub fn detect_language(
        &self,
        analysis: &Analysis,
        settings: &Settings,
    ) -> Result<language::Detected, TranscribeError> {
        if !self.is_multilingual() {
            return Ok(language::Detected {
                code: "en".into(),
                probability: 0.0,
                chunks: 0,
            });
        }
        // As many listeners as workers, each with a worker's threads, and
        // those only on free cores (see `cores`).
        language::detect(
            &self.ctx,
            &analysis.head,
            &analysis.plan.chunks,
            settings.jobs,
            cores::threads_now(settings.threads),
        )
    }

    /// Pass 2 of a file [`analyse`] has read: transcribes every chunk in
    /// `settings.language` (guessed first when it is `auto` and the model
    /// is multilingual).
    pub fn transcribe_analysed(
        &self,
        path: &Path,
        analysis: &Analysis,
        settings: &Settings,
        progress: &dyn Progress,
        stop: &AtomicBool,
    ) -> Result<Transcript, TranscribeError> {
        let started = Instant::now();
        let mut settings = settings.clone();
        let detected = if settings.language == language::AUTO && self.is_multilingual() {
            let d = self.detect_language(analysis, &settings)?;
            settings.language = d.code.clone();
            Some((d, started.elapsed().as_secs_f64()))
        } else {
            None
        };
        let settings = &settings;
        let Analysis { track, info, .. } = analysis;
        let plan_config = self.plan_config(settings);
        let replanned;
        let plan = if plan_config == settings.plan {
            &analysis.plan
        } else {
            // Planning is a pass over the loudness track, milliseconds.
            replanned = plan::plan(track, &plan_config);
            &replanned
        };
        let analyse = analysis.seconds;
        let duration = track.samples as f64 / TARGET_RATE as f64;
        progress.start(duration);
        progress.advance(plan.skipped.iter().map(Span::len_s).sum());

        let results = self.second_pass(path, settings, plan, progress, stop)?;
        if stop.load(Ordering::Relaxed) {
            return Err(TranscribeError::Interrupted);
        }
        let warnings = decode_warnings(info, duration);
        let mut transcript = self.assemble(
            results,
            plan,
            track.samples,
            settings,
            self.timings(started, analyse),
            warnings,
        );
        if transcript.segments.is_empty() {
            // Sound, but no words in it (music with a bump the planner let
            // through): as good as silence for clipper's purposes.
            return Err(TranscribeError::Silent);
        }
        if let Some((d, seconds)) = detected {
            transcript.language_probability = Some(d.probability);
            transcript.timings.language = seconds;
        }
        transcript.loudness_db = track.db.clone();
        Ok(transcript)
    }

    /// Pass 2: streams the file again and hands out each chunk of `plan` as
    /// soon as it is whole to the workers; returns their results.
    fn second_pass(
        &self,
        path: &Path,
        settings: &Settings,
        plan: &Plan,
        progress: &dyn Progress,
        stop: &AtomicBool,
    ) -> Result<Vec<(usize, ChunkResult)>, TranscribeError> {
        let (tx, rx) = mpsc::sync_channel::<Piece>(settings.jobs.max(1));
        let groups = self.groups(plan, settings);
        std::thread::scope(|scope| {
            let handle = scope.spawn(|| -> Result<(), TranscribeError> {
                let mut slicer = Slicer::new(plan.chunks.clone());
                let mut packer = Packer::new(groups);
                let mut send = |idx: usize, span: Span, samples: Vec<f32>| {
                    packer
                        .add(idx, span, samples)
                        .into_iter()
                        .all(|piece| !stop.load(Ordering::Relaxed) && tx.send(piece).is_ok())
                };
                let mut going = true;
                audio::stream_16k_with(path, &settings.decode, &mut |block| {
                    if going {
                        going = slicer.push(block, &mut send);
                    }
                })?;
                if going {
                    going = slicer.finish(&mut send);
                }
                if let Some(last) = packer.finish().filter(|_| going) {
                    // A send fails only when the workers stopped.
                    let _ = tx.send(last);
                }
                drop(tx);
                if stop.load(Ordering::Relaxed) {
                    return Err(TranscribeError::Interrupted);
                }
                Ok(())
            });
            let results = self.run_workers(rx, settings, progress, stop, Instant::now());
            let produced = handle.join().expect("decoder thread panicked");
            produced.and(results)
        })
    }

    /// Stage timings of a run that started at `started` and spent `analyse`
    /// seconds in its first pass.
    fn timings(&self, started: Instant, analyse: f64) -> Timings {
        let total = started.elapsed().as_secs_f64() + analyse;
        Timings {
            load_model: self.load_s,
            analyse,
            transcribe: total - analyse,
            total,
            ..Timings::default()
        }
    }

    /// Runs the worker pool over the pieces arriving on `rx`.
    /// `origin` is the instant chunk timings are measured from.
    fn run_workers(
        &self,
        rx: mpsc::Receiver<Piece>,
        settings: &Settings,
        progress: &dyn Progress,
        stop: &AtomicBool,
        origin: Instant,
    ) -> Result<Vec<(usize, ChunkResult)>, TranscribeError> {
        let jobs = settings.jobs.max(1);
        let states = (0..jobs)
            .map(|_| self.ctx.create_state())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TranscribeError::Whisper(e.to_string()))?;
        let pool = StatePool(Mutex::new(states.into_iter().map(Some).collect()));
        let workers = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .thread_name(|i| format!("clipper-whisper-{i}"))
            .build()
            .map_err(|e| TranscribeError::Whisper(e.to_string()))?;
        let mut results: Vec<(usize, ChunkResult)> = workers.install(|| {
            rx.into_iter()
                .par_bridge()
                .map(|piece| {
                    if stop.load(Ordering::Relaxed) {
                        return Err(TranscribeError::Interrupted);
                    }
                    let (idx, span) = (piece.index, piece.span);
                    let mut slot = pool.take();
                    let began = origin.elapsed().as_secs_f64();
                    let r = self.transcribe_piece(&mut slot, &piece, settings);
                    let ended = origin.elapsed().as_secs_f64();
                    // A failed retry may leave the slot empty; the next
                    // chunk on this worker then makes a new state.
                    pool.give(slot);
                    progress.advance(piece.audio_s);
                    r.map(|mut r| {
                        r.timing = ChunkTiming {
                            audio: [span.start_s(), span.end_s()],
                            worker: rayon::current_thread_index().unwrap_or(0),
                            wall: [began, ended],
                            attempts: r.attempts,
                            threads: r.timing.threads,
                        };
                        (idx, r)
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })?;
        results.sort_by_key(|(i, _)| *i);
        Ok(results)
    }

    /// The settings that shaped a transcript, for transcript.json.
    fn settings_record(&self, settings: &Settings, plan: &plan::Plan) -> serde_json::Value {
        serde_json::json!({
            "jobs": settings.jobs,
            "threads": settings.threads,
            "beam": settings.beam,
            "model_type": self.info.size_name,
            "multilingual": self.is_multilingual(),
            "quantization": self.info.quantization,
            "chunks": plan.chunks.len(),
            "encoder_window": if self.encodes_whole_window(settings) { "30 s" } else { "chunk" },
            "plan": self.plan_config(settings),
            "threshold_db": plan.threshold_db,
        })
    }

    /// Joins chunk results into the transcript and applies the silence guard.
    fn assemble(
        &self,
        results: Vec<(usize, ChunkResult)>,
        plan: &plan::Plan,
        samples: usize,
        settings: &Settings,
        timings: Timings,
        mut warnings: Vec<String>,
    ) -> Transcript {
        let mut timings = timings;
        timings.chunks = results.iter().map(|(_, r)| r.timing.clone()).collect();
        let loops: usize = results.iter().map(|(_, r)| r.loops_collapsed).sum();
        if loops > 0 {
            warnings.push(format!(
                "removed {loops} repeated words (a repetition loop survived retries)"
            ));
        }
        let skipped: Vec<SkippedSpan> = plan
            .skipped
            .iter()
            .zip(&plan.skipped_steady)
            .map(|(s, &steady)| SkippedSpan {
                start: s.start_s(),
                end: s.end_s(),
                reason: if steady { "music or noise" } else { "silence" }.into(),
            })
            .collect();
        let pauses: Vec<Pause> = plan
            .pauses
            .iter()
            .map(|p| Pause {
                start: p.start_s(),
                end: p.end_s(),
            })
            .collect();
        // Words wholly inside a skipped stretch cannot have been spoken.
        let silences: Vec<Pause> = skipped
            .iter()
            .map(|s| Pause {
                start: s.start,
                end: s.end,
            })
            .collect();
        let mut segments = guard::clean_segments(
            results.into_iter().flat_map(|(_, r)| r.segments).collect(),
            &silences,
        );
        guard::limit_word_durations(&mut segments);
        guard::snap_to_pauses(&mut segments, &pauses);
        guard::drop_words_heard_in_pauses(&mut segments, &pauses);
        Transcript {
            speakers: Vec::new(),
            segments,
            audio_duration: samples as f64 / TARGET_RATE as f64,
            speech_duration: plan.speech_s,
            model: self.info.path.display().to_string(),
            settings: self.settings_record(settings, plan),
            skipped,
            pauses,
            timings,
            warnings,
            language: match (self.is_multilingual(), settings.language.as_str()) {
                (false, _) => Some("en".into()),
                (true, language::AUTO) => None,
                (true, code) => Some(code.into()),
            },
            language_probability: None,
            loudness_db: Vec::new(),
            english: None,
        }
    }
}

/// The encoder context (positions of 20 ms) that covers `samples` of 16 kHz
/// audio and one more second of silence, rounded up to a multiple of 8;
/// `None` when that is the model's whole window (`n_audio_ctx`, 1500 = 30 s)
/// or more.
///
/// whisper.cpp pads every input to 30 s and encodes all of it unless told
/// otherwise; the encoder's work grows with the context (its attention with
/// the square), so a 20 s chunk encoded as 20 s is about a quarter cheaper.
/// When Whisper's timestamps stop short of the chunk's end, whisper.cpp goes
/// on from there with another window of the same size, as it does at 30 s.
/// Without the second of silence after the speech the model tends to drop
/// the last full stop and hear a second, blank window (jfk.wav: "... for your
/// country [BLANK_AUDIO]").
fn encoder_context(samples: usize, n_audio_ctx: i32) -> Option<i32> {
    const TAIL: usize = 50;
    let positions = samples.div_ceil(TARGET_RATE as usize / 50) + TAIL;
    let ctx = i32::try_from(positions.div_ceil(8) * 8).ok()?;
    (ctx < n_audio_ctx).then_some(ctx)
}

/// Cuts a stream of 16 kHz samples into the planned chunks, keeping only the
/// samples a chunk still needs (at most one chunk's worth).
struct Slicer {
    chunks: Vec<Span>,
    next: usize,
    buf: Vec<f32>,
    /// Sample index of `buf[0]`.
    buf_start: usize,
}

impl Slicer {
    fn new(chunks: Vec<Span>) -> Slicer {
        Slicer {
            chunks,
            next: 0,
            buf: Vec::new(),
            buf_start: 0,
        }
    }

    /// Adds samples and hands out every chunk now complete. Returns false
    /// when `out` asked to stop.
    fn push(&mut self, block: &[f32], out: &mut dyn FnMut(usize, Span, Vec<f32>) -> bool) -> bool {
        self.buf.extend_from_slice(block);
        self.emit(false, out)
    }

    /// Hands out what is left at the end of the stream (a truncated stream
    /// gives shorter chunks).
    fn finish(&mut self, out: &mut dyn FnMut(usize, Span, Vec<f32>) -> bool) -> bool {
        self.emit(true, out)
    }

    fn emit(&mut self, at_end: bool, out: &mut dyn FnMut(usize, Span, Vec<f32>) -> bool) -> bool {
        while let Some(&c) = self.chunks.get(self.next) {
            let have = self.buf_start + self.buf.len();
            if have < c.end && !at_end {
                break;
            }
            let from = c.start.saturating_sub(self.buf_start).min(self.buf.len());
            let to = c.end.saturating_sub(self.buf_start).min(self.buf.len());
            if to > from && !out(self.next, c, self.buf[from..to].to_vec()) {
                return false;
            }
            self.next += 1;
        }
        let keep_from = self
            .chunks
            .get(self.next)
            .map_or(usize::MAX, |c| c.start)
            .saturating_sub(self.buf_start)
            .min(self.buf.len());
        self.buf.drain(..keep_from);
        self.buf_start += keep_from;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_is_encoded_for_as_long_as_it_is() {
        // 20 s = 1000 positions of 20 ms, and 1 s after it; 20.01 s needs
        // one more, rounded up to 8
        assert_eq!(encoder_context(20 * 16_000, 1500), Some(1056));
        assert_eq!(encoder_context(19 * 16_000 + 160, 1500), Some(1008));
        // a whole 30 s window (or more): whisper.cpp's own default
        assert_eq!(encoder_context(29 * 16_000, 1500), None);
        assert_eq!(encoder_context(31 * 16_000, 1500), None);
    }

    #[test]
    fn slicer_hands_out_exact_chunks_whatever_the_block_size() {
        let signal: Vec<f32> = (0..100_000).map(|i| i as f32).collect();
        let chunks = vec![
            Span {
                start: 1_000,
                end: 30_000,
            },
            Span {
                start: 30_000,
                end: 50_000,
            },
            Span {
                start: 70_000,
                end: 99_000,
            },
        ];
        for block in [1, 777, 4096, 100_000] {
            let mut slicer = Slicer::new(chunks.clone());
            let mut got = Vec::new();
            let mut out = |i: usize, span: Span, s: Vec<f32>| {
                got.push((i, span, s));
                true
            };
            for b in signal.chunks(block) {
                slicer.push(b, &mut out);
                assert!(slicer.buf.len() <= 30_000 + block, "block {block}");
            }
            slicer.finish(&mut out);
            assert_eq!(got.len(), 3);
            for (i, span, s) in &got {
                assert_eq!(*span, chunks[*i]);
                assert_eq!(s[..], signal[span.start..span.end]);
            }
        }
    }
}
