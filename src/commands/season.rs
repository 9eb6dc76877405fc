//! `clipper season index DIR`: the season index rebuilt from the episodes'
//! output folders.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::season::SeasonIndex;

/// Rewrites season.json/.csv/.html of `dir`.
pub fn index(dir: &Path, json: bool) -> anyhow::Result<ExitCode> {
    if !dir.is_dir() {
        return super::usage_error(format!("{}: no such folder", dir.display()));
    }
    let index = SeasonIndex::build(dir);
    index
        .write(dir)
        .with_context(|| format!("cannot write the season index in {}", dir.display()))?;
    if json {
        super::out(serde_json::to_string_pretty(&index)?)?;
    }
    eprintln!(
        "{}: {} episodes, {} done, {} failed, {} not processed yet",
        dir.join("season.html").display(),
        index.totals.episodes,
        index.totals.done,
        index.totals.failed,
        index.totals.pending
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the index of every season folder of a run, and says where.
pub fn write_indexes(roots: &[&std::path::PathBuf]) {
    for root in roots {
        let index = SeasonIndex::build(root);
        match index.write(root) {
            Ok(()) => eprintln!(
                "season index: {} ({} done, {} failed, {} not processed yet)",
                root.join("season.html").display(),
                index.totals.done,
                index.totals.failed,
                index.totals.pending
            ),
            Err(e) => eprintln!(
                "warning: cannot write the season index in {}: {e}",
                root.display()
            ),
        }
    }
}
