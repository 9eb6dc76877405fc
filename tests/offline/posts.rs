//! The post writer on every saved transcript, through the real binary
//! (`clipper EPISODE --transcript FIXTURE`): on every clip's drafts, at
//! most 60 % of the clip's transcript words, no common-word hashtag, titles
//! of at most 60 characters that never end in a dangling word, no "link in
//! bio" on LinkedIn, YouTube or X, every limit in the platform's counting.

use std::collections::HashMap;

use clipper::bundle::Highlights;
use clipper::config::Platform;
use clipper::drafts::{x_weighted_len, DraftKind};

use crate::common::*;

/// Lowercase word tokens: runs of letters, digits and apostrophes.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.replace('’', "'").trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The share of the clip's word tokens the draft repeats, as a multiset
/// (written here apart from the library's own measure).
fn share(clip: &str, draft: &str) -> f64 {
    let mut have: HashMap<String, usize> = HashMap::new();
    for w in tokens(draft) {
        *have.entry(w).or_default() += 1;
    }
    let clip = tokens(clip);
    let mut hit = 0;
    for w in &clip {
        if let Some(n) = have.get_mut(w).filter(|n| **n > 0) {
            *n -= 1;
            hit += 1;
        }
    }
    hit as f64 / clip.len().max(1) as f64
}

const DANGLING: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "my", "our", "your", "their",
];

#[test]
fn posts_on_every_fixture_keep_the_rules() {
    let rules = clipper::lang::rules("en");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("clipper.toml"), DEMO_CONFIG).unwrap();
    let runs = [
        ("demo-episode", "demo-episode.mp3"),
        ("dev-interview", "dev/dev-interview.mp3"),
        ("meeting", "meeting.wav"),
        ("sonnet", "sonnet.mp3"),
    ];
    for (name, audio) in runs {
        let out = tmp.path().join(name);
        clipper(tmp.path())
            .arg(sample(audio))
            .arg("--transcript")
            .arg(fixture(&format!("{name}.transcript.json")))
            .arg("--config")
            .arg(tmp.path().join("clipper.toml"))
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let h: Highlights = read(&out.join("highlights.json"));
        assert!(!h.clips.is_empty(), "{name}: no clips");
        let mut worst = 0.0f64;
        for c in &h.clips {
            let id = format!("{name} {}", c.id);
            let t = &c.title;
            assert!(t.chars().count() <= 60, "{id}: title {t:?}");
            assert!(!t.contains('…') && !t.contains("..."), "{id}: title {t:?}");
            let last = tokens(t).pop().unwrap_or_default();
            assert!(!DANGLING.contains(&last.as_str()), "{id}: title {t:?}");
            for d in &c.drafts {
                let key = format!("{id} {}", d.key());
                let s = share(&c.text, &d.text);
                worst = worst.max(s);
                assert!(s <= 0.6, "{key}: repeats {s:.2} of the clip:\n{}", d.text);
                // Each post of a thread is held to the limit.
                let counted = clipper::drafts::thread_posts(&d.text)
                    .iter()
                    .map(|p| match d.platform {
                        Platform::X => x_weighted_len(p),
                        _ => p.chars().count(),
                    })
                    .max()
                    .unwrap_or(0);
                assert!(counted <= d.limit, "{key}: {counted} > {}", d.limit);
                let bio = d.text.to_lowercase().contains("link in bio");
                if matches!(
                    d.platform,
                    Platform::X | Platform::Linkedin | Platform::Youtube
                ) {
                    assert!(!bio, "{key}: link in bio:\n{}", d.text);
                }
                if d.kind == DraftKind::Post && d.platform == Platform::Linkedin {
                    let first = d.text.lines().next().unwrap();
                    assert!(first.chars().count() <= 210, "{key}: {first}");
                }
                for tag in d.text.split_whitespace().filter(|w| w.starts_with('#')) {
                    let w = tag.trim_start_matches('#').to_lowercase();
                    assert!(
                        !rules.common_words.contains(&w.as_str())
                            && !rules.stopwords.contains(&w.as_str()),
                        "{key}: common hashtag {tag}"
                    );
                }
            }
        }
        eprintln!("{name}: {} clips, largest share {worst:.2}", h.clips.len());
    }
}
