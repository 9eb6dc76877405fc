//! The transcription engine on real audio: outputs, long audio with silence
//! and music, timing, parallelism, and bad input.

use predicates::prelude::*;

use crate::common::*;

#[test]
fn writes_json_srt_vtt_txt_with_word_times_into_stem_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("jfk.mp3");
    std::fs::copy(sample("jfk.mp3"), &input).unwrap();
    clipper(tmp.path())
        .args(["transcribe", "--model"])
        .arg(model())
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::is_match(r"0:11 of audio in \d+:\d\d \(\d+\.\d× real time\), 0:\d\d speech, \d+ jobs? × 1 thread").unwrap());
    let dir = tmp.path().join("jfk.clipper");
    let t: clipper::transcript::Transcript =
        serde_json::from_slice(&std::fs::read(dir.join("transcript.json")).unwrap()).unwrap();
    assert!(
        wer(&reference("jfk.txt"), &t.text()) <= 0.10,
        "{}",
        t.text()
    );
    let words: Vec<_> = t.words().collect();
    assert!(words.len() >= 20);
    for w in &words {
        assert!(
            w.start <= w.end && w.end <= t.audio_duration + 0.01,
            "{w:?}"
        );
        assert!((0.0..=1.0).contains(&w.probability));
    }
    assert!(words.windows(2).all(|p| p[0].start <= p[1].start));
    // "country" ends the speech near 10 s
    let last = words.last().unwrap();
    assert!(
        last.word.contains("country") && (last.end - 10.3).abs() < 1.0,
        "{last:?}"
    );
    assert!(t.speech_duration > 5.0 && t.speech_duration < 11.0);
    assert_eq!(t.settings["threads"], 1);

    let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
    assert!(srt.starts_with("1\n00:00:0"), "{srt}");
    let vtt = std::fs::read_to_string(dir.join("transcript.vtt")).unwrap();
    assert!(vtt.starts_with("WEBVTT\n\n00:00:"));
    for text in [&srt, &vtt] {
        for cue in text.split("\n\n").filter(|c| c.contains("-->")) {
            let lines: Vec<&str> = cue
                .lines()
                .skip_while(|l| !l.contains("-->"))
                .skip(1)
                .collect();
            assert!(!lines.is_empty() && lines.len() <= 2, "{cue}");
            assert!(lines.iter().all(|l| l.chars().count() <= 42), "{cue}");
        }
    }
    let txt = std::fs::read_to_string(dir.join("transcript.txt")).unwrap();
    assert!(txt.contains("ask not what your country"), "{txt}");
}

#[test]
fn jobs_1_and_jobs_2_give_identical_text() {
    // The demo episode has a chunk (about 1:40) whose greedy decode loops and
    // is retried with sampling: the retry must not depend on which chunks a
    // worker decoded before.
    let tmp = tempfile::tempdir().unwrap();
    let one = transcribe_into(tmp.path(), &sample("demo-episode.mp3"), &["--jobs", "1"]).0;
    let dir2 = tempfile::tempdir().unwrap();
    let two = transcribe_into(dir2.path(), &sample("demo-episode.mp3"), &["--jobs", "2"]).0;
    assert!(one.settings["chunks"].as_u64().unwrap() >= 2);
    let texts = |t: &clipper::transcript::Transcript| {
        t.segments
            .iter()
            .map(|s| s.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(texts(&one), texts(&two));

    // Scaling that cannot silently regress: from the instants each chunk was
    // decoded, the two workers of the --jobs 2 run really worked at the same
    // time (not a timing test: it holds on a loaded machine too, where the
    // workers are time-sliced but still both under way).
    let chunks = &two.timings.chunks;
    assert_eq!(
        chunks.len() as u64,
        two.settings["chunks"].as_u64().unwrap()
    );
    let workers: std::collections::BTreeSet<usize> = chunks.iter().map(|c| c.worker).collect();
    assert_eq!(workers.len(), 2, "both workers decoded chunks: {chunks:?}");
    assert!(
        two.timings.workers_overlapped(),
        "no two chunks overlapped: {chunks:?}"
    );
    // ... and the one-job run was sequential: one worker, no overlap.
    assert!(one.timings.chunks.iter().all(|c| c.worker == 0));
    assert!(!one.timings.workers_overlapped());
    // The retried chunk says so.
    assert!(
        one.timings.chunks.iter().any(|c| c.attempts > 1),
        "{:?}",
        one.timings.chunks
    );
}

/// Reads samples/sonnet.csv: (start seconds, text) per line, skipping "1".
fn sonnet_lines() -> Vec<(f64, String)> {
    reference("sonnet.csv")
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(4, ',');
            let _id = parts.next()?;
            let start: f64 = parts.next()?.parse().ok()?;
            let _end = parts.next()?;
            let text = parts.next()?.trim_matches('"').to_string();
            (text != "1").then_some((start, text))
        })
        .collect()
}

/// Checks the sonnet's line starts against the reference, for a copy placed
/// at `offset` seconds; returns how many lines were found.
///
/// The reference (an aeneas alignment) puts each line boundary somewhere in
/// the pause between lines, sometimes at its start. A line's first word must
/// start within 0.5 s of the reference time, or, where the reference time
/// falls inside a detected pause, within 0.5 s of that pause's end (any
/// point of the pause is the same boundary).
fn check_sonnet_lines(t: &clipper::transcript::Transcript, offset: f64) -> usize {
    let words: Vec<_> = t.words().collect();
    let boundary = |expected: f64| {
        t.pauses
            .iter()
            .find(|p| p.start <= expected && expected <= p.end)
            .map_or(expected, |p| p.end)
    };
    let mut found = 0;
    for (start, text) in sonnet_lines() {
        let first = clipper::eval::normalize_words(&text)[0].clone();
        let expected = start + offset;
        // The word that opens the line, or that begins with it: Whisper may
        // join "Thy self" into "thyself". The nearest such word, so that a
        // joined opening does not match the line's second "thy".
        let hit = words
            .iter()
            .filter(|w| {
                (w.start - expected).abs() < 2.0
                    && clipper::eval::normalize_words(&w.word)
                        .first()
                        .is_some_and(|n| n.starts_with(first.as_str()))
            })
            .min_by(|a, b| {
                (a.start - expected)
                    .abs()
                    .total_cmp(&(b.start - expected).abs())
            });
        if let Some(w) = hit {
            found += 1;
            assert!(
                (w.start - expected).abs() <= 0.5 || (w.start - boundary(expected)).abs() <= 0.5,
                "line {text:?} starts at {:.2}, reference {expected:.2} (pause ends {:.2})",
                w.start,
                boundary(expected)
            );
        }
    }
    found
}

#[test]
fn sonnet_lines_start_within_half_a_second_of_the_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let t = transcribe_into(tmp.path(), &sample("sonnet.wav"), &[]).0;
    let found = check_sonnet_lines(&t, 0.0);
    assert!(found >= 11, "only {found} of 14 line starts recognised");
}

/// Five minutes of real speech with a 60 s silence and music inside: no
/// loops, nothing in the silence or the music, line timings kept.
#[test]
fn long_mix_with_silence_and_music_stays_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let sonnet = load("sonnet.wav");
    let music = load("music-then-speech.mp3"); // music 0-22.5 s, noise 29-56 s, speech 63-74.5 s
    let mut mix = Vec::new();
    let mut marks = Vec::new();
    let mut add = |mix: &mut Vec<f32>, name: &str, s: &[f32]| {
        marks.push((name.to_string(), mix.len() as f64 / 16_000.0));
        mix.extend_from_slice(s);
    };
    add(&mut mix, "sonnet", &sonnet);
    add(&mut mix, "silence", &vec![0.0; 16_000 * 60]);
    add(&mut mix, "meeting", &load("meeting.wav"));
    add(&mut mix, "music", &music[..16_000 * 23]);
    add(&mut mix, "jfk", &load("jfk.wav"));
    add(&mut mix, "dev00", &load("meeting-dev00.wav"));
    add(&mut mix, "sonnet2", &sonnet);
    add(&mut mix, "music-then-speech", &music);
    let at = |name: &str| marks.iter().find(|m| m.0 == name).unwrap().1;
    let path = tmp.path().join("long-mix.wav");
    write_wav(&path, &mix);
    let t = transcribe_into(tmp.path(), &path, &[]).0;
    assert!(t.audio_duration >= 300.0, "{}", t.audio_duration);

    // no repetition loop, and none had to be cut out
    let words: Vec<&str> = t.words().map(|w| w.word.as_str()).collect();
    assert_eq!(clipper::transcribe::guard::find_loop(&words), None);
    assert!(
        t.warnings.iter().all(|w| !w.contains("repeated")),
        "{:?}",
        t.warnings
    );
    // the silence is skipped and holds no words
    let (s0, s1) = (at("silence") + 0.5, at("meeting") - 0.5);
    assert!(
        t.skipped.iter().any(|s| s.start <= s0 && s.end >= s1),
        "{:?}",
        t.skipped
    );
    let in_silence: Vec<_> = t.words().filter(|w| w.end > s0 && w.start < s1).collect();
    assert!(in_silence.is_empty(), "{in_silence:?}");
    // no word begins in the music stretches
    for (m0, m1) in [
        (at("music") + 0.5, at("jfk") - 0.5),
        (
            at("music-then-speech") + 0.5,
            at("music-then-speech") + 22.0,
        ),
    ] {
        let in_music: Vec<_> = t.words().filter(|w| w.start > m0 && w.start < m1).collect();
        assert!(
            in_music.is_empty(),
            "words in music {m0}-{m1}: {in_music:?}"
        );
    }
    // both readings keep their line timings
    for name in ["sonnet", "sonnet2"] {
        let found = check_sonnet_lines(&t, at(name));
        assert!(found >= 11, "{name}: only {found} line starts recognised");
    }
    // jfk inside the mix is still word-perfect enough
    let jfk_text: Vec<&str> = t
        .words()
        .filter(|w| w.start >= at("jfk") - 0.3 && w.end <= at("dev00") + 0.3)
        .map(|w| w.word.as_str())
        .collect();
    assert!(
        wer(&reference("jfk.txt"), &jfk_text.concat()) <= 0.10,
        "{}",
        jfk_text.concat()
    );
}

fn fails_with(tmp: &std::path::Path, file: &std::path::Path, message: &str) {
    let out = tmp.join("out");
    clipper(tmp)
        .args(["transcribe", "--model"])
        .arg(model())
        .arg(file)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(message))
        .stderr(predicate::str::contains(
            file.file_name().unwrap().to_str().unwrap(),
        ))
        .stderr(predicate::str::contains("panicked").not());
    assert!(!out.exists(), "output written for a failed file");
}

#[test]
fn bad_input_gets_a_clear_error_and_no_output() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n);
    std::fs::write(p("empty.mp3"), b"").unwrap();
    fails_with(tmp.path(), &p("empty.mp3"), "empty (0 bytes)");
    std::fs::write(p("notes.mp3"), "just some text, not audio\n".repeat(50)).unwrap();
    fails_with(tmp.path(), &p("notes.mp3"), "not an audio file");
    let random: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(p("random.wav"), &random).unwrap();
    fails_with(tmp.path(), &p("random.wav"), "random.wav");
    write_wav(&p("silent.wav"), &vec![0.0; 16_000 * 20]);
    fails_with(
        tmp.path(),
        &p("silent.wav"),
        "no speech found: the audio holds only silence, music or noise",
    );
    fails_with(tmp.path(), &p("missing.mp3"), "no such file");
    // a WAV header with no samples
    write_wav(&p("header-only.wav"), &[]);
    fails_with(tmp.path(), &p("header-only.wav"), "header-only.wav");
}

#[test]
fn truncated_and_bit_flipped_files_transcribe_what_they_can() {
    let tmp = tempfile::tempdir().unwrap();
    let mp3 = std::fs::read(sample("sonnet.mp3")).unwrap();
    let cut = tmp.path().join("cut.mp3");
    std::fs::write(&cut, &mp3[..mp3.len() / 2]).unwrap();
    let (t, _) = transcribe_into(tmp.path(), &cut, &[]);
    assert!(
        t.audio_duration > 20.0 && t.audio_duration < 33.0,
        "{}",
        t.audio_duration
    );
    assert!(t.text().contains("fairest creatures"), "{}", t.text());

    let mut flipped = mp3.clone();
    for i in (20_000..flipped.len()).step_by(9_973) {
        flipped[i] ^= 0x5a;
    }
    let bad = tmp.path().join("flipped.mp3");
    std::fs::write(&bad, &flipped).unwrap();
    let (t, _) = transcribe_into(tmp.path(), &bad, &[]);
    assert!(
        (t.audio_duration - 53.3).abs() < 1.0,
        "{}",
        t.audio_duration
    );
    assert!(
        wer(&reference("sonnet.txt"), &t.text()) < 0.5,
        "{}",
        t.text()
    );
}

#[test]
fn baseline_mode_runs_whisper_cli_defaults() {
    let tmp = tempfile::tempdir().unwrap();
    let (t, _) = transcribe_into(tmp.path(), &sample("jfk.wav"), &["--baseline-whisper-cli"]);
    assert_eq!(t.settings["mode"], "baseline-whisper-cli");
    assert_eq!(t.settings["beam"], 5);
    assert!(
        wer(&reference("jfk.txt"), &t.text()) <= 0.10,
        "{}",
        t.text()
    );
}
