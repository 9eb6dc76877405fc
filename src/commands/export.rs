//! `clipper export DIR`: publish.csv and the approved media.

use std::path::Path;
use std::process::ExitCode;

use crate::folder::OutputFolder;

/// Exports what the client approved in `dir`.
pub fn run(dir: &Path) -> anyhow::Result<ExitCode> {
    if !dir.is_dir() {
        return super::usage_error(format!(
            "{}: no such output folder (run clipper on the episode first)",
            dir.display()
        ));
    }
    let r = crate::review::export::export(&OutputFolder::new(dir))?;
    super::out(format_args!(
        "{}: {} approved clips, {} rows in publish.csv",
        dir.display(),
        r.clips.len(),
        r.rows
    ))?;
    for id in &r.skipped_orphans {
        eprintln!("note: {id} is approved but no longer among the highlights; not exported");
    }
    Ok(ExitCode::SUCCESS)
}
