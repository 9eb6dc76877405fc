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

pub use score::Feature;

/// A length bucket clips are made in, e.g. 15-30 s for X and Shorts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Name shown to users, e.g. `15-30s`.
    pub name: String,
    /// Shortest clip, seconds.
    pub min_s: f64,
    /// Longest clip, seconds.
    pub max_s: f64,
}

impl Bucket {
    /// A bucket named after its bounds.
    pub fn new(min_s: f64, max_s: f64) -> Bucket {
        Bucket {
            name: format!("{}-{}s", min_s.round(), max_s.round()),
            min_s,
            max_s,
        }
    }

    /// The default buckets: 15-30 s, 30-60 s, 60-90 s.
    pub fn defaults() -> Vec<Bucket> {
        vec![
            Bucket::new(15.0, 30.0),
            Bucket::new(30.0, 60.0),
            Bucket::new(60.0, 90.0),
        ]
    }
}

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
    /// A short title for the clip (filled by [`crate::drafts`]).
    #[serde(default)]
    pub title: String,
    /// Caption drafts per platform (filled by [`crate::drafts`]).
    #[serde(default)]
    pub drafts: Vec<crate::drafts::Draft>,
    /// Media files, relative to the output folder (`clips/<id>.wav`, ...).
    #[serde(default)]
    pub media: Vec<String>,
}

/// `highlights.json`: the ranked clips of one episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Highlights {
    /// The episode's file name.
    pub episode: String,
    /// Show name from clipper.toml, if set.
    #[serde(default)]
    pub show_name: String,
    /// Episode duration, seconds.
    pub duration: f64,
    /// Chapters from the file's tags.
    #[serde(default)]
    pub chapters: Vec<Chapter>,
    /// The clips, best first.
    pub clips: Vec<Clip>,
    /// Feature weights used, for the record.
    #[serde(default)]
    pub weights: Vec<(String, f64)>,
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

/// A chapter of the episode (from ID3 CHAP frames).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    /// Title.
    pub title: String,
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
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
                title: String::new(),
                drafts: Vec::new(),
                media: Vec::new(),
            }
        })
        .collect()
}
