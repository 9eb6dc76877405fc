//! Clip media: what the VA posts for each clip. Every clip is cut from the
//! source in one streaming pass, mastered ([`master`]: 44.1 kHz, the
//! client's loudness, true peak under the ceiling, fades) and encoded as MP3
//! ([`mp3`]) with a small preview for the review sheet; its subtitles are
//! written in clip time. The raw cut as WAV is kept by option. The files
//! are named after the clip id under `clips/`; this stage returns the bytes
//! and names, and the episode writes them into its staging folder.

pub mod ass;
pub mod card;
pub mod image;
pub mod master;
pub mod mp3;
pub mod reframe;
pub mod video;

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audio::{self, AudioError};
use crate::config::MediaConfig;
use crate::highlights::Clip;
use crate::output;
use crate::transcript::{Transcript, Word};

/// The bundled font of captions and cards (DejaVu Sans Bold, Bitstream
/// Vera licence: `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The sub-folder of the output folder that holds the clip files.
pub const CLIPS_DIR: &str = "clips";

/// What a media file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    /// The mastered clip audio to post (MP3).
    Audio,
    /// A small MP3 for the review sheet to embed.
    Preview,
    /// The unmastered cut as WAV, by option.
    Wav,
    /// Subtitles in clip time (SRT).
    Subtitles,
    /// An audiogram video (MP4).
    Video,
    /// A quote card (PNG).
    Image,
}

/// One file made for a clip.
pub struct MediaFile {
    /// Path relative to the output folder, e.g. `clips/clip-000123.mp3`.
    pub name: String,
    /// What it is.
    pub kind: MediaKind,
    /// Playing time, seconds (audio and video).
    pub duration: Option<f64>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl MediaFile {
    /// Its entry in `highlights.json`.
    pub fn entry(&self) -> MediaEntry {
        MediaEntry {
            path: self.name.clone(),
            kind: self.kind,
            bytes: self.bytes.len() as u64,
            duration: self.duration,
        }
    }
}

/// A media file as `highlights.json` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaEntry {
    /// Path relative to the output folder.
    pub path: String,
    /// What it is.
    pub kind: MediaKind,
    /// Size, bytes.
    pub bytes: u64,
    /// Playing time, seconds (audio and video).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
}

/// Why the clip media could not be made.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The audio could not be read again to cut the clips.
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// Mastering or encoding a clip failed.
    #[error("cannot make the audio of clip {0}: {1}")]
    Encode(String, String),
}

/// What a clip's files say besides its sound.
#[derive(Debug, Clone, Copy, Default)]
pub struct Labels<'a> {
    /// The credit line of the quote cards (the show's name).
    pub show: &'a str,
    /// The client's logo, for the quote cards' corner.
    pub logo: Option<&'a image::Image>,
    /// The clip's SRT names the speakers (`[speakers] in_subtitles`), as
    /// the episode's subtitles do.
    pub speakers_in_subtitles: bool,
}

/// Cuts every clip out of `input` in one streaming pass and returns, per
/// clip, its files best first: the mastered MP3, its preview, the WAV cut
/// when `settings.wav` asks for it, its SRT subtitles in clip time, then
/// its quote cards (the speaker when named, `show` as the credit line,
/// `logo` in the corner; see [`logo_image`]).
/// Clips are mastered in parallel.
pub fn make(
    input: &Path,
    transcript: &Transcript,
    clips: &[Clip],
    decode: &audio::DecodeOptions,
    settings: &MediaConfig,
    labels: &Labels,
) -> Result<Vec<Vec<MediaFile>>, MediaError> {
    let (show, logo) = (labels.show, labels.logo);
    let (rate, audio) = extract(input, clips, decode)?;
    let rules = crate::lang::rules(transcript.language.as_deref().unwrap_or("en"));
    let font = (!settings.font.is_empty())
        .then(|| std::fs::read(&settings.font).ok())
        .flatten();
    let font = font.as_deref().unwrap_or(FONT);
    let cover = cover_image(input, settings);
    clips
        .par_iter()
        .zip(&audio)
        .map(|(clip, samples)| {
            let mut files = clip_files(clip, (samples, rate), settings)?;
            files.push(MediaFile {
                name: format!("{}/{}.srt", CLIPS_DIR, clip.id),
                kind: MediaKind::Subtitles,
                duration: None,
                bytes: output::srt::render_with(
                    &clip_transcript(transcript, clip),
                    labels.speakers_in_subtitles,
                )
                .into_bytes(),
            });
            if settings.quote_cards {
                let pictures = (cover.as_ref(), logo);
                files.extend(cards(clip, settings, show, font, rules, pictures)?);
            }
            Ok(files)
        })
        .collect()
}

/// The picture behind the quote cards: the client's `cover` when it is
/// set (and reads as a PNG or JPEG), else the cover embedded in the
/// episode file, else none (the plain background colour).
pub fn cover_image(input: &Path, settings: &MediaConfig) -> Option<image::Image> {
    let bytes = if settings.cover.is_empty() {
        audio::cover::embedded_picture(input)?.data
    } else {
        std::fs::read(&settings.cover).ok()?
    };
    image::Image::decode(&bytes).ok()
}

/// The brand kit's logo (`logo` in `[media]`), decoded: `Ok(None)` when
/// none is set; an error naming the setting when the file cannot be read
/// or is not a PNG or JPEG picture. Checked before an episode starts (a
/// wrong path refuses the episode with this message); should the file go
/// missing later, the run warns and draws no logo.
pub fn logo_image(settings: &MediaConfig) -> Result<Option<image::Image>, String> {
    if settings.logo.is_empty() {
        return Ok(None);
    }
    let bytes = std::fs::read(&settings.logo)
        .map_err(|e| format!("media.logo: cannot read {}: {e}", settings.logo))?;
    image::Image::decode(&bytes)
        .map(Some)
        .map_err(|e| format!("media.logo: {}: {e}", settings.logo))
}

/// The name of who says the clip, when `[speakers]` gave one; `None` for
/// a bare id such as `S2` (not worth showing) or an unknown speaker.
pub fn speaker_name(clip: &Clip) -> Option<&str> {
    clip.speaker
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && !crate::transcript::is_speaker_id(s))
}

/// The quote cards of a clip (Instagram portrait, LinkedIn landscape);
/// `pictures` are the cover behind the quote and the logo.
fn cards(
    clip: &Clip,
    settings: &MediaConfig,
    show: &str,
    font: &[u8],
    rules: &crate::lang::TextRules,
    (cover, logo): (Option<&image::Image>, Option<&image::Image>),
) -> Result<Vec<MediaFile>, MediaError> {
    let quote = crate::drafts::best_quote(&clip.sentences, rules).unwrap_or(clip.text.as_str());
    let rgb = |c: &str| crate::config::parse_colour(c).unwrap_or([255, 255, 255]);
    let colours = card::CardColours {
        background: rgb(&settings.background),
        text: rgb(&settings.text),
        accent: rgb(&settings.accent),
    };
    let text = card::CardText {
        quote: quote.trim(),
        speaker: speaker_name(clip).unwrap_or(""),
        credit: show,
    };
    [card::INSTAGRAM, card::LINKEDIN]
        .iter()
        .map(|spec| {
            let (bytes, _) = card::render(font, spec, &text, &colours, cover, logo)
                .map_err(|e| MediaError::Encode(clip.id.clone(), e))?;
            Ok(MediaFile {
                name: format!("{}/{}.{}.png", CLIPS_DIR, clip.id, spec.suffix),
                kind: MediaKind::Image,
                duration: None,
                bytes,
            })
        })
        .collect()
}

/// The files of one clip.
fn clip_files(
    clip: &Clip,
    (samples, rate): (&[f32], u32),
    settings: &MediaConfig,
) -> Result<Vec<MediaFile>, MediaError> {
    let failed = |e: String| MediaError::Encode(clip.id.clone(), e);
    let m = master::master(samples, rate, settings.loudness, settings.true_peak).map_err(failed)?;
    let duration = Some(m.samples.len() as f64 / master::OUT_RATE as f64);
    let name = |ext: &str| format!("{}/{}.{ext}", CLIPS_DIR, clip.id);
    let (target, ceiling) = (settings.loudness, settings.true_peak);
    let encode = |spec| {
        mp3::encode_checked(&m.samples, master::OUT_RATE, spec, target, ceiling).map_err(failed)
    };
    let mut files = vec![
        MediaFile {
            name: name("mp3"),
            kind: MediaKind::Audio,
            duration,
            bytes: encode(mp3::MAIN)?,
        },
        MediaFile {
            name: name("preview.mp3"),
            kind: MediaKind::Preview,
            duration,
            bytes: encode(mp3::PREVIEW)?,
        },
    ];
    if settings.wav {
        files.push(MediaFile {
            name: name("wav"),
            kind: MediaKind::Wav,
            duration: Some(samples.len() as f64 / rate.max(1) as f64),
            bytes: wav_bytes(samples, rate),
        });
    }
    Ok(files)
}

/// Writes 16-bit PCM mono WAV bytes.
pub fn wav_bytes(samples: &[f32], rate: u32) -> Vec<u8> {
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

/// The transcript of one clip, in clip time, for its subtitles and captions.
pub fn clip_transcript(t: &Transcript, clip: &Clip) -> Transcript {
    let words: Vec<Word> = t
        .words()
        .filter(|w| w.start >= clip.start && w.end <= clip.end + 0.05)
        .map(|w| Word {
            start: w.start - clip.start,
            end: (w.end - clip.start).min(clip.duration()),
            ..w.clone()
        })
        .collect();
    let mut clipped = Transcript::from_words(words, clip.duration(), &t.model);
    clipped.speakers = t.speakers.clone();
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(speaker: Option<&str>) -> Clip {
        serde_json::from_value(serde_json::json!({
            "id": "clip-000010-abcdef", "rank": 1, "start": 1.0, "end": 21.0,
            "text": "Words.", "sentences": ["Words."], "bucket": "short",
            "score": 1.0, "contributions": [], "keywords": [], "speaker": speaker,
        }))
        .unwrap()
    }

    #[test]
    fn only_a_given_name_is_shown_as_the_speaker() {
        assert_eq!(
            speaker_name(&clip(Some("Dana (host)"))),
            Some("Dana (host)")
        );
        assert_eq!(speaker_name(&clip(Some("S2"))), None);
        assert_eq!(speaker_name(&clip(Some("  "))), None);
        assert_eq!(speaker_name(&clip(None)), None);
    }

    #[test]
    fn a_logo_that_cannot_be_used_is_an_error_naming_the_setting() {
        let mut s = MediaConfig::default();
        assert!(logo_image(&s).unwrap().is_none());
        s.logo = "/nonexistent/logo.png".into();
        let e = logo_image(&s).unwrap_err();
        assert!(
            e.starts_with("media.logo: cannot read /nonexistent/logo.png"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("logo.png");
        std::fs::write(&bad, b"GIF89a not a png").unwrap();
        s.logo = bad.to_string_lossy().into_owned();
        let e = logo_image(&s).unwrap_err();
        assert!(e.contains("not a PNG or JPEG"), "{e}");
    }
}
