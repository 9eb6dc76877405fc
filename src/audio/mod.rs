//! The audio front end: any supported file in, 16 kHz mono f32 out.
//!
//! [`decode`] turns a container/codec into mono blocks at the source rate and
//! [`resample`] converts them to Whisper's 16 kHz as they arrive, so the two
//! together stream: nothing at the original rate is kept.
//!
//! Formats: everything symphonia 0.5 reads (MP3, AAC in MP4/M4A and ADTS,
//! WAV in 8/16/24/32-bit integer, float, A-law and µ-law, FLAC, Ogg Vorbis,
//! AIFF/AIFF-C, CAF, Matroska/WebM Vorbis), Opus in Ogg and WebM through
//! libopus ([`opus`]), and headerless PCM given a [`RawFormat`] ([`raw`]);
//! the same in the sound track of a video (MP4/MOV, MKV, WebM). A track
//! in a codec none of these decodes (AC-3, DTS…) is extracted through
//! FFmpeg when it is installed ([`ffmpeg`]).

pub mod chapters;
pub mod cover;
pub mod decode;
pub mod ffmpeg;
pub mod files;
pub mod opus;
pub mod raw;
pub mod resample;
pub mod trim;

use std::path::Path;

pub use decode::DecodeOptions;
pub use files::{is_audio_name, looks_like_audio, EXTENSIONS};
pub use raw::{RawEncoding, RawFormat};
pub use resample::TARGET_RATE;

/// What the decoder found out about a stream.
#[derive(Debug, Clone, Default)]
pub struct StreamInfo {
    /// Sample rate of the source.
    pub sample_rate: u32,
    /// Channels of the source (mixed down to one).
    pub channels: usize,
    /// Codec name as symphonia reports it (`raw s16le` for headerless input).
    pub codec: String,
    /// Packets that failed to decode and were skipped.
    pub bad_packets: usize,
    /// True when the stream ended early: an I/O error while reading, or
    /// clearly less audio than the container's header announced (a
    /// truncated file).
    pub truncated: bool,
    /// Samples that were not numbers (NaN or infinite) and were replaced by
    /// silence.
    pub repaired_samples: usize,
}

/// Why a file could not be read as audio. Messages are written for users.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The file could not be opened.
    #[error("cannot open it: {0}")]
    Open(#[source] std::io::Error),
    /// The file has no bytes.
    #[error("the file is empty (0 bytes)")]
    Empty,
    /// No container format matched the file's contents.
    #[error(
        "not an audio file clipper can read (no known container or codec matched its contents)"
    )]
    UnknownFormat,
    /// The container holds no audio track.
    #[error("the file holds no audio track")]
    NoAudioTrack,
    /// The codec is known but not supported.
    #[error("its codec ({0}) is not supported")]
    UnsupportedCodec(String),
    /// The sound is in a codec only FFmpeg decodes here (or may be), and
    /// FFmpeg is not installed; says what was found.
    #[error(
        "{0}; clipper reads such sound through FFmpeg, which is not installed: \
         install it (`apt-get install ffmpeg`, or ./scripts/setup.sh) and run again"
    )]
    NeedsFfmpeg(String),
    /// The data is damaged beyond decoding.
    #[error("the audio data is corrupt: {0}")]
    Corrupt(String),
    /// A headerless file (`.raw`, `.pcm`) came without its sample format.
    #[error("headerless raw audio: {}", raw::RAW_FORMAT_HINT)]
    RawFormatNeeded,
    /// The stream is audio but could not be converted to 16 kHz.
    #[error("cannot convert it to 16 kHz: {0}")]
    Resample(String),
}

/// A whole file decoded to 16 kHz mono.
#[derive(Debug, Clone)]
pub struct Audio16k {
    /// Samples at 16 kHz, mono, nominally within ±1.
    pub samples: Vec<f32>,
    /// What the decoder learned about the source.
    pub info: StreamInfo,
}

impl Audio16k {
    /// Duration in seconds.
    pub fn duration_s(&self) -> f64 {
        self.samples.len() as f64 / TARGET_RATE as f64
    }
}

/// Streams `path` as 16 kHz mono blocks into `sink`, with default options.
pub fn stream_16k(path: &Path, sink: &mut dyn FnMut(&[f32])) -> Result<StreamInfo, AudioError> {
    stream_16k_with(path, &DecodeOptions::default(), sink)
}

/// Streams `path` as 16 kHz mono blocks into `sink`, decoded as `options` say.
pub fn stream_16k_with(
    path: &Path,
    options: &DecodeOptions,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<StreamInfo, AudioError> {
    // The decoder announces the source rate before its first block; the
    // resampler is built then.
    let resampler = std::cell::RefCell::new(None::<resample::Resampler16k>);
    let info = decode::decode_mono_with(
        path,
        options,
        &mut |info| {
            let r = resample::Resampler16k::new(info.sample_rate).map_err(AudioError::Resample)?;
            *resampler.borrow_mut() = Some(r);
            Ok(())
        },
        &mut |block| {
            if let Some(r) = resampler.borrow_mut().as_mut() {
                r.push(block, sink);
            }
        },
    )?;
    if let Some(r) = resampler.borrow_mut().as_mut() {
        r.finish(sink);
    }
    Ok(info)
}

/// Decodes a whole file into memory at 16 kHz mono, with default options.
pub fn load_16k(path: &Path) -> Result<Audio16k, AudioError> {
    load_16k_with(path, &DecodeOptions::default())
}

/// Decodes a whole file into memory at 16 kHz mono, as `options` say.
pub fn load_16k_with(path: &Path, options: &DecodeOptions) -> Result<Audio16k, AudioError> {
    let mut samples = Vec::new();
    let info = stream_16k_with(path, options, &mut |b| samples.extend_from_slice(b))?;
    Ok(Audio16k { samples, info })
}
