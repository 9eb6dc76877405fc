//! Explainable scoring: named features, one weight table, contributions that
//! add up to the score.
//!
//! Every feature gives a value (0..1, or -1..0 for penalties) with a reason
//! in words; its points are `value × weight`, and a clip's score is the sum
//! of its points, so a VA can see exactly why a clip ranked where it did.

use std::collections::{BTreeMap, HashSet};

use super::candidates::{Sentence, Window};
use super::Contribution;

/// The weights, in one place. Rationale:
/// - `hook` and `self_contained_start` decide whether a viewer stays past
///   the first second, so they weigh most (peers weigh hooks highest too).
/// - `question_answer`, `quotable`, `claims`, `cohesion` make a clip worth
///   sharing and whole; `open_ending` penalises a setup without its payoff.
/// - `numbers`, `story`, `emotion`, `list` are classic engagement cues but
///   noisy as word lists, so they weigh less.
/// - `energy`, `dynamics`, `pace` are the audio: a lively delivery relative
///   to the same episode; `confidence` keeps badly heard passages down.
/// - `length_fit` mildly prefers the middle of the bucket.
pub const WEIGHTS: &[(&str, f64)] = &[
    ("hook", 8.0),
    ("self_contained_start", 6.0),
    ("question_answer", 5.0),
    ("quotable", 4.0),
    ("claims", 4.0),
    ("cohesion", 4.0),
    ("open_ending", 4.0),
    ("numbers", 3.0),
    ("story", 3.0),
    ("emotion", 3.0),
    ("energy", 4.0),
    ("dynamics", 2.0),
    ("pace", 2.0),
    ("confidence", 3.0),
    ("list", 2.0),
    ("length_fit", 2.0),
];

fn weight(feature: &str) -> f64 {
    WEIGHTS
        .iter()
        .find(|(f, _)| *f == feature)
        .map_or(0.0, |(_, w)| *w)
}

const HOOK_OPENERS: &[&str] = &[
    "here's",
    "here is",
    "the secret",
    "the truth",
    "the problem",
    "the biggest",
    "the best",
    "the worst",
    "the one thing",
    "the reason",
    "what if",
    "imagine",
    "nobody",
    "everyone",
    "most people",
    "you need",
    "you have to",
    "you should",
    "never",
    "stop",
    "don't",
    "why",
    "how",
    "what",
    "i think",
    "i believe",
    "the key",
    "the thing is",
    "let me tell you",
    "if you",
    "there are",
    "the only",
    "my advice",
];
const CLAIM_WORDS: &[&str] = &[
    "always",
    "never",
    "everyone",
    "everybody",
    "nobody",
    "best",
    "worst",
    "most",
    "must",
    "mistake",
    "secret",
    "truth",
    "actually",
    "important",
    "biggest",
    "only",
    "wrong",
    "right",
    "should",
    "need",
    "key",
    "real",
];
const STORY_CUES: &[&str] = &[
    "i remember",
    "when i was",
    "one day",
    "years ago",
    "story",
    "happened",
    "the first time",
    "back then",
    "i realized",
    "turned out",
    "we decided",
    "i went",
];
const EMOTION_WORDS: &[&str] = &[
    "love",
    "hate",
    "amazing",
    "incredible",
    "scared",
    "afraid",
    "crazy",
    "wow",
    "beautiful",
    "terrible",
    "angry",
    "happy",
    "sad",
    "excited",
    "shocked",
    "fear",
    "proud",
    "funny",
    "laugh",
    "cried",
    "heart",
];
const LIST_CUES: &[&str] = &[
    "first",
    "second",
    "third",
    "number one",
    "number two",
    "step",
    "another",
    "finally",
    "next",
    "lastly",
];
const NUMBER_WORDS: &[&str] = &[
    "percent", "million", "billion", "thousand", "hundred", "dollars", "half", "twice", "double",
    "ten", "twenty", "fifty",
];
/// Openers that lean on what came before the clip.
const BACK_REFERENCES: &[&str] = &[
    "and",
    "but",
    "so",
    "because",
    "or",
    "also",
    "then",
    "as i said",
    "like i said",
    "that's why",
    "that is why",
    "which",
    "he",
    "she",
    "they",
    "it",
    "this",
    "that",
    "these",
    "those",
    "him",
    "her",
    "them",
    "yeah",
    "yes",
    "no",
    "right",
    "exactly",
    "well",
];

/// Common English words that carry no topic.
const STOPWORDS: &[&str] = &[
    "the", "and", "that", "this", "with", "have", "from", "they", "what", "there", "their",
    "about", "would", "could", "should", "which", "when", "were", "been", "will", "your", "just",
    "like", "really", "know", "think", "because", "then", "than", "them", "these", "those", "some",
    "very", "into", "also", "only", "more", "much", "such", "here", "where", "thing", "things",
    "going", "gonna", "yeah", "okay", "well", "said", "says", "does", "doing", "done", "make",
    "made", "want", "mean", "right", "kind", "sort", "lot", "thou", "thee", "thy", "thine",
    "shall", "upon", "being", "other", "every", "each", "after", "before", "over", "even", "still",
    "again", "though", "while", "might", "must", "need",
];

/// Lowercase words of a text, punctuation dropped (apostrophes kept).
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

/// Topic-bearing words: at least four letters, not a stopword.
pub fn content_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .collect()
}

/// The clip's keywords: its most repeated content words (ties by first use).
pub fn keywords(text: &str, n: usize) -> Vec<String> {
    let cw = content_words(text);
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, w) in cw.iter().enumerate() {
        let e = counts.entry(w.as_str()).or_insert((0, i));
        e.0 += 1;
    }
    let mut v: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    v.into_iter().take(n).map(|(w, _)| w.to_string()).collect()
}

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
        }
    }
}

fn frames(db: &[f32], start: f64, end: f64) -> impl Iterator<Item = f32> + '_ {
    let a = ((start * 50.0).max(0.0) as usize).min(db.len());
    let b = ((end * 50.0).max(0.0) as usize).min(db.len());
    db[a..b.max(a)].iter().map(|&d| d.max(-60.0))
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 1.0);
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64;
    (m, var.sqrt())
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(b).count() as f64 / a.union(b).count() as f64
}

/// Scores one window. Returns the contributions (their points sum to the score).
pub fn score_window(
    w: &Window,
    sents: &[Sentence],
    stats: &EpisodeStats,
    bucket: &super::Bucket,
) -> Vec<Contribution> {
    let inside = &sents[w.first..=w.last];
    let text: String = inside
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let lower = text.to_lowercase();
    let first = inside[0].text.to_lowercase();
    let last = inside[inside.len() - 1].text.trim().to_string();
    let mut out = Vec::new();
    let mut add = |feature: &str, value: f64, reason: String| {
        let wgt = weight(feature);
        out.push(Contribution {
            feature: feature.to_string(),
            value,
            weight: wgt,
            points: value * wgt,
            reason,
        });
    };

    // Words
    let opener: Vec<String> = HOOK_OPENERS
        .iter()
        .filter(|h| format!("{} ", words(&first).join(" ")).starts_with(&format!("{h} ")))
        .map(|h| h.to_string())
        .collect();
    let first_is_question = inside[0].text.trim_end().ends_with('?');
    match (opener.first(), first_is_question) {
        (Some(h), _) => add("hook", 1.0, format!("opens with \"{h}\"")),
        (None, true) => add("hook", 0.8, "opens with a question".into()),
        _ => add("hook", 0.0, "no hook opener".into()),
    }
    let back: Vec<&str> = BACK_REFERENCES
        .iter()
        .copied()
        .filter(|b| format!("{} ", words(&first).join(" ")).starts_with(&format!("{b} ")))
        .collect();
    match back.iter().max_by_key(|b| b.len()) {
        Some(b) => add(
            "self_contained_start",
            -1.0,
            format!("starts with \"{b}\", which leans on what came before"),
        ),
        None => add("self_contained_start", 0.0, "starts on its own".into()),
    }
    let q_then_a = inside
        .windows(2)
        .any(|p| p[0].text.trim_end().ends_with('?') && !p[1].text.trim_end().ends_with('?'));
    add(
        "question_answer",
        if q_then_a { 1.0 } else { 0.0 },
        if q_then_a {
            "asks a question and answers it".into()
        } else {
            "no question answered".into()
        },
    );
    let open_end = last.ends_with('?') || last.ends_with(':');
    add(
        "open_ending",
        if open_end { -1.0 } else { 0.0 },
        if open_end {
            "ends on a question or setup, before the payoff".into()
        } else {
            "ends on a statement".into()
        },
    );
    let claims: Vec<String> = phrase_hits(&lower, CLAIM_WORDS);
    add(
        "claims",
        (claims.len() as f64 / 3.0).min(1.0),
        if claims.is_empty() {
            "no strong claim".into()
        } else {
            format!("strong words: {}", claims.join(", "))
        },
    );
    let quotable = inside.iter().find(|s| {
        (6..=16).contains(&s.words)
            && !phrase_hits(&s.text.to_lowercase(), CLAIM_WORDS)
                .into_iter()
                .chain(phrase_hits(&s.text.to_lowercase(), EMOTION_WORDS))
                .collect::<Vec<_>>()
                .is_empty()
    });
    match quotable {
        Some(s) => add(
            "quotable",
            1.0,
            format!("quotable line: \"{}\"", s.text.trim()),
        ),
        None => add("quotable", 0.0, "no short, strong line".into()),
    }
    let numerals = words(&lower)
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .count()
        + lower.matches(['$', '%', '€', '£']).count();
    let numbers = numerals + phrase_hits(&lower, NUMBER_WORDS).len();
    add(
        "numbers",
        (numbers as f64 / 2.0).min(1.0),
        format!("{numbers} numbers or amounts"),
    );
    let story = phrase_hits(&lower, STORY_CUES);
    add(
        "story",
        if story.is_empty() { 0.0 } else { 1.0 },
        if story.is_empty() {
            "no story cue".into()
        } else {
            format!("story cues: {}", story.join(", "))
        },
    );
    let emotion = phrase_hits(&lower, EMOTION_WORDS);
    let bangs = text.matches('!').count();
    add(
        "emotion",
        ((emotion.len() + bangs) as f64 / 2.0).min(1.0),
        if emotion.is_empty() && bangs == 0 {
            "no emotional words".into()
        } else {
            format!("emotion: {}", emotion.join(", "))
        },
    );
    let list = phrase_hits(&lower, LIST_CUES);
    add(
        "list",
        if list.len() >= 2 { 1.0 } else { 0.0 },
        if list.len() >= 2 {
            format!("a list: {}", list.join(", "))
        } else {
            "no list".into()
        },
    );

    // Topic: words shared inside the clip vs with its surroundings.
    let half = inside.len() / 2;
    let set = |ss: &[Sentence]| -> HashSet<String> {
        ss.iter().flat_map(|s| content_words(&s.text)).collect()
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
    add(
        "cohesion",
        cohesion,
        format!(
            "word overlap inside {:.0}% vs across its edges {:.0}%",
            within * 100.0,
            across * 100.0
        ),
    );

    // Audio, relative to the episode
    let db: Vec<f64> = frames(&stats.loudness_db, w.start, w.end)
        .map(|d| d as f64)
        .collect();
    let (m, sd) = mean_sd(&db);
    let z = (m - stats.mean_db) / stats.sd_db;
    add(
        "energy",
        (0.5 + z / 2.0).clamp(0.0, 1.0),
        format!(
            "{:+.1} dB louder than the episode's speech",
            m - stats.mean_db
        ),
    );
    add(
        "dynamics",
        (sd / stats.sd_db / 1.5).clamp(0.0, 1.0),
        format!(
            "loudness varies {:.1} dB (episode {:.1} dB)",
            sd, stats.sd_db
        ),
    );
    let n_words: usize = inside.iter().map(|s| s.words).sum();
    let speech_s: f64 = inside.iter().map(|s| s.end - s.start).sum::<f64>().max(0.1);
    let rate = n_words as f64 / speech_s;
    add(
        "pace",
        ((rate / stats.median_rate - 0.8) / 0.4).clamp(0.0, 1.0),
        format!(
            "{rate:.1} words/s (episode median {:.1})",
            stats.median_rate
        ),
    );
    let conf = inside
        .iter()
        .map(|s| s.confidence * s.words as f64)
        .sum::<f64>()
        / n_words.max(1) as f64;
    add(
        "confidence",
        ((conf - 0.5) / 0.45).clamp(0.0, 1.0),
        format!("transcript confidence {:.0}%", conf * 100.0),
    );
    let mid = (bucket.min_s + bucket.max_s) / 2.0;
    let half_span = (bucket.max_s - bucket.min_s) / 2.0;
    let fit = 1.0 - ((w.end - w.start - mid).abs() / half_span).min(1.0);
    add(
        "length_fit",
        fit,
        format!("{:.0} s in the {} bucket", w.end - w.start, bucket.name),
    );
    out
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
    fn weights_are_unique_and_positive() {
        let names: HashSet<&str> = WEIGHTS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), WEIGHTS.len());
        assert!(WEIGHTS.iter().all(|(_, w)| *w > 0.0));
    }
}
