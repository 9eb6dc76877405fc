//! Every stage after transcription, run by the real binary from real
//! transcripts saved in `tests/fixtures/` (`clipper EPISODE --transcript
//! FILE`): clips, drafts, media, the review files, the client's decisions,
//! export, the season index, and the errors a user meets on the way.

use std::path::{Path, PathBuf};

use clipper::bundle::Highlights;
use clipper::transcript::Transcript;
use predicates::prelude::*;
use serde_json::Value;

use crate::common::*;

/// Copies a sample into `dir` and returns its path there.
fn copy_sample(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(sample(name), &to).unwrap();
    to
}

/// `clipper EPISODE --transcript FIXTURE [extra]`, which must succeed.
fn run_from_fixture(cwd: &Path, ep: &Path, fixture_name: &str, extra: &[&str]) -> String {
    let out = clipper(cwd)
        .arg(ep)
        .arg("--transcript")
        .arg(fixture(fixture_name))
        .args(extra)
        .assert()
        .success();
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

#[test]
fn demo_episode_from_its_saved_transcript_needs_no_model() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = copy_sample(tmp.path(), "demo-episode.mp3");
    std::fs::write(tmp.path().join("clipper.toml"), DEMO_CONFIG).unwrap();
    // No model anywhere: `clipper` runs with a bare HOME and no CLIPPER_MODEL.
    let stderr = run_from_fixture(tmp.path(), &ep, "demo-episode.transcript.json", &[]);
    assert!(!stderr.contains("loaded"), "{stderr}");
    let dir = tmp.path().join("demo-episode.clipper");
    let t: Transcript = read(&dir.join("transcript.json"));
    let given: Transcript = read(&fixture("demo-episode.transcript.json"));
    assert_eq!(
        t.segments, given.segments,
        "the given transcript is the one kept"
    );
    let h: Highlights = read(&dir.join("highlights.json"));
    check_clips(&t, &h, &demo_music(), 3);
    check_clip_media(&ep, &dir, &h);
    check_demo_drafts(&h);
    let md = std::fs::read_to_string(dir.join("review.md")).unwrap();
    assert!(md.contains(&h.clips[0].title));
    assert!(dir.join("review.html").is_file() && dir.join("run.json").is_file());
}

/// The client's answer to the first two clips of `h`, as the sheet saves it.
fn client_answer(h: &Highlights) -> Value {
    serde_json::json!({
        "format": "clipper-decisions", "author": "Client A", "saved_at": "2026-11-27T12:00:00Z",
        "clips": {
            h.clips[0].id.clone(): {"status": "approved", "comment": "love it",
                                    "drafts": {"x": "Edited post for X"}},
            h.clips[1].id.clone(): {"status": "rejected", "comment": "off topic", "drafts": {}},
        }
    })
}

#[test]
fn decisions_survive_a_settings_change_and_reach_the_export() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = copy_sample(tmp.path(), "demo-episode.mp3");
    let config = tmp.path().join("clipper.toml");
    std::fs::write(&config, DEMO_CONFIG).unwrap();
    run_from_fixture(tmp.path(), &ep, "demo-episode.transcript.json", &[]);
    let dir = tmp.path().join("demo-episode.clipper");
    let h: Highlights = read(&dir.join("highlights.json"));
    let answer = tmp.path().join("answer.json");
    std::fs::write(&answer, client_answer(&h).to_string()).unwrap();
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&answer)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 changed"));

    // The VA changes the call to action; the drafts follow, the decisions stay.
    std::fs::write(
        &config,
        DEMO_CONFIG.replace("example.com/ep1", "example.com/listen"),
    )
    .unwrap();
    run_from_fixture(tmp.path(), &ep, "demo-episode.transcript.json", &[]);
    let h2: Highlights = read(&dir.join("highlights.json"));
    let ids = |h: &Highlights| h.clips.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&h2), ids(&h));
    let x = |h: &Highlights| {
        h.clips[2]
            .drafts
            .iter()
            .find(|d| d.key() == "x")
            .unwrap()
            .text
            .clone()
    };
    assert!(x(&h2).contains("example.com/listen"), "{}", x(&h2));
    let d: Value = read(&dir.join("decisions.json"));
    let first = &d["clips"][&h.clips[0].id];
    assert_eq!(first["status"], "approved");
    assert_eq!(first["drafts"]["x"], "Edited post for X");
    assert_eq!(first["history"][1]["author"], "Client A");
    assert_eq!(d["clips"][&h.clips[1].id]["status"], "rejected");

    // The new call to action changed the LinkedIn and YouTube drafts the
    // client approved: they wait for a new look and stay out of the export;
    // the edited X post and the "link in bio" captions are as approved.
    let export = clipper(tmp.path())
        .arg("export")
        .arg(&dir)
        .assert()
        .success();
    let stderr = String::from_utf8(export.get_output().stderr.clone()).unwrap();
    for p in ["linkedin", "youtube"] {
        assert!(
            stderr.contains(&format!(
                "{}/{p} was approved earlier but its drafts changed since",
                h.clips[0].id
            )),
            "{stderr}"
        );
    }
    let rows = |dir: &Path| -> Vec<csv::StringRecord> {
        let mut csv = csv::Reader::from_path(dir.join("publish.csv")).unwrap();
        csv.records().map(Result::unwrap).collect()
    };
    let platforms =
        |rows: &[csv::StringRecord]| rows.iter().map(|r| r[0].to_string()).collect::<Vec<_>>();
    assert_eq!(platforms(&rows(&dir)), ["x", "instagram", "tiktok"]);
    let md = std::fs::read_to_string(dir.join("review.md")).unwrap();
    assert!(
        md.contains("* LinkedIn post: approved earlier — changed since, needs a new look"),
        "{md}"
    );
    // The client approves the clip again: all five are exported.
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&answer)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 changed"));
    clipper(tmp.path())
        .arg("export")
        .arg(&dir)
        .assert()
        .success();
    let rows = rows(&dir);
    // x, linkedin, instagram, tiktok, youtube description of the approved clip
    assert_eq!(
        platforms(&rows),
        ["x", "linkedin", "instagram", "tiktok", "youtube"]
    );
    // X and LinkedIn get the landscape quote card; the video platforms the
    // video, here the MP3 (the tests skip video)
    let id = &h.clips[0].id;
    for r in &rows {
        let want = match &r[0] {
            "x" | "linkedin" => format!("export/{id}.quote.1200x627.png"),
            _ => format!("export/{id}.mp3"),
        };
        assert_eq!(r[3], *want, "{rows:?}");
        assert!(dir.join(&r[3]).is_file());
    }
    let media = format!("export/{id}.mp3");
    assert_eq!(&rows[0][0], "x");
    assert_eq!(&rows[0][2], "Edited post for X");
    assert!(dir.join(&media).is_file());
}

#[test]
fn a_missing_client_file_is_named_once() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = copy_sample(tmp.path(), "sonnet.mp3");
    run_from_fixture(tmp.path(), &ep, "sonnet.transcript.json", &[]);
    let dir = tmp.path().join("sonnet.clipper");
    let missing = tmp.path().join("missing.json");
    let out = clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&missing)
        .assert()
        .code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr.trim(),
        format!(
            "error: cannot read {}: No such file or directory (os error 2)",
            missing.display()
        )
    );
}

#[test]
fn a_damaged_decisions_file_is_named_before_any_work_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = copy_sample(tmp.path(), "sonnet.mp3");
    run_from_fixture(tmp.path(), &ep, "sonnet.transcript.json", &[]);
    let dir = tmp.path().join("sonnet.clipper");
    let decisions = dir.join("decisions.json");
    std::fs::write(&decisions, "{ \"clips\": { oops").unwrap();
    let run_before = std::fs::read(dir.join("run.json")).unwrap();
    clipper(tmp.path())
        .arg(&ep)
        .arg("--transcript")
        .arg(fixture("sonnet.transcript.json"))
        .arg("--force")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "its decisions cannot be read: {} is damaged",
            decisions.display()
        )))
        .stderr(predicate::str::contains("cannot write").not());
    assert_eq!(std::fs::read(&decisions).unwrap(), b"{ \"clips\": { oops");
    assert_eq!(std::fs::read(dir.join("run.json")).unwrap(), run_before);
    // review apply and export name it too, and change nothing
    let answer = tmp.path().join("answer.json");
    std::fs::write(&answer, r#"{"format": "clipper-decisions", "clips": {}}"#).unwrap();
    for args in [vec!["export"], vec!["review", "apply"]] {
        let mut cmd = clipper(tmp.path());
        cmd.args(&args).arg(&dir);
        if args.len() == 2 {
            cmd.arg(&answer);
        }
        cmd.assert()
            .code(1)
            .stderr(predicate::str::contains("decisions.json is damaged"));
    }
    assert_eq!(std::fs::read(&decisions).unwrap(), b"{ \"clips\": { oops");
}

#[test]
fn a_season_index_from_saved_transcripts() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("season");
    std::fs::create_dir(&season).unwrap();
    let a = copy_sample(&season, "meeting.wav");
    let b = copy_sample(&season, "sonnet.mp3");
    std::fs::write(season.join("notes.txt"), "not an episode").unwrap();
    run_from_fixture(tmp.path(), &a, "meeting.transcript.json", &[]);
    clipper(tmp.path())
        .args(["season", "index"])
        .arg(&season)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2 episodes, 1 done, 0 failed, 1 not processed yet",
        ));
    run_from_fixture(tmp.path(), &b, "sonnet.transcript.json", &[]);
    clipper(tmp.path())
        .args(["season", "index", "--json"])
        .arg(&season)
        .assert()
        .success();
    let index: Value = read(&season.join("season.json"));
    assert_eq!(index["totals"]["done"], 2);
    let rows = index["episodes"].as_array().unwrap();
    assert_eq!(rows[0]["input"], "meeting.wav");
    assert_eq!(rows[1]["input"], "sonnet.mp3");
    for (row, name) in rows.iter().zip(["meeting", "sonnet"]) {
        let h: Highlights = read(&season.join(format!("{name}.clipper/highlights.json")));
        let ids: Vec<Value> = h.clips.iter().map(|c| Value::from(c.id.clone())).collect();
        assert_eq!(row["clip_ids"].as_array().unwrap(), &ids);
        assert_eq!(row["awaiting"], ids.len());
    }
    let mut csv = csv::Reader::from_path(season.join("season.csv")).unwrap();
    let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(&records[1][1], "done");
    assert_eq!(&records[1][14], "sonnet.clipper/review.html");
}

#[test]
fn transcript_flag_is_for_one_episode_and_must_be_a_transcript() {
    let tmp = tempfile::tempdir().unwrap();
    let a = copy_sample(tmp.path(), "sonnet.mp3");
    let b = copy_sample(tmp.path(), "jfk.wav");
    clipper(tmp.path())
        .arg(&a)
        .arg(&b)
        .arg("--transcript")
        .arg(fixture("sonnet.transcript.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--transcript works with one episode only",
        ));
    let not_json = tmp.path().join("notes.json");
    std::fs::write(&not_json, "hello").unwrap();
    clipper(tmp.path())
        .arg(&a)
        .arg("--transcript")
        .arg(&not_json)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{} is not a clipper transcript.json",
            not_json.display()
        )));
    assert!(!tmp.path().join("sonnet.clipper").exists());
}

#[test]
fn an_email_reply_to_review_md_is_applied_and_the_sheets_show_it() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = copy_sample(tmp.path(), "demo-episode.mp3");
    run_from_fixture(tmp.path(), &ep, "demo-episode.transcript.json", &[]);
    let dir = tmp.path().join("demo-episode.clipper");
    let h: Highlights = read(&dir.join("highlights.json"));
    let md = std::fs::read_to_string(dir.join("review.md")).unwrap();
    // The client replies: the whole mail quoted, the first clip answered,
    // with a comment over two lines and a new X post; the rest untouched.
    let first = format!("- Clip: {}", h.clips[0].id);
    let mut reply = String::from("Hi! Answers below.\n\n");
    let mut in_first = false;
    for line in md.lines() {
        if line.starts_with("- Clip:") {
            in_first = line == first;
        }
        let line = match line {
            "- Decision (all posts): [ ] approve [ ] needs changes [ ] reject" if in_first => {
                "- Decision (all posts): [x] approve [ ] needs changes [ ] reject".to_string()
            }
            "- Comment:" if in_first => "- Comment: Love it,\n> post it Monday.".to_string(),
            l if in_first && l.starts_with("- Changed drafts") => {
                format!("{l}\n>\n> X:\n> Our new X post.")
            }
            l => l.to_string(),
        };
        reply.push_str(&format!("> {line}\n"));
    }
    let file = tmp.path().join("reply.txt");
    std::fs::write(&file, &reply).unwrap();
    clipper(tmp.path())
        .args(["review", "apply", "--author", "Dana (e-mail)"])
        .arg(&dir)
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 changed"));
    let d: Value = read(&dir.join("decisions.json"));
    let c = &d["clips"][&h.clips[0].id];
    assert_eq!(c["status"], "approved");
    assert_eq!(c["comment"], "Love it,\npost it Monday.");
    assert_eq!(c["drafts"]["x"], "Our new X post.");
    assert_eq!(c["author"], "Dana (e-mail)");
    assert_eq!(d["clips"][&h.clips[1].id]["status"], "pending");
    // review.md and review.html now show the decision
    let md = std::fs::read_to_string(dir.join("review.md")).unwrap();
    assert!(
        md.contains("Decided so far: approved (version 2, Dana (e-mail),"),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.join("review.html")).unwrap();
    assert!(html.contains("Our new X post."));
    // a decision left ambiguous is named, and nothing changes
    let ambiguous = reply.replace(
        "- Decision (all posts): [x] approve [ ] needs changes [ ] reject\n",
        "- Decision (all posts): [x] approve [ ] needs changes [x] reject\n",
    );
    std::fs::write(&file, ambiguous).unwrap();
    let before = std::fs::read(dir.join("decisions.json")).unwrap();
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "clip {}: \"- Decision (all posts): [x] approve [ ] needs changes [x] reject\"",
            h.clips[0].id
        )));
    assert_eq!(std::fs::read(dir.join("decisions.json")).unwrap(), before);
}

#[test]
fn the_glossary_spells_the_shows_names_everywhere_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let dev = tmp.path().join("dev");
    std::fs::create_dir_all(&dev).unwrap();
    let ep = dev.join("dev-interview.mp3");
    std::fs::copy(sample("dev/dev-interview.mp3"), &ep).unwrap();
    std::fs::write(
        dev.join("clipper.toml"),
        "glossary = [\"Sam Rivera\", \"Dana Whitfield\", \"Ledgerly\", \"Northwind Coffee\", \"Rosa\"]\n",
    )
    .unwrap();
    run_from_fixture(tmp.path(), &ep, "dev-interview.transcript.json", &[]);
    let dir = dev.join("dev-interview.clipper");
    let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
    let t: Transcript = read(&dir.join("transcript.json"));
    let text = t.text();
    for (wrong, right) in [
        ("Sam Rimmera", "Sam Rivera"),
        ("by Langerly,", "by Ledgerly,"),
    ] {
        assert!(
            !text.contains(wrong) && text.contains(right),
            "{wrong}: {text}"
        );
    }
    assert!(srt.contains("Sam Rivera") && !srt.contains("Rimmera"));
    // only those words changed: "beauty's rose" stays a rose
    let before: Transcript = read(&fixture("dev-interview.transcript.json"));
    let changed: Vec<(String, String)> = before
        .words()
        .zip(t.words())
        .filter(|(a, b)| a.word != b.word)
        .map(|(a, b)| (a.word.trim().to_string(), b.word.trim().to_string()))
        .collect();
    assert_eq!(
        changed,
        [
            ("Rimmera.".to_string(), "Rivera.".to_string()),
            ("Langerly,".to_string(), "Ledgerly,".to_string())
        ]
    );
    // on the samples with references the glossary changes nothing, so WER
    // cannot rise there
    let sonnet = copy_sample(tmp.path(), "sonnet.mp3");
    std::fs::write(
        tmp.path().join("clipper.toml"),
        "glossary = [\"Shakespeare\", \"Rosa\", \"Beauty\"]\n",
    )
    .unwrap();
    run_from_fixture(tmp.path(), &sonnet, "sonnet.transcript.json", &[]);
    let t: Transcript = read(&tmp.path().join("sonnet.clipper/transcript.json"));
    let given: Transcript = read(&fixture("sonnet.transcript.json"));
    let reference = reference("sonnet.txt");
    assert_eq!(wer(&reference, &t.text()), wer(&reference, &given.text()));
}
