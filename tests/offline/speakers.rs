//! Who is speaking, downstream of diarization: names in the subtitles,
//! clips kept to one speaker's answer or a whole exchange, and the key
//! quotes attributed, from transcripts that carry speakers (the saved
//! interview with its host's and guest's turns marked, and hand-built
//! ones). No model is needed.

use std::path::Path;

use clipper::transcript::{Speaker, Transcript};

use crate::common::*;

/// The interview's turns: the host until 25.2 s, the guest answering
/// until the ad at 54.4 s, the host (ad, question) until 82.4 s, then the
/// guest.
fn interview_speaker(t: f64) -> &'static str {
    if t < 25.0 || (54.0..82.0).contains(&t) {
        "S1"
    } else {
        "S2"
    }
}

/// The saved interview transcript with its speakers marked, recorded as
/// diarized with the default settings (so a run keeps them).
fn interview_with_speakers(dir: &Path) -> std::path::PathBuf {
    let mut t: Transcript = read(&fixture("dev-interview.transcript.json"));
    for seg in &mut t.segments {
        let s = interview_speaker(seg.start);
        seg.speaker = Some(s.into());
        seg.words
            .iter_mut()
            .for_each(|w| w.speaker = Some(s.into()));
    }
    t.speakers = ["S1", "S2"]
        .iter()
        .map(|id| Speaker {
            id: id.to_string(),
            name: None,
            seconds: 100.0,
            voice: Vec::new(),
        })
        .collect();
    let options = clipper::speakers::Options::default();
    t.settings["speakers"] = clipper::speakers::settings_of(&options);
    let path = dir.join("interview.transcript.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&t).unwrap()).unwrap();
    path
}

/// Runs the interview from its transcript with speakers, with `toml` as
/// its clipper.toml; returns its output folder.
fn run_interview(tmp: &Path, toml: &str, extra: &[&str]) -> std::path::PathBuf {
    let ep = tmp.join("dev-interview.mp3");
    std::fs::copy(sample("dev/dev-interview.mp3"), &ep).unwrap();
    std::fs::write(tmp.join("clipper.toml"), toml).unwrap();
    let transcript = interview_with_speakers(tmp);
    clipper(tmp)
        .arg(&ep)
        .arg("--transcript")
        .arg(&transcript)
        .args(extra)
        .assert()
        .success();
    tmp.join("dev-interview.clipper")
}

const NAMED: &str = "[speakers]\nS1 = \"Sam Rivera (host)\"\nS2 = \"Dana Whitfield\"\n";

#[test]
fn subtitles_name_the_speaker_where_it_changes_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run_interview(tmp.path(), NAMED, &["--subtitle-speakers"]);
    let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
    let vtt = std::fs::read_to_string(dir.join("transcript.vtt")).unwrap();
    let txt = std::fs::read_to_string(dir.join("transcript.txt")).unwrap();
    // SRT: the name opens the first cue of each turn, and only that one
    assert!(
        srt.contains("\nSam Rivera (host): Welcome to Signal"),
        "{srt}"
    );
    assert!(srt.contains("\nDana Whitfield: Most founders"), "{srt}");
    assert_eq!(srt.matches("Dana Whitfield: ").count(), 2, "{srt}");
    assert!(!srt.contains("S1") && !srt.contains("S2"));
    // VTT: every cue is a voice span
    assert!(vtt.contains("<v Dana Whitfield>Most founders"), "{vtt}");
    assert!(vtt.contains("<v Sam Rivera (host)>Welcome"), "{vtt}");
    let cues = vtt.split("\n\n").filter(|c| c.contains(" --> ")).count();
    assert_eq!(vtt.matches("<v ").count(), cues);
    // no cue holds two speakers: the guest's answer starts a cue
    let answer = vtt.find("Most founders").unwrap();
    assert!(vtt[..answer].ends_with("<v Dana Whitfield>"));
    assert!(txt.contains("] Dana Whitfield: Most founders"), "{txt}");

    // off by default; unnamed speakers show their ids
    let tmp = tempfile::tempdir().unwrap();
    let dir = run_interview(tmp.path(), "", &[]);
    let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
    assert!(!srt.contains("S1:") && !srt.contains("Sam Rivera (host):"));
    let dir = run_interview(tmp.path(), "[speakers]\nin_subtitles = true\n", &[]);
    let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
    assert!(srt.contains("\nS1: Welcome to Signal"), "{srt}");
    assert!(srt.contains("\nS2: Most founders"), "{srt}");
}
