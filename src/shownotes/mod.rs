//! Show notes for the whole episode (`shownotes.md`, `shownotes.json`,
//! `chapters.json`): clips sell single moments, but a podcast page and a
//! YouTube description need the episode itself in a few lines, its chapters
//! and the lines worth quoting. Everything here is taken from the
//! transcript (extractive, never written anew) and the file's own chapters.
//!
//! [`summary`] picks the two or three most representative sentences,
//! [`chapters`] makes YouTube-ready chapters from the ID3 chapters or from
//! topic changes, [`quotes`] finds the most quotable lines, and [`render`]
//! writes the Markdown and the Podcasting 2.0 JSON chapters.

pub mod chapters;
pub mod quotes;
pub mod render;
pub mod summary;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::domain::Chapter;
use crate::highlights::candidates::{self, Sentence};
use crate::highlights::content::{self, Filler};
use crate::highlights::{score, topics};
use crate::lang::TextRules;
use crate::transcript::{SkippedSpan, Transcript};
use crate::util::time;

/// Keywords listed for the episode.
pub const KEYWORDS: usize = 8;

/// A sentence of the transcript with its place in the episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// First word's start, seconds.
    pub start: f64,
    /// Last word's end, seconds.
    pub end: f64,
    /// `start` as `MM:SS` (or `H:MM:SS`).
    pub time: String,
    /// The sentence as transcribed.
    pub text: String,
    /// Who says it, when `[speakers]` (or a voice print) named the speaker;
    /// a bare id (`S2`) is never given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

impl Line {
    fn of(s: &Sentence, t: &Transcript) -> Line {
        Line {
            start: s.start,
            end: s.end,
            time: time::clock(s.start),
            text: s.text.trim().to_string(),
            speaker: speaker_name(t, s.speaker.as_deref()),
        }
    }
}

/// The name of speaker `id` in `t`, when it has one that is not a bare id.
fn speaker_name(t: &Transcript, id: Option<&str>) -> Option<String> {
    let id = id?;
    let name = t.speakers.iter().find(|s| s.id == id)?.name.clone()?;
    (!crate::transcript::is_speaker_id(&name)).then_some(name)
}

/// Where the chapters came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChapterSource {
    /// The file's ID3 chapters, titles as given.
    Id3,
    /// Topic changes in the transcript, titled by their keywords.
    Topics,
}

/// A chapter of the show notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteChapter {
    /// Start, seconds (the first is 0).
    pub start: f64,
    /// End, seconds (the next chapter's start, or the episode's end).
    pub end: f64,
    /// `start` as `MM:SS` (or `H:MM:SS`), as YouTube reads chapters.
    pub time: String,
    /// Title.
    pub title: String,
}

/// `shownotes.json`: the show notes of one episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShowNotes {
    /// The episode's file name.
    pub episode: String,
    /// Episode duration, seconds.
    pub duration: f64,
    /// The summary: its sentences joined.
    pub summary: String,
    /// The summary's sentences, in episode order.
    pub summary_sentences: Vec<Line>,
    /// Where the chapters came from.
    pub chapters_from: ChapterSource,
    /// Chapters, ascending, first at 0, each at least
    /// [`chapters::MIN_CHAPTER_S`] long.
    pub chapters: Vec<NoteChapter>,
    /// Key quotes, in episode order.
    pub quotes: Vec<Line>,
    /// The episode's keywords, most used first.
    pub keywords: Vec<String>,
}

/// The transcript's sentences with what the show notes judge them by.
pub struct Analysis<'a> {
    /// The sentences.
    pub sents: Vec<Sentence>,
    /// The filler kind of each sentence (None for content).
    pub filler: Vec<Option<Filler>>,
    /// The content words of each sentence.
    pub words: Vec<HashSet<String>>,
    /// The topic of each sentence ([`crate::highlights::topics::segment`]).
    pub topic: Vec<usize>,
    /// The content words of each sentence the transcription was unsure of
    /// ([`crate::highlights::unsure_words`]); empty for sentences made
    /// without a transcript.
    pub unsure: Vec<Vec<String>>,
    /// The language's word lists.
    pub rules: &'a TextRules,
    /// Whether the transcript marks its sentence ends (most sentences end
    /// on a full stop, question or exclamation mark); Thai, or speech
    /// Whisper left unpunctuated, does not.
    pub punctuated: bool,
}

impl<'a> Analysis<'a> {
    /// Splits `t` into sentences and marks filler and content words.
    pub fn new(t: &Transcript, rules: &'a TextRules) -> Analysis<'a> {
        let sents = candidates::sentences(t, &[]);
        let unsure = sents
            .iter()
            .map(|s| crate::highlights::unsure_words(t, s.start, s.end, rules))
            .collect();
        Analysis {
            unsure,
            ..Analysis::of_sentences(sents, &t.skipped, rules)
        }
    }

    /// The analysis of ready-made sentences; `skipped` are the stretches
    /// the engine left out (a topic boundary).
    pub fn of_sentences(
        sents: Vec<Sentence>,
        skipped: &[SkippedSpan],
        rules: &'a TextRules,
    ) -> Analysis<'a> {
        let topic = topics::segment(&sents, skipped, rules);
        let filler = content::mark(&sents, rules)
            .into_iter()
            .map(|m| m.map(|(k, _)| k))
            .collect();
        let words = sents
            .iter()
            .map(|s| score::content_words(&s.text).into_iter().collect())
            .collect();
        let ended = sents
            .iter()
            .filter(|s| crate::lang::words::ends_sentence(&s.text))
            .count();
        Analysis {
            unsure: vec![Vec::new(); sents.len()],
            punctuated: 2 * ended >= sents.len(),
            sents,
            filler,
            words,
            topic,
            rules,
        }
    }

    /// True when sentence `i` leans on the one before: it continues it
    /// ("and…", lower case) or opens on a back reference ("it", "that's",
    /// "she"), so it cannot stand alone.
    pub fn leans_on_before(&self, i: usize) -> bool {
        let first = score::words(&self.sents[i].text)
            .into_iter()
            .next()
            .unwrap_or_default();
        let stem = first.split('\'').next().unwrap_or("");
        self.sents[i].continues(self.rules) || self.rules.back_references.contains(&stem)
    }

    /// True when sentence `i`, of four words or more, is said again word
    /// for word right before or after it: the mark of a decoder caught in
    /// a loop (the demo's mission radio came out as "I'm going to recreate
    /// the house with the house." twice), not a line to quote or sum up.
    /// The words around it are read across sentence bounds, since a copy
    /// may be cut in pieces where the speaker labels flicker.
    pub fn said_twice(&self, i: usize) -> bool {
        let this = score::words(&self.sents[i].text);
        let n = this.len();
        if n < 4 {
            return false;
        }
        let mut before: Vec<String> = Vec::new();
        for j in (0..i).rev() {
            let mut w = score::words(&self.sents[j].text);
            w.append(&mut before);
            before = w;
            if before.len() >= n {
                break;
            }
        }
        let mut after: Vec<String> = Vec::new();
        for s in &self.sents[i + 1..] {
            after.extend(score::words(&s.text));
            if after.len() >= n {
                break;
            }
        }
        before.ends_with(&this) || after.starts_with(&this)
    }

    /// True when sentence `i` is content: not filler.
    pub fn is_content(&self, i: usize) -> bool {
        self.filler[i].is_none()
    }
}

/// Overlap of two word sets, 0..1 (shared words over the geometric mean of
/// the sizes).
pub fn similarity(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(b).count() as f64 / ((a.len() * b.len()) as f64).sqrt()
}

/// The show notes of an episode: `chapters` are the file's ID3 chapters
/// (may be empty), `rules` the language's word lists.
pub fn build(t: &Transcript, chapters: &[Chapter], episode: &str, rules: &TextRules) -> ShowNotes {
    let a = Analysis::new(t, rules);
    let duration = t.audio_duration.max(a.sents.last().map_or(0.0, |s| s.end));
    let summary_sentences: Vec<Line> = summary::pick(&a)
        .into_iter()
        .map(|i| Line::of(&a.sents[i], t))
        .collect();
    let (chapters_from, chapters) = match chapters::from_id3(chapters, duration) {
        Some(c) => (ChapterSource::Id3, c),
        None => (ChapterSource::Topics, chapters::from_topics(&a, duration)),
    };
    let quotes = quotes::pick(&a, duration)
        .into_iter()
        .map(|i| Line::of(&a.sents[i], t))
        .collect();
    let content: Vec<&str> = (0..a.sents.len())
        .filter(|&i| a.is_content(i))
        .map(|i| a.sents[i].text.as_str())
        .collect();
    ShowNotes {
        episode: episode.to_string(),
        duration,
        summary: summary_sentences
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        summary_sentences,
        chapters_from,
        chapters,
        quotes,
        keywords: score::keywords_in(&content.join(" "), KEYWORDS, rules),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// Sentences of `lines`, 3 s apart plus each line's extra gap.
    pub fn sents(lines: &[(&str, f64)]) -> Vec<Sentence> {
        let mut t = 0.0;
        lines
            .iter()
            .map(|(text, gap)| {
                t += gap;
                let s = Sentence {
                    start: t,
                    end: t + 2.5,
                    text: text.to_string(),
                    confidence: 0.9,
                    words: text.split_whitespace().count(),
                    cut_in: None,
                    cut_out: None,
                    speaker: None,
                };
                t += 3.0;
                s
            })
            .collect()
    }
}
