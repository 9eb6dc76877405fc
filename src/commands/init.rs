//! `clipper init`: a commented clipper.toml to edit.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::InitArgs;
use crate::config::ClientConfig;

/// Writes the client settings file.
pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    if args.path.exists() && !args.force {
        anyhow::bail!(
            "{} already exists; pass --force to overwrite it",
            args.path.display()
        );
    }
    let glossary = args
        .names
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect();
    let cfg = ClientConfig {
        show_name: args.show.unwrap_or_default(),
        glossary,
        ..Default::default()
    };
    crate::atomic::write_bytes(&args.path, cfg.to_commented_toml().as_bytes())
        .with_context(|| format!("cannot write {}", args.path.display()))?;
    eprintln!(
        "wrote {}; edit it, then run clipper on an episode",
        args.path.display()
    );
    Ok(ExitCode::SUCCESS)
}
