//! The clips a social editor would pick, measured on the labelled dev
//! episodes (`samples/dev/`) from their saved transcripts with
//! `clipper eval highlights`: no filler in the top three, no clip across a
//! topic boundary, every cut in a real pause, no start on an unnamed
//! person, short-form lengths; and the reasons a VA and a client read.

use std::path::{Path, PathBuf};

use clipper::bundle::Highlights;
use predicates::prelude::*;
use serde_json::Value;

use crate::common::*;

/// Copies a dev episode (and its labels) into `dir`, keeping the layout
/// the labels' relative episode path expects; returns (episode, labels).
fn dev_episode(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let dev = dir.join("dev");
    std::fs::create_dir_all(&dev).unwrap();
    let labels = dev.join(format!("{name}.labels.json"));
    std::fs::copy(sample(&format!("dev/{name}.labels.json")), &labels).unwrap();
    let l: Value = read(&labels);
    let episode = dev.join(l["episode"].as_str().unwrap());
    let source = sample("dev").join(l["episode"].as_str().unwrap());
    std::fs::copy(source, &episode).unwrap();
    (episode, labels)
}

/// Runs clipper on `episode` from its saved transcript, then the eval.
fn run_and_eval(
    dir: &Path,
    episode: &Path,
    labels: &Path,
    transcript: &str,
    extra: &[&str],
) -> Value {
    clipper(dir)
        .arg(episode)
        .arg("--transcript")
        .arg(fixture(transcript))
        .args(extra)
        .assert()
        .success();
    let out = clipper(dir)
        .args(["eval", "highlights", "--json"])
        .arg(labels)
        .assert()
        .success();
    let reports: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    reports[0]["report"].clone()
}

fn assert_editors_bar(name: &str, r: &Value) {
    let none = |key: &str| assert_eq!(r[key], Value::Array(vec![]), "{name}: {key} in {r:#}");
    none("filler_in_top");
    none("crossing");
    none("short_edge_pauses");
    none("dangling_starts");
    assert!(r["clips"].as_u64().unwrap() >= 1, "{name}: {r:#}");
    if let Some(p) = r["min_edge_pause"].as_f64() {
        assert!(p >= 0.3, "{name}: {r:#}");
    }
}

#[test]
fn dev_episodes_meet_an_editors_bar() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lengths = Vec::new();
    for (name, transcript, extra) in [
        ("dev-interview", "dev-interview.transcript.json", &[][..]),
        (
            "dev-interview",
            "dev-interview.transcript.json",
            &["--clips", "8", "--force"][..],
        ),
        ("dev-lecture", "dev-lecture.transcript.json", &[][..]),
    ] {
        let (episode, labels) = dev_episode(tmp.path(), name);
        let r = run_and_eval(tmp.path(), &episode, &labels, transcript, extra);
        assert_editors_bar(name, &r);
        lengths.push(r["median_length"].as_f64().unwrap());
        if extra.is_empty() && name == "dev-interview" {
            assert_eq!(r["good_found"].as_array().unwrap().len(), 3, "{r:#}");
        }
        if !extra.is_empty() {
            // with room for more clips, every labelled moment is found
            assert_eq!(r["good_missed"], Value::Array(vec![]), "{r:#}");
        }
    }
    for l in &lengths {
        assert!((20.0..=45.0).contains(l), "median lengths {lengths:?}");
    }
    // the filler is reported, with what gave it away
    let h: Highlights = read(&tmp.path().join("dev/dev-interview.clipper/highlights.json"));
    let kinds: Vec<&str> = h.excluded.iter().map(|e| e.kind.label()).collect();
    for kind in ["intro", "ad", "phone menu", "housekeeping", "outro"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
    assert!(h.excluded.iter().any(|e| e.because == "\"sponsored by\""));
}

#[test]
fn a_short_lecture_gets_a_clip_and_asking_for_more_says_why_not() {
    let tmp = tempfile::tempdir().unwrap();
    let (episode, _) = dev_episode(tmp.path(), "dev-lecture");
    clipper(tmp.path())
        .arg(&episode)
        .arg("--transcript")
        .arg(fixture("dev-lecture.transcript.json"))
        .args(["--clips", "5"])
        .assert()
        .success()
        .stderr(predicate::str::contains("note: ").and(predicate::str::contains(" of 5 clips: ")));
    let h: Highlights = read(&tmp.path().join("dev/dev-lecture.clipper/highlights.json"));
    assert!(!h.clips.is_empty());
    let why = h.shortfall.expect("the shortfall is recorded");
    assert!(
        why.starts_with(&format!("{} of 5 clips: ", h.clips.len())),
        "{why}"
    );
}

#[test]
fn every_clip_says_why_in_plain_words() {
    let tmp = tempfile::tempdir().unwrap();
    let (episode, _) = dev_episode(tmp.path(), "dev-interview");
    clipper(tmp.path())
        .arg(&episode)
        .arg("--transcript")
        .arg(fixture("dev-interview.transcript.json"))
        .assert()
        .success();
    let dir = tmp.path().join("dev/dev-interview.clipper");
    let h: Highlights = read(&dir.join("highlights.json"));
    let md = std::fs::read_to_string(dir.join("review.md")).unwrap();
    for c in &h.clips {
        assert!(
            c.summary
                .ends_with(&format!("; {:.0} s.", c.duration().round())),
            "{}",
            c.summary
        );
        for jargon in ["dB", "%", "+", "cohesion", "energy"] {
            assert!(!c.summary.contains(jargon), "{jargon} in {:?}", c.summary);
        }
        assert!(
            md.contains(&format!("**Why this clip:** {}", c.summary)),
            "{md}"
        );
    }
}
