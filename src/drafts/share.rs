//! How much of a clip's transcript a draft repeats.

use std::collections::HashMap;

/// The most of its clip's transcript a draft may repeat, as a share
/// ([`transcript_share`]): a post quotes the clip, it does not paste it.
pub const MAX_TRANSCRIPT_SHARE: f64 = 0.6;

/// The word tokens of a text: maximal runs of letters, digits and
/// apostrophes (`’` read as `'`, apostrophes at either end dropped),
/// lowercased. `#PriceTheResult` is one token, `pricetheresult`;
/// `example.com/ep1` is three.
pub fn word_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.replace('’', "'").trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The share of a clip's transcript word tokens that a draft repeats,
/// from 0 to 1, order ignored.
///
/// Both texts are made into [`word_tokens`]; each distinct word `w`
/// counts `min(times in the clip, times in the draft)`, and the sum over
/// all words is divided by the clip's token count (a multiset
/// intersection over the clip's size). So a draft that says `pricing`
/// three times repeats a clip's one `pricing` once, and a draft made of
/// the clip's words in another order still counts them all. Fillers the
/// draft left out count as not repeated. A clip with no word gives 0.
///
/// ```
/// use clipper::drafts::transcript_share;
/// let clip = "Um, pricing is a psychology problem. Pricing is hard.";
/// // 9 tokens; the draft repeats pricing twice (its hashtag is a token
/// // too), a, psychology and problem: 5 of 9.
/// let share = transcript_share(clip, "Pricing: a psychology problem? #pricing");
/// assert!((share - 5.0 / 9.0).abs() < 1e-9);
/// assert_eq!(transcript_share(clip, "Hard is pricing psychology problem a is Pricing um"), 1.0);
/// assert_eq!(transcript_share("", "anything"), 0.0);
/// ```
pub fn transcript_share(clip_text: &str, draft_text: &str) -> f64 {
    let clip = word_tokens(clip_text);
    if clip.is_empty() {
        return 0.0;
    }
    let mut draft: HashMap<String, usize> = HashMap::new();
    for w in word_tokens(draft_text) {
        *draft.entry(w).or_insert(0) += 1;
    }
    let mut repeated = 0usize;
    for w in &clip {
        if let Some(n) = draft.get_mut(w).filter(|n| **n > 0) {
            *n -= 1;
            repeated += 1;
        }
    }
    repeated as f64 / clip.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_is_a_multiset_intersection_over_the_clip() {
        assert_eq!(
            word_tokens("It’s #PriceTheResult, 'quoted' ep1"),
            ["it's", "pricetheresult", "quoted", "ep1"]
        );
        let clip = "a a a b";
        assert_eq!(transcript_share(clip, "a"), 0.25);
        assert_eq!(transcript_share(clip, "a a a a a a"), 0.75);
        assert_eq!(transcript_share(clip, "b a c d e f"), 0.5);
        assert_eq!(transcript_share(clip, "B, A! A? a."), 1.0);
        assert_eq!(transcript_share(clip, ""), 0.0);
    }
}
