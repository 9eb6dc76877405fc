//! The per-client settings file, `clipper.toml`, written by `clipper init`.
//!
//! A VA keeps one per client (show): the show's name and handles, hashtags
//! to always use or never use, words that must not appear, the call to
//! action, which platforms to draft for, the clip length buckets, and the
//! language of the drafts. clipper looks for it beside the episode, then in
//! the current folder; without one it uses [`ClientConfig::default`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use crate::domain::{Bucket, Platform};

/// File name of the client settings.
pub const FILE_NAME: &str = "clipper.toml";

/// A client's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClientConfig {
    /// The show's name, e.g. `The Growth Hour`.
    pub show_name: String,
    /// The guest of the episode, if any (can be set per run with `--guest`).
    pub guest: String,
    /// Handles per platform, e.g. `x = "@growthhour"`.
    pub handles: BTreeMap<String, String>,
    /// Hashtags to add to every draft (without `#` is fine).
    pub default_hashtags: Vec<String>,
    /// Hashtags never to use.
    pub banned_hashtags: Vec<String>,
    /// Words that must not appear in any draft (replaced by `…`-free
    /// rewording: sentences holding them are left out of pull quotes).
    pub banned_words: Vec<String>,
    /// Call to action where a link belongs (X, LinkedIn, YouTube), e.g.
    /// `Full episode: https://…`. Instagram and TikTok captions cannot
    /// link: they say "link in bio" instead (the language's wording, or this
    /// one if it points to the bio itself); a "link in bio" here is never
    /// put on X, LinkedIn or YouTube.
    pub cta: String,
    /// Platforms to draft for.
    pub platforms: Vec<Platform>,
    /// Clip length buckets.
    pub buckets: Vec<Bucket>,
    /// The show's language: `auto` (clipper listens to the first minutes
    /// and decides) or a code such as `en`, `id`, `es`. Transcript, clips
    /// and drafts follow it; `--language` overrides it for one run.
    pub language: String,
    /// The language of the review sheet's fixed wording, for the client
    /// (`en` or `id`; others read English): see [`crate::lang::ui`].
    pub ui_language: String,
    /// Hashtags per Instagram draft (3-5 recommended, at most 30).
    pub instagram_hashtags: usize,
    /// The show's names and terms (hosts, guests, sponsors, places), e.g.
    /// `["Sam Rivera", "Ledgerly"]`: near misses in the transcript are
    /// respelled, so every file carries the right spelling.
    pub glossary: Vec<String>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            show_name: String::new(),
            guest: String::new(),
            handles: BTreeMap::new(),
            default_hashtags: vec!["podcast".into()],
            banned_hashtags: Vec::new(),
            banned_words: Vec::new(),
            cta: "Listen to the full episode.".into(),
            platforms: Platform::ALL.to_vec(),
            buckets: Bucket::defaults(),
            language: crate::lang::codes::AUTO.into(),
            ui_language: "en".into(),
            instagram_hashtags: 5,
            glossary: Vec::new(),
        }
    }
}

/// Why the settings file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Reading failed.
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, #[source] std::io::Error),
    /// Bad TOML or a wrong value.
    #[error("{0} is not a valid clipper.toml: {1}")]
    Parse(PathBuf, String),
}

impl ClientConfig {
    /// Reads a settings file.
    pub fn load(path: &Path) -> Result<ClientConfig, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.to_path_buf(), e))?;
        let cfg: ClientConfig = toml::from_str(&text)
            .map_err(|e| ConfigError::Parse(path.to_path_buf(), e.to_string()))?;
        cfg.validate()
            .map_err(|e| ConfigError::Parse(path.to_path_buf(), e))?;
        Ok(cfg)
    }

    /// Checks values a user may get wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.buckets.is_empty() {
            return Err("buckets: at least one clip length bucket is needed".into());
        }
        for b in &self.buckets {
            if !(b.min_s > 0.0 && b.min_s < b.max_s && b.max_s <= 600.0) {
                return Err(format!("bucket {}: needs 0 < min_s < max_s <= 600", b.name));
            }
        }
        crate::lang::codes::parse(&self.language).map_err(|e| format!("language: {e}"))?;
        crate::lang::codes::parse(&self.ui_language).map_err(|e| format!("ui_language: {e}"))?;
        if self.instagram_hashtags > 30 {
            return Err("instagram_hashtags: Instagram allows at most 30".into());
        }
        Ok(())
    }

    /// Finds `clipper.toml` beside `input` or in the current folder.
    pub fn find(input: &Path) -> Option<PathBuf> {
        let beside = input
            .parent()
            .map(|p| p.join(FILE_NAME))
            .filter(|p| p.is_file());
        beside.or_else(|| Some(PathBuf::from(FILE_NAME)).filter(|p| p.is_file()))
    }

    /// The settings as TOML with comments, for `clipper init`.
    pub fn to_commented_toml(&self) -> String {
        let body = toml::to_string_pretty(self).expect("settings serialise");
        format!(
            "# clipper settings for one client (show). Edit freely; `clipper FILE` reads\n\
             # the clipper.toml beside the episode, or in the current folder.\n\
             # platforms: any of x, linkedin, instagram, tiktok, youtube.\n\
             # buckets: clip lengths in seconds; banned_words keep sentences out of drafts.\n\
             # cta: the episode link, used on X, LinkedIn and YouTube; Instagram and\n\
             # TikTok say \"link in bio\".\n\
             # glossary: the show's names (hosts, guests, sponsors); near misses in the\n\
             # transcript are respelled (\"Sam Rimmera\" becomes \"Sam Rivera\").\n\n{body}"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commented_toml_round_trips() {
        let mut c = ClientConfig {
            show_name: "The Growth Hour".into(),
            ..Default::default()
        };
        c.handles.insert("x".into(), "@growthhour".into());
        let back: ClientConfig = toml::from_str(&c.to_commented_toml()).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn bad_buckets_are_refused() {
        let c = ClientConfig {
            buckets: vec![Bucket::new(30.0, 10.0)],
            ..Default::default()
        };
        assert!(c.validate().is_err());
    }
}
