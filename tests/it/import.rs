//! `clipper model import`: the wheel and a folder convert to the same bytes,
//! quantized files work, and every kind of bad source is refused cleanly.

use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

fn import(cwd: &Path, src: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    clipper(cwd)
        .args(["model", "import"])
        .arg(src)
        .arg("-o")
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn wheel_and_unpacked_folder_import_to_identical_bytes_and_reimport_is_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let from_wheel = tmp.path().join("a.bin");
    let again = tmp.path().join("b.bin");
    let from_dir = tmp.path().join("c.bin");
    import(tmp.path(), &wheel(), &from_wheel, &[]).success();
    import(tmp.path(), &wheel(), &again, &[]).success();
    let folder = unpack_wheel_model(tmp.path());
    import(tmp.path(), &folder, &from_dir, &[]).success();
    let a = std::fs::read(&from_wheel).unwrap();
    assert_eq!(a, std::fs::read(&again).unwrap(), "re-import differs");
    assert_eq!(
        a,
        std::fs::read(&from_dir).unwrap(),
        "folder import differs"
    );
    // the set-up's model came from the same wheel
    assert_eq!(a, std::fs::read(model()).unwrap());
    // no temporary files left behind
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
}

#[test]
fn header_says_tiny_english_f16_with_whisper_dimensions() {
    let h = clipper::model::ggml::read_header(&model()).unwrap();
    assert_eq!(
        (
            h.n_vocab,
            h.n_audio_ctx,
            h.n_audio_state,
            h.n_audio_head,
            h.n_audio_layer
        ),
        (51864, 1500, 384, 6, 4)
    );
    assert_eq!(
        (
            h.n_text_ctx,
            h.n_text_state,
            h.n_text_head,
            h.n_text_layer,
            h.n_mels,
            h.ftype
        ),
        (448, 384, 6, 4, 80, 1)
    );
}

/// whisper.cpp's own view of the vocabulary equals the GPT-2 byte decoding
/// of every token in the CTranslate2 vocabulary.txt.
#[test]
fn every_token_whisper_cpp_loaded_is_the_gpt2_byte_decoding() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = unpack_wheel_model(tmp.path());
    let text = std::fs::read_to_string(folder.join("vocabulary.txt")).unwrap();
    let decoder = clipper::model::vocab::ByteDecoder::default();
    let info = clipper::model::ModelInfo::read(&model(), "test").unwrap();
    let engine = clipper::transcribe::Engine::load(&info).unwrap();
    let ctx = engine.context();
    let lines: Vec<&str> = text.lines().collect();
    // the vocabulary section as written in the file: after the magic, 11
    // hparams, the mel header and 80 x 201 filters
    let file = std::fs::read(model()).unwrap();
    let mut pos = 4 + 44 + 8 + 80 * 201 * 4;
    let word = |p: usize| u32::from_le_bytes(file[p..p + 4].try_into().unwrap()) as usize;
    assert_eq!(word(pos), 50256);
    pos += 4;
    for (id, line) in lines.iter().enumerate().take(50256) {
        let want = decoder.token_bytes(line).unwrap();
        let len = word(pos);
        assert_eq!(&file[pos + 4..pos + 4 + len], &want[..], "file token {id}");
        pos += 4 + len;
        // whisper.cpp hands tokens out as C strings, so it can only show the
        // bytes before a NUL (token 188 is the single byte 0x00)
        let got = ctx.token_to_bytes(id as i32).unwrap();
        let until_nul = want.split(|&b| b == 0).next().unwrap();
        assert_eq!(got, until_nul, "whisper.cpp token {id} {line:?}");
    }
    assert_eq!(ctx.token_to_bytes(11).unwrap(), b",");
    assert_eq!(ctx.token_eot(), 50256);
    assert!(!ctx.is_multilingual());
}

#[test]
fn q8_0_and_q5_1_are_smaller_and_q8_0_transcribes_jfk_word_correct() {
    let tmp = tempfile::tempdir().unwrap();
    let f16 = std::fs::metadata(model()).unwrap().len();
    let mut sizes = Vec::new();
    for q in ["q8_0", "q5_1"] {
        let out = tmp.path().join(format!("{q}.bin"));
        import(tmp.path(), &wheel(), &out, &["--quantize", q]).success();
        let h = clipper::model::ggml::read_header(&out).unwrap();
        assert_eq!(clipper::model::WeightType::from_ftype(h.ftype).name(), q);
        sizes.push(std::fs::metadata(&out).unwrap().len());
    }
    assert!(
        sizes[0] < f16 * 6 / 10 && sizes[1] < sizes[0],
        "{f16} {sizes:?}"
    );
    let out = clipper(tmp.path())
        .args(["transcribe", "--json", "--model"])
        .arg(tmp.path().join("q8_0.bin"))
        .arg(sample("jfk.wav"))
        .assert()
        .success();
    let t: clipper::transcript::Transcript =
        serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(wer(&reference("jfk.txt"), &t.text()), 0.0, "{}", t.text());
}

/// A CTranslate2 int8 model (weights int8 with per-row scales, as
/// `ct2-transformers-converter --quantization int8` writes) is dequantized.
#[test]
fn int8_ct2_model_is_dequantized_and_transcribes() {
    use clipper::model::ct2::{Ct2Model, DType, Variable};
    let tmp = tempfile::tempdir().unwrap();
    let folder = unpack_wheel_model(tmp.path());
    let mut m = Ct2Model::parse(&std::fs::read(folder.join("model.bin")).unwrap()).unwrap();
    let names: Vec<String> = m
        .variables
        .iter()
        .filter(|(n, v)| n.ends_with("/weight") && v.shape.len() == 2 && n.contains("layer_"))
        .map(|(n, _)| n.clone())
        .collect();
    assert!(names.len() > 30);
    for name in names {
        let v = m.variables[&name].clone();
        let values = v.to_f32();
        let cols = v.shape[1];
        let mut data = Vec::with_capacity(values.len());
        let mut scales = Vec::new();
        for row in values.chunks(cols) {
            let max = row.iter().fold(0f32, |a, &x| a.max(x.abs())).max(1e-12);
            let scale = 127.0 / max;
            scales.extend_from_slice(&scale.to_le_bytes());
            data.extend(row.iter().map(|&x| (x * scale).round() as i8 as u8));
        }
        m.variables.insert(
            name.clone(),
            Variable {
                shape: v.shape.clone(),
                dtype: DType::I8,
                data,
            },
        );
        m.variables.insert(
            format!("{name}_scale"),
            Variable {
                shape: vec![v.shape[0]],
                dtype: DType::F32,
                data: scales,
            },
        );
    }
    std::fs::write(folder.join("model.bin"), write_ct2(&m)).unwrap();
    let out = tmp.path().join("int8.bin");
    import(tmp.path(), &folder, &out, &[]).success();
    let t = clipper(tmp.path())
        .args(["transcribe", "--json", "--model"])
        .arg(&out)
        .arg(sample("jfk.wav"))
        .assert()
        .success();
    let t: clipper::transcript::Transcript =
        serde_json::from_slice(&t.get_output().stdout).unwrap();
    assert!(
        wer(&reference("jfk.txt"), &t.text()) <= 0.10,
        "{}",
        t.text()
    );
}

/// Runs an import that must fail: exit code 1, the message, no output file.
fn refused(src: &Path, message: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.bin");
    import(tmp.path(), src, &out, &[])
        .failure()
        .code(1)
        .stderr(predicate::str::contains(message));
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "left {leftovers:?}");
}

#[test]
fn refuses_a_path_that_is_not_a_ct2_model() {
    let tmp = tempfile::tempdir().unwrap();
    let text = tmp.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    refused(&text, "neither a folder nor a zip/wheel");
    refused(tmp.path(), "no model.bin found");
    refused(&sample("jfk.wav"), "not a CTranslate2 Whisper model");
    refused(&tmp.path().join("nope"), "does not exist");
}

#[test]
fn refuses_a_truncated_model_bin() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = unpack_wheel_model(tmp.path());
    let bin = std::fs::read(folder.join("model.bin")).unwrap();
    std::fs::write(folder.join("model.bin"), &bin[..bin.len() / 2]).unwrap();
    refused(&folder, "model.bin is truncated");
}

#[test]
fn refuses_a_model_without_vocabulary() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = unpack_wheel_model(tmp.path());
    std::fs::remove_file(folder.join("vocabulary.txt")).unwrap();
    refused(&folder, "no vocabulary.txt");
}

#[test]
fn refuses_a_ct2_model_that_is_not_whisper() {
    use clipper::model::ct2::{Ct2Model, DType, Variable};
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("translator");
    std::fs::create_dir(&folder).unwrap();
    let mut m = Ct2Model {
        binary_version: 6,
        spec_name: "TransformerSpec".into(),
        spec_revision: 7,
        variables: Default::default(),
        aliases: Default::default(),
    };
    m.variables.insert(
        "encoder/num_heads".into(),
        Variable {
            shape: vec![],
            dtype: DType::I16,
            data: 8i16.to_le_bytes().to_vec(),
        },
    );
    std::fs::write(folder.join("model.bin"), write_ct2(&m)).unwrap();
    std::fs::write(folder.join("vocabulary.txt"), "a\nb\n").unwrap();
    refused(&folder, "TransformerSpec, not a Whisper model");
}

#[test]
fn model_list_shows_the_model_and_a_missing_model_names_the_setup_command() {
    let tmp = tempfile::tempdir().unwrap();
    clipper(tmp.path())
        .args(["model", "list", "--model"])
        .arg(model())
        .assert()
        .success()
        .stdout(predicate::str::contains("tiny"))
        .stdout(predicate::str::contains("English-only"))
        .stdout(predicate::str::contains("f16"));
    // ./models lookup
    std::fs::create_dir(tmp.path().join("models")).unwrap();
    std::fs::copy(model(), tmp.path().join("models/ggml-tiny.en.bin")).unwrap();
    let out = clipper(tmp.path())
        .args(["model", "list", "--json"])
        .assert()
        .success();
    let list: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(list[0]["source"], "./models");
    assert_eq!(list[0]["quantization"], "f16");
    std::fs::remove_dir_all(tmp.path().join("models")).unwrap();
    clipper(tmp.path())
        .args(["transcribe"])
        .arg(sample("jfk.wav"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no Whisper model found"))
        .stderr(predicate::str::contains("./scripts/setup.sh"));
    // a file that is not a model
    clipper(tmp.path())
        .args(["transcribe", "--model"])
        .arg(sample("jfk.wav"))
        .arg(sample("jfk.wav"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is not a usable whisper.cpp model",
        ));
}

/// Splits the unpacked model's `model.bin` into `model.bin.part1` and
/// `.part2` in two folders, the way the base-model wheels ship it.
fn split_model(tmp: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let folder = unpack_wheel_model(tmp);
    let bin = std::fs::read(folder.join("model.bin")).unwrap();
    let (a, b) = bin.split_at(bin.len() / 2 + 123);
    let one = tmp.join("part-one");
    let two = tmp.join("part-two");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::create_dir_all(&two).unwrap();
    std::fs::write(one.join("model.bin.part1"), a).unwrap();
    std::fs::copy(folder.join("vocabulary.txt"), one.join("vocabulary.txt")).unwrap();
    std::fs::write(two.join("model.bin.part2"), b).unwrap();
    (one, two)
}

#[test]
fn a_model_split_in_two_parts_imports_to_the_same_bytes_and_a_missing_part_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = split_model(tmp.path());
    let joined = tmp.path().join("joined.bin");
    clipper(tmp.path())
        .args(["model", "import"])
        .arg(&two) // order on the command line does not matter
        .arg(&one)
        .arg("-o")
        .arg(&joined)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&joined).unwrap(),
        std::fs::read(model()).unwrap(),
        "the joined parts must convert exactly like the whole model.bin"
    );
    clipper(tmp.path())
        .args(["model", "import"])
        .arg(&one)
        .arg("-o")
        .arg(tmp.path().join("half.bin"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("model.bin.part2 is missing"));
    assert!(!tmp.path().join("half.bin").exists());
}
