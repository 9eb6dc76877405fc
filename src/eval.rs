//! Accuracy measurement: word error rate against a reference text.
//!
//! Used by the tests and the benchmark script, so both score transcripts the
//! same way. Text is normalised before comparison: lower case, punctuation
//! dropped (apostrophes inside words removed, hyphens split words), so that
//! "Feed'st" and "feedst" or "bud-buriest" and "bud buriest" compare equal.

/// Splits text into normalised words.
pub fn normalize_words(text: &str) -> Vec<String> {
    let mut cleaned = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            cleaned.extend(ch.to_lowercase());
        } else if ch == '\'' || ch == '’' {
            // "world's" -> "worlds"
        } else {
            cleaned.push(' ');
        }
    }
    cleaned.split_whitespace().map(str::to_string).collect()
}

/// Word-level edit distance between a reference and a hypothesis.
pub fn edit_distance(reference: &[String], hypothesis: &[String]) -> usize {
    let mut prev: Vec<usize> = (0..=hypothesis.len()).collect();
    let mut cur = vec![0; hypothesis.len() + 1];
    for (i, r) in reference.iter().enumerate() {
        cur[0] = i + 1;
        for (j, h) in hypothesis.iter().enumerate() {
            let sub = prev[j] + usize::from(r != h);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[hypothesis.len()]
}

/// Word error rate of `hypothesis` against `reference` (0.0 = perfect).
pub fn wer(reference: &str, hypothesis: &str) -> f64 {
    let r = normalize_words(reference);
    let h = normalize_words(hypothesis);
    if r.is_empty() {
        return if h.is_empty() { 0.0 } else { 1.0 };
    }
    edit_distance(&r, &h) as f64 / r.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_punctuation_and_apostrophes() {
        assert_eq!(
            normalize_words("And so, my fellow Americans: Feed'st bud-buriest!"),
            [
                "and",
                "so",
                "my",
                "fellow",
                "americans",
                "feedst",
                "bud",
                "buriest"
            ]
        );
    }

    #[test]
    fn counts_substitutions_insertions_and_deletions() {
        assert_eq!(wer("a b c d", "a b c d"), 0.0);
        assert_eq!(wer("a b c d", "a x c d"), 0.25);
        assert_eq!(wer("a b c d", "a b c"), 0.25);
        assert_eq!(wer("a b c d", "a b c d e f"), 0.5);
        assert_eq!(wer("", ""), 0.0);
    }
}
