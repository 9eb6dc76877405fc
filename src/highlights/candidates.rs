//! Candidate windows of whole sentences, cut inside pauses.
//!
//! A clip that starts mid-thought or cuts a word is unusable, so candidates
//! are built only from sentence boundaries that fall in a detected pause:
//! the cut-in sits a little before the first word, the cut-out a little
//! after the last, both inside the pause. Windows never cross a chapter
//! boundary, skipped music or noise, or a long silence.

use crate::transcript::{Pause, Transcript};

use super::{Bucket, Chapter};

/// Lead-in before the first word, seconds (clamped into the pause).
pub const LEAD_S: f64 = 0.3;
/// Tail after the last word, seconds (clamped into the pause).
pub const TAIL_S: f64 = 0.35;
/// Longest quiet gap allowed inside a clip, seconds.
const MAX_INNER_GAP_S: f64 = 3.0;

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
}

/// True when a word closes a sentence.
fn ends_sentence(word: &str) -> bool {
    let w = word.trim_end_matches(['"', '\'', ')', '”', '’']);
    w.ends_with(['.', '?', '!']) && !w.ends_with("...")
}

/// Splits the transcript into sentences and finds their cut points.
pub fn sentences(t: &Transcript) -> Vec<Sentence> {
    let words: Vec<_> = t.words().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let first = i;
        while i < words.len() && !ends_sentence(&words[i].word) {
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
        });
        i = last + 1;
    }
    // Quiet places: the detected pauses and the skipped stretches.
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
        // a pause overlapping the gap before the sentence
        out[k].cut_in = quiet
            .iter()
            .filter(|p| p.start <= start + 0.05 && p.end >= start - 0.05 && p.end > prev_end)
            .filter_map(|p| clamp_into(start - LEAD_S, p.start.max(prev_end), p.end.min(start)))
            .next_back();
        out[k].cut_out = quiet
            .iter()
            .filter(|p| p.end >= end - 0.05 && p.start <= end + 0.05 && p.start < next_start)
            .filter_map(|p| clamp_into(end + TAIL_S, p.start.max(end), p.end.min(next_start)))
            .next();
    }
    out
}

/// `x` clamped into `lo..=hi`, or None when that range is empty (a pause
/// that only touches the sentence within the tolerance, with no room
/// between the word and the pause's far edge).
fn clamp_into(x: f64, lo: f64, hi: f64) -> Option<f64> {
    (lo <= hi).then(|| x.clamp(lo, hi))
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

/// Every window of whole sentences that fits a bucket, starts and ends in a
/// pause, stays inside one chapter, and crosses no skipped stretch and no
/// gap longer than three seconds.
pub fn windows(
    t: &Transcript,
    sents: &[Sentence],
    buckets: &[Bucket],
    chapters: &[Chapter],
) -> Vec<Window> {
    let chapter_of = |time: f64| {
        chapters
            .iter()
            .position(|c| c.start <= time && time < c.end)
    };
    let crosses_skip = |a: f64, b: f64| {
        t.skipped
            .iter()
            .any(|s| s.start < b - 0.05 && s.end > a + 0.05)
    };
    let mut out = Vec::new();
    for first in 0..sents.len() {
        let Some(start) = sents[first].cut_in else {
            continue;
        };
        let chapter = chapter_of(sents[first].start);
        for last in first..sents.len() {
            if last > first && sents[last].start - sents[last - 1].end > MAX_INNER_GAP_S {
                break;
            }
            let Some(end) = sents[last].cut_out else {
                continue;
            };
            let len = end - start;
            if len > buckets.iter().map(|b| b.max_s).fold(0.0, f64::max) {
                break;
            }
            if chapter_of(sents[last].end - 0.01) != chapter || crosses_skip(start, end) {
                break;
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Segment, Word};

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
            segments: vec![Segment::from_words(words, 0.0, -0.1).unwrap()],
            audio_duration: t,
            speech_duration: t,
            model: String::new(),
            settings: serde_json::Value::Null,
            skipped: vec![],
            pauses,
            timings: Default::default(),
            warnings: vec![],
            loudness_db: vec![],
        }
    }

    #[test]
    fn sentences_have_cut_points_inside_pauses() {
        let t = transcript(10);
        let s = sentences(&t);
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
        let s0 = sentences(&t);
        t.pauses[1].end = s0[0].end - 0.01;
        t.pauses[1].start = s0[0].end - 0.3;
        t.pauses[2].start = s0[2].start + 0.01;
        t.pauses[2].end = s0[2].start + 0.3;
        let s = sentences(&t);
        assert_eq!(s[0].cut_out, None);
        assert_eq!(s[2].cut_in, None);
    }

    #[test]
    fn windows_fit_buckets_and_respect_chapters() {
        let t = transcript(40); // 40 sentences × 2.2 s
        let s = sentences(&t);
        let buckets = vec![Bucket::new(5.0, 10.0)];
        let all = windows(&t, &s, &buckets, &[]);
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
        for w in windows(&t, &s, &buckets, &chapters) {
            let ch = &chapters[w.chapter.unwrap()];
            assert!(s[w.first].start >= ch.start && s[w.last].end <= ch.end);
        }
    }
}
