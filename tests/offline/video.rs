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
fn the_logo_sits_in_the_top_right_corner_of_the_video_inside_the_safe_area() {
    let tmp = tempfile::tempdir().unwrap();
    crate::media::write_logo(&tmp.path().join("logo.png"), 200, 100, [230, 30, 30]);
    let dir = render_sonnet(
        tmp.path(),
        "show_name = \"Signal & Noise\"\n[media]\nlogo = \"logo.png\"\n",
    );
    let h: Highlights = read(&dir.join("highlights.json"));
    let video = h.clips[0]
        .files
        .iter()
        .find(|f| f.kind == MediaKind::Video)
        .unwrap();
    let f = frame(&dir.join(&video.path), 1.0, 1080);
    // the 240x80 logo box at y 254: a 2:1 logo fills it 160x80, right
    // edge 60 px in from the frame's
    let mean = |x0: usize, x1: usize, y0: usize, y1: usize| {
        let mut sum = [0.0f64; 3];
        for row in &f[y0..y1] {
            for x in x0..x1 {
                for c in 0..3 {
                    sum[c] += row[x * 3 + c] as f64;
                }
            }
        }
        sum.map(|v| v / ((x1 - x0) * (y1 - y0)) as f64)
    };
    let logo = mean(880, 1000, 264, 324);
    assert!(
        logo[0] > 180.0 && logo[1] < 80.0 && logo[2] < 80.0,
        "{logo:?}"
    );
    // the same rows at the left edge are the brand colour (no logo there),
    // and nothing is drawn above the safe area
    let left = mean(20, 50, 264, 324);
    assert!((left[0] - 0x1b as f64).abs() < 8.0, "{left:?}");
    let top = mean(860, 1020, 150, 245);
    assert!((top[0] - 0x1b as f64).abs() < 8.0, "{top:?}");
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

/// Source frames (25 fps) of `samples/sonnet-video.mp4` that the sync test
/// turns white, with an 11 kHz beep of 5 ms starting at the same instant.
const MARKS: [u32; 11] = [100, 210, 320, 430, 540, 650, 760, 870, 980, 1090, 1200];

/// The video-podcast sample with sync marks: at each of [`MARKS`] one
/// white frame and a beep above anything in the speech (the sample's sound
/// is 16 kHz: nothing above 8 kHz). Written to `out` by FFmpeg.
fn marked_sample(out: &Path) {
    let frames: Vec<String> = MARKS.iter().map(|n| format!("eq(n\\,{n})")).collect();
    let beeps: Vec<String> = MARKS
        .iter()
        .map(|n| {
            format!(
                "between(t\\,{:.3}\\,{:.3})",
                *n as f64 / 25.0,
                *n as f64 / 25.0 + 0.005
            )
        })
        .collect();
    let graph = format!(
        "[0:v]drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='{}'[v];\
         aevalsrc='0.5*sin(2*PI*11000*t)*({})':s=48000:d=54[b];\
         [0:a][b]amerge,pan=mono|c0=c0+c1[a]",
        frames.join("+"),
        beeps.join("+")
    );
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(sample("sonnet-video.mp4"))
        .args(["-filter_complex", &graph, "-map", "[v]", "-map", "[a]"])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "30",
            "-g",
            "50",
        ])
        .args(["-c:a", "aac", "-b:a", "128k", "-t", "53.2"])
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
}

/// The mean brightness of every frame of `file` (decoded small, grey).
fn frame_brightness(file: &Path) -> Vec<f64> {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(file)
        .args(["-vf", "scale=27:48,format=gray", "-f", "rawvideo", "-"])
        .output()
        .unwrap();
    out.stdout
        .chunks(27 * 48)
        .map(|f| f.iter().map(|&p| p as f64).sum::<f64>() / f.len() as f64)
        .collect()
}

/// The times (s) where the beeps start in the sound of `file`: its audio
/// high-passed at 9 kHz, where it first passes a third of its peak, at
/// least half a second after the last.
fn beep_times(file: &Path) -> Vec<f64> {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(file)
        .args(["-af", "highpass=f=9000,highpass=f=9000", "-ac", "1"])
        .args(["-ar", "48000", "-f", "f32le", "-"])
        .output()
        .unwrap();
    let x: Vec<f32> = out
        .stdout
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]).abs())
        .collect();
    let peak = x.iter().cloned().fold(0.0, f32::max);
    let mut onsets = Vec::new();
    let mut last = None;
    for (i, &v) in x.iter().enumerate() {
        if v > peak / 3.0 {
            if last.is_none_or(|l| i - l > 24_000) {
                onsets.push(i as f64 / 48_000.0);
            }
            last = Some(i);
        }
    }
    onsets
}

#[test]
fn a_video_podcast_clip_is_cut_from_its_picture_in_sync_with_its_sound() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("marked.mp4");
    marked_sample(&ep);
    clipper(tmp.path())
        .env_remove("CLIPPER_NO_VIDEO")
        .arg(&ep)
        .args(["--clips", "1", "--transcript"])
        .arg(fixture("sonnet.transcript.json"))
        .assert()
        .success();
    let dir = tmp.path().join("marked.clipper");
    let h: Highlights = read(&dir.join("highlights.json"));
    let c = &h.clips[0];
    let video = c.files.iter().find(|f| f.kind == MediaKind::Video).unwrap();
    let mp4 = dir.join(&video.path);
    let p = probe(&mp4);
    assert!(
        p.contains("h264|1080|1920|yuv420p") && p.contains("\naac"),
        "{p}"
    );
    let d: f64 = p.lines().last().unwrap().trim().parse().unwrap();
    assert!((d - c.duration()).abs() <= 0.1, "{d} vs {}", c.duration());

    // the marks well inside the clip, in clip time
    let marks: Vec<f64> = MARKS
        .iter()
        .map(|n| *n as f64 / 25.0 - c.start)
        .filter(|t| *t > 0.3 && *t < c.duration() - 0.3)
        .collect();
    assert!(marks.len() >= 3, "{marks:?}");
    let light = frame_brightness(&mp4);
    let mut sorted = light.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let flashes: Vec<f64> = (0..light.len())
        .filter(|&k| light[k] > median + 40.0 && (k == 0 || light[k - 1] <= median + 40.0))
        .map(|k| k as f64 / 25.0)
        .collect();
    let beeps = beep_times(&mp4);
    assert_eq!(
        flashes.len(),
        marks.len(),
        "flashes {flashes:?}, marks {marks:?}"
    );
    assert_eq!(beeps.len(), marks.len(), "beeps {beeps:?}, marks {marks:?}");
    let frame = 1.0 / 25.0;
    for ((m, f), b) in marks.iter().zip(&flashes).zip(&beeps) {
        assert!(
            (f - b).abs() <= frame,
            "flash at {f:.3} s, beep at {b:.3} s"
        );
        assert!(
            (f - m).abs() <= frame,
            "flash at {f:.3} s, source mark at {m:.3} s"
        );
        assert!(
            (b - m).abs() <= frame,
            "beep at {b:.3} s, source mark at {m:.3} s"
        );
    }
}

#[test]
fn only_a_moving_picture_makes_an_episode_a_video() {
    let tmp = tempfile::tempdir().unwrap();
    let track = clipper::media::video::picture_track(&sample("sonnet-video.mp4")).unwrap();
    assert_eq!((track.width, track.height), (640, 360));
    assert_eq!(
        clipper::media::video::picture_track(&sample("sonnet.mp3")),
        None
    );
    // cover art (an attached picture) is no picture track, even in MP4
    let with_art = tmp.path().join("art.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(sample("formats/lena.m4a"))
        .args([
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=300x300:d=1",
            "-frames:v",
            "1",
        ])
        .args([
            "-map", "0:a", "-map", "1:v", "-c:a", "copy", "-c:v", "mjpeg",
        ])
        .args(["-disposition:v", "attached_pic"])
        .arg(&with_art)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(probe(&with_art).contains("mjpeg"), "the art is there");
    assert_eq!(clipper::media::video::picture_track(&with_art), None);
}

/// `sample(name)` with `art` (an image FFmpeg reads) embedded as its front
/// cover, written to `out`: an ID3 APIC frame in MP3, `covr` in M4A.
fn with_cover_art(name: &str, art: &str, out: &Path) {
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(sample(name))
        .args(["-f", "lavfi", "-i", art, "-frames:v", "1"])
        .args([
            "-map", "0:a", "-map", "1:v", "-c:a", "copy", "-c:v", "mjpeg",
        ])
        .args(["-disposition:v", "attached_pic", "-id3v2_version", "3"])
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
}

/// The RGB pixel at (x, y) of a PNG file.
fn png_pixel(file: &Path, x: usize, y: usize) -> [u8; 3] {
    let img = clipper::media::image::Image::decode(&std::fs::read(file).unwrap()).unwrap();
    let i = (y * img.width as usize + x) * 3;
    [img.rgb[i], img.rgb[i + 1], img.rgb[i + 2]]
}

fn near(a: [u8; 3], b: [u8; 3], tolerance: i32) -> bool {
    a.iter()
        .zip(b)
        .all(|(p, q)| (*p as i32 - q as i32).abs() <= tolerance)
}

#[test]
fn an_episodes_embedded_cover_is_read_from_mp3_and_m4a() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, out) in [("jfk.mp3", "art.mp3"), ("formats/lena.m4a", "art.m4a")] {
        let file = tmp.path().join(out);
        with_cover_art(name, "color=c=red:s=320x240:d=1", &file);
        let art = clipper::audio::cover::embedded_picture(&file).expect(out);
        let img = clipper::media::image::Image::decode(&art.data).unwrap();
        assert_eq!((img.width, img.height), (320, 240), "{out}");
        assert!(
            near([img.rgb[0], img.rgb[1], img.rgb[2]], [254, 0, 0], 8),
            "{out}"
        );
    }
    assert_eq!(
        clipper::audio::cover::embedded_picture(&sample("jfk.mp3")),
        None
    );
}

#[test]
fn an_embedded_cover_is_behind_the_audiogram_and_the_quote_cards() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("sonnet.mp3");
    // a pure green cover: nothing of the brand colours is green
    with_cover_art("sonnet.mp3", "color=c=0x00ff00:s=600x600:d=1", &ep);
    std::fs::write(
        tmp.path().join("clipper.toml"),
        "[media]\nformats = [\"1x1\"]\n",
    )
    .unwrap();
    clipper(tmp.path())
        .env_remove("CLIPPER_NO_VIDEO")
        .arg(&ep)
        .args(["--clips", "1", "--transcript"])
        .arg(fixture("sonnet.transcript.json"))
        .assert()
        .success();
    let dir = tmp.path().join("sonnet.clipper");
    let h: Highlights = read(&dir.join("highlights.json"));
    let files = &h.clips[0].files;
    let plain = [0x1b, 0x2a, 0x41];
    // the cards: the cover toned 70 % towards the brand background
    let toned = [19, 106, 46];
    for card in files.iter().filter(|f| f.kind == MediaKind::Image) {
        let px = png_pixel(&dir.join(&card.path), 5, 5);
        assert!(
            !near(px, plain, 6) && near(px, toned, 8),
            "{}: {px:?}",
            card.path
        );
    }
    // the audiogram: the sharp cover under the show's name, green
    let video = files.iter().find(|f| f.kind == MediaKind::Video).unwrap();
    assert!(video.path.ends_with(".1x1.mp4"));
    let file = dir.join(&video.path);
    let green = |t: f64| {
        let f = frame(&file, t, 1080);
        let px = f[300][540 * 3..540 * 3 + 3].to_vec();
        (px[1] > 200 && px[0] < 60 && px[2] < 60, px)
    };
    // from the start to the end of the clip: the background is composed
    // once and its frame repeated, for as long as the sound lasts
    let clip = &h.clips[0];
    let length = clip.end - clip.start;
    for t in [0.0, 2.0, length - 0.3] {
        let (ok, px) = green(t);
        assert!(ok, "at {t:.1} s of {length:.1}: {px:?}");
    }
    let frames = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v"])
        .args(["-show_entries", "stream=nb_read_frames", "-of", "csv=p=0"])
        .arg(&file)
        .output()
        .unwrap();
    let frames: f64 = String::from_utf8_lossy(&frames.stdout)
        .trim()
        .parse()
        .unwrap();
    assert!(
        (frames - length * 25.0).abs() <= 2.0,
        "{frames} frames for {length:.2} s"
    );
    // and no stray copy of the cover is left in the folder
    assert!(!std::fs::read_dir(&dir).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .starts_with(".cover")));
}

#[test]
fn a_video_whose_sound_symphonia_lacks_is_read_through_ffmpeg() {
    let tmp = tempfile::tempdir().unwrap();
    let mkv = tmp.path().join("jfk-ac3.mkv");
    let status = std::process::Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=s=320x180:r=25:d=11",
            "-i",
        ])
        .arg(sample("jfk.wav"))
        .args([
            "-map",
            "0:v",
            "-map",
            "1:a",
            "-c:v",
            "libx264",
            "-c:a",
            "ac3",
            "-shortest",
        ])
        .arg(&mkv)
        .status()
        .unwrap();
    assert!(status.success());
    let mut samples = Vec::new();
    let info = clipper::audio::decode::decode_mono(&mkv, &mut |_| Ok(()), &mut |b| {
        samples.extend_from_slice(b)
    })
    .unwrap();
    assert_eq!(info.codec, "ac3 (through FFmpeg)");
    let seconds = samples.len() as f64 / info.sample_rate as f64;
    assert!((seconds - 11.0).abs() < 0.1, "{seconds} s");
    let rms = (samples.iter().map(|x| x * x).sum::<f32>() / samples.len() as f32).sqrt();
    assert!(rms > 0.01, "silent: {rms}");
    // without FFmpeg the run says what to install, and fails as something
    // a retry mends (exit 1), not as a bad file (3)
    let empty = tmp.path().join("no-tools");
    std::fs::create_dir(&empty).unwrap();
    let out = clipper(tmp.path())
        .env("PATH", &empty)
        .arg(&mkv)
        .arg("--transcript")
        .arg(fixture("sonnet.transcript.json"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("jfk-ac3.mkv") && stderr.contains("apt-get install ffmpeg"),
        "{stderr}"
    );
}

/// Where the first 11 kHz beep starts in the sound clipper decodes from
/// `file`, seconds from sample 0 (a second difference taken twice keeps
/// the beep and all but removes the speech, which lies under 8 kHz here).
fn first_beep(file: &Path) -> f64 {
    let mut x = Vec::new();
    let info =
        clipper::audio::decode::decode_mono(file, &mut |_| Ok(()), &mut |b| x.extend_from_slice(b))
            .unwrap();
    let second =
        |x: &[f32]| -> Vec<f32> { x.windows(3).map(|w| w[2] - 2.0 * w[1] + w[0]).collect() };
    let d = second(&second(&x));
    let peak = d.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let i = d.iter().position(|v| v.abs() > peak / 3.0).unwrap();
    i as f64 / info.sample_rate as f64
}

#[test]
fn a_video_whose_sound_starts_late_keeps_the_delay_on_one_clock() {
    let tmp = tempfile::tempdir().unwrap();
    let marked = tmp.path().join("marked.mp4");
    marked_sample(&marked);
    // the same file with its sound starting half a second after the picture
    let delayed = tmp.path().join("delayed.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&marked)
        .args(["-itsoffset", "0.5", "-i"])
        .arg(&marked)
        .args(["-map", "0:v", "-map", "1:a", "-c", "copy"])
        .arg(&delayed)
        .status()
        .unwrap();
    assert!(status.success());
    let first = MARKS[0] as f64 / 25.0;
    let (a, b) = (first_beep(&marked), first_beep(&delayed));
    // on the picture's clock: the beep with its flash, then half a second late
    assert!(
        (a - first).abs() < 0.01,
        "beep at {a:.3} s, flash at {first:.3} s"
    );
    assert!((b - first - 0.5).abs() < 0.01, "late beep at {b:.3} s");
}

/// A 4 s 320x180 clip on a still test card with `boxes` white squares
/// (left edges in px) sliding down, over and over: someone moving there.
/// (The squares are overlaid: drawbox in FFmpeg 5.1 does not move.)
fn moving_boxes(out: &Path, boxes: &[u32]) {
    let n = boxes.len();
    let outs: String = (0..n).map(|i| format!("[b{i}]")).collect();
    let mut graph = format!("[1:v]split={n}{outs};[0:v]null[o0];");
    for (i, x) in boxes.iter().enumerate() {
        graph += &format!(
            "[o{i}][b{i}]overlay=x={x}:y='10+mod(40*t\\,100)'[o{}];",
            i + 1
        );
    }
    graph += &format!("[o{n}]null[v]");
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg("smptebars=s=320x180:r=10:d=4")
        .args(["-f", "lavfi", "-i", "color=white:s=40x40:r=10:d=4"])
        .args(["-filter_complex", &graph, "-map", "[v]"])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ])
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_video_clip_is_cropped_when_it_moves_in_the_middle_and_shown_whole_when_at_the_sides() {
    use clipper::media::reframe::{self, Framing};
    let tmp = tempfile::tempdir().unwrap();
    // a 16:9 picture in a 9:16 frame: the crop keeps 0.316 of its width
    let keep = (9.0 / 16.0) / (16.0 / 9.0);
    let centre = tmp.path().join("centre.mp4");
    moving_boxes(&centre, &[140]);
    let p = reframe::activity(&centre, 0.5, 3.0).expect("measured");
    assert_eq!(p.len(), reframe::COLUMNS);
    let share = reframe::centre_share(&p, keep);
    assert_eq!(reframe::choose(&p, keep), Framing::Crop, "{share}");
    let sides = tmp.path().join("sides.mp4");
    moving_boxes(&sides, &[20, 260]);
    let p = reframe::activity(&sides, 0.5, 3.0).expect("measured");
    let share = reframe::centre_share(&p, keep);
    assert_eq!(reframe::choose(&p, keep), Framing::Whole, "{share}");
}
