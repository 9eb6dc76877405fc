//! Highlight clips: whole thoughts cut in real pauses, never filler, with an
//! explainable score and a diverse selection.
//!
//! [`candidates`] splits the transcript into sentences and cut points,
//! [`content`] marks what is not content (ads, menus, intros, outros),
//! [`topics`] finds where topics change, [`candidates::windows`] builds the
//! windows a clip may be, [`score`] rates each with named features whose
//! contributions add up to the score, and [`select`] keeps the best
//! non-overlapping, spread-out, distinct ones. [`eval`] measures the result
//! against labels.

pub mod candidates;
pub mod content;
pub mod eval;
pub mod score;
pub mod select;
pub mod topics;

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
    /// Why it is worth posting, in one plain sentence for the client.
    #[serde(default)]
    pub summary: String,
    /// Keywords (content words the clip repeats), for hashtags and titles.
    pub keywords: Vec<String>,
    /// Who says most of the clip: the name given in `[speakers]`, else the
    /// speaker's id (`S2`); absent when speakers were not told apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Content words of the clip Whisper was unsure of (probability under
    /// [`UNSURE_BELOW`]; no stopword, common word or word under three
    /// letters), lower case, each once: the drafts make no hashtag, key
    /// phrase or topic from them, as a misheard word ("tender churro" for
    /// "tender churl") must not become `#TenderChurro`, and the review
    /// sheet lists them for the VA to check.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsure: Vec<String>,
}

/// The word probability under which a word counts as unsure. On the
/// 10-minute English bench file, 12 % of the words were under 0.6; of the
/// content words between 0.5 and 0.6, half were misheard (`churro`,
/// `clopes`, `self-thypho`) and half right (`cruel`, `writer`, `queen`).
/// A right word lost to the hashtags costs little; a wrong one is posted.
pub const UNSURE_BELOW: f32 = 0.6;

impl Clip {
    /// Duration in seconds.
    pub fn duration(&self) -> f64 {
        self.end - self.start
    }

    /// The clip's plain reason for the client: [`Clip::summary`], or made
    /// now for a clip from an older `highlights.json` that has none.
    pub fn plain_reason(&self) -> String {
        if self.summary.is_empty() {
            summary(self)
        } else {
            self.summary.clone()
        }
    }

    /// This clip in the words of another transcript of the same audio (its
    /// English translation): the sentences of `other` whose middle falls
    /// inside the clip's cut, and their keywords by `rules`. The cut, score,
    /// id and reason stay the clip's own; a clip `other` has no sentence for
    /// keeps its own words.
    pub fn retold(
        &self,
        other: &crate::transcript::Transcript,
        rules: &crate::lang::TextRules,
    ) -> Clip {
        let sentences: Vec<String> = candidates::sentences(other, &[])
            .into_iter()
            .filter(|s| (self.start..=self.end).contains(&((s.start + s.end) / 2.0)))
            .map(|s| s.text)
            .filter(|text| !text.is_empty())
            .collect();
        if sentences.is_empty() {
            return self.clone();
        }
        let text = sentences.join(" ");
        Clip {
            keywords: score::keywords_in(&text, 5, rules),
            unsure: unsure_words(other, self.start, self.end, rules),
            text,
            sentences,
            ..self.clone()
        }
    }

    /// The id of a clip: its start in tenths of a second, then a short hash
    /// of its cut-in, cut-out and words (`clip-000123-4f1c2a`). A clip cut
    /// differently or saying other words is another clip, so a decision made
    /// on one never lands on the other: it stays with its own id (orphaned,
    /// kept) and the new cut waits for its own.
    pub fn id_for(start: f64, end: f64, text: &str) -> String {
        let what = format!("{start:.2}|{end:.2}|{text}");
        let hash = blake3::hash(what.as_bytes()).to_hex();
        format!("clip-{:06}-{}", (start * 10.0).round() as u64, &hash[..6])
    }
}

/// What the clip finder found: the clips, what it kept out, and why there
/// are fewer clips than asked, if there are.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    /// The clips, best first.
    pub clips: Vec<Clip>,
    /// Stretches kept out of every clip (ads, menus, intro, outro…).
    pub excluded: Vec<content::Excluded>,
    /// Why fewer clips than asked were found, in words.
    pub shortfall: Option<String>,
}

/// Finds the highlight clips of a transcript.
///
/// `loudness_db` is the episode's loudness per 20 ms frame (the engine's
/// first pass); `count` overrides the default number of clips; `rules` are
/// the episode language's text rules.
pub fn find(
    t: &crate::transcript::Transcript,
    loudness_db: Vec<f32>,
    chapters: &[Chapter],
    buckets: &[Bucket],
    count: Option<usize>,
    rules: &crate::lang::TextRules,
) -> Found {
    let sents = candidates::sentences(t, &loudness_db);
    let marks = content::mark(&sents, rules);
    let filler: Vec<bool> = marks.iter().map(Option::is_some).collect();
    let topic = topics::segment(&sents, &t.skipped, rules);
    let bounds = candidates::Bounds {
        filler: &filler,
        topic: &topic,
        rules,
    };
    let windows = candidates::windows(t, &sents, buckets, chapters, &bounds);
    let stats = episode_stats(t, loudness_db, &sents);
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
    let clips: Vec<Clip> = select::select(&flat, n, t.audio_duration)
        .into_iter()
        .enumerate()
        .map(|(rank, i)| {
            let (w, contributions) = &scored[i];
            let sentences = text_of(w);
            let text = sentences.join(" ");
            let mut clip = Clip {
                id: Clip::id_for(w.start, w.end, &text),
                rank: rank + 1,
                start: w.start,
                end: w.end,
                keywords: score::keywords_in(&text, 5, rules),
                text,
                sentences,
                bucket: buckets[w.bucket].name.clone(),
                score: flat[i].score,
                contributions: contributions.clone(),
                chapter: w.chapter.map(|c| chapters[c].title.clone()),
                summary: String::new(),
                speaker: main_speaker(t, w.start, w.end),
                unsure: unsure_words(t, w.start, w.end, rules),
            };
            clip.summary = summary(&clip);
            clip
        })
        .collect();
    let excluded = content::excluded(&sents, &marks);
    let shortfall =
        (clips.len() < n).then(|| shortfall(n, clips.len(), flat.len(), &excluded, buckets));
    Found {
        clips,
        excluded,
        shortfall,
    }
}

/// The episode-wide figures the scorer compares against, with the
/// transcript's speakers.
fn episode_stats(
    t: &crate::transcript::Transcript,
    loudness_db: Vec<f32>,
    sents: &[candidates::Sentence],
) -> score::EpisodeStats {
    let mut stats = score::EpisodeStats::new(loudness_db, sents);
    stats.speakers = t
        .speakers
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    stats
}

/// The content words between `start` and `end` Whisper was unsure of
/// (see [`Clip::unsure`]), lower case without punctuation, each once, in
/// order; `rules` say which words are common.
pub fn unsure_words(
    t: &crate::transcript::Transcript,
    start: f64,
    end: f64,
    rules: &crate::lang::TextRules,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in t.words() {
        if w.start < start || w.end > end || w.probability >= UNSURE_BELOW {
            continue;
        }
        let core = unsure_key(&w.word);
        let content = core.chars().count() >= 3
            && !rules.stopwords.contains(&core.as_str())
            && !rules.common_words.contains(&core.as_str());
        if content && !out.contains(&core) {
            out.push(core);
        }
    }
    out
}

/// A word as [`Clip::unsure`] holds it: without the punctuation around
/// it, lower case, with a typographic apostrophe made plain. Whatever
/// checks a text against the unsure words compares this form.
pub fn unsure_key(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .replace('’', "'")
}

/// The speaker of most of the words between `start` and `end` (by word
/// time), by name when `[speakers]` gave one.
pub fn main_speaker(t: &crate::transcript::Transcript, start: f64, end: f64) -> Option<String> {
    let words: Vec<_> = t
        .words()
        .filter(|w| w.start >= start && w.end <= end)
        .collect();
    let id = candidates::main_speaker(&words)?;
    let named = t
        .speakers
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.name.clone());
    Some(named.unwrap_or(id))
}

/// Why only `got` of `asked` clips were found, for the VA.
fn shortfall(
    asked: usize,
    got: usize,
    windows: usize,
    excluded: &[content::Excluded],
    buckets: &[Bucket],
) -> String {
    let lo = buckets
        .iter()
        .map(|b| b.min_s)
        .fold(f64::INFINITY, f64::min);
    let hi = buckets.iter().map(|b| b.max_s).fold(0.0, f64::max);
    let left_out: f64 = excluded.iter().map(|e| e.end - e.start).sum();
    let filler = if excluded.is_empty() {
        String::new()
    } else {
        let mut kinds: Vec<&str> = Vec::new();
        for e in excluded {
            if !kinds.contains(&e.kind.label()) {
                kinds.push(e.kind.label());
            }
        }
        format!(
            "; {} of filler was left out ({})",
            crate::util::time::duration(left_out),
            kinds.join(", ")
        )
    };
    let why = if windows == 0 {
        format!("no stretch of whole sentences between real pauses lasts {lo:.0}–{hi:.0} s")
    } else {
        let (thoughts, fit) = if got == 1 {
            ("whole thought", "fits")
        } else {
            ("whole thoughts", "fit")
        };
        format!("only {got} non-overlapping {thoughts} of {lo:.0}–{hi:.0} s {fit}")
    };
    format!("{got} of {asked} clips: {why}{filler}")
}

/// The clip's case in one plain sentence for the client: what makes it
/// worth posting, from its strongest features, and its length.
pub fn summary(clip: &Clip) -> String {
    let mut parts: Vec<&Contribution> = clip
        .contributions
        .iter()
        .filter(|c| c.points > 0.25)
        .collect();
    parts.sort_by(|a, b| b.points.total_cmp(&a.points));
    let phrases: Vec<&str> = parts
        .iter()
        .filter_map(|c| c.feature.plain())
        .take(3)
        .collect();
    let secs = clip.duration().round();
    match phrases.as_slice() {
        [] => format!("A {secs:.0}-second moment."),
        [one] => format!("{}; {secs:.0} s.", capitalise(one)),
        [init @ .., last] => format!("{} and {last}; {secs:.0} s.", capitalise(&init.join(", "))),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

impl Feature {
    /// What the feature says about a clip in a client's words, for
    /// [`summary`]; None for penalties and for what a client need not read.
    pub fn plain(self) -> Option<&'static str> {
        Some(match self {
            Feature::Hook => "grabs attention in its first line",
            Feature::QuestionAnswer => "asks a question and answers it",
            Feature::Quotable => "has a quotable line",
            Feature::Claims => "makes a strong claim",
            Feature::Cohesion => "stays on one subject",
            Feature::Numbers => "gives concrete numbers",
            Feature::Story => "tells a story",
            Feature::Emotion => "carries emotion",
            Feature::Energy => "is delivered with energy",
            Feature::Dynamics => "has an expressive delivery",
            Feature::Pace => "moves at a brisk pace",
            Feature::List => "walks through a list",
            Feature::LengthFit => "has a good length for short video",
            Feature::Speakers => "keeps to one speaker's answer or a whole exchange",
            Feature::SelfContainedStart | Feature::OpenEnding | Feature::Confidence => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Transcript, Word};

    /// Words half a second apart from 0 s, each with its probability.
    fn heard(words: &[(&str, f32)]) -> Transcript {
        let words = words
            .iter()
            .enumerate()
            .map(|(i, (w, p))| Word {
                speaker: None,
                start: i as f64 * 0.5,
                end: i as f64 * 0.5 + 0.4,
                word: format!(" {w}"),
                probability: *p,
            })
            .collect();
        Transcript::from_words(words, 10.0, "model.bin")
    }

    #[test]
    fn unsure_words_are_the_clips_own_low_probability_words_once_each() {
        let t = heard(&[
            ("Tender", 0.99),
            ("churro,", 0.53),
            ("makes", 0.9),
            ("Churro", 0.41),
            ("the", 0.3),
            ("waste.", 0.59),
            ("Gaudy", 0.2),
        ]);
        let rules = crate::lang::rules("en");
        // the last word lies outside the span asked for; "the" is common
        assert_eq!(unsure_words(&t, 0.0, 2.95, rules), ["churro", "waste"]);
        assert!(unsure_words(&t, 0.0, 0.45, rules).is_empty());
    }
}
