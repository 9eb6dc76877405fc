//! `clipper export DIR`: what the client approved, ready for a scheduler.
//!
//! Writes `publish.csv` (platform, title, text, media_file, scheduled_time
//! left empty for the VA) in the column layout common schedulers' bulk
//! upload accepts, and copies the approved clips' media into `export/`.
//! Only approved, current (not orphaned) clips are exported.

use std::path::Path;

use crate::decisions::Status;
use crate::drafts::DraftKind;
use crate::folder::{self, FolderError, OutputFolder};

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

/// Removes a folder when dropped (after a rename it is simply gone).
struct RemoveOnDrop<'a>(&'a Path);

impl Drop for RemoveOnDrop<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.0);
    }
}

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A file of the folder could not be read or written.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// The folder has no run of clipper in it.
    #[error("{} has no {}; run clipper on the episode first", .1.display(), .0)]
    NotRun(&'static str, std::path::PathBuf),
}

/// Exports the approved clips of an output folder.
pub fn export(out: &OutputFolder) -> Result<ExportReport, ExportError> {
    let _lock = out.lock()?;
    let not_run = |name| ExportError::NotRun(name, out.path().to_path_buf());
    let decisions = out.decisions()?.ok_or_else(|| not_run(folder::DECISIONS))?;
    let highlights = out
        .highlights()?
        .ok_or_else(|| not_run(folder::HIGHLIGHTS))?;
    let mut report = ExportReport::default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let export_dir = out.file(folder::EXPORT);
    let staging = out.file(&format!(".export.tmp-{}", std::process::id()));
    let werr = |p: &Path| {
        let p = p.to_path_buf();
        move |e| FolderError::Write(p, e)
    };
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(werr(&staging))?;
    // removed on every way out, so a failed export leaves nothing behind
    let _cleanup = RemoveOnDrop(&staging);
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
        let mut copied = std::collections::BTreeMap::new();
        let title = d
            .drafts
            .get("youtube_title")
            .cloned()
            .unwrap_or_else(|| clip.title.clone());
        for draft in clip.drafts.iter().filter(|d| d.kind != DraftKind::Title) {
            let text = d
                .drafts
                .get(&draft.key())
                .cloned()
                .unwrap_or_else(|| draft.text.clone());
            let media_file = match media_for(&clip.media, draft.platform) {
                Some(m) => export_copy(out, &staging, m, &mut copied)?,
                None => String::new(),
            };
            let platform = draft.platform.name().to_string();
            rows.push(vec![
                platform,
                title.clone(),
                text,
                media_file,
                String::new(),
            ]);
        }
        report.clips.push(id.clone());
    }
    report.rows = rows.len();
    let _ = std::fs::remove_dir_all(&export_dir);
    std::fs::rename(&staging, &export_dir).map_err(werr(&export_dir))?;
    let header = ["platform", "title", "text", "media_file", "scheduled_time"];
    let csv = crate::util::csv::render(&header, rows);
    let path = out.file(folder::PUBLISH_CSV);
    crate::atomic::write_bytes(&path, csv.as_bytes()).map_err(werr(&path))?;
    Ok(report)
}

/// The file a platform's post carries: the vertical video on the video
/// platforms (TikTok, YouTube Shorts, Instagram), the landscape quote card
/// on X and LinkedIn, and the clip audio when neither was made.
fn media_for(media: &[String], platform: crate::domain::Platform) -> Option<&str> {
    use crate::domain::Platform;
    let find = |end: &str| media.iter().find(|m| m.ends_with(end)).map(String::as_str);
    let audio = || {
        media
            .iter()
            .find(|m| m.ends_with(".mp3") && !m.ends_with(".preview.mp3"))
            .or_else(|| media.iter().find(|m| m.ends_with(".wav")))
            .map(String::as_str)
    };
    match platform {
        Platform::Tiktok | Platform::Youtube | Platform::Instagram => {
            find(".9x16.mp4").or_else(|| find(".mp4")).or_else(audio)
        }
        Platform::X | Platform::Linkedin => find(".quote.1200x627.png").or_else(audio),
    }
}

/// Copies `m` into the export staging folder once; its path in publish.csv.
fn export_copy(
    out: &OutputFolder,
    staging: &Path,
    m: &str,
    copied: &mut std::collections::BTreeMap<String, String>,
) -> Result<String, FolderError> {
    if let Some(done) = copied.get(m) {
        return Ok(done.clone());
    }
    let name = Path::new(m).file_name().unwrap_or_default();
    let copy = staging.join(name);
    std::fs::copy(out.file(m), &copy).map_err(|e| FolderError::Write(copy.clone(), e))?;
    let path = format!("{}/{}", folder::EXPORT, name.to_string_lossy());
    copied.insert(m.to_string(), path.clone());
    Ok(path)
}
