//! `clipper DIR`: a season of episodes, unattended.
//!
//! Finding the episodes ([`find_episodes`]), taking one machine's share of
//! them ([`Shard`]), knowing which are already done ([`CacheKey`],
//! [`RunRecord`]), remembering which failed and why ([`FailureRecord`]), and
//! the season index (`season.json`, `season.csv`, `season.html`) built from
//! what is on disk ([`SeasonIndex`]), so that shards on several machines
//! and interrupted runs all end in the same index.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::review::decisions::{now_rfc3339, Decisions, Status};
use crate::review::export::csv_field;
use crate::review::sheet::{escape_html, media_url};

/// File extensions clipper treats as audio without looking inside.
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "m4a", "m4b", "mp4", "aac", "wav", "flac", "ogg", "oga", "opus", "aif", "aiff", "aifc",
    "caf", "webm", "mka", "mkv",
];

/// File name of the run record inside an episode's output folder.
pub const RUN_RECORD: &str = "run.json";

/// Files every complete output folder has.
const COMPLETE_SET: &[&str] = &[
    RUN_RECORD,
    "transcript.json",
    "highlights.json",
    "decisions.json",
    "review.html",
];

/// True when the first bytes of `path` are those of an audio container
/// clipper decodes (for files whose extension says nothing).
pub fn looks_like_audio(path: &Path) -> bool {
    let mut head = [0u8; 12];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(n) = f.read(&mut head) else {
        return false;
    };
    let h = &head[..n];
    let at = |i: usize, tag: &[u8]| h.len() >= i + tag.len() && &h[i..i + tag.len()] == tag;
    at(0, b"ID3")
        || at(0, b"fLaC")
        || at(0, b"OggS")
        || (at(0, b"RIFF") && at(8, b"WAVE"))
        || (at(0, b"FORM") && (at(8, b"AIFF") || at(8, b"AIFC")))
        || at(0, b"caff")
        || at(4, b"ftyp")
        || at(0, &[0x1a, 0x45, 0xdf, 0xa3])
        // an MPEG audio or ADTS frame header
        || (h.len() >= 2 && h[0] == 0xff && h[1] & 0xe0 == 0xe0)
}

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
pub fn find_episodes(inputs: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if is_ours_or_hidden(&p) {
                continue;
            }
            if p.is_dir() {
                walk(&p, out);
            } else if is_audio_name(&p) || looks_like_audio(&p) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for i in inputs {
        if i.is_dir() {
            walk(i, &mut out);
        } else {
            out.push(i.clone());
        }
    }
    out
}

fn is_audio_name(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.to_string_lossy().to_lowercase().as_str()))
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

/// The BLAKE3 hash of a file's bytes, hex.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
}

/// What decides whether an earlier output is still valid: the audio's
/// content and every setting that changes the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheKey {
    /// BLAKE3 of the audio file.
    pub audio_hash: String,
    /// BLAKE3 of [`CacheKey::settings`] as JSON.
    pub settings_hash: String,
    /// The settings themselves, for a reader who wonders why an episode
    /// was redone: clipper's version, the model's hash, decoding, beam,
    /// chunk plan, clip count and the client's config.
    pub settings: serde_json::Value,
}

impl CacheKey {
    /// The key of `audio` under `settings`.
    pub fn new(audio: &Path, settings: serde_json::Value) -> std::io::Result<CacheKey> {
        let settings_hash = blake3::hash(settings.to_string().as_bytes())
            .to_hex()
            .to_string();
        Ok(CacheKey {
            audio_hash: hash_file(audio)?,
            settings_hash,
            settings,
        })
    }
}

/// `run.json`: written last into a complete output folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRecord {
    /// Always `clipper-run`.
    pub format: String,
    /// The episode's file name.
    pub input: String,
    /// What the output was made from.
    #[serde(flatten)]
    pub key: CacheKey,
    /// Clips made.
    pub clips: usize,
    /// Audio duration, seconds.
    pub duration: f64,
    /// Speech, seconds.
    pub speech: f64,
    /// Processing wall time, seconds.
    pub seconds: f64,
    /// When it finished (RFC 3339, UTC).
    pub finished_at: String,
    /// Warnings from the engine (e.g. a truncated file).
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl RunRecord {
    /// Reads `dir/run.json`, if it is there and readable.
    pub fn load(dir: &Path) -> Option<RunRecord> {
        let bytes = std::fs::read(dir.join(RUN_RECORD)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// The earlier output in `dir`, when it is complete and was made from the
/// same audio with the same settings.
pub fn cached(dir: &Path, key: &CacheKey) -> Option<RunRecord> {
    let record = RunRecord::load(dir)?;
    let complete = COMPLETE_SET.iter().all(|f| dir.join(f).is_file());
    (complete
        && record.key.audio_hash == key.audio_hash
        && record.key.settings_hash == key.settings_hash)
        .then_some(record)
}

/// Why an episode failed, kept beside its output folder as
/// `.<name>.clipper.failed.json` until it succeeds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailureRecord {
    /// Always `clipper-failure`.
    pub format: String,
    /// The episode's file name.
    pub input: String,
    /// The error, one line.
    pub reason: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The audio and settings that failed, when known: the same file
    /// under the same settings fails the same way, so a later run skips it
    /// unless `--force`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<CacheKey>,
}

/// Where the failure record of the output folder `dir` lives.
pub fn failure_path(dir: &Path) -> PathBuf {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    dir.with_file_name(format!(".{name}.failed.json"))
}

/// Records that the episode `input` (output folder `dir`) failed.
pub fn record_failure(
    dir: &Path,
    input: &Path,
    reason: &str,
    key: Option<&CacheKey>,
) -> std::io::Result<()> {
    let record = FailureRecord {
        format: "clipper-failure".into(),
        input: file_name(input),
        reason: reason.to_string(),
        at: now_rfc3339(),
        key: key.cloned(),
    };
    let json = serde_json::to_vec_pretty(&record).map_err(std::io::Error::other)?;
    atomic::write_bytes(&failure_path(dir), &json)
}

/// The earlier failure of the same audio under the same settings, if any.
pub fn cached_failure(dir: &Path, key: &CacheKey) -> Option<FailureRecord> {
    let bytes = std::fs::read(failure_path(dir)).ok()?;
    let record: FailureRecord = serde_json::from_slice(&bytes).ok()?;
    let same = record
        .key
        .as_ref()
        .is_some_and(|k| k.audio_hash == key.audio_hash && k.settings_hash == key.settings_hash);
    same.then_some(record)
}

/// Forgets an earlier failure of the episode whose output folder is `dir`.
pub fn clear_failure(dir: &Path) {
    let _ = std::fs::remove_file(failure_path(dir));
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
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
    /// The review sheet, relative to the season folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
    /// When the output was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// Warnings of the run that made it.
    #[serde(default)]
    pub warnings: Vec<String>,
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

fn relative(p: &Path, root: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

impl SeasonIndex {
    /// Builds the index of the season folder `root` from what is on disk:
    /// run records, failure records and decisions. Output folders are
    /// `<stem>.clipper/` beside each episode.
    pub fn build(root: &Path) -> SeasonIndex {
        let mut totals = Totals::default();
        let mut episodes = Vec::new();
        for input in find_episodes(&[root.to_path_buf()]) {
            let dir = crate::output::default_dir(&input);
            let mut entry = IndexEntry {
                input: relative(&input, root),
                output: relative(&dir, root),
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
                review: None,
                finished_at: None,
                warnings: Vec::new(),
            };
            // Records name their episode: two episodes with the same stem
            // share an output folder, and only one of them made it.
            let name = file_name(&input);
            if let Some(run) = RunRecord::load(&dir).filter(|r| r.input == name) {
                entry.status = EpisodeStatus::Done;
                entry.clips = run.clips;
                entry.duration = run.duration;
                entry.speech = run.speech;
                entry.finished_at = Some(run.finished_at);
                entry.warnings = run.warnings;
                entry.review = Some(relative(&dir.join("review.html"), root));
                if let Ok(bytes) = std::fs::read(dir.join("highlights.json")) {
                    if let Ok(h) = serde_json::from_slice::<crate::highlights::Highlights>(&bytes) {
                        entry.clip_ids = h.clips.iter().map(|c| c.id.clone()).collect();
                    }
                }
                if let Ok(Some(d)) = Decisions::load(&dir) {
                    for (id, c) in &d.clips {
                        if c.orphaned || !entry.clip_ids.contains(id) {
                            continue;
                        }
                        match c.status {
                            Status::Approved => entry.approved += 1,
                            Status::Rejected => entry.rejected += 1,
                            Status::NeedsChanges => entry.needs_changes += 1,
                            Status::Pending => entry.awaiting += 1,
                        }
                    }
                }
            }
            if let Some(f) = std::fs::read(failure_path(&dir))
                .ok()
                .and_then(|b| serde_json::from_slice::<FailureRecord>(&b).ok())
                .filter(|f| f.input == name)
            {
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

    /// Writes `season.json`, `season.csv` and `season.html` into `root`.
    pub fn write(&self, root: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        atomic::write_bytes(&root.join("season.json"), &json)?;
        atomic::write_bytes(&root.join("season.csv"), self.to_csv().as_bytes())?;
        atomic::write_bytes(&root.join("season.html"), self.to_html().as_bytes())
    }

    /// The index as CSV, one row per episode.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "episode,status,reason,clips,duration_s,speech_s,approved,rejected,needs_changes,awaiting,review_sheet,finished_at\n",
        );
        for e in &self.episodes {
            let fields = [
                csv_field(&e.input),
                e.status.name().to_string(),
                csv_field(e.reason.as_deref().unwrap_or("")),
                e.clips.to_string(),
                format!("{:.1}", e.duration),
                format!("{:.1}", e.speech),
                e.approved.to_string(),
                e.rejected.to_string(),
                e.needs_changes.to_string(),
                e.awaiting.to_string(),
                csv_field(e.review.as_deref().unwrap_or("")),
                e.finished_at.clone().unwrap_or_default(),
            ];
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        out
    }

    /// The index as a self-contained HTML page linking every review sheet.
    pub fn to_html(&self) -> String {
        let t = &self.totals;
        let mut rows = String::new();
        for e in &self.episodes {
            let name = escape_html(&e.input);
            let link = match &e.review {
                Some(r) => format!("<a href=\"{}\">{name}</a>", escape_html(&media_url(r))),
                None => name,
            };
            let detail = match (&e.reason, e.status) {
                (Some(r), _) => format!("<span class=\"reason\">{}</span>", escape_html(r)),
                (None, EpisodeStatus::Done) => format!(
                    "{} of audio, {} speech",
                    crate::transcript::format_duration(e.duration),
                    crate::transcript::format_duration(e.speech)
                ),
                (None, _) => "not processed yet".into(),
            };
            rows.push_str(&format!(
                "<tr class=\"{status}\" data-status=\"{status}\"><td>{link}</td><td class=\"status\">{status}</td>\
                 <td class=\"n\">{clips}</td><td class=\"n\">{approved}</td><td class=\"n\">{rejected}</td>\
                 <td class=\"n\">{changes}</td><td class=\"n\">{awaiting}</td><td>{detail}</td></tr>\n",
                status = e.status.name(),
                clips = e.clips,
                approved = e.approved,
                rejected = e.rejected,
                changes = e.needs_changes,
                awaiting = e.awaiting,
            ));
        }
        format!(
            include_str!("season/season.html"),
            title = escape_html(&self.season),
            generated = escape_html(&self.generated_at),
            episodes = t.episodes,
            done = t.done,
            failed = t.failed,
            pending = t.pending,
            clips = t.clips,
            approved = t.approved,
            awaiting = t.awaiting,
            rows = rows,
        )
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
