//! Where one topic ends and the next begins, so that no clip joins two.
//!
//! Three signals: a stretch of silence the engine skipped, or a long pause
//! between words ([`TOPIC_PAUSE_S`]), before a sentence that does not
//! continue the one before; and a valley of lexical cohesion (TextTiling: the content words
//! of the sentences before a gap share almost nothing with those after it,
//! while their neighbours do) at a pause of at least [`VALLEY_PAUSE_S`].
//! Chapters and filler are boundaries too, applied by the windows.

use std::collections::HashSet;

use super::candidates::Sentence;
use super::score::content_words;
use crate::lang::TextRules;

/// A pause at least this long before a new sentence changes the topic,
/// seconds.
pub const TOPIC_PAUSE_S: f64 = 1.8;
/// A cohesion valley changes the topic only at a pause this long, seconds.
pub const VALLEY_PAUSE_S: f64 = 0.7;
/// Sentences on each side of a gap compared for cohesion.
const BLOCK: usize = 4;

/// Cosine-like overlap of two word sets, 0..1.
fn similarity(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(b).count() as f64 / ((a.len() * b.len()) as f64).sqrt()
}

/// Cohesion across the gap before each sentence (index 0 has none).
fn cohesion(sents: &[Sentence]) -> Vec<f64> {
    let words: Vec<HashSet<String>> = sents
        .iter()
        .map(|s| content_words(&s.text).into_iter().collect())
        .collect();
    let union = |r: std::ops::Range<usize>| -> HashSet<String> {
        words[r].iter().flatten().cloned().collect()
    };
    (0..sents.len())
        .map(|k| {
            if k == 0 {
                return 1.0;
            }
            let before = union(k.saturating_sub(BLOCK)..k);
            let after = union(k..(k + BLOCK).min(sents.len()));
            similarity(&before, &after)
        })
        .collect()
}

/// The topic of each sentence: 0 for the first, one more after each
/// boundary.
pub fn segment(
    sents: &[Sentence],
    skipped: &[crate::transcript::SkippedSpan],
    rules: &TextRules,
) -> Vec<usize> {
    let sim = cohesion(sents);
    let mut topic = 0;
    let mut out = Vec::with_capacity(sents.len());
    for k in 0..sents.len() {
        let silence = k > 0
            && skipped
                .iter()
                .any(|s| s.start >= sents[k - 1].end - 0.3 && s.end <= sents[k].start + 0.3);
        if k > 0
            && (boundary_before(sents, &sim, k, rules) || (silence && !sents[k].continues(rules)))
        {
            topic += 1;
        }
        out.push(topic);
    }
    out
}

/// True when the topic changes before sentence `k`.
fn boundary_before(sents: &[Sentence], sim: &[f64], k: usize, rules: &TextRules) -> bool {
    if sents[k].continues(rules) {
        return false;
    }
    let gap = sents[k].start - sents[k - 1].end;
    if gap >= TOPIC_PAUSE_S {
        return true;
    }
    // A valley: no shared words here, while both neighbours share some.
    let left = sim[k.saturating_sub(2).max(1)..k]
        .iter()
        .copied()
        .fold(0.0, f64::max);
    let right = sim[k + 1..(k + 3).min(sim.len())]
        .iter()
        .copied()
        .fold(0.0, f64::max);
    gap >= VALLEY_PAUSE_S && sim[k] == 0.0 && left >= 0.15 && right >= 0.15
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(lines: &[(&str, f64)]) -> Vec<Sentence> {
        let mut t = 0.0;
        lines
            .iter()
            .map(|(text, gap)| {
                t += gap;
                let s = Sentence {
                    start: t,
                    end: t + 2.0,
                    text: text.to_string(),
                    confidence: 0.9,
                    words: text.split_whitespace().count(),
                    cut_in: None,
                    cut_out: None,
                    speaker: None,
                };
                t += 2.0;
                s
            })
            .collect()
    }

    #[test]
    fn long_pauses_change_topic_unless_the_sentence_goes_on() {
        let rules = crate::lang::rules("en");
        let s = sents(&[
            ("Pricing is psychology.", 0.0),
            ("Raise your prices.", 0.5),
            ("Hiring comes next.", 2.0),
            ("and hiring is hard.", 2.0),
        ]);
        assert_eq!(segment(&s, &[], rules), [0, 0, 1, 1]);
    }
}
