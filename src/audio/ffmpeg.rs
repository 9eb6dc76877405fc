//! The sound of files symphonia cannot decode (a video's AC-3, E-AC-3 or
//! DTS track, say), extracted through FFmpeg when it is installed: the
//! first audio stream, mixed to mono at its own rate, streamed as 32-bit
//! float samples from FFmpeg's standard output. Everything symphonia reads
//! never comes here.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{AudioError, StreamInfo};

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
