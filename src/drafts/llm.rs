//! The `openai` writer engine: drafts written by a language model behind
//! any OpenAI-compatible chat-completions endpoint (llama.cpp's server,
//! Ollama, LM Studio, vLLM or a hosted one).
//!
//! The builtin drafts are made first and stay the safety net: each model
//! answer goes through [`super::check`] and is used as written, repaired,
//! or replaced by the builtin draft, with a note on the draft saying which.
//! Requests go one at a time (small model servers answer one at a time);
//! once the endpoint fails to answer (refused, timed out, HTTP error) the
//! rest of the episode keeps its builtin drafts, so a dead server costs at
//! most one time-out per episode. Only the clip's words and the episode's
//! context go out, and only to the configured endpoint.

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};

use crate::config::{ClientConfig, WriterConfig};
use crate::domain::Platform;
use crate::highlights::Clip;

use super::check::{self, Rules, Verdict};
use super::{
    limit, measure, remove_fillers, ClipDrafts, Draft, DraftContext, DraftKind, Material,
    INSTAGRAM_FOLD, LINKEDIN_FOLD, TITLE_MAX,
};

/// The most words of a clip's transcript put in a prompt.
const PROMPT_MAX_WORDS: usize = 600;
/// The most bytes of an answer read.
const ANSWER_MAX_BYTES: u64 = 1 << 20;

/// Why a request gave no answer to check.
#[derive(Debug)]
enum CallError {
    /// The endpoint did not answer (refused, timed out, HTTP error): no
    /// use asking again during this episode.
    Unreachable(String),
    /// It answered with something that is not a chat completion.
    Malformed(String),
}

/// A model's answer.
struct Answer {
    /// Its text.
    text: String,
    /// Whether the model stopped at `max_tokens`, mid-sentence.
    cut: bool,
}

/// A chat-completions client for one endpoint.
struct Client {
    agent: ureq::Agent,
    url: String,
    model: String,
    key: Option<String>,
    max_tokens: u32,
    temperature: f64,
}

/// Whether `endpoint` names this machine (`localhost`, `127.x`, `::1`).
pub(crate) fn is_loopback(endpoint: &str) -> bool {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The chat-completions URL of an endpoint given as a base URL
/// (`http://host:8080/v1`) or as the full URL.
pub(crate) fn completions_url(endpoint: &str) -> String {
    let e = endpoint.trim().trim_end_matches('/');
    if e.ends_with("/chat/completions") {
        e.to_string()
    } else {
        format!("{e}/chat/completions")
    }
}

/// Says once per process and endpoint, on stderr, that clip transcripts
/// leave the machine for a remote endpoint.
fn notice_remote(endpoint: &str) {
    static TOLD: Mutex<Vec<String>> = Mutex::new(Vec::new());
    if is_loopback(endpoint) {
        return;
    }
    let mut told = TOLD.lock().unwrap_or_else(|e| e.into_inner());
    if !told.iter().any(|e| e == endpoint) {
        told.push(endpoint.to_string());
        eprintln!("note: the writer sends clip transcripts to {endpoint} (not this machine)");
    }
}

impl Client {
    fn new(cfg: &WriterConfig) -> Client {
        let mut config = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs_f64(cfg.timeout_s)))
            .http_status_as_error(true);
        if is_loopback(&cfg.endpoint) {
            // A proxy from the environment has no business with this machine.
            config = config.proxy(None);
        }
        let key = Some(cfg.api_key_env.trim())
            .filter(|v| !v.is_empty())
            .and_then(|v| std::env::var(v).ok())
            .filter(|k| !k.trim().is_empty());
        Client {
            agent: config.build().into(),
            url: completions_url(&cfg.endpoint),
            model: cfg.model.clone(),
            key,
            max_tokens: cfg.max_tokens,
            temperature: cfg.temperature,
        }
    }

    /// One chat completion.
    fn complete(&self, system: &str, user: &str) -> Result<Answer, CallError> {
        let mut body = json!({
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": user },
            ],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stream": false,
        });
        if !self.model.trim().is_empty() {
            body["model"] = json!(self.model);
        }
        let mut req = self.agent.post(&self.url);
        if let Some(key) = &self.key {
            req = req.header("Authorization", &format!("Bearer {key}"));
        }
        let mut resp = req
            .send_json(&body)
            .map_err(|e| CallError::Unreachable(e.to_string()))?;
        let raw = resp
            .body_mut()
            .with_config()
            .limit(ANSWER_MAX_BYTES)
            .read_to_string()
            .map_err(|e| CallError::Unreachable(e.to_string()))?;
        let v: Value = serde_json::from_str(&raw)
            .map_err(|_| CallError::Malformed("the answer is not JSON".into()))?;
        let text = v
            .pointer("/choices/0/message/content")
            .and_then(Value::as_str)
            .ok_or_else(|| CallError::Malformed("the answer holds no message".into()))?;
        let cut = v
            .pointer("/choices/0/finish_reason")
            .and_then(Value::as_str)
            == Some("length");
        Ok(Answer {
            text: text.to_string(),
            cut,
        })
    }
}

/// What to ask for, per platform field.
fn field_brief(platform: Platform, kind: DraftKind, m: &Material) -> String {
    let link = m.cta(Platform::X).unwrap_or("");
    let bio = m.cta(Platform::Instagram).unwrap_or("");
    match (platform, kind) {
        (Platform::Youtube, DraftKind::Title) => format!(
            "a YouTube Shorts title: one line, at most {TITLE_MAX} characters, a headline of the clip's main point, no hashtags, no quotation marks"
        ),
        (Platform::Youtube, _) => format!(
            "a YouTube Shorts description: two or three sentences on the clip, then this call to action: {link}; up to 3 hashtags at the end. Never say \"link in bio\""
        ),
        (Platform::X, _) => format!(
            "a post for X: a strong first sentence, then this call to action: {link}; up to 2 hashtags. X counts every link as 23 characters and every emoji as 2"
        ),
        (Platform::Linkedin, _) => format!(
            "a LinkedIn post: a first line under {LINKEDIN_FOLD} characters that makes people open the post, two or three short paragraphs, a question to the reader, this call to action: {link}; up to 3 hashtags. Never say \"link in bio\""
        ),
        (Platform::Instagram, _) => format!(
            "an Instagram caption: a first line under {INSTAGRAM_FOLD} characters, a few short lines, then: {bio}; up to 5 hashtags at the end"
        ),
        (Platform::Tiktok, _) => format!(
            "a TikTok caption: one or two short lines, then: {bio}; up to 4 hashtags"
        ),
    }
}

/// The system and user messages for one draft.
fn prompt(d: &Draft, m: &Material, max: usize, cfg: &ClientConfig) -> (String, String) {
    let system = "You write social media copy for a podcast's short video clips. \
                  Answer with the requested text only: no preamble, no notes, no quotation marks around it."
        .to_string();
    let mut rules = vec![
        format!("Write {}.", field_brief(d.platform, d.kind, m)),
        format!("At most {max} characters in all."),
        "Hashtags: names or key phrases in CamelCase (#PriceTheResult), never a common word (#today)."
            .to_string(),
    ];
    if !m.default_tags.is_empty() && d.kind != DraftKind::Title {
        rules.push(format!("Always include: {}.", m.default_tags.join(" ")));
    }
    if !cfg.banned_words.is_empty() {
        rules.push(format!(
            "Never use these words: {}.",
            cfg.banned_words.join(", ")
        ));
    }
    let voice = cfg.writer.voice.split_whitespace().collect::<Vec<_>>();
    if !voice.is_empty() {
        rules.push(format!("The client's voice: {}.", voice.join(" ")));
    }
    let mut context = Vec::new();
    for (label, value) in [
        ("Show", &m.show),
        ("Guest", &m.guest),
        ("Episode", &m.episode),
        ("Chapter", &m.chapter),
    ] {
        if let Some(v) = value {
            context.push(format!("{label}: {v}"));
        }
    }
    let words: Vec<&str> = m.clip_text.split_whitespace().collect();
    let clip = remove_fillers(&words[..words.len().min(PROMPT_MAX_WORDS)].join(" "));
    let user = format!(
        "{}\n\n{}\nClip transcript:\n\"\"\"\n{clip}\n\"\"\"",
        rules.join("\n"),
        context.join("\n")
    );
    (system, user)
}

/// How one episode's model drafts went, for the warning line.
#[derive(Debug, Default)]
struct Tally {
    /// Why the endpoint stopped answering, once it did.
    down: Option<String>,
    /// Answers that were not chat completions.
    malformed: usize,
    /// The drafts asked for.
    asked: usize,
}

/// What an answer may link or name: the client's calls to action and
/// handles.
fn allowed(cfg: &ClientConfig, m: &Material) -> Vec<String> {
    [Some(cfg.cta.clone()), m.link_cta.clone(), m.bio_cta.clone()]
        .into_iter()
        .flatten()
        .chain(cfg.handles.values().cloned())
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// Asks the model for one draft and settles it: the checked answer, or
/// the builtin draft with a note.
fn write_one(client: &Client, d: &mut Draft, m: &Material, cfg: &ClientConfig, tally: &mut Tally) {
    if let Some(why) = &tally.down {
        d.note = Some(format!(
            "Builtin draft: the writer was not reached ({why})."
        ));
        return;
    }
    let platform_max = limit(d.platform, d.kind);
    let max = match cfg.writer.max_length {
        0 => platform_max,
        n => n.min(platform_max),
    };
    let (system, user) = prompt(d, m, max, cfg);
    // The rules, without the episode's context or the clip.
    let instructions = user.split("\n\n").next().unwrap_or("");
    tally.asked += 1;
    let answer = match client.complete(&system, &user) {
        Ok(a) => a,
        Err(CallError::Unreachable(why)) => {
            d.note = Some(format!(
                "Builtin draft: the writer was not reached ({why})."
            ));
            tally.down = Some(why);
            return;
        }
        Err(CallError::Malformed(why)) => {
            d.note = Some(format!("Builtin draft: {why}."));
            tally.malformed += 1;
            return;
        }
    };
    let rules = Rules {
        platform: d.platform,
        kind: d.kind,
        max,
        banned_words: &cfg.banned_words,
        banned_tags: &cfg.banned_hashtags,
        own_tags: &cfg.default_hashtags,
        allowed: &allowed(cfg, m),
        instructions,
        clip_text: &m.clip_text,
        text_rules: super::rules_of(cfg),
        cut: answer.cut,
        language: &cfg.language,
    };
    let (text, note) = match check::check(&answer.text, &rules) {
        Verdict::Accepted(t) => (t, "Written by the language model.".to_string()),
        Verdict::Repaired(t, what) => (
            t,
            format!(
                "Written by the language model, repaired: {}.",
                what.join("; ")
            ),
        ),
        Verdict::Rejected(why) => {
            d.note = Some(format!("Builtin draft: the model's answer {why}."));
            return;
        }
    };
    d.length = measure(d.platform, &text);
    d.text = text;
    d.note = Some(note);
}

/// Rewrites an episode's builtin drafts of the first version with the
/// model of `cfg.writer`, one request at a time; every such draft gets a
/// note saying whether the model wrote it (as is or repaired) or the
/// builtin draft stayed. Returns the episode's warning when the endpoint failed.
pub(crate) fn rewrite(
    drafts: &mut [ClipDrafts],
    clips: &[Clip],
    cfg: &ClientConfig,
    ctx: &DraftContext,
) -> Option<String> {
    notice_remote(&cfg.writer.endpoint);
    let client = Client::new(&cfg.writer);
    let mut tally = Tally::default();
    for (position, (cd, clip)) in drafts.iter_mut().zip(clips).enumerate() {
        let m = Material::new(clip, cfg, ctx, position);
        // The model writes the first version; the second and the thread
        // stay the builtin writer's, an alternative the client can pick.
        for d in cd.drafts.iter_mut().filter(|d| d.version() == "a") {
            write_one(&client, d, &m, cfg, &mut tally);
        }
    }
    let endpoint = &cfg.writer.endpoint;
    if let Some(why) = tally.down {
        Some(format!(
            "the writer at {endpoint} was not reached ({why}); builtin drafts were used"
        ))
    } else if tally.malformed > 0 {
        Some(format!(
            "the writer at {endpoint} gave {} unusable answers of {}; builtin drafts were used for them",
            tally.malformed, tally.asked
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_endpoints_are_known() {
        assert!(is_loopback("http://127.0.0.1:8080/v1"));
        assert!(is_loopback("http://localhost:11434/v1"));
        assert!(is_loopback("http://[::1]:1234/v1"));
        assert!(!is_loopback("https://api.example.com/v1"));
        assert!(!is_loopback("http://192.168.1.20:8080/v1"));
    }

    #[test]
    fn base_urls_get_the_completions_path() {
        assert_eq!(
            completions_url("http://localhost:11434/v1/"),
            "http://localhost:11434/v1/chat/completions"
        );
        assert_eq!(
            completions_url("http://h/v1/chat/completions"),
            "http://h/v1/chat/completions"
        );
    }
}
