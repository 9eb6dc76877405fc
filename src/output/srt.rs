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
    let built = if speakers {
        cues::build_named(t)
    } else {
        cues::build(t)
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_first_line_keeps_room_for_the_name() {
        let text = "So the thing nobody tells you about pricing is that it is psychology first and maths second.";
        let n = text.split_whitespace().count();
        let words: Vec<crate::transcript::Word> = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| crate::transcript::Word {
                speaker: Some(if i < n - 3 { "S1" } else { "S2" }.into()),
                start: i as f64 * 0.3,
                end: i as f64 * 0.3 + 0.25,
                word: format!(" {w}"),
                probability: 0.9,
            })
            .collect();
        let mut t = Transcript::from_words(words, 20.0, "");
        t.speakers = ["Dana Whitfield (host)", "Sam"]
            .iter()
            .enumerate()
            .map(|(i, name)| crate::transcript::Speaker {
                id: format!("S{}", i + 1),
                name: Some(name.to_string()),
                seconds: 5.0,
                voice: Vec::new(),
            })
            .collect();
        let srt = render_with(&t, true);
        assert!(srt.contains("Dana Whitfield (host): So the"), "{srt}");
        assert!(srt.contains("Sam: "), "{srt}");
        for line in srt.lines() {
            assert!(line.chars().count() <= cues::MAX_LINE, "{line:?} in\n{srt}");
        }
        // the plain cues still fill their first line
        let plain = cues::build_with_speakers(&t);
        assert!(
            plain[0].lines[0].chars().count() > cues::MAX_LINE - 23,
            "{plain:?}"
        );
    }
}
