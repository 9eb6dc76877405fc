//! The episode's language: heard over the first chunks by the multilingual
//! model, every chunk then transcribed in it; English stays on the faster
//! English-only model; an English-only model is never handed another
//! language without a word.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::common::*;

/// The multilingual model the set-up installs (`clipper model install
/// base`). Fails loudly when absent.
fn base_model() -> PathBuf {
    require(
        repo().join("models/ggml-base-q8_0.bin"),
        "the multilingual Whisper model (clipper model install base)",
    )
}

/// A working folder whose `models/` holds both installed models, as after
/// the set-up.
fn with_both_models() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models");
    std::fs::create_dir_all(&models).unwrap();
    for m in [model_q8(), base_model()] {
        std::os::unix::fs::symlink(&m, models.join(m.file_name().unwrap())).unwrap();
    }
    tmp
}

fn reference_of(lang: &str, file: &str) -> String {
    let tsv =
        std::fs::read_to_string(repo().join(format!("samples/languages/{lang}/transcription.tsv")))
            .unwrap();
    tsv.lines()
        .find_map(|l| l.strip_prefix(&format!("{file}\t")))
        .unwrap_or_else(|| panic!("no reference for {file}"))
        .to_string()
}

fn transcript(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("transcript.json")).unwrap()).unwrap()
}

#[test]
fn spanish_and_german_are_heard_and_transcribed_in_their_own_language() {
    let tmp = with_both_models();
    for (lang, file, max_wer) in [
        ("es", "fleurs-es-001.ogg", 0.25),
        ("de", "fleurs-de-009.ogg", 0.25),
    ] {
        let out = tmp.path().join(lang);
        clipper(tmp.path())
            .arg("transcribe")
            .arg(repo().join(format!("samples/languages/{lang}/{file}")))
            .arg("-o")
            .arg(&out)
            .assert()
            .success()
            .stderr(predicate::str::contains(format!("({lang}, ")));
        let t = transcript(&out);
        assert_eq!(t["language"], lang, "{file}");
        assert!(t["language_probability"].as_f64().unwrap() > 0.8, "{file}");
        assert!(t["model"].as_str().unwrap().contains("base"), "{file}");
        let text: String = t["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap().to_string() + " ")
            .collect();
        let wer = clipper::eval::wer(&reference_of(lang, file), &text);
        assert!(wer <= max_wer, "{file}: WER {wer:.3} on {text:?}");
    }
}

#[test]
fn an_english_episode_is_heard_as_english_and_stays_on_the_english_only_model() {
    let tmp = with_both_models();
    let out = tmp.path().join("jfk");
    clipper(tmp.path())
        .arg("transcribe")
        .arg(repo().join("samples/jfk.wav"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("English (en, "));
    let t = transcript(&out);
    assert_eq!(t["language"], "en");
    assert!(t["model"].as_str().unwrap().contains("tiny.en"));
    let wer = clipper::eval::wer(
        &std::fs::read_to_string(repo().join("samples/jfk.txt")).unwrap(),
        t["segments"][0]["text"].as_str().unwrap(),
    );
    assert!(wer < 0.6, "the first sentence at least: {wer}");
}

#[test]
fn an_english_only_model_is_not_given_another_language() {
    let tmp = tempfile::tempdir().unwrap();
    // named language, named English-only model: refused before any work
    clipper(tmp.path())
        .arg("transcribe")
        .arg(repo().join("samples/languages/es/fleurs-es-001.ogg"))
        .arg("--model")
        .arg(model_q8())
        .args(["--language", "es"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "Spanish needs a multilingual model",
        ))
        .stderr(predicate::str::contains("clipper model install base"));
    assert!(!repo()
        .join("samples/languages/es/fleurs-es-001.clipper")
        .exists());
    // auto with nothing that can listen for the language: said, not hidden
    let out = tmp.path().join("es");
    clipper(tmp.path())
        .arg("transcribe")
        .arg(repo().join("samples/languages/es/fleurs-es-001.ogg"))
        .arg("--model")
        .arg(model_q8())
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("English assumed and not checked"))
        .stderr(predicate::str::contains("clipper model install base"));
    // an unknown language is a usage error
    clipper(tmp.path())
        .args(["transcribe", "x.wav", "--language", "klingon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a language Whisper knows"));
}

#[test]
fn translate_writes_an_english_transcript_beside_a_spanish_one() {
    let tmp = with_both_models();
    let out = tmp.path().join("es");
    clipper(tmp.path())
        .arg("transcribe")
        .arg(repo().join("samples/languages/es/fleurs-es-002.ogg"))
        .arg("--translate")
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("English translation:"));
    // the original stays Spanish
    let t = transcript(&out);
    assert_eq!(t["language"], "es");
    assert!(t["segments"][0]["text"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("funeral"));
    let english: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("transcript.en.json")).unwrap())
            .unwrap();
    assert_eq!(english["language"], "en");
    assert_eq!(english["settings"]["task"], "translate");
    assert_eq!(english["settings"]["from_language"], "es");
    // "fue tanta la cantidad de gente que se concentró que no todos pudieron
    // acceder al funeral en la plaza de san pedro": so many people came
    // that not everyone could get into the funeral in St Peter's Square
    // (On an AVX2 machine the translation stops after the square: "It was
    // so much the amount of people who focused on the place of San Pedro."
    // The same weights, other rounding; both are English and on topic.)
    let text = std::fs::read_to_string(out.join("transcript.en.txt"))
        .unwrap()
        .to_lowercase();
    assert!(text.contains("people"), "{text:?}");
    assert!(
        ["funeral", "pedro", "peter"]
            .iter()
            .any(|w| text.contains(w)),
        "{text:?}"
    );
    assert!(
        !text.contains("gente") && !text.contains("todos"),
        "{text:?}"
    );
    for file in ["transcript.en.srt", "transcript.en.vtt"] {
        assert!(out.join(file).is_file(), "{file}");
    }
    // an English episode: nothing to translate, said, and no English twin
    let out = tmp.path().join("jfk");
    clipper(tmp.path())
        .arg("transcribe")
        .arg(repo().join("samples/jfk.wav"))
        .arg("--translate")
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the episode is in English: nothing to translate",
        ));
    assert!(!out.join("transcript.en.json").exists());
}

/// Short recordings one after another (four Spanish sentences with 3 s of
/// silence between them, as a slow speaker or a set of voice notes): when
/// the multilingual model encodes a whole 30 s window whatever the chunk
/// (in a language it was not measured short in, or with `--full-context`
/// as here), it hears several of them in one window, and still every
/// sentence is transcribed, at its own time. Without the flag, Spanish is
/// encoded chunk by chunk, each for as long as it is, and every sentence
/// is there too.
#[test]
fn short_spanish_chunks_share_a_window_and_no_sentence_is_lost() {
    let tmp = with_both_models();
    let files = [
        "fleurs-es-003.ogg",
        "fleurs-es-004.ogg",
        "fleurs-es-005.ogg",
        "fleurs-es-006.ogg",
    ];
    let mut joined: Vec<f32> = Vec::new();
    let mut spans = Vec::new();
    for f in files {
        let samples = ffmpeg_decode(&repo().join(format!("samples/languages/es/{f}")), 16_000);
        let start = joined.len() as f64 / 16_000.0;
        joined.extend(&samples);
        spans.push((f, start, joined.len() as f64 / 16_000.0));
        joined.extend(std::iter::repeat_n(0.0f32, 3 * 16_000));
    }
    let wav = tmp.path().join("voice-notes.wav");
    write_wav(&wav, &joined);
    for whole in [true, false] {
        let out = tmp.path().join(format!("out-{whole}"));
        let mut cmd = clipper(tmp.path());
        cmd.arg("transcribe").arg(&wav).arg("-o").arg(&out);
        if whole {
            cmd.arg("--full-context");
        }
        cmd.assert().success();
        let t = transcript(&out);
        assert_eq!(t["language"], "es");
        let chunks = t["settings"]["chunks"].as_u64().unwrap();
        let pieces = t["timings"]["chunks"].as_array().unwrap().len() as u64;
        if whole {
            // Fewer decodes than chunks: some shared a window.
            assert!(pieces < chunks, "{pieces} pieces for {chunks} chunks");
            assert_eq!(t["settings"]["encoder_window"], "30 s");
        } else {
            assert_eq!(pieces, chunks);
            assert_eq!(t["settings"]["encoder_window"], "chunk");
        }
        every_sentence_at_its_time(&t, &spans);
    }
}

/// Each of `spans`' sentences (file, start and end in seconds) is heard
/// where it was put, at a WER of at most 0.35.
fn every_sentence_at_its_time(t: &serde_json::Value, spans: &[(&str, f64, f64)]) {
    let words: Vec<(f64, String)> = t["segments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["words"].as_array().unwrap().clone())
        .map(|w| {
            (
                w["start"].as_f64().unwrap(),
                w["word"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (file, start, end) in spans {
        let heard: String = words
            .iter()
            .filter(|(t, _)| *t >= *start - 0.5 && *t <= *end + 0.5)
            .map(|(_, w)| w.as_str())
            .collect();
        let wer = clipper::eval::wer(&reference_of("es", file), &heard);
        assert!(
            wer <= 0.35,
            "{file} ({start:.1}-{end:.1} s): WER {wer:.3} on {heard:?}"
        );
    }
}
