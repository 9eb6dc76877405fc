//! The small shared vocabulary every stage may use: chapters, clip length
//! buckets and platforms. These types sit below all stages so that no stage
//! has to import a later one to name them.

use serde::{Deserialize, Serialize};

/// A chapter of the episode (from ID3 CHAP frames).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    /// Title.
    pub title: String,
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
}

/// A length bucket clips are made in, e.g. 20-45 s for X and Shorts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    /// Name shown to users, e.g. `15-30s`.
    pub name: String,
    /// Shortest clip, seconds.
    pub min_s: f64,
    /// Longest clip, seconds.
    pub max_s: f64,
}

impl Bucket {
    /// A bucket named after its bounds.
    pub fn new(min_s: f64, max_s: f64) -> Bucket {
        Bucket {
            name: format!("{}-{}s", min_s.round(), max_s.round()),
            min_s,
            max_s,
        }
    }

    /// The default buckets: 20-45 s, what short-form platforms reward, and
    /// 45-75 s for a thought that needs longer (the scorer's `length_fit`
    /// prefers the first).
    pub fn defaults() -> Vec<Bucket> {
        vec![Bucket::new(20.0, 45.0), Bucket::new(45.0, 75.0)]
    }
}

/// The platforms clipper drafts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// X (Twitter): 280 weighted characters.
    X,
    /// LinkedIn: 3000 characters, ~210 before "see more".
    Linkedin,
    /// Instagram: 2200 characters, ~125 before "more", at most 30 hashtags.
    Instagram,
    /// TikTok: 2200 characters.
    Tiktok,
    /// YouTube Shorts: title 100, description 5000.
    Youtube,
}

impl Platform {
    /// Every platform, in display order.
    pub const ALL: [Platform; 5] = [
        Platform::X,
        Platform::Linkedin,
        Platform::Instagram,
        Platform::Tiktok,
        Platform::Youtube,
    ];

    /// Lowercase name, as in `clipper.toml` and `publish.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Linkedin => "linkedin",
            Platform::Instagram => "instagram",
            Platform::Tiktok => "tiktok",
            Platform::Youtube => "youtube",
        }
    }

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            Platform::X => "X",
            Platform::Linkedin => "LinkedIn",
            Platform::Instagram => "Instagram",
            Platform::Tiktok => "TikTok",
            Platform::Youtube => "YouTube Shorts",
        }
    }
}
