//! The show's names, spelled right everywhere.
//!
//! Whisper writes names it does not know by ear: a host called Rivera
//! becomes "Rimmera", a sponsor called Ledgerly "Langerly". The client's
//! `glossary` in `clipper.toml` lists the show's names and terms; this pass
//! runs on the transcript before anything is made from it, so the
//! transcript files, subtitles, clips, drafts and show notes all carry the
//! right spelling. A word (or run of words) is replaced by a glossary term
//! only when Whisper wrote it capitalised (as it writes a name it half
//! heard) and it is a near miss: the same first letter and at most a third
//! of its letters different (edit distance). A lower-case word ("rose") is
//! never turned into a name ("Rosa"). Word times are kept.

use crate::lang::TextRules;
use crate::transcript::{Segment, Transcript, Word};

/// Letters and digits of a word, lowercase.
fn key(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance between two short strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// True when `heard` is a near miss of the glossary word `term` (both as
/// [`key`]s): not equal, same first letter, at most a third different.
fn near_miss(heard: &str, term: &str) -> bool {
    heard != term
        && heard.chars().next() == term.chars().next()
        && term.chars().count() >= 4
        && distance(heard, term) * 3 <= term.chars().count()
}

/// One correction made, for the record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Correction {
    /// Where, seconds.
    pub at: f64,
    /// What Whisper wrote.
    pub heard: String,
    /// The glossary's spelling.
    pub written: String,
}

/// Corrects near misses of the glossary's `terms` in `t`, in place, and
/// returns what it changed. Terms of several words match as many words.
pub fn apply(t: &mut Transcript, terms: &[String], rules: &TextRules) -> Vec<Correction> {
    let mut fixes = Vec::new();
    if terms.is_empty() {
        return fixes;
    }
    for seg in &mut t.segments {
        for term in terms {
            let parts: Vec<&str> = term.split_whitespace().collect();
            if parts.is_empty() {
                continue;
            }
            fix_segment(seg, &parts, rules, &mut fixes);
        }
        seg.text = seg
            .words
            .iter()
            .map(|w| w.word.as_str())
            .collect::<String>()
            .trim()
            .to_string();
    }
    fixes
}

/// Replaces each run of words in `seg` that is a near miss of `parts`.
fn fix_segment(seg: &mut Segment, parts: &[&str], rules: &TextRules, fixes: &mut Vec<Correction>) {
    let n = parts.len();
    let mut i = 0;
    while i + n <= seg.words.len() {
        let run = &seg.words[i..i + n];
        if matches(run, parts, rules) {
            let heard: String = run.iter().map(|w| w.word.as_str()).collect::<String>();
            let bare = |s: &str| s.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
            for (w, part) in seg.words[i..i + n].iter_mut().zip(parts) {
                w.word = respell(&w.word, part);
            }
            let written: String = seg.words[i..i + n]
                .iter()
                .map(|w| w.word.as_str())
                .collect();
            fixes.push(Correction {
                at: seg.words[i].start,
                heard: bare(&heard),
                written: bare(&written),
            });
            i += n;
        } else {
            i += 1;
        }
    }
}

/// True when the words of `run` are, one for one, the glossary's `parts`
/// or near misses of them, at least one a miss, every miss written
/// capitalised and none a common word of the language.
fn matches(run: &[Word], parts: &[&str], rules: &TextRules) -> bool {
    let mut missed = false;
    for (w, part) in run.iter().zip(parts) {
        let (heard, term) = (key(&w.word), key(part));
        if heard == term {
            continue;
        }
        let capital = w
            .word
            .trim_start()
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(char::is_uppercase);
        let common = rules.common_words.contains(&heard.as_str());
        if !capital || common || !near_miss(&heard, &term) {
            return false;
        }
        missed = true;
    }
    missed
}

/// `word` (with its leading space and punctuation) spelled as `part`.
fn respell(word: &str, part: &str) -> String {
    let lead: String = word.chars().take_while(|c| !c.is_alphanumeric()).collect();
    let tail: String = word
        .chars()
        .rev()
        .take_while(|c| !c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let core: String = part
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '\'')
        .collect();
    format!("{lead}{core}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript(text: &str) -> Transcript {
        let words = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                speaker: None,
                start: i as f64,
                end: i as f64 + 0.5,
                word: format!(" {w}"),
                probability: 0.9,
            })
            .collect();
        Transcript::from_words(words, 60.0, "")
    }

    #[test]
    fn near_misses_of_names_are_respelled_and_common_words_left() {
        let rules = crate::lang::rules("en");
        let mut t = transcript(
            "I'm your host, Sam Rimmera. Try Langerly today. The river was there, and Dana Whitfeld too. Beauty's rose.",
        );
        let terms: Vec<String> = [
            "Sam Rivera",
            "Ledgerly",
            "Dana Whitfield",
            "Riverside",
            "Rosa",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let fixes = apply(&mut t, &terms, rules);
        assert_eq!(
            t.text(),
            "I'm your host, Sam Rivera. Try Ledgerly today. The river was there, and Dana Whitfield too. Beauty's rose."
        );
        assert_eq!(fixes.len(), 3);
        assert_eq!(
            (fixes[0].heard.as_str(), fixes[0].written.as_str()),
            ("Sam Rimmera", "Sam Rivera")
        );
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
