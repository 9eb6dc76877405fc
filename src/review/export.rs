//! `clipper export DIR`: what the client approved, ready for a scheduler.
//!
//! One row per approved platform post (a platform's own decision, else its
//! clip's; an approval of drafts that changed since is left out), with the
//! media file for that platform copied into `export/`. `--format csv`
//! writes `publish.csv` (platform, title, text, media_file,
//! scheduled_time); `buffer`, `hootsuite` and `later` write one file per
//! platform (`publish-<format>-<platform>.csv`, since each scheduler's bulk
//! upload posts a whole file to the channels chosen for it) in the layout
//! its bulk upload documents. Later has no bulk upload of posts; what it
//! documents is a bulk upload of media, whose notes become the caption of
//! a post made from them, so `later` also lays out `export/later/` for
//! that (media and caption per post, named in posting order). Scheduled
//! times come from `[schedule]` ([`super::schedule`]); every cell a
//! spreadsheet would run as a formula is neutralised
//! ([`crate::util::csv`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::bundle::FinishedClip;
use crate::decisions::{ClipDecision, DraftState};
use crate::domain::Platform;
use crate::drafts::DraftKind;
use crate::folder::{self, FolderError, OutputFolder};

use super::schedule::Slots;
use super::sheet::generated_texts;

/// A scheduler's bulk-upload layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// clipper's own `publish.csv` (platform, title, text, media_file,
    /// scheduled_time in RFC 3339 with the client's offset).
    Csv,
    /// Buffer's bulk upload: `Text,Image URL,Tags,Posting Time`, time
    /// `YYYY-MM-DD HH:mm`.
    Buffer,
    /// Hootsuite's bulk composer: no header; date `dd/MM/yyyy HH:mm`,
    /// message, link.
    Hootsuite,
    /// Later: its media bulk upload, `export/later/<platform>/`, each
    /// post's media and caption named in posting order, with
    /// `Date,Time,Caption,Media File` as the plan to work through.
    Later,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Buffer => "buffer",
            Format::Hootsuite => "hootsuite",
            Format::Later => "later",
        }
    }
}

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The layout.
    pub format: Format,
    /// Posting slots, when `clipper.toml` has a `[schedule]`.
    pub slots: Option<Slots>,
    /// Where the `export/` files will be online (for formats that take a
    /// media URL): the URL is this plus the file name.
    pub media_base: Option<String>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: Format::Csv,
            slots: None,
            media_base: None,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ExportReport {
    /// Rows written (one per approved platform post).
    pub rows: usize,
    /// Clips with at least one row.
    pub clips: Vec<String>,
    /// Approved decisions left out because their clip no longer exists.
    pub skipped_orphans: Vec<String>,
    /// Posts approved earlier whose drafts changed since (`clip/platform`).
    pub skipped_changed: Vec<String>,
    /// Files written, relative to the folder.
    pub files: Vec<String>,
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
    /// The format needs something the settings do not give.
    #[error("{0}")]
    Needs(String),
}

/// One approved platform post.
#[derive(Debug, Clone)]
struct Post {
    platform: Platform,
    /// The clip's id.
    clip: String,
    title: String,
    text: String,
    /// The media file under `export/`, if any.
    media: Option<String>,
    when: Option<jiff::ZonedDateTime>,
}

/// The media file for a platform: the vertical video for the video
/// platforms (TikTok, YouTube Shorts, Instagram Reels), the landscape quote
/// card for X and LinkedIn, else the mastered audio (never the small
/// preview made for the review sheet).
pub fn media_for(platform: Platform, media: &[String]) -> Option<&str> {
    let find = |end: &str| media.iter().find(|m| m.ends_with(end)).map(String::as_str);
    let audio = || {
        media
            .iter()
            .find(|m| m.ends_with(".mp3") && !m.ends_with(".preview.mp3"))
            .or_else(|| {
                media
                    .iter()
                    .find(|m| m.ends_with(".m4a") || m.ends_with(".wav"))
            })
            .map(String::as_str)
    };
    match platform {
        Platform::Tiktok | Platform::Youtube | Platform::Instagram => {
            find(".9x16.mp4").or_else(|| find(".mp4")).or_else(audio)
        }
        Platform::X | Platform::Linkedin => find(".quote.1200x627.png").or_else(audio),
    }
}

/// A clip's title and texts for one platform, with the client's edits,
/// in the version the client picked ([`crate::decisions::chosen_version`];
/// the first where the picked one is missing): one text per post, several
/// for an X thread.
fn post_texts(c: &FinishedClip, d: &ClipDecision, platform: Platform) -> (String, Vec<String>) {
    let chosen = crate::decisions::chosen_version(d, platform.name());
    let edited = |kind: DraftKind, version: &str| {
        c.drafts
            .iter()
            .find(|x| x.platform == platform && x.kind == kind && x.version() == version)
            .map(|x| {
                d.drafts
                    .get(&x.key())
                    .cloned()
                    .unwrap_or_else(|| x.text.clone())
            })
    };
    let version = |kind: DraftKind| edited(kind, chosen).or_else(|| edited(kind, "a"));
    let title = version(DraftKind::Title).unwrap_or_else(|| c.title.clone());
    if chosen == "thread" {
        if let Some(thread) = edited(DraftKind::Thread, "thread") {
            return (title, crate::drafts::thread_posts(&thread));
        }
    }
    let text = version(DraftKind::Post)
        .or_else(|| version(DraftKind::Description))
        .unwrap_or_else(|| title.clone());
    (title, vec![text])
}

/// The approved posts of the folder, in clip order, each clip's posts
/// sharing one slot; copies their media into `staging`.
fn collect(
    out: &OutputFolder,
    staging: &Path,
    opts: &mut ExportOptions,
    report: &mut ExportReport,
) -> Result<Vec<Post>, ExportError> {
    let not_run = |name| ExportError::NotRun(name, out.path().to_path_buf());
    let decisions = out.decisions()?.ok_or_else(|| not_run(folder::DECISIONS))?;
    let highlights = out
        .highlights()?
        .ok_or_else(|| not_run(folder::HIGHLIGHTS))?;
    for (id, d) in &decisions.clips {
        let current = highlights.clips.iter().any(|c| &c.id == id) && !d.orphaned;
        let approved = d.status == crate::decisions::Status::Approved
            || d.platforms
                .values()
                .any(|p| p.status == crate::decisions::Status::Approved);
        if approved && !current {
            report.skipped_orphans.push(id.clone());
        }
    }
    let mut posts = Vec::new();
    for c in &highlights.clips {
        let Some(d) = decisions.clips.get(&c.id).filter(|d| !d.orphaned) else {
            continue;
        };
        let generated = generated_texts(c);
        let mut platforms: Vec<Platform> = Vec::new();
        for x in &c.drafts {
            if !platforms.contains(&x.platform) {
                platforms.push(x.platform);
            }
        }
        let mut when = None;
        for p in platforms {
            match d.state_now(p.name(), &generated) {
                DraftState::Approved => {}
                DraftState::ChangedSinceApproval => {
                    report
                        .skipped_changed
                        .push(format!("{}/{}", c.id, p.name()));
                    continue;
                }
                _ => continue,
            }
            if when.is_none() {
                when = Some(opts.slots.as_mut().map(Slots::next_slot));
            }
            let media = copy_media(out, staging, media_for(p, &c.media))?;
            let (title, texts) = post_texts(c, d, p);
            // A thread's posts go out one after another; the media rides
            // on the first.
            for (i, text) in texts.into_iter().enumerate() {
                posts.push(Post {
                    platform: p,
                    clip: c.id.clone(),
                    title: title.clone(),
                    text,
                    media: if i == 0 { media.clone() } else { None },
                    when: when.clone().flatten(),
                });
            }
        }
        if when.is_some() {
            report.clips.push(c.id.clone());
        }
    }
    Ok(posts)
}

/// Copies one media file into the staging folder; returns its name there.
fn copy_media(
    out: &OutputFolder,
    staging: &Path,
    media: Option<&str>,
) -> Result<Option<String>, ExportError> {
    let Some(m) = media else { return Ok(None) };
    let name = Path::new(m).file_name().unwrap_or_default();
    let copy = staging.join(name);
    if !copy.exists() {
        std::fs::copy(out.file(m), &copy).map_err(|e| FolderError::Write(copy.clone(), e))?;
    }
    Ok(Some(name.to_string_lossy().into_owned()))
}

/// Exports the approved posts of an output folder (see the module doc).
pub fn export(out: &OutputFolder, mut opts: ExportOptions) -> Result<ExportReport, ExportError> {
    let _lock = out.lock()?;
    if opts.format == Format::Hootsuite && opts.slots.is_none() {
        return Err(ExportError::Needs(
            "Hootsuite's bulk composer needs a date and time on every row: add a [schedule] \
             to clipper.toml (see the README), or export with --format buffer, later or csv"
                .into(),
        ));
    }
    let mut report = ExportReport::default();
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
    let posts = collect(out, &staging, &mut opts, &mut report)?;
    report.rows = posts.len();
    if opts.format == Format::Later {
        later_folders(&staging, &posts)?;
    }
    let _ = std::fs::remove_dir_all(&export_dir);
    std::fs::rename(&staging, &export_dir).map_err(werr(&export_dir))?;
    for (name, text) in render(&posts, &opts) {
        let path = out.file(&name);
        crate::atomic::write_bytes(&path, text.as_bytes()).map_err(werr(&path))?;
        report.files.push(name);
    }
    remove_stale(out, opts.format, &report.files);
    Ok(report)
}

/// Removes per-platform files of this format that this export did not
/// write (a platform no longer approved must not stay behind).
fn remove_stale(out: &OutputFolder, format: Format, written: &[String]) {
    let prefix = format!("publish-{}-", format.name());
    let Ok(entries) = std::fs::read_dir(out.path()) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && name.ends_with(".csv") && !written.contains(&name) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The files of an export: name and CSV text.
fn render(posts: &[Post], opts: &ExportOptions) -> Vec<(String, String)> {
    let media = |p: &Post| {
        p.media
            .as_ref()
            .map(|m| format!("{}/{m}", folder::EXPORT))
            .unwrap_or_default()
    };
    if opts.format == Format::Csv {
        let rows = posts.iter().map(|p| {
            let when = p
                .when
                .as_ref()
                .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string());
            vec![
                p.platform.name().to_string(),
                p.title.clone(),
                p.text.clone(),
                media(p),
                when.unwrap_or_default(),
            ]
        });
        let header = ["platform", "title", "text", "media_file", "scheduled_time"];
        return vec![(
            folder::PUBLISH_CSV.to_string(),
            crate::util::csv::render(&header, rows),
        )];
    }
    let mut by_platform: BTreeMap<usize, (Platform, Vec<&Post>)> = BTreeMap::new();
    for p in posts {
        let order = Platform::ALL
            .iter()
            .position(|x| *x == p.platform)
            .unwrap_or(0);
        by_platform
            .entry(order)
            .or_insert((p.platform, Vec::new()))
            .1
            .push(p);
    }
    by_platform
        .into_values()
        .map(|(platform, posts)| {
            let name = format!("publish-{}-{}.csv", opts.format.name(), platform.name());
            (name, render_scheduler(&posts, opts))
        })
        .collect()
}

/// One platform's file in a scheduler's layout.
fn render_scheduler(posts: &[&Post], opts: &ExportOptions) -> String {
    let time = |p: &Post, f: &str| {
        p.when
            .as_ref()
            .map(|z| z.strftime(f).to_string())
            .unwrap_or_default()
    };
    let url = |p: &Post, images_only: bool| {
        let file = p.media.as_deref().filter(|m| {
            !images_only
                || m.rsplit_once('.').is_some_and(|(_, e)| {
                    matches!(e.to_ascii_lowercase().as_str(), "png" | "jpg" | "jpeg")
                })
        });
        match (&opts.media_base, file) {
            (Some(base), Some(f)) => format!(
                "{}/{}",
                base.trim_end_matches('/'),
                crate::util::html::url_of_path(f)
            ),
            _ => String::new(),
        }
    };
    match opts.format {
        Format::Buffer => {
            let rows = posts.iter().map(|p| {
                vec![
                    p.text.clone(),
                    url(p, true),
                    String::new(),
                    time(p, "%Y-%m-%d %H:%M"),
                ]
            });
            crate::util::csv::render(&["Text", "Image URL", "Tags", "Posting Time"], rows)
        }
        Format::Hootsuite => {
            let rows = posts
                .iter()
                .map(|p| vec![time(p, "%d/%m/%Y %H:%M"), p.text.clone(), String::new()]);
            crate::util::csv::render_rows(rows)
        }
        Format::Later | Format::Csv => {
            let rows = posts.iter().enumerate().map(|(i, p)| {
                let file = p
                    .media
                    .as_ref()
                    .map(|m| format!("{}/{}", folder::EXPORT, later_media(p, i + 1, m)))
                    .unwrap_or_default();
                vec![time(p, "%Y-%m-%d"), time(p, "%H:%M"), p.text.clone(), file]
            });
            crate::util::csv::render(&["Date", "Time", "Caption", "Media File"], rows)
        }
    }
}

/// The name (without extension) of the `n`th post of a platform in the
/// Later folder: the number first, so a file list sorted by name is the
/// posting order, then the slot and the clip (`03_2026-03-05_0930_c0042`).
fn later_stem(p: &Post, n: usize) -> String {
    match &p.when {
        Some(z) => format!("{n:02}_{}_{}", z.strftime("%Y-%m-%d_%H%M"), p.clip),
        None => format!("{n:02}_{}", p.clip),
    }
}

/// Where the `n`th post's media goes, relative to `export/`.
fn later_media(p: &Post, n: usize, media: &str) -> String {
    let ext = Path::new(media)
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    format!("later/{}/{}{ext}", p.platform.name(), later_stem(p, n))
}

/// Lays out `later/<platform>/` in the staging folder: each post's media
/// (linked to the copy already staged, or copied) and its caption in a
/// `.txt` of the same name, ready for Later's media bulk upload (the
/// caption goes into the media item's notes, which Later copies into the
/// post).
fn later_folders(staging: &Path, posts: &[Post]) -> Result<(), ExportError> {
    let mut counts: BTreeMap<Platform, usize> = BTreeMap::new();
    let werr = |p: &Path| {
        let p = p.to_path_buf();
        move |e| FolderError::Write(p, e)
    };
    for p in posts {
        let n = counts.entry(p.platform).or_default();
        *n += 1;
        let dir = staging.join("later").join(p.platform.name());
        std::fs::create_dir_all(&dir).map_err(werr(&dir))?;
        if let Some(m) = &p.media {
            let to = staging.join(later_media(p, *n, m));
            let from = staging.join(m);
            if std::fs::hard_link(&from, &to).is_err() {
                std::fs::copy(&from, &to).map_err(werr(&to))?;
            }
        }
        let caption = dir.join(format!("{}.txt", later_stem(p, *n)));
        std::fs::write(&caption, format!("{}\n", p.text)).map_err(werr(&caption))?;
    }
    Ok(())
}
