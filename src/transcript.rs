//! The transcript: timed segments and words, the type every later stage reads.

use serde::{Deserialize, Serialize};

/// One recognised word, in episode time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    /// Start, seconds from the beginning of the audio.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// The word as Whisper wrote it, with its leading space and punctuation.
    pub word: String,
    /// Mean token probability, 0..1.
    pub probability: f32,
    /// Who says it (`S1`, `S2`, …), when speakers were told apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

/// One segment of recognised speech (roughly a sentence or phrase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Start, seconds from the beginning of the audio.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// The text, trimmed.
    pub text: String,
    /// The words with their times.
    #[serde(default)]
    pub words: Vec<Word>,
    /// Whisper's probability that the segment holds no speech.
    #[serde(default)]
    pub no_speech_prob: f32,
    /// Mean log probability of the segment's tokens.
    #[serde(default)]
    pub avg_logprob: f32,
    /// Who says it (`S1`, `S2`, …), when speakers were told apart; a
    /// segment never spans two speakers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

impl Segment {
    /// Builds a segment from its words; text and times follow the words.
    pub fn from_words(words: Vec<Word>, no_speech_prob: f32, avg_logprob: f32) -> Option<Segment> {
        let first = words.first()?;
        let last = words.last()?;
        let text: String = words.iter().map(|w| w.word.as_str()).collect();
        Some(Segment {
            start: first.start,
            end: last.end,
            text: text.trim().to_string(),
            speaker: None,
            words,
            no_speech_prob,
            avg_logprob,
        })
    }
}

/// A speaker heard in the episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    /// The id words and segments carry: `S1`, `S2`, … in order of first
    /// appearance (or the track's order for multi-track input).
    pub id: String,
    /// The name given in `clipper.toml` (`[speakers] S1 = "Dana (host)"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Seconds of speech.
    pub seconds: f64,
}

/// A stretch of audio that was not transcribed, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedSpan {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// Why, e.g. `silence`.
    pub reason: String,
}

/// A quiet stretch between words, where clips may be cut.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pause {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
}

/// Wall-clock times of the stages, seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Loading the model.
    pub load_model: f64,
    /// First pass: decode, resample, loudness, chunk plan.
    pub analyse: f64,
    /// Second pass: decode again and transcribe the chunks.
    pub transcribe: f64,
    /// Telling speakers apart (a pass of its own over the audio), when it ran.
    #[serde(default)]
    pub diarize: f64,
    /// Everything, end to end.
    pub total: f64,
}

/// A whole transcript with what produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// The segments in time order.
    pub segments: Vec<Segment>,
    /// Duration of the audio, seconds.
    pub audio_duration: f64,
    /// Seconds the voice-activity detector judged speech.
    #[serde(default)]
    pub speech_duration: f64,
    /// The model file used.
    pub model: String,
    /// Settings that shaped the result (jobs, threads, beam, ...).
    #[serde(default)]
    pub settings: serde_json::Value,
    /// Stretches left out.
    #[serde(default)]
    pub skipped: Vec<SkippedSpan>,
    /// Pauses found between words.
    #[serde(default)]
    pub pauses: Vec<Pause>,
    /// Stage timings.
    #[serde(default)]
    pub timings: Timings,
    /// Notes for the user, e.g. that the file was truncated.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// The language the words are in (Whisper's code, e.g. `en`, `es`), when
    /// known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// How sure the language guess was (0..1), when clipper guessed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_probability: Option<f32>,
    /// The speakers told apart, when diarization ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<Speaker>,
    /// Loudness per 20 ms frame, dBFS (from the engine's first pass; not
    /// written to transcript.json).
    #[serde(skip)]
    pub loudness_db: Vec<f32>,
}

impl Transcript {
    /// A transcript of one segment made of `words`, `duration` seconds
    /// long, all of it speech (a clip's subtitles, a test's text).
    pub fn from_words(words: Vec<Word>, duration: f64, model: &str) -> Transcript {
        Transcript {
            segments: Segment::from_words(words, 0.0, 0.0).into_iter().collect(),
            audio_duration: duration,
            speech_duration: duration,
            model: model.to_string(),
            settings: serde_json::Value::Null,
            skipped: Vec::new(),
            pauses: Vec::new(),
            timings: Timings::default(),
            warnings: Vec::new(),
            language: None,
            language_probability: None,
            speakers: Vec::new(),
            loudness_db: Vec::new(),
        }
    }

    /// All segment texts joined with single spaces.
    pub fn text(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.text.as_str())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Every word of every segment, in order.
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        self.segments.iter().flat_map(|s| s.words.iter())
    }
}
