//! WebVTT (`.vtt`) subtitles.

use super::cues;
use crate::transcript::Transcript;

/// `&`, `<` and `>` escaped for cue text.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The transcript as WebVTT text. Cue text is escaped (`&`, `<`, `>`).
pub fn render(t: &Transcript) -> String {
    render_with(t, false)
}

/// The transcript as WebVTT text; with `speakers`, a cue never holds two
/// speakers and each cue with a speaker is a voice span, WebVTT's own
/// markup for who speaks (`<v Dana (host)>…`, else `<v S2>…`): players
/// may show or style the name, and the text stays clean.
pub fn render_with(t: &Transcript, speakers: bool) -> String {
    let built = cues::build_for(t, speakers);
    let mut out = String::from("WEBVTT\n\n");
    for c in built {
        let text = escape(&c.lines.join("\n"));
        let text = match c.speaker.as_deref() {
            Some(id) => format!("<v {}>{text}", escape(&cues::speaker_label(t, id))),
            None => text,
        };
        out.push_str(&format!(
            "{} --> {}\n{}\n\n",
            crate::util::time::vtt(c.start),
            crate::util::time::vtt(c.end),
            text
        ));
    }
    out
}
