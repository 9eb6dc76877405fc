//! `clipper review apply DIR FILE`: the client's answers into the episode's
//! decisions, every earlier version kept.

use std::path::Path;
use std::process::ExitCode;

use crate::folder::{self, OutputFolder};

/// Merges a client's decisions file into `dir`'s decisions.json.
pub fn apply(dir: &Path, file: &Path, author: Option<&str>) -> anyhow::Result<ExitCode> {
    // (a folder a killed run left moved aside counts: apply puts it back)
    if !dir.is_dir() && !OutputFolder::new(dir).has_moved_aside() {
        return super::usage_error(format!(
            "{}: no such output folder (run clipper on the episode first)",
            dir.display()
        ));
    }
    let out = OutputFolder::new(dir);
    let r = crate::review::apply(&out, file, author)?;
    super::out(format_args!(
        "{}: {} changed, {} unchanged, {} kept for clips no longer in the episode",
        out.file(folder::DECISIONS).display(),
        r.changed.len(),
        r.unchanged,
        r.orphaned.len()
    ))?;
    for id in &r.orphaned {
        eprintln!("note: decision for {id} kept, but the clip is no longer among the highlights");
    }
    Ok(ExitCode::SUCCESS)
}
