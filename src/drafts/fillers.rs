//! Filler words out of spoken sentences, so a pull quote reads as written.

use crate::lang::{self, TextRules};

#[derive(Debug, Clone)]
struct Tok {
    lead: String,
    word: String,
    trail: String,
}

impl Tok {
    fn parse(chunk: &str) -> Tok {
        let start = chunk
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
            .map(|(i, _)| i);
        let Some(start) = start else {
            return Tok {
                lead: chunk.to_string(),
                word: String::new(),
                trail: String::new(),
            };
        };
        let end = chunk
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_alphanumeric())
            .map_or(chunk.len(), |(i, c)| i + c.len_utf8());
        Tok {
            lead: chunk[..start].to_string(),
            word: chunk[start..end].to_string(),
            trail: chunk[end..].to_string(),
        }
    }

    fn norm(&self) -> String {
        self.word.to_lowercase().replace('’', "'")
    }

    fn ends_sentence(&self) -> bool {
        let t = self.trail.trim_end_matches(['"', '”', '’', '\'', ')']);
        (t.ends_with(['.', '?', '!']) && !t.ends_with("..")) || t.ends_with(['。', '？', '！'])
    }

    fn has_comma(&self) -> bool {
        self.trail.ends_with([',', '，'])
    }

    fn render(&self) -> String {
        format!("{}{}{}", self.lead, self.word, self.trail)
    }
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(cs).collect(),
        _ => s.to_string(),
    }
}

/// How many tokens from `i` on form a filler, if they do.
fn filler_span(toks: &[Tok], i: usize, rules: &TextRules) -> Option<usize> {
    let t = &toks[i];
    let w = t.norm();
    if w.is_empty() {
        return None;
    }
    if rules.fillers.contains(&w.as_str()) {
        return Some(1);
    }
    let prev = i.checked_sub(1).map(|j| &toks[j]);
    let at_start = prev.is_none_or(Tok::ends_sentence);
    let after_comma = prev.is_some_and(Tok::has_comma);
    let after_conj =
        prev.is_some_and(|p| p.trail.is_empty() && rules.conjunctions.contains(&p.norm().as_str()));
    if rules.comma_fillers.contains(&w.as_str())
        && t.trail.starts_with([',', '，'])
        && (at_start || after_comma)
    {
        return Some(1);
    }
    if rules.closing_fillers.contains(&w.as_str()) && !at_start {
        let closes = t.trail.starts_with([',', '.', '?', '!', ';', '…'])
            || (t.trail.is_empty() && i + 1 == toks.len());
        if closes {
            return Some(1);
        }
    }
    let next = toks.get(i + 1)?;
    for [a, b] in rules.filler_phrases {
        if w == *a && next.norm() == *b && t.trail.is_empty() {
            let stands_alone = next.trail.starts_with([',', '.', '?', '!', ';', '…'])
                || (next.trail.is_empty() && i + 2 == toks.len());
            if stands_alone && (at_start || after_comma || after_conj) {
                return Some(2);
            }
        }
    }
    None
}

/// Removes spoken fillers from one sentence: `um`, `uh`, `erm` anywhere;
/// `you know` and `I mean` where they stand apart (at the start, between
/// commas, before the full stop); `like,` after a comma or at the start;
/// doubled words (`the the`, `in the in the`). `sort of` and `kind of` are
/// content and stay. Commas, the full stop and the capital letter are
/// tidied after a removal.
///
/// ```
/// use clipper::drafts::remove_fillers;
/// assert_eq!(
///     remove_fillers("Um, so the the thing is, you know, pricing is, uh, hard."),
///     "So the thing is pricing is hard."
/// );
/// assert_eq!(remove_fillers("You know what? I mean it."), "You know what? I mean it.");
/// ```
pub fn remove_fillers(sentence: &str) -> String {
    remove_fillers_in(sentence, lang::rules("en"))
}

/// [`remove_fillers`] with the fillers of another language (`rules`):
/// Indonesian `eh`, `anu` anywhere, `ya,` at a clause start, `gitu`,
/// `sih` closing a clause, `apa namanya` standing apart.
///
/// ```
/// use clipper::drafts::remove_fillers_in;
/// let id = clipper::lang::rules("id");
/// assert_eq!(
///     remove_fillers_in("Jadi, eh, kita itu kayak bingung gitu.", id),
///     "Jadi, kita itu kayak bingung."
/// );
/// ```
pub fn remove_fillers_in(sentence: &str, rules: &TextRules) -> String {
    let toks: Vec<Tok> = sentence.split_whitespace().map(Tok::parse).collect();
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut cap_next = false;
    let mut i = 0;
    while i < toks.len() {
        let Some(n) = filler_span(&toks, i, rules) else {
            let mut t = toks[i].clone();
            if cap_next && !t.word.is_empty() {
                t.word = capitalise(&t.word);
                cap_next = false;
            }
            out.push(t);
            i += 1;
            continue;
        };
        let first = &toks[i];
        let last = &toks[i + n - 1];
        let at_start = out.last().is_none_or(Tok::ends_sentence);
        if at_start && starts_upper(&first.word) {
            cap_next = true;
        }
        let is_end = i + n == toks.len();
        let stop: String = last
            .trail
            .chars()
            .filter(|c| matches!(c, '.' | '?' | '!'))
            .collect();
        let terminal = !stop.is_empty() && (is_end || !last.trail.contains(".."));
        let next = toks.get(i + n);
        if let Some(prev) = out.last_mut() {
            if terminal {
                let kept = prev
                    .trail
                    .trim_end_matches([',', ';', ':', '—', '-'])
                    .to_string();
                let kept = kept.trim_end_matches(['.', '?', '!']).to_string();
                prev.trail = kept + &stop;
            } else if prev.has_comma() {
                let word = prev.norm();
                let keep = !rules.no_clause_end.contains(&word.as_str())
                    && (rules.discourse_markers.contains(&word.as_str())
                        || next.is_some_and(|t| {
                            rules.keep_comma_before.contains(&t.norm().as_str())
                                && t.lead.is_empty()
                        }));
                if !keep {
                    prev.trail.pop();
                }
            }
        } else if !first.lead.is_empty() && !terminal {
            // Keep an opening quote or bracket for the next word.
            if let Some(t) = toks.get(i + n) {
                let mut t = t.clone();
                t.lead = format!("{}{}", first.lead, t.lead);
                if cap_next && !t.word.is_empty() {
                    t.word = capitalise(&t.word);
                    cap_next = false;
                }
                out.push(t);
                i += n + 1;
                continue;
            }
        }
        i += n;
    }
    let out = collapse_repeats(out, rules);
    tidy(out)
}

/// Whether a chunk breaks off: it ends in a dash or an ellipsis.
fn breaks_off(chunk: &str) -> bool {
    chunk.ends_with(['-', '—', '–', '…']) || chunk.ends_with("...")
}

/// The lowercase word of a chunk, without punctuation.
fn core(chunk: &str) -> String {
    chunk
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
        .replace('’', "'")
}

/// Drops false starts from whitespace chunks: a word broken off with a
/// hyphen (`wa-`), and a run of up to three words broken off with a dash
/// or `...` that the speaker starts again with the same first word (`We
/// were— we tried` → `we tried`). A `...` hesitation inside the sentence
/// goes (`kind of... recording` → `kind of recording`).
fn drop_false_starts(chunks: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chunks.len() {
        let c = &chunks[i];
        let broken_word = c.ends_with('-')
            && c.trim_end_matches('-').chars().all(char::is_alphabetic)
            && i + 1 < chunks.len();
        if broken_word {
            i += 1;
            continue;
        }
        let restart = (0..3).find(|&k| {
            i + k + 1 < chunks.len()
                && breaks_off(&chunks[i + k])
                && !core(c).is_empty()
                && core(&chunks[i + k + 1]) == core(c)
        });
        if let Some(k) = restart {
            i += k + 1;
            continue;
        }
        let next_lower = chunks
            .get(i + 1)
            .is_some_and(|n| n.starts_with(char::is_lowercase));
        let hesitation = (c.ends_with("...") || c.ends_with('…')) && next_lower;
        if hesitation {
            out.push(c.trim_end_matches(['.', '…']).to_string());
        } else {
            out.push(c.clone());
        }
        i += 1;
    }
    out
}

/// A spoken sentence made into a post's line: [`remove_fillers`], then
/// false starts out ([`drop_false_starts`]) and the openers that lean on
/// what came before ([`TextRules::post_openers`]: `So, `, `And `,
/// `Actually `) dropped from the front while more than three words are
/// left; the first letter is made a capital.
pub(crate) fn tighten(sentence: &str, rules: &TextRules) -> String {
    let clean = remove_fillers_in(sentence, rules);
    let mut chunks = drop_false_starts(clean.split_whitespace().map(str::to_string).collect());
    while chunks.len() > 4 && rules.post_openers.contains(&core(&chunks[0]).as_str()) {
        if chunks[0].ends_with(['.', '?', '!']) {
            break;
        }
        chunks.remove(0);
    }
    let joined = chunks.join(" ");
    let joined = joined.trim_start_matches([',', ';', ' ']);
    capitalise(joined)
}

/// Collapses doubled words and doubled word pairs.
fn collapse_repeats(toks: Vec<Tok>, rules: &TextRules) -> Vec<Tok> {
    // Pairs first: `in the in the middle`.
    let mut pairs: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        if i + 3 < toks.len() {
            let (a, b, c, d) = (&toks[i], &toks[i + 1], &toks[i + 2], &toks[i + 3]);
            let same = !a.word.is_empty()
                && !b.word.is_empty()
                && a.norm() != b.norm()
                && a.norm() == c.norm()
                && b.norm() == d.norm()
                && a.trail.is_empty()
                && matches!(b.trail.as_str(), "" | ",")
                && c.lead.is_empty();
            if same {
                let mut c = c.clone();
                c.lead = a.lead.clone();
                if starts_upper(&a.word) {
                    c.word = capitalise(&c.word);
                }
                pairs.push(c);
                pairs.push(d.clone());
                i += 4;
                continue;
            }
        }
        pairs.push(toks[i].clone());
        i += 1;
    }
    let mut out: Vec<Tok> = Vec::with_capacity(pairs.len());
    for t in pairs {
        if let Some(last) = out.last_mut() {
            let n = t.norm();
            let doubled = !n.is_empty()
                && last.norm() == n
                && !rules.no_dedup.contains(&n.as_str())
                && matches!(last.trail.as_str(), "" | "," | "-" | "—")
                && t.lead.is_empty();
            if doubled {
                last.trail = t.trail.clone();
                continue;
            }
        }
        out.push(t);
    }
    out
}

/// Joins the tokens, dropping punctuation left dangling by a removal.
fn tidy(toks: Vec<Tok>) -> String {
    let mut kept: Vec<Tok> = Vec::with_capacity(toks.len());
    for t in toks {
        if t.word.is_empty() {
            let dangling = match kept.last() {
                None => true,
                Some(last) => last.word.is_empty() && last.lead == t.lead,
            };
            if dangling {
                continue;
            }
        }
        kept.push(t);
    }
    // A sentence must not open with a comma left by a removed filler.
    if let Some(first) = kept.first_mut() {
        let lead = first.lead.trim_start_matches([',', ';', ' ']).to_string();
        first.lead = lead;
    }
    let text = kept.iter().map(Tok::render).collect::<Vec<_>>().join(" ");
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::remove_fillers as rf;

    #[test]
    fn single_fillers_go_anywhere() {
        assert_eq!(rf("Um, I think we should ship."), "I think we should ship.");
        assert_eq!(
            rf("We were, uh, trying to grow."),
            "We were trying to grow."
        );
        assert_eq!(rf("It was erm hard."), "It was hard.");
        assert_eq!(
            rf("When we doubled our price, uh, our churn went down."),
            "When we doubled our price, our churn went down."
        );
        assert_eq!(rf("And, um, we left."), "And we left.");
        assert_eq!(
            rf("That's the price, uh, it's about value."),
            "That's the price, it's about value."
        );
        assert_eq!(rf("So, um, the thing is this."), "So, the thing is this.");
        assert_eq!(rf("It's hard, um."), "It's hard.");
        assert_eq!(rf("Uh."), "");
    }

    #[test]
    fn phrases_go_only_where_they_are_fillers() {
        assert_eq!(
            rf("You know, nobody tells you this."),
            "Nobody tells you this."
        );
        assert_eq!(rf("It's hard, you know?"), "It's hard?");
        assert_eq!(rf("It's hard, you know."), "It's hard.");
        assert_eq!(rf("And you know, it worked."), "And it worked.");
        assert_eq!(rf("I mean, it worked."), "It worked.");
        assert_eq!(rf("The plan, I mean, was fine."), "The plan was fine.");
        assert_eq!(rf("You know what? I mean it."), "You know what? I mean it.");
        assert_eq!(rf("Do you know, really?"), "Do you know, really?");
        assert_eq!(
            rf("Use what you know, then test."),
            "Use what you know, then test."
        );
        assert_eq!(rf("It was, like, huge."), "It was huge.");
        assert_eq!(rf("Like, nobody does this."), "Nobody does this.");
        assert_eq!(
            rf("Things I like, such as tea."),
            "Things I like, such as tea."
        );
        assert_eq!(
            rf("It's sort of a kind of test."),
            "It's sort of a kind of test."
        );
    }

    #[test]
    fn doubled_words_collapse() {
        assert_eq!(rf("The the problem is churn."), "The problem is churn.");
        assert_eq!(rf("We, we tried it."), "We tried it.");
        assert_eq!(rf("It was in the in the middle."), "It was in the middle.");
        assert_eq!(rf("the, uh, the problem"), "the problem");
        assert_eq!(
            rf("I know that that is wrong."),
            "I know that that is wrong."
        );
    }

    #[test]
    fn tightened_lines_lose_openers_and_false_starts() {
        use super::tighten;
        assert_eq!(
            tighten(
                "Um, so most founders think pricing is, uh, a math problem.",
                crate::lang::rules("en")
            ),
            "Most founders think pricing is a math problem."
        );
        assert_eq!(
            tighten("We were— we tried it twice.", crate::lang::rules("en")),
            "We tried it twice."
        );
        assert_eq!(
            tighten("And I wa- I was kind of... lost.", crate::lang::rules("en")),
            "I was kind of lost."
        );
        assert_eq!(
            tighten("So it worked.", crate::lang::rules("en")),
            "So it worked."
        );
        assert_eq!(
            tighten(
                "Actually, that just raises a point.",
                crate::lang::rules("en")
            ),
            "That just raises a point."
        );
    }

    #[test]
    fn leaves_clean_text_alone() {
        for s in [
            "Most founders think pricing is a math problem.",
            "“Quoted,” she said — and left.",
            "価格は心理学です。",
            "Go to growthhour.fm/ep12, now!",
        ] {
            assert_eq!(rf(s), s);
        }
    }
}
