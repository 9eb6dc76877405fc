//! The transcript: timed segments of text, the type every later stage reads.

use serde::{Deserialize, Serialize};

/// One segment of recognised speech, in episode time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Start, seconds from the beginning of the audio.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// The text, trimmed.
    pub text: String,
}

/// A whole transcript with what produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// The segments in time order.
    pub segments: Vec<Segment>,
    /// Duration of the audio, seconds.
    pub audio_duration: f64,
    /// The model file used.
    pub model: String,
}

impl Transcript {
    /// All segment texts joined with single spaces.
    pub fn text(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.text.as_str())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Formats seconds as `H:MM:SS.mmm` (hours only when needed).
pub fn format_timestamp(seconds: f64) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{milli:03}")
    } else {
        format!("{m:02}:{s:02}.{milli:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(format_timestamp(0.0), "00:00.000");
        assert_eq!(format_timestamp(61.5), "01:01.500");
        assert_eq!(format_timestamp(3723.004), "1:02:03.004");
    }
}
