//! WebVTT (`.vtt`) subtitles.

use super::cues;
use crate::transcript::Transcript;

/// `HH:MM:SS.mmm`.
fn time(seconds: f64) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

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
            time(c.start),
            time(c.end),
            text
        ));
    }
    out
}
