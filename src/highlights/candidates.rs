//! Candidate windows of whole thoughts, cut inside real pauses.
//!
//! A clip that starts mid-thought, ends before its payoff or cuts a word is
//! unusable, so candidates are built only from sentence boundaries that
//! fall in a pause of at least [`MIN_PAUSE_S`] between words, with the cut
//! at the quietest moment of that pause. A window ends where the thought
//! ends (never on a question, never just before a sentence that continues
//! it or a short punchline), starts where a listener needs nothing before it
//! (no unnamed "she"), holds no filler ([`super::content`]) and stays inside
//! one topic ([`super::topics`]) and one chapter.

use crate::lang::TextRules;
use crate::transcript::{Pause, Transcript, Word};

use super::{Bucket, Chapter};

/// Preferred lead-in before the first word, seconds (the cut goes to the
/// quietest moment of the pause, nearest this point among equals).
pub const LEAD_S: f64 = 0.3;
/// Preferred tail after the last word, seconds.
pub const TAIL_S: f64 = 0.35;
/// The shortest gap between words a cut may sit in, seconds.
pub const MIN_PAUSE_S: f64 = 0.3;
/// Longest quiet gap allowed inside a clip, seconds.
const MAX_INNER_GAP_S: f64 = 3.0;
/// Longest quiet gap inside a clip before a sentence that continues the
/// one before (a speaker pausing mid-thought), seconds.
const MAX_MID_THOUGHT_GAP_S: f64 = 4.0;
/// A gap at least this long after a word with no full stop still ends its
/// sentence when the next word starts a new one (capitalised), seconds.
const SENTENCE_GAP_S: f64 = 1.5;
/// Loudness frames per second (20 ms frames, as the engine measures).
const FRAMES_PER_S: f64 = 50.0;

/// A sentence of the transcript with its timing.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// First word's start.
    pub start: f64,
    /// Last word's end.
    pub end: f64,
    /// The text, trimmed.
    pub text: String,
    /// Mean word probability.
    pub confidence: f64,
    /// Word count.
    pub words: usize,
    /// Where a clip may start: a cut point in the pause before it.
    pub cut_in: Option<f64>,
    /// Where a clip may end: a cut point in the pause after it.
    pub cut_out: Option<f64>,
    /// Who says it (the speaker id of most of its words), when speakers
    /// were told apart.
    pub speaker: Option<String>,
}

impl Sentence {
    /// True for a question.
    pub fn is_question(&self) -> bool {
        self.text
            .trim_end_matches(['"', '\'', ')', '”', '’'])
            .ends_with('?')
    }

    /// True when it continues the sentence before: it opens in lower case
    /// or with a continuation word (`and`, `because`, ...).
    pub fn continues(&self, rules: &TextRules) -> bool {
        let first = self.text.split_whitespace().next().unwrap_or("");
        let lower_start = first.chars().next().is_some_and(char::is_lowercase);
        let word: String = first
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '\'')
            .collect::<String>()
            .to_lowercase();
        lower_start || rules.continuations.contains(&word.as_str())
    }
}

/// True when a word closes a sentence ([`crate::lang::words::ends_sentence`]:
/// Japanese and Chinese "。", "？", "！" too, so a Japanese transcript is
/// cut into sentences, not into one run per speaker).
fn ends_sentence(word: &str) -> bool {
    crate::lang::words::ends_sentence(word)
}

/// True when `text` opens with one of `pronouns` (a person) and names
/// nobody in its first two sentences: a capitalised word that does not open
/// a sentence and is not "I".
pub fn dangling_start(text: &str, pronouns: &[&str]) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    let first = first
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if !pronouns.contains(&first.as_str()) {
        return false;
    }
    let mut sentence_start = true;
    let mut sentences = 0;
    for w in &words {
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let capital = core.chars().next().is_some_and(char::is_uppercase);
        if capital && !sentence_start && core != "I" {
            return false;
        }
        sentence_start = ends_sentence(w);
        if sentence_start {
            sentences += 1;
            if sentences == 2 {
                break;
            }
        }
    }
    true
}

/// Splits the transcript into sentences (at a full stop, or at a long gap
/// before a capitalised word where Whisper left the stop out) and finds
/// their cut points in the pauses around them, at the quietest moment of
/// each pause by `loudness_db` (dBFS per 20 ms frame; empty: nearest the
/// preferred lead and tail).
pub fn sentences(t: &Transcript, loudness_db: &[f32]) -> Vec<Sentence> {
    let words: Vec<_> = t.words().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let first = i;
        while i < words.len() && !ends_sentence(&words[i].word) {
            let next_starts_new = words.get(i + 1).is_some_and(|n| {
                let gap = n.start - words[i].end;
                let capital = n.word.trim().chars().next().is_some_and(char::is_uppercase);
                (gap >= SENTENCE_GAP_S && capital) || (gap >= MIN_PAUSE_S && new_turn(words[i], n))
            });
            if next_starts_new {
                break;
            }
            i += 1;
        }
        let last = i.min(words.len() - 1);
        let ws = &words[first..=last];
        let text: String = ws.iter().map(|w| w.word.as_str()).collect();
        out.push(Sentence {
            start: ws[0].start,
            end: ws[ws.len() - 1].end,
            text: text.trim().to_string(),
            confidence: ws.iter().map(|w| w.probability as f64).sum::<f64>() / ws.len() as f64,
            words: ws.len(),
            cut_in: None,
            cut_out: None,
            speaker: main_speaker(ws),
        });
        i = last + 1;
    }
    place_cuts(t, &mut out, loudness_db);
    out
}

/// True when `next` is another speaker's than `word` (both known): a turn
/// starts there, and a sentence ends before it when there is a pause to
/// cut in, so a clip may start on the turn.
fn new_turn(word: &Word, next: &Word) -> bool {
    matches!((&word.speaker, &next.speaker), (Some(a), Some(b)) if a != b)
}

/// The speaker of most of `words` (by time), when they carry speakers.
pub(super) fn main_speaker(words: &[&Word]) -> Option<String> {
    let mut talk: Vec<(&str, f64)> = Vec::new();
    for w in words {
        let Some(s) = w.speaker.as_deref() else {
            continue;
        };
        let d = (w.end - w.start).max(0.01);
        match talk.iter_mut().find(|(k, _)| *k == s) {
            Some((_, v)) => *v += d,
            None => talk.push((s, d)),
        }
    }
    let best = talk.into_iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    Some(best.0.to_string())
}

/// Sets each sentence's cut-in and cut-out: inside a detected pause (or a
/// skipped stretch) that overlaps a gap of at least [`MIN_PAUSE_S`] between
/// the words, at its quietest frame.
fn place_cuts(t: &Transcript, out: &mut [Sentence], db: &[f32]) {
    let mut quiet: Vec<Pause> = t.pauses.clone();
    quiet.extend(t.skipped.iter().map(|s| Pause {
        start: s.start,
        end: s.end,
    }));
    quiet.sort_by(|a, b| a.start.total_cmp(&b.start));
    let n = out.len();
    for k in 0..n {
        let prev_end = if k == 0 { 0.0 } else { out[k - 1].end };
        let next_start = out.get(k + 1).map_or(t.audio_duration, |s| s.start);
        let (start, end) = (out[k].start, out[k].end);
        if start - prev_end >= MIN_PAUSE_S {
            out[k].cut_in = quiet
                .iter()
                .filter(|p| p.start <= start + 0.05 && p.end >= start - 0.05 && p.end > prev_end)
                .filter_map(|p| {
                    quietest(db, p.start.max(prev_end), p.end.min(start), start - LEAD_S)
                })
                .next_back();
        }
        if k == 0 && out[k].cut_in.is_none() {
            // the episode's own start is a clean edge
            out[k].cut_in = quietest(db, 0.0, start, start - LEAD_S);
        }
        if next_start - end >= MIN_PAUSE_S {
            out[k].cut_out = quiet
                .iter()
                .filter(|p| p.end >= end - 0.05 && p.start <= end + 0.05 && p.start < next_start)
                .filter_map(|p| quietest(db, p.start.max(end), p.end.min(next_start), end + TAIL_S))
                .next();
        }
        if k + 1 == n && out[k].cut_out.is_none() && t.audio_duration - end >= MIN_PAUSE_S {
            // the episode's own end, when the last word does not run into it
            out[k].cut_out = quietest(db, end, t.audio_duration, end + TAIL_S);
        }
    }
}

/// The quietest moment of `lo..=hi` by the loudness track (levels within
/// 1 dB count as equal, and then the one nearest `preferred` wins), or
/// None when the range is empty (a pause that only touches the sentence).
fn quietest(db: &[f32], lo: f64, hi: f64, preferred: f64) -> Option<f64> {
    if lo > hi {
        return None;
    }
    let fallback = preferred.clamp(lo, hi);
    let first = (lo * FRAMES_PER_S).ceil() as usize;
    let last = (hi * FRAMES_PER_S).floor() as usize;
    if db.is_empty() || first > last || last >= db.len() {
        return Some(fallback);
    }
    let best = (first..=last).min_by(|&a, &b| {
        let level = |f: usize| (db[f].max(-90.0) as f64).round();
        let near = |f: usize| ((f as f64 + 0.5) / FRAMES_PER_S - preferred).abs();
        level(a)
            .total_cmp(&level(b))
            .then(near(a).total_cmp(&near(b)))
    })?;
    Some(((best as f64 + 0.5) / FRAMES_PER_S).clamp(lo, hi))
}

/// A window of sentences `first..=last` cut at `start`..`end`.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// Index of the first sentence.
    pub first: usize,
    /// Index of the last sentence.
    pub last: usize,
    /// Cut-in, seconds.
    pub start: f64,
    /// Cut-out, seconds.
    pub end: f64,
    /// The bucket it fits.
    pub bucket: usize,
    /// The chapter it lies in.
    pub chapter: Option<usize>,
}

/// What a window must respect besides its sentences' cut points.
pub struct Bounds<'a> {
    /// Sentences that are filler (no window may hold one).
    pub filler: &'a [bool],
    /// The topic of each sentence (a window stays in one).
    pub topic: &'a [usize],
    /// The language's rules (continuations, person pronouns).
    pub rules: &'a TextRules,
}

/// True when a clip may end after sentence `last`: it is no question, and
/// the next sentence neither continues it nor is a short punchline right
/// after it.
fn thought_ends(sents: &[Sentence], last: usize, rules: &TextRules) -> bool {
    if sents[last].is_question() {
        return false;
    }
    let Some(next) = sents.get(last + 1) else {
        return true;
    };
    let gap = next.start - sents[last].end;
    let continued = next.continues(rules) && gap < 1.0;
    let punchline = next.words <= 4 && gap < 0.6;
    !(continued || punchline)
}

/// Every window of whole sentences that fits a bucket, starts and ends in a
/// pause, ends where its thought ends, starts without leaning on an unnamed
/// person, holds no filler, stays inside one topic and one chapter, and
/// crosses no music or noise and no gap longer than three seconds.
pub fn windows(
    t: &Transcript,
    sents: &[Sentence],
    buckets: &[Bucket],
    chapters: &[Chapter],
    bounds: &Bounds,
) -> Vec<Window> {
    let chapter_of = |time: f64| {
        chapters
            .iter()
            .position(|c| c.start <= time && time < c.end)
    };
    let crosses_noise = |a: f64, b: f64| {
        t.skipped.iter().any(|s| {
            s.start < b - 0.05
                && s.end > a + 0.05
                && (s.reason != "silence" || s.end - s.start > MAX_MID_THOUGHT_GAP_S)
        })
    };
    let longest = buckets.iter().map(|b| b.max_s).fold(0.0, f64::max);
    let cased = is_cased(sents);
    let mut out = Vec::new();
    for first in 0..sents.len() {
        let Some(start) = sents[first].cut_in else {
            continue;
        };
        if bounds.filler[first]
            || opens_unnamed(sents, first, bounds.rules)
            || opens_mid_sentence(sents, first, cased)
        {
            continue;
        }
        let chapter = chapter_of(sents[first].start);
        for last in first..sents.len() {
            let gap_limit = if sents[last].continues(bounds.rules) {
                MAX_MID_THOUGHT_GAP_S
            } else {
                MAX_INNER_GAP_S
            };
            let split = last > first
                && (sents[last].start - sents[last - 1].end > gap_limit
                    || bounds.filler[last]
                    || bounds.topic[last] != bounds.topic[first]);
            if split {
                break;
            }
            let Some(end) = sents[last].cut_out else {
                continue;
            };
            if end - start > longest {
                break;
            }
            if chapter_of(sents[last].end - 0.01) != chapter || crosses_noise(start, end) {
                break;
            }
            if !thought_ends(sents, last, bounds.rules) {
                continue;
            }
            let len = end - start;
            for (bi, b) in buckets.iter().enumerate() {
                if len >= b.min_s && len <= b.max_s {
                    out.push(Window {
                        first,
                        last,
                        start,
                        end,
                        bucket: bi,
                        chapter,
                    });
                }
            }
        }
    }
    out
}

/// True when sentence `first` opens in lower case in a transcript whose
/// sentences mostly open with a capital (`cased`): it is the rest of a
/// sentence, cut from its start at a change of speaker ("It's | obvious
/// what you're doing.", a diarization slip) or where a chunk began, and a
/// clip starting there starts mid-thought.
fn opens_mid_sentence(sents: &[Sentence], first: usize, cased: bool) -> bool {
    cased
        && sents[first]
            .text
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
}

/// Whether the sentences mostly open with a capital letter (those opening
/// on a letter with case); false for a transcript Whisper wrote in lower
/// case, or in a script without case.
fn is_cased(sents: &[Sentence]) -> bool {
    let (mut upper, mut lower) = (0, 0);
    for s in sents {
        match s.text.chars().next() {
            Some(c) if c.is_uppercase() => upper += 1,
            Some(c) if c.is_lowercase() => lower += 1,
            _ => {}
        }
    }
    upper > lower
}

/// True when a window starting at sentence `first` would open on a person
/// it does not name.
fn opens_unnamed(sents: &[Sentence], first: usize, rules: &TextRules) -> bool {
    let two: Vec<&str> = sents[first..sents.len().min(first + 2)]
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    dangling_start(&two.join(" "), rules.person_pronouns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Segment;

    /// A transcript of `n` sentences of four words, 0.4 s per word, with a
    /// 0.6 s pause after each sentence.
    fn transcript(n: usize) -> Transcript {
        let mut words = Vec::new();
        let mut pauses = Vec::new();
        let mut t = 0.5;
        for s in 0..n {
            for w in 0..4 {
                let text = if w == 3 {
                    format!(" end{s}.")
                } else {
                    format!(" w{s}x{w}")
                };
                words.push(Word {
                    speaker: None,
                    start: t,
                    end: t + 0.4,
                    word: text,
                    probability: 0.9,
                });
                t += 0.4;
            }
            pauses.push(Pause {
                start: t,
                end: t + 0.6,
            });
            t += 0.6;
        }
        pauses.insert(
            0,
            Pause {
                start: 0.0,
                end: 0.5,
            },
        );
        Transcript {
            speakers: Vec::new(),
            segments: vec![Segment::from_words(words, 0.0, -0.1).unwrap()],
            audio_duration: t,
            speech_duration: t,
            model: String::new(),
            settings: serde_json::Value::Null,
            skipped: vec![],
            pauses,
            timings: Default::default(),
            warnings: vec![],
            language: None,
            language_probability: None,
            loudness_db: vec![],
            english: None,
        }
    }

    #[test]
    fn sentences_have_cut_points_inside_pauses() {
        let t = transcript(10);
        let s = sentences(&t, &[]);
        assert_eq!(s.len(), 10);
        for x in &s {
            let (a, b) = (x.cut_in.unwrap(), x.cut_out.unwrap());
            assert!(a < x.start && b > x.end);
            assert!(t.pauses.iter().any(|p| p.start <= a && a <= p.end));
            assert!(t.pauses.iter().any(|p| p.start <= b && b <= p.end));
        }
        assert!((s[1].cut_in.unwrap() - (s[1].start - LEAD_S)).abs() < 1e-9);
    }

    #[test]
    fn a_pause_that_only_touches_a_sentence_gives_no_cut_and_no_panic() {
        // Seen on a real episode: a pause ending 10 ms before the last
        // word's end and one starting 10 ms after the first word's start.
        let mut t = transcript(3);
        let s0 = sentences(&t, &[]);
        t.pauses[1].end = s0[0].end - 0.01;
        t.pauses[1].start = s0[0].end - 0.3;
        t.pauses[2].start = s0[2].start + 0.01;
        t.pauses[2].end = s0[2].start + 0.3;
        let s = sentences(&t, &[]);
        assert_eq!(s[0].cut_out, None);
        assert_eq!(s[2].cut_in, None);
    }

    #[test]
    fn windows_fit_buckets_and_respect_chapters() {
        let t = transcript(40); // 40 sentences × 2.2 s
        let s = sentences(&t, &[]);
        let buckets = vec![Bucket::new(5.0, 10.0)];
        let (filler, topic) = (vec![false; s.len()], vec![0; s.len()]);
        let b = Bounds {
            filler: &filler,
            topic: &topic,
            rules: crate::lang::rules("en"),
        };
        let all = windows(&t, &s, &buckets, &[], &b);
        assert!(!all.is_empty());
        for w in &all {
            let len = w.end - w.start;
            assert!((5.0..=10.0).contains(&len), "{len}");
        }
        let chapters = vec![
            Chapter {
                title: "A".into(),
                start: 0.0,
                end: 30.0,
            },
            Chapter {
                title: "B".into(),
                start: 30.0,
                end: 200.0,
            },
        ];
        for w in windows(&t, &s, &buckets, &chapters, &b) {
            let ch = &chapters[w.chapter.unwrap()];
            assert!(s[w.first].start >= ch.start && s[w.last].end <= ch.end);
        }
    }

    #[test]
    fn windows_keep_questions_with_answers_and_stay_in_topic_and_out_of_filler() {
        let mut t = transcript(12);
        // sentence 3 is a question; sentence 8 is filler; topics change at 6
        let mut n = 0;
        for seg in &mut t.segments {
            for w in &mut seg.words {
                if w.word.starts_with(" end") {
                    if n == 3 {
                        w.word = " end3?".into();
                    }
                    n += 1;
                }
            }
        }
        let s = sentences(&t, &[]);
        assert!(s[3].is_question());
        let mut filler = vec![false; s.len()];
        filler[8] = true;
        let topic: Vec<usize> = (0..s.len()).map(|i| usize::from(i >= 6)).collect();
        let b = Bounds {
            filler: &filler,
            topic: &topic,
            rules: crate::lang::rules("en"),
        };
        let all = windows(&t, &s, &[Bucket::new(2.0, 12.0)], &[], &b);
        assert!(!all.is_empty());
        for w in &all {
            assert_ne!(w.last, 3, "ends on a question: {w:?}");
            assert!(!(w.first..=w.last).contains(&8), "holds filler: {w:?}");
            assert_eq!(topic[w.first], topic[w.last], "crosses a topic: {w:?}");
        }
    }

    #[test]
    fn no_window_starts_on_the_second_half_of_a_sentence() {
        let mut t = transcript(8);
        // Sentences open with a capital, but sentence 4's stop is lost and
        // sentence 5 is cut from it at a change of speaker:
        // "W4x0 … end4 | w5x0 … end5."
        for seg in &mut t.segments {
            for w in &mut seg.words {
                let speaker = if w.start < 11.0 { "S1" } else { "S2" };
                w.speaker = Some(speaker.into());
                if w.word == " end4." {
                    w.word = " end4".into();
                }
                if w.word.ends_with("x0") && w.word != " w5x0" {
                    w.word = w.word.replacen('w', "W", 1);
                }
            }
        }
        let s = sentences(&t, &[]);
        assert_eq!(s.len(), 8, "{s:?}");
        assert!(s[5].text.starts_with("w5x0") && s[4].text.ends_with("end4"));
        let filler = vec![false; s.len()];
        let topic = vec![0; s.len()];
        let b = Bounds {
            filler: &filler,
            topic: &topic,
            rules: crate::lang::rules("en"),
        };
        let all = windows(&t, &s, &[Bucket::new(2.0, 12.0)], &[], &b);
        assert!(all.iter().any(|w| w.first == 6));
        assert!(all.iter().all(|w| w.first != 5), "{all:?}");
        // A transcript in lower case throughout keeps every start.
        let lower = sentences(&transcript(8), &[]);
        let all = windows(&t, &lower, &[Bucket::new(2.0, 12.0)], &[], &b);
        assert!(all.iter().any(|w| w.first == 5));
    }

    #[test]
    fn japanese_full_stops_end_sentences() {
        let mut t = transcript(2);
        let japanese = ["今日は", "いい", "天気", "です。"];
        for seg in &mut t.segments {
            for (i, w) in seg.words.iter_mut().enumerate() {
                w.word = japanese[i % 4].into();
            }
        }
        let s = sentences(&t, &[]);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].text, "今日はいい天気です。");
    }

    #[test]
    fn cuts_go_to_the_quietest_moment_of_the_pause() {
        let t = transcript(3);
        // 20 ms frames at -40 dB, with a dip to -70 dB 0.1 s after sentence 0
        let mut db = vec![-40.0f32; (t.audio_duration * 50.0) as usize + 1];
        let s0 = sentences(&t, &[]);
        let dip = ((s0[0].end + 0.1) * 50.0) as usize;
        db[dip] = -70.0;
        let s = sentences(&t, &db);
        let cut = s[0].cut_out.unwrap();
        assert!((cut - (dip as f64 + 0.5) / 50.0).abs() < 1e-9, "{cut}");
        assert!(cut > s[0].end && cut < s[1].start);
    }

    #[test]
    fn a_start_on_an_unnamed_person_dangles() {
        let he = &[
            "he", "she", "they", "him", "her", "his", "hers", "them", "their",
        ];
        assert!(dangling_start(
            "She never raised her prices. It was hard.",
            he
        ));
        assert!(!dangling_start("She was Rosa's age. It was hard.", he));
        assert!(!dangling_start("It was the best of times.", he));
        assert!(!dangling_start(
            "My grandmother Rosa ran a bakery. She never.",
            he
        ));
        assert!(dangling_start(
            "He said so. I agree. And then Tom left.",
            he
        ));
    }
}
