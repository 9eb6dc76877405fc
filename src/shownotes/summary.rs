//! The summary: the two or three sentences that say most of what the
//! episode says. Each candidate is scored by its centrality (how much its
//! content words overlap with every other content sentence), so the
//! sentences picked are the ones the rest of the episode keeps coming back
//! to; they are quoted as spoken, never rewritten.

use super::{similarity, Analysis};

/// Most sentences in the summary.
pub const MAX_SENTENCES: usize = 3;
/// Fewest sentences the summary aims for.
pub const MIN_SENTENCES: usize = 2;
/// A candidate has at least this many words.
pub const MIN_WORDS: usize = 6;
/// A candidate has at most this many words (a longer "sentence" is
/// usually speech Whisper left unpunctuated).
pub const MAX_SENTENCE_WORDS: usize = 35;
/// A third sentence is left out when it would take the summary past this
/// many words.
const MAX_WORDS: usize = 70;
/// A sentence this similar to one already picked says the same again.
const REDUNDANT: f64 = 0.5;

/// The summary's sentences (indices into `a.sents`), in episode order.
pub fn pick(a: &Analysis) -> Vec<usize> {
    let strict = |i: usize| {
        let s = &a.sents[i];
        (MIN_WORDS..=MAX_SENTENCE_WORDS).contains(&s.words)
            && !s.is_question()
            && s.text.trim_end().ends_with(['.', '!'])
            && !s.text.trim_end().ends_with("...")
            && !a.leans_on_before(i)
            && !a.said_twice(i)
    };
    let mut picked = greedy(a, &ranked(a, &strict, true), true);
    if picked.len() < MIN_SENTENCES {
        // A short or choppy episode: any content statement of a few words.
        let loose =
            |i: usize| a.sents[i].words >= 3 && !a.sents[i].is_question() && !a.said_twice(i);
        picked = greedy(a, &ranked(a, &loose, false), false);
    }
    picked.sort_unstable();
    picked
}

/// Content sentences passing `ok`, most central first (ties: earlier);
/// with `shared`, only those sharing a word with some other sentence.
fn ranked(a: &Analysis, ok: &dyn Fn(usize) -> bool, shared: bool) -> Vec<usize> {
    let content: Vec<usize> = (0..a.sents.len()).filter(|&i| a.is_content(i)).collect();
    let others = (content.len().max(2) - 1) as f64;
    let mut scored: Vec<(usize, f64)> = content
        .iter()
        .copied()
        .filter(|&i| ok(i) && !a.words[i].is_empty())
        .map(|i| {
            let overlap: f64 = content
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| similarity(&a.words[i], &a.words[j]))
                .sum();
            (i, overlap / others * a.sents[i].confidence.clamp(0.1, 1.0))
        })
        .collect();
    scored.retain(|x| !shared || x.1 > 0.0);
    scored.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    scored.into_iter().map(|(i, _)| i).collect()
}

/// The best-ranked sentences that do not repeat one another, within the
/// summary's length: first at most one per topic, so that the summary
/// covers the episode rather than its longest stretch (with `spread`), then
/// any.
fn greedy(a: &Analysis, ranked: &[usize], spread: bool) -> Vec<usize> {
    let mut picked: Vec<usize> = Vec::new();
    let mut words = 0;
    for one_per_topic in [spread, false] {
        for &i in ranked {
            if picked.len() == MAX_SENTENCES {
                break;
            }
            let repeats = picked.iter().any(|&p| {
                p == i
                    || similarity(&a.words[p], &a.words[i]) > REDUNDANT
                    || (one_per_topic && a.topic[p] == a.topic[i])
            });
            let too_long = picked.len() >= MIN_SENTENCES && words + a.sents[i].words > MAX_WORDS;
            if repeats || too_long {
                continue;
            }
            words += a.sents[i].words;
            picked.push(i);
        }
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::super::testing::sents;
    use super::*;

    #[test]
    fn picks_central_statements_not_filler_questions_or_scraps() {
        let rules = crate::lang::rules("en");
        let s = sents(&[
            ("Welcome to Signal and Noise, the show about pricing.", 0.0),
            ("What is the biggest pricing mistake founders make?", 0.0),
            (
                "Founders price their product too low and customers notice.",
                0.0,
            ),
            ("Pricing tells customers what the product is worth.", 0.0),
            ("Yes.", 0.0),
            ("My grandmother baked bread in a small village.", 0.0),
            ("A higher price made customers trust the product more.", 0.0),
            (
                "This episode is sponsored by Northwind pricing software.",
                0.0,
            ),
        ]);
        let a = Analysis::of_sentences(s, &[], rules);
        let picked = pick(&a);
        assert!((2..=3).contains(&picked.len()), "{picked:?}");
        for i in &picked {
            assert!([2, 3, 6].contains(i), "{picked:?}");
        }
        assert!(picked.windows(2).all(|w| w[0] < w[1]), "episode order");
    }

    #[test]
    fn a_tiny_episode_still_gets_what_it_has() {
        let rules = crate::lang::rules("en");
        let a = Analysis::of_sentences(sents(&[("Pricing is hard work.", 0.0)]), &[], rules);
        assert_eq!(pick(&a), [0]);
        let a = Analysis::of_sentences(Vec::new(), &[], rules);
        assert!(pick(&a).is_empty());
    }
}
