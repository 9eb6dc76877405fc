//! Opus decoding for symphonia, through libopus (the `opus` crate).
//!
//! symphonia 0.5's Ogg and Matroska/WebM demuxers hand out Opus packets but
//! ship no Opus decoder; [`OpusDecoder`] fills that gap as an ordinary
//! symphonia [`Decoder`], so it is registered next to symphonia's own codecs
//! (see [`super::decode::codecs`]).
//!
//! Both containers give the `OpusHead` identification header as the codec's
//! extra data. From it the decoder takes the channel layout (mapping family 0
//! for mono/stereo, or a multistream table), the output gain, and the
//! pre-skip: the number of 48 kHz samples at the start of the stream that are
//! encoder look-ahead, not audio. Those are dropped, so the decoded length
//! matches the original. End trimming comes from the demuxer through the
//! packets' `trim_end` (Ogg, with gapless decoding on).

use std::sync::Mutex;

use symphonia::core::audio::{
    AsAudioBufferRef, AudioBuffer, AudioBufferRef, Channels, Signal, SignalSpec,
};
use symphonia::core::codecs::{
    CodecDescriptor, CodecParameters, Decoder, DecoderOptions, FinalizeResult, CODEC_TYPE_OPUS,
};
use symphonia::core::errors::{decode_error, unsupported_error, Result};
use symphonia::core::formats::Packet;
use symphonia::core::sample::SampleFormat;
use symphonia::core::support_codec;
use symphonia::core::units::TimeBase;

/// libopus always decodes to 48 kHz here (the rate Ogg Opus granules use).
pub const OPUS_RATE: u32 = 48_000;

/// The longest Opus packet: 120 ms at 48 kHz.
const MAX_PACKET_FRAMES: usize = 5_760;

/// The fields of an `OpusHead` identification header (RFC 7845, section 5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpusHead {
    /// Output channels.
    pub channels: u8,
    /// Samples (at 48 kHz) to drop from the start of the decoded stream.
    pub pre_skip: u16,
    /// Sample rate of the encoder's input, for information only.
    pub input_rate: u32,
    /// Gain to apply to the output, in Q7.8 dB.
    pub output_gain: i16,
    /// Channel mapping family (0: mono/stereo, 1: Vorbis order, 255: none).
    pub mapping_family: u8,
    /// Opus streams in each packet.
    pub streams: u8,
    /// How many of those streams are coupled (stereo).
    pub coupled_streams: u8,
    /// For each output channel, the decoded channel it comes from.
    pub mapping: Vec<u8>,
}

impl OpusHead {
    /// Parses an `OpusHead` packet; `None` when it is not a valid one.
    pub fn parse(b: &[u8]) -> Option<OpusHead> {
        if b.len() < 19 || &b[..8] != b"OpusHead" || b[8] >> 4 != 0 {
            return None;
        }
        let channels = b[9];
        let pre_skip = u16::from_le_bytes([b[10], b[11]]);
        let input_rate = u32::from_le_bytes([b[12], b[13], b[14], b[15]]);
        let output_gain = i16::from_le_bytes([b[16], b[17]]);
        let mapping_family = b[18];
        if channels == 0 {
            return None;
        }
        let (streams, coupled_streams, mapping) = if mapping_family == 0 {
            if channels > 2 {
                return None;
            }
            (1, channels - 1, (0..channels).collect())
        } else {
            let table = b.get(19..21 + channels as usize)?;
            let (streams, coupled) = (table[0], table[1]);
            if streams == 0 || coupled > streams {
                return None;
            }
            (streams, coupled, table[2..].to_vec())
        };
        Some(OpusHead {
            channels,
            pre_skip,
            input_rate,
            output_gain,
            mapping_family,
            streams,
            coupled_streams,
            mapping,
        })
    }

    /// The header implied when a container gives only a channel count
    /// (mono or stereo) and perhaps a pre-skip.
    fn fallback(channels: usize, pre_skip: u32) -> Option<OpusHead> {
        let channels = u8::try_from(channels)
            .ok()
            .filter(|c| (1..=2).contains(c))?;
        Some(OpusHead {
            channels,
            pre_skip: u16::try_from(pre_skip).unwrap_or(u16::MAX),
            input_rate: 0,
            output_gain: 0,
            mapping_family: 0,
            streams: 1,
            coupled_streams: channels - 1,
            mapping: (0..channels).collect(),
        })
    }
}

/// A symphonia [`Decoder`] for Opus, backed by libopus.
pub struct OpusDecoder {
    params: CodecParameters,
    /// libopus' decoder is `Send` but not `Sync`; symphonia wants both. The
    /// mutex is only ever reached through `&mut self` (`get_mut`), so it
    /// never locks.
    inner: Mutex<opus::MSDecoder>,
    channels: usize,
    /// Pre-skip frames not yet dropped.
    skip_left: usize,
    /// Interleaved output of libopus for one packet.
    scratch: Vec<f32>,
    buf: AudioBuffer<f32>,
}

impl OpusDecoder {
    fn decoder(&mut self) -> &mut opus::MSDecoder {
        self.inner
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A channel mask with `n` channels, for the output buffer's spec.
fn channel_mask(n: usize) -> Channels {
    Channels::from_bits_truncate(((1u64 << n) - 1) as u32)
}

impl Decoder for OpusDecoder {
    fn try_new(params: &CodecParameters, _options: &DecoderOptions) -> Result<Self> {
        let from_container = params
            .channels
            .map(|c| c.count())
            .or_else(|| params.channel_layout.map(|l| l.into_channels().count()));
        let head = match params.extra_data.as_deref() {
            Some(extra) => match OpusHead::parse(extra) {
                Some(head) => head,
                None => return decode_error("opus: invalid OpusHead header"),
            },
            None => match from_container
                .and_then(|c| OpusHead::fallback(c, params.delay.unwrap_or(0)))
            {
                Some(head) => head,
                None => return unsupported_error("opus: no OpusHead and no mono/stereo layout"),
            },
        };
        let channels = head.channels as usize;
        if channels > 32 {
            return unsupported_error("opus: more than 32 channels");
        }
        let mut inner = match opus::MSDecoder::new(
            OPUS_RATE,
            head.streams,
            head.coupled_streams,
            &head.mapping,
        ) {
            Ok(d) => d,
            Err(_) => return decode_error("opus: libopus rejected the channel mapping"),
        };
        if head.output_gain != 0 && inner.set_gain(head.output_gain.into()).is_err() {
            return decode_error("opus: libopus rejected the output gain");
        }
        let mask = channel_mask(channels);
        let mut out_params = params.clone();
        out_params
            .with_sample_rate(OPUS_RATE)
            .with_time_base(TimeBase::new(1, OPUS_RATE))
            .with_channels(mask)
            .with_sample_format(SampleFormat::F32)
            .with_max_frames_per_packet(MAX_PACKET_FRAMES as u64);
        Ok(OpusDecoder {
            params: out_params,
            inner: Mutex::new(inner),
            channels,
            skip_left: head.pre_skip as usize,
            scratch: vec![0.0; MAX_PACKET_FRAMES * channels],
            buf: AudioBuffer::new(MAX_PACKET_FRAMES as u64, SignalSpec::new(OPUS_RATE, mask)),
        })
    }

    fn supported_codecs() -> &'static [CodecDescriptor] {
        &[support_codec!(CODEC_TYPE_OPUS, "opus", "Opus (libopus)")]
    }

    fn reset(&mut self) {
        // Only the codec state: pre-skip belongs to the start of the stream.
        let _ = self.decoder().reset_state();
    }

    fn codec_params(&self) -> &CodecParameters {
        &self.params
    }

    fn decode(&mut self, packet: &Packet) -> Result<AudioBufferRef<'_>> {
        self.buf.clear();
        let mut scratch = std::mem::take(&mut self.scratch);
        let decoded = self
            .decoder()
            .decode_float(&packet.data, &mut scratch, false);
        self.scratch = scratch;
        let frames = match decoded {
            Ok(n) => n.min(MAX_PACKET_FRAMES),
            Err(_) => return decode_error("opus: libopus could not decode a packet"),
        };
        // Drop the pre-skip first, then what the demuxer asks to trim.
        let skip = self.skip_left.min(frames);
        self.skip_left -= skip;
        let start = (skip + packet.trim_start() as usize).min(frames);
        let end = frames.saturating_sub(packet.trim_end() as usize).max(start);
        self.buf.render_reserved(Some(end - start));
        let ch = self.channels;
        for c in 0..ch {
            let plane = self.buf.chan_mut(c);
            for (i, s) in plane.iter_mut().enumerate() {
                *s = self.scratch[(start + i) * ch + c];
            }
        }
        Ok(self.buf.as_audio_buffer_ref())
    }

    fn finalize(&mut self) -> FinalizeResult {
        FinalizeResult::default()
    }

    fn last_decoded(&self) -> AudioBufferRef<'_> {
        self.buf.as_audio_buffer_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(channels: u8, family: u8, table: &[u8]) -> Vec<u8> {
        let mut b = b"OpusHead".to_vec();
        b.extend_from_slice(&[1, channels]);
        b.extend_from_slice(&312u16.to_le_bytes());
        b.extend_from_slice(&44_100u32.to_le_bytes());
        b.extend_from_slice(&(-256i16).to_le_bytes());
        b.push(family);
        b.extend_from_slice(table);
        b
    }

    #[test]
    fn opus_head_parses() {
        let h = OpusHead::parse(&head(2, 0, &[])).unwrap();
        assert_eq!(
            (h.channels, h.pre_skip, h.input_rate, h.output_gain),
            (2, 312, 44_100, -256)
        );
        assert_eq!(
            (h.streams, h.coupled_streams, h.mapping),
            (1, 1, vec![0, 1])
        );
        let h = OpusHead::parse(&head(3, 1, &[2, 1, 0, 2, 1])).unwrap();
        assert_eq!(
            (h.streams, h.coupled_streams, h.mapping),
            (2, 1, vec![0, 2, 1])
        );
        assert!(OpusHead::parse(&head(3, 0, &[])).is_none());
        assert!(OpusHead::parse(&head(3, 1, &[2, 1, 0])).is_none());
        assert!(OpusHead::parse(b"OpusTags...........").is_none());
    }

    #[test]
    fn decodes_what_libopus_encodes_and_drops_the_pre_skip() {
        // 0.5 s of a 440 Hz tone, encoded in 20 ms packets.
        let mut enc =
            opus::Encoder::new(OPUS_RATE, opus::Channels::Mono, opus::Application::Audio).unwrap();
        let tone: Vec<f32> = (0..24_000)
            .map(|i| (i as f32 * 440.0 * std::f32::consts::TAU / 48_000.0).sin() * 0.5)
            .collect();
        let packets: Vec<Vec<u8>> = tone
            .chunks(960)
            .map(|c| enc.encode_vec_float(c, 4000).unwrap())
            .collect();
        let mut b = head(1, 0, &[]);
        b[16..18].copy_from_slice(&0i16.to_le_bytes());
        let mut params = CodecParameters::new();
        params.for_codec(CODEC_TYPE_OPUS).with_extra_data(b.into());
        let mut dec = OpusDecoder::try_new(&params, &DecoderOptions::default()).unwrap();
        let mut out = Vec::new();
        for p in &packets {
            let pkt = Packet::new_from_slice(0, 0, 960, p);
            let buf = dec.decode(&pkt).unwrap();
            let AudioBufferRef::F32(buf) = buf else {
                panic!("f32 output")
            };
            out.extend_from_slice(buf.chan(0));
        }
        assert_eq!(out.len(), 24_000 - 312);
        let rms = (out[5_000..20_000].iter().map(|s| s * s).sum::<f32>() / 15_000.0).sqrt();
        assert!((rms - 0.5 / 2f32.sqrt()).abs() < 0.05, "rms {rms}");
    }
}
