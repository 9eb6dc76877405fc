//! `clipper model import`: a CTranslate2 (faster-whisper) Whisper model in,
//! a whisper.cpp ggml file out.
//!
//! The source may be a directory holding `model.bin` and `vocabulary.txt`, or
//! a zip/wheel that contains such a directory (read in place, no unpacking).
//! CTranslate2 fuses the attention projections (q,k,v in one matrix; k,v in
//! one for cross-attention) and whisper.cpp keeps them apart, so those are
//! split by rows; everything else is renamed. Whisper's key projections have
//! no bias, so CTranslate2's zero key-bias rows are dropped.

use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};

use super::ct2::Ct2Model;
use super::ggml::{self, Hparams, Role, Tensor, WeightType};
use super::{mel, vocab, ImportError};

/// The raw files of a CTranslate2 Whisper model, wherever they came from.
pub struct Ct2Files {
    /// Bytes of `model.bin` (joined from its parts when it was split).
    pub model_bin: Vec<u8>,
    /// Text of `vocabulary.txt`.
    pub vocabulary: String,
    /// Where they were found, for messages.
    pub origin: String,
    /// How many numbered parts `model_bin` was joined from (0: it came
    /// whole).
    pub parts: u32,
}

/// The model files found in one source: `model.bin` whole, or some of its
/// numbered parts (`model.bin.part1`, `model.bin.part2`, …), and maybe the
/// vocabulary.
#[derive(Default)]
struct Found {
    whole: Option<Vec<u8>>,
    parts: Vec<(u32, Vec<u8>)>,
    vocabulary: Option<Vec<u8>>,
    origins: Vec<String>,
}

/// What a file name is to the importer.
enum Piece {
    Whole,
    Part(u32),
    Vocabulary,
}

fn piece_of(file_name: &str) -> Option<Piece> {
    match file_name {
        "model.bin" => Some(Piece::Whole),
        "vocabulary.txt" => Some(Piece::Vocabulary),
        _ => file_name
            .strip_prefix("model.bin.part")
            .and_then(|n| n.parse().ok())
            .map(Piece::Part),
    }
}

impl Found {
    fn add(&mut self, piece: Piece, bytes: Vec<u8>, origin: String) {
        match piece {
            Piece::Whole => self.whole = Some(bytes),
            Piece::Part(n) => self.parts.push((n, bytes)),
            Piece::Vocabulary => self.vocabulary = Some(bytes),
        }
        self.origins.push(origin);
    }

    /// `model.bin`, joined from parts 1..=n when it came split; a gap in the
    /// numbering is named.
    fn model_bin(&mut self) -> Result<Vec<u8>, ImportError> {
        if let Some(whole) = self.whole.take() {
            return Ok(whole);
        }
        if self.parts.is_empty() {
            return Err(ImportError::NotCt2(
                "no model.bin (or model.bin.part1, part2, …) found; a CTranslate2 model \
                 folder has model.bin and vocabulary.txt"
                    .into(),
            ));
        }
        self.parts.sort_by_key(|(n, _)| *n);
        let last = self.parts.last().map(|(n, _)| *n).unwrap_or(0);
        for want in 1..=last {
            if !self.parts.iter().any(|(n, _)| *n == want) {
                return Err(ImportError::MissingPart(format!("model.bin.part{want}")));
            }
        }
        let mut joined = Vec::with_capacity(self.parts.iter().map(|(_, b)| b.len()).sum());
        for (_, bytes) in self.parts.drain(..) {
            joined.extend_from_slice(&bytes);
        }
        Ok(joined)
    }
}

/// Finds and reads `model.bin` and `vocabulary.txt` under a directory or in a
/// zip/wheel.
pub fn read_ct2_files(src: &Path) -> Result<Ct2Files, ImportError> {
    read_ct2_sources(&[src.to_path_buf()])
}

/// Reads a model from one or more sources (folders or zips/wheels), joining
/// a `model.bin` that was split into numbered parts across them, as some
/// registry packages ship it.
pub fn read_ct2_sources(sources: &[PathBuf]) -> Result<Ct2Files, ImportError> {
    let mut found = Found::default();
    for src in sources {
        if !src.exists() {
            return Err(ImportError::NotFound(src.to_path_buf()));
        }
        if src.is_dir() {
            collect_dir(src, 3, &mut found)?;
        } else {
            collect_zip(src, &mut found)?;
        }
    }
    let parts = match found.whole {
        Some(_) => 0,
        None => found.parts.iter().map(|(n, _)| *n).max().unwrap_or(0),
    };
    let model_bin = found.model_bin().map_err(|e| match e {
        ImportError::NotCt2(_) if sources.len() == 1 => ImportError::NotCt2(format!(
            "no model.bin found in {} (a CTranslate2 model folder has model.bin and vocabulary.txt)",
            sources[0].display()
        )),
        other => other,
    })?;
    let vocabulary = found.vocabulary.take().ok_or_else(|| {
        ImportError::MissingVocabulary(
            sources
                .iter()
                .map(|s| s.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        )
    })?;
    let vocabulary = String::from_utf8(vocabulary)
        .map_err(|_| ImportError::NotCt2("vocabulary.txt is not UTF-8 text".into()))?;
    Ok(Ct2Files {
        model_bin,
        vocabulary,
        origin: found.origins.join(" + "),
        parts,
    })
}

/// Collects the model's files from a folder, a few levels deep.
fn collect_dir(dir: &Path, depth: usize, found: &mut Found) -> Result<(), ImportError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if depth > 0 {
                collect_dir(&path, depth - 1, found)?;
            }
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Some(piece) = piece_of(name) {
            let bytes = std::fs::read(&path)?;
            found.add(piece, bytes, path.display().to_string());
        }
    }
    Ok(())
}

/// Collects the model's files from a zip or wheel, read in place.
fn collect_zip(src: &Path, found: &mut Found) -> Result<(), ImportError> {
    let file = File::open(src)?;
    let mut zip = zip::ZipArchive::new(file).map_err(|_| {
        ImportError::NotCt2(format!(
            "{} is neither a folder nor a zip/wheel holding a CTranslate2 model",
            src.display()
        ))
    })?;
    let mut names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| piece_of(n.rsplit('/').next().unwrap_or(n)).is_some())
        .collect();
    names.sort();
    for name in names {
        let piece = piece_of(name.rsplit('/').next().unwrap_or(&name)).expect("filtered above");
        let mut entry = zip
            .by_name(&name)
            .map_err(|e| ImportError::NotCt2(format!("cannot open {name} in the archive: {e}")))?;
        let mut buf = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut buf).map_err(|e| {
            ImportError::Truncated(format!(
                "{name} in {} cannot be read whole: {e}",
                src.display()
            ))
        })?;
        found.add(piece, buf, format!("{}:{name}", src.display()));
    }
    Ok(())
}

/// A model converted in memory, ready to be written.
pub struct Converted {
    /// Hyper-parameters (ftype is set by the writer).
    pub hparams: Hparams,
    /// Mel filterbank, filter-major.
    pub mel_filters: Vec<f32>,
    /// The text tokens as raw bytes.
    pub vocab: Vec<Vec<u8>>,
    /// Every tensor whisper.cpp looks up.
    pub tensors: Vec<Tensor>,
}

/// Counts `<prefix>layer_N/...` variables: the number of distinct N.
fn count_layers(model: &Ct2Model, prefix: &str) -> usize {
    let mut ids: Vec<usize> = model
        .variables
        .keys()
        .filter_map(|k| k.strip_prefix(prefix))
        .filter_map(|rest| rest.strip_prefix("layer_"))
        .filter_map(|rest| rest.split('/').next()?.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

fn dim(model: &Ct2Model, name: &str, axis: usize) -> Result<usize, ImportError> {
    let v = model.require(name)?;
    v.shape.get(axis).copied().ok_or_else(|| {
        ImportError::NotCt2(format!(
            "{name} has shape {:?}, expected more axes",
            v.shape
        ))
    })
}

/// Builds tensors from CTranslate2 variables.
struct Mapper<'a> {
    model: &'a Ct2Model,
    tensors: Vec<Tensor>,
}

impl Mapper<'_> {
    /// Copies a variable under a new name. `ne` is numpy's shape reversed.
    fn copy(&mut self, to: &str, from: &str, role: Role) -> Result<(), ImportError> {
        let var = self.model.require(from)?;
        let mut ne: Vec<usize> = var.shape.iter().rev().copied().collect();
        if to.ends_with("conv1.bias") || to.ends_with("conv2.bias") {
            // whisper.cpp keeps conv biases as (n_state, 1) matrices.
            ne = vec![1, var.shape[0]];
        }
        let values = self.model.dequantized(from)?;
        self.tensors.push(Tensor {
            name: to.to_string(),
            ne,
            values,
            role,
        });
        Ok(())
    }

    /// Splits a fused projection by rows: part `part` of `parts` equal slices.
    fn split(
        &mut self,
        to: &str,
        from: &str,
        part: usize,
        parts: usize,
        role: Role,
    ) -> Result<(), ImportError> {
        let var = self.model.require(from)?;
        let rows = var.shape[0];
        if rows % parts != 0 {
            return Err(ImportError::NotCt2(format!(
                "{from} has {rows} rows, not divisible into {parts} projections"
            )));
        }
        let per = rows / parts;
        let width: usize = var.shape[1..].iter().product();
        let values = self.model.dequantized(from)?;
        let slice = values[part * per * width..(part + 1) * per * width].to_vec();
        let mut ne: Vec<usize> = var.shape[1..].iter().rev().copied().collect();
        ne.push(per);
        self.tensors.push(Tensor {
            name: to.to_string(),
            ne,
            values: slice,
            role,
        });
        Ok(())
    }

    /// A linear layer: weight (matrix) and bias (plain).
    fn linear(&mut self, to: &str, from: &str) -> Result<(), ImportError> {
        self.copy(
            &format!("{to}.weight"),
            &format!("{from}/weight"),
            Role::Matrix,
        )?;
        self.copy(&format!("{to}.bias"), &format!("{from}/bias"), Role::Plain)
    }

    /// A layer norm: its gamma and beta as weight and bias.
    fn layer_norm(&mut self, to: &str, from: &str) -> Result<(), ImportError> {
        self.copy(
            &format!("{to}.weight"),
            &format!("{from}/gamma"),
            Role::Plain,
        )?;
        self.copy(&format!("{to}.bias"), &format!("{from}/beta"), Role::Plain)
    }

    /// Fused q,k,v self-attention projection → three; k has no bias.
    fn qkv(&mut self, to: &str, from: &str) -> Result<(), ImportError> {
        let (w, b) = (format!("{from}/weight"), format!("{from}/bias"));
        self.split(&format!("{to}.query.weight"), &w, 0, 3, Role::Matrix)?;
        self.split(&format!("{to}.query.bias"), &b, 0, 3, Role::Plain)?;
        self.split(&format!("{to}.key.weight"), &w, 1, 3, Role::Matrix)?;
        self.split(&format!("{to}.value.weight"), &w, 2, 3, Role::Matrix)?;
        self.split(&format!("{to}.value.bias"), &b, 2, 3, Role::Plain)
    }

    /// Fused k,v cross-attention projection → two; k has no bias.
    fn kv(&mut self, to: &str, from: &str) -> Result<(), ImportError> {
        let (w, b) = (format!("{from}/weight"), format!("{from}/bias"));
        self.split(&format!("{to}.key.weight"), &w, 0, 2, Role::Matrix)?;
        self.split(&format!("{to}.value.weight"), &w, 1, 2, Role::Matrix)?;
        self.split(&format!("{to}.value.bias"), &b, 1, 2, Role::Plain)
    }

    /// The encoder: positional embedding, the two convolutions, `n_layers`
    /// blocks and the final layer norm.
    fn encoder(&mut self, n_layers: usize) -> Result<(), ImportError> {
        self.copy(
            "encoder.positional_embedding",
            "encoder/position_encodings/encodings",
            Role::Plain,
        )?;
        for conv in ["conv1", "conv2"] {
            self.copy(
                &format!("encoder.{conv}.weight"),
                &format!("encoder/{conv}/weight"),
                Role::ConvKernel,
            )?;
            self.copy(
                &format!("encoder.{conv}.bias"),
                &format!("encoder/{conv}/bias"),
                Role::Plain,
            )?;
        }
        for i in 0..n_layers {
            self.encoder_block(i)?;
        }
        self.layer_norm("encoder.ln_post", "encoder/layer_norm")
    }

    /// Encoder block `i`: self-attention and MLP, each after its layer norm.
    fn encoder_block(&mut self, i: usize) -> Result<(), ImportError> {
        let (to, from) = (format!("encoder.blocks.{i}"), format!("encoder/layer_{i}"));
        self.self_attention(&to, &from)?;
        self.mlp(&to, &from)
    }

    /// A block's self-attention (`to`: whisper.cpp's block prefix, `from`:
    /// CTranslate2's layer prefix): its layer norm, fused q/k/v, output.
    fn self_attention(&mut self, to: &str, from: &str) -> Result<(), ImportError> {
        self.layer_norm(
            &format!("{to}.attn_ln"),
            &format!("{from}/self_attention/layer_norm"),
        )?;
        self.qkv(
            &format!("{to}.attn"),
            &format!("{from}/self_attention/linear_0"),
        )?;
        self.linear(
            &format!("{to}.attn.out"),
            &format!("{from}/self_attention/linear_1"),
        )
    }

    /// A block's MLP: its layer norm and two linear layers.
    fn mlp(&mut self, to: &str, from: &str) -> Result<(), ImportError> {
        self.layer_norm(&format!("{to}.mlp_ln"), &format!("{from}/ffn/layer_norm"))?;
        self.linear(&format!("{to}.mlp.0"), &format!("{from}/ffn/linear_0"))?;
        self.linear(&format!("{to}.mlp.2"), &format!("{from}/ffn/linear_1"))
    }

    /// The decoder: positional and token embeddings, `n_layers` blocks and
    /// the final layer norm.
    fn decoder(&mut self, n_layers: usize) -> Result<(), ImportError> {
        self.copy(
            "decoder.positional_embedding",
            "decoder/position_encodings/encodings",
            Role::Plain,
        )?;
        self.copy(
            "decoder.token_embedding.weight",
            "decoder/embeddings/weight",
            Role::Matrix,
        )?;
        for i in 0..n_layers {
            self.decoder_block(i)?;
        }
        self.layer_norm("decoder.ln", "decoder/layer_norm")
    }

    /// Decoder block `i`: self-attention, cross-attention and MLP, each
    /// after its layer norm.
    fn decoder_block(&mut self, i: usize) -> Result<(), ImportError> {
        let (to, from) = (format!("decoder.blocks.{i}"), format!("decoder/layer_{i}"));
        self.self_attention(&to, &from)?;
        self.layer_norm(
            &format!("{to}.cross_attn_ln"),
            &format!("{from}/attention/layer_norm"),
        )?;
        self.linear(
            &format!("{to}.cross_attn.query"),
            &format!("{from}/attention/linear_0"),
        )?;
        self.kv(
            &format!("{to}.cross_attn"),
            &format!("{from}/attention/linear_1"),
        )?;
        self.linear(
            &format!("{to}.cross_attn.out"),
            &format!("{from}/attention/linear_2"),
        )?;
        self.mlp(&to, &from)
    }
}

/// The hyper-parameters of a CTranslate2 Whisper model, from its
/// variables' shapes, head counts and layers.
fn hparams_of(model: &Ct2Model) -> Result<Hparams, ImportError> {
    let n_audio_layer = count_layers(model, "encoder/");
    let n_text_layer = count_layers(model, "decoder/");
    let heads = |name: &str| -> Result<i32, ImportError> {
        model
            .require(name)?
            .scalar_i64()
            .map(|v| v as i32)
            .ok_or_else(|| ImportError::NotCt2(format!("{name} is empty")))
    };
    let hparams = Hparams {
        n_vocab: dim(model, "decoder/embeddings/weight", 0)? as i32,
        n_audio_ctx: dim(model, "encoder/position_encodings/encodings", 0)? as i32,
        n_audio_state: dim(model, "encoder/position_encodings/encodings", 1)? as i32,
        n_audio_head: heads("encoder/num_heads")?,
        n_audio_layer: n_audio_layer as i32,
        n_text_ctx: dim(model, "decoder/position_encodings/encodings", 0)? as i32,
        n_text_state: dim(model, "decoder/embeddings/weight", 1)? as i32,
        n_text_head: heads("decoder/num_heads")?,
        n_text_layer: n_text_layer as i32,
        n_mels: dim(model, "encoder/conv1/weight", 1)? as i32,
        ftype: 1,
    };
    if n_audio_layer == 0 || n_text_layer == 0 {
        return Err(ImportError::NotCt2(
            "the model has no encoder or decoder layers".into(),
        ));
    }
    Ok(hparams)
}

/// The text tokens of `vocabulary.txt`, which must have one line per row
/// of the model's embedding.
fn text_tokens(vocabulary: &str, hparams: &Hparams) -> Result<Vec<Vec<u8>>, ImportError> {
    let vocab = vocab::text_tokens_from_vocabulary(vocabulary)?;
    let vocab_lines = vocabulary.lines().count();
    if vocab_lines != hparams.n_vocab as usize {
        return Err(ImportError::NotCt2(format!(
            "vocabulary.txt has {vocab_lines} tokens but the model's embedding has {}",
            hparams.n_vocab
        )));
    }
    Ok(vocab)
}

/// Converts a parsed CTranslate2 Whisper model and its vocabulary.
pub fn convert(model: &Ct2Model, vocabulary: &str) -> Result<Converted, ImportError> {
    if model.spec_name != "WhisperSpec" {
        return Err(ImportError::NotWhisper(model.spec_name.clone()));
    }
    let hparams = hparams_of(model)?;
    let vocab = text_tokens(vocabulary, &hparams)?;
    let mut m = Mapper {
        model,
        tensors: Vec::new(),
    };
    m.encoder(hparams.n_audio_layer as usize)?;
    m.decoder(hparams.n_text_layer as usize)?;
    Ok(Converted {
        hparams,
        mel_filters: mel::mel_filters(hparams.n_mels as usize),
        vocab,
        tensors: m.tensors,
    })
}

/// The default file name for an imported model, e.g. `ggml-tiny.en-q8_0.bin`.
pub fn default_file_name(hparams: &Hparams, weight_type: WeightType) -> String {
    let lang = if hparams.is_multilingual() { "" } else { ".en" };
    let quant = match weight_type {
        WeightType::F16 => String::new(),
        other => format!("-{}", other.name()),
    };
    format!("ggml-{}{lang}{quant}.bin", hparams.size_name())
}

/// What an import produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportReport {
    /// The file written.
    pub output: PathBuf,
    /// Where the source model was read.
    pub source: String,
    /// Hyper-parameters written.
    pub hparams: Hparams,
    /// Weight type written.
    pub weight_type: WeightType,
    /// Number of tensors.
    pub tensors: usize,
    /// Size of the file in bytes.
    pub bytes: u64,
}

/// Reads `src`, converts it and writes `out` (or the default name under
/// `default_dir`) atomically.
pub fn import(
    src: &[PathBuf],
    out: Option<&Path>,
    default_dir: &Path,
    weight_type: WeightType,
) -> Result<ImportReport, ImportError> {
    let files = read_ct2_sources(src)?;
    let model = Ct2Model::parse(&files.model_bin).map_err(|e| match e {
        // parts 1..=n joined and still short: the next part is missing
        ImportError::Truncated(_) if files.parts > 0 => {
            ImportError::MissingPart(format!("model.bin.part{}", files.parts + 1))
        }
        e => e,
    })?;
    drop(files.model_bin);
    let converted = convert(&model, &files.vocabulary)?;
    drop(model);
    let output = match out {
        Some(p) if p.is_dir() => p.join(default_file_name(&converted.hparams, weight_type)),
        Some(p) => p.to_path_buf(),
        None => default_dir.join(default_file_name(&converted.hparams, weight_type)),
    };
    crate::atomic::write_atomic(&output, |file| {
        let mut w = BufWriter::new(file);
        ggml::write_model(
            &mut w,
            &converted.hparams,
            weight_type,
            &converted.mel_filters,
            &converted.vocab,
            &converted.tensors,
        )?;
        w.into_inner().map_err(|e| e.into_error())?;
        Ok::<(), ImportError>(())
    })?;
    let bytes = std::fs::metadata(&output)?.len();
    let mut hparams = converted.hparams;
    hparams.ftype = weight_type.ftype();
    Ok(ImportReport {
        output,
        source: files.origin,
        hparams,
        weight_type,
        tensors: converted.tensors.len(),
        bytes,
    })
}
