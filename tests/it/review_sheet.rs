//! `review.html` in a real headless Chromium, driven over W3C WebDriver by
//! Debian's chromedriver (packages `chromium` and `chromium-driver`, which
//! `scripts/setup.sh` installs). The WebDriver client is a few lines of HTTP
//! over a loopback socket, so no extra crate is needed.
//!
//! Set `CLIPPER_SCREENSHOT=1` to (re)write `docs/review-sheet.png`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clipper::bundle::{FinishedClip, Highlights};
use clipper::config::Platform;
use clipper::decisions::Decisions;
use clipper::drafts::ClipDrafts;
use clipper::drafts::{Draft, DraftKind};
use clipper::folder::OutputFolder;
use clipper::highlights::{Clip, Contribution, Feature};
use clipper::review::apply;
use clipper::review::sheet::render_html;
use clipper::util::html::url_of_path as media_url;
use serde_json::{json, Value};

use crate::common;

/// The payload transcript: markup that must show as text, never run.
const PAYLOAD: &str = "Pricing is a \"quotes\" & <b>tags</b> problem. \
    <script>alert(1)</script><script>window.__pwned = 1</script>\
    <img src=x onerror=\"window.__pwned = 2\"> Charge for outcomes, not hours.";

// ---- A tiny W3C WebDriver client ---------------------------------------------

/// Finds an executable on `PATH`.
fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and chromedriver, or a loud failure naming the packages.
fn browser_tools() -> (PathBuf, PathBuf) {
    let hint = "install Debian's packages with `apt-get install chromium chromium-driver` \
                (./scripts/setup.sh does it); the review sheet test needs a real browser";
    let chromium = which("chromium")
        .or_else(|| which("chromium-browser"))
        .unwrap_or_else(|| panic!("chromium is missing: {hint}"));
    let driver = which("chromedriver").unwrap_or_else(|| panic!("chromedriver is missing: {hint}"));
    (chromium, driver)
}

/// One HTTP/1.1 request to 127.0.0.1:`port`; returns status and body.
fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(90)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            if name == "content-length" {
                length = value.parse::<usize>().ok();
            } else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
        }
    }
    let mut bytes = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)
                .unwrap_or(0);
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            bytes.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(n) = length {
        bytes.resize(n, 0);
        reader.read_exact(&mut bytes)?;
    } else {
        reader.read_to_end(&mut bytes)?;
    }
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

/// A chromedriver process with one headless Chromium session.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(downloads: &Path) -> Browser {
        let (chromium, chromedriver) = browser_tools();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok((200, body)) = http(port, "GET", "/status", None) {
                let status: Value = serde_json::from_str(&body).unwrap_or_default();
                if status["value"]["ready"] == true {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not get ready on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--autoplay-policy=no-user-gesture-required",
            "--window-size=1280,1500",
            "--force-device-scale-factor=1",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!(
            "--user-data-dir={}",
            browser._profile.path().display()
        )])
        .collect::<Vec<_>>();
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": args,
                    "prefs": {
                        "download.default_directory": downloads,
                        "download.prompt_for_download": false,
                    },
                },
            }},
        });
        let value = browser.call("POST", "/session", Some(&caps));
        browser.session = value["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        browser.cmd(
            "POST",
            "/timeouts",
            Some(&json!({ "script": 30_000, "pageLoad": 30_000 })),
        );
        browser
    }

    /// A WebDriver call; returns its `value` and fails the test on an error.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, text) = http(self.port, method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let reply: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}: {text}"));
        assert_eq!(status, 200, "WebDriver {method} {path} failed: {reply:#}");
        reply["value"].clone()
    }

    /// A call on the session, or its error (`value.error`) when it fails.
    fn try_cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let path = format!("/session/{}{path}", self.session);
        let (status, text) = http(self.port, method, &path, body).map_err(|e| e.to_string())?;
        let reply: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if status == 200 {
            Ok(reply["value"].clone())
        } else {
            Err(reply["value"]["error"].as_str().unwrap_or("?").to_string())
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(&json!({ "url": url })));
    }

    /// Runs `script` (a function body; `arguments` holds `args`).
    fn js(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(&json!({ "script": script, "args": args })),
        )
    }

    /// Runs `script` that calls `arguments[arguments.length - 1](result)`.
    fn js_async(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/async",
            Some(&json!({ "script": script, "args": args })),
        )
    }

    fn find(&self, css: &str) -> String {
        let value = self.cmd(
            "POST",
            "/element",
            Some(&json!({ "using": "css selector", "value": css })),
        );
        value
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/click"), Some(&json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(&json!({ "text": text })),
        );
    }

    fn screenshot(&self) -> Vec<u8> {
        let b64 = self.cmd("GET", "/screenshot", None);
        base64_decode(b64.as_str().expect("base64 PNG"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &c)| acc | value(c) << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

fn file_url(path: &Path) -> String {
    format!("file://{}", media_url(&path.display().to_string()))
}

// ---- The episode ------------------------------------------------------------------

fn draft(
    platform: Platform,
    kind: DraftKind,
    text: &str,
    limit: usize,
    fold: Option<usize>,
) -> Draft {
    Draft {
        platform,
        kind,
        text: text.to_string(),
        limit,
        length: text.chars().count(),
        fold,
        note: None,
        variant: 0,
    }
}

fn contribution(feature: Feature, value: f64, weight: f64, reason: &str) -> Contribution {
    Contribution {
        feature,
        value,
        weight,
        points: value * weight,
        reason: reason.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn clip(
    rank: usize,
    start: f64,
    end: f64,
    title: &str,
    text: &str,
    chapter: Option<&str>,
    media: &str,
    x: &str,
) -> FinishedClip {
    let id = Clip::id_for(start, end, text);
    let sentences = text
        .split_inclusive(". ")
        .map(|s| s.trim().to_string())
        .collect();
    let clip = Clip {
        speaker: None,
        unsure: Vec::new(),
        id,
        rank,
        start,
        end,
        text: text.into(),
        sentences,
        bucket: "15-30s".into(),
        score: 0.0,
        contributions: vec![],
        chapter: chapter.map(String::from),
        keywords: vec!["pricing".into(), "clients".into()],
        summary: String::new(),
    };
    let drafts = ClipDrafts {
        title: title.into(),
        drafts: vec![
            draft(Platform::X, DraftKind::Post, x, 280, None),
            draft(
                Platform::Linkedin,
                DraftKind::Post,
                &format!("{text}\n\nWhat would you add? #podcast #pricing"),
                3000,
                Some(210),
            ),
            draft(
                Platform::Youtube,
                DraftKind::Title,
                &format!("{title} #shorts"),
                100,
                None,
            ),
        ],
    };
    FinishedClip::new(clip, drafts, vec![media.into()])
}

fn episode() -> Highlights {
    let mut clips = vec![
        clip(
            1,
            83.4,
            109.9,
            "Charge for outcomes, not hours",
            "Here's the thing most freelancers get wrong. They sell hours, and the client \
             buys a result. The day I priced the result instead, my income doubled.",
            Some("Pricing"),
            "clips/clip-000834.wav",
            "Here's the thing most freelancers get wrong: they sell hours, the client buys a result. \
             Price the result. #podcast",
        ),
        clip(
            2,
            412.0,
            437.5,
            "Fire your worst client",
            "Nobody tells you this. Your worst client costs you your best one, because \
             they eat the time you would have spent finding them.",
            Some("Clients"),
            "clips/clip-004120.wav",
            // 271 characters: typing pushes it over X's 280.
            "Nobody tells you this: your worst client costs you your best one, because they \
             eat the time you would have spent finding them. Fire the client who haggles over \
             every invoice, answers at midnight and never says thanks. Your calendar is your \
             pipeline. #freelancing #podcast",
        ),
        clip(
            3,
            903.0,
            931.2,
            "The <b>tags</b> & \"quotes\" problem",
            PAYLOAD,
            Some("Q&A <i>live</i>"),
            // A file name with characters that need escaping in HTML and URLs.
            "clips/clip-009030 \"final\" <b>#1&2?.wav",
            "Charge for outcomes, not hours.",
        ),
    ];
    clips[1].clip.unsure = vec!["worst".into(), "eat".into()];
    clips[0].clip.contributions = vec![
        contribution(Feature::Hook, 1.0, 8.0, "opens with \"Here's the thing\""),
        contribution(Feature::Numbers, 0.5, 3.0, "says \"doubled\""),
        contribution(Feature::OpenEnding, -0.25, 4.0, "ends mid-thought"),
    ];
    clips[1].clip.contributions = vec![
        contribution(Feature::Hook, 0.75, 8.0, "opens with \"Nobody\""),
        contribution(Feature::Claims, 0.5, 4.0, "strong words: worst, best"),
    ];
    clips[2].clip.contributions = vec![contribution(
        Feature::Quotable,
        0.75,
        4.0,
        "short sentence with <b>markup</b> & \"quotes\"",
    )];
    // Clip 3's X post comes in a second version and as a thread.
    let mut x_b = draft(
        Platform::X,
        DraftKind::Post,
        "Price the outcome.",
        280,
        None,
    );
    x_b.variant = 1;
    let thread = draft(
        Platform::X,
        DraftKind::Thread,
        "1/3 Charge for outcomes.\n\n---\n\n2/3 Not hours.\n\n---\n\n3/3 #podcast",
        280,
        None,
    );
    clips[2].drafts.insert(1, x_b);
    clips[2].drafts.insert(2, thread);
    for c in &mut clips {
        c.clip.score = c.contributions.iter().map(|k| k.points).sum();
        c.clip.summary = clipper::highlights::summary(&c.clip);
    }
    Highlights {
        episode: "ep42-pricing.mp3".into(),
        show_name: "The Growth Hour".into(),
        ui_language: String::new(),
        duration: 2712.0,
        chapters: vec![],
        clips,
        weights: vec![],
        excluded: vec![],
        shortfall: None,
    }
}

/// A reply to `md` answering clip i with `answers[i]`: the clip's
/// decision word, a comment, a changed draft (label, text) and a platform
/// line to tick "approve" on.
fn email_reply(md: &str, h: &Highlights, answers: &[(&str, &str, &str, String, &str)]) -> String {
    let mut out = String::new();
    let mut clip = None;
    for line in md.lines() {
        if line.starts_with("- Clip:") {
            clip = h.clips.iter().position(|c| line.ends_with(&c.id));
        }
        let Some((decision, comment, label, text, platform)) = clip.map(|i| &answers[i]) else {
            out.push_str(&format!("> {line}\n"));
            continue;
        };
        let line = if line.starts_with("- Decision (all posts):") && !decision.is_empty() {
            line.replacen(&format!("[ ] {decision}"), &format!("[x] {decision}"), 1)
        } else if line == "- Comment:" {
            format!("- Comment: {comment}")
        } else if line.starts_with("- Changed drafts") && !label.is_empty() {
            format!("{line}\n\n{label}\n{text}\n")
        } else if !platform.is_empty() && line.starts_with(platform) {
            line.replacen("[ ] approve", "[x] approve", 1)
        } else {
            line.to_string()
        };
        out.push_str(&format!("> {line}\n"));
    }
    out
}

/// What a decisions file says per clip, without times, versions and history.
fn essence(d: &Value) -> Value {
    let clips = d["clips"].as_object().unwrap();
    let out: serde_json::Map<String, Value> = clips
        .iter()
        .map(|(id, c)| {
            let platforms: serde_json::Map<String, Value> = c["platforms"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(p, v)| {
                            (
                                p.clone(),
                                json!([v["status"], v["decided_on"], v["author"]]),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let e = json!({"status": c["status"], "comment": c["comment"], "drafts": c["drafts"],
                "decided_on": c["decided_on"], "platforms": platforms, "author": c["author"]});
            (id.clone(), e)
        })
        .collect();
    Value::Object(out)
}

fn clip_css(id: &str) -> String {
    format!("article.clip[data-clip-id=\"{id}\"]")
}

/// Writes review.html with its clips (real audio, a copy of samples/jfk.wav).
fn write_sheet(dir: &Path, h: &Highlights, existing: Option<&Value>) -> PathBuf {
    std::fs::create_dir_all(dir.join("clips")).unwrap();
    for c in &h.clips {
        std::fs::copy(common::sample("jfk.wav"), dir.join(&c.media[0])).unwrap();
    }
    let path = dir.join("review.html");
    std::fs::write(&path, render_html(h, existing)).unwrap();
    path
}

// ---- The test -------------------------------------------------------------------------

#[test]
fn review_sheet_works_in_headless_chromium() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let h = episode();
    let sheet = write_sheet(&tmp.path().join("out"), &h, None);
    let downloads = tmp.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let browser = Browser::start(&downloads);
    browser.goto(&file_url(&sheet));

    // Every clip is shown, in rank order, with its title, times and audio.
    let shown = browser.js(
        "return Array.from(document.querySelectorAll('article.clip')).map(a => ({
            id: a.dataset.clipId,
            title: a.querySelector('.clip-title').textContent,
            time: a.querySelector('.time').textContent,
            audio: a.querySelector('.media audio').getAttribute('src'),
            drafts: a.querySelectorAll('textarea.draft-text').length,
            why: a.querySelectorAll('.why li').length,
        }))",
        json!([]),
    );
    let shown = shown.as_array().unwrap();
    assert_eq!(shown.len(), h.clips.len(), "{shown:#?}");
    for (s, c) in shown.iter().zip(&h.clips) {
        assert_eq!(s["id"], c.id);
        assert_eq!(s["title"], c.title);
        assert_eq!(s["audio"], media_url(&c.media[0]));
        assert_eq!(s["drafts"], c.drafts.len());
        assert_eq!(s["why"], c.contributions.len());
    }
    assert_eq!(shown[0]["time"], "01:23–01:49");

    // The client reads one plain sentence per clip; the score arithmetic
    // waits behind a closed "Score details" toggle until opened.
    let client_view = browser.js(
        "return Array.from(document.querySelectorAll('article.clip')).map(a => ({
            summary: a.querySelector('.why .summary').innerText,
            open: a.querySelector('.why details').open,
            visibleRows: Array.from(a.querySelectorAll('.why li'))
                .filter(li => li.checkVisibility()).length,
        }))",
        json!([]),
    );
    for (v, c) in client_view.as_array().unwrap().iter().zip(&h.clips) {
        assert_eq!(v["summary"], c.summary, "{v}");
        assert_eq!(
            (v["open"].clone(), v["visibleRows"].clone()),
            (json!(false), json!(0))
        );
    }
    assert_eq!(
        client_view[0]["summary"],
        "Grabs attention in its first line and gives concrete numbers; 27 s."
    );
    // The words the transcription was unsure of are named for checking,
    // on the clip that has them only.
    let check = browser.js(
        "return Array.from(document.querySelectorAll('article.clip')).map(a => {
            const p = a.querySelector('.why .check-words');
            return p ? p.innerText : null;
        })",
        json!([]),
    );
    assert_eq!(
        check,
        json!([
            null,
            "Words to check (the transcription was unsure): worst, eat",
            null
        ])
    );
    let opened = browser.js(
        "const a = document.querySelector('article.clip');
         a.querySelector('.why details summary').click();
         return Array.from(a.querySelectorAll('.why li'))
            .filter(li => li.checkVisibility()).length;",
        json!([]),
    );
    assert_eq!(opened, h.clips[0].contributions.len());
    assert_eq!(
        browser.js("return document.title", json!([])),
        "Clip review: ep42-pricing.mp3 (The Growth Hour)"
    );

    // Markup in transcripts, titles, chapters and reasons shows as text.
    let escaped = browser.js(
        "const a = document.querySelector(arguments[0]);
         return {
            transcript: a.querySelector('.transcript').textContent,
            elementsInTranscript: a.querySelector('.transcript').children.length,
            chapter: a.querySelector('.chapter').textContent,
            reason: a.querySelector('.why .reason').textContent,
            scripts: document.scripts.length,
            markup: document.querySelectorAll('main b, main i, main img').length,
            pwned: typeof window.__pwned,
            audioFile: document.querySelectorAll('.media-file')[2].textContent,
         }",
        json!([clip_css(&h.clips[2].id)]),
    );
    assert_eq!(escaped["transcript"], PAYLOAD);
    assert!(escaped["transcript"]
        .as_str()
        .unwrap()
        .contains("<script>alert(1)</script>"));
    assert_eq!(escaped["elementsInTranscript"], 0);
    assert_eq!(escaped["chapter"], "Chapter: Q&A <i>live</i>");
    assert_eq!(
        escaped["reason"],
        "short sentence with <b>markup</b> & \"quotes\""
    );
    assert_eq!(
        escaped["scripts"], 2,
        "only the data and the sheet's own script"
    );
    assert_eq!(escaped["markup"], 0, "no element was made from data");
    assert_eq!(escaped["pwned"], "undefined", "a payload ran");
    assert_eq!(escaped["audioFile"], h.clips[2].media[0]);
    assert_eq!(
        browser.try_cmd("GET", "/alert/text", None),
        Err("no such alert".to_string()),
        "an alert opened"
    );

    // The counter counts like the drafts stage: X's weighting, characters
    // elsewhere.
    let samples = [
        "plain",
        "😀",
        "日本語",
        "👨‍👩‍👧 🇩🇪",
        "H🐱☺👨‍👩‍👧‍👦",
        "1️⃣ ©️ ©",
        "café — “quoted” …",
        "see https://example.com/a/very/long/path.",
        "growthhour.fm/ep12 now",
        "example.fm",
        "two: a.com b.org",
        "(https://en.wikipedia.org/wiki/Foo_(bar))",
        "me@example.com",
        "Node.js e.g. version 3.5",
        "🎙️ New episode: www.example.fm #podcast",
    ];
    for (mode, platform) in [("x", Platform::X), ("chars", Platform::Linkedin)] {
        let counts = browser.js(
            "return arguments[1].map(t => window.clipperCount(arguments[0], t))",
            json!([mode, samples]),
        );
        let expected: Vec<usize> = samples
            .iter()
            .map(|t| clipper::drafts::measure(platform, t))
            .collect();
        assert_eq!(
            counts,
            json!(expected),
            "{mode} counts differ from the Rust ones"
        );
    }

    // Audio plays: the file next to the sheet loads and time advances.
    let played = browser.js_async(
        "const done = arguments[arguments.length - 1];
         const a = document.querySelector(arguments[0] + ' audio');
         const until = Date.now() + 15000;
         const wait = () => a.currentTime > 0.5 || Date.now() > until
           ? Promise.resolve()
           : new Promise(r => setTimeout(r, 100)).then(wait);
         a.play()
           .then(wait)
           .then(() => done({ t: a.currentTime, paused: a.paused, ready: a.readyState,
                              duration: a.duration }))
           .catch(e => done({ error: String(e), code: a.error && a.error.code }));",
        json!([clip_css(&h.clips[0].id)]),
    );
    assert!(played["error"].is_null(), "audio did not play: {played}");
    assert_eq!(played["paused"], false, "{played}");
    assert!(played["ready"].as_u64().unwrap() >= 2, "{played}");
    assert!(
        played["t"].as_f64().unwrap() > 0.3,
        "time did not advance: {played}"
    );
    assert!(
        (played["duration"].as_f64().unwrap() - 11.0).abs() < 0.5,
        "{played}"
    );
    // The oddly named file loads too (its URL is percent-encoded).
    let loaded = browser.js_async(
        "const done = arguments[arguments.length - 1];
         const a = document.querySelector(arguments[0] + ' audio');
         a.addEventListener('loadedmetadata', () => done({ duration: a.duration }));
         a.addEventListener('error', () => done({ error: a.error && a.error.code }));
         a.preload = 'metadata'; a.load();",
        json!([clip_css(&h.clips[2].id)]),
    );
    assert!(loaded["error"].is_null(), "{loaded}");
    browser.js(
        "document.querySelectorAll('audio').forEach(a => a.pause())",
        json!([]),
    );

    // Editing a draft updates its counter live; over the limit it turns red.
    let x = &h.clips[1].drafts[0];
    let x_css = format!("{} textarea[data-key=\"x\"]", clip_css(&h.clips[1].id));
    let counter_css = format!("{} .counter[data-key=\"x\"]", clip_css(&h.clips[1].id));
    let counter = |css: &str| {
        browser.js(
            "const c = document.querySelector(arguments[0]);
             return { text: c.textContent, over: c.classList.contains('over'),
                      color: getComputedStyle(c).color }",
            json!([css]),
        )
    };
    // (the drafts wait, closed, under their platform's name)
    let platform =
        |clip: &str, p: &str| format!("{clip} details.platform[data-platform=\"{p}\"] > summary");
    browser.click(&platform(&clip_css(&h.clips[1].id), "x"));
    let before = counter(&counter_css);
    assert_eq!(before["text"], format!("{} / 280", x.text.chars().count()));
    assert_eq!(before["over"], false);
    let added = " Listen to the whole episode!";
    browser.type_into(&x_css, added);
    let after = counter(&counter_css);
    let edited_len = x.text.chars().count() + added.len();
    assert!(edited_len > 280);
    assert_eq!(after["text"], format!("{edited_len} / 280"));
    assert_eq!(after["over"], true);
    assert_eq!(
        after["color"], "rgb(180, 35, 24)",
        "the over-limit counter is red"
    );

    // Clip 1: edit its LinkedIn draft and approve it with a comment.
    let first = clip_css(&h.clips[0].id);
    let linkedin = &h.clips[0].drafts[1];
    let edit = " Edited by the client.";
    browser.click(&platform(&first, "linkedin"));
    browser.type_into(&format!("{first} textarea[data-key=\"linkedin\"]"), edit);
    let li_counter = counter(&format!("{first} .counter[data-key=\"linkedin\"]"));
    assert_eq!(
        li_counter["text"],
        format!("{} / 3000", linkedin.text.chars().count() + edit.len())
    );
    browser.click(&format!("{first} .clip-decision label.choice.approved"));
    browser.type_into(
        &format!("{first} .clip-decision textarea.comment"),
        "Love it, post Monday.",
    );
    // Clip 2 needs changes; clip 3 stays pending but its X post alone is
    // approved (the name is asked for at the first decision).
    browser.click(&format!(
        "{} .clip-decision label.choice.needs_changes",
        clip_css(&h.clips[1].id)
    ));
    browser.type_into(
        &format!(
            "{} .clip-decision textarea.comment",
            clip_css(&h.clips[1].id)
        ),
        "Shorten the X post, keep the hook.",
    );
    assert_eq!(
        browser.js(
            "return document.querySelector('label.author').classList.contains('wanted')",
            json!([])
        ),
        true,
        "the name is asked for"
    );
    let third = clip_css(&h.clips[2].id);
    browser.click(&platform(&third, "x"));
    browser.click(&format!(
        "{third} details.platform[data-platform=\"x\"] label.choice.approved"
    ));
    let x_badge = || {
        browser.js(
            "return document.querySelector(arguments[0]).textContent",
            json!([format!(
                "{third} details.platform[data-platform=\"x\"] .badge"
            )]),
        )
    };
    assert_eq!(x_badge(), "approved \u{b7} Version A");
    // The client picks the thread: the badge says so, the thread's box is
    // marked, and its counter counts posts.
    browser.click(&format!(
        "{third} details.platform[data-platform=\"x\"] input.version[value=\"thread\"]"
    ));
    assert_eq!(x_badge(), "approved \u{b7} Thread");
    assert_eq!(
        browser.js(
            "return Array.from(document.querySelectorAll(arguments[0])).map(b => b.dataset.version)",
            json!([format!("{third} .draft.chosen")])
        ),
        json!(["thread"])
    );
    assert_eq!(
        browser.js(
            "return document.querySelector(arguments[0]).textContent",
            json!([format!("{third} .draft[data-key=\"x_thread\"] .counter")])
        ),
        "3 posts, the longest 24 / 280"
    );
    browser.type_into("#author", "Dana (client)");
    assert_eq!(
        browser.js(
            "return document.getElementById('summary').textContent",
            json!([])
        ),
        "Posts: 4 approved, 3 need changes, 0 rejected, 2 waiting for you"
    );

    // Save: decisions.json is built (and downloaded).
    browser.click("#save");
    let saved_text = browser
        .js(
            "return document.getElementById('saved-json').textContent",
            json!([]),
        )
        .as_str()
        .unwrap()
        .to_string();
    let saved: Value = serde_json::from_str(&saved_text).unwrap();
    assert_eq!(saved["format"], "clipper-decisions");
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["episode"], h.episode);
    assert_eq!(saved["author"], "Dana (client)");
    assert!(saved["saved_at"].as_str().unwrap().ends_with('Z'));
    let one = &saved["clips"][&h.clips[0].id];
    assert_eq!(one["status"], "approved");
    assert_eq!(one["comment"], "Love it, post Monday.");
    assert_eq!(
        one["drafts"]["linkedin"],
        format!("{}{edit}", linkedin.text)
    );
    assert_eq!(one["drafts"]["x"], h.clips[0].drafts[0].text);
    assert_eq!(one["drafts"]["youtube_title"], h.clips[0].drafts[2].text);
    let three = &saved["clips"][&h.clips[2].id];
    assert_eq!(three["status"], "pending");
    assert_eq!(three["platforms"]["x"]["status"], "approved");
    assert_eq!(three["platforms"]["x"]["choice"], "thread");
    assert_eq!(three["platforms"]["linkedin"]["choice"], "a");
    assert!(three["platforms"]["x"]["decided_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(three["platforms"]["linkedin"]["status"], "pending");
    assert!(three["platforms"]["linkedin"]["decided_at"].is_null());
    assert!(one["decided_at"].as_str().unwrap().ends_with('Z'));
    let two = &saved["clips"][&h.clips[1].id];
    assert_eq!(two["status"], "needs_changes");
    assert_eq!(two["comment"], "Shorten the X post, keep the hook.");
    assert_eq!(two["drafts"]["x"], format!("{}{added}", x.text));
    assert_eq!(saved["clips"].as_object().unwrap().len(), 3);
    let downloaded = downloads.join("decisions-ep42-pricing.json");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !downloaded.is_file() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let downloaded: Value = serde_json::from_str(
        &std::fs::read_to_string(&downloaded).expect("Save downloads decisions-<episode>.json"),
    )
    .unwrap();
    assert_eq!(downloaded, saved);

    if std::env::var_os("CLIPPER_SCREENSHOT").is_some_and(|v| v == "1") {
        browser.js("window.scrollTo(0, 0)", json!([]));
        let png = browser.screenshot();
        assert!(png.starts_with(b"\x89PNG"));
        let docs = common::repo().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join("review-sheet.png"), png).unwrap();
    }

    // An accidental reload keeps the edits (localStorage).
    browser.cmd("POST", "/refresh", Some(&json!({})));
    let kept = browser.js(
        "const a = document.querySelector(arguments[0]);
         return { checked: a.querySelector('input[value=approved]').checked,
                  comment: a.querySelector('textarea.comment').value,
                  linkedin: a.querySelector('textarea[data-key=linkedin]').value,
                  author: document.getElementById('author').value }",
        json!([first]),
    );
    assert_eq!(
        kept,
        json!({ "checked": true, "comment": "Love it, post Monday.",
                "linkedin": format!("{}{edit}", linkedin.text), "author": "Dana (client)" })
    );

    // The client's file comes back and applies to the output folder's
    // decisions.json (as generated by the pipeline: every clip pending).
    let out = tmp.path().join("out");
    let mut generated = Decisions::new(&h.episode);
    generated.sync(&h);
    let folder = OutputFolder::new(&out);
    folder.save_decisions(&generated).unwrap();
    std::fs::write(out.join("highlights.json"), serde_json::to_vec(&h).unwrap()).unwrap();
    let client_json = out.join("client-decisions.json");
    std::fs::write(&client_json, &saved_text).unwrap();
    let report = apply(&folder, &client_json, None).unwrap();
    let mut changed = report.changed.clone();
    changed.sort();
    assert_eq!(
        changed,
        [
            h.clips[0].id.clone(),
            h.clips[1].id.clone(),
            h.clips[2].id.clone()
        ],
        "{report:?}"
    );
    assert!(report.orphaned.is_empty(), "{report:?}");
    let merged: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("decisions.json")).unwrap())
            .unwrap();
    let approved = &merged["clips"][&h.clips[0].id];
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["comment"], "Love it, post Monday.");
    assert_eq!(approved["author"], "Dana (client)");
    assert_eq!(
        approved["drafts"]["linkedin"],
        format!("{}{edit}", linkedin.text)
    );
    assert_eq!(approved["history"].as_array().unwrap().len(), 2);
    assert_eq!(merged["clips"][&h.clips[1].id]["status"], "needs_changes");
    assert_eq!(merged["clips"][&h.clips[2].id]["status"], "pending");
    assert_eq!(
        merged["clips"][&h.clips[2].id]["platforms"]["x"]["status"],
        "approved"
    );
    assert_eq!(
        merged["clips"][&h.clips[2].id]["platforms"]["x"]["author"],
        "Dana (client)"
    );

    // The same answers as an e-mail reply to review.md give the same decisions.
    let out2 = tmp.path().join("out2");
    let folder2 = OutputFolder::new(&out2);
    folder2.save_decisions(&generated).unwrap();
    std::fs::write(
        out2.join("highlights.json"),
        serde_json::to_vec(&h).unwrap(),
    )
    .unwrap();
    let md = clipper::review::markdown::render_markdown_full(&h, None, Some(&generated));
    let answers = [
        (
            "approve",
            "Love it, post Monday.",
            "LinkedIn:",
            format!("{}{edit}", linkedin.text),
            "",
        ),
        (
            "needs changes",
            "Shorten the X post, keep the hook.",
            "X:",
            format!("{}{added}", x.text),
            "",
        ),
        ("", "", "", String::new(), "- X:"),
    ];
    let reply_file = out2.join("reply.txt");
    // Clip 3 is the only one with versions: its X thread is picked.
    let reply = email_reply(&md, &h, &answers).replace(
        "- X version: [ ] A [ ] B [ ] thread",
        "- X version: [ ] A [ ] B [x] thread",
    );
    assert!(reply.contains("[x] thread"), "{md}");
    std::fs::write(&reply_file, reply).unwrap();
    apply(&folder2, &reply_file, Some("Dana (client)")).unwrap();
    let by_mail: Value =
        serde_json::from_str(&std::fs::read_to_string(out2.join("decisions.json")).unwrap())
            .unwrap();
    assert_eq!(essence(&by_mail), essence(&merged));

    // A sheet rendered from the merged decisions starts from them.
    let again = write_sheet(&tmp.path().join("again"), &h, Some(&merged));
    browser.goto(&file_url(&again));
    let prefilled = browser.js(
        "const a = document.querySelector(arguments[0]);
         return { status: a.dataset.status,
                  checked: a.querySelector('input[value=approved]').checked,
                  comment: a.querySelector('textarea.comment').value,
                  linkedin: a.querySelector('textarea[data-key=linkedin]').value,
                  edited: a.querySelectorAll('.draft.edited').length }",
        json!([first]),
    );
    assert_eq!(
        prefilled,
        json!({ "status": "approved", "checked": true, "comment": "Love it, post Monday.",
                "linkedin": format!("{}{edit}", linkedin.text), "edited": 1 })
    );
    drop(browser);

    eprintln!(
        "review sheet browser test: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn season_index_works_in_headless_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("Season 2 ünï");
    std::fs::create_dir_all(season.join("bonus")).unwrap();
    std::fs::copy(
        crate::common::sample("jfk.wav"),
        season.join("ep 1 jfk.wav"),
    )
    .unwrap();
    std::fs::copy(
        crate::common::sample("formats/goforward.wav"),
        season.join("bonus/ep 2 «go».wav"),
    )
    .unwrap();
    std::fs::write(season.join("ep 3 <broken>.mp3"), "not audio").unwrap();
    crate::common::clipper(tmp.path())
        .arg("--model")
        .arg(crate::common::model())
        .arg(&season)
        .assert()
        .code(3);

    let downloads = tmp.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let browser = Browser::start(&downloads);
    browser.goto(&file_url(&season.join("season.html")));
    let rows = browser.js(
        "return Array.from(document.querySelectorAll('#episodes tbody tr')).map(r => ({
            name: r.cells[0].textContent,
            status: r.dataset.status,
            link: r.querySelector('a') ? r.querySelector('a').href : null,
            details: r.cells[7].textContent,
        }))",
        json!([]),
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    // Sorted as the season is processed: the sub-folder first.
    assert_eq!(rows[0]["name"], "bonus/ep 2 «go».wav");
    assert_eq!(rows[1]["name"], "ep 1 jfk.wav");
    assert_eq!(rows[1]["status"], "done");
    assert_eq!(rows[2]["name"], "ep 3 <broken>.mp3");
    assert_eq!(rows[2]["status"], "failed");
    assert!(rows[2]["link"].is_null());
    assert!(rows[2]["details"]
        .as_str()
        .unwrap()
        .contains("not an audio file"));
    let totals = browser.js(
        "return document.getElementById('totals').textContent",
        json!([]),
    );
    assert!(
        totals
            .as_str()
            .unwrap()
            .starts_with("3 episodes: 2 done, 1 failed"),
        "{totals}"
    );

    // Every link opens that episode's review sheet.
    for i in [0, 1] {
        browser.goto(&file_url(&season.join("season.html")));
        browser.click(&format!("#episodes tbody tr:nth-child({}) a", i + 1));
        let title = browser.js(
            "return [document.location.href, document.querySelectorAll('article.clip, .empty, h1').length]",
            json!([]),
        );
        let href = title[0].as_str().unwrap();
        assert!(href.ends_with("/review.html"), "{href}");
        assert_eq!(href, rows[i]["link"].as_str().unwrap());
        assert!(title[1].as_u64().unwrap() >= 1, "the review sheet rendered");
    }
}

/// Chromium as a 390×844 phone (CSS pixels, touch, mobile viewport).
fn as_phone(browser: &Browser) {
    browser.cmd(
        "POST",
        "/goog/cdp/execute",
        Some(
            &json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": {
            "width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": true } }),
        ),
    );
}

/// Where the first clip's Approve control is and how tall the sheet is,
/// in CSS pixels, scrolled to the top.
fn phone_measure(browser: &Browser) -> Value {
    browser.js(
        "window.scrollTo(0, 0);
         const approve = document.querySelector('article.clip .clip-decision label.choice.approved')
           || Array.from(document.querySelectorAll('article.clip input[value=approved]'))[0];
         const r = approve.getBoundingClientRect();
         const doc = document.documentElement;
         return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
                  width: r.width, inner: [window.innerWidth, window.innerHeight],
                  page: doc.scrollHeight, overflowX: doc.scrollWidth > window.innerWidth,
                  screens: doc.scrollHeight / window.innerHeight }",
        json!([]),
    )
}

#[test]
fn review_sheet_fits_a_phone() {
    let tmp = tempfile::tempdir().unwrap();
    let h = episode();
    let sheet = write_sheet(&tmp.path().join("out"), &h, None);
    let downloads = tmp.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let browser = Browser::start(&downloads);
    as_phone(&browser);
    browser.goto(&file_url(&sheet));
    let m = phone_measure(&browser);
    eprintln!("phone 390×844: {m}");
    assert_eq!(m["inner"], json!([390, 844]), "{m}");
    // The first clip's Approve is on the first screen, whole, and a
    // thumb-sized target; nothing is wider than the phone.
    assert!(m["top"].as_f64().unwrap() >= 0.0, "{m}");
    assert!(m["bottom"].as_f64().unwrap() <= 844.0, "{m}");
    assert!(m["height"].as_f64().unwrap() >= 44.0, "{m}");
    assert_eq!(m["overflowX"], false, "{m}");
    // The how-to comes first; the drafts are closed; the keyboard reaches
    // the first decision (Tab from the top: name, save, player, choices).
    let layout = browser.js(
        "const how = document.getElementById('how-to').getBoundingClientRect();
         const first = document.querySelector('article.clip').getBoundingClientRect();
         return { howFirst: how.bottom <= first.top,
                  open: document.querySelectorAll('details.platform[open]').length,
                  platforms: document.querySelectorAll('details.platform').length }",
        json!([]),
    );
    assert_eq!(
        layout,
        json!({ "howFirst": true, "open": 0, "platforms": 9 })
    );
    let reached = browser.js_async(
        "const done = arguments[arguments.length - 1];
         const radio = document.querySelector('article.clip .clip-decision input[value=approved]');
         radio.focus();
         done({ focused: document.activeElement === radio, tabIndex: radio.tabIndex });",
        json!([]),
    );
    assert_eq!(reached, json!({ "focused": true, "tabIndex": 0 }));
    // Approving by keyboard: Space on the focused choice.
    let id = browser.find("article.clip .clip-decision input[value=approved]");
    browser.cmd(
        "POST",
        &format!("/element/{id}/value"),
        Some(&json!({ "text": " " })),
    );
    assert_eq!(
        browser.js(
            "return document.querySelector('article.clip').dataset.status",
            json!([])
        ),
        "approved"
    );
    // Any other sheet to measure (CLIPPER_MEASURE_SHEET=path), for notes.
    if let Some(other) = std::env::var_os("CLIPPER_MEASURE_SHEET") {
        for path in std::env::split_paths(&other) {
            browser.goto(&file_url(&path));
            eprintln!(
                "phone 390×844, {}: {}",
                path.display(),
                phone_measure(&browser)
            );
        }
    }
}

/// A real run's sheet, copied away from its `clips/` folder (as an e-mail
/// attachment or a phone download is), still plays each clip: the audio
/// preview and the quote card travel inside the HTML.
#[test]
fn the_sheet_plays_its_clips_with_no_clips_folder_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo.clipper");
    common::clipper(tmp.path())
        .arg(common::sample("demo-episode.mp3"))
        .arg("--transcript")
        .arg(common::fixture("demo-episode.transcript.json"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let alone = tmp.path().join("attachment");
    std::fs::create_dir_all(&alone).unwrap();
    let sheet = alone.join("review.html");
    std::fs::copy(out.join("review.html"), &sheet).unwrap();
    let bytes = std::fs::metadata(&sheet).unwrap().len();
    let h: Highlights =
        serde_json::from_str(&std::fs::read_to_string(out.join("highlights.json")).unwrap())
            .unwrap();
    eprintln!(
        "self-contained review.html: {} clips, {:.2} MB",
        h.clips.len(),
        bytes as f64 / 1e6
    );
    // the budget: 2 MB a clip (10 MB for five)
    assert!(bytes <= 2_000_000 * h.clips.len() as u64, "{bytes} bytes");
    let downloads = tmp.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let browser = Browser::start(&downloads);
    as_phone(&browser);
    browser.goto(&file_url(&sheet));
    let played = browser.js_async(
        "const done = arguments[arguments.length - 1];
         const audios = Array.from(document.querySelectorAll('article.clip audio'));
         const posters = document.querySelectorAll('article.clip img.poster').length;
         const a = audios[0];
         a.muted = true;
         const report = () => done({ clips: audios.length, embedded: audios.every(x => x.src.startsWith('data:audio/mpeg')),
             posters, time: a.currentTime, duration: a.duration, error: a.error && a.error.code });
         a.addEventListener('error', report);
         a.play().then(() => setTimeout(() => { a.pause(); report(); }, 1500)).catch(e => done({ failed: String(e) }));",
        json!([]),
    );
    eprintln!("played from the sheet alone: {played}");
    assert_eq!(played["clips"], json!(h.clips.len()), "{played}");
    assert_eq!(played["embedded"], true, "{played}");
    assert_eq!(played["posters"], json!(h.clips.len()), "{played}");
    assert!(played["error"].is_null(), "{played}");
    assert!(
        played["time"].as_f64().unwrap() > 0.5,
        "it played: {played}"
    );
    let want = h.clips[0].duration();
    let got = played["duration"].as_f64().unwrap();
    assert!((got - want).abs() < 0.5, "{got} vs the clip's {want}");
    // the first Approve is still on the first screen
    let m = phone_measure(&browser);
    assert!(m["bottom"].as_f64().unwrap() <= 844.0, "{m}");
}

#[test]
fn the_sheet_speaks_the_clients_language() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = episode();
    h.ui_language = "id".into();
    let sheet = write_sheet(&tmp.path().join("out"), &h, None);
    let downloads = tmp.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let browser = Browser::start(&downloads);
    as_phone(&browser);
    browser.goto(&file_url(&sheet));
    let words = browser.js(
        "return { lang: document.documentElement.lang,
                  how: document.getElementById('how-to').textContent,
                  save: document.getElementById('save').textContent,
                  choices: Array.from(document.querySelectorAll('article.clip:first-of-type .clip-decision label.choice')).map(l => l.textContent),
                  summary: document.getElementById('summary').textContent,
                  badge: document.querySelector('details.platform .badge').textContent }",
        json!([]),
    );
    assert_eq!(words["lang"], "id");
    assert!(
        words["how"]
            .as_str()
            .unwrap()
            .starts_with("Cara menjawab: putar setiap klip"),
        "{words}"
    );
    assert_eq!(words["save"], "Simpan keputusan");
    assert_eq!(
        words["choices"],
        json!(["Setujui", "Perlu revisi", "Tolak"])
    );
    assert_eq!(
        words["summary"],
        "Postingan: 0 disetujui, 0 perlu revisi, 0 ditolak, 9 menunggu Anda"
    );
    assert_eq!(words["badge"], "menunggu Anda");
    // A platform decided on its own can follow the clip's decision again.
    let first_x = "article.clip:first-of-type details.platform[data-platform=\"x\"]";
    let badge = || {
        browser.js(
            "return document.querySelector(arguments[0] + ' .badge').textContent",
            json!([first_x]),
        )
    };
    browser.click(&format!("{first_x} > summary"));
    browser.click(&format!("{first_x} label.choice.rejected"));
    assert_eq!(badge(), "ditolak");
    browser.click(&format!("{first_x} button.follow-clip"));
    assert_eq!(badge(), "menunggu Anda");
    assert_eq!(
        browser.js(
            "return document.querySelector(arguments[0] + ' button.follow-clip').hidden",
            json!([first_x])
        ),
        true
    );
    // The answers it saves are the same as in English.
    browser.click("article.clip .clip-decision label.choice.approved");
    browser.click("#save");
    let saved: Value = serde_json::from_str(
        browser
            .js(
                "return document.getElementById('saved-json').textContent",
                json!([]),
            )
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(saved["clips"][&h.clips[0].id]["status"], "approved");
    assert_eq!(
        saved["clips"][&h.clips[0].id]["platforms"]["x"]["status"],
        "pending"
    );
    assert_eq!(badge(), "disetujui");
}
