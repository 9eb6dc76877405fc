//! A client's answer by e-mail: the "Your answer" blocks of `review.md`,
//! filled in and sent back (quoted with `>` or not), read into the same
//! answers the sheet's `decisions.json` carries.
//!
//! Per clip the block reads `- Clip: <id>`, `- Decision: …` (one of
//! approve / reject / needs changes kept; all three left means no decision
//! yet), `- Comment: …` (it may go on over the next lines) and, under
//! `- Changed drafts …:`, a platform's label (`X:`, `LinkedIn:`, `YouTube
//! Shorts title:`…) with the new text below it.

use serde_json::{json, Map, Value};

use crate::bundle::Highlights;

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
    Draft(String),
}

/// One clip's answer, as read.
#[derive(Default)]
struct Block {
    id: String,
    decision: Option<String>,
    comment: Vec<String>,
    drafts: Map<String, Value>,
}

/// Reads a reply into a decisions value (`{"episode", "author", "clips"}`)
/// for [`crate::decisions::Decisions::merge_client`]; draft labels are
/// those of `h`'s drafts. Names the clip whose decision cannot be read.
pub fn parse(text: &str, h: &Highlights, author: &str) -> Result<Value, String> {
    let labels: Vec<(String, String)> = h
        .clips
        .iter()
        .flat_map(|c| c.drafts.iter())
        .map(|d| (format!("{}:", super::sheet::draft_label(d)), d.key()))
        .collect();
    let mut blocks: Vec<Block> = Vec::new();
    let mut field = Field::None;
    for raw in text.lines() {
        let line = unquote(raw);
        if let Some(id) = line.strip_prefix("- Clip:") {
            blocks.push(Block {
                id: id.trim().to_string(),
                ..Block::default()
            });
            field = Field::None;
            continue;
        }
        let Some(b) = blocks.last_mut() else { continue };
        if let Some(d) = line.strip_prefix("- Decision:") {
            b.decision = Some(d.trim().to_lowercase());
            field = Field::None;
        } else if let Some(c) = line.strip_prefix("- Comment:") {
            b.comment = vec![c.trim().to_string()];
            field = Field::Comment;
        } else if line.starts_with("- Changed drafts") {
            field = Field::None;
        } else if let Some((_, key)) = labels.iter().find(|(label, _)| line == label) {
            field = Field::Draft(key.clone());
        } else if line.starts_with("---") || line.starts_with('#') {
            field = Field::None;
        } else {
            match &field {
                Field::Comment => b.comment.push(line.to_string()),
                Field::Draft(key) => {
                    let text = b.drafts.entry(key.clone()).or_insert(Value::from(""));
                    let joined = match text.as_str() {
                        Some("") => line.to_string(),
                        Some(t) => format!("{t}\n{line}"),
                        None => line.to_string(),
                    };
                    *text = Value::from(joined);
                }
                Field::None => {}
            }
        }
    }
    let mut clips = Map::new();
    for b in blocks {
        let status = status_of(&b)?;
        let comment = b.comment.join("\n").trim().to_string();
        let drafts: Map<String, Value> = b
            .drafts
            .into_iter()
            .map(|(k, v)| (k, Value::from(v.as_str().unwrap_or("").trim())))
            .filter(|(_, v)| v.as_str().is_some_and(|t| !t.is_empty()))
            .collect();
        if status == "pending" && comment.is_empty() && drafts.is_empty() {
            continue; // nothing said about this clip yet
        }
        clips.insert(
            b.id,
            json!({"status": status, "comment": comment, "drafts": drafts}),
        );
    }
    Ok(
        json!({"format": crate::decisions::FORMAT, "episode": h.episode, "author": author, "clips": clips}),
    )
}

/// The status a block's decision line says.
fn status_of(b: &Block) -> Result<&'static str, String> {
    let Some(d) = b.decision.as_deref() else {
        return Ok("pending");
    };
    let said: Vec<&'static str> = [
        ("approve", "approved"),
        ("reject", "rejected"),
        ("needs changes", "needs_changes"),
        ("changes", "needs_changes"),
    ]
    .iter()
    .filter(|(word, _)| d.contains(word))
    .map(|(_, status)| *status)
    .fold(Vec::new(), |mut v, s| {
        if !v.contains(&s) {
            v.push(s);
        }
        v
    });
    match said.as_slice() {
        [] if d.is_empty() => Ok("pending"),
        [one] => Ok(one),
        [_, _, _] => Ok("pending"), // the template left as it was
        _ => Err(format!(
            "clip {}: the decision {d:?} is not one of approve / reject / needs changes \
             (keep one and delete the others)",
            b.id
        )),
    }
}
