//! `clipper export DIR`: what the client approved, ready for a scheduler.
//!
//! Writes `publish.csv` (platform, title, text, media_file, scheduled_time
//! left empty for the VA) in the column layout common schedulers' bulk
//! upload accepts, and copies the approved clips' media into `export/`.
//! Only approved, current (not orphaned) clips are exported.

use std::path::Path;

use super::decisions::{DecisionError, Decisions, Status};
use crate::highlights::Highlights;

/// Quotes a CSV field when needed (RFC 4180).
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ExportReport {
    /// Rows in publish.csv.
    pub rows: usize,
    /// Clips exported.
    pub clips: Vec<String>,
    /// Approved decisions left out because their clip no longer exists.
    pub skipped_orphans: Vec<String>,
}

/// Exports the approved clips of an output folder.
pub fn export(dir: &Path) -> Result<ExportReport, DecisionError> {
    let decisions = Decisions::load(dir)?.ok_or_else(|| DecisionError::Invalid {
        path: dir.join(super::decisions::FILE_NAME).display().to_string(),
        reason: "it does not exist; run clipper on the episode first".into(),
    })?;
    let h_path = dir.join("highlights.json");
    let highlights: Highlights =
        serde_json::from_slice(&std::fs::read(&h_path)?).map_err(|e| DecisionError::Invalid {
            path: h_path.display().to_string(),
            reason: e.to_string(),
        })?;
    let mut report = ExportReport::default();
    let mut csv = String::from("platform,title,text,media_file,scheduled_time\n");
    let export_dir = dir.join("export");
    let staging = dir.join(format!(".export.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    for (id, d) in &decisions.clips {
        if d.status != Status::Approved {
            continue;
        }
        let Some(clip) = highlights
            .clips
            .iter()
            .find(|c| &c.id == id)
            .filter(|_| !d.orphaned)
        else {
            report.skipped_orphans.push(id.clone());
            continue;
        };
        let mut media_file = String::new();
        if let Some(m) = clip.media.iter().find(|m| m.ends_with(".wav")) {
            let name = Path::new(m).file_name().unwrap_or_default();
            std::fs::copy(dir.join(m), staging.join(name))?;
            media_file = format!("export/{}", name.to_string_lossy());
        }
        let title = d
            .drafts
            .get("youtube_title")
            .cloned()
            .unwrap_or_else(|| clip.title.clone());
        for draft in &clip.drafts {
            if draft.kind == crate::drafts::DraftKind::Title {
                continue;
            }
            let key = draft.key();
            let text = d
                .drafts
                .get(&key)
                .cloned()
                .unwrap_or_else(|| draft.text.clone());
            csv.push_str(&format!(
                "{},{},{},{},\n",
                draft.platform.name(),
                csv_field(&title),
                csv_field(&text),
                csv_field(&media_file)
            ));
            report.rows += 1;
        }
        report.clips.push(id.clone());
    }
    let _ = std::fs::remove_dir_all(&export_dir);
    std::fs::rename(&staging, &export_dir)?;
    crate::atomic::write_bytes(&dir.join("publish.csv"), csv.as_bytes())?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, \"b\"\nc"), "\"a, \"\"b\"\"\nc\"");
    }
}
