//! What a clip is about, in its own words: key phrases, proper nouns and
//! the topic a post's framing line names. Nothing is inferred beyond the
//! words spoken in the clip.

use crate::lang::TextRules;

/// One spoken word with what surrounds it.
#[derive(Debug)]
struct Spoken {
    /// The word without surrounding punctuation, as spoken.
    text: String,
    lower: String,
    /// The first word of its sentence.
    opens: bool,
    /// Punctuation follows it (a phrase does not run on past it).
    breaks: bool,
}

fn spoken_words(sentence: &str) -> Vec<Spoken> {
    let mut out: Vec<Spoken> = Vec::new();
    for chunk in sentence.split_whitespace() {
        let core = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            if let Some(last) = out.last_mut() {
                last.breaks = true;
            }
            continue;
        }
        let end = chunk.rfind(core).map_or(0, |i| i + core.len());
        let trail = &chunk[end..];
        let lead = &chunk[..chunk.find(core).unwrap_or(0)];
        if !lead.is_empty() {
            if let Some(last) = out.last_mut() {
                last.breaks = true;
            }
        }
        out.push(Spoken {
            text: core.to_string(),
            lower: core.to_lowercase().replace('’', "'"),
            opens: out.is_empty(),
            breaks: !trail.is_empty(),
        });
    }
    out
}

/// Whether a lowercase word is too common to be a hashtag or a topic's
/// only content: in [`TextRules::common_words`] or
/// [`TextRules::stopwords`].
pub(crate) fn is_common(word: &str, rules: &TextRules) -> bool {
    rules.common_words.contains(&word) || rules.stopwords.contains(&word)
}

/// A word that only glues others (article, pronoun, conjunction,
/// auxiliary, filler): never at the edge of a key phrase.
fn is_function_word(w: &str, rules: &TextRules) -> bool {
    w.contains('\'')
        || w.chars().count() < 3
        || !w.chars().all(char::is_alphabetic)
        || [
            rules.stopwords,
            rules.dangling,
            rules.title_small_words,
            rules.needs_context,
            rules.person_pronouns,
            rules.weak_openers,
            rules.fillers,
            rules.no_clause_end,
        ]
        .iter()
        .any(|l| l.contains(&w))
}

/// A common word that may still open a key phrase: an ordinal
/// (`first engineer`), from [`TextRules::list_cues`].
fn is_modifier(w: &str, rules: &TextRules) -> bool {
    rules.list_cues.contains(&w)
}

/// Whether a word looks like a name: capitalised (or all capitals), not
/// `I`, not a common word.
fn looks_proper(w: &Spoken, rules: &TextRules) -> bool {
    w.text.chars().next().is_some_and(char::is_uppercase)
        && w.text.chars().all(|c| c.is_alphabetic() || c == '-')
        && w.lower != "i"
        && !is_common(&w.lower, rules)
        && !is_function_word(&w.lower, rules)
}

/// The clip's proper nouns: runs of up to three capitalised words inside
/// a sentence (`Dana Whitfield`, `Tokyo`, `LCD`), not counting a
/// sentence's first word unless the same word is capitalised mid-sentence
/// elsewhere; in order of first use, each once, none inside another.
pub(crate) fn proper_nouns(sentences: &[String], rules: &TextRules) -> Vec<String> {
    let all: Vec<Vec<Spoken>> = sentences.iter().map(|s| spoken_words(s)).collect();
    let mid: Vec<&str> = all
        .iter()
        .flatten()
        .filter(|w| !w.opens && looks_proper(w, rules))
        .map(|w| w.text.as_str())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for words in &all {
        let mut run: Vec<&str> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let proper = looks_proper(w, rules) && (!w.opens || mid.contains(&w.text.as_str()));
            if proper && run.len() < 3 {
                run.push(&w.text);
            }
            let ends = !proper || w.breaks || i + 1 == words.len() || run.len() == 3;
            if ends && !run.is_empty() {
                let name = run.join(" ");
                let lower = name.to_lowercase();
                if !out.iter().any(|o| o.to_lowercase().contains(&lower)) {
                    out.push(name);
                }
                run.clear();
            }
        }
    }
    out
}

/// The clip's key phrases, best first: runs of two or three words inside
/// one sentence (no punctuation between) that start and end on a content
/// word that is not a common word (an ordinal may open one), hold one of the clip's `keywords` that is not a common word, and
/// join three words only by a small word (`price the result`). A phrase
/// ranks by its keywords (earlier keywords weigh more) and by how often it
/// is said; ties go to the first said. Lowercase unless spoken with
/// capitals.
pub(crate) fn key_phrases(
    sentences: &[String],
    keywords: &[String],
    rules: &TextRules,
) -> Vec<String> {
    let weight = |w: &str| -> f64 {
        keywords
            .iter()
            .position(|k| k.to_lowercase() == w)
            .filter(|_| !is_common(w, rules))
            .map_or(0.0, |i| (keywords.len() - i) as f64)
    };
    let mut found: Vec<(String, f64, usize)> = Vec::new();
    for s in sentences {
        let words = spoken_words(s);
        for n in [3, 2] {
            for win in words.windows(n) {
                let (first, last) = (&win[0], &win[n - 1]);
                let runs_on = win[..n - 1].iter().all(|w| !w.breaks);
                let edges = !is_function_word(&first.lower, rules)
                    && !is_function_word(&last.lower, rules)
                    && !is_common(&last.lower, rules)
                    && (!is_common(&first.lower, rules) || is_modifier(&first.lower, rules));
                let middle = n == 2 || rules.title_small_words.contains(&win[1].lower.as_str());
                let score: f64 = win.iter().map(|w| weight(&w.lower)).sum();
                if !(runs_on && edges && middle && score > 0.0) {
                    continue;
                }
                let phrase = win
                    .iter()
                    .map(|w| {
                        if w.text.chars().skip(1).any(char::is_uppercase) || !w.opens {
                            w.text.clone()
                        } else {
                            w.lower.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                let key = phrase.to_lowercase();
                match found.iter_mut().find(|f| f.0.to_lowercase() == key) {
                    Some(f) => f.1 += 0.5,
                    None => found.push((phrase, score, found.len())),
                }
            }
        }
    }
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    found.into_iter().map(|f| f.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn proper_nouns_are_capitalised_runs() {
        let s = v(&[
            "My guest today is Dana Whitfield, who runs a company.",
            "Dana, what is the biggest mistake?",
            "We launched in Tokyo with a little LCD display.",
            "I think It matters.",
        ]);
        assert_eq!(
            proper_nouns(&s, crate::lang::rules("en")),
            ["Dana Whitfield", "Tokyo", "LCD"]
        );
    }

    #[test]
    fn key_phrases_hold_keywords_and_content_words() {
        let s = v(&[
            "So most founders think pricing is a math problem.",
            "Our customer churn went down.",
            "You have to price the result, not the hours.",
            "The first engineer you hire matters.",
        ]);
        let k = v(&["pricing", "churn", "price", "engineer", "founders"]);
        let p = key_phrases(&s, &k, crate::lang::rules("en"));
        assert_eq!(p[0], "customer churn", "{p:?}");
        for want in ["price the result", "first engineer"] {
            assert!(p.contains(&want.to_string()), "{p:?}");
        }
        assert!(
            !p.iter().any(|x| x.contains("think") || x.contains("most")),
            "{p:?}"
        );
    }
}
