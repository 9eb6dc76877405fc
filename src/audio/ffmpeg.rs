//! Sound through FFmpeg, when it is installed: the first audio stream,
//! mixed to mono at its own rate, streamed as 32-bit float samples from
//! FFmpeg's standard output. Two kinds of file come here:
//!
//! - *video episodes* (a picture track, see [`picture_track`]): their sound
//!   is read on the container's timeline, sample 0 at the file's time 0,
//!   silence put in where the sound starts later than the picture, so the
//!   transcript, the clip cuts and the picture FFmpeg cuts for the clip
//!   videos share one clock (symphonia starts at the first audio sample
//!   and would put a late-starting track's sound early by its delay);
//! - files whose sound symphonia cannot decode (a video's AC-3, E-AC-3 or
//!   DTS track, say).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{AudioError, StreamInfo};

/// The picture track of a video episode.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The episode file.
    pub path: PathBuf,
    /// Picture width, px (as displayed).
    pub width: u32,
    /// Picture height, px (as displayed).
    pub height: u32,
}

/// The picture track of `input`, when it is a video (MP4, MOV, MKV,
/// WebM… with a moving picture), asked of `ffprobe`. Cover art embedded
/// in an audio file (a single attached picture) is not a picture track.
/// None when there is none or `ffprobe` cannot tell.
pub fn picture_track(input: &Path) -> Option<Picture> {
    if !VIDEO_EXTENSIONS.iter().any(|e| has_extension(input, e)) {
        return None;
    }
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "V", "-show_entries"])
        .args(["stream=width,height,sample_aspect_ratio:stream_disposition=attached_pic"])
        .args(["-of", "json"])
        .arg(input)
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    json["streams"].as_array()?.iter().find_map(|s| {
        let attached = s["disposition"]["attached_pic"].as_u64().unwrap_or(0) != 0;
        let (w, h) = (s["width"].as_u64()?, s["height"].as_u64()?);
        if attached || w == 0 || h == 0 {
            return None;
        }
        // non-square pixels: the displayed width
        let sar = s["sample_aspect_ratio"].as_str().unwrap_or("1:1");
        let (n, d) = sar.split_once(':').unwrap_or(("1", "1"));
        let (n, d) = (n.parse::<u64>().unwrap_or(1), d.parse::<u64>().unwrap_or(1));
        let w = if n > 0 && d > 0 { w * n / d } else { w };
        Some(Picture {
            path: input.to_path_buf(),
            width: w as u32,
            height: h as u32,
        })
    })
}

/// The containers that may hold a picture track.
pub const VIDEO_EXTENSIONS: [&str; 5] = ["mp4", "m4v", "mov", "mkv", "webm"];

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

/// Decodes a video episode's sound through FFmpeg on the container's
/// timeline (see the module header). None when `path` has no picture
/// track or FFmpeg is not installed (symphonia then reads it).
pub fn decode_video_sound(
    path: &Path,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Option<Result<StreamInfo, AudioError>> {
    picture_track(path)?;
    let (codec, rate, channels) = audio_stream(path)?;
    Some(run(path, codec, rate, channels, true, on_info, sink))
}

/// True when `tool -version` runs.
fn tool_runs(tool: &str) -> bool {
    Command::new(tool)
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The first audio stream of `path` as `ffprobe` sees it: codec name,
/// sample rate, channels. None when there is none or ffprobe is missing.
fn audio_stream(path: &Path) -> Option<(String, u32, usize)> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "a:0", "-show_entries"])
        .args(["stream=codec_name,sample_rate,channels", "-of", "json"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let s = json["streams"].as_array()?.first()?;
    let codec = s["codec_name"].as_str().unwrap_or("unknown").to_string();
    let rate = s["sample_rate"].as_str().and_then(|r| r.parse().ok());
    let channels = s["channels"].as_u64().unwrap_or(0) as usize;
    Some((codec, rate.unwrap_or(48_000), channels))
}

/// Decodes `path` through FFmpeg after symphonia failed with `why`
/// (no audio track it knows, or a codec it lacks). Returns `why` when
/// FFmpeg finds no audio either, and says to install FFmpeg when the file
/// has sound only FFmpeg can decode and FFmpeg is missing.
pub fn decode(
    path: &Path,
    why: AudioError,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<StreamInfo, AudioError> {
    if !tool_runs("ffprobe") {
        // FFmpeg might read it; without it nobody here can say
        return Err(AudioError::NeedsFfmpeg(match why {
            AudioError::UnsupportedCodec(codec) => format!("its sound is {codec}"),
            _ => "it holds no audio track clipper decodes by itself".into(),
        }));
    }
    let Some((codec, rate, channels)) = audio_stream(path) else {
        return Err(why);
    };
    run(path, codec, rate, channels, false, on_info, sink)
}

/// FFmpeg's decoding of `path`'s first audio stream (`codec`, `rate`,
/// `channels` as ffprobe saw them) into `sink`; `timeline` pads the start
/// with silence so that sample 0 is the file's time 0.
fn run(
    path: &Path,
    codec: String,
    rate: u32,
    channels: usize,
    timeline: bool,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<StreamInfo, AudioError> {
    let info = StreamInfo {
        sample_rate: rate,
        channels,
        codec: format!("{codec} (through FFmpeg)"),
        ..StreamInfo::default()
    };
    let spawned = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-i"])
        .arg(path)
        .args(["-map", "0:a:0", "-vn", "-ac", "1", "-ar", &rate.to_string()])
        .args(if timeline {
            &["-af", "aresample=async=1:first_pts=0"][..]
        } else {
            &[]
        })
        .args(["-f", "f32le", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = spawned else {
        return Err(AudioError::NeedsFfmpeg(format!("its sound is {codec}")));
    };
    if let Err(e) = on_info(&info) {
        let _ = child.kill();
        let _ = child.wait();
        return Err(e);
    }
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = Vec::new();
    let mut block = Vec::new();
    loop {
        let n = match out.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(AudioError::Corrupt(format!("reading FFmpeg's output: {e}"))),
        };
        carry.extend_from_slice(&buf[..n]);
        let whole = carry.len() / 4 * 4;
        block.clear();
        block.extend(
            carry[..whole]
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
        carry.drain(..whole);
        sink(&block);
    }
    let done = child
        .wait_with_output()
        .map_err(|e| AudioError::Corrupt(format!("FFmpeg: {e}")))?;
    if !done.status.success() {
        let msg = String::from_utf8_lossy(&done.stderr);
        return Err(AudioError::Corrupt(format!("FFmpeg: {}", msg.trim())));
    }
    Ok(info)
}
