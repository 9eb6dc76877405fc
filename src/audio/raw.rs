//! Headerless ("raw") PCM: the caller says what the bytes are.
//!
//! A `.raw` or `.pcm` file carries no header, so its sample encoding, rate
//! and channel count must be given as a [`RawFormat`], written
//! `ENCODING:RATE[:CHANNELS]` on the command line, for example
//! `s16le:16000:1` (16-bit little-endian signed integers, 16 kHz, mono) or
//! `f32le:48000:2`. `CHANNELS` defaults to 1. The encodings are listed on
//! [`RawEncoding`].

use std::fmt;
use std::fs::File;
use std::io::{BufReader, ErrorKind, Read};
use std::path::Path;
use std::str::FromStr;

use super::{AudioError, StreamInfo};

/// The hint printed when a raw file comes without a format.
pub const RAW_FORMAT_HINT: &str = "pass --raw-format ENCODING:RATE:CHANNELS, e.g. s16le:16000:1";

/// File extensions that mean "headerless samples".
pub const RAW_EXTENSIONS: [&str; 2] = ["raw", "pcm"];

/// Whether `path`'s extension marks it as headerless audio (`.raw`, `.pcm`).
pub fn is_raw_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| RAW_EXTENSIONS.iter().any(|r| r.eq_ignore_ascii_case(e)))
}

/// How one sample is stored in a headerless file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawEncoding {
    /// `u8`: unsigned 8-bit, 128 is silence.
    U8,
    /// `s8`: signed 8-bit.
    S8,
    /// `s16le`: signed 16-bit, little-endian.
    S16Le,
    /// `s16be`: signed 16-bit, big-endian.
    S16Be,
    /// `s24le`: signed 24-bit packed in 3 bytes, little-endian.
    S24Le,
    /// `s24be`: signed 24-bit packed in 3 bytes, big-endian.
    S24Be,
    /// `s32le`: signed 32-bit, little-endian.
    S32Le,
    /// `s32be`: signed 32-bit, big-endian.
    S32Be,
    /// `f32le`: IEEE 754 32-bit float, little-endian.
    F32Le,
    /// `f32be`: IEEE 754 32-bit float, big-endian.
    F32Be,
    /// `f64le`: IEEE 754 64-bit float, little-endian.
    F64Le,
    /// `f64be`: IEEE 754 64-bit float, big-endian.
    F64Be,
    /// `alaw`: G.711 A-law, 8 bits.
    ALaw,
    /// `mulaw` (or `ulaw`): G.711 µ-law, 8 bits.
    MuLaw,
}

impl RawEncoding {
    /// Every encoding with its name, as accepted by [`RawFormat`]'s parser.
    pub const ALL: [(&'static str, RawEncoding); 14] = [
        ("u8", RawEncoding::U8),
        ("s8", RawEncoding::S8),
        ("s16le", RawEncoding::S16Le),
        ("s16be", RawEncoding::S16Be),
        ("s24le", RawEncoding::S24Le),
        ("s24be", RawEncoding::S24Be),
        ("s32le", RawEncoding::S32Le),
        ("s32be", RawEncoding::S32Be),
        ("f32le", RawEncoding::F32Le),
        ("f32be", RawEncoding::F32Be),
        ("f64le", RawEncoding::F64Le),
        ("f64be", RawEncoding::F64Be),
        ("alaw", RawEncoding::ALaw),
        ("mulaw", RawEncoding::MuLaw),
    ];

    /// The encoding's name (`s16le`, `f32le`, ...).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, e)| *e == self)
            .map_or("?", |(n, _)| n)
    }

    /// Bytes per sample of one channel.
    pub fn bytes(self) -> usize {
        use RawEncoding::*;
        match self {
            U8 | S8 | ALaw | MuLaw => 1,
            S16Le | S16Be => 2,
            S24Le | S24Be => 3,
            S32Le | S32Be | F32Le | F32Be => 4,
            F64Le | F64Be => 8,
        }
    }

    /// Converts one stored sample (exactly [`bytes`](Self::bytes) long) to
    /// f32, integers scaled to ±1.
    pub fn to_f32(self, b: &[u8]) -> f32 {
        use RawEncoding::*;
        match self {
            U8 => (b[0] as f32 - 128.0) / 128.0,
            S8 => b[0] as i8 as f32 / 128.0,
            S16Le => i16::from_le_bytes([b[0], b[1]]) as f32 / 32_768.0,
            S16Be => i16::from_be_bytes([b[0], b[1]]) as f32 / 32_768.0,
            // Put the 3 bytes in the top of an i32 so the sign comes along.
            S24Le => i32::from_le_bytes([0, b[0], b[1], b[2]]) as f32 / 2_147_483_648.0,
            S24Be => i32::from_be_bytes([b[0], b[1], b[2], 0]) as f32 / 2_147_483_648.0,
            S32Le => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0,
            S32Be => i32::from_be_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0,
            F32Le => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            F32Be => f32::from_be_bytes([b[0], b[1], b[2], b[3]]),
            F64Le => f64::from_le_bytes(b[..8].try_into().expect("8 bytes")) as f32,
            F64Be => f64::from_be_bytes(b[..8].try_into().expect("8 bytes")) as f32,
            ALaw => alaw_to_linear(b[0]) as f32 / 32_768.0,
            MuLaw => mulaw_to_linear(b[0]) as f32 / 32_768.0,
        }
    }
}

/// Expands a G.711 A-law byte to a 16-bit linear sample.
pub fn alaw_to_linear(byte: u8) -> i16 {
    let a = byte ^ 0x55;
    let exponent = (a >> 4) & 0x07;
    let mantissa = (a & 0x0f) as i16;
    let magnitude = if exponent == 0 {
        (mantissa << 4) + 8
    } else {
        ((mantissa << 4) + 0x108) << (exponent - 1)
    };
    if a & 0x80 != 0 {
        magnitude
    } else {
        -magnitude
    }
}

/// Expands a G.711 µ-law byte to a 16-bit linear sample.
pub fn mulaw_to_linear(byte: u8) -> i16 {
    let u = !byte;
    let exponent = (u >> 4) & 0x07;
    let mantissa = (u & 0x0f) as i16;
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    if u & 0x80 != 0 {
        -magnitude
    } else {
        magnitude
    }
}

impl fmt::Display for RawEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RawEncoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        let s = match s.as_str() {
            "ulaw" => "mulaw",
            "pcm_s16le" | "s16" => "s16le",
            "f32" => "f32le",
            other => other,
        };
        RawEncoding::ALL
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, e)| *e)
            .ok_or_else(|| {
                let names: Vec<&str> = RawEncoding::ALL.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown sample encoding {s:?}; use one of {}",
                    names.join(", ")
                )
            })
    }
}

/// What the bytes of a headerless file are: encoding, rate and channels.
///
/// Parsed from `ENCODING:RATE[:CHANNELS]`, e.g. `s16le:16000:1`; channels
/// default to 1 and frames are interleaved. Displays in the same form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawFormat {
    /// How each sample is stored.
    pub encoding: RawEncoding,
    /// Frames per second (1 to 1 000 000).
    pub sample_rate: u32,
    /// Interleaved channels per frame (1 to 32).
    pub channels: u16,
}

impl RawFormat {
    /// Bytes per frame (one sample of every channel).
    pub fn frame_bytes(&self) -> usize {
        self.encoding.bytes() * self.channels as usize
    }
}

impl fmt::Display for RawFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.encoding, self.sample_rate, self.channels
        )
    }
}

impl FromStr for RawFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let usage = "expected ENCODING:RATE[:CHANNELS], e.g. s16le:16000:1";
        let parts: Vec<&str> = s.split(':').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(format!("invalid raw format {s:?}: {usage}"));
        }
        let encoding: RawEncoding = parts[0].parse()?;
        let sample_rate: u32 = parts[1].trim().parse().map_err(|_| {
            format!(
                "invalid sample rate {:?} in {s:?}: {usage}",
                parts[1].trim()
            )
        })?;
        if !(1..=1_000_000).contains(&sample_rate) {
            return Err(format!(
                "sample rate {sample_rate} in {s:?} is out of range (1 to 1000000 Hz)"
            ));
        }
        let channels: u16 = match parts.get(2) {
            None => 1,
            Some(c) => c
                .trim()
                .parse()
                .map_err(|_| format!("invalid channel count {:?} in {s:?}: {usage}", c.trim()))?,
        };
        if !(1..=32).contains(&channels) {
            return Err(format!(
                "channel count {channels} in {s:?} is out of range (1 to 32)"
            ));
        }
        Ok(RawFormat {
            encoding,
            sample_rate,
            channels,
        })
    }
}

/// Frames converted per block.
const BLOCK_FRAMES: usize = 4096;

/// Reads `path` as headerless samples in `format`, calling `on_info` once and
/// then `sink` with each block of mono samples at the source rate.
///
/// A trailing partial frame (a file whose length is not a multiple of the
/// frame size) is dropped and reported as `truncated`.
pub fn decode_raw_mono(
    path: &Path,
    format: &RawFormat,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<StreamInfo, AudioError> {
    let file = File::open(path).map_err(AudioError::Open)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return Err(AudioError::Empty);
    }
    let frame = format.frame_bytes();
    if len < frame as u64 {
        return Err(AudioError::Corrupt(format!(
            "the file ({len} bytes) is shorter than one {format} frame ({frame} bytes)"
        )));
    }
    let mut info = StreamInfo {
        sample_rate: format.sample_rate,
        channels: format.channels as usize,
        codec: format!("raw {}", format.encoding),
        truncated: len % frame as u64 != 0,
        ..StreamInfo::default()
    };
    on_info(&info)?;

    let mut reader = BufReader::new(file);
    let mut bytes = vec![0u8; BLOCK_FRAMES * frame];
    let mut filled = 0usize;
    let mut frames = 0u64;
    let mut mono = Vec::with_capacity(BLOCK_FRAMES);
    let width = format.encoding.bytes();
    let ch = format.channels as usize;
    loop {
        let n = match reader.read(&mut bytes[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // A read error ends the stream like a cut-off file.
            Err(_) => {
                info.truncated = true;
                0
            }
        };
        filled += n;
        let done = n == 0;
        if done || filled == bytes.len() {
            let whole = filled / frame * frame;
            mono.clear();
            mono.extend(bytes[..whole].chunks_exact(frame).map(|f| {
                f.chunks_exact(width)
                    .map(|s| format.encoding.to_f32(s))
                    .sum::<f32>()
                    / ch as f32
            }));
            if !mono.is_empty() {
                frames += mono.len() as u64;
                sink(&mono);
            }
            bytes.copy_within(whole..filled, 0);
            filled -= whole;
        }
        if done {
            break;
        }
    }
    if frames == 0 {
        return Err(AudioError::Corrupt(
            "no complete frame could be read".into(),
        ));
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_print() {
        let f: RawFormat = "s16le:16000:1".parse().unwrap();
        assert_eq!(
            f,
            RawFormat {
                encoding: RawEncoding::S16Le,
                sample_rate: 16_000,
                channels: 1
            }
        );
        assert_eq!(f.to_string(), "s16le:16000:1");
        let g: RawFormat = "F32LE:48000".parse().unwrap();
        assert_eq!((g.encoding, g.channels), (RawEncoding::F32Le, 1));
        assert_eq!(
            "ulaw:8000:2".parse::<RawFormat>().unwrap().encoding,
            RawEncoding::MuLaw
        );
        for bad in [
            "s16le",
            "s17le:16000:1",
            "s16le:0:1",
            "s16le:x:1",
            "s16le:16000:0",
            "a:b:c:d",
        ] {
            assert!(bad.parse::<RawFormat>().is_err(), "{bad}");
        }
        assert!("s17le:16000"
            .parse::<RawFormat>()
            .unwrap_err()
            .contains("s16le"));
    }

    #[test]
    fn samples_convert() {
        assert_eq!(RawEncoding::U8.to_f32(&[128]), 0.0);
        assert_eq!(RawEncoding::S16Le.to_f32(&[0x00, 0x80]), -1.0);
        assert_eq!(RawEncoding::S16Be.to_f32(&[0x40, 0x00]), 0.5);
        assert_eq!(RawEncoding::S24Le.to_f32(&[0, 0, 0xc0]), -0.5);
        assert_eq!(RawEncoding::S24Be.to_f32(&[0x40, 0, 0]), 0.5);
        assert_eq!(RawEncoding::F32Be.to_f32(&0.25f32.to_be_bytes()), 0.25);
        // G.711 reference points: 0xd5 / 0xff are the smallest positive
        // steps, 0x2a / 0x00 the most negative values.
        assert_eq!(alaw_to_linear(0xd5), 8);
        assert_eq!(alaw_to_linear(0x2a), -32_256);
        assert_eq!(mulaw_to_linear(0xff), 0);
        assert_eq!(mulaw_to_linear(0x00), -32_124);
        assert_eq!(mulaw_to_linear(0x80), 32_124);
    }
}
