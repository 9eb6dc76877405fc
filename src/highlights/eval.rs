//! Measuring the clips against labels: what a social editor would check.
//!
//! A labels file (`samples/dev/*.labels.json`) marks an episode's filler
//! (ads, phone menus, intro, outro), its topic boundaries and the moments
//! worth a clip. [`evaluate`] compares an episode's clips with them: filler
//! in the top clips, clips that cross a boundary, the pauses at the cuts,
//! starts that lean on an unnamed person, clip lengths, and how many of the
//! good moments were found. `clipper eval highlights LABELS.json` prints it.

use serde::{Deserialize, Serialize};

use super::candidates::dangling_start;
use super::Clip;
use crate::transcript::{Transcript, Word};

/// A labelled span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// What it is (`ad`, `phone menu`, `intro`…) or what it says.
    #[serde(alias = "kind", alias = "label")]
    pub what: String,
}

/// The labels of one episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    /// The episode file, relative to the labels file.
    pub episode: String,
    /// Filler no clip should hold.
    #[serde(default)]
    pub filler: Vec<Span>,
    /// Times between topics, which no clip should cross.
    #[serde(default)]
    pub boundaries: Vec<f64>,
    /// Moments a social editor would pick.
    #[serde(default)]
    pub good: Vec<Span>,
}

/// How the clips measure up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Clips looked at.
    pub clips: usize,
    /// How many of the top clips were checked for filler.
    pub top_k: usize,
    /// Ids of top-k clips holding more than a second of labelled filler.
    pub filler_in_top: Vec<String>,
    /// Ids of clips that cross a labelled boundary.
    pub crossing: Vec<String>,
    /// The shortest pause (gap between words) at any cut inside the
    /// episode, seconds; None when every cut is at the episode's own edges.
    pub min_edge_pause: Option<f64>,
    /// Ids of clips with a cut in a pause shorter than 0.3 s.
    pub short_edge_pauses: Vec<String>,
    /// Ids of clips opening with "he/she/they…" whose person is not named.
    pub dangling_starts: Vec<String>,
    /// Median clip length, seconds.
    pub median_length: f64,
    /// Labelled good moments found (a clip covers half of it, or it covers
    /// half the clip).
    pub good_found: Vec<String>,
    /// Labelled good moments missed.
    pub good_missed: Vec<String>,
}

/// The shortest gap between words a cut may sit in, seconds.
pub const MIN_EDGE_PAUSE_S: f64 = 0.3;

fn overlap(a0: f64, a1: f64, b0: f64, b1: f64) -> f64 {
    (a1.min(b1) - a0.max(b0)).max(0.0)
}

/// The gaps between words around a clip's cut-in and cut-out, seconds
/// (the episode's start and end count as long gaps).
pub fn edge_pauses(words: &[&Word], clip: &Clip) -> (f64, f64) {
    let before = words.iter().rev().find(|w| w.end <= clip.start + 1e-6);
    let first = words.iter().find(|w| w.start >= clip.start - 1e-6);
    let last = words.iter().rev().find(|w| w.end <= clip.end + 1e-6);
    let after = words.iter().find(|w| w.start >= clip.end - 1e-6);
    let gap = |a: Option<&&Word>, b: Option<&&Word>| match (a, b) {
        (Some(a), Some(b)) => b.start - a.end,
        _ => f64::INFINITY,
    };
    (gap(before, first), gap(last, after))
}

/// Compares `clips` (best first) of an episode with its labels.
pub fn evaluate(t: &Transcript, clips: &[&Clip], labels: &Labels, top_k: usize) -> Report {
    let words: Vec<&Word> = t.words().collect();
    let ids = |f: &dyn Fn(&Clip) -> bool| -> Vec<String> {
        clips
            .iter()
            .filter(|c| f(c))
            .map(|c| c.id.clone())
            .collect()
    };
    let filler_in = |c: &Clip| {
        labels
            .filler
            .iter()
            .any(|f| overlap(c.start, c.end, f.start, f.end) > 1.0)
    };
    let filler_in_top = clips
        .iter()
        .take(top_k)
        .filter(|c| filler_in(c))
        .map(|c| c.id.clone())
        .collect();
    let crossing = ids(&|c| labels.boundaries.iter().any(|&b| c.start < b && b < c.end));
    let pauses: Vec<(f64, f64)> = clips.iter().map(|c| edge_pauses(&words, c)).collect();
    let min_edge_pause = pauses
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .fold(f64::INFINITY, f64::min);
    let short_edge_pauses = clips
        .iter()
        .zip(&pauses)
        .filter(|(_, (a, b))| a.min(*b) < MIN_EDGE_PAUSE_S)
        .map(|(c, _)| c.id.clone())
        .collect();
    let mut lengths: Vec<f64> = clips.iter().map(|c| c.duration()).collect();
    lengths.sort_by(f64::total_cmp);
    let median_length = match lengths.len() {
        0 => 0.0,
        n if n % 2 == 1 => lengths[n / 2],
        n => (lengths[n / 2 - 1] + lengths[n / 2]) / 2.0,
    };
    let found = |g: &Span| {
        clips.iter().any(|c| {
            let o = overlap(c.start, c.end, g.start, g.end);
            o >= 0.5 * (g.end - g.start) || o >= 0.5 * c.duration()
        })
    };
    let (good_found, good_missed): (Vec<&Span>, Vec<&Span>) =
        labels.good.iter().partition(|g| found(g));
    Report {
        clips: clips.len(),
        top_k,
        filler_in_top,
        crossing,
        min_edge_pause: min_edge_pause.is_finite().then_some(min_edge_pause),
        short_edge_pauses,
        dangling_starts: ids(&|c| {
            dangling_start(&c.text, crate::lang::rules("en").person_pronouns)
        }),
        median_length,
        good_found: good_found.into_iter().map(|g| g.what.clone()).collect(),
        good_missed: good_missed.into_iter().map(|g| g.what.clone()).collect(),
    }
}
