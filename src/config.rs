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
    /// Which transcript the drafts are written from: the episode's own
    /// (`original`, the default) or its English translation (`english`,
    /// which also turns the translation on for episodes not in English).
    pub drafts_from: DraftsFrom,
    /// Hashtags per Instagram draft (3-5 recommended, at most 30).
    pub instagram_hashtags: usize,
    /// The show's names and terms (hosts, guests, sponsors, places), e.g.
    /// `["Sam Rivera", "Ledgerly"]`: near misses in the transcript are
    /// respelled, so every file carries the right spelling.
    pub glossary: Vec<String>,
    /// Who writes the drafts: the builtin writer, or a language model
    /// behind an OpenAI-compatible endpoint (`[writer]`).
    pub writer: WriterConfig,
    /// When `clipper export` schedules the approved posts (`[schedule]`);
    /// without it the scheduled times are left blank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// How the clip media are made: loudness, formats, brand kit
    /// (`[media]` table).
    pub media: MediaConfig,
    /// Telling speakers apart, and their names (`[speakers]` table).
    pub speakers: SpeakersConfig,
}

/// `drafts_from` in `clipper.toml`: which transcript the clips' titles and
/// caption drafts are written from. The clips themselves (where they are
/// cut, their score) always come from the episode's own transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DraftsFrom {
    /// The transcript in the episode's own language.
    #[default]
    Original,
    /// The English translation (Whisper's translate task), with English
    /// text rules, for an English-speaking audience of a show in another
    /// language. An English episode's drafts are the same either way.
    English,
}

/// `[speakers]` in `clipper.toml`:
///
/// ```toml
/// [speakers]
/// enabled = true         # false: no diarization (as --no-speakers)
/// count = 2              # fix the number of speakers (as --speakers 2); default: estimated
/// in_subtitles = true    # names in transcript.srt/.vtt/.txt (as --subtitle-speakers); default: off
/// S1 = "Dana (host)"     # names shown for S1, S2, … in transcripts, drafts and the review sheet
/// S2 = "Sam (guest)"
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpeakersConfig {
    /// Whether speakers are told apart (when the speaker model is installed).
    pub enabled: bool,
    /// A fixed number of speakers; estimated when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The similarity threshold for estimating the count (0..1; clipper's
    /// measured default when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
    /// Say who speaks in the episode's subtitles and text
    /// (`transcript.srt`, `.vtt`, `.txt`), as `--subtitle-speakers`.
    pub in_subtitles: bool,
    /// Names by speaker id: `S1 = "Dana (host)"`.
    #[serde(flatten)]
    pub names: BTreeMap<String, String>,
}

impl Default for SpeakersConfig {
    fn default() -> Self {
        SpeakersConfig {
            enabled: true,
            count: None,
            threshold: None,
            in_subtitles: false,
            names: BTreeMap::new(),
        }
    }
}

impl SpeakersConfig {
    /// Checks the values a user may get wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.count.is_some_and(|c| !(1..=20).contains(&c)) {
            return Err("speakers.count: needs 1 to 20".into());
        }
        if self.threshold.is_some_and(|t| !(0.0..1.0).contains(&t)) {
            return Err("speakers.threshold: needs 0 to 1 (a cosine similarity)".into());
        }
        for key in self.names.keys() {
            if !crate::transcript::is_speaker_id(key) {
                return Err(format!(
                    "speakers.{key}: unknown setting; speakers are named by their ids, \
                     e.g. S1 = \"Dana (host)\" (see transcript.json's speakers)"
                ));
            }
        }
        Ok(())
    }
}

/// Which engine writes the drafts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WriterEngine {
    /// clipper's own writer: offline and deterministic.
    #[default]
    Builtin,
    /// Any OpenAI-compatible chat-completions endpoint (llama.cpp's
    /// server, Ollama, LM Studio, vLLM, a hosted one); every answer is
    /// checked and falls back to the builtin draft.
    Openai,
}

/// `[writer]` in `clipper.toml`: who writes the drafts and, for the
/// `openai` engine, where to reach the model. Only the clip's transcript
/// and the episode's context (show, guest, episode title, voice notes,
/// banned words) are sent, and only to `endpoint`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WriterConfig {
    /// `builtin` (default) or `openai`.
    pub engine: WriterEngine,
    /// The endpoint's base URL (`http://127.0.0.1:8080/v1`), or its full
    /// `.../chat/completions` URL.
    pub endpoint: String,
    /// The model name the endpoint knows (e.g. `llama3.2:3b` in Ollama);
    /// some servers ignore it.
    pub model: String,
    /// The environment variable holding the API key, if the endpoint
    /// needs one (e.g. `OPENAI_API_KEY`); the key itself is never stored.
    pub api_key_env: String,
    /// Seconds to wait for one answer before the builtin draft is used.
    pub timeout_s: f64,
    /// Notes on the client's voice and tone, given to the model.
    pub voice: String,
    /// The most tokens the model may write per draft.
    pub max_tokens: u32,
    /// Sampling temperature (0 is the most predictable).
    pub temperature: f64,
    /// A cap on the model's answers below the platform's limit, in the
    /// platform's counting (0: the platform's limit). Longer answers are
    /// trimmed at a sentence end or replaced by the builtin draft.
    pub max_length: usize,
}

impl Default for WriterConfig {
    fn default() -> Self {
        WriterConfig {
            engine: WriterEngine::Builtin,
            endpoint: "http://127.0.0.1:8080/v1".into(),
            model: String::new(),
            api_key_env: String::new(),
            timeout_s: 60.0,
            voice: String::new(),
            max_tokens: 400,
            temperature: 0.7,
            max_length: 0,
        }
    }
}

/// The `[media]` table: mastering targets, which files to make, and the
/// brand kit the videos and quote cards use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    /// Integrated loudness of every clip, LUFS (EBU R128); social audio
    /// sits near -14.
    pub loudness: f64,
    /// Ceiling for the true peak, dBTP (4x oversampled, as BS.1770).
    pub true_peak: f64,
    /// Also write the clip as 16-bit WAV at the source rate (unmastered).
    pub wav: bool,
    /// Render audiogram videos with FFmpeg (when it is installed).
    pub video: bool,
    /// Video shapes: any of `9x16` (1080x1920), `1x1` (1080x1080),
    /// `16x9` (1920x1080).
    pub formats: Vec<String>,
    /// Make quote card images.
    pub quote_cards: bool,
    /// Background colour, `#rrggbb`, when there is no cover picture.
    pub background: String,
    /// Accent colour, `#rrggbb`: the spoken word, the waveform, the
    /// progress bar.
    pub accent: String,
    /// Text colour, `#rrggbb`.
    pub text: String,
    /// A TrueType/OpenType font file for captions and cards (default: the
    /// bundled DejaVu Sans Bold).
    pub font: String,
    /// The family name of that font (e.g. `Noto Sans`), as the caption
    /// renderer looks it up; `font` is used only with it.
    pub font_family: String,
    /// A cover image (PNG/JPEG) for the background, instead of the picture
    /// embedded in the episode.
    pub cover: String,
    /// A logo image (PNG, transparency kept, or JPEG) drawn small in the
    /// top-right corner of the videos and the bottom-right corner of the
    /// quote cards; a file that cannot be read refuses the episode with a
    /// message naming `media.logo`.
    pub logo: String,
    /// Frames per second of the videos.
    pub fps: u32,
    /// For an episode with a picture track (a video podcast): cut each
    /// clip's video from the episode's own picture (true, the default) or
    /// make an audiogram as for audio-only episodes (false).
    pub picture: bool,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            loudness: -14.0,
            true_peak: -1.0,
            wav: false,
            video: true,
            formats: vec!["9x16".into()],
            quote_cards: true,
            background: "#1b2a41".into(),
            accent: "#ffc857".into(),
            text: "#ffffff".into(),
            font: String::new(),
            font_family: String::new(),
            cover: String::new(),
            logo: String::new(),
            fps: 25,
            picture: true,
        }
    }
}

/// `[schedule]` of `clipper.toml`: the client's posting slots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The client's IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// Days to post on: `mon` … `sun`.
    pub weekdays: Vec<String>,
    /// Times of day to post at, `HH:MM` (24 h).
    pub times: Vec<String>,
    /// At least this many minutes between two slots.
    #[serde(default)]
    pub gap_minutes: u32,
    /// The first day to post, `YYYY-MM-DD` (default: the day after the
    /// export).
    #[serde(default)]
    pub start: Option<String>,
}

impl MediaConfig {
    /// Checks the values a user may get wrong.
    pub fn validate(&self) -> Result<(), String> {
        if !(-40.0..=-5.0).contains(&self.loudness) {
            return Err("media.loudness: needs -40 to -5 LUFS".into());
        }
        if !(-12.0..=0.0).contains(&self.true_peak) {
            return Err("media.true_peak: needs -12 to 0 dBTP".into());
        }
        for f in &self.formats {
            if !["9x16", "1x1", "16x9"].contains(&f.as_str()) {
                return Err(format!(
                    "media.formats: {f:?} is not one of 9x16, 1x1, 16x9"
                ));
            }
        }
        for (name, c) in [
            ("background", &self.background),
            ("accent", &self.accent),
            ("text", &self.text),
        ] {
            if parse_colour(c).is_none() {
                return Err(format!("media.{name}: {c:?} is not a #rrggbb colour"));
            }
        }
        if !(10..=60).contains(&self.fps) {
            return Err("media.fps: needs 10 to 60".into());
        }
        Ok(())
    }
}

/// `#rrggbb` as red, green, blue.
pub fn parse_colour(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let b = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([b(0)?, b(2)?, b(4)?])
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
            drafts_from: DraftsFrom::Original,
            instagram_hashtags: 5,
            glossary: Vec::new(),
            writer: WriterConfig::default(),
            schedule: None,
            media: MediaConfig::default(),
            speakers: SpeakersConfig::default(),
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
        let w = &self.writer;
        if !(w.timeout_s > 0.0 && w.timeout_s <= 3600.0) {
            return Err("writer.timeout_s: needs 0 < seconds <= 3600".into());
        }
        if !(0.0..=2.0).contains(&w.temperature) {
            return Err("writer.temperature: needs 0 to 2".into());
        }
        self.speakers.validate()?;
        if w.max_tokens == 0 {
            return Err("writer.max_tokens: needs at least 1".into());
        }
        if w.engine == WriterEngine::Openai
            && !(w.endpoint.starts_with("http://") || w.endpoint.starts_with("https://"))
        {
            return Err("writer.endpoint: needs an http:// or https:// URL".into());
        }
        self.media.validate()
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
             # transcript are respelled (\"Sam Rimmera\" becomes \"Sam Rivera\").\n\
             # [writer] engine: builtin (offline), or openai for any OpenAI-compatible\n\
             # endpoint (Ollama, LM Studio, llama.cpp server); see the README.\n\
             # [media]: loudness (LUFS) and true_peak (dBTP) of the clip MP3s; wav = true\n\
             # adds the raw cut; formats: 9x16, 1x1, 16x9 videos; colours #rrggbb;\n\
             # font, cover, logo: file paths (empty: bundled font, the episode's picture).\n\
             # drafts_from: original (the episode's language) or english (drafts from the\n\
             # English translation of an episode in another language; see --translate).\n\n{body}"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speaker_name_needs_a_speaker_id_as_its_key() {
        let mut c = SpeakersConfig::default();
        c.names.insert("S2".into(), "Sam (guest)".into());
        assert_eq!(c.validate(), Ok(()));
        for bad in ["Host", "S", "S2b", "s1"] {
            let mut c = SpeakersConfig::default();
            c.names.insert(bad.into(), "Dana".into());
            let err = c.validate().unwrap_err();
            assert!(
                err.starts_with(&format!("speakers.{bad}: unknown setting")),
                "{err}"
            );
        }
    }

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
    fn drafts_from_reads_original_or_english_and_nothing_else() {
        assert_eq!(ClientConfig::default().drafts_from, DraftsFrom::Original);
        let c: ClientConfig = toml::from_str("drafts_from = \"english\"").unwrap();
        assert_eq!(c.drafts_from, DraftsFrom::English);
        let c: ClientConfig = toml::from_str("drafts_from = \"original\"").unwrap();
        assert_eq!(c.drafts_from, DraftsFrom::Original);
        assert!(toml::from_str::<ClientConfig>("drafts_from = \"spanish\"").is_err());
        // clipper init writes it, and reads it back
        let c = ClientConfig {
            drafts_from: DraftsFrom::English,
            ..Default::default()
        };
        let text = c.to_commented_toml();
        assert!(text.contains("drafts_from = \"english\""), "{text}");
        assert_eq!(toml::from_str::<ClientConfig>(&text).unwrap(), c);
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
