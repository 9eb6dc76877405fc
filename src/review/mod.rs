//! The client approval loop on paper: the review sheet (HTML, Markdown),
//! applying the client's answers, and the export of what was approved. The
//! decisions themselves live in [`crate::decisions`]; the files in
//! [`crate::folder`].

pub mod export;
pub mod markdown;
pub mod sheet;

use std::collections::BTreeMap;
use std::path::Path;

use crate::decisions::{read_client_file, ClientFileError, Decisions, MergeReport};
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

/// `clipper review apply DIR FILE`: merges a client's decisions file into
/// the folder's `decisions.json`, every earlier version kept, and writes it
/// back atomically.
///
/// It holds the folder's lock while it reads and writes, so a run of
/// clipper on the same episode finishes (or starts) around it, never
/// between its read and its write; and it first puts back a folder a killed
/// run left moved aside.
pub fn apply(out: &OutputFolder, client_file: &Path) -> Result<MergeReport, ApplyError> {
    let client = read_client_file(client_file)?;
    let _lock = out.lock()?;
    out.recover();
    let highlights = out
        .highlights()?
        .ok_or_else(|| ApplyError::NotRun(out.path().to_path_buf()))?;
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
    let mut current = out
        .decisions()?
        .unwrap_or_else(|| Decisions::new(&highlights.episode));
    let report = current
        .merge_client(&client, &generated)
        .map_err(|e| ApplyError::Answer(client_file.to_path_buf(), e))?;
    out.save_decisions(&current)?;
    Ok(report)
}
