//! The client approval loop on paper: the review sheet (HTML, Markdown),
//! applying the client's answers, and the export of what was approved. The
//! decisions themselves live in [`crate::decisions`]; the files in
//! [`crate::folder`].

pub mod export;
pub mod markdown;
pub mod sheet;

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
}

/// `clipper review apply DIR FILE`: merges a client's decisions file into
/// the folder's `decisions.json`, every earlier version kept, and writes it
/// back atomically.
pub fn apply(out: &OutputFolder, client_file: &Path) -> Result<MergeReport, ApplyError> {
    let client = read_client_file(client_file)?;
    let mut current = out
        .decisions()?
        .unwrap_or_else(|| Decisions::new(client["episode"].as_str().unwrap_or_default()));
    let report = current.merge_client(&client);
    out.save_decisions(&current)?;
    Ok(report)
}
