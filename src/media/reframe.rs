//! Reframing a wide video podcast per clip: a centre crop when what moves
//! in the picture during the clip is in the middle (one speaker facing the
//! camera), the whole frame on a blurred copy of itself when it is spread
//! out (two people at the sides of a studio shot).
//!
//! What moves is measured, not guessed: a few frames a second of the
//! clip, decoded small and grey by FFmpeg, are differenced, and the
//! differences summed per column give where the picture is active (a
//! talking head moves: lips, hands, nods; a bookshelf does not). When the
//! picture barely moves at all (a still frame, a slide), the edges of the
//! frames stand in for the motion. A centre crop keeps the clip's
//! picture when the columns it keeps hold at least [`KEEP_SHARE`] of the
//! activity.

use std::path::Path;
use std::process::{Command, Stdio};

/// Width of the frames measured, px (columns of the activity profile).
pub const COLUMNS: usize = 64;
/// Height of the frames measured, px.
const ROWS: usize = 36;
/// Frames measured per second of the clip.
const RATE: u32 = 2;
/// The share of the activity a centre crop must keep to be chosen.
pub const KEEP_SHARE: f64 = 0.7;
/// Mean frame difference (grey levels) under which the picture counts as
/// still and its edges are measured instead.
const STILL: f64 = 0.5;

/// How a wide picture is put into a narrower frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Scaled to fill the frame and centre-cropped.
    Crop,
    /// Shown whole, full width, on a blurred copy of itself.
    Whole,
}

/// The activity of each of [`COLUMNS`] columns of `file`'s picture from
/// `start` for `duration` seconds; `None` when FFmpeg cannot decode it.
pub fn activity(file: &Path, start: f64, duration: f64) -> Option<Vec<f64>> {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-ss", &format!("{start:.3}")])
        .args(["-t", &format!("{duration:.3}"), "-i"])
        .arg(file)
        .args(["-an", "-vf"])
        .arg(format!(
            "fps={RATE},scale={COLUMNS}:{ROWS}:flags=area,format=gray"
        ))
        .args(["-threads", "1", "-f", "rawvideo", "-"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let frames: Vec<&[u8]> = out.stdout.chunks_exact(COLUMNS * ROWS).collect();
    (!frames.is_empty()).then(|| profile(&frames))
}

/// Column activity of grey frames of [`COLUMNS`]×[`ROWS`]: the summed
/// absolute differences of consecutive frames, or, when they hardly
/// differ, the horizontal and vertical gradients of every frame.
pub fn profile(frames: &[&[u8]]) -> Vec<f64> {
    let mut motion = vec![0.0; COLUMNS];
    for pair in frames.windows(2) {
        for (i, (a, b)) in pair[0].iter().zip(pair[1]).enumerate() {
            motion[i % COLUMNS] += (*a as f64 - *b as f64).abs();
        }
    }
    let pixels = (frames.len().saturating_sub(1) * COLUMNS * ROWS).max(1) as f64;
    if motion.iter().sum::<f64>() / pixels >= STILL {
        return motion;
    }
    let mut edges = vec![0.0; COLUMNS];
    for f in frames {
        for y in 0..ROWS - 1 {
            for x in 0..COLUMNS - 1 {
                let p = f[y * COLUMNS + x] as f64;
                let dx = (f[y * COLUMNS + x + 1] as f64 - p).abs();
                let dy = (f[(y + 1) * COLUMNS + x] as f64 - p).abs();
                edges[x] += dx + dy;
            }
        }
    }
    edges
}

/// The share of `profile`'s activity in the centred `keep` fraction of
/// its columns (what a centre crop keeps), 0..1; 1 for a profile with no
/// activity at all.
pub fn centre_share(profile: &[f64], keep: f64) -> f64 {
    let n = profile.len() as f64;
    let total: f64 = profile.iter().sum();
    if total <= 0.0 {
        return 1.0;
    }
    let (lo, hi) = (n * (1.0 - keep) / 2.0, n * (1.0 + keep) / 2.0);
    let kept: f64 = profile
        .iter()
        .enumerate()
        .map(|(i, v)| {
            // the part of column i inside [lo, hi)
            let (a, b) = (i as f64, i as f64 + 1.0);
            v * (b.min(hi) - a.max(lo)).clamp(0.0, 1.0)
        })
        .sum();
    kept / total
}

/// The framing of a picture whose columns are active as `profile` in a
/// frame that keeps the centred `keep` fraction of its width when cropped.
pub fn choose(profile: &[f64], keep: f64) -> Framing {
    if centre_share(profile, keep) >= KEEP_SHARE {
        Framing::Crop
    } else {
        Framing::Whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames with a bright square of `size` px moving up and down at
    /// each of `xs` (left edges) on a textured grey background.
    fn frames(xs: &[usize], size: usize) -> Vec<Vec<u8>> {
        (0..8)
            .map(|t| {
                let mut f: Vec<u8> = (0..COLUMNS * ROWS)
                    .map(|i| 60 + (i % 7) as u8 * 3)
                    .collect();
                for &x0 in xs {
                    let y0 = 4 + (t % 2) * 8;
                    for y in y0..y0 + size {
                        for x in x0..x0 + size {
                            f[y * COLUMNS + x] = 230;
                        }
                    }
                }
                f
            })
            .collect()
    }

    fn framing(xs: &[usize]) -> (Framing, f64) {
        let fs = frames(xs, 10);
        let refs: Vec<&[u8]> = fs.iter().map(Vec::as_slice).collect();
        let p = profile(&refs);
        // a 16:9 picture in a 9:16 frame keeps 0.316 of its width
        let keep = (9.0 / 16.0) / (16.0 / 9.0);
        (choose(&p, keep), centre_share(&p, keep))
    }

    #[test]
    fn one_moving_speaker_in_the_middle_is_cropped_two_at_the_sides_are_shown_whole() {
        let (centre, share) = framing(&[27]);
        assert_eq!(centre, Framing::Crop, "{share}");
        let (sides, share) = framing(&[6, 48]);
        assert_eq!(sides, Framing::Whole, "{share}");
        let (off, share) = framing(&[50]);
        assert_eq!(off, Framing::Whole, "{share}");
    }

    #[test]
    fn a_still_picture_is_judged_by_its_edges() {
        let still: Vec<Vec<u8>> = (0..4)
            .map(|_| {
                (0..COLUMNS * ROWS)
                    .map(|i| {
                        if (30..34).contains(&(i % COLUMNS)) {
                            250
                        } else {
                            40
                        }
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<&[u8]> = still.iter().map(Vec::as_slice).collect();
        let p = profile(&refs);
        assert!(p.iter().sum::<f64>() > 0.0);
        assert_eq!(choose(&p, 0.316), Framing::Crop);
        assert_eq!(centre_share(&[0.0; 8], 0.5), 1.0);
        assert!((centre_share(&[1.0; 8], 0.5) - 0.5).abs() < 1e-9);
    }
}
