//! `clipper eval highlights LABELS.json…`: the clips of labelled episodes
//! measured the way a social editor would judge them.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::folder::OutputFolder;
use crate::highlights::eval::{evaluate, Labels, Report};
use crate::highlights::Clip;

/// Evaluates each labelled episode's output folder and prints the figures.
pub fn highlights(
    labels: &[std::path::PathBuf],
    top: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    for path in labels {
        let report = one(path, top)?;
        reports.push(serde_json::json!({ "labels": path, "report": report }));
        if !json {
            print_report(path, &report)?;
        }
    }
    if json {
        super::out(serde_json::to_string_pretty(&reports)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn one(path: &Path, top: usize) -> anyhow::Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let labels: Labels = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a labels file", path.display()))?;
    let episode = crate::util::paths::parent_or_dot(path).join(&labels.episode);
    let out = OutputFolder::for_input(&episode, None);
    let missing = || {
        format!(
            "{} has no clips yet: run clipper on {} first",
            out.path().display(),
            episode.display()
        )
    };
    let h = out.highlights()?.with_context(missing)?;
    let t: crate::transcript::Transcript = serde_json::from_slice(
        &std::fs::read(out.file(crate::folder::TRANSCRIPT)).with_context(missing)?,
    )
    .with_context(|| {
        format!(
            "{} is damaged",
            out.file(crate::folder::TRANSCRIPT).display()
        )
    })?;
    let clips: Vec<&Clip> = h.clips.iter().map(|c| &c.clip).collect();
    Ok(evaluate(&t, &clips, &labels, top))
}

fn print_report(path: &Path, r: &Report) -> std::io::Result<()> {
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    super::out(format_args!("{}", path.display()))?;
    super::out(format_args!("  clips                     {}", r.clips))?;
    super::out(format_args!(
        "  filler in the top {}       {}",
        r.top_k,
        list(&r.filler_in_top)
    ))?;
    super::out(format_args!(
        "  crossing a boundary       {}",
        list(&r.crossing)
    ))?;
    let shortest = r
        .min_edge_pause
        .map_or("none inside the episode".into(), |p| format!("{p:.2} s"));
    super::out(format_args!(
        "  shortest pause at a cut   {shortest} (under 0.3 s: {})",
        list(&r.short_edge_pauses)
    ))?;
    super::out(format_args!(
        "  dangling starts           {}",
        list(&r.dangling_starts)
    ))?;
    super::out(format_args!(
        "  median length             {:.1} s",
        r.median_length
    ))?;
    super::out(format_args!(
        "  good moments found        {}/{} (missed: {})",
        r.good_found.len(),
        r.good_found.len() + r.good_missed.len(),
        list(&r.good_missed)
    ))
}
