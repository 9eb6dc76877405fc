//! Telling which language a short text is in, for checking that what a
//! language model wrote is in the episode's language: by its commonest
//! function words (articles, conjunctions, pronouns; short, many shared
//! between languages, so a text must lean clearly one way), or for
//! Japanese, Chinese and Thai by their script.

use super::words::is_unspaced;

/// The commonest function words of the languages clipper can tell apart.
static FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "is", "are", "of", "to", "in", "that", "it", "for", "with", "you",
            "this", "not", "was", "be", "have", "they", "we", "but", "what", "on", "at", "or",
            "their", "your", "from", "how", "why",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "que", "de", "y", "en", "es", "un", "una", "por", "con",
            "no", "se", "lo", "para", "del", "al", "como", "pero", "su", "muy", "más", "qué",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "des", "est", "et", "un", "une", "que", "qui", "en", "du", "pas",
            "pour", "dans", "ce", "il", "je", "nous", "vous", "sur", "avec", "mais", "c'est",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "mit", "den", "dem",
            "ich", "sie", "es", "wir", "auf", "für", "auch", "sich", "von", "aber", "wie", "was",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "as", "que", "de", "e", "é", "um", "uma", "não", "em", "do", "da", "para",
            "com", "por", "se", "mais", "mas", "isso", "muito", "ele", "ela", "são",
        ],
    ),
    (
        "id",
        &[
            "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari", "ke", "ada",
            "saya", "kita", "kami", "akan", "juga", "bisa", "sudah", "atau", "karena", "mereka",
            "adalah",
        ],
    ),
];

/// The part of a code before `-` or `_`, lowercase.
fn primary(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether a language is written without spaces between words.
fn unspaced_language(language: &str) -> bool {
    ["ja", "zh", "th", "yue"].contains(&primary(language).as_str())
}

/// The language `text` plainly reads as when that is not `language`: one
/// whose function words it holds at least three of and more than twice
/// as many as of `language`'s (plus one); for Japanese, Chinese or Thai,
/// the language with most function words (English when none) when the
/// text has five words or more and no character of such a script. `None`
/// when it reads as `language`, is too short to tell, or `language` is
/// one this table cannot tell (Dutch, say).
pub fn reads_as_other(text: &str, language: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .collect();
    let hits = |list: &[&str]| words.iter().filter(|w| list.contains(w)).count();
    let me = primary(language);
    let best_other = FUNCTION_WORDS
        .iter()
        .filter(|(code, _)| *code != me)
        .map(|(code, list)| (*code, hits(list)))
        .max_by_key(|&(_, n)| n);
    if unspaced_language(language) {
        if words.len() >= 5 && !text.chars().any(is_unspaced) {
            return Some(best_other.filter(|&(_, n)| n > 0).map_or("en", |(c, _)| c));
        }
        return None;
    }
    let own = FUNCTION_WORDS.iter().find(|(code, _)| *code == me)?.1;
    let (other, n) = best_other?;
    (n >= 3 && n > 2 * hits(own) + 1).then_some(other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_another_language_is_told_apart() {
        let en = "The thing most founders get wrong is that they price for the hours and not for the result.";
        let es = "Lo que la mayoría de los fundadores hace mal es que cobran por las horas y no por el resultado.";
        let id = "Yang sering salah dari para pendiri adalah mereka menghitung jam dan bukan hasil yang mereka berikan.";
        assert_eq!(reads_as_other(en, "en"), None);
        assert_eq!(reads_as_other(es, "es"), None);
        assert_eq!(reads_as_other(id, "id"), None);
        assert_eq!(reads_as_other(en, "es"), Some("en"));
        assert_eq!(reads_as_other(en, "id"), Some("en"));
        assert_eq!(reads_as_other(es, "en"), Some("es"));
        assert_eq!(reads_as_other(en, "ja"), Some("en"));
        assert_eq!(
            reads_as_other("価格は結果で決めるべきです。 #podcast", "ja"),
            None
        );
        // Too short to tell, or a language clipper has no words for.
        assert_eq!(reads_as_other("Great episode!", "es"), None);
        assert_eq!(reads_as_other(en, "nl"), None);
    }
}
