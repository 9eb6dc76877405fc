//! Chapters from ID3v2 `CHAP` frames (ID3v2.3 and 2.4), as podcast
//! producers write them into MP3 files. symphonia does not expose them, so
//! this reads the tag directly; a file without a tag simply has none.

use std::io::Read;
use std::path::Path;

use crate::domain::Chapter;

/// Reads the chapters of an MP3's ID3v2 tag, in time order. Returns an
/// empty list for files without a tag or chapters; never fails on bad data.
pub fn read_chapters(path: &Path) -> Vec<Chapter> {
    let mut head = [0u8; 10];
    let Ok(mut f) = std::fs::File::open(path) else {
        return Vec::new();
    };
    if f.read_exact(&mut head).is_err() || &head[..3] != b"ID3" {
        return Vec::new();
    }
    let version = head[3];
    let size = syncsafe(&head[6..10]);
    let mut tag = vec![0u8; size.min(16 << 20)];
    if f.read_exact(&mut tag).is_err() {
        return Vec::new();
    }
    let mut chapters = parse_frames(&tag, version);
    chapters.sort_by(|a, b| a.start.total_cmp(&b.start));
    chapters
}

fn syncsafe(b: &[u8]) -> usize {
    b.iter()
        .fold(0usize, |acc, &x| (acc << 7) | (x & 0x7f) as usize)
}

fn be32(b: &[u8]) -> usize {
    b.iter().fold(0usize, |acc, &x| (acc << 8) | x as usize)
}

/// Walks frames; returns the chapters found among them.
fn parse_frames(buf: &[u8], version: u8) -> Vec<Chapter> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 10 <= buf.len() {
        let id = &buf[pos..pos + 4];
        if id[0] == 0 {
            break;
        }
        let size = if version >= 4 {
            syncsafe(&buf[pos + 4..pos + 8])
        } else {
            be32(&buf[pos + 4..pos + 8])
        };
        let body_start = pos + 10;
        let Some(body) = buf.get(body_start..body_start + size) else {
            break;
        };
        if id == b"CHAP" {
            if let Some(ch) = parse_chap(body, version) {
                out.push(ch);
            }
        }
        pos = body_start + size;
    }
    out
}

fn parse_chap(body: &[u8], version: u8) -> Option<Chapter> {
    let nul = body.iter().position(|&b| b == 0)?;
    let times = body.get(nul + 1..nul + 17)?;
    let start = be32(&times[0..4]) as f64 / 1000.0;
    let end = be32(&times[4..8]) as f64 / 1000.0;
    let sub = &body[nul + 17..];
    let title = title_of(sub, version)
        .unwrap_or_else(|| String::from_utf8_lossy(&body[..nul]).into_owned());
    (end > start).then_some(Chapter { title, start, end })
}

/// The `TIT2` text inside a chapter's sub-frames.
fn title_of(sub: &[u8], version: u8) -> Option<String> {
    let mut pos = 0;
    while pos + 10 <= sub.len() {
        let size = if version >= 4 {
            syncsafe(&sub[pos + 4..pos + 8])
        } else {
            be32(&sub[pos + 4..pos + 8])
        };
        let body = sub.get(pos + 10..pos + 10 + size)?;
        if &sub[pos..pos + 4] == b"TIT2" && !body.is_empty() {
            return Some(decode_text(body[0], &body[1..]));
        }
        pos += 10 + size;
    }
    None
}

/// ID3 text: encoding byte 0 Latin-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8.
fn decode_text(encoding: u8, data: &[u8]) -> String {
    let text = match encoding {
        1 | 2 => {
            let (be, body) = match data {
                [0xFF, 0xFE, rest @ ..] => (false, rest),
                [0xFE, 0xFF, rest @ ..] => (true, rest),
                _ => (encoding == 2, data),
            };
            let units: Vec<u16> = body
                .chunks_exact(2)
                .map(|c| {
                    if be {
                        u16::from_be_bytes([c[0], c[1]])
                    } else {
                        u16::from_le_bytes([c[0], c[1]])
                    }
                })
                .collect();
            String::from_utf16_lossy(&units)
        }
        3 => String::from_utf8_lossy(data).into_owned(),
        _ => data.iter().map(|&b| b as char).collect(),
    };
    text.trim_end_matches('\0').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(id: &[u8], body: &[u8]) -> Vec<u8> {
        let mut f = id.to_vec();
        f.extend_from_slice(&(body.len() as u32).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(body);
        f
    }

    #[test]
    fn reads_chap_frames_with_titles() {
        let mut chap = b"ch0\0".to_vec();
        for v in [0u32, 14_800, u32::MAX, u32::MAX] {
            chap.extend_from_slice(&v.to_be_bytes());
        }
        chap.extend(frame(b"TIT2", b"\x03Intro music"));
        let tag = [frame(b"TIT2", b"\x00Episode"), frame(b"CHAP", &chap)].concat();
        let ch = parse_frames(&tag, 3);
        assert_eq!(
            ch,
            vec![Chapter {
                title: "Intro music".into(),
                start: 0.0,
                end: 14.8
            }]
        );
    }
}
