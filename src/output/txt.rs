//! Plain text: one segment per line with its start time, paragraphs where
//! the speaker paused for over two seconds.

use crate::transcript::Transcript;
use crate::util::time::timestamp;

/// The transcript as plain text.
pub fn render(t: &Transcript) -> String {
    render_with(t, false)
}

/// The transcript as plain text; with `speakers`, a new paragraph where
/// the speaker changes, opening with the speaker's name (`Dana (host):`,
/// else `S2:`).
pub fn render_with(t: &Transcript, speakers: bool) -> String {
    let mut out = String::new();
    let mut prev_end: Option<f64> = None;
    let mut previous: Option<&str> = None;
    for s in &t.segments {
        let who = s.speaker.as_deref().filter(|_| speakers);
        let changed = who.is_some() && who != previous;
        if prev_end.is_some_and(|e| s.start - e > 2.0 || changed) {
            out.push('\n');
        }
        let name = match who {
            Some(id) if changed => format!("{}: ", super::cues::speaker_label(t, id)),
            _ => String::new(),
        };
        out.push_str(&format!("[{}] {name}{}\n", timestamp(s.start), s.text));
        prev_end = Some(s.end);
        previous = who.or(previous);
    }
    out
}
