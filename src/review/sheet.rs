//! `review.html`: the client approval sheet.
//!
//! One self-contained HTML file (inline CSS and JavaScript, no external URL
//! at all) that works when opened from disk and can be e-mailed to the
//! client. Per clip it shows an audio player, the transcript, why the clip
//! ranked, editable caption drafts with a live character counter against each
//! platform's limit, and approve / reject / needs-changes with a comment. Its
//! "Save decisions" button downloads `decisions.json`.
//!
//! The clip data travels as JSON inside
//! `<script type="application/json" id="clipper-data">`, with `<`, `>` and `&`
//! written as `\u003c`, `\u003e`, `\u0026` so that no transcript can close the
//! script element, and the page builds its DOM from it with `textContent`
//! only, so transcripts and file names always show as text.

use serde_json::{json, Map, Value};

use crate::bundle::{FinishedClip, Highlights};
use crate::decisions::{ClipDecision, Status};
use crate::domain::Platform;
use crate::drafts::{Draft, DraftKind};
use crate::shownotes::{ChapterSource, ShowNotes};
use crate::util::html::{escape as escape_html, fill, json_for_script, url_of_path as media_url};
use crate::util::time::{clock, clock_range as time_range};

/// The statuses a clip can have in `decisions.json`; `pending` is the default.
pub const STATUSES: [&str; 4] = ["pending", "approved", "rejected", "needs_changes"];

/// `format` field of the `decisions.json` the sheet saves.
pub const DECISIONS_FORMAT: &str = "clipper-decisions";

/// `version` field of the `decisions.json` the sheet saves.
pub const DECISIONS_VERSION: u64 = crate::decisions::VERSION as u64;

const TEMPLATE: &str = include_str!("sheet.html");
const STYLE: &str = include_str!("sheet.css");
const SCRIPT: &str = include_str!("sheet.js");

/// Renders `review.html` for `h`.
///
/// `existing` is the current `decisions.json`, if there is one: each clip's
/// status, comment and edited drafts are pre-filled from it (unknown fields,
/// unknown clips and unknown draft keys are ignored).
pub fn render_html(h: &Highlights, existing: Option<&Value>) -> String {
    render_html_with_notes(h, existing, None, &|_| None)
}

/// Reads one of the episode's media files by its path in the output folder
/// (`clips/<id>.preview.mp3`), for embedding in the sheet; `None` when it is
/// not there.
pub type MediaReader<'a> = &'a dyn Fn(&str) -> Option<Vec<u8>>;

/// The small files the sheet carries inside itself, so that it plays with
/// no `clips/` folder beside it (an e-mail attachment, a cloud-drive
/// preview, a phone): each clip's audio preview (32 kbit/s, about 4 kB per
/// second) and its portrait quote card. Full-quality files stay linked.
fn embedded_media(c: &FinishedClip, read: MediaReader) -> Value {
    use base64::Engine as _;
    let data = |suffix: &str, mime: &str| {
        c.media
            .iter()
            .find(|m| m.ends_with(suffix))
            .and_then(|m| read(m))
            .map(|bytes| {
                let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
                format!("data:{mime};base64,{b64}")
            })
    };
    json!({
        "audio": data(".preview.mp3", "audio/mpeg"),
        "poster": data(".quote.png", "image/png"),
    })
}

/// [`render_html`] with the episode's show notes (summary, chapters, key
/// quotes) in a section above the clips.
pub fn render_html_with_notes(
    h: &Highlights,
    existing: Option<&Value>,
    notes: Option<&ShowNotes>,
    read: MediaReader,
) -> String {
    let mut data = sheet_data(h, existing);
    if let Some(clips) = data["clips"].as_array_mut() {
        for (v, c) in clips.iter_mut().zip(&h.clips) {
            v["embedded"] = embedded_media(c, read);
        }
    }
    data["shownotes"] = notes.map_or(Value::Null, shownotes_data);
    data["shownotes_decision"] = existing
        .and_then(|e| e.get("shownotes"))
        .filter(|n| n.is_object())
        .map_or(Value::Null, |n| {
            json!({
                "status": n.get("status").and_then(Value::as_str).filter(|s| STATUSES.contains(s)).unwrap_or("pending"),
                "comment": n.get("comment").and_then(Value::as_str).unwrap_or(""),
                "decided_at": n.get("at").and_then(Value::as_str),
            })
        });
    let title = if h.show_name.is_empty() {
        format!("Clip review: {}", h.episode)
    } else {
        format!("Clip review: {} ({})", h.episode, h.show_name)
    };
    fill(TEMPLATE, |key| match key {
        "title" => Some(escape_html(&title)),
        "lang" => Some(crate::lang::ui::ui_text(&h.ui_language).lang.to_string()),
        "css" => Some(STYLE.to_string()),
        "js" => Some(SCRIPT.to_string()),
        "data" => Some(json_for_script(&data)),
        _ => None,
    })
}

/// The JSON the page is built from: the episode, its clips with their drafts,
/// and the decisions to pre-fill (normalised from `existing`).
fn sheet_data(h: &Highlights, existing: Option<&Value>) -> Value {
    let clips: Vec<Value> = h.clips.iter().map(clip_data).collect();
    let decisions = existing
        .map(|e| existing_decisions(h, e))
        .unwrap_or_default();
    json!({
        "format": DECISIONS_FORMAT,
        "version": DECISIONS_VERSION,
        "episode": h.episode,
        "show_name": h.show_name,
        "duration": clock(h.duration),
        "clips": clips,
        "decisions": decisions,
        "ui": crate::lang::ui::ui_text(&h.ui_language),
    })
}

/// The show notes as the page shows them.
fn shownotes_data(n: &ShowNotes) -> Value {
    json!({
        "summary": n.summary,
        "chapters_from": match n.chapters_from {
            ChapterSource::Id3 => "the file's chapters",
            ChapterSource::Topics => "topic changes",
        },
        "chapters": n.chapters.iter().map(|c| json!({ "time": c.time, "title": c.title })).collect::<Vec<_>>(),
        "quotes": n.quotes.iter().map(|q| json!({ "time": q.time, "text": q.text, "speaker": q.speaker })).collect::<Vec<_>>(),
        "keywords": n.keywords,
    })
}

fn clip_data(c: &FinishedClip) -> Value {
    let mut contributions: Vec<&crate::highlights::Contribution> = c
        .contributions
        .iter()
        .filter(|k| k.points.abs() >= 0.05)
        .collect();
    contributions.sort_by(|a, b| b.points.total_cmp(&a.points));
    let contributions: Vec<Value> = contributions
        .iter()
        .map(|k| {
            json!({
                "feature": k.feature.name(),
                "points": format_points(k.points),
                "negative": k.points < 0.0,
                "reason": k.reason,
            })
        })
        .collect();
    let audio = audio_path(c);
    json!({
        "id": c.id,
        "rank": c.rank,
        "title": if c.title.is_empty() { format!("Clip {}", c.rank) } else { c.title.clone() },
        "range": time_range(c.start, c.end),
        "length": format!("{:.0} s", c.duration().max(0.0)),
        "chapter": c.chapter,
        "bucket": c.bucket,
        "score": format!("{:.1}", c.score),
        "text": c.text,
        "keywords": c.keywords,
        "check": c.unsure,
        "audio_file": audio,
        "audio_url": audio.map(media_url),
        "summary": match &c.speaker {
            Some(who) => format!("{who}: {}", c.plain_reason()),
            None => c.plain_reason(),
        },
        "contributions": contributions,
        "drafts": c.drafts.iter().map(draft_data).collect::<Vec<_>>(),
        "platforms": platform_groups(c),
        "media": media_data(c),
    })
}

/// The clip's drafts grouped by platform, in draft order: each group gets
/// its own decision in the sheet.
fn platform_groups(c: &FinishedClip) -> Vec<Value> {
    let mut groups: Vec<(Platform, Vec<String>)> = Vec::new();
    for d in &c.drafts {
        match groups.iter_mut().find(|(p, _)| *p == d.platform) {
            Some((_, keys)) => keys.push(d.key()),
            None => groups.push((d.platform, vec![d.key()])),
        }
    }
    groups
        .into_iter()
        .map(|(p, keys)| {
            let mut versions: Vec<&str> = Vec::new();
            for k in &keys {
                let v = crate::drafts::version_of_key(k);
                if !versions.contains(&v) {
                    versions.push(v);
                }
            }
            let versions: Vec<Value> = versions
                .into_iter()
                .map(|v| json!({ "version": v, "label": version_label(v) }))
                .collect();
            json!({ "platform": p.name(), "label": p.label(), "keys": keys, "versions": versions })
        })
        .collect()
}

/// A version's name in the sheet.
fn version_label(version: &str) -> &'static str {
    match version {
        "b" => "Version B",
        "thread" => "Thread",
        _ => "Version A",
    }
}

/// How the sheet shows a media file: `video`, `audio` or `image`, by its
/// extension; `None` for files it does not show (subtitles).
pub fn player_kind(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "mp4" | "m4v" | "webm" | "mov" => Some("video"),
        "mp3" | "m4a" | "aac" | "wav" | "ogg" | "opus" | "flac" => Some("audio"),
        "png" | "jpg" | "jpeg" | "webp" => Some("image"),
        _ => None,
    }
}

/// The clip's playable media, the one to show first: a video, else audio
/// (in [`PLAYER_FORMATS`] order), else an image. Kept to this one place so
/// that embedding the media in the sheet later changes only the URL.
fn media_data(c: &FinishedClip) -> Value {
    let video = c.media.iter().find(|m| player_kind(m) == Some("video"));
    let image = c.media.iter().find(|m| player_kind(m) == Some("image"));
    let chosen = video
        .map(String::as_str)
        .or(audio_path(c))
        .or(image.map(String::as_str));
    match chosen {
        Some(m) => json!({ "kind": player_kind(m), "file": m, "url": media_url(m) }),
        None => Value::Null,
    }
}

fn draft_data(d: &Draft) -> Value {
    let mut v = json!({
        "key": d.key(),
        "version": d.version(),
        "label": draft_label(d),
        "count": if d.platform == Platform::X { "x" } else { "chars" },
        "text": d.text,
        "limit": d.limit,
        "fold": d.fold,
    });
    if let Some(note) = &d.note {
        v["note"] = json!(note);
    }
    v
}

/// A draft's name for people: `X`, `YouTube Shorts title`, `LinkedIn,
/// version B`, `X thread`, ...
pub fn draft_label(d: &Draft) -> String {
    let name = match d.kind {
        DraftKind::Post => d.platform.label().to_string(),
        DraftKind::Title => format!("{} title", d.platform.label()),
        DraftKind::Description => format!("{} description", d.platform.label()),
        DraftKind::Thread => return format!("{} thread", d.platform.label()),
    };
    if d.variant > 0 {
        format!("{name}, version B")
    } else {
        name
    }
}

/// The pre-fill per clip id, from a `decisions.json` value: only clips of
/// `h`, only the four known statuses, only string comments and only string
/// texts for the clip's own draft keys.
fn existing_decisions(h: &Highlights, existing: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(clips) = existing.get("clips").and_then(Value::as_object) else {
        return out;
    };
    for c in &h.clips {
        let Some(d) = clips.get(&c.id).and_then(Value::as_object) else {
            continue;
        };
        let status = d
            .get("status")
            .and_then(Value::as_str)
            .filter(|s| STATUSES.contains(s))
            .unwrap_or("pending");
        let comment = d.get("comment").and_then(Value::as_str).unwrap_or("");
        let mut drafts = Map::new();
        if let Some(texts) = d.get("drafts").and_then(Value::as_object) {
            for draft in &c.drafts {
                let key = draft.key();
                if let Some(text) = texts.get(&key).and_then(Value::as_str) {
                    drafts.insert(key, Value::String(text.to_string()));
                }
            }
        }
        let mut entry = json!({ "status": status, "comment": comment, "drafts": drafts });
        if let Some(at) = d.get("updated_at").and_then(Value::as_str) {
            entry["decided_at"] = Value::from(at);
        }
        if let Ok(full) = serde_json::from_value::<ClipDecision>(Value::Object(d.clone())) {
            entry["platforms"] = platform_decisions(c, &full);
        }
        out.insert(c.id.clone(), entry);
    }
    out
}

/// Per platform of the clip: its own decision (if any) and where its
/// drafts stand ([`ClipDecision::state_now`]) and the version picked.
fn platform_decisions(c: &FinishedClip, d: &ClipDecision) -> Value {
    let generated = generated_texts(c);
    let mut out = Map::new();
    for p in crate::decisions::platforms_of(&generated) {
        let own = d.platforms.get(&p);
        out.insert(
            p.clone(),
            json!({
                "status": own.map_or("pending", |o| status_name(o.status)),
                "comment": own.map_or("", |o| o.comment.as_str()),
                "decided_at": own.map(|o| o.at.clone()),
                "author": own.map(|o| o.author.clone()),
                "state": d.state_now(&p, &generated).name(),
                "choice": own.map_or("a", |o| o.version()),
            }),
        );
    }
    Value::Object(out)
}

/// A clip's generated draft texts by key.
pub fn generated_texts(c: &FinishedClip) -> std::collections::BTreeMap<String, String> {
    c.drafts.iter().map(|d| (d.key(), d.text.clone())).collect()
}

/// A status's name in files.
fn status_name(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending",
        Status::Approved => "approved",
        Status::Rejected => "rejected",
        Status::NeedsChanges => "needs_changes",
    }
}

/// Audio formats a browser's `<audio>` element plays, in the order the
/// sheet prefers them when a clip has several (not which files are audio:
/// that is [`crate::audio::EXTENSIONS`]; an `.mp4` clip is a video).
const PLAYER_FORMATS: [&str; 8] = ["wav", "mp3", "m4a", "aac", "ogg", "opus", "flac", "webm"];

/// The clip's audio file (relative to the output folder), the first of its
/// media in [`PLAYER_FORMATS`] order.
pub fn audio_path(c: &FinishedClip) -> Option<&str> {
    PLAYER_FORMATS.iter().find_map(|ext| {
        c.media
            .iter()
            .find(|m| {
                m.rsplit_once('.')
                    .is_some_and(|(_, e)| e.eq_ignore_ascii_case(ext))
            })
            .map(String::as_str)
    })
}

/// Points with a sign and one decimal: `+6.4`, `−1.0`.
pub fn format_points(points: f64) -> String {
    if points < 0.0 {
        format!("−{:.1}", -points)
    } else {
        format!("+{points:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlights::{Clip, Contribution, Feature};

    fn draft(platform: Platform, kind: DraftKind, text: &str, limit: usize) -> Draft {
        Draft {
            platform,
            kind,
            text: text.into(),
            limit,
            length: text.chars().count(),
            fold: None,
            note: None,
            variant: 0,
        }
    }

    fn highlights() -> Highlights {
        let clip = Clip {
            speaker: None,
            unsure: Vec::new(),
            id: "clip-000123".into(),
            rank: 1,
            start: 12.3,
            end: 40.0,
            text: "He said </script><script>alert(1)</script> & \"left\" <!-- x".into(),
            sentences: vec![],
            bucket: "15-30s".into(),
            score: 12.34,
            contributions: vec![
                Contribution {
                    feature: Feature::Hook,
                    value: 0.8,
                    weight: 8.0,
                    points: 6.4,
                    reason: "opens with <b>\"Here's\"</b>".into(),
                },
                Contribution {
                    feature: Feature::OpenEnding,
                    value: -0.25,
                    weight: 4.0,
                    points: -1.0,
                    reason: "ends on a setup".into(),
                },
            ],
            chapter: Some("Intro & </title>".into()),
            keywords: vec!["pricing".into()],
            summary: String::new(),
        };
        let drafts = crate::drafts::ClipDrafts {
            title: "</title><script>alert(2)</script>".into(),
            drafts: vec![
                draft(Platform::X, DraftKind::Post, "x text", 280),
                draft(Platform::Youtube, DraftKind::Title, "yt title", 100),
            ],
        };
        let media = vec!["clips/clip-000123.mp4".into(), "clips/a #1?.wav".into()];
        let clip = FinishedClip::new(clip, drafts, media);
        Highlights {
            episode: "ep<1>.mp3".into(),
            show_name: "Show & Tell".into(),
            ui_language: String::new(),
            duration: 3725.0,
            chapters: vec![],
            clips: vec![clip],
            weights: vec![],
            excluded: vec![],
            shortfall: None,
        }
    }

    fn embedded(html: &str) -> Value {
        let start = html.find(r#"id="clipper-data">"#).unwrap() + r#"id="clipper-data">"#.len();
        let end = start + html[start..].find("</script>").unwrap();
        serde_json::from_str(&html[start..end]).unwrap()
    }

    #[test]
    fn data_cannot_break_out_of_its_script_element() {
        let html = render_html(&highlights(), None);
        assert!(
            !html.contains("<script>alert"),
            "no raw payload anywhere:\n{html}"
        );
        assert!(!html.contains("</script><script>"));
        assert!(!html.contains("<!-- x"));
        assert_eq!(html.matches("<script").count(), 2, "data + the sheet's own");
        assert!(html.contains("<title>Clip review: ep&lt;1&gt;.mp3 (Show &amp; Tell)</title>"));
        let data = embedded(&html);
        assert_eq!(
            data["clips"][0]["text"],
            "He said </script><script>alert(1)</script> & \"left\" <!-- x"
        );
        assert_eq!(
            data["clips"][0]["title"],
            "</title><script>alert(2)</script>"
        );
    }

    #[test]
    fn no_external_urls() {
        let html = render_html(&highlights(), None);
        // Nothing is loaded from anywhere: no src/href attributes, no CSS
        // imports or url(), no fetches.
        for pattern in [
            "src=",
            "href=",
            "url(",
            "@import",
            "fetch(",
            "XMLHttpRequest",
            "<link",
        ] {
            assert!(!html.contains(pattern), "{pattern} in the sheet");
        }
        // The sheet's own code never ends its elements early.
        assert!(!SCRIPT.contains("</script"));
        assert!(!STYLE.contains("</style"));
    }

    #[test]
    fn clip_data_has_times_audio_and_sorted_contributions() {
        let data = embedded(&render_html(&highlights(), None));
        let c = &data["clips"][0];
        assert_eq!(c["range"], "00:12–00:40");
        assert_eq!(c["audio_file"], "clips/a #1?.wav");
        assert_eq!(c["audio_url"], "clips/a%20%231%3F.wav");
        assert_eq!(c["contributions"][0]["points"], "+6.4");
        assert_eq!(c["contributions"][1]["points"], "−1.0");
        assert_eq!(c["drafts"][0]["key"], "x");
        assert_eq!(c["drafts"][0]["count"], "x");
        assert_eq!(c["drafts"][1]["key"], "youtube_title");
        assert_eq!(c["drafts"][1]["label"], "YouTube Shorts title");
        assert_eq!(c["drafts"][1]["count"], "chars");
        assert_eq!(data["duration"], "1:02:05");
    }

    #[test]
    fn existing_decisions_are_normalised() {
        let existing = json!({
            "episode": "ep<1>.mp3",
            "future_field": true,
            "clips": {
                "clip-000123": {
                    "status": "approved",
                    "comment": "ok <b>",
                    "drafts": { "x": "edited", "linkedin": "not a draft of this clip", "youtube_title": 5 },
                    "other": 1
                },
                "clip-999999": { "status": "approved" }
            }
        });
        let data = embedded(&render_html(&highlights(), Some(&existing)));
        assert_eq!(
            data["decisions"],
            json!({ "clip-000123": { "status": "approved", "comment": "ok <b>", "drafts": { "x": "edited" } } })
        );
        let odd = json!({ "clips": { "clip-000123": { "status": "maybe" } } });
        let data = embedded(&render_html(&highlights(), Some(&odd)));
        assert_eq!(data["decisions"]["clip-000123"]["status"], "pending");
        let data = embedded(&render_html(&highlights(), Some(&json!([1, 2]))));
        assert_eq!(data["decisions"], json!({}));
    }
}
