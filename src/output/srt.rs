//! SubRip (`.srt`) subtitles.

use super::cues;
use crate::transcript::Transcript;

/// The transcript as SRT text.
pub fn render(t: &Transcript) -> String {
    let mut out = String::new();
    for (i, c) in cues::build(t).iter().enumerate() {
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n\n",
            i + 1,
            crate::util::time::srt(c.start),
            crate::util::time::srt(c.end),
            c.lines.join("\n")
        ));
    }
    out
}
