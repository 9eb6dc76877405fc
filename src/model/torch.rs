//! Reading float tensors out of a PyTorch checkpoint without Python.
//!
//! The speaker encoder clipper uses is published as a PyTorch `.pt` file in
//! the *legacy* serialisation (PyTorch before 1.6): five pickles in a row
//! (magic number, protocol version, system info, the object itself, the
//! list of storage keys) followed by each storage's raw bytes. The object
//! pickle names tensors by `torch._utils._rebuild_tensor_v2(storage,
//! offset, size, stride, …)` calls whose storages are persistent ids. This
//! module runs the small subset of the pickle machine those files use and
//! returns every float32 tensor of the state dict it is asked for; anything
//! else in the file (optimiser state, step counters) is read past.
//!
//! Newer zip-format checkpoints (`data.pkl` in a zip) are recognised and
//! refused with a message, since no model clipper installs uses them.

use std::collections::HashMap;

/// A float32 tensor: its shape (row-major) and values.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    /// Sizes, outermost first.
    pub shape: Vec<usize>,
    /// Values in row-major order.
    pub data: Vec<f32>,
}

/// Why a checkpoint could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TorchError {
    /// The bytes end inside a pickle or a storage.
    #[error("the checkpoint ends early ({0}); download it again")]
    Truncated(&'static str),
    /// A pickle instruction clipper does not interpret.
    #[error("unsupported pickle instruction 0x{0:02x} at byte {1}; this is not a checkpoint clipper can read")]
    Opcode(u8, usize),
    /// A zip-format checkpoint (PyTorch 1.6 and later).
    #[error("this is a zip-format PyTorch checkpoint; clipper reads only the legacy format the speaker model ships in")]
    ZipFormat,
    /// The structure is not what a state dict looks like.
    #[error("not a PyTorch checkpoint clipper understands: {0}")]
    Shape(String),
}

/// A value on the pickle machine's stack. Only what checkpoints use is
/// modelled; everything else becomes `Other`.
#[derive(Debug, Clone)]
enum Value {
    None,
    Int(i64),
    Str(String),
    Tuple(Vec<Value>),
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    Global(String),
    Storage { key: String, float: bool },
    Tensor(TensorRef),
    Mark,
    Other,
}

/// A tensor as the pickle describes it: a view into a storage.
#[derive(Debug, Clone)]
struct TensorRef {
    key: String,
    float: bool,
    offset: usize,
    shape: Vec<usize>,
    stride: Vec<usize>,
}

/// A reader over the checkpoint bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TorchError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or(TorchError::Truncated("inside a pickle"))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, TorchError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, TorchError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn u32(&mut self) -> Result<u32, TorchError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn line(&mut self) -> Result<String, TorchError> {
        let rest = &self.bytes[self.pos..];
        let n = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or(TorchError::Truncated("inside a name"))?;
        let s = String::from_utf8_lossy(&rest[..n]).into_owned();
        self.pos += n + 1;
        Ok(s)
    }
}

/// Pops values down to the last mark.
fn pop_mark(stack: &mut Vec<Value>) -> Result<Vec<Value>, TorchError> {
    let at = stack
        .iter()
        .rposition(|v| matches!(v, Value::Mark))
        .ok_or_else(|| TorchError::Shape("a pickle mark is missing".into()))?;
    let items = stack.split_off(at + 1);
    stack.pop();
    Ok(items)
}

fn pop(stack: &mut Vec<Value>) -> Result<Value, TorchError> {
    stack
        .pop()
        .ok_or_else(|| TorchError::Shape("the pickle stack ran empty".into()))
}

/// A `REDUCE`: the calls checkpoints make.
fn reduce(callable: Value, args: Value) -> Value {
    let (Value::Global(name), Value::Tuple(args)) = (callable, args) else {
        return Value::Other;
    };
    match name.as_str() {
        "collections.OrderedDict" => Value::Dict(Vec::new()),
        "torch._utils._rebuild_tensor_v2" | "torch._utils._rebuild_tensor" => {
            let dims = |v: Option<&Value>| -> Option<Vec<usize>> {
                match v? {
                    Value::Tuple(items) => items
                        .iter()
                        .map(|i| match i {
                            Value::Int(n) => usize::try_from(*n).ok(),
                            _ => None,
                        })
                        .collect(),
                    _ => None,
                }
            };
            match (
                args.first(),
                args.get(1),
                dims(args.get(2)),
                dims(args.get(3)),
            ) {
                (
                    Some(Value::Storage { key, float }),
                    Some(Value::Int(offset)),
                    Some(shape),
                    Some(stride),
                ) => Value::Tensor(TensorRef {
                    key: key.clone(),
                    float: *float,
                    offset: *offset as usize,
                    shape,
                    stride,
                }),
                _ => Value::Other,
            }
        }
        _ => Value::Other,
    }
}

/// A persistent id: `('storage', torch.FloatStorage, key, location, size, view)`.
fn storage(pid: Value) -> Value {
    match pid {
        Value::Tuple(items) => match (items.get(1), items.get(2)) {
            (Some(Value::Global(kind)), Some(Value::Str(key))) => Value::Storage {
                key: key.clone(),
                float: kind == "torch.FloatStorage",
            },
            _ => Value::Other,
        },
        _ => Value::Other,
    }
}

/// The instructions that build containers and objects from the stack:
/// tuples, calls, persistent ids, dictionary and list items. False for an
/// instruction it does not know.
fn build(op: u8, stack: &mut Vec<Value>) -> Result<bool, TorchError> {
    match op {
        b't' => {
            let items = pop_mark(stack)?;
            stack.push(Value::Tuple(items));
        }
        0x85..=0x87 => {
            let n = (op - 0x84) as usize;
            if stack.len() < n {
                return Err(TorchError::Shape("a tuple lacks its items".into()));
            }
            let items = stack.split_off(stack.len() - n);
            stack.push(Value::Tuple(items));
        }
        b'R' => {
            let args = pop(stack)?;
            let callable = pop(stack)?;
            stack.push(reduce(callable, args));
        }
        b'Q' => {
            let pid = pop(stack)?;
            stack.push(storage(pid));
        }
        b'b' => {
            pop(stack)?;
        }
        b's' | b'u' => {
            let items = if op == b's' {
                let v = pop(stack)?;
                let k = pop(stack)?;
                vec![k, v]
            } else {
                pop_mark(stack)?
            };
            if let Some(Value::Dict(d)) = stack.last_mut() {
                let mut it = items.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    d.push((k, v));
                }
            }
        }
        b'a' | b'e' => {
            let items = if op == b'a' {
                vec![pop(stack)?]
            } else {
                pop_mark(stack)?
            };
            if let Some(Value::List(l)) = stack.last_mut() {
                l.extend(items);
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Runs one pickle from the reader's position to its `STOP`.
fn unpickle(r: &mut Reader) -> Result<Value, TorchError> {
    let mut stack: Vec<Value> = Vec::new();
    let mut memo: HashMap<u32, Value> = HashMap::new();
    loop {
        let at = r.pos;
        let op = r.u8()?;
        match op {
            0x80 => {
                r.u8()?;
            }
            b'.' => return pop(&mut stack),
            b'}' => stack.push(Value::Dict(Vec::new())),
            b']' => stack.push(Value::List(Vec::new())),
            b')' => stack.push(Value::Tuple(Vec::new())),
            b'(' => stack.push(Value::Mark),
            b'N' => stack.push(Value::None),
            0x88 | 0x89 => stack.push(Value::Other), // True, False
            b'K' => stack.push(Value::Int(r.u8()? as i64)),
            b'M' => stack.push(Value::Int(r.u16()? as i64)),
            b'J' => stack.push(Value::Int(r.u32()? as i32 as i64)),
            0x8a => {
                let n = r.u8()? as usize;
                let b = r.take(n)?;
                let mut v: i64 = 0;
                for (i, byte) in b.iter().take(8).enumerate() {
                    v |= (*byte as i64) << (8 * i);
                }
                if n > 0 && n < 8 && b[n - 1] & 0x80 != 0 {
                    v -= 1i64 << (8 * n);
                }
                stack.push(Value::Int(v));
            }
            b'G' => {
                r.take(8)?; // a float (optimiser settings)
                stack.push(Value::Other);
            }
            b'X' => {
                let n = r.u32()? as usize;
                stack.push(Value::Str(String::from_utf8_lossy(r.take(n)?).into_owned()));
            }
            b'c' => {
                let module = r.line()?;
                let name = r.line()?;
                stack.push(Value::Global(format!("{module}.{name}")));
            }
            b'q' | b'r' => {
                let k = if op == b'q' { r.u8()? as u32 } else { r.u32()? };
                let top = stack.last().cloned().unwrap_or(Value::None);
                memo.insert(k, top);
            }
            b'h' | b'j' => {
                let k = if op == b'h' { r.u8()? as u32 } else { r.u32()? };
                stack.push(memo.get(&k).cloned().unwrap_or(Value::Other));
            }
            _ => {
                if !build(op, &mut stack)? {
                    return Err(TorchError::Opcode(op, at));
                }
            }
        }
    }
}

/// Reads the float tensors of the state dict stored under `key` (e.g.
/// `model_state`) in a legacy PyTorch checkpoint, by parameter name.
pub fn read_state_dict(bytes: &[u8], key: &str) -> Result<Vec<(String, Tensor)>, TorchError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(TorchError::ZipFormat);
    }
    let mut r = Reader { bytes, pos: 0 };
    for _ in 0..3 {
        unpickle(&mut r)?; // magic number, protocol version, system info
    }
    let object = unpickle(&mut r)?;
    let Value::List(keys) = unpickle(&mut r)? else {
        return Err(TorchError::Shape("the storage key list is missing".into()));
    };
    // Each storage: its element count (i64), then its bytes; all float32 here.
    let mut storages: HashMap<String, &[u8]> = HashMap::new();
    for k in keys {
        let Value::Str(k) = k else {
            return Err(TorchError::Shape("a storage key is not a string".into()));
        };
        let count = u64::from_le_bytes(
            r.take(8)
                .map_err(|_| TorchError::Truncated("in the storages"))?
                .try_into()
                .unwrap(),
        ) as usize;
        let data = r
            .take(count.saturating_mul(4))
            .map_err(|_| TorchError::Truncated("in the storages"))?;
        storages.insert(k, data);
    }
    let Value::Dict(top) = object else {
        return Err(TorchError::Shape(
            "the checkpoint is not a dictionary".into(),
        ));
    };
    let state = top
        .into_iter()
        .find(|(k, _)| matches!(k, Value::Str(s) if s == key))
        .map(|(_, v)| v);
    let Some(Value::Dict(state)) = state else {
        return Err(TorchError::Shape(format!("no {key:?} entry")));
    };
    let mut out = Vec::new();
    for (name, value) in state {
        if let (Value::Str(name), Value::Tensor(t)) = (name, value) {
            let data = storages
                .get(&t.key)
                .ok_or_else(|| TorchError::Shape(format!("storage of {name} is missing")))?;
            out.push((name.clone(), gather(&t, data, &name)?));
        }
    }
    Ok(out)
}

/// Copies a (possibly strided) view out of its storage, row-major.
fn gather(t: &TensorRef, storage: &[u8], name: &str) -> Result<Tensor, TorchError> {
    if !t.float || t.shape.len() != t.stride.len() {
        return Err(TorchError::Shape(format!("{name} is not a float32 tensor")));
    }
    let count: usize = t.shape.iter().product();
    let values = storage.len() / 4;
    let mut data = Vec::with_capacity(count);
    let mut index = vec![0usize; t.shape.len()];
    for _ in 0..count {
        let at = t.offset
            + index
                .iter()
                .zip(&t.stride)
                .map(|(i, s)| i * s)
                .sum::<usize>();
        if at >= values {
            return Err(TorchError::Truncated("a tensor reaches past its storage"));
        }
        data.push(f32::from_le_bytes(
            storage[at * 4..at * 4 + 4].try_into().unwrap(),
        ));
        for d in (0..index.len()).rev() {
            index[d] += 1;
            if index[d] < t.shape[d] {
                break;
            }
            index[d] = 0;
        }
    }
    Ok(Tensor {
        shape: t.shape.clone(),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A legacy checkpoint written by hand: `{"model_state": OrderedDict(w:
    /// a 2×2 tensor at offset 1 of a 5-float storage, transposed)}`.
    fn tiny_checkpoint() -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(b"\x80\x02\x8a\x02\x01\x02."); // magic
        b.extend(b"\x80\x02M\xe9\x03."); // protocol
        b.extend(b"\x80\x02}."); // sys info
        let s = |b: &mut Vec<u8>, t: &str| {
            b.push(b'X');
            b.extend((t.len() as u32).to_le_bytes());
            b.extend(t.as_bytes());
        };
        b.extend(b"\x80\x02}(");
        s(&mut b, "model_state");
        b.extend(b"ccollections\nOrderedDict\n)R(");
        s(&mut b, "w");
        b.extend(b"ctorch._utils\n_rebuild_tensor_v2\n((");
        s(&mut b, "storage");
        b.extend(b"ctorch\nFloatStorage\n");
        s(&mut b, "k1");
        s(&mut b, "cpu");
        b.extend(b"K\x05NtQK\x01K\x02K\x02\x86K\x01K\x02\x86\x89tRuu.");
        b.extend(b"\x80\x02](");
        s(&mut b, "k1");
        b.extend(b"e.");
        b.extend(5u64.to_le_bytes());
        for v in [9.0f32, 1.0, 2.0, 3.0, 4.0] {
            b.extend(v.to_le_bytes());
        }
        b
    }

    #[test]
    fn reads_a_strided_tensor_from_a_hand_written_checkpoint() {
        let got = read_state_dict(&tiny_checkpoint(), "model_state").unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "w");
        assert_eq!(got[0].1.shape, vec![2, 2]);
        // offset 1, stride (1, 2): rows are [1, 3] and [2, 4]
        assert_eq!(got[0].1.data, vec![1.0, 3.0, 2.0, 4.0]);
    }

    #[test]
    fn a_cut_checkpoint_and_a_zip_are_refused_by_name() {
        let full = tiny_checkpoint();
        let err = read_state_dict(&full[..full.len() - 3], "model_state").unwrap_err();
        assert!(err.to_string().contains("download it again"), "{err}");
        let err = read_state_dict(b"PK\x03\x04rest", "model_state").unwrap_err();
        assert!(matches!(err, TorchError::ZipFormat));
        let err = read_state_dict(&full, "optimizer").unwrap_err();
        assert!(err.to_string().contains("optimizer"), "{err}");
    }
}
