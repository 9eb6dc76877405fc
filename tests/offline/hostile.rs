//! Nothing hangs, nothing is lost: hostile folders and files, odd names,
//! strict answers and settings, spreadsheet formulas, and runs that meet
//! each other or die, each made on the spot (no large files in git) and
//! run without the model from saved transcripts. Interleavings are forced
//! with `CLIPPER_HOLD_BEFORE_SWAP` (a run about to swap its folder in waits
//! for a trigger file to go), never guessed with sleeps.

use std::io::{BufRead, BufReader};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clipper::season::find_episodes;
use predicates::prelude::*;
use serde_json::Value;

use crate::common::*;

fn copy_to(dir: &Path, sample_name: &str, as_name: &std::ffi::OsStr) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let to = dir.join(as_name);
    std::fs::copy(sample(sample_name), &to).unwrap();
    to
}

/// `clipper FILE --transcript FIXTURE [extra]` from `cwd`.
fn from_fixture(cwd: &Path, ep: &Path, fixture_name: &str) -> assert_cmd::Command {
    let mut cmd = clipper(cwd);
    cmd.arg(ep).arg("--transcript").arg(fixture(fixture_name));
    cmd
}

/// A 16-bit mono WAV header claiming `rate` Hz, then `data`.
fn wav_claiming(rate: u32, data: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&rate.wrapping_mul(2).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&(data.len() as u32).to_le_bytes());
    b.extend_from_slice(data);
    b
}

#[test]
fn the_walk_never_follows_folder_links_pipes_or_devices() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("season");
    copy_to(&season, "jfk.wav", "a.wav".as_ref());
    let outside = copy_to(tmp.path(), "jfk.wav", "outside.wav".as_ref());
    std::os::unix::fs::symlink(".", season.join("again")).unwrap(); // a loop
    std::os::unix::fs::symlink(tmp.path(), season.join("up")).unwrap(); // out of the season
    std::os::unix::fs::symlink("/dev/zero", season.join("zero.wav")).unwrap();
    std::os::unix::fs::symlink(&outside, season.join("outside-link.wav")).unwrap();
    std::os::unix::fs::symlink("a.wav", season.join("b-link.wav")).unwrap(); // a.wav again
    let fifo = season.join("notes.mp3");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let (tx, rx) = std::sync::mpsc::channel();
    let s = season.clone();
    std::thread::spawn(move || tx.send(find_episodes(&[s])).unwrap());
    let found = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the walk hung");
    assert_eq!(found, [season.join("a.wav")]);
}

#[test]
fn impossible_headers_are_refused_before_anything_is_allocated() {
    let tmp = tempfile::tempdir().unwrap();
    for (rate, name) in [(0xFFFF_FFFF_u32, "huge.wav"), (1, "one-hertz.wav")] {
        let path = tmp.path().join(name);
        std::fs::write(&path, wav_claiming(rate, &[0u8; 352_000])).unwrap();
        let err = clipper::audio::load_16k(&path).unwrap_err().to_string();
        assert!(err.contains(&format!("says {rate} Hz")), "{err}");
    }
}

#[test]
fn samples_that_are_not_numbers_are_repaired_and_said() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("nan.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    for (i, s) in load("jfk.wav").iter().enumerate() {
        let bad = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY][i % 3];
        w.write_sample(if i % 1000 == 7 { bad } else { *s })
            .unwrap();
    }
    w.finalize().unwrap();
    let mut all_finite = true;
    let info = clipper::audio::decode::decode_mono(&path, &mut |_| Ok(()), &mut |b| {
        all_finite &= b.iter().all(|x| x.is_finite())
    })
    .unwrap();
    assert!(all_finite);
    assert_eq!(info.repaired_samples, 176);
}

#[test]
fn odd_names_work_alone_and_json_says_them() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("season");
    let weird = std::ffi::OsStr::from_bytes(b"caf\xe9 \\ back\nslash.mp3");
    let ep = copy_to(&season, "sonnet.mp3", weird);
    let out = from_fixture(tmp.path(), &ep, "sonnet.transcript.json")
        .arg("--json")
        .assert()
        .success();
    let line: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(line["status"], "done");
    assert!(line["input"]
        .as_str()
        .unwrap()
        .contains("caf\u{fffd} \\ back\nslash.mp3"));
    clipper(tmp.path())
        .args(["season", "index"])
        .arg(&season)
        .assert()
        .success();
    let html = std::fs::read_to_string(season.join("season.html")).unwrap();
    assert!(
        html.contains("href=\"caf%E9%20%5C%20back%0Aslash.clipper/review.html\""),
        "{html}"
    );
    // a 246-byte stem: its hidden staging and record names stay in bounds
    let long = format!("{}.mp3", "x".repeat(246));
    let ep = copy_to(&season, "sonnet.mp3", long.as_ref());
    from_fixture(tmp.path(), &ep, "sonnet.transcript.json")
        .assert()
        .success();
    assert!(season
        .join(format!("{}.clipper/run.json", "x".repeat(246)))
        .is_file());
}

/// The sonnet done from its transcript in `dir`; returns its output folder.
fn sonnet_done(dir: &Path) -> (PathBuf, PathBuf) {
    let ep = copy_to(dir, "sonnet.mp3", "sonnet.mp3".as_ref());
    from_fixture(dir, &ep, "sonnet.transcript.json")
        .assert()
        .success();
    (ep, dir.join("sonnet.clipper"))
}

#[test]
fn answers_and_settings_are_checked_and_nothing_changes_on_a_wrong_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (ep, dir) = sonnet_done(tmp.path());
    let h: clipper::bundle::Highlights = read(&dir.join("highlights.json"));
    let id = &h.clips[0].id;
    let before = std::fs::read(dir.join("decisions.json")).unwrap();
    let answer = tmp.path().join("answer.json");
    for (entry, message) in [
        (
            serde_json::json!({"status": "Approved"}),
            format!("clips.\"{id}\".status: \"Approved\" is not one of"),
        ),
        (
            serde_json::json!({"comment": "ok"}),
            format!("clips.\"{id}\".status is missing"),
        ),
        (
            serde_json::json!({"status": "approved", "comment": 5}),
            format!("clips.\"{id}\".comment: expected text"),
        ),
        (
            serde_json::json!({"status": "approved", "drafts": {"x": 1}}),
            format!("clips.\"{id}\".drafts.x: expected text"),
        ),
    ] {
        std::fs::write(
            &answer,
            serde_json::json!({"clips": {id.clone(): entry}}).to_string(),
        )
        .unwrap();
        clipper(tmp.path())
            .args(["review", "apply"])
            .arg(&dir)
            .arg(&answer)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message).and(predicate::str::contains("answer.json")));
        assert_eq!(std::fs::read(dir.join("decisions.json")).unwrap(), before);
    }
    // a mistyped folder is not created
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(tmp.path().join("sonet.clipper"))
        .arg(&answer)
        .assert()
        .code(2);
    assert!(!tmp.path().join("sonet.clipper").exists());
    // an unknown clipper.toml key is named
    std::fs::write(
        tmp.path().join("clipper.toml"),
        "show_name = \"S\"\nhashtagz = [\"a\"]\n",
    )
    .unwrap();
    from_fixture(tmp.path(), &ep, "sonnet.transcript.json")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown field `hashtagz`"));
}

#[test]
fn untouched_drafts_follow_the_settings_and_formulas_stay_text() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("clipper.toml"),
        "cta = \"Listen at example.com/one\"\n",
    )
    .unwrap();
    let (ep, dir) = sonnet_done(tmp.path());
    let h: clipper::bundle::Highlights = read(&dir.join("highlights.json"));
    let c = &h.clips[0];
    // The client approves, sending every draft back, and edits X's into a formula.
    let mut drafts: serde_json::Map<String, Value> = c
        .drafts
        .iter()
        .map(|d| (d.key(), Value::from(d.text.clone())))
        .collect();
    drafts.insert("x".into(), "=HYPERLINK(\"http://evil\")".into());
    let answer = tmp.path().join("answer.json");
    let body =
        serde_json::json!({"clips": {c.id.clone(): {"status": "approved", "drafts": drafts}}});
    std::fs::write(&answer, body.to_string()).unwrap();
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&answer)
        .assert()
        .success();
    let d: Value = read(&dir.join("decisions.json"));
    let stored = d["clips"][&c.id]["drafts"].as_object().unwrap();
    assert_eq!(
        stored.keys().collect::<Vec<_>>(),
        ["x"],
        "only the edit is stored"
    );
    // The call to action changes; the untouched drafts follow it.
    std::fs::write(
        tmp.path().join("clipper.toml"),
        "cta = \"Listen at example.com/two\"\n",
    )
    .unwrap();
    from_fixture(tmp.path(), &ep, "sonnet.transcript.json")
        .assert()
        .success();
    // The approval was made on the old call to action: the changed posts
    // wait for a new look; the edited X post goes out as approved.
    clipper(tmp.path())
        .arg("export")
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("changed since"));
    let csv = std::fs::read_to_string(dir.join("publish.csv")).unwrap();
    assert!(
        !csv.contains("example.com/one") && !csv.contains("example.com/two"),
        "{csv}"
    );
    // Approved again (from a sheet of the new run, which sends back the
    // new texts), they go out with the new one.
    let again = serde_json::json!({"clips": {c.id.clone(): {"status": "approved",
        "drafts": {"x": "=HYPERLINK(\"http://evil\")"}}}});
    std::fs::write(&answer, again.to_string()).unwrap();
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&answer)
        .assert()
        .success();
    clipper(tmp.path())
        .arg("export")
        .arg(&dir)
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.join("publish.csv")).unwrap();
    assert!(
        csv.contains("example.com/two") && !csv.contains("example.com/one"),
        "{csv}"
    );
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{csv}"
    );
    assert!(!csv.lines().any(|l| l.starts_with('=')));
    // a failed export leaves nothing behind
    std::fs::remove_dir_all(dir.join("clips")).unwrap();
    clipper(tmp.path()).arg("export").arg(&dir).assert().code(1);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".export"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_empty_shard_and_a_folder_named_like_a_command_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("season");
    copy_to(&season, "jfk.wav", "a.wav".as_ref());
    clipper(tmp.path())
        .arg(&season)
        .args(["--shard", "1/2"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "shard 1/2: no episode falls to this share (1 in all)",
        ));
    assert!(season.join("season.json").is_file());
    clipper(tmp.path())
        .arg("season")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "to process it, run `clipper ./season`",
        ));
}

/// A run of `cmd` held just before its swap: returns the child once the
/// trigger file says it is there.
fn held_run(cmd: &mut Command, trigger: &Path) -> Child {
    let child = cmd
        .env("CLIPPER_HOLD_BEFORE_SWAP", trigger)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !trigger.exists() {
        assert!(Instant::now() < deadline, "the run never reached its swap");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn raw_clipper(cwd: &Path) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("clipper"));
    cmd.current_dir(cwd)
        .env_remove("CLIPPER_MODEL")
        .env("CLIPPER_NO_VIDEO", "1")
        .env("HOME", cwd);
    cmd
}

/// Waits for a line of `child`'s stderr holding `needle`.
fn stderr_line(child: &mut Child, needle: &str) -> BufReader<std::process::ChildStderr> {
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 {
        if line.contains(needle) {
            return err;
        }
        line.clear();
    }
    panic!("no line with {needle:?}");
}

#[test]
fn an_answer_applied_during_a_forced_rerun_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let (ep, dir) = sonnet_done(tmp.path());
    let h: clipper::bundle::Highlights = read(&dir.join("highlights.json"));
    let trigger = tmp.path().join("hold");
    let mut run = raw_clipper(tmp.path());
    run.arg(&ep)
        .arg("--transcript")
        .arg(fixture("sonnet.transcript.json"))
        .arg("--force");
    let mut run = held_run(&mut run, &trigger);
    // The client's answer arrives while the run is about to swap.
    let answer = tmp.path().join("answer.json");
    let body = serde_json::json!({"author": "Client", "clips": {h.clips[0].id.clone(): {"status": "approved", "comment": "yes"}}});
    std::fs::write(&answer, body.to_string()).unwrap();
    let mut apply = raw_clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&answer)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _rest = stderr_line(&mut apply, "waiting: another clipper is writing");
    std::fs::remove_file(&trigger).unwrap();
    assert!(run.wait().unwrap().success());
    assert!(apply.wait().unwrap().success());
    let d: Value = read(&dir.join("decisions.json"));
    assert_eq!(d["clips"][&h.clips[0].id]["status"], "approved");
    assert_eq!(d["clips"][&h.clips[0].id]["comment"], "yes");
}

#[test]
fn a_run_killed_on_an_episode_is_recorded_and_one_that_sees_it_change_keeps_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (ep, dir) = sonnet_done(tmp.path());
    let run_json = std::fs::read(dir.join("run.json")).unwrap();
    let trigger = tmp.path().join("hold");
    let fresh = || {
        let mut c = raw_clipper(tmp.path());
        c.arg(&ep)
            .arg("--transcript")
            .arg(fixture("sonnet.transcript.json"))
            .arg("--force");
        c
    };
    // Killed outright just before the swap (of a run with new settings, so
    // the earlier output is not up to date), twice in a row: the next run
    // skips it as failed. (Once is a kill or a power cut, and the next run
    // does the episode again: tests/it/season.rs.)
    std::fs::write(tmp.path().join("clipper.toml"), "show_name = \"Changed\"\n").unwrap();
    for _ in 0..2 {
        let mut killed = held_run(&mut fresh(), &trigger);
        killed.kill().unwrap();
        killed.wait().unwrap();
        std::fs::remove_file(&trigger).unwrap();
    }
    let record: Value = read(&tmp.path().join(".sonnet.clipper.failed.json"));
    assert_eq!(record["unfinished_runs"], 2, "{record}");
    assert_eq!(std::fs::read(dir.join("run.json")).unwrap(), run_json);
    from_fixture(tmp.path(), &ep, "sonnet.transcript.json")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "clipper stopped while processing it",
        ));
    // The file grows while a run reads it: nothing of that run is kept.
    let changing = held_run(&mut fresh(), &trigger);
    let mut f = std::fs::OpenOptions::new().append(true).open(&ep).unwrap();
    std::io::Write::write_all(&mut f, &[0u8; 4096]).unwrap();
    std::fs::remove_file(&trigger).unwrap();
    let out = changing.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the file changed while clipper read it"));
    assert_eq!(std::fs::read(dir.join("run.json")).unwrap(), run_json);
}

#[test]
fn a_damaged_tag_frame_does_not_cost_the_audio() {
    // sonnet.mp3 behind an ID3v2.3 tag whose second frame is malformed
    let audio = std::fs::read(sample("sonnet.mp3")).unwrap();
    let audio = if audio.starts_with(b"ID3") {
        let n = audio[6..10]
            .iter()
            .fold(0usize, |n, &b| (n << 7) | usize::from(b & 0x7f));
        audio[10 + n..].to_vec()
    } else {
        audio
    };
    let mut body = Vec::new();
    body.extend_from_slice(b"TIT2\x00\x00\x00\x06\x00\x00\x00Hello");
    body.extend_from_slice(b"TXXX\x00\x00\x00\x28\x00\x00\x07\xff\xfe");
    body.extend_from_slice(&[0u8; 40]);
    let n = body.len();
    let mut file = b"ID3\x03\x00\x00".to_vec();
    file.extend([
        (n >> 21) as u8 & 0x7f,
        (n >> 14) as u8 & 0x7f,
        (n >> 7) as u8 & 0x7f,
        n as u8 & 0x7f,
    ]);
    file.extend(body);
    file.extend(audio);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bad-tag.mp3");
    std::fs::write(&path, file).unwrap();
    let decoded = clipper::audio::load_16k(&path).expect("the audio after the tag decodes");
    assert!(
        (decoded.duration_s() - 53.0).abs() < 1.5,
        "{}",
        decoded.duration_s()
    );
}

#[test]
fn two_runs_on_one_episode_take_turns() {
    let tmp = tempfile::tempdir().unwrap();
    let (ep, dir) = sonnet_done(tmp.path());
    let trigger = tmp.path().join("hold");
    let args = |c: &mut Command| {
        c.arg(&ep)
            .arg("--transcript")
            .arg(fixture("sonnet.transcript.json"))
            .arg("--force");
    };
    let mut first = raw_clipper(tmp.path());
    args(&mut first);
    let mut first = held_run(&mut first, &trigger);
    let mut second = raw_clipper(tmp.path());
    args(&mut second);
    let mut second = second
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _rest = stderr_line(&mut second, "waiting: another clipper is writing");
    std::fs::remove_file(&trigger).unwrap();
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    for f in [
        "run.json",
        "transcript.json",
        "highlights.json",
        "decisions.json",
        "review.html",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
}

#[test]
fn an_answer_after_a_kill_in_the_swap_puts_the_folder_back_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, dir) = sonnet_done(tmp.path());
    let h: clipper::bundle::Highlights = read(&dir.join("highlights.json"));
    // what a run killed between its two renames leaves: the folder moved aside
    let aside = tmp.path().join(".sonnet.clipper.old-999999");
    std::fs::rename(&dir, &aside).unwrap();
    let answer = tmp.path().join("answer.json");
    let body = serde_json::json!({"clips": {h.clips[0].id.clone(): {"status": "rejected"}}});
    std::fs::write(&answer, body.to_string()).unwrap();
    // apply puts the folder back (decisions and all) and applies to it
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&answer)
        .assert()
        .success();
    assert!(dir.is_dir() && !aside.exists());
    let d: Value = read(&dir.join("decisions.json"));
    assert_eq!(d["clips"][&h.clips[0].id]["status"], "rejected");
    // and the next run keeps that decision
    let ep = tmp.path().join("sonnet.mp3");
    from_fixture(tmp.path(), &ep, "sonnet.transcript.json")
        .arg("--force")
        .assert()
        .success();
    let d: Value = read(&dir.join("decisions.json"));
    assert_eq!(d["clips"][&h.clips[0].id]["status"], "rejected");
}

#[test]
fn an_approval_stays_with_the_cut_it_was_made_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (ep, dir) = sonnet_done(tmp.path());
    let h: clipper::bundle::Highlights = read(&dir.join("highlights.json"));
    let approved = h.clips[0].clone();
    let answer = tmp.path().join("answer.json");
    let body = serde_json::json!({"episode": "sonnet.mp3",
        "clips": {approved.id.clone(): {"status": "approved"}}});
    std::fs::write(&answer, body.to_string()).unwrap();
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&answer)
        .assert()
        .success();
    // New clip lengths cut the episode differently: the approval does not
    // move to the new cut; it is kept, orphaned, and nothing is exported.
    std::fs::write(
        tmp.path().join("clipper.toml"),
        "[[buckets]]\nname = \"short\"\nmin_s = 15.0\nmax_s = 25.0\n",
    )
    .unwrap();
    from_fixture(tmp.path(), &ep, "sonnet.transcript.json")
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "decision for {} kept",
            approved.id
        )));
    let h2: clipper::bundle::Highlights = read(&dir.join("highlights.json"));
    assert!(h2.clips.iter().all(|c| c.id != approved.id));
    let d: Value = read(&dir.join("decisions.json"));
    assert_eq!(d["clips"][&approved.id]["status"], "approved");
    assert_eq!(d["clips"][&approved.id]["orphaned"], true);
    for c in &h2.clips {
        assert_eq!(d["clips"][&c.id]["status"], "pending");
    }
    clipper(tmp.path())
        .arg("export")
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 approved posts from 0 clips"));
    // Answers written for another episode are refused whole.
    let other = serde_json::json!({"episode": "jfk.wav",
        "clips": {h2.clips[0].id.clone(): {"status": "approved"}}});
    std::fs::write(&answer, other.to_string()).unwrap();
    let before = std::fs::read(dir.join("decisions.json")).unwrap();
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&dir)
        .arg(&answer)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "it answers for \"jfk.wav\", but this folder holds \"sonnet.mp3\"",
        ));
    assert_eq!(std::fs::read(dir.join("decisions.json")).unwrap(), before);
}
