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
    /// The speaker's voice: the unit-length mean of their 256-dimensional
    /// encoder embeddings, kept so a name given later can be saved as a
    /// voice print; empty for tracks and for transcripts from before voice
    /// prints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voice: Vec<f32>,
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
    /// Guessing the episode's language (0 when it was given or the model
    /// is English-only); part of `transcribe`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub language: f64,
    /// Second pass: decode again and transcribe the chunks.
    pub transcribe: f64,
    /// The English translation's decode (`--translate`), when it ran; part
    /// of `total`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub translate: f64,
    /// Telling speakers apart (a pass of its own over the audio), when it ran.
    #[serde(default)]
    pub diarize: f64,
    /// Everything, end to end.
    pub total: f64,
    /// Every chunk's trip through the workers, in chunk order: which worker
    /// decoded it and when, so a run shows whether its workers overlapped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chunks: Vec<ChunkTiming>,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

/// True for a bare speaker id (`S1`, `S12`), which is not a name to show
/// a client or attribute a quote to.
pub fn is_speaker_id(s: &str) -> bool {
    s.strip_prefix('S')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// When one chunk was decoded, and by which worker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChunkTiming {
    /// The chunk's audio, seconds from the start of the episode.
    pub audio: [f64; 2],
    /// The worker that decoded it (0-based).
    pub worker: usize,
    /// When its decoding began and ended, seconds from the start of the
    /// transcription stage.
    pub wall: [f64; 2],
    /// Decoding attempts: 1, or more when the first result looked like a
    /// hallucination or a loop and was retried at a higher temperature.
    pub attempts: usize,
    /// The CPU threads whisper.cpp used for it: `--threads`, or fewer when
    /// other programs held the cores as it started.
    #[serde(default)]
    pub threads: usize,
}

impl Timings {
    /// True when at least two chunks were being decoded at the same
    /// instant by different workers: the run really was parallel.
    pub fn workers_overlapped(&self) -> bool {
        self.chunks.iter().enumerate().any(|(i, a)| {
            self.chunks[i + 1..]
                .iter()
                .any(|b| a.worker != b.worker && a.wall[0] < b.wall[1] && b.wall[0] < a.wall[1])
        })
    }
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
    /// Whisper's English translation of a transcript in another language
    /// (`--translate`): the same chunks decoded again with the translate
    /// task. Written beside it as `transcript.en.json/.srt/.vtt/.txt`, not
    /// into transcript.json.
    #[serde(skip)]
    pub english: Option<Box<Transcript>>,
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
            english: None,
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

#[cfg(test)]
mod timing_tests {
    use super::*;

    fn chunk(worker: usize, from: f64, to: f64) -> ChunkTiming {
        ChunkTiming {
            audio: [0.0, 1.0],
            worker,
            wall: [from, to],
            attempts: 1,
            threads: 1,
        }
    }

    #[test]
    fn overlap_needs_two_workers_busy_at_once() {
        let mut t = Timings {
            chunks: vec![chunk(0, 0.0, 1.0), chunk(1, 1.0, 2.0), chunk(0, 2.0, 3.0)],
            ..Timings::default()
        };
        assert!(!t.workers_overlapped(), "back to back is not overlap");
        t.chunks.push(chunk(1, 2.5, 4.0));
        assert!(t.workers_overlapped());
        // one worker's own chunks never count, whatever their times say
        t.chunks = vec![chunk(0, 0.0, 2.0), chunk(0, 1.0, 3.0)];
        assert!(!t.workers_overlapped());
    }
}
