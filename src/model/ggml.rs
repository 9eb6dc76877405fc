//! The ggml Whisper file format whisper.cpp loads: writer and header reader.
//!
//! Layout (all little endian): magic `ggml`, eleven i32 hyper-parameters, the
//! mel filterbank, the text vocabulary as length-prefixed raw bytes, then
//! tensors until the end of the file, each with its dimensions (innermost
//! first), name, ggml type and raw data. Quantized files are written with
//! ggml's own quantizer (`ggml_quantize_chunk`), so they are the bytes
//! whisper.cpp's quantize tool would produce from the f16 file.

use std::io::{self, Read, Write};
use std::path::Path;

use half::f16;

use super::ImportError;

/// `ggml` as a little-endian u32.
pub const MAGIC: u32 = 0x6767_6d6c;
/// ggml's quantization format version; quantized files store
/// `1000 * QNT_VERSION + ftype` as their ftype.
pub const QNT_VERSION: i32 = 2;

/// The weight encoding of a ggml Whisper file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightType {
    /// Every tensor f32.
    F32,
    /// Matrices and conv kernels in half precision (the usual release format).
    F16,
    /// 8-bit blocks of 32 with one f16 scale (ggml `q8_0`).
    Q8_0,
    /// 5-bit blocks of 32 with f16 scale and minimum (ggml `q5_1`).
    Q5_1,
    /// Another quantization whisper.cpp knows (q4_0, q5_0, ...), by ftype code.
    Other(i32),
}

impl WeightType {
    /// The hparams `ftype` value written for this type.
    pub fn ftype(self) -> i32 {
        match self {
            WeightType::F32 => 0,
            WeightType::F16 => 1,
            WeightType::Q8_0 => 1000 * QNT_VERSION + 7,
            WeightType::Q5_1 => 1000 * QNT_VERSION + 9,
            WeightType::Other(code) => code,
        }
    }

    /// Reads an hparams `ftype` value.
    pub fn from_ftype(ftype: i32) -> WeightType {
        match ftype % 1000 {
            0 => WeightType::F32,
            1 => WeightType::F16,
            7 => WeightType::Q8_0,
            9 => WeightType::Q5_1,
            _ => WeightType::Other(ftype),
        }
    }

    /// Short lowercase name, as used on the command line.
    pub fn name(self) -> String {
        match self {
            WeightType::F32 => "f32".into(),
            WeightType::F16 => "f16".into(),
            WeightType::Q8_0 => "q8_0".into(),
            WeightType::Q5_1 => "q5_1".into(),
            WeightType::Other(code) => match code % 1000 {
                2 => "q4_0".into(),
                3 => "q4_1".into(),
                8 => "q5_0".into(),
                c => format!("ftype {c}"),
            },
        }
    }

    /// The ggml tensor type used for 2-D weight matrices.
    fn matrix_ggml_type(self) -> u32 {
        match self {
            WeightType::F32 => 0,
            WeightType::F16 | WeightType::Other(_) => 1,
            WeightType::Q8_0 => whisper_rs_sys::ggml_type_GGML_TYPE_Q8_0,
            WeightType::Q5_1 => whisper_rs_sys::ggml_type_GGML_TYPE_Q5_1,
        }
    }
}

/// Whisper's hyper-parameters as stored in a ggml file, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Hparams {
    /// Vocabulary size (51864 English-only, 51865+ multilingual).
    pub n_vocab: i32,
    /// Encoder positions (1500 = 30 s).
    pub n_audio_ctx: i32,
    /// Encoder width.
    pub n_audio_state: i32,
    /// Encoder attention heads.
    pub n_audio_head: i32,
    /// Encoder layers.
    pub n_audio_layer: i32,
    /// Decoder positions (448).
    pub n_text_ctx: i32,
    /// Decoder width.
    pub n_text_state: i32,
    /// Decoder attention heads.
    pub n_text_head: i32,
    /// Decoder layers.
    pub n_text_layer: i32,
    /// Mel bands (80, or 128 for large-v3).
    pub n_mels: i32,
    /// Weight type code (see [`WeightType::ftype`]).
    pub ftype: i32,
}

impl Hparams {
    fn to_array(self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    /// The model size by encoder depth, as whisper.cpp names it.
    pub fn size_name(&self) -> &'static str {
        match self.n_audio_layer {
            4 => "tiny",
            6 => "base",
            12 => "small",
            24 => "medium",
            32 => "large",
            _ => "unknown",
        }
    }

    /// Multilingual models have the 99 language tokens plus one more id.
    pub fn is_multilingual(&self) -> bool {
        self.n_vocab >= 51865
    }
}

/// Reads the magic and hyper-parameters at the start of a ggml file.
pub fn read_header(path: &Path) -> io::Result<Hparams> {
    let mut f = std::fs::File::open(path)?;
    let mut buf = [0u8; 48];
    f.read_exact(&mut buf)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "too short to be a ggml model"))?;
    let word =
        |i: usize| i32::from_le_bytes([buf[4 * i], buf[4 * i + 1], buf[4 * i + 2], buf[4 * i + 3]]);
    if word(0) as u32 != MAGIC {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "does not start with the ggml magic (not a whisper.cpp model)",
        ));
    }
    let h = Hparams {
        n_vocab: word(1),
        n_audio_ctx: word(2),
        n_audio_state: word(3),
        n_audio_head: word(4),
        n_audio_layer: word(5),
        n_text_ctx: word(6),
        n_text_state: word(7),
        n_text_head: word(8),
        n_text_layer: word(9),
        n_mels: word(10),
        ftype: word(11),
    };
    let sane = h.n_vocab > 50_000
        && h.n_vocab < 60_000
        && [
            h.n_audio_layer,
            h.n_text_layer,
            h.n_audio_head,
            h.n_text_head,
        ]
        .iter()
        .all(|&v| (1..=64).contains(&v))
        && (1..=256).contains(&h.n_mels);
    if !sane {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("has a ggml header but not Whisper's hyper-parameters ({h:?})"),
        ));
    }
    Ok(h)
}

/// How a tensor is stored, which decides its ggml type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A 2-D weight matrix or the token embedding: f16 or quantized.
    Matrix,
    /// A 3-D conv kernel: f16 (never quantized).
    ConvKernel,
    /// Biases, norms, positional embeddings: always f32.
    Plain,
}

/// A tensor ready to be written.
#[derive(Debug, Clone)]
pub struct Tensor {
    /// whisper.cpp's name, e.g. `encoder.blocks.0.attn.query.weight`.
    pub name: String,
    /// Dimensions innermost first (numpy shape reversed).
    pub ne: Vec<usize>,
    /// Values, row-major in numpy order.
    pub values: Vec<f32>,
    /// How it is stored.
    pub role: Role,
}

fn put_i32(out: &mut impl Write, v: i32) -> io::Result<()> {
    out.write_all(&v.to_le_bytes())
}

fn quantize(ggml_type: u32, values: &[f32], n_per_row: usize) -> Vec<u8> {
    let nrows = values.len() / n_per_row;
    // SAFETY: ggml_row_size is a pure function of its arguments.
    let row_size = unsafe { whisper_rs_sys::ggml_row_size(ggml_type, n_per_row as i64) };
    let mut dst = vec![0u8; row_size * nrows];
    // SAFETY: `values` holds nrows * n_per_row floats and `dst` has room for
    // nrows quantized rows of that width, as ggml_row_size computed; no
    // importance matrix is passed (q8_0/q5_1 do not require one).
    let written = unsafe {
        whisper_rs_sys::ggml_quantize_chunk(
            ggml_type,
            values.as_ptr(),
            dst.as_mut_ptr().cast(),
            0,
            nrows as i64,
            n_per_row as i64,
            std::ptr::null(),
        )
    };
    assert_eq!(
        written,
        dst.len(),
        "ggml_quantize_chunk wrote an unexpected size"
    );
    dst
}

/// Writes a whole ggml Whisper file.
pub fn write_model(
    out: &mut impl Write,
    hparams: &Hparams,
    weight_type: WeightType,
    mel_filters: &[f32],
    vocab: &[Vec<u8>],
    tensors: &[Tensor],
) -> Result<(), ImportError> {
    put_i32(out, MAGIC as i32)?;
    let mut h = *hparams;
    h.ftype = weight_type.ftype();
    for v in h.to_array() {
        put_i32(out, v)?;
    }
    let n_bins = mel_filters.len() / h.n_mels as usize;
    put_i32(out, h.n_mels)?;
    put_i32(out, n_bins as i32)?;
    for v in mel_filters {
        out.write_all(&v.to_le_bytes())?;
    }
    put_i32(out, vocab.len() as i32)?;
    for tok in vocab {
        out.write_all(&(tok.len() as u32).to_le_bytes())?;
        out.write_all(tok)?;
    }
    for t in tensors {
        let ggml_type = match (t.role, weight_type) {
            (Role::Plain, _) | (_, WeightType::F32) => 0,
            (Role::ConvKernel, _) => 1,
            (Role::Matrix, wt) => wt.matrix_ggml_type(),
        };
        if t.values.len() != t.ne.iter().product::<usize>() {
            return Err(ImportError::NotCt2(format!(
                "tensor {} has {} values for shape {:?}",
                t.name,
                t.values.len(),
                t.ne
            )));
        }
        put_i32(out, t.ne.len() as i32)?;
        put_i32(out, t.name.len() as i32)?;
        put_i32(out, ggml_type as i32)?;
        for &n in &t.ne {
            put_i32(out, n as i32)?;
        }
        out.write_all(t.name.as_bytes())?;
        match ggml_type {
            0 => {
                for v in &t.values {
                    out.write_all(&v.to_le_bytes())?;
                }
            }
            1 => {
                for v in &t.values {
                    out.write_all(&f16::from_f32(*v).to_le_bytes())?;
                }
            }
            q => {
                // Exactly what whisper.cpp's quantizer does to an f16 file:
                // widen the f16 weights to f32, then quantize row by row.
                let widened: Vec<f32> = t
                    .values
                    .iter()
                    .map(|&v| f16::from_f32(v).to_f32())
                    .collect();
                out.write_all(&quantize(q, &widened, t.ne[0]))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ftype_codes_match_whisper_cpp() {
        assert_eq!(WeightType::F16.ftype(), 1);
        assert_eq!(WeightType::Q8_0.ftype(), 2007);
        assert_eq!(WeightType::Q5_1.ftype(), 2009);
        for wt in [
            WeightType::F32,
            WeightType::F16,
            WeightType::Q8_0,
            WeightType::Q5_1,
        ] {
            assert_eq!(WeightType::from_ftype(wt.ftype()), wt);
        }
    }

    #[test]
    fn q8_0_rows_have_ggml_block_size() {
        // 64 values = 2 blocks of 32 → 2 × (2-byte scale + 32 bytes)
        let v: Vec<f32> = (0..64).map(|i| i as f32 / 10.0).collect();
        let q = quantize(whisper_rs_sys::ggml_type_GGML_TYPE_Q8_0, &v, 64);
        assert_eq!(q.len(), 68);
        // second block's max is 6.3 → scale 6.3/127, last value quantizes to 127
        assert_eq!(q[34 + 2 + 31] as i8, 127);
    }
}
