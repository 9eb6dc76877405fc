//! `clipper DIR`: a season of episodes, unattended.
//!
//! Finding the episodes ([`find_episodes`]), taking one machine's share of
//! them ([`Shard`]), and the season index (`season.json`, `season.csv`, `season.html`) built from
//! what is on disk ([`SeasonIndex`]) — each episode's [`OutputFolder`] with
//! its run and failure records and decisions — so that shards on several machines
//! and interrupted runs all end in the same index.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::audio::{is_audio_name, looks_like_audio};
use crate::decisions::{platforms_of, Decisions, DraftState, Status};
use crate::folder::{self, OutputFolder};
use crate::util::html::{escape as escape_html, fill};
use crate::util::time::{duration, now_rfc3339};

/// True for names clipper writes itself or that are hidden.
fn is_ours_or_hidden(p: &Path) -> bool {
    p.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.starts_with('.') || n.ends_with(".clipper")
    })
}

/// Expands folders into their audio files, recursively and sorted; files
/// given by name are kept as they are. A file counts as audio by its
/// extension or, when the extension is unknown, by its first bytes. Hidden
/// files and clipper's own output folders are left out.
///
/// The walk is safe on any folder: it never follows a link to a folder
/// (no loops, nothing outside), takes a link to a file only when the file
/// lies inside the folder given, visits every file once however many
/// links lead to it, and never opens anything but regular files (a pipe,
/// socket or device would hang or never end).
pub fn find_episodes(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for i in inputs {
        if i.is_dir() {
            let root = i.canonicalize().unwrap_or_else(|_| i.clone());
            walk(i, &root, &mut seen, &mut out);
        } else {
            out.push(i.clone());
        }
    }
    out
}

/// One folder of [`find_episodes`]' walk.
fn walk(
    dir: &Path,
    root: &Path,
    seen: &mut std::collections::HashSet<PathBuf>,
    out: &mut Vec<PathBuf>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let Ok(kind) = e.file_type() else { continue };
        if is_ours_or_hidden(&p) {
            continue;
        }
        if kind.is_dir() {
            walk(&p, root, seen, out);
            continue;
        }
        // a regular file, or a link to one inside the season
        let Ok(real) = p.canonicalize() else { continue };
        let regular = std::fs::metadata(&real).is_ok_and(|m| m.is_file());
        let allowed = kind.is_file() || (kind.is_symlink() && real.starts_with(root));
        if regular && allowed && seen.insert(real) && (is_audio_name(&p) || looks_like_audio(&p)) {
            out.push(p);
        }
    }
}

/// One machine's share of a season: `--shard I/N`, I counting from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, 0 ≤ index < count.
    pub index: usize,
    /// How many shares.
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("'{s}' is not I/N with 0 ≤ I < N (e.g. 0/4 … 3/4)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The episodes of this share: every N-th of the sorted list, starting
    /// at I. Every machine sees the same sorted list of a shared folder, so
    /// the shares are disjoint and together cover the season.
    pub fn take(&self, episodes: Vec<PathBuf>) -> Vec<PathBuf> {
        episodes
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % self.count == self.index)
            .map(|(_, p)| p)
            .collect()
    }
}

/// Where an episode stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeStatus {
    /// Its output folder is complete.
    Done,
    /// The last attempt failed (an older complete output may remain).
    Failed,
    /// Not processed yet (or interrupted).
    Pending,
}

impl EpisodeStatus {
    fn name(self) -> &'static str {
        match self {
            EpisodeStatus::Done => "done",
            EpisodeStatus::Failed => "failed",
            EpisodeStatus::Pending => "pending",
        }
    }
}

/// One row of the season index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    /// The episode, relative to the season folder.
    pub input: String,
    /// Its output folder, relative to the season folder.
    pub output: String,
    /// Where it stands.
    pub status: EpisodeStatus,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Clips in its output.
    pub clips: usize,
    /// Clip ids, best first.
    pub clip_ids: Vec<String>,
    /// Audio duration, seconds.
    pub duration: f64,
    /// Speech, seconds.
    pub speech: f64,
    /// Clips the client approved.
    pub approved: usize,
    /// Clips the client rejected.
    pub rejected: usize,
    /// Clips that need changes.
    pub needs_changes: usize,
    /// Clips not decided yet.
    pub awaiting: usize,
    /// Platform posts (drafts) by where they stand.
    #[serde(default)]
    pub posts: PostCounts,
    /// The review sheet, relative to the season folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
    /// The review sheet as a relative URL, made from the path's own bytes
    /// (a name that is not UTF-8 still links to its file).
    #[serde(skip)]
    pub review_href: Option<String>,
    /// When the output was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// Warnings of the run that made it.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// Platform posts of current clips by where they stand (each platform's
/// own decision, else its clip's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostCounts {
    /// Waiting for the client.
    pub awaiting: usize,
    /// Approved and unchanged since.
    pub approved: usize,
    /// The client wants changes.
    pub needs_changes: usize,
    /// Approved earlier, changed since: waiting for a new look.
    pub changed: usize,
    /// Rejected.
    pub rejected: usize,
}

impl PostCounts {
    fn add(&mut self, s: DraftState) {
        match s {
            DraftState::Pending => self.awaiting += 1,
            DraftState::Approved => self.approved += 1,
            DraftState::NeedsChanges => self.needs_changes += 1,
            DraftState::ChangedSinceApproval => self.changed += 1,
            DraftState::Rejected => self.rejected += 1,
        }
    }

    fn sum(&mut self, o: PostCounts) {
        self.awaiting += o.awaiting;
        self.approved += o.approved;
        self.needs_changes += o.needs_changes;
        self.changed += o.changed;
        self.rejected += o.rejected;
    }
}

/// Sums over the season.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Episodes found.
    pub episodes: usize,
    /// Episodes done.
    pub done: usize,
    /// Episodes failed.
    pub failed: usize,
    /// Episodes not processed yet.
    pub pending: usize,
    /// Clips in all outputs.
    pub clips: usize,
    /// Clips approved.
    pub approved: usize,
    /// Clips awaiting a decision.
    pub awaiting: usize,
    /// Audio, seconds, of the episodes done.
    pub duration: f64,
    /// Platform posts by where they stand.
    #[serde(default)]
    pub posts: PostCounts,
}

/// `season.json`: every episode of a season folder and where it stands.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeasonIndex {
    /// Always `clipper-season`.
    pub format: String,
    /// The season folder's name.
    pub season: String,
    /// When the index was written.
    pub generated_at: String,
    /// Sums.
    pub totals: Totals,
    /// The episodes, in processing order.
    pub episodes: Vec<IndexEntry>,
}

impl IndexEntry {
    /// The row of an episode not processed yet.
    fn pending(input: String, output: String) -> IndexEntry {
        IndexEntry {
            input,
            output,
            status: EpisodeStatus::Pending,
            reason: None,
            clips: 0,
            clip_ids: Vec::new(),
            duration: 0.0,
            speech: 0.0,
            approved: 0,
            rejected: 0,
            needs_changes: 0,
            awaiting: 0,
            posts: PostCounts::default(),
            review: None,
            review_href: None,
            finished_at: None,
            warnings: Vec::new(),
        }
    }

    /// Fills the row of a finished episode from its folder: the run record,
    /// the clips and the decisions on the clips that are current.
    fn fill_from(&mut self, out: &OutputFolder, run: folder::RunRecord, root: &Path) {
        self.status = EpisodeStatus::Done;
        self.clips = run.clips;
        self.duration = run.duration;
        self.speech = run.speech;
        self.finished_at = Some(run.finished_at);
        self.warnings = run.warnings;
        let sheet = out.file(folder::REVIEW_HTML);
        self.review = Some(relative(&sheet, root));
        self.review_href = Some(crate::util::html::url_of_os_path(
            sheet.strip_prefix(root).unwrap_or(&sheet),
        ));
        let h = out.highlights().ok().flatten();
        if let Some(h) = &h {
            self.clip_ids = h.clips.iter().map(|c| c.id.clone()).collect();
        }
        let d = out.decisions().ok().flatten();
        if let Some(h) = &h {
            self.posts = post_counts(h, d.as_ref());
        }
        let Some(d) = d else {
            return;
        };
        for (id, c) in &d.clips {
            if c.orphaned || !self.clip_ids.contains(id) {
                continue;
            }
            match c.status {
                Status::Approved => self.approved += 1,
                Status::Rejected => self.rejected += 1,
                Status::NeedsChanges => self.needs_changes += 1,
                Status::Pending => self.awaiting += 1,
            }
        }
    }
}

/// Where each platform post of the episode's clips stands.
fn post_counts(h: &crate::bundle::Highlights, d: Option<&Decisions>) -> PostCounts {
    let mut n = PostCounts::default();
    for c in &h.clips {
        let generated: std::collections::BTreeMap<String, String> =
            c.drafts.iter().map(|x| (x.key(), x.text.clone())).collect();
        for p in platforms_of(&generated) {
            let state = match d.and_then(|d| d.clips.get(&c.id)) {
                Some(cd) => cd.state_now(&p, &generated),
                None => DraftState::Pending,
            };
            n.add(state);
        }
    }
    n
}

fn relative(p: &Path, root: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

impl SeasonIndex {
    /// Builds the index of the season folder `root` from what is on disk:
    /// run records, failure records and decisions. Output folders are
    /// `<stem>.clipper/` beside each episode.
    pub fn build(root: &Path) -> SeasonIndex {
        let mut totals = Totals::default();
        let mut episodes = Vec::new();
        for input in find_episodes(&[root.to_path_buf()]) {
            let out = OutputFolder::for_input(&input, None);
            let mut entry = IndexEntry::pending(relative(&input, root), relative(out.path(), root));
            // Records name their episode: two episodes with the same stem
            // share an output folder, and only one of them made it.
            let name = crate::util::paths::file_name(&input);
            if let Some(run) = out.run_record().filter(|r| r.input == name) {
                entry.fill_from(&out, run, root);
            }
            if let Some(f) = out.failure().filter(|f| f.input == name) {
                entry.status = EpisodeStatus::Failed;
                entry.reason = Some(f.reason);
            }
            totals.episodes += 1;
            match entry.status {
                EpisodeStatus::Done => {
                    totals.done += 1;
                    totals.duration += entry.duration;
                }
                EpisodeStatus::Failed => totals.failed += 1,
                EpisodeStatus::Pending => totals.pending += 1,
            }
            totals.clips += entry.clips;
            totals.approved += entry.approved;
            totals.awaiting += entry.awaiting;
            totals.posts.sum(entry.posts);
            episodes.push(entry);
        }
        let season = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| root.to_string_lossy().into_owned());
        SeasonIndex {
            format: "clipper-season".into(),
            season,
            generated_at: now_rfc3339(),
            totals,
            episodes,
        }
    }

    /// Writes `season.json`, `season.csv` and `season.html` into `root`,
    /// holding the season's lock (two shards finishing at once write one
    /// after the other).
    pub fn write(&self, root: &Path) -> std::io::Result<()> {
        let _lock = folder::lock(&root.join(".clipper-season.lock"), root)
            .map_err(|e| std::io::Error::other(format!("{:#}", anyhow::Error::from(e))))?;
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        atomic::write_bytes(&root.join("season.json"), &json)?;
        atomic::write_bytes(&root.join("season.csv"), self.to_csv().as_bytes())?;
        atomic::write_bytes(&root.join("season.html"), self.to_html().as_bytes())
    }

    /// The index as CSV, one row per episode.
    pub fn to_csv(&self) -> String {
        let header = [
            "episode",
            "status",
            "reason",
            "clips",
            "duration_s",
            "speech_s",
            "approved",
            "rejected",
            "needs_changes",
            "awaiting",
            "posts_awaiting",
            "posts_approved",
            "posts_needs_changes",
            "posts_changed_since_approval",
            "review_sheet",
            "finished_at",
        ];
        let rows = self.episodes.iter().map(|e| {
            vec![
                e.input.clone(),
                e.status.name().to_string(),
                e.reason.clone().unwrap_or_default(),
                e.clips.to_string(),
                format!("{:.1}", e.duration),
                format!("{:.1}", e.speech),
                e.approved.to_string(),
                e.rejected.to_string(),
                e.needs_changes.to_string(),
                e.awaiting.to_string(),
                e.posts.awaiting.to_string(),
                e.posts.approved.to_string(),
                e.posts.needs_changes.to_string(),
                e.posts.changed.to_string(),
                e.review.clone().unwrap_or_default(),
                e.finished_at.clone().unwrap_or_default(),
            ]
        });
        crate::util::csv::render(&header, rows)
    }

    /// The index as a self-contained HTML page linking every review sheet.
    pub fn to_html(&self) -> String {
        let t = &self.totals;
        let mut rows = String::new();
        for e in &self.episodes {
            let name = escape_html(&e.input);
            let link = match &e.review_href {
                Some(href) => format!("<a href=\"{}\">{name}</a>", escape_html(href)),
                None => name,
            };
            let detail = match (&e.reason, e.status) {
                (Some(r), _) => format!("<span class=\"reason\">{}</span>", escape_html(r)),
                (None, EpisodeStatus::Done) => format!(
                    "{} of audio, {} speech",
                    duration(e.duration),
                    duration(e.speech)
                ),
                (None, _) => "not processed yet".into(),
            };
            rows.push_str(&format!(
                "<tr class=\"{status}\" data-status=\"{status}\"><td>{link}</td><td class=\"status\">{status}</td>\
                 <td class=\"n\">{clips}</td><td class=\"n posts-awaiting\">{awaiting}</td>\
                 <td class=\"n posts-approved\">{approved}</td><td class=\"n posts-needs-changes\">{changes}</td>\
                 <td class=\"n posts-changed\">{changed}</td><td>{detail}</td></tr>\n",
                status = e.status.name(),
                clips = e.clips,
                awaiting = e.posts.awaiting,
                approved = e.posts.approved,
                changes = e.posts.needs_changes,
                changed = e.posts.changed,
            ));
        }
        fill(include_str!("season/season.html"), |key| {
            Some(match key {
                "title" => escape_html(&self.season),
                "generated" => escape_html(&self.generated_at),
                "episodes" => t.episodes.to_string(),
                "done" => t.done.to_string(),
                "failed" => t.failed.to_string(),
                "pending" => t.pending.to_string(),
                "clips" => t.clips.to_string(),
                "approved" => t.approved.to_string(),
                "awaiting" => t.awaiting.to_string(),
                "posts_awaiting" => t.posts.awaiting.to_string(),
                "posts_approved" => t.posts.approved.to_string(),
                "posts_needs_changes" => t.posts.needs_changes.to_string(),
                "posts_changed" => t.posts.changed.to_string(),
                "rows" => rows.clone(),
                _ => return None,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_disjoint_and_cover_the_season() {
        let eps: Vec<PathBuf> = (0..7).map(|i| PathBuf::from(format!("e{i}.mp3"))).collect();
        let a = "0/3".parse::<Shard>().unwrap().take(eps.clone());
        let b = "1/3".parse::<Shard>().unwrap().take(eps.clone());
        let c = "2/3".parse::<Shard>().unwrap().take(eps.clone());
        assert_eq!(a.len() + b.len() + c.len(), 7);
        let mut all: Vec<_> = a.into_iter().chain(b).chain(c).collect();
        all.sort();
        assert_eq!(all, eps);
    }

    #[test]
    fn bad_shards_are_refused() {
        for s in ["3/3", "1", "a/2", "0/0", "-1/2"] {
            assert!(s.parse::<Shard>().is_err(), "{s}");
        }
        assert_eq!(
            "2/4".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 4 }
        );
    }

    #[test]
    fn sniffs_containers_by_their_first_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let cases: [(&[u8], bool); 6] = [
            (b"ID3\x04\x00rest", true),
            (b"RIFF\x00\x00\x00\x00WAVEfmt ", true),
            (b"\x00\x00\x00\x20ftypM4A ", true),
            (&[0xff, 0xfb, 0x90, 0x64], true),
            (b"hello, this is text", false),
            (b"", false),
        ];
        for (i, (bytes, audio)) in cases.iter().enumerate() {
            let p = tmp.path().join(format!("f{i}"));
            std::fs::write(&p, bytes).unwrap();
            assert_eq!(looks_like_audio(&p), *audio, "case {i}");
        }
    }
}
