//! Small text tools for drafts: sentences, banned words, word-boundary
//! cuts, title case, hashtags.

use crate::lang::words::word_count;
use crate::lang::TextRules;

/// Characters written without spaces between words (Han, kana, Hangul
/// syllables, CJK punctuation, full-width forms): a cut may fall between
/// any two of them.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF
        | 0x2E80..=0x2FDF
        | 0x3000..=0x303F
        | 0x3040..=0x30FF
        | 0x3100..=0x31FF
        | 0x3200..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// Splits text into sentences at `.`, `!`, `?` (and their CJK forms)
/// followed by a space or the end.
pub(crate) fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        cur.push(c);
        let stop = matches!(c, '.' | '!' | '?' | '…') || matches!(c, '。' | '！' | '？');
        if stop {
            // Keep closing quotes and runs of stops with the sentence.
            while i + 1 < chars.len()
                && matches!(chars[i + 1], '.' | '!' | '?' | '"' | '”' | '’' | '\'' | ')')
            {
                i += 1;
                cur.push(chars[i]);
            }
            let at_end = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
            if at_end || matches!(c, '。' | '！' | '？') {
                let s = cur.trim().to_string();
                if !s.is_empty() {
                    out.push(s);
                }
                cur.clear();
            }
        }
        i += 1;
    }
    let s = cur.trim().to_string();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// Whether `text` holds `word` (a word or phrase) as a whole word,
/// ignoring case. CJK words match anywhere.
pub(crate) fn contains_word(text: &str, word: &str) -> bool {
    let w = word.trim().to_lowercase();
    if w.is_empty() {
        return false;
    }
    let t = text.to_lowercase();
    let anywhere = w.chars().any(is_cjk);
    t.match_indices(&w).any(|(i, _)| {
        if anywhere {
            return true;
        }
        let before = t[..i].chars().next_back();
        let after = t[i + w.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether `text` holds any of `banned` as a whole word.
pub(crate) fn contains_any(text: &str, banned: &[String]) -> bool {
    banned.iter().any(|b| contains_word(text, b))
}

/// Byte positions where `text` may be cut: after a word, before a space,
/// or between two CJK characters. Each comes with whether it closes a
/// clause (a `,`, `;`, `:` or dash ends the word before it).
fn cut_points(text: &str) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for k in 1..chars.len() {
        let (pos, c) = chars[k];
        let prev = chars[k - 1].1;
        if prev.is_whitespace() {
            continue;
        }
        let boundary = c.is_whitespace() || is_cjk(c) || is_cjk(prev);
        if !boundary {
            continue;
        }
        let clause = matches!(prev, ',' | ';' | ':' | '—' | '–' | '、' | '，');
        out.push((pos, clause));
    }
    out
}

/// `text[..end]` made into a shortened line: trailing punctuation and
/// dangling little words off, `…` on; with the byte length of the words
/// kept (the text goes on from there). `None` when no word is left.
fn shortened(text: &str, end: usize, rules: &TextRules) -> Option<(String, usize)> {
    let trim = |s: &str| -> usize {
        s.trim_end_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | ';' | ':' | '-' | '—' | '–' | '(' | '"' | '“' | '.' | '…' | '、' | '，'
                )
        })
        .len()
    };
    let dangling = rules.dangling;
    let mut kept = trim(&text[..end]);
    while let Some((head, last)) = text[..kept].rsplit_once(' ') {
        let w = last
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if dangling.contains(&w.as_str()) && !head.trim().is_empty() {
            kept = trim(head);
        } else {
            break;
        }
    }
    let s = &text[..kept];
    if !s.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some((format!("{s}…"), kept))
}

/// The longest shortening of `text`, cut after a whole word and ended with
/// `…`, that `fits`, with the byte length of the words kept. `None` when
/// not even the first word fits.
pub(crate) fn cut_to_fit(
    text: &str,
    rules: &TextRules,
    fits: impl Fn(&str) -> bool,
) -> Option<(String, usize)> {
    cut_points(text)
        .into_iter()
        .rev()
        .filter_map(|(end, _)| shortened(text, end, rules))
        .find(|(s, _)| fits(s))
}

/// Like [`cut_to_fit`] within `max_chars`, but prefers ending at a clause
/// boundary when one leaves at least `min_share` of the space used.
pub(crate) fn cut_prefer_clause(
    text: &str,
    max_chars: usize,
    min_share: f64,
    rules: &TextRules,
) -> Option<(String, usize)> {
    let fits = |s: &str| s.chars().count() <= max_chars;
    let points = cut_points(text);
    let clause = points
        .iter()
        .rev()
        .filter(|(_, c)| *c)
        .filter_map(|&(end, _)| shortened(text, end, rules))
        .find(|(s, _)| fits(s) && s.chars().count() as f64 >= max_chars as f64 * min_share);
    clause.or_else(|| cut_to_fit(text, rules, fits))
}

/// `text` within `max_words` words (counted at spaces): whole when it
/// fits, else cut after a word and ended with `…`, at the end of a clause
/// when one keeps at least half of `max_words`.
pub(crate) fn cut_words(text: &str, max_words: usize, rules: &TextRules) -> String {
    let n = word_count;
    if n(text) <= max_words {
        return text.to_string();
    }
    let fits = |s: &str| n(s) <= max_words;
    let clause = cut_points(text)
        .into_iter()
        .rev()
        .filter(|(_, c)| *c)
        .filter_map(|(end, _)| shortened(text, end, rules))
        .find(|(s, _)| fits(s) && n(s) * 2 >= max_words);
    clause
        .or_else(|| cut_to_fit(text, rules, fits))
        .map_or_else(|| text.to_string(), |c| c.0)
}

/// Upper-cases the first letter.
pub(crate) fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(cs).collect(),
        _ => s.to_string(),
    }
}

/// Title case, gently: every word's first letter up except small words
/// inside the title; nothing is lowered (`iPhone`, `SaaS` and `I` stay).
pub(crate) fn title_case(s: &str, rules: &TextRules) -> String {
    let small_words = rules.title_small_words;
    let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let core = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            let small =
                i > 0 && i < last && small_words.contains(&core.as_str()) && !starts_upper(w);
            if small || w.chars().skip(1).any(char::is_uppercase) {
                return (*w).to_string();
            }
            // Capitalise the first letter, after any opening quote.
            let lead: String = w.chars().take_while(|c| !c.is_alphanumeric()).collect();
            format!("{lead}{}", capitalise(&w[lead.len()..]))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn starts_upper(s: &str) -> bool {
    s.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_uppercase)
}

/// Strips trailing punctuation clutter from a title or line: commas,
/// stops, dashes, quotes; a single `?` or `!` stays.
pub(crate) fn clean_end(s: &str) -> String {
    let s = s
        .trim()
        .trim_start_matches(['"', '“', '\'', '‘', '—', '-', ',', ' ']);
    let body = s.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '.' | ','
                    | ';'
                    | ':'
                    | '!'
                    | '?'
                    | '…'
                    | '-'
                    | '—'
                    | '–'
                    | '"'
                    | '”'
                    | '\''
                    | '’'
                    | '。'
                    | '、'
                    | '！'
                    | '？'
            )
    });
    // An apostrophe ending a word (`runnin'`) is lost; fine for a title.
    let tail = &s[body.len()..];
    if tail.contains(['?', '？']) {
        format!("{body}?")
    } else if tail.contains(['!', '！']) {
        format!("{body}!")
    } else {
        body.to_string()
    }
}

/// A hashtag from a keyword or configured tag: `customer churn` →
/// `#CustomerChurn`, `Pricing` → `#pricing`, `SaaS` → `#SaaS`,
/// `#podcast` → `#podcast`. Apostrophes are dropped, other punctuation
/// joins words. `None` when nothing usable is left (no letter).
///
/// ```
/// use clipper::drafts::hashtag;
/// assert_eq!(hashtag("customer churn").as_deref(), Some("#CustomerChurn"));
/// assert_eq!(hashtag("Pricing").as_deref(), Some("#pricing"));
/// assert_eq!(hashtag("go-to-market").as_deref(), Some("#GoToMarket"));
/// assert_eq!(hashtag("2024"), None);
/// ```
pub fn hashtag(s: &str) -> Option<String> {
    let s: String = s
        .trim()
        .trim_start_matches(['#', '＃'])
        .chars()
        .filter(|c| !matches!(c, '\'' | '’'))
        .collect();
    let parts: Vec<&str> = s
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|p| !p.is_empty())
        .collect();
    let tag = match parts.as_slice() {
        [] => return None,
        [one] => {
            if one.chars().skip(1).any(char::is_uppercase) {
                (*one).to_string()
            } else {
                one.to_lowercase()
            }
        }
        many => many.iter().map(|p| capitalise(p)).collect(),
    };
    if !tag.chars().any(char::is_alphabetic) {
        return None;
    }
    Some(format!("#{tag}"))
}

/// A hashtag's words, split at capitals: `#CryptoScams` → `crypto scams`.
pub(crate) fn hashtag_words(tag: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in tag.trim_start_matches('#').chars() {
        if c.is_uppercase() && prev_lower {
            out.push(' ');
        }
        if c == '_' {
            out.push(' ');
        } else {
            out.extend(c.to_lowercase());
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    out
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_and(items: &[String], rules: &TextRules) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), rules.words.and),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> &'static TextRules {
        crate::lang::rules("en")
    }

    #[test]
    fn sentences_split_at_stops() {
        assert_eq!(
            split_sentences("Hi there. Is it? Yes! “Quoted.” 終わり。次"),
            vec!["Hi there.", "Is it?", "Yes!", "“Quoted.”", "終わり。", "次"]
        );
        assert_eq!(
            split_sentences("Version 3.5 is out."),
            vec!["Version 3.5 is out."]
        );
    }

    #[test]
    fn whole_words_only() {
        assert!(contains_word("This is Crypto, folks", "crypto"));
        assert!(!contains_word("cryptography", "crypto"));
        assert!(contains_word("a #crypto tag", "crypto"));
        assert!(contains_word("get rich quick now", "rich quick"));
        assert!(contains_word("価格は心理学", "心理"));
    }

    #[test]
    fn cuts_fall_after_whole_words() {
        let t = "Pricing is a psychology problem, not a math problem at all";
        let (s, end) = cut_to_fit(t, en(), |s| s.chars().count() <= 30).unwrap();
        assert_eq!(s, "Pricing is a psychology…");
        assert_eq!(&t[end..], " problem, not a math problem at all");
        // Dangling little words go to the next line, not lost.
        let (s, end) = cut_to_fit(t, en(), |s| s.chars().count() <= 42).unwrap();
        assert_eq!(s, "Pricing is a psychology problem, not…");
        assert_eq!(&t[end..], " a math problem at all");
        let (s, _) = cut_prefer_clause(t, 45, 0.3, en()).unwrap();
        assert_eq!(s, "Pricing is a psychology problem…");
        let (s, _) = cut_to_fit("価格は心理学の問題です", en(), |s| {
            s.chars().count() <= 4
        })
        .unwrap();
        assert_eq!(s, "価格は…");
        assert!(cut_to_fit("Supercalifragilistic words", en(), |s| s.len() < 5).is_none());
    }

    #[test]
    fn titles_and_tags() {
        assert_eq!(
            title_case("most founders think pricing is a math problem", en()),
            "Most Founders Think Pricing Is a Math Problem"
        );
        assert_eq!(
            title_case("why SaaS and iPhone apps win", en()),
            "Why SaaS and iPhone Apps Win"
        );
        assert_eq!(
            clean_end("Stop guessing your prices..."),
            "Stop guessing your prices"
        );
        assert_eq!(clean_end("Why does this work?!"), "Why does this work?");
        assert_eq!(hashtag("#GrowthHour").as_deref(), Some("#GrowthHour"));
        assert_eq!(hashtag("don't panic").as_deref(), Some("#DontPanic"));
        assert_eq!(hashtag("AI").as_deref(), Some("#AI"));
        assert_eq!(hashtag("価格").as_deref(), Some("#価格"));
        assert_eq!(hashtag_words("#CryptoScams"), "crypto scams");
        assert_eq!(
            join_and(&["a".into(), "b".into(), "c".into()], en()),
            "a, b and c"
        );
    }
}
