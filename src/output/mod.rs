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

/// Writes transcript.json, .srt, .vtt and .txt into `dir`; returns their paths.
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
    let json = serde_json::to_vec_pretty(t).map_err(std::io::Error::other)?;
    let files = [
        ("transcript.json", json),
        ("transcript.srt", srt::render_with(t, speakers).into_bytes()),
        ("transcript.vtt", vtt::render_with(t, speakers).into_bytes()),
        ("transcript.txt", txt::render_with(t, speakers).into_bytes()),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        crate::atomic::write_bytes(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
