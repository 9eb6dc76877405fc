//! Clip media: each clip's audio cut from the source at the source's own
//! rate, and its subtitles in clip time. The files are named after the clip
//! id under `clips/`; the stage returns the bytes and names, and the episode
//! writes them into its staging folder.

use std::path::Path;

use crate::audio::{self, AudioError};
use crate::highlights::Clip;
use crate::output;
use crate::transcript::{Transcript, Word};

/// The sub-folder of the output folder that holds the clip files.
pub const CLIPS_DIR: &str = "clips";

/// One file made for a clip.
pub struct MediaFile {
    /// Path relative to the output folder, e.g. `clips/clip-000123.wav`.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Cuts every clip out of `input` in one streaming pass and returns, per
/// clip, its files best first: the audio (16-bit mono WAV at the source
/// rate), then its SRT subtitles in clip time.
pub fn make(
    input: &Path,
    transcript: &Transcript,
    clips: &[Clip],
    decode: &audio::DecodeOptions,
) -> Result<Vec<Vec<MediaFile>>, AudioError> {
    let (rate, audio) = extract(input, clips, decode)?;
    Ok(clips
        .iter()
        .zip(&audio)
        .map(|(clip, samples)| {
            let subtitles = output::srt::render(&clip_transcript(transcript, clip));
            vec![
                MediaFile {
                    name: format!("{}/{}.wav", CLIPS_DIR, clip.id),
                    bytes: wav_bytes(samples, rate),
                },
                MediaFile {
                    name: format!("{}/{}.srt", CLIPS_DIR, clip.id),
                    bytes: subtitles.into_bytes(),
                },
            ]
        })
        .collect())
}

/// Writes 16-bit PCM mono WAV bytes.
fn wav_bytes(samples: &[f32], rate: u32) -> Vec<u8> {
    let data_len = samples.len() as u32 * 2;
    let mut b = Vec::with_capacity(44 + data_len as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(rate * 2).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for &s in samples {
        b.extend_from_slice(&((s.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes());
    }
    b
}

/// Cuts the clips out of the source at its own sample rate (mono), in one
/// streaming pass.
fn extract(
    input: &Path,
    clips: &[Clip],
    decode: &audio::DecodeOptions,
) -> Result<(u32, Vec<Vec<f32>>), AudioError> {
    let rate = std::cell::Cell::new(0u32);
    let mut pos = 0usize;
    let mut out: Vec<Vec<f32>> = vec![Vec::new(); clips.len()];
    audio::decode::decode_mono_with(
        input,
        decode,
        &mut |info| {
            rate.set(info.sample_rate);
            Ok(())
        },
        &mut |block| {
            let r = rate.get() as f64;
            for (i, c) in clips.iter().enumerate() {
                let (a, b) = ((c.start * r) as usize, (c.end * r) as usize);
                let lo = a.max(pos);
                let hi = b.min(pos + block.len());
                if lo < hi {
                    out[i].extend_from_slice(&block[lo - pos..hi - pos]);
                }
            }
            pos += block.len();
        },
    )?;
    Ok((rate.get(), out))
}

/// The transcript of one clip, in clip time, for its subtitle file.
fn clip_transcript(t: &Transcript, clip: &Clip) -> Transcript {
    let words: Vec<Word> = t
        .words()
        .filter(|w| w.start >= clip.start && w.end <= clip.end + 0.05)
        .map(|w| Word {
            start: w.start - clip.start,
            end: (w.end - clip.start).min(clip.duration()),
            ..w.clone()
        })
        .collect();
    Transcript::from_words(words, clip.duration(), &t.model)
}
