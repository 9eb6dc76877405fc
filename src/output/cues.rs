//! Subtitle cues: words grouped into lines of at most 42 characters, at most
//! two lines and seven seconds per cue, breaking at sentence ends — the
//! common broadcast rules, which SRT and VTT share. With speakers asked
//! for ([`build_with_speakers`]), a cue also never holds two speakers, and
//! each cue knows whose it is.

use crate::transcript::{Transcript, Word};

/// Longest line, characters.
pub const MAX_LINE: usize = 42;
/// Most lines per cue.
pub const MAX_LINES: usize = 2;
/// Longest cue, seconds.
const MAX_CUE_S: f64 = 7.0;

/// One subtitle cue.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// One or two lines of text.
    pub lines: Vec<String>,
    /// Who says it (the words' speaker id, `S1`…), when the cues were built
    /// with speakers and the words carry one.
    pub speaker: Option<String>,
}

/// Words of a segment; when a transcript has no word times (baseline mode),
/// times are spread evenly over the segment.
fn words_of(seg: &crate::transcript::Segment) -> Vec<Word> {
    if !seg.words.is_empty() {
        return seg.words.clone();
    }
    let parts: Vec<&str> = seg.text.split_whitespace().collect();
    let step = (seg.end - seg.start) / parts.len().max(1) as f64;
    parts
        .iter()
        .enumerate()
        .map(|(i, w)| Word {
            speaker: seg.speaker.clone(),
            start: seg.start + step * i as f64,
            end: seg.start + step * (i + 1) as f64,
            word: format!(" {w}"),
            probability: 1.0,
        })
        .collect()
}

/// Splits a word longer than a line into line-sized pieces.
fn pieces(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    chars.chunks(MAX_LINE).map(|c| c.iter().collect()).collect()
}

/// Groups a transcript's words into cues.
pub fn build(t: &Transcript) -> Vec<Cue> {
    build_cues(t, false, None)
}

/// [`build_with_speakers`] with `speakers`, else [`build`].
pub fn build_for(t: &Transcript, speakers: bool) -> Vec<Cue> {
    build_cues(t, speakers, None)
}

/// Groups a transcript's words into cues that each hold one speaker's
/// words (a new cue begins where the speaker changes) and carry that
/// speaker; words without a speaker group as in [`build`].
pub fn build_with_speakers(t: &Transcript) -> Vec<Cue> {
    build_cues(t, true, None)
}

/// [`build_with_speakers`] for subtitles that write the speaker's name in
/// front of the first line of each cue where the speaker changes (SRT:
/// `Dana (host): …`): that line leaves room for the name and its ": ", so
/// it stays within [`MAX_LINE`] with it.
pub fn build_named(t: &Transcript) -> Vec<Cue> {
    let room = |id: &str| speaker_label(t, id).chars().count() + 2;
    build_cues(t, true, Some(&room))
}

/// Groups the words into cues; `name_room`, when given, is the room a
/// speaker's name takes in front of the first line of a cue that changes
/// speaker.
fn build_cues(
    t: &Transcript,
    by_speaker: bool,
    name_room: Option<&dyn Fn(&str) -> usize>,
) -> Vec<Cue> {
    let mut cues: Vec<Cue> = Vec::new();
    // The longest first line of the cue being built.
    let mut first_max = MAX_LINE;
    for seg in &t.segments {
        let mut cue: Option<Cue> = None;
        for w in words_of(seg) {
            let speaker = if by_speaker { w.speaker.clone() } else { None };
            for text in pieces(w.word.trim()) {
                if text.is_empty() {
                    continue;
                }
                let line_max = |c: &Cue| {
                    if c.lines.len() == 1 {
                        first_max
                    } else {
                        MAX_LINE
                    }
                };
                let fits = |c: &Cue| {
                    let last = c.lines.last().map_or(0, |l| l.chars().count());
                    let same_line = last + 1 + text.chars().count() <= line_max(c);
                    (same_line || c.lines.len() < MAX_LINES)
                        && w.end - c.start <= MAX_CUE_S
                        && c.speaker == speaker
                };
                match cue.as_mut() {
                    Some(c) if fits(c) => {
                        let max = line_max(c);
                        let last = c.lines.last_mut().expect("a cue has a line");
                        if last.chars().count() + 1 + text.chars().count() <= max {
                            last.push(' ');
                            last.push_str(&text);
                        } else {
                            c.lines.push(text.clone());
                        }
                        c.end = w.end;
                    }
                    _ => {
                        cues.extend(cue.take());
                        let before = cues.last().and_then(|c| c.speaker.as_deref());
                        first_max = match (speaker.as_deref(), name_room) {
                            (Some(id), Some(room)) if before != Some(id) => {
                                MAX_LINE.saturating_sub(room(id)).max(12)
                            }
                            _ => MAX_LINE,
                        };
                        cue = Some(Cue {
                            start: w.start,
                            end: w.end,
                            lines: vec![text.clone()],
                            speaker: speaker.clone(),
                        });
                    }
                }
                // A sentence end closes the cue once it holds a full line.
                let ends_sentence = text.ends_with(['.', '?', '!']);
                if ends_sentence && cue.as_ref().is_some_and(|c| c.lines.len() == MAX_LINES) {
                    cues.extend(cue.take());
                }
            }
        }
        cues.extend(cue);
    }
    settle(&mut cues);
    cues
}

/// Cues never overlap and last at least a few frames.
fn settle(cues: &mut [Cue]) {
    for i in 0..cues.len() {
        let next_start = cues.get(i + 1).map(|c| c.start);
        let c = &mut cues[i];
        c.end = c.end.max(c.start + 0.3);
        if let Some(ns) = next_start {
            c.end = c.end.min(ns).max(c.start);
        }
    }
}

/// The name to show for speaker `id`: its name from `[speakers]`, else
/// the id itself (`S2`).
pub fn speaker_label(t: &Transcript, id: &str) -> String {
    t.speakers
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.name.clone())
        .unwrap_or_else(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_cues_respect_the_limits() {
        let text = "And so my fellow Americans ask not what your country can do for you, \
                    ask what you can do for your country. Supercalifragilisticexpialidociousandthensomemoreletters too.";
        let words: Vec<Word> = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                speaker: None,
                start: i as f64 * 0.4,
                end: i as f64 * 0.4 + 0.3,
                word: format!(" {w}"),
                probability: 0.9,
            })
            .collect();
        let t = Transcript::from_words(words, 20.0, "");
        let cues = build(&t);
        assert!(cues.len() >= 3);
        for c in &cues {
            assert!(c.lines.len() <= MAX_LINES);
            assert!(
                c.lines.iter().all(|l| l.chars().count() <= MAX_LINE),
                "{c:?}"
            );
            assert!(c.end - c.start <= MAX_CUE_S + 0.3);
        }
        let joined: Vec<String> = cues.iter().flat_map(|c| c.lines.clone()).collect();
        assert_eq!(
            joined.join(" ").split_whitespace().count(),
            text.split_whitespace().count() + 1
        );
    }
}
