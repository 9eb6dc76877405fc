//! `clipper EPISODE`: clips, drafts, review files and decisions on real
//! episodes (the demo episode with ID3 chapters, and an AMI meeting).

use std::path::Path;

use clipper::bundle::Highlights;
use clipper::transcript::Transcript;
use predicates::prelude::*;

use crate::common::*;

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn run_episode(cwd: &Path, file: &Path) {
    run_episode_with(cwd, file, &[]);
}

fn run_episode_with(cwd: &Path, file: &Path, extra: &[&str]) {
    clipper(cwd)
        .arg("--model")
        .arg(model())
        .arg(file)
        .args(extra)
        .assert()
        .success()
        .stderr(predicate::str::contains("clips,"));
}

fn ends_sentence(w: &str) -> bool {
    w.trim_end_matches(['"', '\'', ')'])
        .ends_with(['.', '?', '!'])
}

/// The boundary rules every clip must keep.
fn check_clips(t: &Transcript, h: &Highlights, music: &[(f64, f64)], min_clips: usize) {
    assert!(h.clips.len() >= min_clips, "only {} clips", h.clips.len());
    let quiet = |x: f64| {
        t.pauses
            .iter()
            .any(|p| p.start - 1e-6 <= x && x <= p.end + 1e-6)
            || t.skipped
                .iter()
                .any(|s| s.start - 1e-6 <= x && x <= s.end + 1e-6)
    };
    let words: Vec<_> = t.words().collect();
    for c in &h.clips {
        assert!(
            quiet(c.start),
            "{}: cut-in {:.2} not in a pause",
            c.id,
            c.start
        );
        assert!(
            quiet(c.end),
            "{}: cut-out {:.2} not in a pause",
            c.id,
            c.end
        );
        let inside: Vec<usize> = (0..words.len())
            .filter(|&i| words[i].start >= c.start && words[i].end <= c.end)
            .collect();
        let first = words[*inside.first().expect("a clip has words")];
        let last = words[*inside.last().unwrap()];
        // no word is cut: every word is either inside or outside the clip
        for w in &words {
            assert!(
                w.end <= c.start + 1e-6
                    || w.start >= c.end - 1e-6
                    || (w.start >= c.start && w.end <= c.end),
                "{}: word {:?} cut",
                c.id,
                w
            );
        }
        // the word before the clip, in transcript order, ends a sentence
        let before = inside[0].checked_sub(1).map(|i| words[i]);
        assert!(
            before.is_none_or(|w| ends_sentence(&w.word)),
            "{}: starts mid-sentence after {:?} (first word {:?})",
            c.id,
            before,
            first
        );
        assert!(
            ends_sentence(&last.word),
            "{}: ends mid-sentence at {:?}",
            c.id,
            last.word
        );
        // each within its bucket
        let b = clipper::highlights::Bucket::defaults()
            .into_iter()
            .find(|b| b.name == c.bucket)
            .unwrap();
        assert!(
            c.duration() >= b.min_s - 1e-9 && c.duration() <= b.max_s + 1e-9,
            "{}: {} s",
            c.id,
            c.duration()
        );
        // contributions add up to the score
        let sum: f64 = c.contributions.iter().map(|x| x.points).sum();
        assert!(
            (sum - c.score).abs() < 1e-9,
            "{}: {sum} vs {}",
            c.id,
            c.score
        );
        for (m0, m1) in music {
            assert!(
                c.end <= *m0 || c.start >= *m1,
                "{} overlaps music {m0}-{m1}",
                c.id
            );
        }
        // drafts: every platform, within limits, never empty
        assert_eq!(c.drafts.len(), 6, "{}", c.id);
        for d in &c.drafts {
            assert!(!d.text.trim().is_empty());
            assert_eq!(d.length, clipper::drafts::measure(d.platform, &d.text));
            assert!(
                d.length <= d.limit,
                "{} {}: {} > {}",
                c.id,
                d.key(),
                d.length,
                d.limit
            );
        }
        assert!(Path::new(&c.media[0]).extension().unwrap() == "wav");
    }
    for (i, a) in h.clips.iter().enumerate() {
        for b in &h.clips[i + 1..] {
            assert!(
                a.end <= b.start || b.end <= a.start,
                "{} overlaps {}",
                a.id,
                b.id
            );
        }
    }
}

#[test]
fn demo_episode_clips_drafts_review_and_decisions() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("demo-episode.mp3");
    std::fs::copy(sample("demo-episode.mp3"), &ep).unwrap();
    std::fs::write(
        tmp.path().join("clipper.toml"),
        r#"show_name = "Signal & Noise"
cta = "Full episode at example.com/ep1"
default_hashtags = ["podcast", "audio"]
banned_words = ["darn"]
[handles]
x = "@signalnoise"
"#,
    )
    .unwrap();
    run_episode(tmp.path(), &ep);
    let dir = tmp.path().join("demo-episode.clipper");
    let t: Transcript = read(&dir.join("transcript.json"));
    let h: Highlights = read(&dir.join("highlights.json"));

    // chapters come from the ID3 tag; music chapters hold no clip
    let chapters: serde_json::Value = read(&sample("demo-episode-chapters.json"));
    let music: Vec<(f64, f64)> = chapters
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["title"].as_str().unwrap().contains("music"))
        .map(|c| (c["start"].as_f64().unwrap(), c["end"].as_f64().unwrap()))
        .collect();
    assert_eq!(h.chapters.len(), 5);
    assert_eq!(music.len(), 2);
    check_clips(&t, &h, &music, 3);
    for c in &h.clips {
        let ch = h
            .chapters
            .iter()
            .find(|ch| ch.start <= c.start && c.end <= ch.end)
            .unwrap();
        assert_eq!(c.chapter.as_deref(), Some(ch.title.as_str()));
        let linkedin = c.drafts.iter().find(|d| d.key() == "linkedin").unwrap();
        assert!(linkedin.text.contains(&ch.title), "{}", linkedin.text);
        // clipper.toml shows up in the drafts
        let x = c.drafts.iter().find(|d| d.key() == "x").unwrap();
        assert!(
            x.text.contains("@signalnoise") && x.text.contains("example.com/ep1"),
            "{}",
            x.text
        );
        assert!(linkedin.text.contains("Signal & Noise"));
        assert!(c
            .drafts
            .iter()
            .all(|d| !d.text.to_lowercase().contains("darn")));
        assert!(dir.join(&c.media[0]).is_file() && dir.join(&c.media[1]).is_file());
    }
    let html = std::fs::read_to_string(dir.join("review.html")).unwrap();
    // self-contained: nothing is loaded from elsewhere
    for external in [
        "src=\"http",
        "href=\"http",
        "<script src",
        "<link",
        "@import",
    ] {
        assert!(!html.contains(external), "review.html loads {external}");
    }
    assert!(std::fs::read_to_string(dir.join("review.md"))
        .unwrap()
        .contains(&h.clips[0].title));

    // the client approves clip 1 with an edit and rejects clip 2
    let (c1, c2) = (&h.clips[0], &h.clips[1]);
    let client = serde_json::json!({
        "format": "clipper-decisions", "author": "Client A", "saved_at": "2026-11-27T12:00:00Z",
        "clips": {
            c1.id.clone(): {"status": "approved", "comment": "love it", "drafts": {"x": "Edited post for X"}},
            c2.id.clone(): {"status": "rejected", "comment": "off topic", "drafts": {}},
            "clip-999999": {"status": "approved", "comment": "from an older run", "drafts": {}}
        }
    });
    let client_file = tmp.path().join("client.json");
    std::fs::write(&client_file, client.to_string()).unwrap();
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&client_file)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 changed"))
        .stderr(predicate::str::contains("clip-999999"));

    // a plain re-run keeps the folder as it is; a forced redo keeps every
    // decision
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&ep)
        .assert()
        .success()
        .stderr(predicate::str::contains("unchanged since the last run"));
    run_episode_with(tmp.path(), &ep, &["--force"]);
    let d: serde_json::Value = read(&dir.join("decisions.json"));
    assert_eq!(d["clips"][&c1.id]["status"], "approved");
    assert_eq!(d["clips"][&c1.id]["drafts"]["x"], "Edited post for X");
    assert_eq!(d["clips"][&c1.id]["history"].as_array().unwrap().len(), 2);
    assert_eq!(d["clips"][&c1.id]["history"][1]["author"], "Client A");
    assert_eq!(d["clips"][&c2.id]["status"], "rejected");
    assert_eq!(d["clips"]["clip-999999"]["orphaned"], true);
    let h2: Highlights = read(&dir.join("highlights.json"));
    assert_eq!(
        h2.clips.iter().map(|c| &c.id).collect::<Vec<_>>(),
        h.clips.iter().map(|c| &c.id).collect::<Vec<_>>(),
        "clip ids are stable"
    );

    // export lists exactly the approved clip
    clipper(tmp.path())
        .arg("export")
        .arg(&dir)
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.join("publish.csv")).unwrap();
    // records, split on newlines outside quoted fields
    let mut rows: Vec<String> = vec![String::new()];
    let mut quoted = false;
    for ch in csv.chars() {
        match ch {
            '"' => quoted = !quoted,
            '\n' if !quoted => rows.push(String::new()),
            _ => {}
        }
        rows.last_mut().unwrap().push(ch);
    }
    let rows: Vec<&String> = rows
        .iter()
        .skip(1)
        .filter(|r| !r.trim().is_empty())
        .collect();
    assert_eq!(rows.len(), 5, "{csv}"); // x, linkedin, instagram, tiktok, youtube description
    assert!(rows
        .iter()
        .all(|r| r.contains(&format!("export/{}.wav", c1.id))));
    assert!(csv.contains("Edited post for X"));
    let exported: Vec<_> = std::fs::read_dir(dir.join("export")).unwrap().collect();
    assert_eq!(exported.len(), 1);
}

#[test]
fn demo_episode_with_the_default_q8_0_model_keeps_the_boundary_rules() {
    // The model clipper picks by default; its transcript differs from
    // f16's in places (this one once put a pause edge 10 ms inside a word).
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("demo-episode.mp3");
    std::fs::copy(sample("demo-episode.mp3"), &ep).unwrap();
    clipper(tmp.path())
        .arg("--model")
        .arg(crate::common::model_q8())
        .arg(&ep)
        .assert()
        .success();
    let dir = tmp.path().join("demo-episode.clipper");
    let t: Transcript = read(&dir.join("transcript.json"));
    let h: Highlights = read(&dir.join("highlights.json"));
    check_clips(&t, &h, &[], 2);
}

#[test]
fn meeting_clips_keep_the_boundary_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("meeting.wav");
    std::fs::copy(sample("meeting.wav"), &ep).unwrap();
    clipper(tmp.path())
        .args(["--clips", "3", "--model"])
        .arg(model())
        .arg(&ep)
        .assert()
        .success();
    let dir = tmp.path().join("meeting.clipper");
    let t: Transcript = read(&dir.join("transcript.json"));
    let h: Highlights = read(&dir.join("highlights.json"));
    check_clips(&t, &h, &[], 2);
}

#[test]
fn a_bad_file_among_good_ones_is_reported_and_the_rest_finish() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("jfk.wav");
    std::fs::copy(sample("jfk.wav"), &good).unwrap();
    let bad = tmp.path().join("broken.mp3");
    std::fs::write(&bad, "not audio").unwrap();
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&bad)
        .arg(&good)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error:").and(predicate::str::contains("broken.mp3")));
    assert!(tmp.path().join("jfk.clipper/transcript.json").is_file());
    assert!(!tmp.path().join("broken.clipper").exists());
}
