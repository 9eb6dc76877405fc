//! `clipper export DIR`: the approved posts for a scheduler, and their media.

use std::process::ExitCode;

use crate::cli::ExportArgs;
use crate::config::ClientConfig;
use crate::folder::OutputFolder;
use crate::review::export::{ExportOptions, Format};
use crate::review::schedule::Slots;

/// Exports what the client approved in `args.dir`, in `args.format`, with
/// the slots of the client's `[schedule]` (from `--config`, or the
/// clipper.toml beside the episode's folder or in the current folder).
pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    if !dir.is_dir() {
        return super::usage_error(format!(
            "{}: no such output folder (run clipper on the episode first)",
            dir.display()
        ));
    }
    let config_path = args.config.clone().or_else(|| ClientConfig::find(dir));
    let config = match config_path.as_deref().map(ClientConfig::load) {
        Some(cfg) => cfg?,
        None => ClientConfig::default(),
    };
    let slots = match &config.schedule {
        Some(s) => match Slots::new(s, None) {
            Ok(slots) => Some(slots),
            Err(e) => {
                let file = config_path.unwrap_or_default();
                return super::usage_error(format!("{}: {e}", file.display()));
            }
        },
        None => None,
    };
    let opts = ExportOptions {
        format: args.format,
        slots,
        media_base: args.media_base.clone(),
    };
    let r = crate::review::export::export(&OutputFolder::new(dir), opts)?;
    super::out(format_args!(
        "{}: {} approved posts from {} clips in {}",
        dir.display(),
        r.rows,
        r.clips.len(),
        r.files.join(", ")
    ))?;
    for id in &r.skipped_orphans {
        eprintln!("note: {id} is approved but no longer among the highlights; not exported");
    }
    for post in &r.skipped_changed {
        eprintln!(
            "note: {post} was approved earlier but its drafts changed since; not exported \
             until the client approves it again"
        );
    }
    if args.format == Format::Buffer && args.media_base.is_none() && r.rows > 0 {
        eprintln!(
            "note: Buffer takes media by URL: upload export/ and pass --media-base URL, \
             or attach the files in Buffer"
        );
    }
    Ok(ExitCode::SUCCESS)
}
