//! `clipper transcribe`: real speech through the real model.

use predicates::prelude::*;

use crate::common::*;

fn transcribe_json(file: &str) -> clipper::transcript::Transcript {
    let tmp = tempfile::tempdir().unwrap();
    let out = clipper(tmp.path())
        .args(["transcribe", "--json", "--model"])
        .arg(model())
        .arg(sample(file))
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn jfk_is_transcribed_with_capitals_and_punctuation() {
    let t = transcribe_json("jfk.wav");
    let text = t.text();
    assert!(wer(&reference("jfk.txt"), &text) <= 0.10, "{text}");
    assert!(text.starts_with("And so"), "{text}");
    assert!(
        text.chars().any(|c| c.is_uppercase()) && text.contains('.'),
        "{text}"
    );
    assert!((t.audio_duration - 11.0).abs() < 0.05);
}

#[test]
fn jfk_mp3_gives_the_same_words_as_the_wav() {
    let wav = transcribe_json("jfk.wav").text();
    let mp3 = transcribe_json("jfk.mp3").text();
    assert!(wer(&wav, &mp3) <= 0.05, "{wav} / {mp3}");
}

#[test]
fn sonnet_wer_within_15_percent() {
    for file in ["sonnet.wav", "sonnet.mp3"] {
        let t = transcribe_json(file);
        let w = wer(&reference("sonnet.txt"), &t.text());
        assert!(w <= 0.15, "{file}: WER {w:.3}: {}", t.text());
        // segments are in order and inside the audio
        assert!(t.segments.windows(2).all(|p| p[0].start <= p[1].start));
        assert!(t.segments.last().unwrap().end <= t.audio_duration + 0.5);
    }
}

#[test]
fn text_output_has_timestamps() {
    let tmp = tempfile::tempdir().unwrap();
    clipper(tmp.path())
        .args(["transcribe", "--model"])
        .arg(model())
        .arg(sample("jfk.wav"))
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"^\[00:00\.\d{3} --> 00:0\d\.\d{3}\]  And so").unwrap());
}

#[test]
fn non_audio_input_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("notes.mp3");
    std::fs::write(&bad, "this is not audio at all, just text").unwrap();
    let empty = tmp.path().join("empty.wav");
    std::fs::write(&empty, "").unwrap();
    for (file, msg) in [(&bad, "not an audio file"), (&empty, "empty (0 bytes)")] {
        clipper(tmp.path())
            .args(["transcribe", "--model"])
            .arg(model())
            .arg(file)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(msg))
            .stderr(predicate::str::contains(
                file.file_name().unwrap().to_str().unwrap(),
            ));
    }
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    // `clipper transcribe FILE | head -0`: the reader is gone before the
    // first line is written.
    let tmp = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clipper"))
        .current_dir(tmp.path())
        .args(["transcribe", "--model"])
        .arg(model())
        .arg(sample("jfk.wav"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("Broken pipe") && !stderr.contains("error"),
        "{stderr}"
    );
}

#[test]
fn a_short_last_chunk_is_heard_to_its_end() {
    // The two-reader conversation is planned as a 29.5 s chunk and a 17.9 s
    // one. Padded to a 30 s window, the second chunk came out without its
    // last 14 s (Whisper ended the text early); encoded for as long as it
    // is, every line is there.
    let t = transcribe_json("conversation/two-readers.wav");
    let text = t.text();
    assert!(text.contains("famine where abundance lies"), "{text}");
    assert!(text.contains("herald to the"), "{text}");
    assert!(t.segments.last().unwrap().end > 45.0, "{text}");
}
