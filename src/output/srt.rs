//! SubRip (`.srt`) subtitles.

use super::cues;
use crate::transcript::Transcript;

/// The transcript as SRT text.
pub fn render(t: &Transcript) -> String {
    render_with(t, false)
}

/// The transcript as SRT text; with `speakers`, a cue never holds two
/// speakers and the first cue after each change of speaker opens with the
/// speaker's name (`Dana (host): …`, else `S2: …`). SRT has no markup for
/// voices, so the name is plain text, as broadcast subtitles write it.
pub fn render_with(t: &Transcript, speakers: bool) -> String {
    let built = cues::build_for(t, speakers);
    let mut out = String::new();
    let mut previous: Option<&str> = None;
    for (i, c) in built.iter().enumerate() {
        let mut lines = c.lines.clone();
        if let Some(id) = c.speaker.as_deref() {
            if previous != Some(id) {
                lines[0] = format!("{}: {}", cues::speaker_label(t, id), lines[0]);
            }
            previous = Some(id);
        }
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n\n",
            i + 1,
            crate::util::time::srt(c.start),
            crate::util::time::srt(c.end),
            lines.join("\n")
        ));
    }
    out
}
