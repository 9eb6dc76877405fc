//! The clip videos, probed and decoded by FFmpeg: shape, codecs, duration,
//! the spoken word's highlight moving, captions inside the safe area; and a
//! run without FFmpeg that still completes and says how to add video.

use std::path::{Path, PathBuf};

use clipper::bundle::Highlights;
use clipper::media::MediaKind;

use crate::common::*;

/// Runs the sonnet with one clip (videos on) and returns its output folder.
fn render_sonnet(dir: &Path, toml: &str) -> PathBuf {
    let ep = dir.join("sonnet.mp3");
    std::fs::copy(sample("sonnet.mp3"), &ep).unwrap();
    std::fs::write(dir.join("clipper.toml"), toml).unwrap();
    clipper(dir)
        .env_remove("CLIPPER_NO_VIDEO")
        .arg(&ep)
        .args(["--clips", "1", "--transcript"])
        .arg(fixture("sonnet.transcript.json"))
        .assert()
        .success();
    dir.join("sonnet.clipper")
}

fn probe(file: &Path) -> String {
    let out = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-show_entries"])
        .args(["stream=codec_name,width,height,pix_fmt:format=duration"])
        .args(["-of", "compact=p=0:nk=1"])
        .arg(file)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The frame at `t` seconds as RGB rows.
fn frame(file: &Path, t: f64, w: usize) -> Vec<Vec<u8>> {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-ss", &format!("{t:.3}"), "-i"])
        .arg(file)
        .args(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .output()
        .unwrap();
    out.stdout.chunks(w * 3).map(<[u8]>::to_vec).collect()
}

/// Mean absolute difference of two frames over rows `a..b`.
fn diff(x: &[Vec<u8>], y: &[Vec<u8>], a: usize, b: usize) -> f64 {
    let mut sum = 0u64;
    let mut n = 0u64;
    for r in a..b {
        for (p, q) in x[r].iter().zip(&y[r]) {
            sum += (*p as i64 - *q as i64).unsigned_abs();
            n += 1;
        }
    }
    sum as f64 / n as f64
}

#[test]
fn the_vertical_video_probes_right_and_the_highlight_follows_the_words() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = render_sonnet(tmp.path(), "show_name = \"Signal & Noise\"\n");
    let h: Highlights = read(&dir.join("highlights.json"));
    let c = &h.clips[0];
    let video = c.files.iter().find(|f| f.kind == MediaKind::Video).unwrap();
    assert!(video.path.ends_with(".9x16.mp4"));
    let mp4 = dir.join(&video.path);
    assert_eq!(video.bytes, std::fs::metadata(&mp4).unwrap().len());
    let p = probe(&mp4);
    assert!(
        p.contains("h264|1080|1920|yuv420p") && p.contains("\naac"),
        "{p}"
    );
    let d: f64 = p.lines().last().unwrap().trim().parse().unwrap();
    assert!((d - c.duration()).abs() <= 0.1, "{d} vs {}", c.duration());
    // two neighbouring words well inside the clip, each long enough to
    // grab a frame in its middle
    let t: clipper::transcript::Transcript = read(&dir.join("transcript.json"));
    let words: Vec<_> = t
        .words()
        .filter(|w| w.start > c.start + 1.0 && w.end < c.end - 1.0)
        .collect();
    let k = (1..words.len())
        .find(|&i| {
            words[i - 1].end - words[i - 1].start > 0.2 && words[i].end - words[i].start > 0.2
        })
        .expect("two words of some length");
    let mid = |w: &clipper::transcript::Word| (w.start + w.end) / 2.0 - c.start;
    let (a, b) = (
        frame(&mp4, mid(words[k - 1]), 1080),
        frame(&mp4, mid(words[k]), 1080),
    );
    assert_eq!(a.len(), 1920);
    // the caption block (two lines from y = 1080) changed: the highlight moved
    let captions = diff(&a, &b, 1080, 1260);
    assert!(captions > 0.5, "caption region unchanged ({captions})");
    // nothing but the background above and below the safe area
    assert!(diff(&a, &b, 0, 250) < 0.5, "top band changed");
    assert!(diff(&a, &b, 1520, 1920) < 0.5, "bottom band changed");
    // ...and it is the plain brand colour there (#1b2a41)
    let px = &a[100][540 * 3..540 * 3 + 3];
    assert!(
        px.iter()
            .zip([0x1b, 0x2a, 0x41])
            .all(|(p, q)| (*p as i32 - q).abs() < 6),
        "{px:?}"
    );
}

#[test]
fn without_ffmpeg_audio_and_text_complete_and_one_warning_says_how_to_add_video() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("sonnet.mp3");
    std::fs::copy(sample("sonnet.mp3"), &ep).unwrap();
    let empty = tmp.path().join("no-tools");
    std::fs::create_dir(&empty).unwrap();
    let out = clipper(tmp.path())
        .env_remove("CLIPPER_NO_VIDEO")
        .env("PATH", &empty)
        .arg(&ep)
        .arg("--transcript")
        .arg(fixture("sonnet.transcript.json"))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(
        stderr.matches("apt-get install ffmpeg").count(),
        1,
        "{stderr}"
    );
    let h: Highlights = read(&tmp.path().join("sonnet.clipper/highlights.json"));
    for c in &h.clips {
        assert!(c.media.iter().any(|m| m.ends_with(".mp3")));
        assert!(!c.media.iter().any(|m| m.ends_with(".mp4")));
    }
}
