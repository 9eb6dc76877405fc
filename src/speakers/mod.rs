//! Who is speaking: speaker turns for an episode, and a speaker on every
//! word and segment of its transcript.
//!
//! Diarization runs after transcription, in a pass of its own over the
//! audio: speech frames (clipper's loudness-based speech detector, less
//! what the Silero VAD vetoes, [`vad`]) → a 256-dimensional voice embedding per
//! 1.6 s window ([`encoder`], Resemblyzer's GE2E network run in Rust) →
//! agglomerative clustering on cosine similarity, the number of speakers
//! estimated or fixed ([`cluster`]) → turns, then words and segments
//! labelled ([`turns`]). [`der`] scores turns against a reference RTTM;
//! [`tracks`] gives exact turns when each speaker has a track of their own.

pub mod cluster;
pub mod der;
pub mod embed;
pub mod encoder;
pub mod kernels;
pub mod mel;
pub mod prints;
pub mod tracks;
pub mod turns;
pub mod vad;

use std::path::Path;

use crate::transcribe::plan::{local_thresholds, EnergyTrack};
use crate::transcript::Transcript;

pub use encoder::Encoder;
pub use turns::{speaker_id, Turn};

/// Mean cosine similarity at or above which two groups of windows are the
/// same speaker (measured on the AMI excerpts and the two-reader
/// conversation in `samples/`; see README, "Speakers").
pub const DEFAULT_THRESHOLD: f32 = 0.67;
/// Frames (10 ms) between window starts by default: 0.8 s, half a window.
pub const DEFAULT_STEP: usize = 80;
/// Seconds of window starts a speaker needs when the count is estimated
/// (6 windows at the default 0.8 s step, about 5 s of speech); a smaller
/// group joins its most similar speaker (measured on the AMI excerpts and
/// the two readers; see README, "Speakers").
pub const MIN_SPEAKER_S: f64 = 4.5;

/// Fewest windows a speaker has when the count is estimated, for windows
/// `step` frames apart: [`MIN_SPEAKER_S`] of window starts, at least 3.
pub fn min_windows(step: usize) -> usize {
    ((MIN_SPEAKER_S * embed::FRAMES_PER_S / step.max(1) as f64).ceil() as usize).max(3)
}

/// How to diarize.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// A fixed number of speakers (`--speakers N`), or estimated.
    pub count: Option<usize>,
    /// Similarity threshold for joining groups when estimating.
    pub threshold: f32,
    /// Frames between window starts.
    pub step: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            count: None,
            threshold: DEFAULT_THRESHOLD,
            step: DEFAULT_STEP,
        }
    }
}

/// The result of diarizing one recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Diarization {
    /// Turns in time order.
    pub turns: Vec<Turn>,
    /// Number of speakers found.
    pub speakers: usize,
    /// Windows embedded.
    pub windows: usize,
    /// Each speaker's voice: the unit-length mean embedding of the windows
    /// clustered as theirs, by speaker index (empty when the turns came
    /// from tracks, not the encoder).
    pub voices: Vec<Vec<f32>>,
}

impl Diarization {
    /// Seconds each speaker talks, by speaker index.
    pub fn talk_time(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.speakers];
        for t in &self.turns {
            out[t.speaker] += t.end - t.start;
        }
        out
    }
}

/// Speech per 10 ms frame from a 20 ms loudness track (dBFS): above the
/// transcription engine's local speech threshold, gaps under 0.3 s closed,
/// bursts under 0.1 s dropped.
pub fn speech_from_loudness(db: &[f32]) -> Vec<bool> {
    let mut track = EnergyTrack::default();
    track.db = db.to_vec();
    let thresholds = local_thresholds(&track, 0.35);
    let mut speech: Vec<bool> = db
        .iter()
        .zip(&thresholds)
        .flat_map(|(d, t)| [d > t, d > t])
        .collect();
    fill_runs(&mut speech, false, 30);
    fill_runs(&mut speech, true, 10);
    speech
}

/// Flips runs of `value` shorter than `min` frames that lie between runs
/// of the other value.
fn fill_runs(frames: &mut [bool], value: bool, min: usize) {
    let n = frames.len();
    let mut i = 0;
    while i < n {
        if frames[i] != value {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && frames[i] == value {
            i += 1;
        }
        if start > 0 && i < n && i - start < min {
            frames[start..i].iter_mut().for_each(|f| *f = !value);
        }
    }
}

/// Seconds of audio the feeder may decode ahead of the embedder: enough to
/// keep decoding while a round of windows (about 50 s of audio) is
/// embedded, 4 MB at most.
const SECONDS_AHEAD: usize = 64;

/// Diarizes audio fed by `feed` (which calls its sink with 16 kHz blocks),
/// speech given per 10 ms frame.
///
/// `feed` runs on a thread of its own, a second of audio at a time through
/// a bounded queue, so decoding goes on while the encoder embeds windows on
/// every core (the bench file's diarization in a run went from 2.8 s to
/// 2.3–2.6 s; README, "Speakers"). When the model holds the Silero VAD,
/// that thread also runs it, and a speech frame the VAD is sure holds no
/// speech is dropped before any window is chosen ([`vad::SpeechGate`]).
///
/// `voice_frames`, when given, are the frames a speaker's voice (the print
/// kept for the season) is taken from: the windows centred on them.
pub fn diarize_stream<E: Send>(
    encoder: &Encoder,
    speech: Vec<bool>,
    voice_frames: Option<&[bool]>,
    options: &Options,
    feed: impl FnOnce(&mut dyn FnMut(&[f32])) -> Result<(), E> + Send,
) -> Result<Diarization, E> {
    let frames = speech.len();
    let vad = encoder.vad();
    let mut embedder = embed::Embedder::new(encoder, speech, options.step, vad.is_some());
    let rate = crate::audio::TARGET_RATE as usize;
    // A second of audio and the speech verdicts it settled.
    type Block = (Vec<f32>, Option<(usize, Vec<bool>)>);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Block>(SECONDS_AHEAD);
    let fed = std::thread::scope(|scope| {
        let feeder = scope.spawn(move || {
            let mut detector = vad.map(|v| (vad::VadStream::new(v), vad::SpeechGate::default()));
            let mut probs = Vec::new();
            let mut settle = |block: &[f32], last: bool| {
                let (stream, gate) = detector.as_mut()?;
                probs.clear();
                stream.push(block, &mut probs);
                if !last {
                    return Some(gate.add(&probs));
                }
                stream.finish(&mut probs);
                let (from, mut keep) = gate.add(&probs);
                keep.extend(gate.finish(frames).1);
                Some((from, keep))
            };
            let mut second = Vec::with_capacity(rate);
            let fed = feed(&mut |block| {
                second.extend_from_slice(block);
                if second.len() >= rate {
                    let settled = settle(&second, false);
                    // the receiver lives until the queue is drained
                    let _ = tx.send((
                        std::mem::replace(&mut second, Vec::with_capacity(rate)),
                        settled,
                    ));
                }
            });
            let settled = settle(&second, true);
            let _ = tx.send((second, settled));
            fed
        });
        for (block, settled) in rx {
            if let Some((from, keep)) = settled {
                embedder.settle(from, &keep);
            }
            embedder.push(&block);
        }
        feeder.join().expect("the audio feeder panicked")
    });
    fed?;
    let (windows, speech) = embedder.finish();
    Ok(from_windows(&windows, &speech, voice_frames, options))
}

/// Diarizes samples in memory (16 kHz mono), finding speech from their
/// loudness, less what the VAD vetoes.
pub fn diarize_samples(samples: &[f32], encoder: &Encoder, options: &Options) -> Diarization {
    let speech = speech_from_loudness(&EnergyTrack::from_samples(samples).db);
    let r: Result<_, std::convert::Infallible> =
        diarize_stream(encoder, speech, None, options, |sink| {
            samples.chunks(16_000).for_each(sink);
            Ok(())
        });
    r.unwrap_or_else(|e| match e {})
}

/// Diarizes a file, streaming it; speech as [`speech_from_loudness`] finds
/// it, less what the VAD vetoes.
///
/// The speech is not restricted to where the transcript has words (it was
/// until the VAD could tell music and noise from speech): speech Whisper
/// writes no words for (tiny.en leaves out much overlapping speech) still
/// shows a voice, and on AMI's tst00 a run then finds the fourth speaker.
/// The speakers' voices (their prints) are still taken from the windows
/// centred within 0.3 s of `transcript`'s words, the speech the listener
/// hears as theirs: taken from every window, the 2 s guest of the
/// voice-print test fell below the match threshold (0.846 against 0.863).
pub fn diarize_file(
    path: &Path,
    decode: &crate::audio::DecodeOptions,
    loudness_db: &[f32],
    transcript: &Transcript,
    encoder: &Encoder,
    options: &Options,
) -> Result<Diarization, crate::audio::AudioError> {
    let speech = speech_from_loudness(loudness_db);
    let voiced = word_frames(transcript, speech.len(), 0.3);
    diarize_stream(encoder, speech, Some(&voiced), options, |sink| {
        crate::audio::stream_16k_with(path, decode, sink).map(|_| ())
    })
}

/// Per 10 ms frame (`frames` of them): within `margin_s` of a word of
/// `transcript`.
fn word_frames(transcript: &Transcript, frames: usize, margin_s: f64) -> Vec<bool> {
    let mut near = vec![false; frames];
    for w in transcript.words() {
        let a = ((w.start - margin_s) * embed::FRAMES_PER_S).max(0.0) as usize;
        let b = (((w.end + margin_s) * embed::FRAMES_PER_S).ceil() as usize).min(frames);
        if a < b {
            near[a..b].fill(true);
        }
    }
    near
}

/// `d` with its speakers renumbered in the order they first say a word of
/// `transcript`, and those who say none dropped with their turns (which
/// no word was given to): S1 is the first voice heard speaking, not the
/// singer of the show's jingle, whose voice the diarization hears too.
pub fn by_first_word(d: &Diarization, transcript: &Transcript) -> Diarization {
    let mut order: Vec<usize> = Vec::new();
    for w in transcript.words() {
        if let Some(s) = turns::speaker_at(&d.turns, w.start, w.end) {
            if !order.contains(&s) {
                order.push(s);
            }
        }
    }
    let new_id = |s: usize| order.iter().position(|o| *o == s);
    Diarization {
        turns: d
            .turns
            .iter()
            .filter_map(|t| {
                Some(Turn {
                    speaker: new_id(t.speaker)?,
                    ..*t
                })
            })
            .collect(),
        speakers: order.len(),
        windows: d.windows,
        voices: order
            .iter()
            .map(|s| d.voices.get(*s).cloned().unwrap_or_default())
            .collect(),
    }
}

/// Clusters embedded windows and turns them into turns; each speaker's
/// voice is the mean of their windows centred on `voice_frames` (all their
/// windows when not given, or when none is).
pub fn from_windows(
    windows: &[embed::Window],
    speech: &[bool],
    voice_frames: Option<&[bool]>,
    options: &Options,
) -> Diarization {
    let embeddings: Vec<Vec<f32>> = windows.iter().map(|w| w.embedding.clone()).collect();
    let labels = cluster::cluster(
        &embeddings,
        options.threshold,
        options.count,
        min_windows(options.step),
    );
    let refs: Vec<&[f32]> = embeddings.iter().map(|e| e.as_slice()).collect();
    let centroids = cluster::centroids(&refs, &labels);
    let frames = turns::frame_labels(windows, &labels, &centroids, speech);
    let found = turns::turns(frames);
    // Speakers left with no turn (absorbed as blips) are dropped and the
    // rest renumbered by first appearance.
    let order = cluster::renumber(&found.iter().map(|t| t.speaker).collect::<Vec<_>>());
    let turns: Vec<Turn> = found
        .iter()
        .zip(&order)
        .map(|(t, s)| Turn { speaker: *s, ..*t })
        .collect();
    let speakers = order.iter().max().map_or(0, |m| m + 1);
    let heard: Vec<bool> = windows
        .iter()
        .map(|w| voice_frames.is_none_or(|v| v.get(w.start + embed::WINDOW / 2) == Some(&true)))
        .collect();
    let voice_of = |c: usize| {
        let mine: Vec<&[f32]> = (0..windows.len())
            .filter(|&i| labels[i] == c && heard[i])
            .map(|i| refs[i])
            .collect();
        if mine.is_empty() {
            centroids[c].clone()
        } else {
            cluster::centroids(&mine, &vec![0; mine.len()]).swap_remove(0)
        }
    };
    let mut voices = vec![Vec::new(); speakers];
    for (t, s) in found.iter().zip(&order) {
        if voices[*s].is_empty() {
            voices[*s] = voice_of(t.speaker);
        }
    }
    Diarization {
        speakers,
        turns,
        windows: windows.len(),
        voices,
    }
}

/// Why an episode's speakers could not be told apart.
#[derive(Debug, thiserror::Error)]
pub enum SpeakersError {
    /// No model, or a damaged one.
    #[error(transparent)]
    Model(#[from] crate::model::ImportError),
    /// The audio could not be read again.
    #[error(transparent)]
    Audio(#[from] crate::audio::AudioError),
}

/// The speech detector diarization uses when the speaker model holds it,
/// as recorded in the transcript's settings.
pub const VAD_NAME: &str = "silero-vad 6.2.3";

/// The settings a diarization ran with, as recorded in the transcript's
/// `settings.speakers` (a transcript carrying them is not diarized again).
/// `vad` is null when the speaker model held no VAD.
pub fn settings_of(options: &Options) -> serde_json::Value {
    serde_json::json!({
        "count": options.count,
        "threshold": options.threshold,
        "step_s": options.step as f64 / embed::FRAMES_PER_S,
        "model": crate::model::speaker::FILE_NAME,
        "vad": VAD_NAME,
    })
}

/// True when `transcript` was diarized without the VAD (a speaker model
/// installed before it was added).
pub fn diarized_without_vad(transcript: &Transcript) -> bool {
    transcript
        .settings
        .get("speakers")
        .is_some_and(|s| s.get("vad").is_some_and(|v| v.is_null()))
}

/// True when `transcript` already carries speakers found with `options`.
pub fn labelled_with(transcript: &Transcript, options: &Options) -> bool {
    !transcript.speakers.is_empty()
        && transcript.settings.get("speakers") == Some(&settings_of(options))
}

/// Diarizes the episode at `path` (read as `decode` says, as it was
/// transcribed: a headerless file needs its `--raw-format`) and labels its
/// transcript, recording the settings and the time taken
/// (`timings.diarize`).
pub fn diarize_episode(
    path: &Path,
    decode: &crate::audio::DecodeOptions,
    transcript: &mut Transcript,
    options: &Options,
    model: Option<&Path>,
) -> Result<(), SpeakersError> {
    let started = std::time::Instant::now();
    let encoder = Encoder::load(&crate::model::speaker::find(model)?)?;
    let loudness = if transcript.loudness_db.is_empty() {
        let mut track = EnergyTrack::default();
        crate::audio::stream_16k_with(path, decode, &mut |b| track.push(b))?;
        track.finish();
        track.db
    } else {
        transcript.loudness_db.clone()
    };
    let d = diarize_file(path, decode, &loudness, transcript, &encoder, options)?;
    label(transcript, &by_first_word(&d, transcript));
    if !transcript.settings.is_object() {
        transcript.settings = serde_json::json!({});
    }
    transcript.settings["speakers"] = settings_of(options);
    if encoder.vad().is_none() {
        transcript.settings["speakers"]["vad"] = serde_json::Value::Null;
    }
    transcript.timings.diarize = started.elapsed().as_secs_f64();
    Ok(())
}

/// Labels `transcript` with turns from one track per speaker, recording
/// that they came from tracks.
pub fn label_from_tracks(transcript: &mut Transcript, diarization: &Diarization) {
    label(transcript, diarization);
    if !transcript.settings.is_object() {
        transcript.settings = serde_json::json!({});
    }
    transcript.settings["speakers"] = serde_json::json!({ "tracks": diarization.speakers });
}

/// Takes every speaker off `transcript`.
pub fn unlabel(transcript: &mut Transcript) {
    transcript.speakers.clear();
    for s in &mut transcript.segments {
        s.speaker = None;
        s.words.iter_mut().for_each(|w| w.speaker = None);
    }
    if let Some(o) = transcript.settings.as_object_mut() {
        o.remove("speakers");
    }
}

/// Gives the speakers their names from `[speakers]` (`S1 = "Dana"`).
pub fn name(transcript: &mut Transcript, names: &std::collections::BTreeMap<String, String>) {
    for s in &mut transcript.speakers {
        s.name = names.get(&s.id).cloned();
    }
}

/// Labels `transcript` with `diarization`'s speakers (words, segments and
/// the speaker list).
pub fn label(transcript: &mut Transcript, diarization: &Diarization) {
    turns::label_transcript(transcript, &diarization.turns);
    let talk = diarization.talk_time();
    transcript.speakers = (0..diarization.speakers)
        .map(|i| crate::transcript::Speaker {
            id: speaker_id(i),
            name: None,
            seconds: (talk[i] * 100.0).round() / 100.0,
            voice: diarization.voices.get(i).cloned().unwrap_or_default(),
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speaker_needs_about_five_seconds_of_windows_at_any_step() {
        assert_eq!(min_windows(DEFAULT_STEP), 6);
        assert_eq!(min_windows(40), 12);
        // long steps still ask for three windows
        assert_eq!(min_windows(160), 3);
    }
}
