//! A client's answer by e-mail: the "Your answer" blocks of `review.md`,
//! filled in and sent back (quoted with `>` or not), read into the same
//! answers the sheet's `decisions.json` carries.
//!
//! Per clip the block reads `- Clip: <id>`, `- Decision (all posts): …`,
//! one line per platform (`- X: …`, `- LinkedIn: …`), `- Comment: …` (it
//! may go on over the next lines) and, under `- Changed drafts …:`, a
//! draft's label (`X:`, `YouTube Shorts title:`…) with the new text below
//! it. The show notes have `- Show notes: …` and `- Show notes comment: …`.
//!
//! A decision line is read two ways: checkboxes (`[x] approve [ ] needs
//! changes [ ] reject`: the one ticked) or keep-one (`approve / reject /
//! needs changes` with all but one deleted). A line left as the template
//! says nothing. A decision line that says something else (two ticks, an
//! unknown word, an unknown platform) is never guessed: every such line is
//! listed and nothing is applied.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::bundle::Highlights;
use crate::decisions::Decisions;

/// True when `text` looks like a reply to `review.md` rather than JSON.
pub fn looks_like_reply(text: &str) -> bool {
    text.lines().any(|l| unquote(l).starts_with("- Clip:"))
}

/// A line without e-mail quoting (`> `, `>> `…) and surrounding blanks.
fn unquote(line: &str) -> &str {
    let mut l = line.trim_start();
    while let Some(rest) = l.strip_prefix('>') {
        l = rest.trim_start();
    }
    l.trim_end()
}

/// What a block's lines are being read into.
#[derive(PartialEq)]
enum Field {
    None,
    Comment,
    NotesComment,
    Draft(String),
}

/// One clip's answer, as read.
#[derive(Default)]
struct Block {
    id: String,
    decision: Option<&'static str>,
    platforms: BTreeMap<String, &'static str>,
    /// The version picked per platform ([`crate::drafts::VERSIONS`]).
    choices: BTreeMap<String, &'static str>,
    comment: Vec<String>,
    drafts: Map<String, Value>,
}

/// What the whole reply said.
#[derive(Default)]
struct Reply {
    blocks: Vec<Block>,
    notes: Option<&'static str>,
    notes_comment: Vec<String>,
    unreadable: Vec<String>,
}

/// The words of a decision line and the status each means.
const WORDS: [(&str, &str); 4] = [
    ("approve", "approved"),
    ("needs changes", "needs_changes"),
    ("changes", "needs_changes"),
    ("reject", "rejected"),
];

/// The statuses `text` names, each once, in order of [`WORDS`].
fn named(text: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (word, status) in WORDS {
        if text.contains(word) && !out.contains(&status) {
            out.push(status);
        }
    }
    out
}

/// Reads a decision line's text: `Some("pending")` for the template as it
/// was or nothing, the status chosen, or `None` when it cannot be read.
pub fn read_choice(text: &str) -> Option<&'static str> {
    let t = text.trim().to_lowercase();
    if t.contains("[x]") {
        let ticked: Vec<&'static str> = t
            .split("[x]")
            .skip(1)
            .map(|after| after.split('[').next().unwrap_or(""))
            .flat_map(|words| named(words).into_iter().take(1))
            .collect();
        return match ticked.as_slice() {
            [one] => Some(one),
            _ => None,
        };
    }
    let plain = t.replace("[ ]", " ").replace(['/', ','], " ");
    let plain = plain.trim();
    // any word besides the choices is something clipper would have to guess
    let mut rest = plain.to_string();
    for word in [
        "approved",
        "approve",
        "rejected",
        "reject",
        "needs changes",
        "changes",
    ] {
        rest = rest.replace(word, " ");
    }
    if rest.chars().any(char::is_alphanumeric) {
        return None;
    }
    match named(plain).as_slice() {
        [] if plain.is_empty() => Some("pending"),
        [one] => Some(one),
        [_, _, _] => Some("pending"),
        _ => None,
    }
}

/// Reads a version line's text (`[x] A [ ] B [ ] thread`, or the one
/// kept): `Some(None)` for the template as it was or nothing, the version
/// picked, or `None` when it cannot be read (two ticks, an unknown word).
pub fn read_version(text: &str) -> Option<Option<&'static str>> {
    let t = text.trim().to_lowercase();
    let version = |word: &str| match word.trim().trim_matches(|c: char| !c.is_alphanumeric()) {
        "a" => Some("a"),
        "b" => Some("b"),
        "thread" => Some("thread"),
        _ => None,
    };
    if t.contains("[x]") {
        let ticked: Vec<Option<&'static str>> = t
            .split("[x]")
            .skip(1)
            .map(|after| version(after.split('[').next().unwrap_or("")))
            .collect();
        return match ticked.as_slice() {
            [Some(one)] => Some(Some(one)),
            _ => None,
        };
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '/' || c == ',')
        .filter(|w| !w.is_empty() && *w != "[" && *w != "]" && *w != "[]")
        .filter(|w| *w != "[ ]")
        .collect();
    let picked: Option<Vec<&'static str>> = words.iter().map(|w| version(w)).collect();
    match picked?.as_slice() {
        [] => Some(None),
        [one] => Some(Some(one)),
        _ if t.contains("[ ]") => Some(None),
        _ => None,
    }
}

/// A pasted draft as stored: trimmed; a thread loses the `---` lines the
/// reply may have carried past its last post.
fn pasted(key: &str, text: &str) -> String {
    let mut t = text.trim();
    if key.ends_with("_thread") {
        while let Some(rest) = t.strip_suffix("---") {
            t = rest.trim_end();
        }
    }
    t.to_string()
}

/// Reads a reply into a decisions value (`{"episode", "author", "clips",
/// "shownotes"}`) for [`crate::decisions::Decisions::merge_client`]; draft
/// and platform labels are those of `h`'s drafts. A clip whose own
/// decision line was left as it was keeps its current decision
/// (`existing`). Lists every decision line it cannot read.
pub fn parse(
    text: &str,
    h: &Highlights,
    author: &str,
    existing: Option<&Decisions>,
) -> Result<Value, String> {
    let reply = read(text, h);
    if !reply.unreadable.is_empty() {
        return Err(format!(
            "these answers cannot be read (tick one box, or keep one of approve / needs \
             changes / reject); nothing was applied:\n{}",
            reply.unreadable.join("\n")
        ));
    }
    let mut clips = Map::new();
    for b in reply.blocks {
        let comment = b.comment.join("\n").trim().to_string();
        let drafts: Map<String, Value> = b
            .drafts
            .into_iter()
            .map(|(k, v)| {
                let text = pasted(&k, v.as_str().unwrap_or(""));
                (k, Value::from(text))
            })
            .filter(|(_, v)| v.as_str().is_some_and(|t| !t.is_empty()))
            .collect();
        let said = b.decision.is_some_and(|d| d != "pending");
        if !said
            && comment.is_empty()
            && drafts.is_empty()
            && b.platforms.is_empty()
            && b.choices.is_empty()
        {
            continue; // nothing said about this clip yet
        }
        let current = existing.and_then(|d| d.clips.get(&b.id));
        let status = match b.decision.filter(|d| *d != "pending") {
            Some(s) => s.to_string(),
            None => current.map_or("pending".into(), |c| {
                serde_json::to_value(c.status)
                    .unwrap_or_default()
                    .as_str()
                    .unwrap_or("pending")
                    .to_string()
            }),
        };
        let platforms = platform_answers(b.platforms, b.choices);
        // A comment line left empty says nothing: the comment given
        // before stays (the reply has no way to tell "clear it" from
        // "nothing to add").
        let comment = match current {
            Some(c) if comment.is_empty() => c.comment.clone(),
            _ => comment,
        };
        let mut entry =
            json!({"status": status, "comment": comment, "drafts": drafts, "platforms": platforms});
        if !said {
            if let Some(c) = current {
                entry["decided_at"] = Value::from(c.updated_at.clone());
            }
        }
        clips.insert(b.id, entry);
    }
    let mut out = json!({"format": crate::decisions::FORMAT, "episode": h.episode, "author": author, "clips": clips});
    let notes_comment = reply.notes_comment.join("\n").trim().to_string();
    if reply.notes.is_some_and(|n| n != "pending") || !notes_comment.is_empty() {
        out["shownotes"] =
            json!({"status": reply.notes.unwrap_or("pending"), "comment": notes_comment});
    }
    Ok(out)
}

/// The per-platform answers of a block: the decisions ticked and the
/// versions picked (a platform with a pick and no decision is pending).
fn platform_answers(
    decided: BTreeMap<String, &'static str>,
    picked: BTreeMap<String, &'static str>,
) -> Map<String, Value> {
    let mut platforms: Map<String, Value> = decided
        .into_iter()
        .map(|(p, s)| (p, json!({ "status": s })))
        .collect();
    for (p, v) in picked {
        let entry = platforms
            .entry(p)
            .or_insert_with(|| json!({ "status": "pending" }));
        entry["choice"] = Value::from(v);
    }
    platforms
}

/// Reads the reply's lines into blocks.
fn read(text: &str, h: &Highlights) -> Reply {
    let labels: Vec<(String, String)> = h
        .clips
        .iter()
        .flat_map(|c| c.drafts.iter())
        .map(|d| (format!("{}:", super::sheet::draft_label(d)), d.key()))
        .collect();
    let platforms: Vec<(String, String)> = h
        .clips
        .iter()
        .flat_map(|c| c.drafts.iter())
        .flat_map(|d| {
            let name = d.platform.name().to_string();
            [
                (format!("- {}:", d.platform.label()), name.clone()),
                (format!("- {} version:", d.platform.label()), name),
            ]
        })
        .collect();
    let mut reply = Reply::default();
    let mut field = Field::None;
    for raw in text.lines() {
        let line = unquote(raw);
        if let Some(id) = line.strip_prefix("- Clip:") {
            reply.blocks.push(Block {
                id: id.trim().to_string(),
                ..Block::default()
            });
            field = Field::None;
            continue;
        }
        if let Some(c) = line.strip_prefix("- Show notes comment:") {
            reply.notes_comment = vec![c.trim().to_string()];
            field = Field::NotesComment;
            continue;
        }
        if let Some(d) = line.strip_prefix("- Show notes:") {
            match read_choice(d) {
                Some(s) => reply.notes = Some(s),
                None => reply.unreadable.push(format!("show notes: {line:?}")),
            }
            field = Field::None;
            continue;
        }
        if field == Field::NotesComment {
            if line.starts_with("- ") || line.starts_with("---") || line.starts_with('#') {
                field = Field::None;
            } else {
                reply.notes_comment.push(line.to_string());
                continue;
            }
        }
        let Some(b) = reply.blocks.last_mut() else {
            continue;
        };
        field = read_line(line, b, field, &labels, &platforms, &mut reply.unreadable);
    }
    reply
}

/// Reads one line of a clip's block; returns what the next lines go into.
fn read_line(
    line: &str,
    b: &mut Block,
    field: Field,
    labels: &[(String, String)],
    platforms: &[(String, String)],
    unreadable: &mut Vec<String>,
) -> Field {
    let decision = line
        .strip_prefix("- Decision (all posts):")
        .or_else(|| line.strip_prefix("- Decision:"));
    if let Some(d) = decision {
        match read_choice(d) {
            Some(s) => b.decision = Some(s),
            None => unreadable.push(format!("clip {}: {line:?}", b.id)),
        }
        return Field::None;
    }
    if let Some((prefix, p)) = platforms
        .iter()
        .find(|(prefix, _)| line.starts_with(prefix.as_str()))
    {
        let rest = &line[prefix.len()..];
        if prefix.ends_with(" version:") {
            match read_version(rest) {
                Some(None) => {}
                Some(Some(v)) => {
                    b.choices.insert(p.clone(), v);
                }
                None => unreadable.push(format!("clip {}: {line:?}", b.id)),
            }
            return Field::None;
        }
        match read_choice(rest) {
            Some("pending") => {}
            Some(s) => {
                b.platforms.insert(p.clone(), s);
            }
            None => unreadable.push(format!("clip {}: {line:?}", b.id)),
        }
        return Field::None;
    }
    if let Some(c) = line.strip_prefix("- Comment:") {
        b.comment = vec![c.trim().to_string()];
        return Field::Comment;
    }
    let in_thread = matches!(&field, Field::Draft(k) if k.ends_with("_thread"));
    let ends = ["- Changed drafts", "---", "#", "Decided so far", "**"];
    if ends.iter().any(|e| line.starts_with(e)) && !(in_thread && line.trim() == "---") {
        return Field::None;
    }
    if let Some((_, key)) = labels.iter().find(|(label, _)| line == label) {
        return Field::Draft(key.clone());
    }
    let lower = line.to_lowercase();
    if field == Field::None
        && line.starts_with("- ")
        && line.contains(':')
        && (lower.contains("approve") || lower.contains("reject"))
    {
        unreadable.push(format!("clip {}: {line:?} (no such platform)", b.id));
        return Field::None;
    }
    match &field {
        Field::Comment => b.comment.push(line.to_string()),
        Field::Draft(key) => {
            let text = b.drafts.entry(key.clone()).or_insert(Value::from(""));
            let joined = match text.as_str() {
                Some("") | None => line.to_string(),
                Some(t) => format!("{t}\n{line}"),
            };
            *text = Value::from(joined);
        }
        Field::None | Field::NotesComment => {}
    }
    field
}

#[cfg(test)]
mod tests {
    use super::{read_choice, read_version};

    #[test]
    fn version_lines_are_read_or_refused() {
        let cases = [
            (" [ ] A [ ] B [ ] thread", Some(None)),
            (" [x] A [ ] B [ ] thread", Some(Some("a"))),
            (" [ ] A [X] B [ ] thread", Some(Some("b"))),
            (" [ ] A [ ] B [x] thread", Some(Some("thread"))),
            (" [x] A [x] B", None),
            (" B", Some(Some("b"))),
            (" thread", Some(Some("thread"))),
            ("", Some(None)),
            (" the second one", None),
        ];
        for (line, want) in cases {
            assert_eq!(read_version(line), want, "{line:?}");
        }
    }

    #[test]
    fn decision_lines_are_read_or_refused() {
        let cases = [
            (" [ ] approve [ ] needs changes [ ] reject", Some("pending")),
            (
                " [x] approve [ ] needs changes [ ] reject",
                Some("approved"),
            ),
            (
                " [ ] approve [X] needs changes [ ] reject",
                Some("needs_changes"),
            ),
            (
                " [ ] approve [ ] needs changes [x] reject",
                Some("rejected"),
            ),
            (" [x] approve [x] needs changes [ ] reject", None),
            (" approve / reject / needs changes", Some("pending")),
            (" approve", Some("approved")),
            (" needs changes", Some("needs_changes")),
            ("", Some("pending")),
            (" yes please", None),
            (" approve / reject", None),
            (" maybe [ ] approve [ ] needs changes [ ] reject", None),
            (" approve, thanks!", None),
        ];
        for (line, want) in cases {
            assert_eq!(read_choice(line), want, "{line:?}");
        }
    }
}
