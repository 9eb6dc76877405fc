//! Explainable scoring: named features, one weight table, contributions that
//! add up to the score.
//!
//! Every feature gives a value (0..1, or -1..0 for penalties) with a reason
//! in words; its points are `value × weight`, and a clip's score is the sum
//! of its points, so a VA can see exactly why a clip ranked where it did.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::candidates::{Sentence, Window};
use super::Contribution;
use crate::lang::{self, TextRules};

/// A scoring feature. Its JSON form (in `highlights.json` and the review
/// sheet) is its [`Feature::name`], e.g. `self_contained_start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// The first sentence opens with a hook phrase or a question.
    Hook,
    /// Penalty: the clip opens leaning on what came before (`and`, `he`).
    SelfContainedStart,
    /// A question inside the clip is answered inside it.
    QuestionAnswer,
    /// A short line with a strong or emotional word.
    Quotable,
    /// Strong-claim words.
    Claims,
    /// Words shared inside the clip vs across its edges.
    Cohesion,
    /// Penalty: the clip ends on a question or setup.
    OpenEnding,
    /// Numbers and amounts.
    Numbers,
    /// Story cues.
    Story,
    /// Emotional words and `!`.
    Emotion,
    /// Loudness relative to the episode's speech.
    Energy,
    /// Loudness variation relative to the episode's.
    Dynamics,
    /// Speaking rate relative to the episode's median.
    Pace,
    /// Transcript confidence.
    Confidence,
    /// An enumeration (`first`, `second`, ...).
    List,
    /// A length short-form platforms reward (20–45 s).
    LengthFit,
    /// Who speaks: one speaker's answer or a whole exchange (a bonus), a
    /// start in the middle of another speaker's turn (a penalty).
    Speakers,
}

impl Feature {
    /// Every feature, in the order of the weight table recorded in
    /// `highlights.json`.
    pub const ALL: [Feature; 17] = [
        Feature::Hook,
        Feature::SelfContainedStart,
        Feature::QuestionAnswer,
        Feature::Quotable,
        Feature::Claims,
        Feature::Cohesion,
        Feature::OpenEnding,
        Feature::Numbers,
        Feature::Story,
        Feature::Emotion,
        Feature::Energy,
        Feature::Dynamics,
        Feature::Pace,
        Feature::Confidence,
        Feature::List,
        Feature::LengthFit,
        Feature::Speakers,
    ];

    /// The name shown to users and written to JSON, e.g. `hook`.
    pub fn name(self) -> &'static str {
        match self {
            Feature::Hook => "hook",
            Feature::SelfContainedStart => "self_contained_start",
            Feature::QuestionAnswer => "question_answer",
            Feature::Quotable => "quotable",
            Feature::Claims => "claims",
            Feature::Cohesion => "cohesion",
            Feature::OpenEnding => "open_ending",
            Feature::Numbers => "numbers",
            Feature::Story => "story",
            Feature::Emotion => "emotion",
            Feature::Energy => "energy",
            Feature::Dynamics => "dynamics",
            Feature::Pace => "pace",
            Feature::Confidence => "confidence",
            Feature::List => "list",
            Feature::LengthFit => "length_fit",
            Feature::Speakers => "speakers",
        }
    }

    /// The weights, in one place. Rationale:
    /// - `hook` and `self_contained_start` decide whether a viewer stays past
    ///   the first second, so they weigh most (peers weigh hooks highest too).
    /// - `question_answer`, `quotable`, `claims`, `cohesion` make a clip worth
    ///   sharing and whole; `open_ending` penalises a setup without its payoff.
    /// - `numbers`, `story`, `emotion`, `list` are classic engagement cues but
    ///   noisy as word lists, so they weigh less.
    /// - `energy`, `dynamics`, `pace` are the audio: a lively delivery relative
    ///   to the same episode; `confidence` keeps badly heard passages down.
    /// - `length_fit` prefers 20–45 s, what short-form platforms reward: a
    ///   55 s clip gets about 2 points less than a 30 s one, so a longer clip
    ///   wins only when the thought needs it and scores clearly higher.
    /// - `speakers` (when speakers were told apart) keeps a clip to one
    ///   person's answer or a whole question-and-answer, and pushes down a
    ///   clip that opens in the middle of one speaker's turn and ends with
    ///   another (the listener hears the end of a turn without its start).
    pub fn weight(self) -> f64 {
        match self {
            Feature::Hook => 8.0,
            Feature::SelfContainedStart => 6.0,
            Feature::QuestionAnswer => 5.0,
            Feature::Quotable => 4.0,
            Feature::Claims => 4.0,
            Feature::Cohesion => 4.0,
            Feature::OpenEnding => 4.0,
            Feature::Numbers => 3.0,
            Feature::Story => 3.0,
            Feature::Emotion => 3.0,
            Feature::Energy => 4.0,
            Feature::Dynamics => 2.0,
            Feature::Pace => 2.0,
            Feature::Confidence => 3.0,
            Feature::List => 2.0,
            Feature::LengthFit => 4.0,
            Feature::Speakers => 4.0,
        }
    }
}

impl std::fmt::Display for Feature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The weight table, every feature with its weight in [`Feature::ALL`]
/// order (recorded in `highlights.json`).
pub fn weights() -> impl Iterator<Item = (Feature, f64)> {
    Feature::ALL.into_iter().map(|f| (f, f.weight()))
}

/// Whether `text` ends on a word of [`TextRules::needs_context`] ("We
/// want to do that.", "Here is the opposite of that."): it points back at
/// what came before and cannot stand alone as a hook or a quote.
pub fn ends_pointing_back(text: &str, rules: &TextRules) -> bool {
    let last = words(text).pop().unwrap_or_default();
    rules.needs_context.contains(&last.as_str())
}

/// Lowercase words of a text, punctuation dropped (apostrophes kept).
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        // Japanese, Chinese, Thai: split at word bounds, not kept whole.
        .flat_map(|w| {
            if w.chars().any(lang::words::is_unspaced) {
                lang::words::split_words(w)
            } else {
                vec![w]
            }
        })
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

/// Topic-bearing words: at least four letters, not a stopword.
pub fn content_words(text: &str) -> Vec<String> {
    content_words_in(text, lang::rules("en"))
}

/// [`content_words`] with the stopwords of `rules`.
fn content_words_in(text: &str, rules: &TextRules) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
        .filter(|w| !rules.stopwords.contains(&w.as_str()))
        .collect()
}

/// The clip's keywords: its most repeated content words (ties by first use).
pub fn keywords(text: &str, n: usize) -> Vec<String> {
    keywords_in(text, n, lang::rules("en"))
}

/// [`keywords`] with the stopwords of `rules` (the episode's language).
pub fn keywords_in(text: &str, n: usize, rules: &TextRules) -> Vec<String> {
    let cw = content_words_in(text, rules);
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, w) in cw.iter().enumerate() {
        let e = counts.entry(w.as_str()).or_insert((0, i));
        e.0 += 1;
    }
    let mut v: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    v.into_iter().take(n).map(|(w, _)| w.to_string()).collect()
}

/// The phrases of `phrases` that occur in `text_lower` as whole words.
fn phrase_hits(text_lower: &str, phrases: &[&str]) -> Vec<String> {
    let padded = format!(" {} ", words(text_lower).join(" "));
    phrases
        .iter()
        .filter(|p| padded.contains(&format!(" {p} ")))
        .map(|p| p.to_string())
        .collect()
}

/// Episode-wide figures the audio features compare against.
#[derive(Debug, Clone)]
pub struct EpisodeStats {
    /// Loudness per 20 ms frame, dBFS.
    pub loudness_db: Vec<f32>,
    /// Mean loudness of speech frames.
    pub mean_db: f64,
    /// Standard deviation of speech-frame loudness.
    pub sd_db: f64,
    /// Median speaking rate, words per second, over sentences.
    pub median_rate: f64,
    /// Speakers told apart in the episode, by id, with their names from
    /// `[speakers]` when given (empty: speakers were not told apart).
    pub speakers: BTreeMap<String, Option<String>>,
}

impl EpisodeStats {
    /// Computes the figures from the loudness track and the sentences.
    pub fn new(loudness_db: Vec<f32>, sents: &[Sentence]) -> EpisodeStats {
        let speech: Vec<f64> = sents
            .iter()
            .flat_map(|s| frames(&loudness_db, s.start, s.end))
            .map(|d| d as f64)
            .collect();
        let (mean, sd) = mean_sd(&speech);
        let mut rates: Vec<f64> = sents
            .iter()
            .filter(|s| s.end - s.start > 0.5)
            .map(|s| s.words as f64 / (s.end - s.start))
            .collect();
        rates.sort_by(f64::total_cmp);
        let median_rate = rates.get(rates.len() / 2).copied().unwrap_or(2.5);
        EpisodeStats {
            loudness_db,
            mean_db: mean,
            sd_db: sd.max(1.0),
            median_rate,
            speakers: BTreeMap::new(),
        }
    }
}

/// The loudness frames (20 ms) from `start` to `end` seconds, floored at -60 dB.
fn frames(db: &[f32], start: f64, end: f64) -> impl Iterator<Item = f32> + '_ {
    let a = ((start * 50.0).max(0.0) as usize).min(db.len());
    let b = ((end * 50.0).max(0.0) as usize).min(db.len());
    db[a..b.max(a)].iter().map(|&d| d.max(-60.0))
}

/// Mean and standard deviation of `v` (0 and 1 when it is empty).
fn mean_sd(v: &[f64]) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 1.0);
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64;
    (m, var.sqrt())
}

/// Shared words over all words of two sets (0 when either is empty).
fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(b).count() as f64 / a.union(b).count() as f64
}

/// A contribution of `feature`: `value` with the feature's weight, and the
/// reason in words.
fn contribution(feature: Feature, value: f64, reason: String) -> Contribution {
    let wgt = feature.weight();
    Contribution {
        feature,
        value,
        weight: wgt,
        points: value * wgt,
        reason,
    }
}

/// A window's sentences and text, prepared once for the word features.
struct WindowText<'a> {
    /// The window's sentences.
    inside: &'a [Sentence],
    /// Their texts joined with spaces.
    text: String,
    /// `text` in lowercase.
    lower: String,
    /// The first sentence in lowercase.
    first: String,
    /// The last sentence, trimmed.
    last: String,
    /// The word lists the features look for.
    rules: &'static TextRules,
}

impl<'a> WindowText<'a> {
    /// Prepares the text of `inside`, a window's sentences (at least one).
    fn new(inside: &'a [Sentence]) -> WindowText<'a> {
        let text: String = inside
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let lower = text.to_lowercase();
        let first = inside[0].text.to_lowercase();
        let last = inside[inside.len() - 1].text.trim().to_string();
        WindowText {
            inside,
            text,
            lower,
            first,
            last,
            rules: lang::rules("en"),
        }
    }
}

/// [`Feature::Hook`]: a hook phrase or a question to open with.
fn hook(t: &WindowText) -> Contribution {
    let opener: Vec<String> = t
        .rules
        .hook_openers
        .iter()
        .filter(|h| format!("{} ", words(&t.first).join(" ")).starts_with(&format!("{h} ")))
        .map(|h| h.to_string())
        .collect();
    let first_is_question = t.inside[0].text.trim_end().ends_with('?');
    match (opener.first(), first_is_question) {
        (Some(h), _) => contribution(Feature::Hook, 1.0, format!("opens with \"{h}\"")),
        (None, true) => contribution(Feature::Hook, 0.8, "opens with a question".into()),
        _ => contribution(Feature::Hook, 0.0, "no hook opener".into()),
    }
}

/// [`Feature::SelfContainedStart`]: penalises an opening that leans on
/// what came before (the longest such opener is named).
fn self_contained_start(t: &WindowText) -> Contribution {
    let back: Vec<&str> = t
        .rules
        .back_references
        .iter()
        .copied()
        .filter(|b| format!("{} ", words(&t.first).join(" ")).starts_with(&format!("{b} ")))
        .collect();
    match back.iter().max_by_key(|b| b.len()) {
        Some(b) => contribution(
            Feature::SelfContainedStart,
            -1.0,
            format!("starts with \"{b}\", which leans on what came before"),
        ),
        None => contribution(Feature::SelfContainedStart, 0.0, "starts on its own".into()),
    }
}

/// [`Feature::QuestionAnswer`]: a question followed by a sentence that is
/// not one.
fn question_answer(t: &WindowText) -> Contribution {
    let q_then_a = t
        .inside
        .windows(2)
        .any(|p| p[0].text.trim_end().ends_with('?') && !p[1].text.trim_end().ends_with('?'));
    contribution(
        Feature::QuestionAnswer,
        if q_then_a { 1.0 } else { 0.0 },
        if q_then_a {
            "asks a question and answers it".into()
        } else {
            "no question answered".into()
        },
    )
}

/// [`Feature::OpenEnding`]: penalises a last sentence ending in `?` or `:`.
fn open_ending(t: &WindowText) -> Contribution {
    let open_end = t.last.ends_with('?') || t.last.ends_with(':');
    contribution(
        Feature::OpenEnding,
        if open_end { -1.0 } else { 0.0 },
        if open_end {
            "ends on a question or setup, before the payoff".into()
        } else {
            "ends on a statement".into()
        },
    )
}

/// [`Feature::Claims`]: strong-claim words, full marks at three.
fn claims(t: &WindowText) -> Contribution {
    let claims: Vec<String> = phrase_hits(&t.lower, t.rules.claim_words);
    contribution(
        Feature::Claims,
        (claims.len() as f64 / 3.0).min(1.0),
        if claims.is_empty() {
            "no strong claim".into()
        } else {
            format!("strong words: {}", claims.join(", "))
        },
    )
}

/// [`Feature::Quotable`]: the first sentence of 6-16 words with a claim or
/// emotion word in it.
fn quotable(t: &WindowText) -> Contribution {
    let rules = t.rules;
    let quotable = t.inside.iter().find(|s| {
        (6..=16).contains(&s.words)
            && !phrase_hits(&s.text.to_lowercase(), rules.claim_words)
                .into_iter()
                .chain(phrase_hits(&s.text.to_lowercase(), rules.emotion_words))
                .collect::<Vec<_>>()
                .is_empty()
    });
    match quotable {
        Some(s) => contribution(
            Feature::Quotable,
            1.0,
            format!("quotable line: \"{}\"", s.text.trim()),
        ),
        None => contribution(Feature::Quotable, 0.0, "no short, strong line".into()),
    }
}

/// [`Feature::Numbers`]: numerals, currency and percent signs, and number
/// words; full marks at two.
fn numbers(t: &WindowText) -> Contribution {
    let lower = &t.lower;
    let numerals = words(lower)
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .count()
        + lower.matches(['$', '%', '€', '£']).count();
    let numbers = numerals + phrase_hits(lower, t.rules.number_words).len();
    contribution(
        Feature::Numbers,
        (numbers as f64 / 2.0).min(1.0),
        format!("{numbers} numbers or amounts"),
    )
}

/// [`Feature::Story`]: any story cue.
fn story(t: &WindowText) -> Contribution {
    let story = phrase_hits(&t.lower, t.rules.story_cues);
    contribution(
        Feature::Story,
        if story.is_empty() { 0.0 } else { 1.0 },
        if story.is_empty() {
            "no story cue".into()
        } else {
            format!("story cues: {}", story.join(", "))
        },
    )
}

/// [`Feature::Emotion`]: emotional words and exclamation marks; full marks
/// at two.
fn emotion(t: &WindowText) -> Contribution {
    let emotion = phrase_hits(&t.lower, t.rules.emotion_words);
    let bangs = t.text.matches('!').count();
    contribution(
        Feature::Emotion,
        ((emotion.len() + bangs) as f64 / 2.0).min(1.0),
        if emotion.is_empty() && bangs == 0 {
            "no emotional words".into()
        } else {
            format!("emotion: {}", emotion.join(", "))
        },
    )
}

/// [`Feature::List`]: two list cues or more.
fn list(t: &WindowText) -> Contribution {
    let list = phrase_hits(&t.lower, t.rules.list_cues);
    contribution(
        Feature::List,
        if list.len() >= 2 { 1.0 } else { 0.0 },
        if list.len() >= 2 {
            format!("a list: {}", list.join(", "))
        } else {
            "no list".into()
        },
    )
}

/// [`Feature::Cohesion`]: content words shared between the window's halves
/// against those shared with the three sentences on either side of it.
fn cohesion(w: &Window, sents: &[Sentence], t: &WindowText) -> Contribution {
    let (inside, rules) = (t.inside, t.rules);
    let half = inside.len() / 2;
    let set = |ss: &[Sentence]| -> HashSet<String> {
        ss.iter()
            .flat_map(|s| content_words_in(&s.text, rules))
            .collect()
    };
    let (a, b) = if inside.len() >= 2 {
        (set(&inside[..half.max(1)]), set(&inside[half.max(1)..]))
    } else {
        (set(inside), set(inside))
    };
    let within = jaccard(&a, &b);
    let before = set(&sents[w.first.saturating_sub(3)..w.first]);
    let after = set(&sents[(w.last + 1).min(sents.len())..(w.last + 4).min(sents.len())]);
    let whole = set(inside);
    let across = jaccard(&whole, &before).max(jaccard(&whole, &after));
    let cohesion = ((within - across) * 2.0 + 0.5).clamp(0.0, 1.0);
    contribution(
        Feature::Cohesion,
        cohesion,
        format!(
            "word overlap inside {:.0}% vs across its edges {:.0}%",
            within * 100.0,
            across * 100.0
        ),
    )
}

/// Mean and standard deviation of the window's loudness, dB.
fn window_loudness(w: &Window, stats: &EpisodeStats) -> (f64, f64) {
    let db: Vec<f64> = frames(&stats.loudness_db, w.start, w.end)
        .map(|d| d as f64)
        .collect();
    mean_sd(&db)
}

/// [`Feature::Energy`]: the window's loudness against the episode's speech.
fn energy(w: &Window, stats: &EpisodeStats) -> Contribution {
    let (m, _) = window_loudness(w, stats);
    let z = (m - stats.mean_db) / stats.sd_db;
    contribution(
        Feature::Energy,
        (0.5 + z / 2.0).clamp(0.0, 1.0),
        format!(
            "{:+.1} dB louder than the episode's speech",
            m - stats.mean_db
        ),
    )
}

/// [`Feature::Dynamics`]: the window's loudness variation against the
/// episode's.
fn dynamics(w: &Window, stats: &EpisodeStats) -> Contribution {
    let (_, sd) = window_loudness(w, stats);
    contribution(
        Feature::Dynamics,
        (sd / stats.sd_db / 1.5).clamp(0.0, 1.0),
        format!(
            "loudness varies {:.1} dB (episode {:.1} dB)",
            sd, stats.sd_db
        ),
    )
}

/// [`Feature::Pace`]: words per second of speech against the episode's
/// median rate.
fn pace(inside: &[Sentence], stats: &EpisodeStats) -> Contribution {
    let n_words: usize = inside.iter().map(|s| s.words).sum();
    let speech_s: f64 = inside.iter().map(|s| s.end - s.start).sum::<f64>().max(0.1);
    let rate = n_words as f64 / speech_s;
    contribution(
        Feature::Pace,
        ((rate / stats.median_rate - 0.8) / 0.4).clamp(0.0, 1.0),
        format!(
            "{rate:.1} words/s (episode median {:.1})",
            stats.median_rate
        ),
    )
}

/// [`Feature::Confidence`]: the transcript's confidence, weighted by words.
fn confidence(inside: &[Sentence]) -> Contribution {
    let n_words: usize = inside.iter().map(|s| s.words).sum();
    let conf = inside
        .iter()
        .map(|s| s.confidence * s.words as f64)
        .sum::<f64>()
        / n_words.max(1) as f64;
    contribution(
        Feature::Confidence,
        ((conf - 0.5) / 0.45).clamp(0.0, 1.0),
        format!("transcript confidence {:.0}%", conf * 100.0),
    )
}

/// [`Feature::LengthFit`]: closeness to the middle of the length bucket.
fn length_fit(w: &Window, bucket: &super::Bucket) -> Contribution {
    let len = w.end - w.start;
    let (lo, hi) = SHORT_FORM_S;
    let fit = if len < lo {
        len / lo
    } else if len <= hi {
        1.0
    } else {
        (1.0 - (len - hi) / 22.5).max(-1.0)
    };
    contribution(
        Feature::LengthFit,
        fit,
        format!(
            "{len:.0} s in the {} bucket (short-form sweet spot {lo:.0}–{hi:.0} s)",
            bucket.name
        ),
    )
}

/// [`Feature::Speakers`]: a clip inside one speaker's turn, or a whole
/// exchange (starting where a turn starts, ending where one ends) earns
/// it; starting mid-turn of a speaker other than the one it ends with
/// costs it. Nothing when the episode has fewer than two speakers.
fn speakers(w: &Window, sents: &[Sentence], stats: &EpisodeStats) -> Contribution {
    let f = Feature::Speakers;
    if stats.speakers.len() < 2 {
        return contribution(f, 0.0, "one voice or speakers not told apart".into());
    }
    let who = |k: usize| sents.get(k).and_then(|s| s.speaker.as_deref());
    let label = |id: Option<&str>| -> String {
        let id = id.unwrap_or("?");
        match stats.speakers.get(id) {
            Some(Some(name)) => name.clone(),
            _ => id.to_string(),
        }
    };
    let (first, last) = (who(w.first), who(w.last));
    let turn_start = w.first == 0 || who(w.first - 1) != first;
    let turn_end = who(w.last + 1) != last;
    let mut voices: Vec<Option<&str>> = (w.first..=w.last).map(who).collect();
    voices.dedup();
    let one = voices.iter().all(|v| *v == first);
    match (one, turn_start, turn_end) {
        (true, true, true) => contribution(
            f,
            1.0,
            format!("one speaker's whole answer ({})", label(first)),
        ),
        (true, ..) => contribution(f, 0.5, format!("one speaker's answer ({})", label(first))),
        (false, false, _) if first != last => contribution(
            f,
            -1.0,
            format!(
                "starts mid-turn of {}, ends with {}",
                label(first),
                label(last)
            ),
        ),
        (false, true, true) => {
            let names: Vec<String> = voices.iter().map(|v| label(*v)).collect();
            contribution(
                f,
                1.0,
                format!("a complete exchange: {}", names.join(", then ")),
            )
        }
        _ => contribution(
            f,
            0.0,
            format!("{} turns, not a whole exchange", voices.len()),
        ),
    }
}

/// The lengths short-form platforms reward, seconds: `length_fit` is full
/// inside, and falls to zero 22.5 s past the end (a penalty beyond).
pub const SHORT_FORM_S: (f64, f64) = (20.0, 45.0);

/// Scores one window. Returns the contributions (their points sum to the score).
///
/// The order is fixed (it is the order of `highlights.json` and the review
/// sheet): the word features, then topic cohesion, then the audio features
/// relative to the episode, then the length, then who speaks.
pub fn score_window(
    w: &Window,
    sents: &[Sentence],
    stats: &EpisodeStats,
    bucket: &super::Bucket,
) -> Vec<Contribution> {
    let t = WindowText::new(&sents[w.first..=w.last]);
    vec![
        // Words
        hook(&t),
        self_contained_start(&t),
        question_answer(&t),
        open_ending(&t),
        claims(&t),
        quotable(&t),
        numbers(&t),
        story(&t),
        emotion(&t),
        list(&t),
        // Topic: words shared inside the clip vs with its surroundings.
        cohesion(w, sents, &t),
        // Audio, relative to the episode
        energy(w, stats),
        dynamics(w, stats),
        pace(t.inside, stats),
        confidence(t.inside),
        length_fit(w, bucket),
        // Who speaks
        speakers(w, sents, stats),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_repeated_content_words() {
        let k = keywords(
            "Pricing is everything. Your pricing tells customers who you are. Customers notice pricing.",
            3,
        );
        assert_eq!(k, ["pricing", "customers", "everything"]);
    }

    #[test]
    fn features_are_unique_positive_and_named_as_in_json() {
        let names: HashSet<&str> = Feature::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names.len(), Feature::ALL.len());
        assert!(weights().all(|(_, w)| w > 0.0));
        for f in Feature::ALL {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.name()));
            assert_eq!(serde_json::from_str::<Feature>(&json).unwrap(), f);
        }
    }

    #[test]
    fn a_window_gets_every_feature_once() {
        let sents: Vec<Sentence> = ["Here's the secret.", "Nobody tells you this!"]
            .iter()
            .enumerate()
            .map(|(i, t)| Sentence {
                text: t.to_string(),
                start: i as f64 * 10.0,
                end: i as f64 * 10.0 + 9.0,
                words: 4,
                confidence: 0.9,
                cut_in: None,
                cut_out: None,
                speaker: None,
            })
            .collect();
        let w = Window {
            first: 0,
            last: 1,
            start: 0.0,
            end: 19.0,
            bucket: 0,
            chapter: None,
        };
        let stats = EpisodeStats::new(vec![-20.0; 1000], &sents);
        let c = score_window(&w, &sents, &stats, &super::super::Bucket::new(15.0, 30.0));
        let got: HashSet<Feature> = c.iter().map(|x| x.feature).collect();
        assert_eq!(c.len(), Feature::ALL.len());
        assert_eq!(got, Feature::ALL.into_iter().collect());
        assert!(c.iter().all(|x| x.weight == x.feature.weight()));
    }
}
