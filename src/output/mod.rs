//! Transcript output files, one module per format.
//!
//! Every file is written atomically (temporary file, then rename), so a
//! crash never leaves half a transcript where a whole one was.

pub mod cues;
pub mod srt;
pub mod txt;
pub mod vtt;

use std::path::{Path, PathBuf};

use crate::transcript::Transcript;

/// Writes transcript.json, .srt, .vtt and .txt into `dir`, and its English
/// translation, when it has one, as transcript.en.json, .srt, .vtt and
/// .txt; returns their paths.
pub fn write_transcript(dir: &Path, t: &Transcript) -> std::io::Result<Vec<PathBuf>> {
    write_transcript_with(dir, t, false)
}

/// [`write_transcript`]; with `speakers` (`--subtitle-speakers`,
/// `[speakers] in_subtitles`), the subtitles and the text say who speaks
/// ([`srt::render_with`], [`vtt::render_with`], [`txt::render_with`]).
pub fn write_transcript_with(
    dir: &Path,
    t: &Transcript,
    speakers: bool,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = write_one(dir, "transcript", t, speakers)?;
    if let Some(english) = &t.english {
        written.extend(write_one(dir, ENGLISH_STEM, english, speakers)?);
    }
    Ok(written)
}

/// The stem of the English translation's files (`transcript.en.json`, …).
pub const ENGLISH_STEM: &str = "transcript.en";

/// `<stem>.json/.srt/.vtt/.txt` of `t` in `dir`, naming speakers with
/// `speakers`.
fn write_one(
    dir: &Path,
    stem: &str,
    t: &Transcript,
    speakers: bool,
) -> std::io::Result<Vec<PathBuf>> {
    let json = serde_json::to_vec_pretty(t).map_err(std::io::Error::other)?;
    let files = [
        ("json", json),
        ("srt", srt::render_with(t, speakers).into_bytes()),
        ("vtt", vtt::render_with(t, speakers).into_bytes()),
        ("txt", txt::render_with(t, speakers).into_bytes()),
    ];
    let mut written = Vec::new();
    for (ext, bytes) in files {
        let path = dir.join(format!("{stem}.{ext}"));
        crate::atomic::write_bytes(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
