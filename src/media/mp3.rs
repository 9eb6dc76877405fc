//! MP3 encoding of mastered clips with LAME (the `mp3lame-encoder` crate,
//! which builds LAME from source: no system library, no FFmpeg).
//!
//! The files carry LAME's Info frame, which records the encoder delay and
//! padding, so players and FFmpeg trim them and a clip plays exactly as
//! long as it was cut.

use mp3lame_encoder::{Bitrate, Builder, FlushGap, Mode, MonoPcm, Quality};

use super::master;

/// One MP3 flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mp3Spec {
    /// Constant bitrate, kbit/s.
    pub kbps: u32,
    /// Output sample rate, Hz (LAME resamples itself when it differs from
    /// the input's).
    pub rate: u32,
}

/// The posted clip: 96 kbit/s mono at 44.1 kHz. Speech is transparent well
/// below this; the headroom keeps music beds and intros clean, and the
/// platforms re-encode anyway.
pub const MAIN: Mp3Spec = Mp3Spec {
    kbps: 96,
    rate: 44_100,
};

/// The review sheet's preview: 32 kbit/s mono at 22.05 kHz, about 240 kB a
/// minute, clear enough to judge a clip by ear.
pub const PREVIEW: Mp3Spec = Mp3Spec {
    kbps: 32,
    rate: 22_050,
};

fn bitrate(kbps: u32) -> Bitrate {
    match kbps {
        0..=32 => Bitrate::Kbps32,
        33..=48 => Bitrate::Kbps48,
        49..=64 => Bitrate::Kbps64,
        65..=96 => Bitrate::Kbps96,
        97..=128 => Bitrate::Kbps128,
        _ => Bitrate::Kbps192,
    }
}

/// Encodes mono `samples` at `rate` Hz (in −1..1) as a CBR MP3 with a LAME
/// Info frame.
pub fn encode(samples: &[f32], rate: u32, spec: Mp3Spec) -> Result<Vec<u8>, String> {
    let err = |what: &str, e: &dyn std::fmt::Display| format!("MP3 encoder: {what}: {e}");
    let mut b = Builder::new().ok_or_else(|| "MP3 encoder: cannot start LAME".to_string())?;
    b.set_num_channels(1).map_err(|e| err("channels", &e))?;
    b.set_sample_rate(rate).map_err(|e| err("rate", &e))?;
    b.set_output_sample_rate(std::num::NonZeroU32::new(spec.rate))
        .map_err(|e| err("output rate", &e))?;
    b.set_brate(bitrate(spec.kbps))
        .map_err(|e| err("bitrate", &e))?;
    b.set_mode(Mode::Mono).map_err(|e| err("mode", &e))?;
    b.set_quality(Quality::Good)
        .map_err(|e| err("quality", &e))?;
    b.set_to_write_vbr_tag(true)
        .map_err(|e| err("Info frame", &e))?;
    let mut enc = b.build().map_err(|e| err("settings", &e))?;
    let mut out = Vec::new();
    for block in samples.chunks(1 << 16) {
        out.reserve(mp3lame_encoder::max_required_buffer_size(block.len()));
        enc.encode_to_vec(MonoPcm(block), &mut out)
            .map_err(|e| err("encoding", &e))?;
    }
    out.reserve(7200);
    enc.flush_to_vec::<FlushGap>(&mut out)
        .map_err(|e| err("flushing", &e))?;
    // The Info frame replaces the empty first frame LAME reserved for it.
    let mut tag = Vec::with_capacity(enc.lame_tag_size().max(1));
    if enc.lame_tag_encode_to_vec(&mut tag).is_some() && tag.len() <= out.len() {
        out[..tag.len()].copy_from_slice(&tag);
    }
    Ok(out)
}

/// Encodes `samples` (mono at `rate`) and checks the result by decoding
/// it: LAME's filtering shifts the level of a clip by a few tenths of a dB,
/// so the file is measured again and, when it strays from `target` LUFS or
/// above `ceiling` dBTP, corrected once and encoded again.
pub fn encode_checked(
    samples: &[f32],
    rate: u32,
    spec: Mp3Spec,
    target: f64,
    ceiling: f64,
) -> Result<Vec<u8>, String> {
    let first = encode(samples, rate, spec)?;
    let decoded = decode(&first)?;
    let (Some(l), tp) = (
        master::loudness(&decoded, spec.rate),
        master::lin_to_db(master::true_peak(&decoded, spec.rate)),
    ) else {
        return Ok(first);
    };
    let fix = (target - l).min(ceiling - 0.2 - tp);
    if fix.abs() < 0.1 {
        return Ok(first);
    }
    let k = master::db_to_lin(fix) as f32;
    let scaled: Vec<f32> = samples.iter().map(|s| s * k).collect();
    encode(&scaled, rate, spec)
}

/// Decodes MP3 bytes to mono samples with symphonia (encoder delay and
/// padding trimmed by the Info frame).
pub fn decode(bytes: &[u8]) -> Result<Vec<f32>, String> {
    use symphonia::core::{
        audio::SampleBuffer, codecs::DecoderOptions, formats::FormatOptions, io::MediaSourceStream,
        meta::MetadataOptions, probe::Hint,
    };
    let err = |e: symphonia::core::errors::Error| format!("MP3 check: {e}");
    let mss = MediaSourceStream::new(
        Box::new(std::io::Cursor::new(bytes.to_vec())),
        Default::default(),
    );
    let mut hint = Hint::new();
    hint.with_extension("mp3");
    let fmt = FormatOptions {
        enable_gapless: true,
        ..Default::default()
    };
    let probed = symphonia::default::get_probe()
        .format(&hint, mss, &fmt, &MetadataOptions::default())
        .map_err(err)?;
    let mut reader = probed.format;
    let track = reader.default_track().ok_or("MP3 check: no track")?;
    let id = track.id;
    let mut dec = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(err)?;
    let mut out = Vec::new();
    while let Ok(packet) = reader.next_packet() {
        if packet.track_id() != id {
            continue;
        }
        let Ok(buf) = dec.decode(&packet) else {
            continue;
        };
        let ch = buf.spec().channels.count().max(1);
        let mut sb = SampleBuffer::<f32>::new(buf.capacity() as u64, *buf.spec());
        sb.copy_interleaved_ref(buf);
        out.extend(sb.samples().iter().step_by(ch));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_of_tone_makes_a_tagged_mp3_of_the_right_size() {
        let x: Vec<f32> = (0..44_100).map(|i| (i as f32 * 0.05).sin() * 0.3).collect();
        let mp3 = encode(&x, 44_100, MAIN).unwrap();
        // frame sync, then LAME's Info frame
        assert_eq!(mp3[0], 0xFF);
        assert!(mp3.windows(4).take(200).any(|w| w == b"Info"));
        // 96 kbit/s for about a second
        assert!((10_000..16_000).contains(&mp3.len()), "{}", mp3.len());
        let small = encode(&x, 44_100, PREVIEW).unwrap();
        assert!(small.len() < mp3.len() / 2);
        let back = decode(&mp3).unwrap();
        assert!((back.len() as i64 - 44_100).abs() < 50, "{}", back.len());
    }
}
