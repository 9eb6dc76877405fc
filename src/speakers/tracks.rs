//! One track per speaker (Riverside, SquadCast, Zoom's separate audio):
//! exact turns from the tracks' own levels, and the mix to transcribe.
//!
//! In each 20 ms frame, a track speaks when it is above its own speech
//! threshold (the engine's, from its own loudness); when several do, the
//! loudest takes the frame, so a voice leaking into another speaker's
//! microphone (always quieter there) does not make a turn.

use crate::transcribe::plan::EnergyTrack;

use super::turns::{self, Turn};
use super::Diarization;

/// The tracks summed into one signal (as long as the longest), scaled down
/// when the sum would clip.
pub fn mix(tracks: &[Vec<f32>]) -> Vec<f32> {
    let len = tracks.iter().map(|t| t.len()).max().unwrap_or(0);
    let mut out = vec![0f32; len];
    for t in tracks {
        out.iter_mut().zip(t).for_each(|(o, s)| *o += s);
    }
    let peak = out.iter().fold(0f32, |m, s| m.max(s.abs()));
    if peak > 0.99 {
        let g = 0.99 / peak;
        out.iter_mut().for_each(|s| *s *= g);
    }
    out
}

/// Turns from per-speaker tracks (16 kHz mono); speaker `i` is track `i`.
pub fn diarize_tracks(tracks: &[Vec<f32>]) -> Diarization {
    let levels: Vec<Vec<f32>> = tracks
        .iter()
        .map(|t| EnergyTrack::from_samples(t).db)
        .collect();
    let speech: Vec<Vec<bool>> = levels
        .iter()
        .map(|db| super::speech_from_loudness(db))
        .collect();
    let n = levels.iter().map(|l| l.len()).max().unwrap_or(0);
    // 10 ms frames, as the other turns use.
    let mut frames: Vec<Option<usize>> = vec![None; 2 * n];
    for f in 0..n {
        let speaking: Vec<usize> = (0..tracks.len())
            .filter(|i| speech[*i].get(2 * f).copied().unwrap_or(false))
            .collect();
        let loudest = speaking
            .iter()
            .copied()
            .max_by(|a, b| levels[*a][f].total_cmp(&levels[*b][f]));
        frames[2 * f] = loudest;
        frames[2 * f + 1] = loudest;
    }
    let found: Vec<Turn> = turns::turns(frames);
    let speakers = tracks.len();
    Diarization {
        speakers,
        turns: found,
        windows: 0,
        voices: Vec::new(),
    }
}
