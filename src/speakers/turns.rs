//! From labelled windows to speaker turns, and from turns to the
//! transcript's words and segments.
//!
//! Each 10 ms speech frame goes to the speaker whose centroid the windows
//! covering it are most similar to (so a change is placed inside the
//! overlap of windows, not at a window edge); runs shorter than
//! [`MIN_RUN_S`] join their neighbours; consecutive frames of one speaker
//! make a turn. Words take the speaker of the turn they overlap most
//! (a word between turns, the nearest), and a segment the speaker of most
//! of its words.

use crate::transcript::Transcript;

use super::embed::{cosine, Window, FRAMES_PER_S, WINDOW};

/// Shortest run of one speaker kept, seconds.
pub const MIN_RUN_S: f64 = 0.5;

/// One speaker's stretch of speech.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Turn {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// Speaker index, `0..` (S1 is 0).
    pub speaker: usize,
}

/// The speaker of every speech frame (`None` outside speech).
pub fn frame_labels(
    windows: &[Window],
    labels: &[usize],
    centroids: &[Vec<f32>],
    speech: &[bool],
) -> Vec<Option<usize>> {
    let mut out = vec![None; speech.len()];
    if windows.is_empty() {
        return out;
    }
    let k = centroids.len();
    // Similarity of each window to each centroid.
    let sims: Vec<Vec<f32>> = windows
        .iter()
        .map(|w| centroids.iter().map(|c| cosine(&w.embedding, c)).collect())
        .collect();
    let mut first = 0usize; // first window that may still cover the frame
    for (f, is_speech) in speech.iter().enumerate() {
        if !is_speech {
            continue;
        }
        while first < windows.len() && windows[first].start + WINDOW <= f {
            first += 1;
        }
        let mut score = vec![0f32; k];
        let mut any = false;
        for (w, s) in windows[first..].iter().zip(&sims[first..]) {
            if w.start > f {
                break;
            }
            any = true;
            score.iter_mut().zip(s).for_each(|(a, b)| *a += b);
        }
        out[f] = Some(if any {
            (0..k)
                .max_by(|a, b| score[*a].total_cmp(&score[*b]))
                .unwrap_or(0)
        } else {
            // No window covers it: the nearest window's speaker.
            let t = f as f64 / FRAMES_PER_S;
            let i = (0..windows.len())
                .min_by(|a, b| {
                    let da = (windows[*a].centre_s() - t).abs();
                    let db = (windows[*b].centre_s() - t).abs();
                    da.total_cmp(&db)
                })
                .unwrap_or(0);
            labels[i]
        });
    }
    out
}

/// Runs of speech frames: (first, end, speaker).
fn runs(frames: &[Option<usize>]) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    for (f, l) in frames.iter().enumerate() {
        match (l, out.last_mut()) {
            (Some(s), Some(last)) if last.1 == f && last.2 == *s => last.1 = f + 1,
            (Some(s), _) => out.push((f, f + 1, *s)),
            (None, _) => {}
        }
    }
    out
}

/// Turns from frame labels: short runs between speech of another speaker
/// take the longer neighbour's speaker first.
pub fn turns(mut frames: Vec<Option<usize>>) -> Vec<Turn> {
    let min = (MIN_RUN_S * FRAMES_PER_S) as usize;
    loop {
        let r = runs(&frames);
        // The shortest run under the minimum that touches another speaker.
        let short = (0..r.len())
            .filter(|i| r[*i].1 - r[*i].0 < min)
            .filter_map(|i| {
                let before = i.checked_sub(1).map(|p| r[p]).filter(|p| p.1 == r[i].0);
                let after = r.get(i + 1).copied().filter(|n| n.0 == r[i].1);
                let pick = match (before, after) {
                    (Some(b), Some(a)) => Some(if b.1 - b.0 >= a.1 - a.0 { b } else { a }),
                    (b, a) => b.or(a),
                };
                pick.map(|p| (i, p.2))
            })
            .min_by_key(|(i, _)| r[*i].1 - r[*i].0);
        let Some((i, speaker)) = short else { break };
        frames[r[i].0..r[i].1]
            .iter_mut()
            .for_each(|l| *l = Some(speaker));
    }
    runs(&frames)
        .into_iter()
        .map(|(a, b, s)| Turn {
            start: a as f64 / FRAMES_PER_S,
            end: b as f64 / FRAMES_PER_S,
            speaker: s,
        })
        .collect()
}

/// The speaker of the span `start..end`: most overlap, else nearest turn.
pub fn speaker_at(turns: &[Turn], start: f64, end: f64) -> Option<usize> {
    let overlap = |t: &Turn| (t.end.min(end) - t.start.max(start)).max(0.0);
    let best = turns
        .iter()
        .filter(|t| overlap(t) > 0.0)
        .max_by(|a, b| overlap(a).total_cmp(&overlap(b)));
    if let Some(t) = best {
        return Some(t.speaker);
    }
    let mid = (start + end) / 2.0;
    let gap = |t: &Turn| (t.start - mid).max(mid - t.end).max(0.0);
    turns
        .iter()
        .min_by(|a, b| gap(a).total_cmp(&gap(b)))
        .map(|t| t.speaker)
}

/// The id users see for speaker index `i`: `S1`, `S2`, …
pub fn speaker_id(i: usize) -> String {
    format!("S{}", i + 1)
}

/// Gives every word of `transcript` its speaker, and every segment the
/// speaker who says most of it (by word time; segments keep their shape,
/// so clips and subtitles cut where they did).
pub fn label_transcript(transcript: &mut Transcript, turns: &[Turn]) {
    for seg in &mut transcript.segments {
        let mut talk: Vec<(usize, f64)> = Vec::new();
        for w in &mut seg.words {
            let s = speaker_at(turns, w.start, w.end);
            w.speaker = s.map(speaker_id);
            if let Some(s) = s {
                match talk.iter_mut().find(|(k, _)| *k == s) {
                    Some((_, t)) => *t += (w.end - w.start).max(0.01),
                    None => talk.push((s, (w.end - w.start).max(0.01))),
                }
            }
        }
        let most = talk
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(s, _)| *s)
            .or_else(|| speaker_at(turns, seg.start, seg.end));
        seg.speaker = most.map(speaker_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blip_of_another_speaker_joins_its_neighbours_and_gaps_split_turns() {
        let mut frames: Vec<Option<usize>> = vec![Some(0); 200];
        frames[100..120].iter_mut().for_each(|l| *l = Some(1)); // 0.2 s blip
        frames.extend(vec![None; 50]);
        frames.extend(vec![Some(1); 150]);
        let t = turns(frames);
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!((t[0].speaker, t[0].start, t[0].end), (0, 0.0, 2.0));
        assert_eq!((t[1].speaker, t[1].start, t[1].end), (1, 2.5, 4.0));
        assert_eq!(speaker_at(&t, 1.9, 2.1), Some(0));
        assert_eq!(speaker_at(&t, 2.3, 2.45), Some(1), "nearest turn");
    }
}
