//! Several short chunks in one 30 s window.
//!
//! A model that reads the whole 30 s window whatever the chunk (a
//! multilingual one, see `Engine::encodes_whole_window`) pays for 30 s of
//! encoder on a 5 s chunk. Read speech, a slow interview or a set of
//! short recordings breaks into many such chunks at the silences the
//! planner skips (≥ 2 s). Consecutive chunks are therefore packed into one
//! [`Piece`] while they fit in the window with [`GAP_S`] of silence between
//! them, the skipped silence itself left out, and a [`TimeMap`] takes
//! Whisper's times on the packed audio back to episode time. A model that
//! encodes only as much as it hears gains nothing from packing and gets one
//! chunk per piece.

use std::ops::Range;

use super::plan::Span;
use crate::audio::TARGET_RATE;

/// Whisper's window, seconds: what a piece may fill.
pub const WINDOW_S: f64 = 30.0;

/// Silence between two packed chunks, seconds: what Whisper hears as a
/// pause between sentences.
pub const GAP_S: f64 = 1.0;

/// Maps times on a piece (seconds from its first sample) to episode
/// seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeMap {
    /// Each chunk of the piece: where it starts in the piece, and where it
    /// starts and ends in the episode, all in seconds; in order, the first
    /// at 0.
    chunks: Vec<(f64, f64, f64)>,
}

impl TimeMap {
    /// The map of a piece that is the chunk `span` alone.
    pub fn of_chunk(span: Span) -> TimeMap {
        TimeMap {
            chunks: vec![(0.0, span.start_s(), span.end_s())],
        }
    }

    /// Episode time of `t` seconds into the piece, always inside one of
    /// its chunks. A time in a gap goes to the nearer chunk's edge: Whisper
    /// tends to time the first words after a silence early, and the gap is
    /// no audio of the episode (the silence it stands for was skipped).
    pub fn to_episode(&self, t: f64) -> f64 {
        let i = self
            .chunks
            .partition_point(|&(at, _, _)| at <= t)
            .saturating_sub(1);
        let (at, start, end) = self.chunks[i];
        let mapped = start + (t - at).max(0.0);
        if mapped <= end {
            return mapped;
        }
        // Seconds into the gap after chunk i, and the gap's length.
        let into_gap = mapped - end;
        match self.chunks.get(i + 1) {
            Some(&(next_at, next_start, _)) if into_gap > (next_at - at - (end - start)) / 2.0 => {
                next_start
            }
            _ => end,
        }
    }
}

/// What one worker decodes at once: one chunk, or several packed.
#[derive(Debug)]
pub struct Piece {
    /// Its place in the episode's order of pieces.
    pub index: usize,
    /// From its first chunk's start to its last chunk's end.
    pub span: Span,
    /// Seconds of the episode it covers (its chunks, without the gaps).
    pub audio_s: f64,
    /// 16 kHz samples: its chunks with [`GAP_S`] of silence between them.
    pub samples: Vec<f32>,
    /// Times on `samples` to episode time.
    pub map: TimeMap,
    /// Each chunk in it: its span in the episode and its samples in
    /// `samples`.
    pub parts: Vec<(Span, Range<usize>)>,
}

impl Piece {
    /// The chunks of this piece Whisper skipped over: those with fewer
    /// than a [`SKIPPED_SHARE`] of the words their length would have at
    /// the piece's pace (`word_starts`, episode seconds). Whisper now and
    /// then jumps its timestamps across one of several sentences in a
    /// window and never writes it; such a chunk is decoded again alone.
    /// A piece of one chunk has none.
    pub fn skipped_parts(&self, word_starts: &[f64]) -> Vec<usize> {
        if self.parts.len() < 2 || self.audio_s <= 0.0 {
            return Vec::new();
        }
        let pace = word_starts.len() as f64 / self.audio_s;
        self.parts
            .iter()
            .enumerate()
            .filter(|(_, (span, _))| {
                let heard = word_starts
                    .iter()
                    .filter(|&&t| t >= span.start_s() && t < span.end_s())
                    .count() as f64;
                let expected = pace * span.len_s();
                expected >= 2.0 && heard < SKIPPED_SHARE * expected
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// A chunk of a packed piece with fewer than this share of the words
/// expected at the piece's pace counts as skipped ([`Piece::skipped_parts`]).
pub const SKIPPED_SHARE: f64 = 0.3;

/// Languages written without spaces between words, whose chunks are never
/// packed: Whisper's "words" there are whole phrases, too few for
/// [`Piece::skipped_parts`] to notice a skipped chunk, and on the Japanese
/// samples packing lost a phrase (CER 26 → 36 of 87 characters).
pub const UNSPACED_LANGUAGES: &[&str] = &["ja", "zh", "yue", "th", "lo", "km", "my", "bo"];

/// Consecutive chunks grouped so each group, with [`GAP_S`] between its
/// chunks, lasts at most `max_s`; `pack` false: one chunk per group.
pub fn groups(chunks: &[Span], max_s: f64, pack: bool) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut len = 0.0;
    for (i, c) in chunks.iter().enumerate() {
        match out.last_mut() {
            Some(g) if pack && len + GAP_S + c.len_s() <= max_s => {
                g.end = i + 1;
                len += GAP_S + c.len_s();
            }
            _ => {
                out.push(i..i + 1);
                len = c.len_s();
            }
        }
    }
    out
}

/// Collects the chunks of a stream as they come and hands out each group
/// ([`groups`]) as one [`Piece`] once its last chunk is in.
pub struct Packer {
    groups: Vec<Range<usize>>,
    next: usize,
    parts: Vec<(Span, Vec<f32>)>,
}

impl Packer {
    /// A packer for `groups` of chunk indices.
    pub fn new(groups: Vec<Range<usize>>) -> Packer {
        Packer {
            groups,
            next: 0,
            parts: Vec::new(),
        }
    }

    /// Adds chunk `index`; returns the pieces now complete (a group whose
    /// later chunks never came, as at the end of a truncated stream, goes
    /// out as far as it got).
    pub fn add(&mut self, index: usize, span: Span, samples: Vec<f32>) -> Vec<Piece> {
        let mut out = Vec::new();
        while self.groups.get(self.next).is_some_and(|g| index >= g.end) {
            out.extend(self.flush());
        }
        self.parts.push((span, samples));
        if self
            .groups
            .get(self.next)
            .is_some_and(|g| index + 1 == g.end)
        {
            out.extend(self.flush());
        }
        out
    }

    /// The piece of a group left open at the end of the stream, if any.
    pub fn finish(&mut self) -> Option<Piece> {
        self.flush()
    }

    fn flush(&mut self) -> Option<Piece> {
        let parts = std::mem::take(&mut self.parts);
        let index = self.next;
        self.next += 1;
        join(index, parts)
    }
}

/// One piece of `parts` (chunks in order), [`GAP_S`] of silence between
/// them; `None` when there are none.
fn join(index: usize, parts: Vec<(Span, Vec<f32>)>) -> Option<Piece> {
    let (first, last) = (parts.first()?.0, parts.last()?.0);
    let rate = TARGET_RATE as f64;
    let gap = vec![0.0f32; (GAP_S * rate) as usize];
    let mut samples = Vec::new();
    let mut chunks = Vec::with_capacity(parts.len());
    let mut ranges = Vec::with_capacity(parts.len());
    let mut audio_s = 0.0;
    for (i, (span, s)) in parts.into_iter().enumerate() {
        if i > 0 {
            samples.extend_from_slice(&gap);
        }
        chunks.push((samples.len() as f64 / rate, span.start_s(), span.end_s()));
        audio_s += s.len() as f64 / rate;
        ranges.push((span, samples.len()..samples.len() + s.len()));
        samples.extend(s);
    }
    Some(Piece {
        index,
        span: Span {
            start: first.start,
            end: last.end,
        },
        audio_s,
        samples,
        map: TimeMap { chunks },
        parts: ranges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(seconds: f64) -> usize {
        (seconds * 16_000.0).round() as usize
    }

    fn one_group(r: Range<usize>) -> Vec<Range<usize>> {
        std::iter::once(r).collect()
    }

    fn span(a: f64, b: f64) -> Span {
        Span {
            start: s(a),
            end: s(b),
        }
    }

    #[test]
    fn short_chunks_share_a_window_long_ones_do_not() {
        let chunks = [
            span(0.0, 12.0),
            span(14.0, 33.0),
            span(36.0, 43.0),
            span(45.0, 50.0),
            span(54.0, 60.0),
            span(64.0, 94.0),
        ];
        // 12 + 1 + 19 > 30; 19 + 1 + 7 = 27; + 1 + 5 > 30; 5 + 1 + 6 = 12;
        // a full 30 s chunk stands alone.
        assert_eq!(groups(&chunks, 30.0, true), vec![0..1, 1..3, 3..5, 5..6]);
        assert_eq!(
            groups(&chunks, 30.0, false),
            (0..6).map(|i| i..i + 1).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_piece_holds_its_chunks_and_maps_times_back() {
        let (a, b) = (span(10.0, 12.0), span(20.0, 23.0));
        let mut packer = Packer::new(one_group(0..2));
        assert!(packer.add(0, a, vec![0.5; s(2.0)]).is_empty());
        let mut out = packer.add(1, b, vec![0.25; s(3.0)]);
        assert_eq!(out.len(), 1);
        let p = out.pop().unwrap();
        assert_eq!(p.index, 0);
        assert_eq!(p.span, span(10.0, 23.0));
        assert!((p.audio_s - 5.0).abs() < 1e-9);
        // 2 s of the first chunk, 1 s of silence, 3 s of the second.
        assert_eq!(p.samples.len(), s(6.0));
        assert!(p.samples[..s(2.0)].iter().all(|&v| v == 0.5));
        assert!(p.samples[s(2.0)..s(3.0)].iter().all(|&v| v == 0.0));
        assert!(p.samples[s(3.0)..].iter().all(|&v| v == 0.25));
        assert!((p.map.to_episode(1.0) - 11.0).abs() < 1e-9);
        // In the gap: the nearer chunk's edge.
        assert!((p.map.to_episode(2.2) - 12.0).abs() < 1e-9);
        assert!((p.map.to_episode(2.8) - 20.0).abs() < 1e-9);
        assert!((p.map.to_episode(3.0) - 20.0).abs() < 1e-9);
        assert!((p.map.to_episode(5.5) - 22.5).abs() < 1e-9);
        assert_eq!(p.map.to_episode(7.0), 23.0);
        assert!(packer.finish().is_none());
    }

    #[test]
    fn a_chunk_whisper_skipped_over_is_found() {
        let mut packer = Packer::new(one_group(0..3));
        packer.add(0, span(0.0, 8.0), vec![0.1; s(8.0)]);
        packer.add(1, span(10.0, 18.0), vec![0.1; s(8.0)]);
        let p = packer
            .add(2, span(20.0, 28.0), vec![0.1; s(8.0)])
            .pop()
            .unwrap();
        assert_eq!(p.parts[1], (span(10.0, 18.0), s(9.0)..s(17.0)));
        // Two words a second in the first and last chunk, none in the middle.
        let starts: Vec<f64> = (0..16)
            .map(|i| i as f64 * 0.5)
            .chain((0..16).map(|i| 20.0 + i as f64 * 0.5))
            .collect();
        assert_eq!(p.skipped_parts(&starts), [1]);
        // A pause in the talk is not a skip: half the pace is enough.
        let slower: Vec<f64> = starts
            .iter()
            .copied()
            .chain([11.0, 13.0, 15.0, 17.0])
            .collect();
        assert!(p.skipped_parts(&slower).is_empty());
        // One chunk alone is never re-decoded.
        let one = Packer::new(one_group(0..1))
            .add(0, span(0.0, 8.0), vec![0.1; s(8.0)])
            .pop()
            .unwrap();
        assert!(one.skipped_parts(&[]).is_empty());
        // A chunk decoded again alone is mapped as a piece of its own.
        assert_eq!(one.map, TimeMap::of_chunk(span(0.0, 8.0)));
    }

    #[test]
    fn a_group_cut_short_by_the_stream_still_goes_out() {
        let mut packer = Packer::new(vec![0..2, 2..3]);
        assert!(packer.add(0, span(0.0, 1.0), vec![0.1; s(1.0)]).is_empty());
        // Chunk 1 never came; chunk 2 closes the first group and its own.
        let out = packer.add(2, span(5.0, 6.0), vec![0.2; s(1.0)]);
        assert_eq!(out.iter().map(|p| p.index).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(out[0].samples.len(), s(1.0));
        // A group left open at the end of the stream.
        let mut packer = Packer::new(one_group(0..2));
        assert!(packer.add(0, span(0.0, 1.0), vec![0.1; s(1.0)]).is_empty());
        assert_eq!(packer.finish().map(|p| p.index), Some(0));
    }
}
