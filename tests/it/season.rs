//! `clipper DIR`: a season with bad files, resumed, interrupted, killed,
//! sharded, and a corpus of bad and odd inputs. Real model, real audio.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{clipper, load, model, sample};

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .unwrap()
}

fn copy(name: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(sample(name), to).unwrap();
}

/// Every file and folder under `dir` whose name starts with a dot and that
/// clipper leaves while working (staging, moved-aside or probe files).
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.contains(".tmp-") || n.contains(".old-") || n.starts_with(".clipper-probe") {
            out.push(e.path());
        }
        if e.path().is_dir() {
            out.extend(leftovers(&e.path()));
        }
    }
    out
}

/// (input, status, reason, clip ids) of every episode in season.json.
fn index_rows(dir: &Path) -> Vec<(String, String, String, Vec<String>)> {
    let s = read_json(&dir.join("season.json"));
    s["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["input"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
                e["reason"].as_str().unwrap_or("").to_string(),
                e["clip_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn transcript_text(dir: &Path) -> String {
    let t = read_json(&dir.join("transcript.json"));
    t["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The season of the tests: four good episodes and two bad files.
fn make_season(dir: &Path) {
    copy("sonnet.mp3", &dir.join("01 sonnet.mp3"));
    copy("jfk.wav", &dir.join("02 jfk.wav"));
    copy("jfk.mp3", &dir.join("extra/03 jfk again.mp3"));
    copy(
        "formats/goforward.wav",
        &dir.join("extra/04 go forward.wav"),
    );
    std::fs::write(
        dir.join("05 broken.mp3"),
        "this is a text file, not audio\n",
    )
    .unwrap();
    std::fs::write(dir.join("06 empty.m4a"), b"").unwrap();
    std::fs::write(dir.join("show notes.txt"), "not an episode\n").unwrap();
}

#[test]
fn a_season_with_bad_files_finishes_and_a_second_run_does_no_work() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("season");
    make_season(&season);
    let first = clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&season)
        .arg("--json")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("loaded once"))
        .stderr(predicate::str::contains("05 broken.mp3"))
        .stderr(predicate::str::contains("06 empty.m4a"));
    let lines: Vec<Value> = String::from_utf8_lossy(&first.get_output().stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "one JSON line per episode");

    let rows = index_rows(&season);
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "01 sonnet.mp3",
            "02 jfk.wav",
            "05 broken.mp3",
            "06 empty.m4a",
            "extra/03 jfk again.mp3",
            "extra/04 go forward.wav"
        ],
        "the text file is not an episode"
    );
    for (input, status, reason, _) in &rows {
        let bad = input.contains("broken") || input.contains("empty");
        assert_eq!(status, if bad { "failed" } else { "done" }, "{input}");
        assert_eq!(reason.is_empty(), !bad, "{input}: {reason}");
    }
    assert!(rows[2].2.contains("not an audio file"), "{}", rows[2].2);
    assert!(rows[3].2.contains("empty"), "{}", rows[3].2);
    let s = read_json(&season.join("season.json"));
    assert_eq!(s["totals"]["done"], 4);
    assert_eq!(s["totals"]["failed"], 2);
    assert!(!rows[0].3.is_empty(), "the sonnet has a clip");
    assert!(transcript_text(&season.join("02 jfk.clipper")).contains("ask not what your country"));
    assert!(transcript_text(&season.join("extra/03 jfk again.clipper")).contains("ask not"));
    let csv = std::fs::read_to_string(season.join("season.csv")).unwrap();
    assert_eq!(csv.lines().count(), 7, "{csv}");
    assert!(csv.contains("05 broken.mp3,failed,"));
    assert!(season.join("season.html").is_file());

    // The client decides on a clip; the second run must not touch that.
    let sonnet_dir = season.join("01 sonnet.clipper");
    let clip = rows[0].3[0].clone();
    let client = tmp.path().join("client.json");
    std::fs::write(
        &client,
        serde_json::json!({"format": "clipper-decisions", "author": "Client",
            "clips": {clip.clone(): {"status": "approved", "comment": "yes", "drafts": {}}}})
        .to_string(),
    )
    .unwrap();
    clipper(tmp.path())
        .args(["review", "apply"])
        .arg(&sonnet_dir)
        .arg(&client)
        .assert()
        .success();
    let decisions = std::fs::read(sonnet_dir.join("decisions.json")).unwrap();
    let records: Vec<Vec<u8>> = rows
        .iter()
        .filter(|r| r.1 == "done")
        .map(|r| {
            let dir = season.join(r.0.rsplit_once('.').unwrap().0.to_string() + ".clipper");
            std::fs::read(dir.join("run.json")).unwrap()
        })
        .collect();

    // Second run: nothing to transcribe, no model load; bad files still named.
    let started = Instant::now();
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&season)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("loaded").not())
        .stderr(predicate::str::contains("4 unchanged, 2 failed"))
        .stderr(predicate::str::contains("--force retries it"));
    eprintln!(
        "second run of the season: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        std::fs::read(sonnet_dir.join("decisions.json")).unwrap(),
        decisions
    );
    let after: Vec<Vec<u8>> = rows
        .iter()
        .filter(|r| r.1 == "done")
        .map(|r| {
            let dir = season.join(r.0.rsplit_once('.').unwrap().0.to_string() + ".clipper");
            std::fs::read(dir.join("run.json")).unwrap()
        })
        .collect();
    assert_eq!(after, records, "no episode was redone");
    let s = read_json(&season.join("season.json"));
    assert_eq!(s["episodes"][0]["approved"], 1);

    // --force redoes an episode; the decision survives.
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(season.join("02 jfk.wav"))
        .arg("--force")
        .assert()
        .success()
        .stderr(predicate::str::contains("loaded once"));
    assert!(leftovers(&season).is_empty(), "{:?}", leftovers(&season));
}

/// Starts clipper on `args` with stderr piped; returns the child and a
/// channel of its stderr lines.
fn spawn(
    cwd: &Path,
    args: &[&std::ffi::OsStr],
) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("clipper"))
        .current_dir(cwd)
        .env_remove("CLIPPER_MODEL")
        .env("CLIPPER_NO_VIDEO", "1")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

/// Waits for a stderr line containing `needle` (panics after 120 s).
fn wait_for(rx: &std::sync::mpsc::Receiver<String>, needle: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            let hit = line.contains(needle);
            seen.push(line);
            if hit {
                return seen;
            }
        }
    }
    panic!("no line with {needle:?} in {seen:?}");
}

#[test]
fn killed_and_interrupted_runs_leave_nothing_partial_and_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("season");
    copy("jfk.wav", &season.join("a jfk.wav"));
    copy("sonnet.mp3", &season.join("b sonnet.mp3"));
    copy("jfk.mp3", &season.join("c jfk.mp3"));
    let m = model();
    let args = [m.as_os_str(), season.as_os_str()];
    let args: Vec<&std::ffi::OsStr> = std::iter::once("--model".as_ref()).chain(args).collect();

    // Killed (SIGKILL, no chance to clean up) as soon as the first episode
    // is done, i.e. while the sonnet is being transcribed (it takes seconds).
    let (mut child, rx) = spawn(tmp.path(), &args);
    wait_for(&rx, "a jfk.wav: ");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(season.join("a jfk.clipper/run.json").is_file());
    assert!(
        !season.join("b sonnet.clipper").exists(),
        "no partial sonnet output"
    );
    // What a kill in the middle of writing leaves: a staging folder, and the
    // previous output moved aside.
    std::fs::create_dir_all(season.join(".b sonnet.clipper.tmp-999999/clips")).unwrap();
    std::fs::write(
        season.join(".b sonnet.clipper.tmp-999999/transcript.json"),
        "{",
    )
    .unwrap();
    std::fs::rename(
        season.join("a jfk.clipper"),
        season.join(".a jfk.clipper.old-999999"),
    )
    .unwrap();

    // a jfk comes back unchanged; the sonnet and c jfk were never finished
    clipper(tmp.path())
        .args(&args)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "3 episodes: 2 done, 1 unchanged, 0 failed",
        ));
    assert!(leftovers(&season).is_empty(), "{:?}", leftovers(&season));
    assert!(
        season.join("a jfk.clipper/run.json").is_file(),
        "moved-aside output restored"
    );
    for dir in ["a jfk.clipper", "b sonnet.clipper", "c jfk.clipper"] {
        for f in [
            "run.json",
            "transcript.json",
            "highlights.json",
            "decisions.json",
            "review.html",
        ] {
            assert!(season.join(dir).join(f).is_file(), "{dir}/{f}");
        }
    }
    let before = std::fs::read(season.join("b sonnet.clipper/run.json")).unwrap();

    // Ctrl-C (SIGINT) during a forced redo, as soon as the first episode is
    // redone: exit 130, the earlier complete output stays, nothing partial
    // is left; the next run resumes.
    let mut forced = args.clone();
    forced.push("--force".as_ref());
    let (child, rx) = spawn(tmp.path(), &forced);
    wait_for(&rx, "a jfk.wav: ");
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let out = child.wait_with_output().unwrap();
    let rest: Vec<String> = rx.iter().collect();
    assert_eq!(out.status.code(), Some(130), "{rest:?}");
    assert!(
        rest.iter()
            .any(|l| l.contains("Run the same command again")),
        "{rest:?}"
    );
    assert!(leftovers(&season).is_empty(), "{:?}", leftovers(&season));
    assert_eq!(
        std::fs::read(season.join("b sonnet.clipper/run.json")).unwrap(),
        before,
        "the interrupted episode keeps its earlier output"
    );
    let s = read_json(&season.join("season.json"));
    assert_eq!(s["totals"]["done"], 3);
}

#[test]
fn two_shards_together_equal_the_unsharded_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("sharded"), tmp.path().join("whole"));
    for dir in [&a, &b] {
        copy("jfk.wav", &dir.join("e1.wav"));
        copy("formats/goforward.wav", &dir.join("e2.wav"));
        copy("jfk.mp3", &dir.join("e3.mp3"));
        copy("commands/cards_001.wav", &dir.join("more/e4.wav"));
        std::fs::write(dir.join("e5.mp3"), "not audio").unwrap();
    }
    let m = model();
    let shard = |i: &str| {
        let (child, rx) = spawn(
            tmp.path(),
            &[
                "--model".as_ref(),
                m.as_os_str(),
                a.as_os_str(),
                "--shard".as_ref(),
                i.as_ref(),
                "--jobs".as_ref(),
                "1".as_ref(),
            ],
        );
        (child, rx)
    };
    // Two machines' worth of work, at the same time, on one shared folder.
    let (c0, _r0) = shard("0/2");
    let (c1, _r1) = shard("1/2");
    let (o0, o1) = (
        c0.wait_with_output().unwrap(),
        c1.wait_with_output().unwrap(),
    );
    // The bad file is in exactly one shard.
    let mut codes = [o0.status.code().unwrap(), o1.status.code().unwrap()];
    codes.sort();
    assert_eq!(
        codes,
        [0, 3],
        "the shard with the bad file exits 3 (permanent)"
    );
    clipper(tmp.path())
        .args(["season", "index"])
        .arg(&a)
        .assert()
        .success()
        .stderr(predicate::str::contains("5 episodes, 4 done, 1 failed"));
    clipper(tmp.path())
        .arg("--model")
        .arg(&m)
        .arg(&b)
        .assert()
        .code(3);
    assert_eq!(index_rows(&a), index_rows(&b));
    for e in ["e1", "e2", "e3", "more/e4"] {
        let dir = format!("{e}.clipper");
        assert_eq!(
            transcript_text(&a.join(&dir)),
            transcript_text(&b.join(&dir)),
            "{e}"
        );
    }
}

/// Writes 16-bit (or 24-bit) PCM WAV with `channels` copies of `mono`.
fn write_wav(path: &Path, mono: &[f32], rate: u32, channels: u16, bits: u16) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    let scale = ((1i32 << (bits - 1)) - 1) as f32;
    for &s in mono {
        for _ in 0..channels {
            w.write_sample((s.clamp(-1.0, 1.0) * scale) as i32).unwrap();
        }
    }
    w.finalize().unwrap();
}

#[test]
fn bad_and_odd_inputs_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    std::fs::create_dir_all(&dir).unwrap();
    let jfk = clipper::audio::load_16k(&sample("jfk.wav"))
        .unwrap()
        .samples;
    // Odd but valid: these must transcribe.
    let at_8k: Vec<f32> = jfk.iter().step_by(2).copied().collect();
    write_wav(&dir.join("phone 8 kHz.wav"), &at_8k, 8_000, 1, 16);
    write_wav(&dir.join("six channels.wav"), &jfk, 16_000, 6, 16);
    let at_96k: Vec<f32> = jfk
        .windows(2)
        .flat_map(|w| (0..6).map(move |k| w[0] + (w[1] - w[0]) * k as f32 / 6.0))
        .collect();
    write_wav(
        &dir.join("studio 96 kHz 24-bit.wav"),
        &at_96k,
        96_000,
        2,
        24,
    );
    copy("jfk.wav", &dir.join("ünïcødé 名前 🎙.wav"));
    let sonnet = std::fs::read(sample("sonnet.mp3")).unwrap();
    std::fs::write(dir.join("truncated.mp3"), &sonnet[..sonnet.len() * 2 / 5]).unwrap();
    // Bad: these must be reported, with a reason.
    std::fs::write(dir.join("zero bytes.mp3"), b"").unwrap();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let random: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(dir.join("random bytes.mp3"), &random).unwrap();
    std::fs::write(
        dir.join("a text.mp3"),
        "Episode 12 show notes\n".repeat(100),
    )
    .unwrap();
    write_wav(
        &dir.join("silent.wav"),
        &vec![0.0; 16_000 * 30],
        16_000,
        1,
        16,
    );
    let music = clipper::audio::load_16k(&sample("music-then-speech.mp3"))
        .unwrap()
        .samples;
    write_wav(
        &dir.join("music only.wav"),
        &music[..16_000 * 22],
        16_000,
        2,
        16,
    );
    std::fs::write(dir.join("readme.txt"), "not audio, not an episode").unwrap();

    let out = clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&dir)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("panicked").not())
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&out);
    eprintln!("{stderr}");
    let rows = index_rows(&dir);
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.0 == name)
            .unwrap_or_else(|| panic!("{name} not in {rows:?}"))
            .clone()
    };
    for good in [
        "phone 8 kHz.wav",
        "six channels.wav",
        "studio 96 kHz 24-bit.wav",
        "ünïcødé 名前 🎙.wav",
    ] {
        assert_eq!(row(good).1, "done", "{good}");
        let out = dir.join(good.rsplit_once('.').unwrap().0.to_string() + ".clipper");
        let text = transcript_text(&out).to_lowercase();
        assert!(text.contains("ask not what your country"), "{good}: {text}");
    }
    let s = read_json(&dir.join("season.json"));
    let truncated = s["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["input"] == "truncated.mp3")
        .unwrap();
    assert_eq!(truncated["status"], "done");
    assert!(
        truncated["warnings"][0]
            .as_str()
            .unwrap()
            .contains("ends early"),
        "{truncated}"
    );
    for (bad, why) in [
        ("zero bytes.mp3", "empty"),
        ("random bytes.mp3", ""),
        ("a text.mp3", "not an audio file"),
        ("silent.wav", "no speech found"),
        ("music only.wav", "no speech found"),
    ] {
        let r = row(bad);
        assert_eq!(r.1, "failed", "{bad}");
        assert!(r.2.contains(why) && !r.2.is_empty(), "{bad}: {}", r.2);
        assert!(
            stderr.contains(&format!("{bad}: {}", r.2)),
            "{bad} named on stderr"
        );
    }
    assert!(!rows.iter().any(|r| r.0 == "readme.txt"));
    assert_eq!(rows.len(), 10);
}

#[test]
fn unwritable_output_and_bad_models_fail_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("jfk.wav");
    copy("jfk.wav", &ep);
    // An output folder that cannot be made (its parent is a file; file
    // permissions would not stop root).
    let file = tmp.path().join("a file");
    std::fs::write(&file, "x").unwrap();
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&ep)
        .arg("-o")
        .arg(file.join("out"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write its output folder"))
        .stderr(predicate::str::contains("loaded").not());

    // A model file cut short: a clear error, no output.
    let bytes = std::fs::read(model()).unwrap();
    let cut = tmp.path().join("cut.bin");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    clipper(tmp.path())
        .arg("--model")
        .arg(&cut)
        .arg(&ep)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cut.bin"));
    // Not a model at all.
    clipper(tmp.path())
        .arg("--model")
        .arg(&ep)
        .arg(&ep)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("jfk.wav"));
    // No model anywhere: the error names the set-up command.
    clipper(tmp.path())
        .arg(&ep)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("setup.sh"));
    assert!(!tmp.path().join("jfk.clipper").exists());
    // Usage errors are exit code 2.
    clipper(tmp.path())
        .arg(tmp.path().join("nowhere"))
        .assert()
        .code(2);
    clipper(tmp.path())
        .args(["--shard", "2/2"])
        .arg(&ep)
        .assert()
        .code(2);
}

#[test]
fn usage_errors_and_per_episode_problems_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    // A folder with no audio, several episodes with -o, a missing season
    // folder: usage errors, exit code 2, nothing written.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("notes.txt"), "no audio here").unwrap();
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no audio files found"));
    let season = tmp.path().join("season");
    copy("jfk.wav", &season.join("ep.wav"));
    copy("jfk.mp3", &season.join("ep.mp3"));
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&season)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "-o/--output works with one episode only (2 given)",
        ));
    clipper(tmp.path())
        .args(["season", "index"])
        .arg(tmp.path().join("nowhere"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such folder"));
    assert!(!tmp.path().join("out").exists());

    // Two episodes that would share an output folder, and a broken
    // clipper.toml beside a third: each is named, the rest goes on.
    copy("formats/goforward.wav", &season.join("other/go.wav"));
    std::fs::write(season.join("other/clipper.toml"), "buckets = 3\n").unwrap();
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .arg(&season)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("ep.wav: its output folder"))
        .stderr(predicate::str::contains("is also"))
        .stderr(predicate::str::contains(
            "go.wav: its client settings cannot be used",
        ))
        .stderr(predicate::str::contains(
            "clipper.toml is not a valid clipper.toml",
        ));
    let rows = index_rows(&season);
    let status: Vec<(&str, &str)> = rows.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
    assert_eq!(
        status,
        [
            ("ep.mp3", "done"),
            ("ep.wav", "failed"),
            ("other/go.wav", "failed")
        ]
    );
}

/// Runs `cmd` to its end (at most `limit`, else it is killed and the test
/// fails as hung) and returns its output and peak resident memory in KiB.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also gives its peak memory"
)]
fn run_bounded(mut cmd: Command, limit: Duration) -> (std::process::Output, i64) {
    use std::io::Read;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let readers = (
        std::thread::spawn(move || {
            let mut v = Vec::new();
            out.read_to_end(&mut v).unwrap();
            v
        }),
        std::thread::spawn(move || {
            let mut v = Vec::new();
            err.read_to_end(&mut v).unwrap();
            v
        }),
    );
    let pid = child.id() as libc::pid_t;
    let deadline = Instant::now() + limit;
    loop {
        let mut status = 0;
        // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: wait4 on our own child, with valid pointers.
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if done == pid {
            let output = std::process::Output {
                status: std::os::unix::process::ExitStatusExt::from_raw(status),
                stdout: readers.0.join().unwrap(),
                stderr: readers.1.join().unwrap(),
            };
            return (output, usage.ru_maxrss);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the run did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_hostile_season_finishes_with_every_good_episode_done() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("season");
    copy("jfk.wav", &season.join("a jfk.wav"));
    let weird = std::ffi::OsStr::from_bytes(b"b caf\xe9.mp3");
    copy("jfk.mp3", &season.join(weird));
    // c: a float WAV of jfk with a NaN and an infinity in it
    let mut samples = load("jfk.wav");
    samples[16_000] = f32::NAN;
    samples[32_000] = f32::INFINITY;
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(season.join("c nan.wav"), spec).unwrap();
    samples.iter().for_each(|s| w.write_sample(*s).unwrap());
    w.finalize().unwrap();
    // d: a WAV whose header claims 4294967295 Hz
    let mut huge = std::fs::read(sample("jfk.wav")).unwrap();
    huge[24..28].copy_from_slice(&u32::MAX.to_le_bytes());
    std::fs::write(season.join("d huge rate.wav"), huge).unwrap();
    std::os::unix::fs::symlink(".", season.join("e loop")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", season.join("f zero.mp3")).unwrap();
    assert!(Command::new("mkfifo")
        .arg(season.join("g notes"))
        .status()
        .unwrap()
        .success());
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("clipper"));
    cmd.current_dir(tmp.path())
        .env_remove("CLIPPER_MODEL")
        .env("CLIPPER_NO_VIDEO", "1")
        .arg("--model")
        .arg(model())
        .arg("--json")
        .arg(&season);
    let (out, peak_kib) = run_bounded(cmd, Duration::from_secs(300));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // the bad file is permanent: exit 3, not worth a retry
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(peak_kib < 500 * 1024, "peak RSS {peak_kib} KiB");
    let lines: Vec<Value> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let status: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            (
                l["input"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                l["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("a jfk.wav".to_string(), "done".to_string()),
            ("b caf\u{fffd}.mp3".into(), "done".into()),
            ("c nan.wav".into(), "done".into()),
            ("d huge rate.wav".into(), "failed".into()),
        ],
        "{stderr}"
    );
    assert!(lines[3]["reason"]
        .as_str()
        .unwrap()
        .contains("4294967295 Hz"));
    assert!(stderr.contains("2 samples were not numbers"), "{stderr}");
    let t: Value = read_json(&season.join("c nan.clipper/transcript.json"));
    assert!(t["segments"].as_array().is_some_and(|s| !s.is_empty()));
    let index = read_json(&season.join("season.json"));
    assert_eq!(index["totals"]["done"], 3);
    assert_eq!(index["totals"]["failed"], 1);
}

#[test]
fn an_episode_past_its_time_budget_is_stopped_and_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("season");
    copy("sonnet.mp3", &season.join("a sonnet.mp3"));
    copy("jfk.wav", &season.join("b jfk.wav"));
    // 0.001 minutes (60 ms): transcribing the sonnet's 53 s takes longer on
    // any machine, so the budget runs out inside the transcription whatever
    // the machine's speed (at 0.02 minutes a fast machine had transcribed
    // it in time and finished it); each episode gets a fresh budget, and
    // whatever becomes of jfk, the only failures are recorded ones (exit 3).
    clipper(tmp.path())
        .arg("--model")
        .arg(model())
        .args(["--max-minutes", "0.001"])
        .arg(&season)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "a sonnet.mp3: stopped after 0.001 minutes (--max-minutes)",
        ));
    assert!(!season.join("a sonnet.clipper").exists());
    let index = read_json(&season.join("season.json"));
    assert_eq!(index["episodes"][0]["status"], "failed");
}
