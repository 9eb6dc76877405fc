//! What is not content: ads and sponsor reads, phone menus and other
//! recorded prompts, show intros and outros, housekeeping, and lines read
//! over and over. No clip may hold any of it, however lively it sounds.
//!
//! Each sentence is matched against the language's phrase lists
//! ([`crate::lang::TextRules::ad_cues`] and the lists beside it); a run of
//! up to two unmatched sentences between two of the same kind joins them
//! (the slogan in the middle of an ad), and the marked stretches are
//! reported in `highlights.json` with the phrase that gave each away.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::candidates::Sentence;
use crate::lang::TextRules;

/// A kind of non-content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filler {
    /// An ad or sponsor read.
    Ad,
    /// A phone menu or another recorded prompt.
    PhoneMenu,
    /// The show's intro.
    Intro,
    /// The show's outro.
    Outro,
    /// Events, tickets, newsletters.
    Housekeeping,
    /// A line read again and again (templated speech).
    Repeated,
}

impl Filler {
    /// The kind in words, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Filler::Ad => "ad",
            Filler::PhoneMenu => "phone menu",
            Filler::Intro => "intro",
            Filler::Outro => "outro",
            Filler::Housekeeping => "housekeeping",
            Filler::Repeated => "repeated lines",
        }
    }
}

/// A stretch kept out of every clip, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// What it is.
    pub kind: Filler,
    /// The phrase that gave it away, e.g. `"promo code"`.
    pub because: String,
}

/// Lowercase words of a sentence, letters, digits and `'` only, joined by
/// single spaces and padded with a space at each end, so a phrase matches
/// as whole words with `contains(" phrase ")`.
fn padded(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '%')
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    format!(" {} ", words.join(" "))
}

/// The kind of filler one sentence is, with the phrase found.
fn classify(text: &str, rules: &TextRules) -> Option<(Filler, String)> {
    let p = padded(text);
    let lists = [
        (Filler::Ad, rules.ad_cues),
        (Filler::PhoneMenu, rules.menu_cues),
        (Filler::Intro, rules.intro_cues),
        (Filler::Outro, rules.outro_cues),
        (Filler::Housekeeping, rules.housekeeping_cues),
    ];
    for (kind, cues) in lists {
        if let Some(cue) = cues.iter().find(|c| p.contains(&format!(" {c} "))) {
            return Some((kind, format!("\"{cue}\"")));
        }
    }
    // "press one", "press 2": a menu prompt
    let words: Vec<&str> = p.split_whitespace().collect();
    let press = words.windows(2).find(|w| {
        w[0] == "press"
            && (w[1].chars().all(|c| c.is_ascii_digit()) || rules.digit_words.contains(&w[1]))
    });
    press.map(|w| (Filler::PhoneMenu, format!("\"{} {}\"", w[0], w[1])))
}

/// The filler kind of every sentence (None for content).
pub fn mark(sents: &[Sentence], rules: &TextRules) -> Vec<Option<(Filler, String)>> {
    let mut marks: Vec<Option<(Filler, String)>> =
        sents.iter().map(|s| classify(&s.text, rules)).collect();
    // Lines said three times or more are templated, not conversation.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for s in sents {
        let key = padded(&s.text);
        if key.split_whitespace().count() >= 3 {
            *seen.entry(key).or_default() += 1;
        }
    }
    for (m, s) in marks.iter_mut().zip(sents) {
        if m.is_none() && seen.get(&padded(&s.text)).is_some_and(|&n| n >= 3) {
            *m = Some((Filler::Repeated, "said three times or more".into()));
        }
    }
    // Up to two unmarked sentences between two of one kind belong to it.
    let kinds: Vec<Option<Filler>> = marks.iter().map(|m| m.as_ref().map(|(k, _)| *k)).collect();
    for i in 0..sents.len() {
        let Some(k) = kinds[i] else { continue };
        for gap in 1..=2 {
            let j = i + gap + 1;
            if j < sents.len() && kinds[j] == Some(k) && (i + 1..j).all(|x| kinds[x].is_none()) {
                for m in &mut marks[i + 1..j] {
                    *m = Some((k, "between two lines of it".into()));
                }
            }
        }
    }
    marks
}

/// The marked sentences as stretches, neighbours of one kind merged.
pub fn excluded(sents: &[Sentence], marks: &[Option<(Filler, String)>]) -> Vec<Excluded> {
    let mut out: Vec<Excluded> = Vec::new();
    for (s, m) in sents.iter().zip(marks) {
        let Some((kind, because)) = m else { continue };
        match out.last_mut() {
            Some(last) if last.kind == *kind && s.start - last.end < 3.0 => last.end = s.end,
            _ => out.push(Excluded {
                start: s.start,
                end: s.end,
                kind: *kind,
                because: because.clone(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(text: &str, i: usize) -> Sentence {
        Sentence {
            start: i as f64 * 3.0,
            end: i as f64 * 3.0 + 2.5,
            text: text.into(),
            confidence: 0.9,
            words: text.split_whitespace().count(),
            cut_in: None,
            cut_out: None,
            speaker: None,
        }
    }

    #[test]
    fn ads_menus_intros_and_outros_are_found_and_joined() {
        let rules = crate::lang::rules("en");
        let lines = [
            "Welcome to Signal and Noise.",
            "Most founders think pricing is a math problem.",
            "This episode is sponsored by Northwind Coffee.",
            "Northwind Coffee, fuel for your best work.",
            "Use the promo code SIGNAL for 20% off.",
            "For account balances, press 1.",
            "To report a lost card, press three.",
            "Go to bed early before an exam.",
            "Thanks for listening.",
        ];
        let sents: Vec<Sentence> = lines.iter().enumerate().map(|(i, l)| sent(l, i)).collect();
        let marks = mark(&sents, rules);
        let kinds: Vec<Option<Filler>> = marks.iter().map(|m| m.as_ref().map(|x| x.0)).collect();
        use Filler::*;
        assert_eq!(
            kinds,
            [
                Some(Intro),
                None,
                Some(Ad),
                Some(Ad),
                Some(Ad),
                Some(PhoneMenu),
                Some(PhoneMenu),
                None,
                Some(Outro)
            ]
        );
        let spans = excluded(&sents, &marks);
        assert_eq!(spans.len(), 4);
        assert_eq!(
            (spans[1].kind, spans[1].start, spans[1].end),
            (Ad, 6.0, 14.5)
        );
        assert_eq!(spans[1].because, "\"sponsored by\"");
    }
}
