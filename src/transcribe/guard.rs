//! Guards against Whisper's two classic failures on long audio: repetition
//! loops ("thank you. thank you. thank you. ...") and text invented where
//! nothing was said.
//!
//! A loop is a phrase of one to ten words repeated back to back more often
//! than people do (five times for a single word, three for a phrase). The
//! engine retries such a chunk at a higher temperature and, if the loop
//! survives, keeps one copy of the phrase ([`collapse_loops`]).

use crate::transcript::{Pause, Segment, Word};

fn norm(w: &str) -> String {
    w.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A repeated run found in a word sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loop {
    /// Index of the first word of the first copy.
    pub start: usize,
    /// Words per copy.
    pub period: usize,
    /// Copies back to back (≥ 2).
    pub copies: usize,
}

fn min_copies(period: usize) -> usize {
    if period == 1 {
        5
    } else {
        3
    }
}

/// The first loop in `words`, if any.
pub fn find_loop(words: &[&str]) -> Option<Loop> {
    let normed: Vec<String> = words.iter().map(|w| norm(w)).collect();
    for start in 0..normed.len() {
        for period in 1..=10 {
            if start + period * 2 > normed.len() {
                break;
            }
            let unit = &normed[start..start + period];
            if unit.iter().all(|w| w.is_empty()) {
                continue;
            }
            let mut copies = 1;
            while start + (copies + 1) * period <= normed.len()
                && &normed[start + copies * period..start + (copies + 1) * period] == unit
            {
                copies += 1;
            }
            if copies >= min_copies(period) {
                return Some(Loop {
                    start,
                    period,
                    copies,
                });
            }
        }
    }
    None
}

/// True when the segments' words hold a loop.
pub fn has_loop(segments: &[Segment]) -> bool {
    let words: Vec<&str> = segments
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.word.as_str()))
        .collect();
    find_loop(&words).is_some()
}

/// Below this mean token log probability a decode is retried hotter
/// (whisper's `logprob_threshold`).
pub const LOW_LOGPROB: f32 = -1.0;

/// How good one decode of a chunk is, to choose between retries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attempt {
    /// The words repeat a phrase over and over.
    pub looping: bool,
    /// Mean token log probability, weighted by segment length in words.
    pub logprob: f32,
    /// Many words and not one sentence end: the lower-case, unpunctuated
    /// mode the small models fall into now and then ("and so might fellow
    /// america but as the writer ..."), which no sentence, clip or caption
    /// can be cut from.
    pub unpunctuated: bool,
}

/// Words a decode may run to without a sentence end before it counts as
/// unpunctuated (about twelve seconds of speech; one long sentence, such as
/// JFK's "ask not" line of 22 words, stays under it).
const UNPUNCTUATED_WORDS: usize = 30;

/// True when `word` ends a sentence in a script that marks sentence ends.
fn ends_sentence(word: &str) -> bool {
    word.trim_end_matches(['"', '\'', ')', '»', '”'])
        .ends_with(['.', '?', '!', '。', '？', '！', '…'])
}

impl Attempt {
    /// Judges a decode; `punctuated` says the language marks its sentence
    /// ends with stops (Thai, Lao, Khmer and Burmese do not).
    pub fn judge(segments: &[Segment], punctuated: bool) -> Attempt {
        let words: Vec<&Word> = segments.iter().flat_map(|s| &s.words).collect();
        let unpunctuated = punctuated
            && words.len() >= UNPUNCTUATED_WORDS
            && !words.iter().any(|w| ends_sentence(&w.word));
        let (sum, n) = segments.iter().fold((0.0f32, 0usize), |(sum, n), s| {
            (
                sum + s.avg_logprob * s.words.len() as f32,
                n + s.words.len(),
            )
        });
        Attempt {
            looping: has_loop(segments),
            logprob: if n == 0 { 0.0 } else { sum / n as f32 },
            unpunctuated,
        }
    }

    /// Good enough to keep without a retry.
    pub fn acceptable(&self) -> bool {
        !self.looping && !self.unpunctuated && self.logprob >= LOW_LOGPROB
    }

    /// Preferable to `other`: not looping beats looping, then punctuated
    /// beats unpunctuated, then the more probable text wins.
    pub fn better_than(&self, other: &Attempt) -> bool {
        let rank = |a: &Attempt| (!a.looping, !a.unpunctuated);
        rank(self) > rank(other) || (rank(self) == rank(other) && self.logprob > other.logprob)
    }
}

/// Keeps one copy of every loop's phrase; returns the number of words removed.
pub fn collapse_loops(segments: &mut Vec<Segment>) -> usize {
    let mut removed = 0;
    loop {
        let flat: Vec<(usize, usize)> = segments
            .iter()
            .enumerate()
            .flat_map(|(si, s)| (0..s.words.len()).map(move |wi| (si, wi)))
            .collect();
        let words: Vec<&str> = flat
            .iter()
            .map(|&(si, wi)| segments[si].words[wi].word.as_str())
            .collect();
        let Some(found) = find_loop(&words) else {
            break;
        };
        let drop_from = found.start + found.period;
        let drop_to = found.start + found.period * found.copies;
        let doomed: std::collections::HashSet<(usize, usize)> =
            flat[drop_from..drop_to].iter().copied().collect();
        removed += doomed.len();
        let old = std::mem::take(segments);
        for (si, seg) in old.into_iter().enumerate() {
            let kept: Vec<Word> = seg
                .words
                .into_iter()
                .enumerate()
                .filter(|(wi, _)| !doomed.contains(&(si, *wi)))
                .map(|(_, w)| w)
                .collect();
            segments.extend(Segment::from_words(
                kept,
                seg.no_speech_prob,
                seg.avg_logprob,
            ));
        }
    }
    removed
}

/// Whisper's own "no speech" rule: a segment the model thinks is silence and
/// is unsure of.
pub fn is_no_speech(seg: &Segment) -> bool {
    seg.no_speech_prob > 0.6 && seg.avg_logprob < -1.0
}

/// A few words stretched over many seconds: what Whisper writes over music
/// or noise ("Thank you." across a 20 s music bed). People say at least a
/// word every two seconds or so within one segment.
pub fn is_sparse(seg: &Segment) -> bool {
    let duration = seg.end - seg.start;
    duration >= 5.0 && (seg.words.len() as f64) / duration < 0.4
}

/// Cleans a transcript's segments: drops segments Whisper judged no-speech
/// or that are implausibly sparse, words with no letter or digit (music
/// symbols such as ♪), and words that lie wholly inside a silence the
/// detector skipped or a long pause.
pub fn clean_segments(segments: Vec<Segment>, silences: &[Pause]) -> Vec<Segment> {
    // Wholly inside, and not a word squeezed onto the silence's edge (the
    // first words of a packed chunk Whisper timed early, see
    // `transcribe::pack`).
    let inside = |w: &Word| {
        silences.iter().any(|p| {
            w.start >= p.start - 0.05
                && w.end <= p.end + 0.05
                && w.start < p.end - 0.05
                && w.end > p.start + 0.05
        })
    };
    segments
        .into_iter()
        .filter(|s| !is_no_speech(s) && !is_sparse(s))
        .filter_map(|s| {
            let words: Vec<Word> = s
                .words
                .into_iter()
                .filter(|w| w.word.chars().any(char::is_alphanumeric) && !inside(w))
                .collect();
            Segment::from_words(words, s.no_speech_prob, s.avg_logprob)
        })
        .collect()
}

/// How far before a word's onset a speech onset (the end of a pause) may
/// be and still be taken as the word's true start, seconds. Whisper's token
/// times run up to half a second late after a pause on our samples.
const ONSET_PULL_S: f64 = 0.6;

/// A pause long enough that no word can hide inside it, seconds.
const LONG_PAUSE_S: f64 = 0.5;

/// Aligns word edges with the detected pauses, where the loudness track is
/// more precise than Whisper:
/// - a word that starts inside a pause starts at the pause's end;
/// - a word whose onset comes shortly after a pause ends (within
///   [`ONSET_PULL_S`], with no other word in between) starts at that end;
/// - a word that runs into or across a pause ends at the pause's start.
pub fn snap_to_pauses(segments: &mut [Segment], pauses: &[Pause]) {
    let containing = |t: f64| {
        let i = pauses.partition_point(|p| p.end <= t);
        pauses.get(i).filter(|p| p.start < t && t < p.end)
    };
    let ending_before = |t: f64| {
        let i = pauses.partition_point(|p| p.end <= t);
        i.checked_sub(1).map(|i| &pauses[i])
    };
    let mut prev_end = f64::NEG_INFINITY;
    for seg in segments.iter_mut() {
        for k in 0..seg.words.len() {
            let pause = containing(seg.words[k].start);
            // Whether the segment goes on after that pause.
            let continues =
                pause.is_some_and(|p| seg.words[k + 1..].iter().any(|x| x.start >= p.end));
            let w = &mut seg.words[k];
            if let Some(p) = pause {
                // An onset inside a pause belongs to the speech after it when
                // the word goes on past the pause. A word placed wholly inside
                // a long pause was misplaced: when its segment goes on after
                // the pause it was placed too early and moves to the pause's
                // end; when the segment ends there (typically the last words
                // of a chunk, which Whisper piles up at the chunk's end) it
                // belongs to the speech before and moves to the pause's start.
                if p.end < w.end {
                    w.start = p.end;
                } else if p.end - p.start >= LONG_PAUSE_S {
                    let edge = if continues { p.end } else { p.start };
                    w.start = edge;
                    w.end = edge;
                }
            } else if let Some(p) = ending_before(w.start) {
                if w.start - p.end <= ONSET_PULL_S && p.end >= prev_end {
                    w.start = p.end;
                }
            }
            let i = pauses.partition_point(|p| p.start <= w.start);
            if let Some(p) = pauses.get(i).filter(|p| p.start < w.end) {
                w.end = p.start;
            }
            prev_end = w.end;
        }
    }
    // Keep the words in time order after the moves: no word starts before
    // the one before it, none ends before it starts.
    let mut last_start = f64::NEG_INFINITY;
    for seg in segments.iter_mut() {
        for w in seg.words.iter_mut() {
            w.start = w.start.max(last_start);
            w.end = w.end.max(w.start);
            last_start = w.start;
        }
        if let (Some(first), Some(last)) = (seg.words.first(), seg.words.last()) {
            seg.start = first.start;
            seg.end = last.end;
        }
    }
}

/// Drops the segments that both Whisper and the loudness track say are not
/// speech: the model's no-speech probability is over 0.6 and every word
/// lies inside a long pause (where [`snap_to_pauses`] left it). This is the
/// lone "you" Whisper writes into the second of quiet at a chunk's end,
/// which would otherwise end a clip.
pub fn drop_words_heard_in_pauses(segments: &mut Vec<Segment>, pauses: &[Pause]) {
    let in_long_pause = |w: &Word| {
        pauses.iter().any(|p| {
            p.end - p.start >= LONG_PAUSE_S && w.start >= p.start - 0.01 && w.end <= p.end + 0.01
        })
    };
    segments.retain(|s| !(s.no_speech_prob > 0.6 && s.words.iter().all(in_long_pause)));
}

/// The longest a word of `letters` letters plausibly lasts when spoken.
fn max_word_s(letters: usize) -> f64 {
    (0.3 + 0.1 * letters as f64).min(2.0)
}

/// Shortens words Whisper stretched over sound that is not them: the first
/// word of a segment often starts at the beginning of the music or noise
/// before it, the last one runs on into what follows. A first word keeps its
/// end and loses its start; any other keeps its start.
pub fn limit_word_durations(segments: &mut [Segment]) {
    for seg in segments.iter_mut() {
        for (i, w) in seg.words.iter_mut().enumerate() {
            let letters = w.word.chars().filter(|c| c.is_alphanumeric()).count();
            let max = max_word_s(letters);
            if w.end - w.start > max {
                if i == 0 {
                    w.start = w.end - max;
                } else {
                    w.end = w.start + max;
                }
            }
        }
        if let (Some(first), Some(last)) = (seg.words.first(), seg.words.last()) {
            seg.start = first.start;
            seg.end = last.end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Segment {
        let words = text
            .split_inclusive(' ')
            .enumerate()
            .map(|(i, w)| Word {
                speaker: None,
                start: i as f64,
                end: i as f64 + 0.5,
                word: format!(" {}", w.trim()),
                probability: 0.9,
            })
            .collect();
        Segment::from_words(words, 0.0, -0.2).unwrap()
    }

    #[test]
    fn finds_phrase_and_word_loops_but_not_normal_speech() {
        fn s(t: &str) -> Vec<&str> {
            t.split(' ').collect()
        }
        assert_eq!(
            find_loop(&s("so I said thank you. Thank you, thank you. and")),
            Some(Loop {
                start: 3,
                period: 2,
                copies: 3
            })
        );
        assert!(find_loop(&s("no no no no no")).is_some());
        assert!(find_loop(&s("no no no no")).is_none());
        assert!(find_loop(&s(
            "ask not what your country can do for you ask what you can do for your country"
        ))
        .is_none());
        assert!(find_loop(&s("that that is is that that is not is not")).is_none());
    }

    #[test]
    fn collapse_keeps_one_copy_across_segments() {
        let mut segs = vec![seg("we go on and on and on"), seg("and on and on the end")];
        let removed = collapse_loops(&mut segs);
        let text: Vec<String> = segs.iter().map(|s| s.text.clone()).collect();
        assert_eq!(removed, 6);
        assert_eq!(text.join(" | "), "we go on and | on the end");
    }

    #[test]
    fn a_long_decode_without_a_sentence_end_is_retried_and_loses_to_one_with() {
        let flat = "from fairest creatures we desire increase that thereby beauty's rose might never die and so my fellow americans but as the riper should by time decease his tender heir might bear his memory ask not";
        let bad = Attempt::judge(&[seg(flat)], true);
        assert!(bad.unpunctuated && !bad.acceptable());
        // the same words with their full stops, even if less probable
        let mut good_seg = seg(&flat
            .replace(" die ", " die. ")
            .replace(" memory ", " memory. "));
        good_seg.avg_logprob = -0.5;
        let good = Attempt::judge(&[good_seg], true);
        assert!(good.acceptable() && good.better_than(&bad) && !bad.better_than(&good));
        // one long sentence is not a mode; Thai marks no full stops
        assert!(Attempt::judge(&[seg("and so my fellow americans ask not what your country can do for you ask what you can do for your country")], true).acceptable());
        assert!(Attempt::judge(&[seg(flat)], false).acceptable());
    }

    #[test]
    fn a_lone_word_in_a_quiet_chunk_end_is_dropped_and_speech_is_kept() {
        // "you" piled at the start of a 1.7 s pause, no-speech 0.96
        let mut you = seg("you");
        you.words[0].start = 87.88;
        you.words[0].end = 87.88;
        you.no_speech_prob = 0.96;
        // a word over sound, and one in a pause the model thinks is speech
        let mut know = seg("know?");
        know.no_speech_prob = 0.96;
        let mut breath = you.clone();
        breath.no_speech_prob = 0.3;
        let pauses = [
            Pause {
                start: 87.88,
                end: 89.56,
            },
            Pause {
                start: 0.6,
                end: 0.7,
            },
        ];
        let mut segs = vec![know, you, breath];
        drop_words_heard_in_pauses(&mut segs, &pauses);
        let kept: Vec<(&str, f32)> = segs
            .iter()
            .map(|s| (s.text.as_str(), s.no_speech_prob))
            .collect();
        assert_eq!(kept, [("know?", 0.96), ("you", 0.3)]);
    }

    #[test]
    fn stretched_words_are_shortened() {
        let mut segs = vec![seg("And so")];
        segs[0].words[0].start = -6.0; // "And" from -6.0 to 0.5
        segs[0].words[1].end = 9.0; // "so" from 1.0 to 9.0
        limit_word_durations(&mut segs);
        let w = &segs[0].words;
        assert!((w[0].start - (0.5 - 0.6)).abs() < 1e-9 && w[0].end == 0.5);
        assert!(w[1].start == 1.0 && (w[1].end - 1.5).abs() < 1e-9);
        assert!((segs[0].start + 0.1).abs() < 1e-9);
    }

    #[test]
    fn word_edges_move_out_of_pauses() {
        let mut segs = vec![seg("a b c d")]; // words at 0-0.5, 1-1.5, 2-2.5, 3-3.5
        segs[0].words[3].start = 3.3; // a late onset
        let p = |start, end| Pause { start, end };
        snap_to_pauses(
            &mut segs,
            &[p(0.2, 0.3), p(0.8, 1.2), p(2.4, 2.9), p(2.95, 3.0)],
        );
        let w = &segs[0].words;
        assert_eq!((w[0].start, w[0].end), (0.0, 0.2)); // ran across a pause
        assert_eq!((w[1].start, w[1].end), (1.2, 1.5)); // started inside a pause
        assert_eq!((w[2].start, w[2].end), (2.0, 2.4)); // ran into a pause
        assert_eq!((w[3].start, w[3].end), (3.0, 3.5)); // onset pulled back to 3.0
        assert_eq!((segs[0].start, segs[0].end), (0.0, 3.5));
    }

    #[test]
    fn words_in_silence_symbols_and_sparse_segments_are_dropped() {
        let segs = vec![seg("one two three four ♪♪")];
        let silence = Pause {
            start: 0.9,
            end: 3.0,
        };
        let out = clean_segments(segs, &[silence]);
        assert_eq!(out[0].text, "one four");
        let mut music = seg("Thank you.");
        music.end = 22.0;
        assert!(clean_segments(vec![music], &[]).is_empty());
    }
}
