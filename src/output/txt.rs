//! Plain text: one segment per line with its start time, paragraphs where
//! the speaker paused for over two seconds.

use crate::transcript::Transcript;
use crate::util::time::timestamp;

/// The transcript as plain text.
pub fn render(t: &Transcript) -> String {
    let mut out = String::new();
    let mut prev_end: Option<f64> = None;
    for s in &t.segments {
        if prev_end.is_some_and(|e| s.start - e > 2.0) {
            out.push('\n');
        }
        out.push_str(&format!("[{}] {}\n", timestamp(s.start), s.text));
        prev_end = Some(s.end);
    }
    out
}
