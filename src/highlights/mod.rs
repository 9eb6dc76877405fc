//! Highlight clips: candidate windows of whole sentences cut in pauses, an
//! explainable score, and a diverse selection.
//!
//! [`candidates`] builds windows from the transcript's sentences, [`score`]
//! rates each with named features whose contributions add up to the score,
//! and [`select`] keeps the best non-overlapping, spread-out, distinct ones.

pub mod candidates;
pub mod score;
pub mod select;

use serde::{Deserialize, Serialize};

pub use crate::domain::{Bucket, Chapter};
pub use score::Feature;

/// One feature's part in a clip's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The feature; in JSON its name, e.g. `hook`.
    pub feature: Feature,
    /// The measured value, usually 0..1 (negative for penalties).
    pub value: f64,
    /// The feature's weight ([`Feature::weight`]).
    pub weight: f64,
    /// `value × weight`; the contributions add up to the clip's score.
    pub points: f64,
    /// Why, in words a VA can read (e.g. `opens with "Here's the thing"`).
    pub reason: String,
}

/// A highlight clip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clip {
    /// Stable id, derived from the start time (`clip-000123` = 12.3 s).
    pub id: String,
    /// 1 = best.
    pub rank: usize,
    /// Cut-in time, seconds (inside a pause, a little before the first word).
    pub start: f64,
    /// Cut-out time, seconds (inside a pause, a little after the last word).
    pub end: f64,
    /// The clip's words, whole sentences.
    pub text: String,
    /// The sentences, in order.
    pub sentences: Vec<String>,
    /// The length bucket it was made for.
    pub bucket: String,
    /// Sum of the contributions.
    pub score: f64,
    /// Each feature's contribution.
    pub contributions: Vec<Contribution>,
    /// The chapter it falls in, when the file has chapters.
    pub chapter: Option<String>,
    /// Keywords (content words the clip repeats), for hashtags and titles.
    pub keywords: Vec<String>,
}

impl Clip {
    /// Duration in seconds.
    pub fn duration(&self) -> f64 {
        self.end - self.start
    }

    /// The id for a clip starting at `start` seconds.
    pub fn id_for(start: f64) -> String {
        format!("clip-{:06}", (start * 10.0).round() as u64)
    }
}

/// Finds the highlight clips of a transcript.
///
/// `loudness_db` is the episode's loudness per 20 ms frame (the engine's
/// first pass); `count` overrides the default number of clips.
pub fn find(
    t: &crate::transcript::Transcript,
    loudness_db: Vec<f32>,
    chapters: &[Chapter],
    buckets: &[Bucket],
    count: Option<usize>,
) -> Vec<Clip> {
    let sents = candidates::sentences(t);
    let windows = candidates::windows(t, &sents, buckets, chapters);
    let stats = score::EpisodeStats::new(loudness_db, &sents);
    let scored: Vec<(candidates::Window, Vec<Contribution>)> = windows
        .into_iter()
        .map(|w| {
            let c = score::score_window(&w, &sents, &stats, &buckets[w.bucket]);
            (w, c)
        })
        .collect();
    let text_of = |w: &candidates::Window| -> Vec<String> {
        sents[w.first..=w.last]
            .iter()
            .map(|s| s.text.clone())
            .collect()
    };
    let flat: Vec<select::Scored> = scored
        .iter()
        .map(|(w, c)| select::Scored {
            start: w.start,
            end: w.end,
            score: c.iter().map(|x| x.points).sum(),
            text: text_of(w).join(" "),
        })
        .collect();
    let n = count.unwrap_or_else(|| select::default_count(t.audio_duration));
    select::select(&flat, n, t.audio_duration)
        .into_iter()
        .enumerate()
        .map(|(rank, i)| {
            let (w, contributions) = &scored[i];
            let sentences = text_of(w);
            let text = sentences.join(" ");
            Clip {
                id: Clip::id_for(w.start),
                rank: rank + 1,
                start: w.start,
                end: w.end,
                keywords: score::keywords(&text, 5),
                text,
                sentences,
                bucket: buckets[w.bucket].name.clone(),
                score: flat[i].score,
                contributions: contributions.clone(),
                chapter: w.chapter.map(|c| chapters[c].title.clone()),
            }
        })
        .collect()
}
