//! Words in any script: Japanese, Chinese and Thai put no spaces between
//! words, so counting words at spaces sees a whole sentence as one word
//! (a 40-second Japanese clip "fits" any word limit, and a keyword or
//! hashtag becomes the whole line). Splitting goes through the
//! `unicode-segmentation` crate (Unicode's word boundaries, UAX #29):
//! within a run of such a script it parts each ideograph and kana and
//! keeps a katakana run whole, with no dictionary to carry. Text in
//! scripts written with spaces is counted at spaces exactly as before.

use unicode_segmentation::UnicodeSegmentation;

/// Whether `c` belongs to a script written without spaces between words
/// (Han, hiragana, katakana, CJK punctuation and full-width forms; Thai,
/// Lao, Khmer, Myanmar). Hangul is written with spaces and is not one.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF          // Thai, Lao
        | 0x1000..=0x109F        // Myanmar
        | 0x1780..=0x17FF        // Khmer
        | 0x2E80..=0x2FDF        // CJK radicals
        | 0x3000..=0x30FF        // CJK punctuation, kana
        | 0x3100..=0x31FF        // Bopomofo, kana extensions
        | 0x3400..=0x9FFF        // Han
        | 0xF900..=0xFAFF        // Han compatibility
        | 0xFF00..=0xFFEF        // full-width forms
        | 0x20000..=0x3FFFF) // Han extensions
}

/// Whether `text` ends a sentence: a full stop, question or exclamation
/// mark (Latin or CJK), before any closing quote or bracket. An ellipsis
/// trails off and does not count; neither does a comma, a colon or no
/// mark at all (the half of a sentence the scorer cut at a speaker change).
pub fn ends_sentence(text: &str) -> bool {
    let s = text
        .trim_end()
        .trim_end_matches(['"', '\'', ')', '”', '’', '»']);
    s.ends_with(['.', '?', '!', '。', '？', '！']) && !s.ends_with("...")
}

/// How much of a word one character of a script without spaces is worth
/// when UAX #29 splits it off alone: Japanese and Chinese words average
/// about two characters, Thai words about three.
fn char_weight(c: char) -> f64 {
    if matches!(c as u32, 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF) {
        1.0 / 3.0
    } else {
        0.5
    }
}

/// The number of words in `text`: its space-separated chunks, where a
/// chunk in a script without spaces ([`is_unspaced`]) counts its Unicode
/// word segments instead (one character alone counts as part of a word,
/// see [`char_weight`]; at least one). For text written with spaces this is
/// `text.split_whitespace().count()`.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|chunk| {
            if !chunk.chars().any(is_unspaced) {
                return 1.0;
            }
            let n: f64 = chunk
                .unicode_words()
                .map(|w| {
                    let mut cs = w.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) if is_unspaced(c) => char_weight(c),
                        _ => 1.0,
                    }
                })
                .sum();
            n.max(1.0)
        })
        .sum::<f64>()
        .round() as usize
}

/// The words of `text` for keywords and hashtags: space-separated chunks,
/// each split further at Unicode word boundaries when it holds a script
/// without spaces (a Japanese sentence gives its ideographs and kana runs,
/// not one word); punctuation-only pieces left out.
pub fn split_words(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .flat_map(|chunk| {
            if chunk.chars().any(is_unspaced) {
                chunk.unicode_words().collect::<Vec<_>>()
            } else {
                vec![chunk]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_text_counts_at_spaces() {
        for t in [
            "Pricing is psychology, not math — really.",
            "Jadi, kita itu bingung gitu.",
            "",
        ] {
            assert_eq!(word_count(t), t.split_whitespace().count(), "{t}");
        }
        assert_eq!(split_words("don't stop"), ["don't", "stop"]);
    }

    #[test]
    fn japanese_and_chinese_count_words_not_lines() {
        // 価格は / 心理学の / 問題です: about five words, not one.
        let ja = "価格は心理学の問題です。";
        assert!((4..=7).contains(&word_count(ja)), "{}", word_count(ja));
        let long = "今日はとても大事な話をします。価格は心理学の問題で、数学の問題ではありません。";
        assert!(word_count(long) > 15, "{}", word_count(long));
        assert!(split_words(ja).len() > 5);
        assert!(split_words("カタカナテストです").contains(&"カタカナテスト"));
        assert_eq!(word_count("我们今天讨论定价问题"), 5);
        let th = "ราคาเป็นเรื่องของจิตวิทยา";
        assert!((4..=9).contains(&word_count(th)), "{}", word_count(th));
    }
}
