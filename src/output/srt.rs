//! SubRip (`.srt`) subtitles.

use super::cues;
use crate::transcript::Transcript;

/// `HH:MM:SS,mmm`.
fn time(seconds: f64) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02},{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// The transcript as SRT text.
pub fn render(t: &Transcript) -> String {
    let mut out = String::new();
    for (i, c) in cues::build(t).iter().enumerate() {
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n\n",
            i + 1,
            time(c.start),
            time(c.end),
            c.lines.join("\n")
        ));
    }
    out
}
