//! Clip media measured from outside: the pipeline run from saved
//! transcripts (no model), its MP3s measured by FFmpeg's `ebur128` filter
//! and ffprobe, the optional WAV checked sample by sample.

use std::path::{Path, PathBuf};

use clipper::bundle::Highlights;
use clipper::media::MediaKind;
use clipper::transcript::Transcript;

use crate::common::*;

/// Copies a sample into `dir`, writes `toml` as its clipper.toml and runs
/// `clipper EPISODE --transcript FIXTURE`; returns the output folder.
fn run(dir: &Path, name: &str, fixture_name: &str, toml: &str) -> PathBuf {
    let ep = dir.join(name);
    std::fs::copy(sample(name), &ep).unwrap();
    std::fs::write(dir.join("clipper.toml"), toml).unwrap();
    clipper(dir)
        .arg(&ep)
        .arg("--transcript")
        .arg(fixture(fixture_name))
        .assert()
        .success();
    dir.join(format!(
        "{}.clipper",
        Path::new(name).file_stem().unwrap().to_string_lossy()
    ))
}

#[test]
fn meeting_clips_are_mastered_and_the_wav_is_the_exact_cut_by_option() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run(
        tmp.path(),
        "meeting.wav",
        "meeting.transcript.json",
        "[media]\nwav = true\nvideo = false\n",
    );
    let h: Highlights = read(&dir.join("highlights.json"));
    let t: Transcript = read(&dir.join("transcript.json"));
    check_clips(&t, &h, &[], 1);
    check_clip_media(&dir.parent().unwrap().join("meeting.wav"), &dir, &h);
    for c in &h.clips {
        let kinds: Vec<MediaKind> = c.files.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                MediaKind::Audio,
                MediaKind::Preview,
                MediaKind::Wav,
                MediaKind::Subtitles,
                MediaKind::Image,
                MediaKind::Image
            ]
        );
        for f in &c.files {
            assert_eq!(f.bytes, std::fs::metadata(dir.join(&f.path)).unwrap().len());
        }
        // quote cards: PNGs of the stated sizes (the IHDR header)
        for f in c.files.iter().filter(|f| f.kind == MediaKind::Image) {
            let b = std::fs::read(dir.join(&f.path)).unwrap();
            assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n");
            let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
            let want = if f.path.ends_with(".quote.png") {
                (1080, 1350)
            } else {
                assert!(f.path.ends_with(".quote.1200x627.png"));
                (1200, 627)
            };
            assert_eq!((be(16), be(20)), want, "{}", f.path);
        }
        let d = c.files[0].duration.unwrap();
        assert!((d - c.duration()).abs() < 0.001, "{d} vs {}", c.duration());
    }
}

#[test]
fn the_clients_loudness_target_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run(
        tmp.path(),
        "sonnet.mp3",
        "sonnet.transcript.json",
        "[media]\nloudness = -19.0\nvideo = false\n",
    );
    let h: Highlights = read(&dir.join("highlights.json"));
    for (id, lufs, tp, bytes) in check_mastered(&dir, &h, -19.0) {
        eprintln!("sonnet {id}: {lufs} LUFS, {tp} dBTP, {bytes} B");
    }
    assert!(h
        .clips
        .iter()
        .all(|c| !c.media.iter().any(|m| m.ends_with(".wav"))));
}

#[test]
fn a_bad_media_setting_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let ep = tmp.path().join("sonnet.mp3");
    std::fs::copy(sample("sonnet.mp3"), &ep).unwrap();
    std::fs::write(tmp.path().join("clipper.toml"), "[media]\nloudness = 3.0\n").unwrap();
    clipper(tmp.path())
        .arg(&ep)
        .arg("--transcript")
        .arg(fixture("sonnet.transcript.json"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("media.loudness"));
}

/// Writes a `w`×`h` PNG logo of one opaque colour to `path`.
pub fn write_logo(path: &Path, w: u32, h: u32, rgb: [u8; 3]) {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut wr = enc.write_header().unwrap();
    let px: Vec<u8> = (0..w * h)
        .flat_map(|_| [rgb[0], rgb[1], rgb[2], 255])
        .collect();
    wr.write_image_data(&px).unwrap();
    wr.finish().unwrap();
    std::fs::write(path, out).unwrap();
}

/// The RGB pixels of a PNG file, with its width.
fn png_pixels(path: &Path) -> (u32, Vec<u8>) {
    let dec = png::Decoder::new(std::io::Cursor::new(std::fs::read(path).unwrap()));
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    (info.width, buf)
}

#[test]
fn the_logo_is_drawn_on_the_quote_cards_and_a_missing_one_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    write_logo(&tmp.path().join("logo.png"), 200, 100, [230, 30, 30]);
    let toml = "[media]\nvideo = false\nlogo = \"logo.png\"\n";
    let dir = run(tmp.path(), "sonnet.mp3", "sonnet.transcript.json", toml);
    let h: Highlights = read(&dir.join("highlights.json"));
    let card = dir.join(format!("clips/{}.quote.png", h.clips[0].id));
    let (w, px) = png_pixels(&card);
    // bottom-right corner inside the 100 px margin: red; bottom-left: not
    let at = |x: u32, y: u32| &px[((y * w + x) * 3) as usize..((y * w + x) * 3 + 3) as usize];
    assert_eq!(at(w - 110, 1350 - 110), [230, 30, 30]);
    assert_ne!(at(110, 1350 - 110), [230, 30, 30]);
    // a logo path that does not exist: the episode is refused before any
    // work, the message naming the setting
    std::fs::remove_file(tmp.path().join("logo.png")).unwrap();
    let out = clipper(tmp.path())
        .arg(tmp.path().join("sonnet.mp3"))
        .args(["--force", "--transcript"])
        .arg(fixture("sonnet.transcript.json"))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("media.logo: cannot read logo.png"),
        "{stderr}"
    );
}
