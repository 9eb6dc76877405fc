//! The gate between a language model's answer and a draft.
//!
//! A model ignores instructions now and then (the small ones most of the
//! time): it runs over the limit, uses a banned word, tags `#today`, or
//! answers nothing useful. [`check`] holds every answer to the rules the
//! builtin writer keeps, repairs what can be repaired without rewriting
//! (trims at a sentence end, drops hashtags and sentences) and says when
//! the answer must give way to the builtin draft.

use crate::domain::Platform;
use crate::lang;

use super::{
    measure, tag_key, text, topics, transcript_share, DraftKind, INSTAGRAM_MAX_HASHTAGS,
    MAX_TRANSCRIPT_SHARE,
};

/// The rules one answer is held to.
#[derive(Debug, Clone)]
pub(crate) struct Rules<'a> {
    /// The platform, for its counting and its call to action.
    pub platform: Platform,
    /// The field the answer fills.
    pub kind: DraftKind,
    /// The most the answer may measure, in the platform's counting.
    pub max: usize,
    /// Words that must not appear.
    pub banned_words: &'a [String],
    /// Hashtags that must not appear.
    pub banned_tags: &'a [String],
    /// The client's own hashtags: kept even when they are common words.
    pub own_tags: &'a [String],
    /// What the client gave that may be linked or named: the call to
    /// action and the handles.
    pub allowed: &'a [String],
    /// The instructions the model was given (an answer must not echo them).
    pub instructions: &'a str,
    /// The clip's transcript (an answer must not repeat most of it).
    pub clip_text: &'a str,
    /// The word lists of the drafts' language.
    pub text_rules: &'a lang::TextRules,
    /// Whether the model was stopped at its token limit, mid-sentence.
    pub cut: bool,
    /// The language the answer must be in (the episode's, `en`, `es`...).
    pub language: &'a str,
}

/// What became of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Usable as written (whitespace and wrapping quotes aside).
    Accepted(String),
    /// Usable after the repairs listed.
    Repaired(String, Vec<String>),
    /// Not usable, and why: the builtin draft takes its place.
    Rejected(String),
}

use Verdict::Rejected;

/// The fewest words a post (or a title) must keep after repairs.
const MIN_WORDS: usize = 3;

/// Holds `answer` to `rules`: cleaned of wrapping quotes, labels and
/// Markdown heading marks; lines that echo the instructions, links and
/// `@handles` the client did not give (models invent them), hashtags that
/// are banned, hold a banned word or are a common word
/// ([`topics::is_common`], the language's common-word list; all of them
/// in a title), on X, LinkedIn and YouTube sentences sending readers to a
/// bio, and sentences with a banned word are dropped; over the limit, it
/// is cut after the last whole sentence that fits (its final `.` made
/// `…`), else after a word with `…`. Rejected when it is empty, repeats
/// more than [`MAX_TRANSCRIPT_SHARE`] of the clip's words, or too little
/// is left.
pub(crate) fn check(answer: &str, rules: &Rules) -> Verdict {
    let mut text = clean(answer, rules.kind);
    let mut repairs = Vec::new();
    if rules.cut && end_unfinished(&mut text) {
        repairs.push("its unfinished end cut at a sentence end or with \"…\"".to_string());
    }
    let mut instructions = rules.instructions.to_string();
    for a in rules.allowed {
        // The call to action is meant to be repeated.
        instructions = instructions.replace(a.as_str(), "\n");
    }
    if drop_echo(&mut text, &instructions) > 0 {
        repairs.push("lines repeating the instructions left out".to_string());
    }
    let invented = drop_invented(&mut text, rules);
    if !invented.is_empty() {
        repairs.push(format!("{} dropped (not the client's)", invented.join(" ")));
    }
    let dropped = drop_tags(&mut text, rules);
    if !dropped.is_empty() {
        repairs.push(format!("hashtags {} dropped", dropped.join(" ")));
    }
    if !matches!(rules.platform, Platform::Instagram | Platform::Tiktok) {
        let phrases: Vec<String> = rules
            .text_rules
            .bio_phrases
            .iter()
            .map(|p| p.to_string())
            .collect();
        if drop_sentences(&mut text, &phrases) > 0 {
            repairs.push("\"link in bio\" dropped (no bio link here)".into());
        }
    }
    let n = drop_sentences(&mut text, rules.banned_words);
    if n > 0 {
        repairs.push(format!("{n} sentence(s) with a banned word left out"));
    }
    if words(&text) == 0 {
        return Rejected(if n > 0 {
            "held a banned word in every sentence".into()
        } else {
            "was empty".into()
        });
    }
    if let Some(other) = lang::reads_as_other(&text, rules.language) {
        return Rejected(format!(
            "was in {} instead of {}",
            lang::codes::name(other),
            lang::codes::name(rules.language)
        ));
    }
    if transcript_share(rules.clip_text, &text) > MAX_TRANSCRIPT_SHARE {
        return Rejected("repeated most of the clip's transcript".into());
    }
    match fit(&mut text, rules) {
        Ok(Some(repair)) => repairs.push(repair),
        Ok(None) => {}
        Err(why) => return Rejected(why),
    }
    let least = if rules.kind == DraftKind::Title {
        2
    } else {
        MIN_WORDS
    };
    if words(&text) < least {
        return Rejected("was too short".into());
    }
    if repairs.is_empty() {
        Verdict::Accepted(text)
    } else {
        Verdict::Repaired(text, repairs)
    }
}

/// The text of an answer the model was stopped in: up to its last whole
/// sentence (or line), else cut after its last whole word with `…`. False
/// when it ended whole after all.
fn end_unfinished(text: &mut String) -> bool {
    let ends = sentence_ends(text);
    if ends.last() == Some(&text.len()) {
        return false;
    }
    match ends.last() {
        Some(&end) if words(&text[..end]) >= MIN_WORDS => {
            *text = tidy(&text[..end]);
        }
        _ => {
            let last_space = text.rfind(char::is_whitespace).unwrap_or(0);
            let head = text[..last_space].trim_end_matches(|c: char| !c.is_alphanumeric());
            *text = format!("{head}…");
        }
    }
    true
}

/// Cuts `text` to the limit when it is over ([`trim`]): the repair's
/// note, or why it cannot be done.
fn fit(text: &mut String, rules: &Rules) -> Result<Option<String>, String> {
    let length = measure(rules.platform, text);
    if length <= rules.max {
        return Ok(None);
    }
    let t = trim(text, rules)
        .ok_or_else(|| format!("was over the limit ({length} / {})", rules.max))?;
    let note = format!(
        "trimmed to the limit ({length} → {} / {})",
        measure(rules.platform, &t),
        rules.max
    );
    *text = t;
    Ok(Some(note))
}

/// Lowercase words of `s`, letters and digits only.
fn plain(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// How many words in a row an answer may share with the instructions.
const ECHO_WORDS: usize = 5;

/// Drops the lines of `text` that repeat [`ECHO_WORDS`] words in a row
/// of `instructions` (small models copy their instructions); returns how
/// many went.
fn drop_echo(text: &mut String, instructions: &str) -> usize {
    let shingles: std::collections::HashSet<Vec<String>> = plain(instructions)
        .windows(ECHO_WORDS)
        .map(<[String]>::to_vec)
        .collect();
    if shingles.is_empty() {
        return 0;
    }
    let mut n = 0;
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            let echo = plain(l).windows(ECHO_WORDS).any(|w| shingles.contains(w));
            n += usize::from(echo);
            !echo
        })
        .collect();
    *text = tidy(&kept.join("\n"));
    n
}

/// Drops links and `@handles` that are not in the client's call to
/// action or handles; returns them.
fn drop_invented(text: &mut String, rules: &Rules) -> Vec<String> {
    let mut dropped = Vec::new();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let kept: Vec<&str> = line
                .split(' ')
                .filter(|w| {
                    let core = w.trim_matches(|c: char| {
                        matches!(c, '[' | ']' | '(' | ')' | '<' | '>' | '"' | ',' | '.' | ':')
                    });
                    let lower = core.to_lowercase();
                    let link = lower.contains("://") || lower.starts_with("www.");
                    let handle = core.starts_with('@') && core.len() > 1;
                    let known = rules.allowed.iter().any(|a| a.contains(core));
                    let bad = (link || handle) && !known;
                    if bad {
                        dropped.push(core.to_string());
                    }
                    !bad
                })
                .collect();
            kept.join(" ").trim_end().to_string()
        })
        .collect();
    *text = tidy(&lines.join("\n"));
    dropped
}

/// `text` trimmed, with runs of blank lines made one.
fn tidy(text: &str) -> String {
    let mut out = text.to_string();
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim().to_string()
}

/// Words of `text` that are not hashtags.
fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| !w.starts_with('#') && w.chars().any(char::is_alphanumeric))
        .count()
}

/// The answer without what models wrap around it: surrounding quotes,
/// a `Title:`-style label, Markdown bold, trailing spaces; a title keeps
/// its first line only.
fn clean(answer: &str, kind: DraftKind) -> String {
    let mut lines: Vec<String> = answer
        .replace("**", "")
        .lines()
        .map(|l| {
            // A Markdown heading mark (`## Title`) is no hashtag.
            let t = l.trim();
            let marks = t.chars().take_while(|&c| c == '#').count();
            let heading = marks > 0 && t[marks..].chars().next().is_none_or(char::is_whitespace);
            if heading {
                t[marks..].trim()
            } else {
                l.trim_end()
            }
            .to_string()
        })
        .collect();
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    if let Some(first) = lines.first() {
        let t = first.trim();
        let label = t.ends_with(':') && t.split_whitespace().count() <= 4;
        if label && lines.len() > 1 {
            lines.remove(0);
        } else if let Some((head, rest)) = t.split_once(':') {
            let known = [
                "title",
                "post",
                "caption",
                "description",
                "tweet",
                "x",
                "linkedin",
                "instagram",
                "tiktok",
                "youtube",
            ];
            if known.contains(&head.trim().to_lowercase().as_str()) {
                lines[0] = rest.trim().to_string();
            }
        }
    }
    if kind == DraftKind::Title {
        lines.retain(|l| !l.trim().is_empty());
        lines.truncate(1);
    }
    let out = tidy(&lines.join("\n"));
    let out = out.as_str();
    let quoted = |o: char, c: char| out.starts_with(o) && out.ends_with(c) && out.len() > 2;
    let out = if quoted('"', '"') || quoted('“', '”') {
        out.trim_start_matches(['"', '“'])
            .trim_end_matches(['"', '”'])
            .trim()
    } else {
        out
    };
    out.to_string()
}

/// Drops the hashtags `rules` do not allow (every one in a title, those
/// past Instagram's 30), tidying the spaces left; returns them.
fn drop_tags(text: &mut String, rules: &Rules) -> Vec<String> {
    let banned: Vec<String> = rules.banned_tags.iter().map(|t| tag_key(t)).collect();
    let own: Vec<String> = rules.own_tags.iter().map(|t| tag_key(t)).collect();
    let lang = rules.text_rules;
    let mut dropped = Vec::new();
    let mut kept = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let words: Vec<&str> = line
                .split(' ')
                .filter(|w| {
                    let tag = w.trim_end_matches(|c: char| !c.is_alphanumeric());
                    if !tag.starts_with('#') || tag.len() < 2 {
                        return true;
                    }
                    let key = tag_key(tag);
                    let bad = rules.kind == DraftKind::Title
                        || key.is_empty()
                        || banned.contains(&key)
                        || text::contains_any(&text::hashtag_words(tag), rules.banned_words)
                        || rules.banned_words.iter().any(|b| tag_key(b) == key)
                        || (!own.contains(&key) && topics::is_common(&key, lang))
                        || kept >= INSTAGRAM_MAX_HASHTAGS;
                    if bad {
                        dropped.push(tag.to_string());
                    } else {
                        kept += 1;
                    }
                    !bad
                })
                .collect();
            words.join(" ").trim_end().to_string()
        })
        .collect();
    *text = lines.join("\n").trim().to_string();
    dropped
}

/// Drops every sentence of `text` holding one of `words` (whole words),
/// keeping the line breaks of the rest; returns how many went.
fn drop_sentences(text: &mut String, words: &[String]) -> usize {
    if words.is_empty() {
        return 0;
    }
    let mut n = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let kept: Vec<String> = text::split_sentences(line)
                .into_iter()
                .filter(|s| {
                    let bad = text::contains_any(s, words);
                    n += usize::from(bad);
                    !bad
                })
                .collect();
            kept.join(" ")
        })
        .collect();
    *text = tidy(&lines.join("\n"));
    n
}

/// Byte positions just after each sentence of `text` (after its stop and
/// any closing quote, or at a line end).
fn sentence_ends(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let stop = matches!(c, '.' | '!' | '?' | '…')
            && !matches!(next, Some('.' | '!' | '?' | '"' | '”' | '’' | ')'));
        let closing = matches!(c, '"' | '”' | '’' | ')')
            && k > 0
            && matches!(chars[k - 1].1, '.' | '!' | '?' | '…');
        let line_end = next == Some('\n');
        if (stop || closing || line_end) && next.is_none_or(char::is_whitespace) {
            out.push(i + c.len_utf8());
        }
    }
    out
}

/// `text` cut to `rules.max`: after the last whole sentence that fits and
/// keeps [`MIN_WORDS`] words (a final `.` becomes `…`), else after a word
/// with `…`. `None` when nothing of use fits.
fn trim(text: &str, rules: &Rules) -> Option<String> {
    let fits = |s: &str| measure(rules.platform, s) <= rules.max;
    let whole = sentence_ends(text).into_iter().rev().find_map(|end| {
        let head = text[..end].trim_end();
        let head = match head.strip_suffix('.') {
            Some(h) if !h.ends_with('.') => format!("{h}…"),
            _ => head.to_string(),
        };
        (fits(&head) && words(&head) >= MIN_WORDS).then_some(head)
    });
    whole.or_else(|| {
        text::cut_to_fit(text, rules.text_rules, fits)
            .map(|(s, _)| s)
            .filter(|s| words(s) >= MIN_WORDS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn rules_for(platform: Platform) -> Rules<'static> {
        rules(platform, 2200, &[])
    }

    fn rules<'a>(platform: Platform, max: usize, banned: &'a [String]) -> Rules<'a> {
        Rules {
            platform,
            kind: DraftKind::Post,
            max,
            banned_words: banned,
            banned_tags: &[],
            own_tags: &[],
            allowed: &[],
            instructions: "",
            clip_text: "",
            text_rules: lang::rules("en"),
            cut: false,
            language: "en",
        }
    }

    #[test]
    fn a_good_answer_is_accepted_unwrapped() {
        let r = rules(Platform::X, 280, &[]);
        let v = check("\"Pricing is psychology, says Ana. #PricingPower\"", &r);
        assert_eq!(
            v,
            Verdict::Accepted("Pricing is psychology, says Ana. #PricingPower".into())
        );
    }

    #[test]
    fn over_the_limit_is_cut_after_a_whole_sentence() {
        let r = rules(Platform::Linkedin, 40, &[]);
        let v = check(
            "Price the result. Never the hours you spent on it today.",
            &r,
        );
        let Verdict::Repaired(t, why) = v else {
            panic!("{v:?}")
        };
        assert_eq!(t, "Price the result…");
        assert!(why[0].contains("trimmed"), "{why:?}");
    }

    #[test]
    fn common_and_banned_hashtags_go() {
        let banned = vec!["crypto".to_string()];
        let r = rules(Platform::Instagram, 2200, &banned);
        let Verdict::Repaired(t, _) = check("Big idea here. #today #CryptoScams #KyleGass", &r)
        else {
            panic!()
        };
        assert_eq!(t, "Big idea here. #KyleGass");
    }

    #[test]
    fn banned_words_take_their_sentence() {
        let banned = vec!["damn".to_string()];
        let r = rules(Platform::X, 280, &banned);
        let Verdict::Repaired(t, why) = check("Damn, that was good. Price the result, always.", &r)
        else {
            panic!()
        };
        assert_eq!(t, "Price the result, always.");
        assert!(why[0].contains("banned"));
        assert!(matches!(check("Damn it.", &r), Verdict::Rejected(_)));
    }

    #[test]
    fn no_bio_link_on_linkedin_and_empty_is_rejected() {
        let r = rules(Platform::Linkedin, 3000, &[]);
        let Verdict::Repaired(t, _) = check("A good point on pricing today. Link in bio!", &r)
        else {
            panic!()
        };
        assert_eq!(t, "A good point on pricing today.");
        assert!(matches!(check("  \n ", &r), Verdict::Rejected(_)));
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn echoes_invented_links_and_heading_marks_go() {
        let allowed = vec!["Full episode at example.com/ep1".to_string()];
        let r = Rules {
            platform: Platform::X,
            kind: DraftKind::Post,
            max: 280,
            banned_words: &[],
            banned_tags: &[],
            own_tags: &[],
            allowed: &allowed,
            instructions: "Write a post for X: a strong first sentence, then this call",
            clip_text: "",
            text_rules: lang::rules("en"),
            cut: false,
            language: "en",
        };
        let answer = "X: A strong first sentence, then this call to action:\n\
                      ## Pricing is a promise you keep.\n\
                      See https://youtube.com/watch @someone example.com/ep1";
        let Verdict::Repaired(t, why) = check(answer, &r) else {
            panic!()
        };
        assert_eq!(t, "Pricing is a promise you keep.\nSee example.com/ep1");
        assert!(why.len() == 2, "{why:?}");
    }

    #[test]
    fn an_answer_stopped_mid_sentence_ends_at_a_whole_one() {
        let mut r = super::tests::rules_for(Platform::Linkedin);
        r.cut = true;
        let Verdict::Repaired(t, _) = check("Price the result, not hours. I am a poet, a", &r)
        else {
            panic!()
        };
        assert_eq!(t, "Price the result, not hours.");
        let Verdict::Repaired(t, _) = check("Pricing is a promise we keep for", &r) else {
            panic!()
        };
        assert_eq!(t, "Pricing is a promise we keep…");
    }

    #[test]
    fn an_answer_that_is_the_transcript_is_rejected() {
        let clip = "shall I compare thee to a summer's day thou art more lovely";
        let mut r = super::tests::rules_for(Platform::Tiktok);
        r.clip_text = clip;
        assert!(matches!(check(clip, &r), Verdict::Rejected(_)));
    }

    #[test]
    fn an_answer_in_another_language_is_rejected() {
        let mut r = super::tests::rules_for(Platform::Linkedin);
        r.language = "es";
        r.text_rules = lang::rules("es");
        let english =
            "The real reason founders undercharge is that they price the hours and not the result.";
        assert_eq!(
            check(english, &r),
            Verdict::Rejected("was in English instead of Spanish".into())
        );
        let spanish = "La razón real por la que los fundadores cobran poco es que ponen precio a las horas y no al resultado.";
        assert!(matches!(check(spanish, &r), Verdict::Accepted(_)));
    }
}
