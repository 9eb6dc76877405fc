//! The show notes of whole episodes, made by the real binary from saved
//! transcripts: chapters YouTube accepts (from the file's ID3 chapters or
//! from topics), `chapters.json` as Podcasting 2.0 reads it, and a summary
//! and quotes that are real sentences of the transcript, never filler.

use std::path::{Path, PathBuf};

use clipper::shownotes::ShowNotes;
use clipper::transcript::Transcript;
use serde_json::Value;

use crate::common::*;

/// `clipper EPISODE --transcript FIXTURE -o DIR`; returns DIR.
fn run(tmp: &Path, episode: &str, fixture_name: &str) -> PathBuf {
    let out = tmp.join("out.clipper");
    clipper(tmp)
        .arg(sample(episode))
        .arg("--transcript")
        .arg(fixture(fixture_name))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    out
}

/// `MM:SS`, `M:SS` or `H:MM:SS` in seconds; None for anything else.
fn stamp_seconds(stamp: &str) -> Option<u64> {
    let parts: Vec<&str> = stamp.split(':').collect();
    let ok = (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[1..].iter().all(|p| p.len() == 2 && p < &"60");
    ok.then(|| {
        parts
            .iter()
            .fold(0, |acc, p| acc * 60 + p.parse::<u64>().unwrap())
    })
}

/// The chapter lines of `shownotes.md` (the block under "## Chapters"), as
/// YouTube reads them: each `TIME TITLE`, the first at 00:00, at least
/// three, ascending and at least 10 s apart.
fn youtube_chapters(md: &str) -> Vec<(u64, String)> {
    let section = &md[md.find("## Chapters").expect("a Chapters section")..];
    let block = &section[section.find("```text\n").unwrap() + 8..];
    let block = &block[..block.find("```").unwrap()];
    let chapters: Vec<(u64, String)> = block
        .lines()
        .map(|l| {
            let (stamp, title) = l.split_once(' ').unwrap_or_else(|| panic!("{l:?}"));
            let at = stamp_seconds(stamp).unwrap_or_else(|| panic!("not a time: {l:?}"));
            assert!(!title.trim().is_empty(), "{l:?}");
            (at, title.to_string())
        })
        .collect();
    assert!(chapters.len() >= 3, "{chapters:?}");
    assert_eq!(chapters[0].0, 0, "the first chapter starts at 00:00");
    assert!(block.starts_with("00:00 "), "{block}");
    for w in chapters.windows(2) {
        assert!(w[1].0 >= w[0].0 + 10, "10 s apart, ascending: {chapters:?}");
    }
    chapters
}

/// `chapters.json` as Podcasting 2.0 JSON chapters, checked against the
/// Markdown's chapters.
fn check_json_chapters(dir: &Path, md_chapters: &[(u64, String)]) {
    let j: Value = read(&dir.join("chapters.json"));
    assert_eq!(j["version"], "1.2.0");
    let chapters = j["chapters"].as_array().expect("a chapters array");
    assert_eq!(chapters.len(), md_chapters.len());
    let mut last = -1.0;
    for (c, (at, title)) in chapters.iter().zip(md_chapters) {
        let start = c["startTime"].as_f64().expect("startTime is a number");
        assert!(start > last, "ascending");
        last = start;
        assert_eq!(start.floor() as u64, *at, "{c}");
        assert_eq!(c["title"].as_str(), Some(title.trim()));
        if let Some(end) = c.get("endTime") {
            assert!(end.as_f64().unwrap() > start);
        }
    }
}

/// The transcript's words as one text, whitespace collapsed.
fn transcript_text(fixture_name: &str) -> String {
    let t: Transcript = read(&fixture(fixture_name));
    let words: String = t.words().map(|w| w.word.as_str()).collect();
    collapse(&words)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Summary and quotes: real sentences of the transcript, in range.
fn check_extracts(n: &ShowNotes, text: &str) {
    assert!(
        (2..=3).contains(&n.summary_sentences.len()),
        "{:?}",
        n.summary_sentences
    );
    let joined: Vec<&str> = n
        .summary_sentences
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(n.summary, joined.join(" "));
    assert!((5..=10).contains(&n.quotes.len()), "{:?}", n.quotes);
    for l in n.summary_sentences.iter().chain(&n.quotes) {
        assert!(
            text.contains(&collapse(&l.text)),
            "not in the transcript: {l:?}"
        );
        assert!(
            l.start >= 0.0 && l.end <= n.duration + 0.5 && l.start < l.end,
            "{l:?}"
        );
        assert_eq!(l.time, clipper::util::time::clock(l.start));
        assert!(!l.text.trim_end().ends_with('?'), "a question: {l:?}");
    }
    let mut texts: Vec<&str> = n.quotes.iter().map(|q| q.text.as_str()).collect();
    texts.dedup();
    assert_eq!(texts.len(), n.quotes.len(), "distinct quotes");
}

/// The review files show the show notes above the clips.
fn check_review_files(dir: &Path, n: &ShowNotes) {
    let md = std::fs::read_to_string(dir.join("review.md")).unwrap();
    let notes = md.find("## Show notes").expect("show notes in review.md");
    assert!(notes < md.find("## 1.").unwrap());
    let html = std::fs::read_to_string(dir.join("review.html")).unwrap();
    assert!(html.contains(r#"id="show-notes""#));
    assert!(html.contains("\"shownotes\":{"));
    assert!(html.contains(&n.chapters[1].title.replace('&', "\\u0026")));
}

#[test]
fn demo_episode_chapters_are_its_id3_chapters() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run(
        tmp.path(),
        "demo-episode.mp3",
        "demo-episode.transcript.json",
    );
    let md = std::fs::read_to_string(dir.join("shownotes.md")).unwrap();
    let chapters = youtube_chapters(&md);
    let id3: Vec<Value> = read(&sample("demo-episode-chapters.json"));
    assert_eq!(chapters.len(), id3.len(), "{md}");
    for ((at, title), c) in chapters.iter().zip(&id3) {
        let want = c["start"].as_f64().unwrap();
        assert!((*at as f64 - want).abs() <= 10.0, "{at} vs {want}");
        assert_eq!(title, c["title"].as_str().unwrap());
    }
    check_json_chapters(&dir, &chapters);
    let n: ShowNotes = read(&dir.join("shownotes.json"));
    assert_eq!(n.chapters_from, clipper::shownotes::ChapterSource::Id3);
    check_extracts(&n, &transcript_text("demo-episode.transcript.json"));
    check_review_files(&dir, &n);
}

#[test]
fn dev_interview_chapters_come_from_topics_and_quotes_skip_filler() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run(
        tmp.path(),
        "dev/dev-interview.mp3",
        "dev-interview.transcript.json",
    );
    let md = std::fs::read_to_string(dir.join("shownotes.md")).unwrap();
    let chapters = youtube_chapters(&md);
    check_json_chapters(&dir, &chapters);
    let n: ShowNotes = read(&dir.join("shownotes.json"));
    assert_eq!(n.chapters_from, clipper::shownotes::ChapterSource::Topics);
    check_extracts(&n, &transcript_text("dev-interview.transcript.json"));
    let labels: Value = read(&sample("dev/dev-interview.labels.json"));
    for f in labels["filler"].as_array().unwrap() {
        let (start, end) = (f["start"].as_f64().unwrap(), f["end"].as_f64().unwrap());
        for q in n.quotes.iter().chain(&n.summary_sentences) {
            assert!(
                q.end <= start || q.start >= end,
                "{q:?} is in the {} at {start}-{end}",
                f["kind"]
            );
        }
    }
    // The ads are chapters of their own, the episode ends on its outro.
    assert!(chapters.iter().any(|(_, t)| t == "Ad"), "{chapters:?}");
    assert_eq!(chapters.last().unwrap().1, "Outro");
    check_review_files(&dir, &n);
}
