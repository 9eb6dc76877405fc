//! Which files are audio: by extension, or by their first bytes when the
//! extension says nothing. The season walk and the review sheet share
//! this one list.

use std::io::Read;
use std::path::Path;

/// File extensions clipper treats as audio without looking inside.
pub const EXTENSIONS: &[&str] = &[
    "mp3", "m4a", "m4b", "mp4", "aac", "wav", "flac", "ogg", "oga", "opus", "aif", "aiff", "aifc",
    "caf", "webm", "mka", "mkv", "mov", "m4v",
];

/// True when the first bytes of `path` are those of an audio container
/// clipper decodes (for files whose extension says nothing).
pub fn looks_like_audio(path: &Path) -> bool {
    let mut head = [0u8; 12];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(n) = f.read(&mut head) else {
        return false;
    };
    let h = &head[..n];
    let at = |i: usize, tag: &[u8]| h.len() >= i + tag.len() && &h[i..i + tag.len()] == tag;
    at(0, b"ID3")
        || at(0, b"fLaC")
        || at(0, b"OggS")
        || (at(0, b"RIFF") && at(8, b"WAVE"))
        || (at(0, b"FORM") && (at(8, b"AIFF") || at(8, b"AIFC")))
        || at(0, b"caff")
        || at(4, b"ftyp")
        || at(0, &[0x1a, 0x45, 0xdf, 0xa3])
        // an MPEG audio or ADTS frame header
        || (h.len() >= 2 && h[0] == 0xff && h[1] & 0xe0 == 0xe0)
}

/// True when the name of `p` ends in one of [`EXTENSIONS`] (any case).
pub fn is_audio_name(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().to_lowercase().as_str()))
}
