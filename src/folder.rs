//! The episode's output folder, `<stem>.clipper/`: every file name in it,
//! how each artefact is loaded and saved, when the folder is complete, and
//! how a new set of files replaces the old one without losing anything.
//!
//! A run builds the new set in a hidden staging folder beside the target and
//! swaps it in at the end ([`Staging::commit`]); a crash at any point leaves
//! either the previous complete folder or the new one, and [`OutputFolder::recover`]
//! cleans up what a killed run left. The season index, export, `review apply`
//! and the episode run all reach the folder through this type.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::bundle::Highlights;
use crate::decisions::Decisions;
use crate::transcript::Transcript;
use crate::util::{paths, time};

/// `transcript.json`.
pub const TRANSCRIPT: &str = "transcript.json";
/// `transcript.en.json`: the English translation (`--translate`), when
/// there is one.
pub const TRANSCRIPT_EN: &str = "transcript.en.json";
/// The loudness track the scorer reads (binary, see [`encode_levels`]).
pub const LEVELS: &str = "levels.bin";
/// `highlights.json`: the clips with their drafts and media.
pub const HIGHLIGHTS: &str = "highlights.json";
/// `decisions.json`: the client's decisions with their history.
pub const DECISIONS: &str = "decisions.json";
/// The review sheet.
pub const REVIEW_HTML: &str = "review.html";
/// The review sheet as Markdown, for e-mail.
pub const REVIEW_MD: &str = "review.md";
/// `shownotes.md`: summary, chapters, key quotes and keywords of the
/// whole episode.
pub const SHOWNOTES_MD: &str = "shownotes.md";
/// `shownotes.json`: the same for scripts.
pub const SHOWNOTES_JSON: &str = "shownotes.json";
/// `chapters.json`: the chapters in the Podcasting 2.0 JSON chapters format.
pub const CHAPTERS_JSON: &str = "chapters.json";
/// `run.json`: written last, the mark of a complete folder.
pub const RUN_RECORD: &str = "run.json";
/// Clip media and subtitles.
pub const CLIPS: &str = crate::media::CLIPS_DIR;
/// What `clipper export` writes for a scheduler.
pub const PUBLISH_CSV: &str = "publish.csv";
/// The approved media `clipper export` copies.
pub const EXPORT: &str = "export";

/// Files every complete output folder has.
const COMPLETE_SET: &[&str] = &[
    RUN_RECORD,
    TRANSCRIPT,
    HIGHLIGHTS,
    DECISIONS,
    REVIEW_HTML,
    SHOWNOTES_MD,
];

/// Why a file of the folder could not be used. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// Reading failed.
    #[error("cannot read {}", .0.display())]
    Read(PathBuf, #[source] std::io::Error),
    /// Writing failed.
    #[error("cannot write {}", .0.display())]
    Write(PathBuf, #[source] std::io::Error),
    /// The file is there but is not what clipper wrote.
    #[error("{} is damaged (fix it by hand or move it away, then run again)", .0.display())]
    Damaged(PathBuf, #[source] serde_json::Error),
}

/// What decides whether earlier work is still valid: the audio's content
/// and every setting that changes the output, in two levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheKey {
    /// BLAKE3 of the audio file.
    pub audio_hash: String,
    /// BLAKE3 of [`CacheKey::settings`] as JSON: every setting.
    pub settings_hash: String,
    /// BLAKE3 of the settings that shape the transcript alone (clipper's
    /// version, model, beam, chunk plan, raw format): when only this and
    /// the audio hash match, the transcript is reused and the later stages
    /// are redone. Empty in records of older versions.
    #[serde(default)]
    pub transcript_hash: String,
    /// The settings themselves, for a reader who wonders why an episode
    /// was redone.
    pub settings: serde_json::Value,
}

impl CacheKey {
    /// The key of `audio` under `transcript` settings plus `later` ones
    /// (clip count, client settings).
    pub fn new(
        audio: &Path,
        transcript: serde_json::Value,
        later: serde_json::Value,
    ) -> std::io::Result<CacheKey> {
        let hash =
            |v: &serde_json::Value| blake3::hash(v.to_string().as_bytes()).to_hex().to_string();
        let settings = serde_json::json!({ "transcript": transcript, "later": later });
        Ok(CacheKey {
            audio_hash: hash_file(audio)?,
            settings_hash: hash(&settings),
            transcript_hash: hash(&transcript),
            settings,
        })
    }
}

/// The BLAKE3 hash of a file's bytes, hex.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
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

/// Why an episode failed, kept beside its output folder as
/// `.<name>.failed.json` until it succeeds.
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
    /// unless `--force`. None for failures worth retrying (a bug in clipper).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<CacheKey>,
    /// For the record written as work starts ([`OutputFolder::mark_in_progress`]):
    /// how many runs started this episode and never finished it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unfinished_runs: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Runs that may stop in the middle of the same episode before it counts
/// as failed: one stop is a kill or a power cut, and the next run
/// simply does the episode again; a second in a row looks like the episode
/// itself brings clipper down (out of memory), so it is skipped until
/// `--force`.
const UNFINISHED_RUNS_BEFORE_FAILED: u32 = 2;

/// An episode's output folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OutputFolder {
    dir: PathBuf,
}

impl OutputFolder {
    /// The folder at `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> OutputFolder {
        OutputFolder { dir: dir.into() }
    }

    /// The folder for `input`: `output` when given, else `<stem>.clipper/`
    /// beside the input.
    pub fn for_input(input: &Path, output: Option<&Path>) -> OutputFolder {
        match output {
            Some(o) => OutputFolder::new(o),
            None => {
                // from the name's own bytes: a name that is not UTF-8 keeps them
                let mut name = input
                    .file_stem()
                    .map_or_else(|| "audio".into(), |s| s.to_os_string());
                name.push(".clipper");
                OutputFolder::new(input.with_file_name(name))
            }
        }
    }

    /// Where the folder is.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// A file or sub-folder of the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The folder the output folder lives in.
    pub fn parent(&self) -> &Path {
        paths::parent_or_dot(&self.dir)
    }

    fn name(&self) -> String {
        match paths::file_name(&self.dir) {
            n if n.is_empty() => "out.clipper".into(),
            n => n,
        }
    }

    /// The base of the hidden files clipper keeps beside the folder
    /// (`.NAME.tmp-PID`, `.NAME.failed.json`, `.NAME.lock`): `.NAME`, or for
    /// a name too long to take a suffix within the file system's 255-byte
    /// limit, its first 100 bytes and a hash of the whole.
    fn hidden(&self) -> String {
        let name = self.name();
        if name.len() <= 200 {
            return format!(".{name}");
        }
        let mut cut = 100;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        let hash = blake3::hash(name.as_bytes()).to_hex();
        format!(".{}~{}", &name[..cut], &hash[..16])
    }

    /// Checks that clipper can create the folder (its parent is created if
    /// needed and must take a new file).
    pub fn check_writable(&self) -> Result<(), FolderError> {
        let parent = self.parent();
        let werr = |e| FolderError::Write(parent.to_path_buf(), e);
        std::fs::create_dir_all(parent).map_err(werr)?;
        let probe = parent.join(format!(".clipper-probe-{}", std::process::id()));
        std::fs::write(&probe, b"").map_err(werr)?;
        std::fs::remove_file(&probe).map_err(werr)
    }

    /// Cleans up after a run that was killed while writing the folder: its
    /// staging folders go; if it died between moving the old folder aside
    /// and moving the new one in, the old folder (with the client's
    /// decisions) comes back.
    pub fn recover(&self) {
        let hidden = self.hidden();
        let Ok(entries) = std::fs::read_dir(self.parent()) else {
            return;
        };
        let (tmp, old) = (format!("{hidden}.tmp-"), format!("{hidden}.old-"));
        // and a half-written failure record (`atomic`'s temporary file)
        let record_tmp = format!(".{}.tmp-", paths::file_name(&self.failure_path()));
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with(&record_tmp) {
                let _ = std::fs::remove_file(e.path());
            } else if n.starts_with(&tmp) {
                let _ = std::fs::remove_dir_all(e.path());
            } else if n.starts_with(&old) {
                if self.dir.exists() {
                    let _ = std::fs::remove_dir_all(e.path());
                } else {
                    let _ = std::fs::rename(e.path(), &self.dir);
                }
            }
        }
    }

    /// True when a run killed between its two renames left this folder
    /// moved aside (`.NAME.old-PID`), for [`OutputFolder::recover`] to put
    /// back.
    pub fn has_moved_aside(&self) -> bool {
        let old = format!("{}.old-", self.hidden());
        std::fs::read_dir(self.parent()).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(&old))
        })
    }

    /// True when every file of a finished run is there.
    pub fn is_complete(&self) -> bool {
        COMPLETE_SET.iter().all(|f| self.file(f).is_file())
    }

    /// Reads a JSON artefact; `None` when the file is not there.
    fn load_json<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, FolderError> {
        let path = self.file(name);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(FolderError::Read(path, e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| FolderError::Damaged(path, e))
    }

    /// `run.json`, when it is there and readable.
    pub fn run_record(&self) -> Option<RunRecord> {
        self.load_json(RUN_RECORD).ok().flatten()
    }

    /// The record of the earlier run, when the folder is complete and was
    /// made from the same audio with the same settings.
    pub fn up_to_date(&self, key: &CacheKey) -> Option<RunRecord> {
        let record = self.run_record()?;
        (self.is_complete()
            && record.key.audio_hash == key.audio_hash
            && record.key.settings_hash == key.settings_hash)
            .then_some(record)
    }

    /// The transcript of the earlier run with its loudness track, when it
    /// was made from the same audio with the same transcript settings (only
    /// later settings, such as clipper.toml, changed).
    pub fn reusable_transcript(&self, key: &CacheKey) -> Option<Transcript> {
        let record = self.run_record()?;
        let same = record.key.audio_hash == key.audio_hash
            && !record.key.transcript_hash.is_empty()
            && record.key.transcript_hash == key.transcript_hash;
        if !same {
            return None;
        }
        let mut t: Transcript = self.load_json(TRANSCRIPT).ok().flatten()?;
        t.loudness_db = decode_levels(&std::fs::read(self.file(LEVELS)).ok()?)?;
        t.english = self.load_json(TRANSCRIPT_EN).ok().flatten().map(Box::new);
        Some(t)
    }

    /// `highlights.json`.
    pub fn highlights(&self) -> Result<Option<Highlights>, FolderError> {
        self.load_json(HIGHLIGHTS)
    }

    /// `shownotes.json`.
    pub fn shownotes(&self) -> Result<Option<crate::shownotes::ShowNotes>, FolderError> {
        self.load_json(SHOWNOTES_JSON)
    }

    /// Writes a text file of the folder atomically (a review sheet).
    pub fn save_text(&self, name: &str, text: &str) -> Result<(), FolderError> {
        let path = self.file(name);
        crate::atomic::write_bytes(&path, text.as_bytes()).map_err(|e| FolderError::Write(path, e))
    }

    /// `decisions.json`.
    pub fn decisions(&self) -> Result<Option<Decisions>, FolderError> {
        self.load_json(DECISIONS)
    }

    /// Writes `decisions.json` atomically.
    pub fn save_decisions(&self, d: &Decisions) -> Result<(), FolderError> {
        save_json(&self.file(DECISIONS), d)
    }

    /// Where the failure record of this folder lives: beside it, hidden.
    pub fn failure_path(&self) -> PathBuf {
        self.parent().join(format!("{}.failed.json", self.hidden()))
    }

    /// The failure record beside the folder, if any.
    pub fn failure(&self) -> Option<FailureRecord> {
        let bytes = std::fs::read(self.failure_path()).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The earlier failure of the same audio under the same settings (a
    /// run that stopped in the middle of it counts only the second time in
    /// a row).
    pub fn failed_before(&self, key: &CacheKey) -> Option<FailureRecord> {
        self.same_key_failure(key).filter(|f| {
            f.unfinished_runs == 0 || f.unfinished_runs >= UNFINISHED_RUNS_BEFORE_FAILED
        })
    }

    /// The failure record, if it is about the same audio and settings.
    fn same_key_failure(&self, key: &CacheKey) -> Option<FailureRecord> {
        self.failure().filter(|f| {
            f.key.as_ref().is_some_and(|k| {
                k.audio_hash == key.audio_hash && k.settings_hash == key.settings_hash
            })
        })
    }

    /// Records that `input` failed for `reason`.
    pub fn record_failure(
        &self,
        input: &Path,
        reason: &str,
        key: Option<&CacheKey>,
    ) -> Result<(), FolderError> {
        self.write_failure(input, reason, key, 0)
    }

    /// Writes the failure record beside the folder.
    fn write_failure(
        &self,
        input: &Path,
        reason: &str,
        key: Option<&CacheKey>,
        unfinished_runs: u32,
    ) -> Result<(), FolderError> {
        let record = FailureRecord {
            format: "clipper-failure".into(),
            input: paths::file_name(input),
            reason: reason.to_string(),
            at: time::now_rfc3339(),
            key: key.cloned(),
            unfinished_runs,
        };
        save_json(&self.failure_path(), &record)
    }

    /// Takes this folder's lock (see [`lock`]): runs, `review apply` and
    /// `export` hold it while they write, so none undoes another's work.
    pub fn lock(&self) -> Result<FolderLock, FolderError> {
        lock(
            &self.parent().join(format!("{}.lock", self.hidden())),
            &self.dir,
        )
    }

    /// Records, before the work starts, that `input` is being processed: if
    /// the process is killed (out of memory, a power cut), the next run
    /// finds this record and does the episode again; if that run stops in
    /// it too, the one after skips it as failed instead of dying on it a
    /// third time. Success or a normal failure replaces the record.
    pub fn mark_in_progress(&self, input: &Path, key: &CacheKey) -> Result<(), FolderError> {
        let before = self.same_key_failure(key).map_or(0, |f| f.unfinished_runs);
        self.write_failure(
            input,
            "clipper stopped while processing it (killed, out of memory, or the machine went down)",
            Some(key),
            before + 1,
        )
    }

    /// Forgets an earlier failure.
    pub fn clear_failure(&self) {
        let _ = std::fs::remove_file(self.failure_path());
    }

    /// Starts a new set of files in a hidden staging folder beside this one.
    pub fn stage(&self) -> Result<Staging, FolderError> {
        let parent = self.parent();
        std::fs::create_dir_all(parent).map_err(|e| FolderError::Write(parent.into(), e))?;
        self.recover();
        let path = parent.join(format!("{}.tmp-{}", self.hidden(), std::process::id()));
        std::fs::create_dir_all(path.join(CLIPS))
            .map_err(|e| FolderError::Write(path.clone(), e))?;
        Ok(Staging {
            target: self.clone(),
            path,
            committed: false,
        })
    }
}

/// For tests of interleavings: with `CLIPPER_HOLD_BEFORE_SWAP=FILE` set,
/// a run about to swap its new folder in writes FILE and waits (at most a
/// minute) until FILE is removed, so a test can act at exactly that point
/// instead of guessing with sleeps. Unset, it does nothing.
pub fn hold_before_swap() {
    let Some(trigger) = std::env::var_os("CLIPPER_HOLD_BEFORE_SWAP") else {
        return;
    };
    let trigger = PathBuf::from(trigger);
    if std::fs::write(&trigger, b"about to swap\n").is_err() {
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while trigger.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// An exclusive hold on an output folder (or a season index): while it
/// lives, no other clipper process writes there. Released on drop, and by
/// the system when the process dies, so a killed run never leaves it held.
#[derive(Debug)]
pub struct FolderLock {
    _file: std::fs::File,
}

/// Takes the advisory lock in `lock_path` for `what` (a folder, shown in
/// the message), waiting for another clipper that holds it: it says so on
/// stderr first, once.
pub fn lock(lock_path: &Path, what: &Path) -> Result<FolderLock, FolderError> {
    if let Some(parent) = lock_path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| FolderError::Write(parent.into(), e))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .map_err(|e| FolderError::Write(lock_path.into(), e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting: another clipper is writing {} (it goes on when that one is done)",
                what.display()
            );
            file.lock()
                .map_err(|e| FolderError::Write(lock_path.into(), e))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(FolderError::Write(lock_path.into(), e))
        }
    }
    Ok(FolderLock { _file: file })
}

/// Writes `value` as pretty JSON to `path`, atomically.
fn save_json<T: Serialize>(path: &Path, value: &T) -> Result<(), FolderError> {
    let json = serde_json::to_vec_pretty(value).expect("clipper's records serialise");
    crate::atomic::write_bytes(path, &json).map_err(|e| FolderError::Write(path.into(), e))
}

/// A new set of files for an output folder, built beside it. Dropped
/// without [`Staging::commit`], it is removed, so an error or an
/// interruption leaves no partial output.
pub struct Staging {
    target: OutputFolder,
    path: PathBuf,
    committed: bool,
}

impl Staging {
    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` to `name` (which may contain `clips/`).
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), FolderError> {
        let path = self.path.join(name);
        std::fs::write(&path, bytes).map_err(|e| FolderError::Write(path, e))
    }

    /// Writes `value` as pretty JSON to `name`.
    pub fn write_json<T: Serialize>(&self, name: &str, value: &T) -> Result<(), FolderError> {
        let json = serde_json::to_vec_pretty(value).expect("clipper's records serialise");
        self.write(name, &json)
    }

    /// Swaps the new set in: the old folder is moved aside, the new one
    /// moved in, the old one removed. If the second move fails, the old
    /// folder is put back.
    pub fn commit(mut self) -> Result<(), FolderError> {
        let dir = self.target.path().to_path_buf();
        let old = self.target.parent().join(format!(
            "{}.old-{}",
            self.target.hidden(),
            std::process::id()
        ));
        let werr = |e| FolderError::Write(dir.clone(), e);
        let had_old = dir.exists();
        if had_old {
            std::fs::rename(&dir, &old).map_err(werr)?;
        }
        if let Err(e) = std::fs::rename(&self.path, &dir) {
            if had_old {
                let _ = std::fs::rename(&old, &dir);
            }
            return Err(werr(e));
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Magic bytes of the loudness track file.
const LEVELS_MAGIC: &[u8; 8] = b"CLPLVL01";

/// The loudness track (dBFS per 20 ms frame) as bytes: magic, frame
/// count (u32 LE), then each value as f32 LE, so a re-run scores exactly
/// as the run that measured it.
pub fn encode_levels(db: &[f32]) -> Vec<u8> {
    let mut b = Vec::with_capacity(12 + db.len() * 4);
    b.extend_from_slice(LEVELS_MAGIC);
    b.extend_from_slice(&(db.len() as u32).to_le_bytes());
    for v in db {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

/// The inverse of [`encode_levels`]; `None` for anything else.
pub fn decode_levels(b: &[u8]) -> Option<Vec<f32>> {
    let body = b.strip_prefix(LEVELS_MAGIC.as_slice())?;
    let n = u32::from_le_bytes(body.get(..4)?.try_into().ok()?) as usize;
    let values = body.get(4..)?;
    if values.len() != n * 4 {
        return None;
    }
    Some(
        values
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_and_refuse_other_bytes() {
        let db = vec![-60.0, -12.25, f32::MIN_POSITIVE, 0.0];
        assert_eq!(decode_levels(&encode_levels(&db)), Some(db));
        assert_eq!(decode_levels(b"CLPLVL01\x02\x00\x00\x00\x00"), None);
        assert_eq!(decode_levels(b"{}"), None);
    }

    #[test]
    fn a_killed_swap_gives_the_old_folder_back() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = OutputFolder::new(tmp.path().join("ep.clipper"));
        let old = tmp.path().join(".ep.clipper.old-123");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join(DECISIONS), b"{}").unwrap();
        std::fs::create_dir_all(tmp.path().join(".ep.clipper.tmp-123")).unwrap();
        std::fs::write(tmp.path().join("..ep.clipper.failed.json.tmp-123"), b"{").unwrap();
        folder.recover();
        assert!(folder.file(DECISIONS).is_file());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
