//! Encoder delay that symphonia 0.5 leaves in: AAC priming.
//!
//! AAC encoders put silent "priming" samples before the audio (1024 for
//! ffmpeg, FAAC and FDK, 2112 for Apple's) and pad the last frame. MP4/M4A
//! files say exactly what to keep in the audio track's edit list (`elst`):
//! skip `media_time` samples, then play `segment_duration`. symphonia 0.5
//! reads the edit list but does not apply it, so the decoded audio starts
//! 23 ms (at 44.1 kHz) to 64 ms (at 16 kHz) late and runs long. [`Trim`] cuts
//! the decoded mono stream as the edit list says; raw ADTS `.aac` carries no
//! such information, so there the usual 1024 priming samples are dropped.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// AAC priming when nothing says otherwise: one frame, as ffmpeg, FAAC and
/// FDK encode.
pub const AAC_DEFAULT_PRIMING: u64 = 1024;

/// The largest `moov` box read into memory (long episodes have big sample
/// tables, but nowhere near this).
const MAX_MOOV: u64 = 64 << 20;

/// The edit of one MP4 audio track: what part of the decoded media to play.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mp4Edit {
    /// Position of the track among the file's `trak` boxes, from 0 (the
    /// track id symphonia's MP4 reader gives it).
    pub track_index: usize,
    /// Media samples (in `media_timescale` units) to skip at the start.
    pub media_time: u64,
    /// The media (`mdhd`) timescale: samples per second for audio.
    pub media_timescale: u32,
    /// How long to play, in seconds (`segment_duration` over the movie
    /// timescale); `None` when the edit does not say.
    pub duration_s: Option<f64>,
}

impl Mp4Edit {
    /// The cut as frames of a stream decoded at `rate` Hz.
    pub fn trim_at(&self, rate: u32) -> Trim {
        let skip =
            (self.media_time as u128 * rate as u128 / self.media_timescale.max(1) as u128) as u64;
        Trim::new(
            skip,
            self.duration_s.map(|d| (d * rate as f64).round() as u64),
        )
    }
}

/// Drops `skip` frames at the start of a stream, then passes at most `keep`.
#[derive(Debug, Clone, Default)]
pub struct Trim {
    skip: u64,
    keep: Option<u64>,
}

impl Trim {
    /// A cut of `skip` leading frames, keeping `keep` frames after them
    /// (all when `None`).
    pub fn new(skip: u64, keep: Option<u64>) -> Self {
        Trim { skip, keep }
    }

    /// The part of `block` (the next frames of the stream) to keep.
    pub fn apply<'a>(&mut self, block: &'a [f32]) -> &'a [f32] {
        let skip = self.skip.min(block.len() as u64) as usize;
        self.skip -= skip as u64;
        let rest = &block[skip..];
        match self.keep.as_mut() {
            None => rest,
            Some(keep) => {
                let take = (*keep).min(rest.len() as u64) as usize;
                *keep -= take as u64;
                &rest[..take]
            }
        }
    }
}

/// Reads the edit lists of the audio tracks of an MP4/M4A/MOV file. Returns
/// an empty list for other files or files without edit lists; never fails.
pub fn mp4_audio_edits(path: &Path) -> Vec<Mp4Edit> {
    read_edits(path).unwrap_or_default()
}

fn read_edits(path: &Path) -> Option<Vec<Mp4Edit>> {
    let mut file = File::open(path).ok()?;
    let mut head = [0u8; 8];
    file.read_exact(&mut head).ok()?;
    if &head[4..8] != b"ftyp" {
        return None;
    }
    file.seek(SeekFrom::Start(0)).ok()?;
    let len = file.metadata().ok()?.len();
    // Walk the top-level boxes to `moov`, seeking over `mdat`.
    let mut pos = 0u64;
    while pos + 8 <= len {
        file.seek(SeekFrom::Start(pos)).ok()?;
        let mut h = [0u8; 16];
        file.read_exact(&mut h[..8]).ok()?;
        let (mut size, mut header) = (u32::from_be_bytes(h[..4].try_into().ok()?) as u64, 8);
        if size == 1 {
            file.read_exact(&mut h[8..16]).ok()?;
            size = u64::from_be_bytes(h[8..16].try_into().ok()?);
            header = 16;
        } else if size == 0 {
            size = len - pos;
        }
        if size < header {
            return None;
        }
        if &h[4..8] == b"moov" {
            let body = size - header;
            if body > MAX_MOOV {
                return None;
            }
            let mut moov = vec![0u8; body as usize];
            file.read_exact(&mut moov).ok()?;
            return Some(edits_in_moov(&moov));
        }
        pos = pos.checked_add(size)?;
    }
    None
}

/// The child boxes of a box body: (type, body).
fn boxes(mut b: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    std::iter::from_fn(move || {
        if b.len() < 8 {
            return None;
        }
        let size = u32::from_be_bytes(b[..4].try_into().ok()?) as usize;
        let (size, header) = match size {
            0 => (b.len(), 8),
            1 => (
                usize::try_from(u64::from_be_bytes(b.get(8..16)?.try_into().ok()?)).ok()?,
                16,
            ),
            n => (n, 8),
        };
        if size < header || size > b.len() {
            return None;
        }
        let item = (&b[4..8], &b[header..size]);
        b = &b[size..];
        Some(item)
    })
}

fn child<'a>(body: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(body).find(|(t, _)| t == kind).map(|(_, b)| b)
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The timescale of an `mvhd` or `mdhd` body (same layout up to it).
fn timescale(b: &[u8]) -> Option<u32> {
    match b.first()? {
        0 => be_u32(b, 12),
        1 => be_u32(b, 20),
        _ => None,
    }
}

fn edits_in_moov(moov: &[u8]) -> Vec<Mp4Edit> {
    let movie_timescale = child(moov, b"mvhd").and_then(timescale);
    boxes(moov)
        .filter(|(t, _)| *t == b"trak")
        .enumerate()
        .filter_map(|(i, (_, trak))| track_edit(i, trak, movie_timescale))
        .collect()
}

fn track_edit(track_index: usize, trak: &[u8], movie_timescale: Option<u32>) -> Option<Mp4Edit> {
    let mdia = child(trak, b"mdia")?;
    let hdlr = child(mdia, b"hdlr")?;
    if hdlr.get(8..12)? != b"soun" {
        return None;
    }
    let media_timescale = timescale(child(mdia, b"mdhd")?)?;
    let elst = child(child(trak, b"edts")?, b"elst")?;
    let version = *elst.first()?;
    let count = be_u32(elst, 4)? as usize;
    let entry = if version == 1 { 20 } else { 12 };
    // The first edit that plays media; empty edits (media_time -1) only
    // delay the start of playback and are not applied here.
    (0..count.min(1024)).find_map(|i| {
        let at = 8 + i * entry;
        let (duration, media_time) = if version == 1 {
            (be_u64(elst, at)?, be_u64(elst, at + 8)? as i64)
        } else {
            (
                be_u32(elst, at)? as u64,
                be_u32(elst, at + 4)? as i32 as i64,
            )
        };
        if media_time < 0 {
            return None;
        }
        Some(Mp4Edit {
            track_index,
            media_time: media_time as u64,
            media_timescale,
            duration_s: movie_timescale
                .filter(|&ts| ts > 0 && duration > 0)
                .map(|ts| duration as f64 / ts as f64),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(body);
        b
    }

    fn full(version: u8, fields: &[u32]) -> Vec<u8> {
        let mut b = vec![version, 0, 0, 0];
        for f in fields {
            b.extend_from_slice(&f.to_be_bytes());
        }
        b
    }

    #[test]
    fn reads_the_edit_of_the_sound_track() {
        let mvhd = mp4_box(b"mvhd", &full(0, &[0, 0, 1000, 12_271]));
        // one empty edit, then skip 1024 and play 12.271 s
        let elst = mp4_box(
            b"elst",
            &full(0, &[2, 500, u32::MAX, 1 << 16, 12_271, 1024, 1 << 16]),
        );
        let edts = mp4_box(b"edts", &elst);
        let mdhd = mp4_box(b"mdhd", &full(0, &[0, 0, 44_100, 541_184]));
        let mut hdlr_body = full(0, &[0]);
        hdlr_body.extend_from_slice(b"soun");
        let hdlr = mp4_box(b"hdlr", &hdlr_body);
        let mdia = mp4_box(b"mdia", &[mdhd, hdlr].concat());
        let trak = mp4_box(b"trak", &[edts, mdia].concat());
        // a (video) track without edits before it
        let other = mp4_box(b"trak", &mp4_box(b"tkhd", &full(0, &[0, 0, 1])));
        let edits = edits_in_moov(&[mvhd, other, trak].concat());
        assert_eq!(
            edits,
            vec![Mp4Edit {
                track_index: 1,
                media_time: 1024,
                media_timescale: 44_100,
                duration_s: Some(12.271)
            }]
        );
        let mut t = edits[0].trim_at(44_100);
        let out: Vec<f32> = (0..20)
            .flat_map(|i| t.apply(&[i as f32; 30_000]).to_vec())
            .collect();
        assert_eq!(out.len(), 541_151);
        assert_eq!(out[0], 0.0);
        assert_eq!(out[30_000 - 1024], 1.0);
    }

    #[test]
    fn trim_without_keep_only_skips() {
        let mut t = Trim::new(5, None);
        assert!(t.apply(&[1.0; 3]).is_empty());
        assert_eq!(t.apply(&[2.0; 4]), &[2.0, 2.0]);
        assert_eq!(t.apply(&[3.0; 2]), &[3.0, 3.0]);
    }
}
