//! Per-platform decisions end to end, run by the real binary from the demo
//! episode's saved transcript: the e-mail reply and the sheet's JSON give
//! the same decisions; each scheduler's export has its documented header
//! and date format, rows only for approved posts, formulas neutralised;
//! the season index counts posts by where they stand.

use std::path::{Path, PathBuf};

use clipper::bundle::Highlights;
use serde_json::{json, Value};

use crate::common::*;

const SCHEDULE: &str = r#"
[schedule]
time_zone = "America/New_York"
weekdays = ["tue", "thu"]
times = ["09:30", "16:00"]
gap_minutes = 60
start = "2026-03-05"
"#;

/// The demo episode done from its transcript in `dir` (with a schedule).
fn demo(dir: &Path) -> (PathBuf, Highlights) {
    let ep = dir.join("demo-episode.mp3");
    std::fs::copy(sample("demo-episode.mp3"), &ep).unwrap();
    std::fs::write(dir.join("clipper.toml"), format!("{DEMO_CONFIG}{SCHEDULE}")).unwrap();
    clipper(dir)
        .arg(&ep)
        .arg("--transcript")
        .arg(fixture("demo-episode.transcript.json"))
        .assert()
        .success();
    let out = dir.join("demo-episode.clipper");
    let h = read(&out.join("highlights.json"));
    (out, h)
}

fn apply(dir: &Path, out: &Path, file: &Path) {
    clipper(dir)
        .args(["review", "apply", "--author", "Dana"])
        .arg(out)
        .arg(file)
        .assert()
        .success();
}

/// The client's answer as the sheet saves it: clip 1 approved (all its
/// posts) with a formula for an X post; clip 2 undecided but its LinkedIn
/// post approved and its X post rejected.
fn sheet_answer(h: &Highlights) -> Value {
    json!({
        "format": "clipper-decisions", "version": 2, "episode": h.episode, "author": "Dana",
        "saved_at": "2026-03-01T10:00:00Z",
        "clips": {
            h.clips[0].id.clone(): {"status": "approved", "comment": "",
                "drafts": {"x": "=SUM(1,2) is how we price"}},
            h.clips[1].id.clone(): {"status": "pending", "comment": "",
                "platforms": {"linkedin": {"status": "approved", "decided_at": "2026-03-01T09:59:00Z"},
                              "x": {"status": "rejected", "decided_at": "2026-03-01T09:58:00Z"}}},
        }
    })
}

/// The same answer as an e-mail reply to review.md.
fn email_answer(md: &str, h: &Highlights) -> String {
    let mut reply = String::from("Here you go.\n\n");
    let mut clip = 0;
    let tick = |l: &str| l.replacen("[ ] approve", "[x] approve", 1);
    for line in md.lines() {
        if line.starts_with("- Clip:") {
            clip = h
                .clips
                .iter()
                .position(|c| line.ends_with(&c.id))
                .map_or(0, |i| i + 1);
        }
        let line = match (clip, line) {
            (1, l) if l.starts_with("- Decision (all posts):") => tick(l),
            (1, l) if l.starts_with("- Changed drafts") => {
                format!("{l}\n\nX:\n=SUM(1,2) is how we price\n")
            }
            (2, l) if l.starts_with("- LinkedIn:") => tick(l),
            (2, l) if l.starts_with("- X:") => l.replacen("[ ] reject", "[X] reject", 1),
            (_, l) => l.to_string(),
        };
        reply.push_str(&format!("> {line}\n"));
    }
    reply
}

/// What a decisions file says, without times and versions.
fn essence(d: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for (id, c) in d["clips"].as_object().unwrap() {
        let platforms: serde_json::Map<String, Value> = c["platforms"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(p, v)| (p.clone(), json!([v["status"], v["decided_on"]])))
                    .collect()
            })
            .unwrap_or_default();
        out.insert(
            id.clone(),
            json!({"status": c["status"], "drafts": c["drafts"],
            "platforms": platforms, "decided_on": c["decided_on"], "author": c["author"]}),
        );
    }
    Value::Object(out)
}

#[test]
fn an_email_reply_and_the_sheets_json_give_the_same_decisions() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, h) = demo(tmp.path());
    let pristine = tmp.path().join("pristine");
    std::fs::create_dir(&pristine).unwrap();
    for f in ["decisions.json", "review.md"] {
        std::fs::copy(out.join(f), pristine.join(f)).unwrap();
    }
    let json_file = tmp.path().join("decisions-demo-episode.json");
    std::fs::write(&json_file, sheet_answer(&h).to_string()).unwrap();
    apply(tmp.path(), &out, &json_file);
    let from_json: Value = read(&out.join("decisions.json"));
    let c2 = &from_json["clips"][&h.clips[1].id];
    assert_eq!(c2["status"], "pending");
    assert_eq!(c2["platforms"]["linkedin"]["status"], "approved");
    assert_eq!(c2["platforms"]["linkedin"]["author"], "Dana");
    assert_eq!(c2["platforms"]["linkedin"]["at"], "2026-03-01T09:59:00Z");
    // back to the pristine folder; the same answers by e-mail
    std::fs::copy(pristine.join("decisions.json"), out.join("decisions.json")).unwrap();
    let md = std::fs::read_to_string(pristine.join("review.md")).unwrap();
    assert!(
        md.contains("- LinkedIn: [ ] approve [ ] needs changes [ ] reject"),
        "{md}"
    );
    let reply = tmp.path().join("reply.txt");
    std::fs::write(&reply, email_answer(&md, &h)).unwrap();
    apply(tmp.path(), &out, &reply);
    let from_mail: Value = read(&out.join("decisions.json"));
    assert_eq!(essence(&from_mail), essence(&from_json));
    // review.md shows where each post stands, and an unreadable line is
    // listed, never guessed
    let md = std::fs::read_to_string(out.join("review.md")).unwrap();
    assert!(md.contains("* LinkedIn post: approved (Dana,"), "{md}");
    assert!(md.contains("* X post: rejected (Dana,"), "{md}");
    let bad = email_answer(&md, &h)
        .replace("- TikTok: [ ]", "- TikTok: maybe [ ]")
        .replace("- Instagram: [ ] approve", "- Instagramm: [x] approve");
    std::fs::write(&reply, bad).unwrap();
    let before = std::fs::read(out.join("decisions.json")).unwrap();
    let err = clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&out)
        .arg(&reply)
        .assert()
        .code(1);
    let stderr = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("- TikTok: maybe"), "{stderr}");
    assert!(
        stderr.contains("- Instagramm: [x] approve") && stderr.contains("no such platform"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(out.join("decisions.json")).unwrap(), before);
}

/// The rows of a CSV file (with its header as the first row).
fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap();
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

fn export(dir: &Path, out: &Path, format: &str) -> String {
    let a = clipper(dir)
        .args(["export", "--format", format])
        .arg(out)
        .assert()
        .success();
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

#[test]
fn each_scheduler_gets_its_layout_and_only_approved_posts() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, h) = demo(tmp.path());
    let json_file = tmp.path().join("answer.json");
    std::fs::write(&json_file, sheet_answer(&h).to_string()).unwrap();
    apply(tmp.path(), &out, &json_file);
    // Buffer: Text, Image URL, Tags, Posting Time (YYYY-MM-DD HH:mm); clip 1
    // at the first slot (Thu 5 March 09:30 New York), clip 2 at the next.
    let said = export(tmp.path(), &out, "buffer");
    assert!(said.contains("6 approved posts from 2 clips"), "{said}");
    let x = rows(&out.join("publish-buffer-x.csv"));
    assert_eq!(x[0], ["Text", "Image URL", "Tags", "Posting Time"]);
    assert_eq!(x.len(), 2, "clip 2's X post was rejected: {x:?}");
    assert_eq!(x[1][0], "'=SUM(1,2) is how we price");
    assert_eq!(x[1][3], "2026-03-05 09:30");
    let li = rows(&out.join("publish-buffer-linkedin.csv"));
    assert_eq!(
        li.iter().skip(1).map(|r| r[3].as_str()).collect::<Vec<_>>(),
        ["2026-03-05 09:30", "2026-03-05 16:00"]
    );
    for p in ["instagram", "tiktok", "youtube"] {
        assert_eq!(
            rows(&out.join(format!("publish-buffer-{p}.csv"))).len(),
            2,
            "{p}"
        );
    }
    // Hootsuite: no header; date dd/MM/yyyy HH:mm, message, link
    export(tmp.path(), &out, "hootsuite");
    let x = rows(&out.join("publish-hootsuite-x.csv"));
    assert_eq!(
        x,
        [vec![
            "05/03/2026 09:30".to_string(),
            "'=SUM(1,2) is how we price".into(),
            String::new()
        ]]
    );
    // Later: Date, Time, Caption, Media File
    export(tmp.path(), &out, "later");
    let li = rows(&out.join("publish-later-linkedin.csv"));
    assert_eq!(li[0], ["Date", "Time", "Caption", "Media File"]);
    assert_eq!(
        (li[2][0].as_str(), li[2][1].as_str()),
        ("2026-03-05", "16:00")
    );
    // Later's bulk path is its media upload: each post's media and
    // caption, named in posting order, under export/later/<platform>/.
    let stem = format!("02_2026-03-05_1600_{}", h.clips[1].id);
    assert_eq!(li[2][3], format!("export/later/linkedin/{stem}.png"));
    assert!(out.join(&li[2][3]).is_file());
    let caption = std::fs::read_to_string(
        out.join("export/later/linkedin")
            .join(format!("{stem}.txt")),
    )
    .unwrap();
    assert_eq!(caption.trim_end(), li[2][2]);
    let mut names: Vec<String> = std::fs::read_dir(out.join("export/later/x"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "one X post: its card and caption {names:?}");
    // a caption file is not a spreadsheet: the text stays as approved
    let x_caption = out.join("export/later/x").join(&names[1]);
    assert_eq!(
        std::fs::read_to_string(x_caption).unwrap().trim_end(),
        "=SUM(1,2) is how we price"
    );
    // csv: today's columns, the time in RFC 3339 with New York's offset
    export(tmp.path(), &out, "csv");
    let all = rows(&out.join("publish.csv"));
    assert_eq!(
        all[0],
        ["platform", "title", "text", "media_file", "scheduled_time"]
    );
    assert_eq!(all.len(), 7);
    assert_eq!(all[1][4], "2026-03-05T09:30:00-05:00");
    assert!(all.iter().all(|r| !r[2].starts_with('=')));
    // No schedule: Buffer leaves the time blank (its queue decides);
    // Hootsuite needs one and says so.
    std::fs::write(tmp.path().join("clipper.toml"), DEMO_CONFIG).unwrap();
    export(tmp.path(), &out, "buffer");
    assert_eq!(rows(&out.join("publish-buffer-x.csv"))[1][3], "");
    clipper(tmp.path())
        .args(["export", "--format", "hootsuite"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "needs a date and time on every row",
        ));
}

#[test]
fn the_season_index_counts_posts_by_where_they_stand() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, h) = demo(tmp.path());
    let json_file = tmp.path().join("answer.json");
    std::fs::write(&json_file, sheet_answer(&h).to_string()).unwrap();
    apply(tmp.path(), &out, &json_file);
    // The call to action changes: clip 1's LinkedIn and YouTube posts and
    // clip 2's LinkedIn post change since their approval.
    std::fs::write(
        tmp.path().join("clipper.toml"),
        DEMO_CONFIG.replace("example.com/ep1", "example.com/listen"),
    )
    .unwrap();
    clipper(tmp.path())
        .arg(tmp.path().join("demo-episode.mp3"))
        .arg("--transcript")
        .arg(fixture("demo-episode.transcript.json"))
        .assert()
        .success();
    clipper(tmp.path())
        .args(["season", "index"])
        .arg(tmp.path())
        .assert()
        .success();
    let season: Value = read(&tmp.path().join("season.json"));
    let posts = &season["episodes"][0]["posts"];
    let total = 5 * h.clips.len() as u64;
    // clip 1: x (edited), instagram, tiktok approved; linkedin, youtube changed.
    // clip 2: linkedin changed, x rejected, 3 waiting; clip 3: 5 waiting.
    assert_eq!(
        posts,
        &json!({"awaiting": total - 7, "approved": 3, "needs_changes": 0, "changed": 3, "rejected": 1})
    );
    let html = std::fs::read_to_string(tmp.path().join("season.html")).unwrap();
    assert!(
        html.contains("<td class=\"n posts-changed\">3</td>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "{} waiting for the client, 3 approved, 0 need changes, 3 changed since approval",
            total - 7
        )),
        "{html}"
    );
}

#[test]
fn the_version_the_client_picks_is_the_one_exported() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, h) = demo(tmp.path());
    // A clip with a second LinkedIn version and an X thread.
    let c = h
        .clips
        .iter()
        .find(|c| {
            let has = |k: &str| c.drafts.iter().any(|d| d.key() == k);
            has("linkedin_b") && has("x_thread")
        })
        .expect("a clip with a second version and a thread");
    let text = |k: &str| {
        c.drafts
            .iter()
            .find(|d| d.key() == k)
            .map(|d| d.text.clone())
            .unwrap()
    };
    let pristine = std::fs::read(out.join("decisions.json")).unwrap();
    let md = std::fs::read_to_string(out.join("review.md")).unwrap();
    assert!(md.contains("- X version: [ ] A [ ] B [ ] thread"), "{md}");
    assert!(md.contains("- LinkedIn version: [ ] A [ ] B"), "{md}");
    // From the sheet: the clip approved, LinkedIn's B and X's thread picked.
    let answer = json!({
        "format": "clipper-decisions", "version": 2, "episode": h.episode, "author": "Dana",
        "clips": {c.id.clone(): {"status": "approved", "comment": "",
            "platforms": {"linkedin": {"status": "pending", "choice": "b"},
                          "x": {"status": "pending", "choice": "thread"}}}}
    });
    let file = tmp.path().join("answer.json");
    std::fs::write(&file, answer.to_string()).unwrap();
    apply(tmp.path(), &out, &file);
    let from_json: Value = read(&out.join("decisions.json"));
    let d = &from_json["clips"][&c.id];
    assert_eq!(d["platforms"]["linkedin"]["choice"], "b");
    assert_eq!(d["platforms"]["x"]["choice"], "thread");
    let md = std::fs::read_to_string(out.join("review.md")).unwrap();
    assert!(
        md.contains("* LinkedIn post: approved, version B picked"),
        "{md}"
    );
    assert!(
        md.contains("* X post: approved, version thread picked"),
        "{md}"
    );
    // The export sends version B to LinkedIn and the thread, post by post
    // in order, to X (the quote card on the first post only).
    export(tmp.path(), &out, "csv");
    let all = rows(&out.join("publish.csv"));
    let of = |p: &str| -> Vec<Vec<String>> { all.iter().filter(|r| r[0] == p).cloned().collect() };
    assert_eq!(of("linkedin").len(), 1);
    assert_eq!(of("linkedin")[0][2], text("linkedin_b"));
    let posts = clipper::drafts::thread_posts(&text("x_thread"));
    let x = of("x");
    assert_eq!(x.iter().map(|r| r[2].clone()).collect::<Vec<_>>(), posts);
    assert!(x[0][3].ends_with(".quote.1200x627.png"), "{x:?}");
    assert!(x[1..].iter().all(|r| r[3].is_empty()), "{x:?}");
    assert_eq!(of("instagram")[0][2], text("instagram"));
    // The same picks by e-mail give the same decisions.
    std::fs::write(out.join("decisions.json"), &pristine).unwrap();
    let mut reply = String::new();
    let mut mine = false;
    for line in md.lines() {
        if line.starts_with("- Clip:") {
            mine = line.ends_with(&c.id);
        }
        let line = match line {
            l if mine && l.starts_with("- Decision (all posts):") => {
                l.replacen("[ ] approve", "[x] approve", 1)
            }
            l if mine && l.starts_with("- LinkedIn version:") => l.replacen("[ ] B", "[x] B", 1),
            l if mine && l.starts_with("- X version:") => l.replacen("[ ] thread", "[x] thread", 1),
            l => l.to_string(),
        };
        reply.push_str(&format!("> {line}\n"));
    }
    let reply_file = tmp.path().join("reply.txt");
    std::fs::write(&reply_file, reply).unwrap();
    apply(tmp.path(), &out, &reply_file);
    let from_mail: Value = read(&out.join("decisions.json"));
    let m = &from_mail["clips"][&c.id];
    assert_eq!(m["status"], "approved");
    assert_eq!(m["platforms"]["linkedin"]["choice"], "b");
    assert_eq!(m["platforms"]["x"]["choice"], "thread");
    assert_eq!(m["decided_on"], d["decided_on"]);
}

#[test]
fn an_email_reply_leaving_the_comment_empty_keeps_the_earlier_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, h) = demo(tmp.path());
    let id = &h.clips[0].id;
    let answer = json!({"format": "clipper-decisions", "episode": h.episode, "author": "Dana",
        "clips": {id.clone(): {"status": "needs_changes", "comment": "Shorter, please."}}});
    let file = tmp.path().join("answer.json");
    std::fs::write(&file, answer.to_string()).unwrap();
    apply(tmp.path(), &out, &file);
    let md = std::fs::read_to_string(out.join("review.md")).unwrap();
    let mut reply = String::new();
    let mut mine = false;
    for line in md.lines() {
        if line.starts_with("- Clip:") {
            mine = line.ends_with(id.as_str());
        }
        let line = if mine && line.starts_with("- Decision (all posts):") {
            line.replacen("[ ] approve", "[x] approve", 1)
        } else {
            line.to_string()
        };
        reply.push_str(&format!("> {line}\n"));
    }
    let reply_file = tmp.path().join("reply.txt");
    std::fs::write(&reply_file, reply).unwrap();
    apply(tmp.path(), &out, &reply_file);
    let d: Value = read(&out.join("decisions.json"));
    assert_eq!(d["clips"][id]["status"], "approved");
    assert_eq!(d["clips"][id]["comment"], "Shorter, please.");
}
