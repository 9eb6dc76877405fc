//! The client's decisions, kept with their history, never lost.
//!
//! `decisions.json` holds, per clip id, the current status (pending,
//! approved, rejected, needs changes), comment and draft texts, plus every
//! earlier version: version 1 is what clipper generated, each later one a
//! client's or VA's edit with time and author. Re-running clipper on the same
//! episode keeps every decision; a decision whose clip no longer exists is
//! marked `orphaned` and reported, never dropped.
//!
//! A decision is made per clip and, where the client wants, per platform
//! (`platforms`): a platform's own decision overrides the clip's for that
//! platform's drafts. Each decision keeps a short hash of the draft texts it
//! was made on (`decided_on`), so an approval of a draft that a re-run (or
//! an edit) changed since shows as [`DraftState::ChangedSinceApproval`] and
//! is not exported until it is approved again. Files written before
//! per-platform decisions existed load as they are: a decision without a
//! hash is trusted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::bundle::Highlights;
use crate::util::time::now_rfc3339;

/// The `format` tag of decision files.
pub const FORMAT: &str = "clipper-decisions";

/// The format version clipper writes.
pub const VERSION: u32 = 2;

/// A clip's review status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not decided yet.
    #[default]
    Pending,
    /// Approved for publishing.
    Approved,
    /// Not to be published.
    Rejected,
    /// The client wants changes (see the comment).
    NeedsChanges,
}

impl Status {
    /// The status in words, for people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::NeedsChanges => "needs changes",
        }
    }
}

/// Where one platform's drafts of a clip stand, all decisions and changes
/// considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftState {
    /// Nobody decided yet.
    Pending,
    /// Approved, and unchanged since.
    Approved,
    /// Not to be published.
    Rejected,
    /// The client wants changes.
    NeedsChanges,
    /// Approved earlier, but the drafts changed since: needs a new look.
    ChangedSinceApproval,
}

impl DraftState {
    /// The state in words, for people.
    pub fn label(self) -> &'static str {
        match self {
            DraftState::Pending => "waiting for the client",
            DraftState::Approved => "approved",
            DraftState::Rejected => "rejected",
            DraftState::NeedsChanges => "needs changes",
            DraftState::ChangedSinceApproval => {
                "approved earlier — changed since, needs a new look"
            }
        }
    }

    /// The state's name in files (`pending`, `approved`, …,
    /// `changed_since_approval`).
    pub fn name(self) -> &'static str {
        match self {
            DraftState::Pending => "pending",
            DraftState::Approved => "approved",
            DraftState::Rejected => "rejected",
            DraftState::NeedsChanges => "needs_changes",
            DraftState::ChangedSinceApproval => "changed_since_approval",
        }
    }
}

/// The client's own decision on one platform's drafts of a clip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformDecision {
    /// The decision.
    pub status: Status,
    /// A comment on this platform's drafts.
    #[serde(default)]
    pub comment: String,
    /// Who decided.
    #[serde(default)]
    pub author: String,
    /// When, RFC 3339.
    #[serde(default)]
    pub at: String,
    /// [`platform_hash`] of the texts decided on (empty: not known).
    #[serde(default)]
    pub decided_on: String,
    /// The version of the post the client picked
    /// ([`crate::drafts::VERSIONS`]: `b` or `thread`); empty for the
    /// first (`a`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub choice: String,
}

impl PlatformDecision {
    /// The version picked ([`crate::drafts::VERSIONS`]), `a` unless the
    /// client picked another.
    pub fn version(&self) -> &str {
        if self.choice.is_empty() {
            "a"
        } else {
            &self.choice
        }
    }
}

/// The version the client picked for `platform` in decision `d` (`a`
/// when none).
pub fn chosen_version<'d>(d: &'d ClipDecision, platform: &str) -> &'d str {
    d.platforms
        .get(platform)
        .map_or("a", PlatformDecision::version)
}

/// The platform a draft key belongs to: `youtube_title` → `youtube`.
pub fn platform_of(key: &str) -> &str {
    key.split('_').next().unwrap_or(key)
}

/// A short hash of one platform's current draft texts of a clip in one
/// version ([`crate::drafts::VERSIONS`]): each key of `generated` for
/// `platform` and `version`, with the client's edit from `edits` where
/// there is one. Two texts hash alike only when they are the same; the
/// versions not picked do not count (a re-run that changes only them
/// leaves an approval standing).
pub fn platform_hash(
    generated: &BTreeMap<String, String>,
    edits: &BTreeMap<String, String>,
    platform: &str,
    version: &str,
) -> String {
    let mut h = blake3::Hasher::new();
    let keys = generated
        .iter()
        .filter(|(k, _)| platform_of(k) == platform && crate::drafts::version_of_key(k) == version);
    for (key, text) in keys {
        let text = edits.get(key).unwrap_or(text);
        h.update(key.as_bytes());
        h.update(&[0]);
        h.update(text.as_bytes());
        h.update(&[0]);
    }
    h.finalize().to_hex()[..16].to_string()
}

/// The platforms of a clip's drafts (by key), in order, once each.
pub fn platforms_of(generated: &BTreeMap<String, String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for key in generated.keys() {
        let p = platform_of(key).to_string();
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// One version of a clip's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// 1 = generated by clipper.
    pub version: u32,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who (the author field of the sheet, or `clipper`).
    pub author: String,
    /// Status in this version.
    pub status: Status,
    /// Comment in this version.
    pub comment: String,
    /// Draft texts by key (`x`, `linkedin`, ..., `youtube_title`).
    pub drafts: BTreeMap<String, String>,
    /// Per-platform decisions in this version.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub platforms: BTreeMap<String, PlatformDecision>,
    /// Hashes of the texts the clip's decision was made on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub decided_on: BTreeMap<String, String>,
}

/// The current decision on one clip, with its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipDecision {
    /// Current status.
    pub status: Status,
    /// Current comment.
    #[serde(default)]
    pub comment: String,
    /// Current draft texts by key.
    #[serde(default)]
    pub drafts: BTreeMap<String, String>,
    /// Current version number.
    pub version: u32,
    /// Author of the current version.
    pub author: String,
    /// Time of the current version.
    pub updated_at: String,
    /// True when the clip is no longer among the episode's highlights.
    #[serde(default)]
    pub orphaned: bool,
    /// Every version, oldest first (the last equals the current state).
    pub history: Vec<Revision>,
    /// Per-platform decisions (`x`, `linkedin`, …, `youtube`), each
    /// overriding the clip's for that platform.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub platforms: BTreeMap<String, PlatformDecision>,
    /// [`platform_hash`] per platform of the texts the clip's own decision
    /// was made on (empty in files of older versions: trusted).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub decided_on: BTreeMap<String, String>,
}

impl ClipDecision {
    /// Where `platform`'s drafts stand now that clipper generated
    /// `generated` (the clip's draft texts by key): [`ClipDecision::state`]
    /// with the hash of the version picked, with the client's edits.
    pub fn state_now(&self, platform: &str, generated: &BTreeMap<String, String>) -> DraftState {
        let version = chosen_version(self, platform);
        self.state(
            platform,
            &platform_hash(generated, &self.drafts, platform, version),
        )
    }

    /// Where `platform`'s drafts stand, given the [`platform_hash`] of
    /// their texts now: the platform's own decision if it has one, else the
    /// clip's; an approval made on other texts is
    /// [`DraftState::ChangedSinceApproval`].
    pub fn state(&self, platform: &str, current: &str) -> DraftState {
        let (status, basis) = match self.platforms.get(platform) {
            Some(p) if p.status != Status::Pending => (p.status, Some(p.decided_on.as_str())),
            _ => (
                self.status,
                self.decided_on.get(platform).map(String::as_str),
            ),
        };
        match status {
            Status::Approved if basis.is_some_and(|b| !b.is_empty() && b != current) => {
                DraftState::ChangedSinceApproval
            }
            Status::Approved => DraftState::Approved,
            Status::Pending => DraftState::Pending,
            Status::Rejected => DraftState::Rejected,
            Status::NeedsChanges => DraftState::NeedsChanges,
        }
    }
}

/// `decisions.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decisions {
    /// Always [`FORMAT`].
    pub format: String,
    /// Format version: 2 since per-platform decisions (files of version 1
    /// load as they are).
    pub version: u32,
    /// The episode file name.
    pub episode: String,
    /// Decisions by clip id.
    pub clips: BTreeMap<String, ClipDecision>,
    /// The client's decision on the episode's show notes, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shownotes: Option<PlatformDecision>,
}

/// What a merge did, for the user.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MergeReport {
    /// Clips whose decision changed (a new version was added).
    pub changed: Vec<String>,
    /// Clips seen for the first time (version 1 added).
    pub added: Vec<String>,
    /// Decisions kept although their clip no longer exists.
    pub orphaned: Vec<String>,
    /// Clips unchanged.
    pub unchanged: usize,
}

/// Why a client's decisions file cannot be applied. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ClientFileError {
    /// Reading failed.
    #[error("cannot read {}", .0.display())]
    Read(PathBuf, #[source] std::io::Error),
    /// The file is not a decisions file saved from the review sheet.
    #[error("{} is not a clipper decisions file: {}", .0.display(), .1)]
    NotDecisions(PathBuf, String),
}

/// Reads the text of a decisions file the client saved from the review
/// sheet (`path` names it in errors).
pub fn parse_client_json(path: &Path, text: &str) -> Result<serde_json::Value, ClientFileError> {
    let client: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ClientFileError::NotDecisions(path.to_path_buf(), e.to_string()))?;
    if !client["clips"].is_object() {
        return Err(ClientFileError::NotDecisions(
            path.to_path_buf(),
            "it has no \"clips\" object".into(),
        ));
    }
    Ok(client)
}

impl Decisions {
    /// An empty set for `episode`.
    pub fn new(episode: &str) -> Decisions {
        Decisions {
            format: FORMAT.into(),
            version: VERSION,
            episode: episode.into(),
            clips: BTreeMap::new(),
            shownotes: None,
        }
    }

    /// Brings the decisions in line with a (re)generated set of highlights:
    /// new clips get a generated version 1; existing decisions are kept as
    /// they are; decisions for clips that are gone are kept and marked
    /// orphaned.
    pub fn sync(&mut self, h: &Highlights) -> MergeReport {
        let mut report = MergeReport::default();
        let now = now_rfc3339();
        self.version = VERSION;
        for clip in &h.clips {
            match self.clips.get_mut(&clip.id) {
                Some(d) => {
                    d.orphaned = false;
                    report.unchanged += 1;
                }
                None => {
                    // Only the client's edits are stored: an untouched draft
                    // follows what clipper generates now (a changed
                    // clipper.toml reaches it).
                    let state = State::default();
                    let rev = state.revision(1, &now, "clipper");
                    self.clips
                        .insert(clip.id.clone(), state.decision(rev, "clipper", &now));
                    report.added.push(clip.id.clone());
                }
            }
        }
        for (id, d) in self.clips.iter_mut() {
            if !h.clips.iter().any(|c| &c.id == id) {
                d.orphaned = true;
                report.orphaned.push(id.clone());
            }
        }
        report
    }

    /// Merges a client's decisions file (as saved by review.html, or read
    /// from an e-mail reply): every clip whose status, comment, drafts or
    /// per-platform decisions differ gets a new version with the client's
    /// author name and time. Clips the folder does not know are kept,
    /// marked orphaned. A draft equal to what clipper generated
    /// (`generated`, by clip id and draft key) is not stored as an edit (and
    /// undoes an earlier edit of it). Each decision made now records the
    /// [`platform_hash`] of the texts it was made on. Every answer is
    /// checked first ([`check_answers`]): on a wrong one nothing changes.
    pub fn merge_client(
        &mut self,
        client: &serde_json::Value,
        generated: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> Result<MergeReport, String> {
        let answers = check_answers(client)?;
        let notes = match &client["shownotes"] {
            serde_json::Value::Null => BTreeMap::new(),
            v => platforms_field(&serde_json::json!({ "shownotes": v }), "file")?,
        };
        let mut report = MergeReport::default();
        let author = client["author"]
            .as_str()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or("client")
            .to_string();
        let at = client["saved_at"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(now_rfc3339);
        self.version = VERSION;
        if let Some(answer) = notes.into_values().next() {
            self.merge_shownotes(answer, &author, &at, &mut report);
        }
        let none = BTreeMap::new();
        for (id, answer) in answers {
            let existing = self.clips.get(&id);
            let gen = generated.get(&id).unwrap_or(&none);
            let next = State::next(existing, answer, gen, &author, &at);
            if existing.is_some_and(|d| State::of(d) == next) {
                report.unchanged += 1;
                continue;
            }
            let version = existing.map_or(1, |d| d.version + 1);
            let rev = next.revision(version, &at, &author);
            match self.clips.get_mut(&id) {
                Some(d) => {
                    let history = std::mem::take(&mut d.history);
                    let orphaned = d.orphaned;
                    *d = next.decision(rev, &author, &at);
                    d.history = history;
                    d.history.push(rev_of(d));
                    d.orphaned = orphaned;
                    report.changed.push(id.clone());
                }
                None => {
                    let mut d = next.decision(rev, &author, &at);
                    d.version = version;
                    d.orphaned = true;
                    self.clips.insert(id.clone(), d);
                    report.orphaned.push(id.clone());
                }
            }
        }
        Ok(report)
    }
}

impl Decisions {
    /// The client's answer on the show notes: kept when it says something
    /// new (the earlier one stays in no history: the show notes have one
    /// current decision).
    fn merge_shownotes(
        &mut self,
        answer: PlatformAnswer,
        author: &str,
        at: &str,
        report: &mut MergeReport,
    ) {
        let old = self.shownotes.as_ref();
        let same = old.map_or(
            answer.status == Status::Pending && answer.comment.is_empty(),
            |o| o.status == answer.status && o.comment == answer.comment,
        );
        if same {
            return;
        }
        self.shownotes = Some(PlatformDecision {
            status: answer.status,
            comment: answer.comment,
            author: author.into(),
            at: answer.decided_at.unwrap_or_else(|| at.into()),
            decided_on: String::new(),
            choice: String::new(),
        });
        report.changed.push("shownotes".into());
    }
}

/// The last revision of a decision, rebuilt from its current state.
fn rev_of(d: &ClipDecision) -> Revision {
    State::of(d).revision(d.version, &d.updated_at, &d.author)
}

/// A clip decision's state without its bookkeeping (version, author,
/// history), to compare and to build versions from.
#[derive(Debug, Clone, Default, PartialEq)]
struct State {
    status: Status,
    comment: String,
    drafts: BTreeMap<String, String>,
    platforms: BTreeMap<String, PlatformDecision>,
    decided_on: BTreeMap<String, String>,
}

impl State {
    fn of(d: &ClipDecision) -> State {
        State {
            status: d.status,
            comment: d.comment.clone(),
            drafts: d.drafts.clone(),
            platforms: d.platforms.clone(),
            decided_on: d.decided_on.clone(),
        }
    }

    fn revision(&self, version: u32, at: &str, author: &str) -> Revision {
        Revision {
            version,
            at: at.into(),
            author: author.into(),
            status: self.status,
            comment: self.comment.clone(),
            drafts: self.drafts.clone(),
            platforms: self.platforms.clone(),
            decided_on: self.decided_on.clone(),
        }
    }

    fn decision(self, rev: Revision, author: &str, at: &str) -> ClipDecision {
        ClipDecision {
            status: self.status,
            comment: self.comment,
            drafts: self.drafts,
            version: rev.version,
            author: author.into(),
            updated_at: at.into(),
            orphaned: false,
            history: vec![rev],
            platforms: self.platforms,
            decided_on: self.decided_on,
        }
    }

    /// The state after `answer`: drafts equal to the generated ones are
    /// not stored; a decision made now (a changed one, or one the answer
    /// dates anew, or an e-mail answer, which carries no date) records the
    /// hashes of the texts it was made on; one the answer repeats with its
    /// old date keeps its old hashes, so a stale file never re-approves a
    /// changed draft.
    fn next(
        existing: Option<&ClipDecision>,
        mut answer: Answer,
        gen: &BTreeMap<String, String>,
        author: &str,
        at: &str,
    ) -> State {
        let mut drafts = existing.map(|d| d.drafts.clone()).unwrap_or_default();
        for (key, text) in std::mem::take(&mut answer.drafts) {
            if gen.get(&key) == Some(&text) {
                drafts.remove(&key);
            } else {
                drafts.insert(key, text);
            }
        }
        let hashes = picked_hashes(existing, &answer, gen, &drafts);
        let fresh = |when: &Option<String>, old: Option<&str>| {
            when.as_deref().is_none_or(|w| old != Some(w))
        };
        let changed = existing.is_none_or(|d| {
            d.status != answer.status || d.comment != answer.comment || d.drafts != drafts
        });
        let clip_fresh = changed || fresh(&answer.decided_at, existing.map(|d| &*d.updated_at));
        let decided_on = match existing {
            Some(d) if !clip_fresh => d.decided_on.clone(),
            _ if answer.status != Status::Approved => BTreeMap::new(),
            _ => hashes.clone(),
        };
        let mut platforms = existing.map(|d| d.platforms.clone()).unwrap_or_default();
        for (p, pa) in answer.platforms {
            let choice = pa.choice.filter(|c| c != "a").unwrap_or_default();
            if pa.status == Status::Pending && pa.comment.is_empty() && choice.is_empty() {
                platforms.remove(&p);
                continue;
            }
            let old = platforms.get(&p);
            let hash = match pa.status {
                Status::Approved => hashes.get(&p).cloned().unwrap_or_default(),
                _ => String::new(),
            };
            let same = old.is_some_and(|o| {
                o.status == pa.status && o.comment == pa.comment && o.choice == choice
            });
            if same
                && (!fresh(&pa.decided_at, old.map(|o| &*o.at))
                    || old.is_some_and(|o| o.decided_on == hash))
            {
                continue;
            }
            let decision = PlatformDecision {
                status: pa.status,
                comment: pa.comment,
                author: author.into(),
                at: pa.decided_at.unwrap_or_else(|| at.into()),
                decided_on: hash,
                choice,
            };
            platforms.insert(p, decision);
        }
        State {
            status: answer.status,
            comment: answer.comment,
            drafts,
            platforms,
            decided_on,
        }
    }
}

/// Per platform, the [`platform_hash`] of its texts (`gen` with the
/// client's `drafts`) in the version it will stand at: the answer's pick,
/// else the one picked before.
fn picked_hashes(
    existing: Option<&ClipDecision>,
    answer: &Answer,
    gen: &BTreeMap<String, String>,
    drafts: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let picked = |p: &str| -> String {
        match answer.platforms.get(p).and_then(|a| a.choice.clone()) {
            Some(c) => c,
            None => existing.map_or("a", |d| chosen_version(d, p)).to_string(),
        }
    };
    platforms_of(gen)
        .into_iter()
        .map(|p| {
            let h = platform_hash(gen, drafts, &p, &picked(&p));
            (p, h)
        })
        .collect()
}

/// One platform's answer in a client's file, checked.
struct PlatformAnswer {
    status: Status,
    comment: String,
    decided_at: Option<String>,
    /// The version picked, one of [`crate::drafts::VERSIONS`].
    choice: Option<String>,
}

/// One clip's answer in a client's file, checked.
struct Answer {
    status: Status,
    comment: String,
    drafts: BTreeMap<String, String>,
    decided_at: Option<String>,
    platforms: BTreeMap<String, PlatformAnswer>,
}

/// A status field: one of the four names, exactly.
fn status_field(v: &serde_json::Value, at: &str) -> Result<Status, String> {
    match v {
        serde_json::Value::String(s) => serde_json::from_value::<Status>(s.as_str().into())
            .map_err(|_| {
                format!("{at}: {s:?} is not one of pending, approved, rejected, needs_changes")
            }),
        serde_json::Value::Null => Err(format!("{at} is missing")),
        other => Err(format!("{at}: expected text, found {other}")),
    }
}

/// An optional text field.
fn text_field(v: &serde_json::Value, at: &str) -> Result<Option<String>, String> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(s.clone())),
        other => Err(format!("{at}: expected text, found {other}")),
    }
}

/// An optional object of texts (`drafts`).
fn texts_field(v: &serde_json::Value, at: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    match v {
        serde_json::Value::Null => {}
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                let text = v
                    .as_str()
                    .ok_or_else(|| format!("{at}.{k}: expected text, found {v}"))?;
                out.insert(k.clone(), text.to_string());
            }
        }
        other => return Err(format!("{at}: expected an object, found {other}")),
    }
    Ok(out)
}

/// An optional version choice: one of [`crate::drafts::VERSIONS`].
fn choice_field(v: &serde_json::Value, at: &str) -> Result<Option<String>, String> {
    match text_field(v, at)? {
        None => Ok(None),
        Some(c) if c.is_empty() => Ok(None),
        Some(c) if crate::drafts::VERSIONS.contains(&c.as_str()) => Ok(Some(c)),
        Some(c) => Err(format!(
            "{at}: {c:?} is not one of {}",
            crate::drafts::VERSIONS.join(", ")
        )),
    }
}

/// The optional per-platform decisions of a clip answer.
fn platforms_field(
    v: &serde_json::Value,
    at: &str,
) -> Result<BTreeMap<String, PlatformAnswer>, String> {
    let mut out = BTreeMap::new();
    match v {
        serde_json::Value::Null => {}
        serde_json::Value::Object(m) => {
            for (p, entry) in m {
                let here = |f: &str| format!("{at}.{p}.{f}");
                let answer = PlatformAnswer {
                    status: status_field(&entry["status"], &here("status"))?,
                    comment: text_field(&entry["comment"], &here("comment"))?.unwrap_or_default(),
                    decided_at: text_field(&entry["decided_at"], &here("decided_at"))?,
                    choice: choice_field(&entry["choice"], &here("choice"))?,
                };
                out.insert(p.clone(), answer);
            }
        }
        other => return Err(format!("{at}: expected an object, found {other}")),
    }
    Ok(out)
}

/// Checks every clip answer of a client's file: `status` must be one of
/// `pending`, `approved`, `rejected`, `needs_changes` (exactly); `comment`
/// and `decided_at`, when present, text; `drafts`, when present, an object
/// of texts; `platforms`, when present, an object of platform decisions
/// (`status`, `comment`, `decided_at`, checked alike). The error names the
/// clip and the field.
fn check_answers(client: &serde_json::Value) -> Result<BTreeMap<String, Answer>, String> {
    let Some(entries) = client["clips"].as_object() else {
        return Err("it has no \"clips\" object".into());
    };
    let mut out = BTreeMap::new();
    for (id, entry) in entries {
        let at = |field: &str| format!("clips.\"{id}\".{field}");
        let answer = Answer {
            status: status_field(&entry["status"], &at("status"))?,
            comment: text_field(&entry["comment"], &at("comment"))?.unwrap_or_default(),
            drafts: texts_field(&entry["drafts"], &at("drafts"))?,
            decided_at: text_field(&entry["decided_at"], &at("decided_at"))?,
            platforms: platforms_field(&entry["platforms"], &at("platforms"))?,
        };
        out.insert(id.clone(), answer);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::FinishedClip;
    use crate::highlights::Clip;

    fn clip(id: &str) -> FinishedClip {
        let clip = Clip {
            speaker: None,
            unsure: Vec::new(),
            id: id.into(),
            rank: 1,
            start: 0.0,
            end: 20.0,
            text: "Hello there.".into(),
            sentences: vec!["Hello there.".into()],
            bucket: "15-30s".into(),
            score: 1.0,
            contributions: vec![],
            chapter: None,
            keywords: vec![],
            summary: String::new(),
        };
        let drafts = crate::drafts::ClipDrafts {
            title: "Hello".into(),
            drafts: vec![],
        };
        FinishedClip::new(clip, drafts, vec![])
    }

    fn highlights(ids: &[&str]) -> Highlights {
        Highlights {
            episode: "ep.mp3".into(),
            show_name: String::new(),
            ui_language: String::new(),
            duration: 100.0,
            chapters: vec![],
            clips: ids.iter().map(|i| clip(i)).collect(),
            weights: vec![],
            excluded: vec![],
            shortfall: None,
        }
    }

    #[test]
    fn edits_become_versions_and_nothing_is_dropped() {
        let mut d = Decisions::new("ep.mp3");
        let r = d.sync(&highlights(&["a", "b"]));
        assert_eq!(r.added, ["a", "b"]);
        let client = serde_json::json!({
            "author": "Dana", "saved_at": "2026-11-27T10:00:00Z",
            "clips": {
                "a": {"status": "approved", "comment": "great", "drafts": {"x": "New text"}},
                "b": {"status": "pending", "comment": "", "drafts": {}},
                "zzz": {"status": "rejected", "comment": "old one", "drafts": {}}
            }
        });
        let r = d.merge_client(&client, &BTreeMap::new()).unwrap();
        assert_eq!(r.changed, ["a"]);
        assert_eq!(r.orphaned, ["zzz"]);
        assert_eq!(r.unchanged, 1);
        let a = &d.clips["a"];
        assert_eq!(
            (a.status, a.version, a.author.as_str()),
            (Status::Approved, 2, "Dana")
        );
        assert_eq!(a.history.len(), 2);
        assert_eq!(a.drafts["x"], "New text");
        // the same file again changes nothing
        let again = d.merge_client(&client, &BTreeMap::new()).unwrap();
        assert!(again.changed.is_empty());
        // a re-run whose highlights lost clip a keeps its decision, orphaned
        let r = d.sync(&highlights(&["b", "c"]));
        assert_eq!(r.added, ["c"]);
        assert!(d.clips["a"].orphaned && d.clips["a"].status == Status::Approved);
        assert!(r.orphaned.contains(&"a".to_string()));
    }

    #[test]
    fn a_version_1_file_still_loads_and_its_approvals_are_trusted() {
        // decisions.json as clipper wrote it before per-platform decisions
        let old = r#"{"format": "clipper-decisions", "version": 1, "episode": "ep.mp3",
            "clips": {"a": {"status": "approved", "comment": "ok", "drafts": {"x": "Edited"},
              "version": 2, "author": "Dana", "updated_at": "2026-11-27T10:00:00Z",
              "history": [
                {"version": 1, "at": "2026-11-26T10:00:00Z", "author": "clipper",
                 "status": "pending", "comment": "", "drafts": {}},
                {"version": 2, "at": "2026-11-27T10:00:00Z", "author": "Dana",
                 "status": "approved", "comment": "ok", "drafts": {"x": "Edited"}}]}}}"#;
        let mut d: Decisions = serde_json::from_str(old).unwrap();
        let a = &d.clips["a"];
        assert!(a.platforms.is_empty() && a.decided_on.is_empty());
        assert_eq!(a.state("x", "anything"), DraftState::Approved);
        assert_eq!(a.state("linkedin", "anything"), DraftState::Approved);
        // a per-platform answer on it keeps the history and adds a version
        let generated: BTreeMap<String, BTreeMap<String, String>> = [(
            "a".to_string(),
            [("x", "gen x"), ("linkedin", "gen li")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )]
        .into();
        let client = serde_json::json!({"author": "Dana", "clips": {"a": {
            "status": "approved", "comment": "ok", "drafts": {"x": "Edited"},
            "decided_at": "2026-11-27T10:00:00Z",
            "platforms": {"linkedin": {"status": "needs_changes", "comment": "shorter"}}}}});
        let r = d.merge_client(&client, &generated).unwrap();
        assert_eq!(r.changed, ["a"]);
        let a = &d.clips["a"];
        assert_eq!((a.version, a.history.len()), (3, 3));
        assert_eq!(a.history[2].platforms["linkedin"].comment, "shorter");
        let li = platform_hash(&generated["a"], &a.drafts, "linkedin", "a");
        assert_eq!(a.state("linkedin", &li), DraftState::NeedsChanges);
        // the clip's approval was repeated with its old date: still trusted
        assert!(a.decided_on.is_empty());
        assert_eq!(a.state("x", "anything"), DraftState::Approved);
        // it writes back as version 2 and reads again the same
        let text = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Decisions>(&text).unwrap(), d);
        assert!(text.contains(r#""version":2"#));
    }

    #[test]
    fn an_approval_is_bound_to_the_texts_it_was_made_on() {
        let mut d = Decisions::new("ep.mp3");
        d.sync(&highlights(&["a"]));
        let gen = |x: &str| -> BTreeMap<String, BTreeMap<String, String>> {
            let texts = [
                ("x", x),
                ("youtube_title", "T"),
                ("youtube_description", "D"),
            ];
            [(
                "a".to_string(),
                texts
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )]
            .into()
        };
        let client = serde_json::json!({"clips": {"a": {"status": "approved",
            "platforms": {"youtube": {"status": "rejected"}}}}});
        d.merge_client(&client, &gen("first")).unwrap();
        let a = &d.clips["a"];
        let now = |g: &BTreeMap<String, BTreeMap<String, String>>, p| {
            platform_hash(&g["a"], &a.drafts, p, "a")
        };
        assert_eq!(a.state("x", &now(&gen("first"), "x")), DraftState::Approved);
        assert_eq!(
            a.state("youtube", &now(&gen("first"), "youtube")),
            DraftState::Rejected
        );
        // a re-run rewrote the X draft: approved earlier, changed since
        assert_eq!(
            a.state("x", &now(&gen("second"), "x")),
            DraftState::ChangedSinceApproval
        );
        // the same file again (its decisions undated) approves the new text
        d.merge_client(&client, &gen("second")).unwrap();
        let a = &d.clips["a"];
        assert_eq!(
            a.state(
                "x",
                &platform_hash(&gen("second")["a"], &a.drafts, "x", "a")
            ),
            DraftState::Approved
        );
    }
}
