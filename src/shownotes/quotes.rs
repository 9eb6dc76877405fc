//! Key quotes: the lines of the episode worth pulling out on their own.
//! A quote is one whole sentence as spoken: short, standing alone (no
//! "it"/"that" opening that needs the sentence before), not a question and
//! never filler, and it says something strongly: claim and emotion words,
//! a hook opening, numbers, an exclamation. The strongest distinct ones
//! are kept, [`MIN_QUOTES`] to [`MAX_QUOTES`]. A line with a word the
//! transcription was unsure of is never a quote, however few that leaves:
//! a key quote is published as it stands, and on hard audio (radio, a
//! noisy room) the unsure lines are the misheard ones ("We got a
//! recommendation for you on your toys to see a lamb E.").

use super::{similarity, Analysis};
use crate::highlights::score;

/// Fewest quotes (when the episode has that many sentences to offer).
pub const MIN_QUOTES: usize = 5;
/// Most quotes.
pub const MAX_QUOTES: usize = 10;
/// Shortest quote, words.
pub const MIN_WORDS: usize = 6;
/// Longest quote, words.
pub const MAX_WORDS: usize = 22;
/// A quote this similar to one already kept says the same again.
const REDUNDANT: f64 = 0.5;
/// Lowest mean word probability of a quote. On the demo episode the
/// misheard lines of the meeting excerpt average 0.45–0.59 ("Okay, we
/// weren't sure that this is it."), clearly heard lines 0.85 and more.
const MIN_CONFIDENCE: f64 = 0.7;
/// Strength that makes a line quotable in its own right (a claim or an
/// emotion word at least); weaker lines only fill up to [`MIN_QUOTES`].
const STRONG: f64 = 2.0;

/// True when `padded` (space-padded lowercase words) holds `phrase` as
/// whole words.
fn has(padded: &str, phrase: &str) -> bool {
    padded.contains(&format!(" {phrase} "))
}

/// How strongly sentence `i` says something, 0 for none.
pub fn strength(a: &Analysis, i: usize) -> f64 {
    let s = &a.sents[i];
    let words = score::words(&s.text);
    let padded = format!(" {} ", words.join(" "));
    let hits = |list: &[&str]| list.iter().filter(|p| has(&padded, p)).count() as f64;
    let claims = hits(a.rules.claim_words).min(2.0);
    let emotion = hits(a.rules.emotion_words).min(2.0);
    let hook = a
        .rules
        .hook_openers
        .iter()
        .any(|h| padded.starts_with(&format!(" {h} ")));
    let numbers = words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
        || hits(a.rules.number_words) > 0.0;
    let fit = if (7..=16).contains(&s.words) {
        1.0
    } else {
        0.5
    };
    2.0 * claims
        + 2.0 * emotion
        + if hook { 1.0 } else { 0.0 }
        + if numbers { 0.5 } else { 0.0 }
        + if s.text.contains('!') { 0.5 } else { 0.0 }
        + fit * s.confidence.clamp(0.0, 1.0)
}

/// True when sentence `i` may be a quote: content heard clearly (no
/// unsure word, a mean word probability of [`MIN_CONFIDENCE`]), a
/// statement of [`MIN_WORDS`]..=[`MAX_WORDS`] words that opens like a
/// sentence and does not lean on the one before. `loose` lets in lines
/// from five words and lines that lean ("But…", "It is…"); never a line
/// of three or four words ("Just a suggestion." is no key quote), never one
/// that starts in lower case or does not end like a sentence where the
/// transcript marks its sentence ends (the halves of a sentence cut in two
/// at a speaker change: "I just, I'm just, I'm just, yeah,", "…people
/// might find it easier to browse one"), or that ends on a word pointing
/// back ("Here is the opposite of that.").
fn eligible(a: &Analysis, i: usize, loose: bool) -> bool {
    let s = &a.sents[i];
    let leans = a.leans_on_before(i);
    let min = if loose { 5 } else { MIN_WORDS };
    let lower_start = s.text.chars().next().is_some_and(char::is_lowercase);
    let points_back = score::ends_pointing_back(&s.text, a.rules);
    a.is_content(i)
        && a.unsure[i].is_empty()
        && s.confidence >= MIN_CONFIDENCE
        && !lower_start
        && !points_back
        && !s.is_question()
        && !s.text.trim_end().ends_with("...")
        && !s.text.trim_end().ends_with([',', ';', ':', '-', '—'])
        && (!a.punctuated || crate::lang::words::ends_sentence(&s.text))
        && !a.said_twice(i)
        && (min..=MAX_WORDS).contains(&s.words)
        && s.start < s.end
        && (loose || !leans)
}

/// The key quotes (indices into `a.sents`), in episode order: every strong
/// line up to [`MAX_QUOTES`], at least [`MIN_QUOTES`] (or one a minute,
/// whichever is more) when there are enough sentences, no two alike.
/// `duration` bounds their times.
pub fn pick(a: &Analysis, duration: f64) -> Vec<usize> {
    let want = ((duration / 60.0).round() as usize).clamp(MIN_QUOTES, MAX_QUOTES);
    let mut picked: Vec<usize> = Vec::new();
    for loose in [false, true] {
        let mut ranked: Vec<(usize, f64)> = (0..a.sents.len())
            .filter(|&i| eligible(a, i, loose) && a.sents[i].start <= duration)
            .map(|i| (i, strength(a, i)))
            .collect();
        ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        for (i, st) in ranked {
            let enough = picked.len() >= MAX_QUOTES || (picked.len() >= want && st < STRONG);
            if enough {
                break;
            }
            let alike = picked.iter().any(|&p| {
                p == i
                    || similarity(&a.words[p], &a.words[i]) > REDUNDANT
                    || a.sents[p].text.trim() == a.sents[i].text.trim()
            });
            if !alike {
                picked.push(i);
            }
        }
        if picked.len() >= want {
            break;
        }
    }
    picked.sort_unstable();
    picked
}

#[cfg(test)]
mod tests {
    use super::super::testing::sents;
    use super::*;

    #[test]
    fn quotes_are_strong_distinct_statements() {
        let rules = crate::lang::rules("en");
        let s = sents(&[
            (
                "Welcome to Signal and Noise, the best show about pricing.",
                0.0,
            ),
            ("The biggest mistake founders make is pricing too low.", 0.0),
            ("Why do founders never raise their prices?", 0.0),
            ("It is always the most important lesson of all.", 0.0),
            ("Customers trusted us more because we charged double.", 0.0),
            ("Nobody believed me until they saw the numbers.", 0.0),
            ("I love hiring people who are better than me.", 0.0),
            (
                "A low price tells people you are not sure of your value.",
                0.0,
            ),
            ("The weather was mild that week in the city.", 0.0),
            (
                "You should never hire for the problems you have today.",
                0.0,
            ),
            ("The biggest mistake founders make is pricing too low.", 0.0),
            ("Use the promo code SIGNAL for the best deal.", 0.0),
        ]);
        let a = Analysis::of_sentences(s, &[], rules);
        let q = pick(&a, 100.0);
        assert!((MIN_QUOTES..=MAX_QUOTES).contains(&q.len()), "{q:?}");
        for bad in [0, 2, 3, 10, 11] {
            assert!(!q.contains(&bad), "{bad} in {q:?}");
        }
        for good in [1, 5, 6, 9] {
            assert!(q.contains(&good), "{good} missing from {q:?}");
        }
        assert!(q.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_line_with_an_unsure_word_is_never_a_quote() {
        let rules = crate::lang::rules("en");
        let lines = [
            ("The biggest mistake founders make is pricing too low.", 0.0),
            ("We got a recommendation for you on your toys today.", 0.0),
            ("Customers trusted us more because we charged double.", 0.0),
        ];
        let mut a = Analysis::of_sentences(sents(&lines), &[], rules);
        assert_eq!(pick(&a, 100.0), [0, 1, 2]);
        a.unsure[1] = vec!["toys".into()];
        // Fewer than MIN_QUOTES are left, and the unsure line still stays out.
        assert_eq!(pick(&a, 100.0), [0, 2]);
        a.unsure[1].clear();
        a.sents[2].confidence = 0.5;
        assert_eq!(pick(&a, 100.0), [0, 1]);
        a.sents[1].text = "founders make is pricing too low for the value.".into();
        assert_eq!(pick(&a, 100.0), [0]);
        a.sents[1].text = "Here is the opposite of that.".into();
        assert_eq!(pick(&a, 100.0), [0]);
        a.sents[1].text = "I just, I'm just, I'm just, yeah,".into();
        assert_eq!(pick(&a, 100.0), [0]);
        a.sents[1].text = "People might find it easier to browse one".into();
        assert_eq!(pick(&a, 100.0), [0]);
        a.sents[1].text = a.sents[0].text.clone();
        assert!(pick(&a, 100.0).is_empty(), "a line said twice is a loop");
        // the first copy cut in two (speaker labels flickering inside it)
        let whole = a.sents[0].text.clone();
        let (head, tail) = whole.split_at(whole.find(" is ").unwrap());
        a.sents[0].text = head.into();
        a.sents[1].text = tail.trim().into();
        a.sents[2].text = whole;
        a.sents[2].confidence = 0.9;
        assert!(!pick(&a, 100.0).contains(&2), "a line said twice is a loop");
    }

    #[test]
    fn a_line_of_three_words_never_fills_up_the_quotes() {
        let rules = crate::lang::rules("en");
        let lines = [
            ("The biggest mistake founders make is pricing too low.", 0.0),
            ("Just a suggestion.", 0.0),
            ("But we know we can take it out.", 0.0),
        ];
        let a = Analysis::of_sentences(sents(&lines), &[], rules);
        assert_eq!(pick(&a, 100.0), [0, 2]);
    }

    #[test]
    fn an_unpunctuated_transcript_still_has_quotes() {
        let rules = crate::lang::rules("en");
        let lines = [
            ("The biggest mistake founders make is pricing too low", 0.0),
            ("Customers trusted us more because we charged double", 0.0),
        ];
        let a = Analysis::of_sentences(sents(&lines), &[], rules);
        assert!(!a.punctuated);
        assert_eq!(pick(&a, 100.0), [0, 1]);
    }

    #[test]
    fn a_short_episode_gives_what_it_has() {
        let rules = crate::lang::rules("en");
        let a = Analysis::of_sentences(sents(&[("Pricing is the real secret.", 0.0)]), &[], rules);
        assert_eq!(pick(&a, 10.0), [0]);
    }
}
