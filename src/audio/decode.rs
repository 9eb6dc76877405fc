//! Decoding any container and codec symphonia knows into mono f32 blocks.
//!
//! Audio is streamed packet by packet: each decoded packet is mixed down to
//! mono and handed on at once, so a long episode is never held at its
//! original rate and channel count.

use std::fs::File;
use std::path::Path;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use super::AudioError;

/// What the decoder found out about a stream.
#[derive(Debug, Clone, Default)]
pub struct StreamInfo {
    /// Sample rate of the source.
    pub sample_rate: u32,
    /// Channels of the source (mixed down to one).
    pub channels: usize,
    /// Codec name as symphonia reports it.
    pub codec: String,
    /// Packets that failed to decode and were skipped.
    pub bad_packets: usize,
    /// True when the stream ended early with an I/O error (a truncated file).
    pub truncated: bool,
}

/// Decodes `path`, calling `on_info` once the format is known and then `sink`
/// with each block of mono samples at the source rate.
pub fn decode_mono(
    path: &Path,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<StreamInfo, AudioError> {
    let file = File::open(path).map_err(AudioError::Open)?;
    if file.metadata().map(|m| m.len()).unwrap_or(0) == 0 {
        return Err(AudioError::Empty);
    }
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            mss,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|e| match e {
            SymError::Unsupported(_) => AudioError::UnknownFormat,
            other => AudioError::Corrupt(other.to_string()),
        })?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or(AudioError::NoAudioTrack)?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    let codec = symphonia::default::get_codecs()
        .get_codec(params.codec)
        .map(|d| d.short_name.to_string())
        .unwrap_or_else(|| format!("codec {:?}", params.codec));
    let mut decoder = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|_| AudioError::UnsupportedCodec(codec.clone()))?;

    let mut info = StreamInfo {
        sample_rate: params.sample_rate.unwrap_or(0),
        channels: params.channels.map_or(0, |c| c.count()),
        codec,
        ..StreamInfo::default()
    };
    let mut announced = false;
    let mut interleaved: Option<SampleBuffer<f32>> = None;
    let mut mono: Vec<f32> = Vec::new();
    let mut good_packets = 0usize;
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymError::ResetRequired) => break,
            Err(SymError::IoError(_)) => {
                info.truncated = true;
                break;
            }
            Err(SymError::DecodeError(_)) => {
                info.bad_packets += 1;
                if info.bad_packets > 1000 && good_packets == 0 {
                    return Err(AudioError::Corrupt("no packet could be decoded".into()));
                }
                continue;
            }
            Err(e) => {
                if good_packets == 0 {
                    return Err(AudioError::Corrupt(e.to_string()));
                }
                info.truncated = true;
                break;
            }
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            Err(SymError::DecodeError(_)) | Err(SymError::IoError(_)) => {
                info.bad_packets += 1;
                if info.bad_packets > 1000 && good_packets == 0 {
                    return Err(AudioError::Corrupt("no packet could be decoded".into()));
                }
                continue;
            }
            Err(e) => return Err(AudioError::Corrupt(e.to_string())),
        };
        good_packets += 1;
        let spec = *decoded.spec();
        if !announced {
            info.sample_rate = spec.rate;
            info.channels = spec.channels.count();
            if info.sample_rate == 0 || info.channels == 0 {
                return Err(AudioError::Corrupt(
                    "stream has no sample rate or channels".into(),
                ));
            }
            on_info(&info)?;
            announced = true;
        }
        let frames = decoded.frames();
        if frames == 0 {
            continue;
        }
        let buf = match interleaved.as_mut() {
            Some(b) if b.capacity() >= decoded.capacity() * spec.channels.count() => b,
            _ => interleaved.insert(SampleBuffer::new(decoded.capacity() as u64, spec)),
        };
        buf.copy_interleaved_ref(decoded);
        let ch = spec.channels.count();
        mono.clear();
        mono.extend(
            buf.samples()
                .chunks_exact(ch)
                .map(|f| f.iter().sum::<f32>() / ch as f32),
        );
        sink(&mono);
    }
    if good_packets == 0 {
        return Err(AudioError::Corrupt(
            "the file has an audio header but no decodable audio".into(),
        ));
    }
    Ok(info)
}
