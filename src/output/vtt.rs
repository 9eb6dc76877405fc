//! WebVTT (`.vtt`) subtitles.

use super::cues;
use crate::transcript::Transcript;

/// The transcript as WebVTT text. Cue text is escaped (`&`, `<`, `>`).
pub fn render(t: &Transcript) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for c in cues::build(t) {
        let text = c
            .lines
            .join("\n")
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        out.push_str(&format!(
            "{} --> {}\n{}\n\n",
            crate::util::time::vtt(c.start),
            crate::util::time::vtt(c.end),
            text
        ));
    }
    out
}
