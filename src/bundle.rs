//! What the stages made of one episode, put together: each clip with its
//! title, drafts and media, as written to `highlights.json` and read by the
//! review sheet, export and the season index.
//!
//! Each stage keeps its own output type ([`crate::highlights::Clip`],
//! [`crate::drafts::ClipDrafts`], the media file list); this module joins
//! them, so no stage has to carry fields that a later one fills.

use serde::{Deserialize, Serialize};

use crate::domain::Chapter;
use crate::drafts::{ClipDrafts, Draft};
use crate::highlights::Clip;

/// A clip with everything made for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinishedClip {
    /// The clip as the scorer picked it.
    #[serde(flatten)]
    pub clip: Clip,
    /// A short title for the clip.
    #[serde(default)]
    pub title: String,
    /// Caption drafts per platform.
    #[serde(default)]
    pub drafts: Vec<Draft>,
    /// Media files, relative to the output folder (`clips/<id>.mp3`,
    /// `clips/<id>.9x16.mp4`, ...): the player is picked by extension.
    #[serde(default)]
    pub media: Vec<String>,
    /// The same files with their kind, size and duration.
    #[serde(default)]
    pub files: Vec<crate::media::MediaEntry>,
}

impl FinishedClip {
    /// Joins a clip with its drafts and media.
    pub fn new(clip: Clip, drafts: ClipDrafts, media: Vec<String>) -> FinishedClip {
        FinishedClip {
            clip,
            title: drafts.title,
            drafts: drafts.drafts,
            media,
            files: Vec::new(),
        }
    }
}

impl std::ops::Deref for FinishedClip {
    type Target = Clip;

    fn deref(&self) -> &Clip {
        &self.clip
    }
}

/// `highlights.json`: the ranked clips of one episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Highlights {
    /// The episode's file name.
    pub episode: String,
    /// Show name from clipper.toml, if set.
    #[serde(default)]
    pub show_name: String,
    /// The language of the review sheet's wording (`ui_language` in
    /// clipper.toml; English when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ui_language: String,
    /// Episode duration, seconds.
    pub duration: f64,
    /// Chapters from the file's tags.
    #[serde(default)]
    pub chapters: Vec<Chapter>,
    /// The clips, best first.
    pub clips: Vec<FinishedClip>,
    /// Feature weights used, for the record.
    #[serde(default)]
    pub weights: Vec<(String, f64)>,
    /// Stretches kept out of every clip (ads, phone menus, intro, outro…),
    /// with the phrase that gave each away.
    #[serde(default)]
    pub excluded: Vec<crate::highlights::content::Excluded>,
    /// Why fewer clips than asked were found, if so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<String>,
}
