//! The client approval loop on paper: the review sheet (HTML, Markdown),
//! applying the client's answers, and the export of what was approved. The
//! decisions themselves live in [`crate::decisions`]; the files in
//! [`crate::folder`].

pub mod export;
pub mod markdown;
pub mod reply;
pub mod schedule;
pub mod sheet;

use std::collections::BTreeMap;
use std::path::Path;

use crate::bundle::Highlights;
use crate::decisions::{parse_client_json, ClientFileError, Decisions, MergeReport};
use crate::folder::{FolderError, OutputFolder};

/// Why a client's answers could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The client's file cannot be read or is not a decisions file.
    #[error(transparent)]
    ClientFile(#[from] ClientFileError),
    /// The folder's decisions cannot be read or written.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// An answer in the client's file is not one clipper can apply.
    #[error("{} cannot be applied: {}", .0.display(), .1)]
    Answer(std::path::PathBuf, String),
    /// The folder holds no clipper run.
    #[error("{} holds no clips (run clipper on the episode first)", .0.display())]
    NotRun(std::path::PathBuf),
}

/// `clipper review apply DIR FILE`: merges a client's answers into the
/// folder's `decisions.json`, every earlier version kept, writes it back
/// atomically and refreshes `review.html` and `review.md` to show them.
/// FILE is the `decisions.json` the sheet saved, or the client's e-mail
/// reply to `review.md` (its "Your answer" blocks; `author` names who
/// answered, default "client (e-mail)").
///
/// It holds the folder's lock while it reads and writes, so a run of
/// clipper on the same episode finishes (or starts) around it, never
/// between its read and its write; and it first puts back a folder a killed
/// run left moved aside.
pub fn apply(
    out: &OutputFolder,
    client_file: &Path,
    author: Option<&str>,
) -> Result<MergeReport, ApplyError> {
    let text = std::fs::read_to_string(client_file)
        .map_err(|e| ClientFileError::Read(client_file.to_path_buf(), e))?;
    let _lock = out.lock()?;
    out.recover();
    let highlights = out
        .highlights()?
        .ok_or_else(|| ApplyError::NotRun(out.path().to_path_buf()))?;
    let mut current = out
        .decisions()?
        .unwrap_or_else(|| Decisions::new(&highlights.episode));
    let client = if reply::looks_like_reply(&text) {
        let who = author.unwrap_or("client (e-mail)");
        reply::parse(&text, &highlights, who, Some(&current))
            .map_err(|e| ApplyError::Answer(client_file.to_path_buf(), e))?
    } else {
        parse_client_json(client_file, &text)?
    };
    // Answers about another episode must not land on this one's clips.
    if let Some(theirs) = client["episode"].as_str().filter(|e| !e.is_empty()) {
        if theirs != highlights.episode {
            let why = format!(
                "it answers for {theirs:?}, but this folder holds {:?}; nothing was applied",
                highlights.episode
            );
            return Err(ApplyError::Answer(client_file.to_path_buf(), why));
        }
    }
    let generated: BTreeMap<String, BTreeMap<String, String>> = highlights
        .clips
        .iter()
        .map(|c| {
            let drafts = c.drafts.iter().map(|d| (d.key(), d.text.clone())).collect();
            (c.id.clone(), drafts)
        })
        .collect();
    let report = current
        .merge_client(&client, &generated)
        .map_err(|e| ApplyError::Answer(client_file.to_path_buf(), e))?;
    out.save_decisions(&current)?;
    refresh_sheets(out, &highlights, &current)?;
    Ok(report)
}

/// Rewrites `review.html` and `review.md` of the folder with the current
/// decisions (and the show notes, when the folder has them).
fn refresh_sheets(out: &OutputFolder, h: &Highlights, d: &Decisions) -> Result<(), FolderError> {
    let notes = out.shownotes().ok().flatten();
    let value = serde_json::to_value(d).ok();
    let read = |m: &str| std::fs::read(out.file(m)).ok();
    let html = sheet::render_html_with_notes(h, value.as_ref(), notes.as_ref(), &read);
    out.save_text(crate::folder::REVIEW_HTML, &html)?;
    let md = markdown::render_markdown_full(h, notes.as_ref(), Some(d));
    out.save_text(crate::folder::REVIEW_MD, &md)
}
