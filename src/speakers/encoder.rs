//! The GE2E speaker encoder in plain Rust: three LSTM layers over 160 mel
//! frames, the last hidden state through a 256→256 linear layer and a
//! ReLU, then scaled to unit length.
//!
//! Windows are run in batches so every step is a matrix product: a
//! layer's input projections for all frames and windows in one product,
//! then per frame the recurrent product over the batch. The product is a
//! plain loop built twice, once for AVX2/FMA (picked at run time); it
//! measured faster here than `matrixmultiply`'s sgemm, which repacks the
//! 1 MB recurrent weights and allocates on every one of the 160 steps. The gates follow
//! PyTorch's `nn.LSTM` (input, forget, cell, output; both biases added).

use std::path::Path;

use crate::model::speaker::SpeakerWeights;
use crate::model::ImportError;

use super::mel::N_MELS;

/// Hidden units per LSTM layer.
pub const HIDDEN: usize = 256;
/// Length of an embedding.
pub const EMBEDDING: usize = 256;
const GATES: usize = 4 * HIDDEN;

struct Layer {
    input: usize,
    /// `input × 4H` (PyTorch's `4H × input`, transposed).
    w_ih: Vec<f32>,
    /// `H × 4H` (transposed likewise).
    w_hh: Vec<f32>,
    /// `b_ih + b_hh`.
    bias: Vec<f32>,
}

/// A loaded speaker encoder.
pub struct Encoder {
    layers: Vec<Layer>,
    /// `256 × 256`, transposed.
    linear_w: Vec<f32>,
    linear_b: Vec<f32>,
}

/// `c (m × n) += a (m × k) · bt (k × n)`, all row-major. Two rows of `c`
/// are built at once from four rows of `bt` at a time, so each value of
/// `bt` loaded serves two outputs and each output row is loaded and stored
/// once per four products; the rows stay in L1 while `bt` streams past.
/// Plain loops the compiler vectorises; [`matmul`] picks an AVX-512 or
/// AVX2/FMA build at run time.
#[inline(always)]
fn matmul_body(m: usize, k: usize, n: usize, a: &[f32], bt: &[f32], c: &mut [f32]) {
    let mut i = 0;
    while i + 2 <= m {
        let (top, bottom) = c[i * n..(i + 2) * n].split_at_mut(n);
        let (x, y) = (&a[i * k..(i + 1) * k], &a[(i + 1) * k..(i + 2) * k]);
        let mut kk = 0;
        while kk + 4 <= k {
            let b0 = &bt[kk * n..(kk + 1) * n];
            let b1 = &bt[(kk + 1) * n..(kk + 2) * n];
            let b2 = &bt[(kk + 2) * n..(kk + 3) * n];
            let b3 = &bt[(kk + 3) * n..(kk + 4) * n];
            let (x0, x1, x2, x3) = (x[kk], x[kk + 1], x[kk + 2], x[kk + 3]);
            let (y0, y1, y2, y3) = (y[kk], y[kk + 1], y[kk + 2], y[kk + 3]);
            for j in 0..n {
                let (v0, v1, v2, v3) = (b0[j], b1[j], b2[j], b3[j]);
                top[j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
                bottom[j] += y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3;
            }
            kk += 4;
        }
        while kk < k {
            let b0 = &bt[kk * n..(kk + 1) * n];
            for j in 0..n {
                top[j] += x[kk] * b0[j];
                bottom[j] += y[kk] * b0[j];
            }
            kk += 1;
        }
        i += 2;
    }
    if i < m {
        let row = &mut c[i * n..(i + 1) * n];
        for (kk, x) in a[i * k..(i + 1) * k].iter().enumerate() {
            let b0 = &bt[kk * n..(kk + 1) * n];
            for j in 0..n {
                row[j] += x * b0[j];
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn matmul_avx2(m: usize, k: usize, n: usize, a: &[f32], bt: &[f32], c: &mut [f32]) {
    matmul_body(m, k, n, a, bt, c)
}

/// The same with 16-lane vectors: the diarization of the 10-minute bench
/// file took 4.9 s against 5.4 s with the AVX2 build (alternating runs).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
fn matmul_avx512(m: usize, k: usize, n: usize, a: &[f32], bt: &[f32], c: &mut [f32]) {
    matmul_body(m, k, n, a, bt, c)
}

/// `c += a · bt` (see [`matmul_body`]).
fn matmul(m: usize, k: usize, n: usize, a: &[f32], bt: &[f32], c: &mut [f32]) {
    assert!(a.len() >= m * k && bt.len() >= k * n && c.len() >= m * n);
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("fma")
    {
        // SAFETY: the CPU has the features the function was built for.
        unsafe { matmul_avx512(m, k, n, a, bt, c) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has the features the function was built for.
        unsafe { matmul_avx2(m, k, n, a, bt, c) };
        return;
    }
    matmul_body(m, k, n, a, bt, c)
}

/// A row-major `rows × cols` matrix transposed.
fn transpose(w: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0f32; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = w[r * cols + c];
        }
    }
    out
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// tanh through one `exp` (libm's `tanhf` is slower), exact to f32
/// rounding for the gate values an LSTM sees.
fn tanh(x: f32) -> f32 {
    2.0 * sigmoid(2.0 * x) - 1.0
}

impl Encoder {
    /// Loads `speaker-encoder.bin`.
    pub fn load(path: &Path) -> Result<Encoder, ImportError> {
        Encoder::from_weights(&SpeakerWeights::read(path)?)
    }

    /// Builds the encoder from converted weights, checking every shape.
    pub fn from_weights(w: &SpeakerWeights) -> Result<Encoder, ImportError> {
        let mut layers = Vec::new();
        for l in 0..3 {
            let input = if l == 0 { N_MELS } else { HIDDEN };
            let b_ih = w.get(&format!("lstm.bias_ih_l{l}"), &[GATES])?;
            let b_hh = w.get(&format!("lstm.bias_hh_l{l}"), &[GATES])?;
            layers.push(Layer {
                input,
                w_ih: transpose(
                    w.get(&format!("lstm.weight_ih_l{l}"), &[GATES, input])?,
                    GATES,
                    input,
                ),
                w_hh: transpose(
                    w.get(&format!("lstm.weight_hh_l{l}"), &[GATES, HIDDEN])?,
                    GATES,
                    HIDDEN,
                ),
                bias: b_ih.iter().zip(b_hh).map(|(a, b)| a + b).collect(),
            });
        }
        Ok(Encoder {
            layers,
            linear_w: transpose(
                w.get("linear.weight", &[EMBEDDING, HIDDEN])?,
                EMBEDDING,
                HIDDEN,
            ),
            linear_b: w.get("linear.bias", &[EMBEDDING])?.to_vec(),
        })
    }

    /// Embeds a batch of windows, each `frames` mel frames long (the same
    /// length for all). Returns one unit-length 256-vector per window.
    pub fn embed(&self, windows: &[&[[f32; N_MELS]]]) -> Vec<Vec<f32>> {
        let b = windows.len();
        let Some(t_len) = windows.first().map(|w| w.len()) else {
            return Vec::new();
        };
        assert!(
            windows.iter().all(|w| w.len() == t_len),
            "windows differ in length"
        );
        // Time-major input: x[(t * b + i) * input + c].
        let mut x = vec![0f32; t_len * b * N_MELS];
        for (i, w) in windows.iter().enumerate() {
            for (t, frame) in w.iter().enumerate() {
                x[(t * b + i) * N_MELS..][..N_MELS].copy_from_slice(frame);
            }
        }
        let mut h_last = vec![0f32; b * HIDDEN];
        for layer in &self.layers {
            let (seq, last) = run_layer(layer, &x, t_len, b);
            x = seq;
            h_last = last;
        }
        let mut out = vec![0f32; b * EMBEDDING];
        matmul(b, HIDDEN, EMBEDDING, &h_last, &self.linear_w, &mut out);
        out.chunks_exact(EMBEDDING)
            .map(|row| {
                let v: Vec<f32> = row
                    .iter()
                    .zip(&self.linear_b)
                    .map(|(a, bias)| (a + bias).max(0.0))
                    .collect();
                let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-12);
                v.iter().map(|a| a / norm).collect()
            })
            .collect()
    }
}

/// One LSTM layer over the whole batch: the output sequence (time-major,
/// `t_len × b × H`) and the last hidden state (`b × H`).
fn run_layer(layer: &Layer, x: &[f32], t_len: usize, b: usize) -> (Vec<f32>, Vec<f32>) {
    // Input projections for every frame of every window at once.
    let mut pre = vec![0f32; t_len * b * GATES];
    for row in pre.chunks_exact_mut(GATES) {
        row.copy_from_slice(&layer.bias);
    }
    matmul(t_len * b, layer.input, GATES, x, &layer.w_ih, &mut pre);
    let mut h = vec![0f32; b * HIDDEN];
    let mut c = vec![0f32; b * HIDDEN];
    let mut seq = vec![0f32; t_len * b * HIDDEN];
    for t in 0..t_len {
        let gates = &mut pre[t * b * GATES..(t + 1) * b * GATES];
        if t > 0 {
            matmul(b, HIDDEN, GATES, &h, &layer.w_hh, gates);
        }
        for i in 0..b {
            let g = &gates[i * GATES..(i + 1) * GATES];
            for u in 0..HIDDEN {
                let input = sigmoid(g[u]);
                let forget = sigmoid(g[HIDDEN + u]);
                let cell = tanh(g[2 * HIDDEN + u]);
                let output = sigmoid(g[3 * HIDDEN + u]);
                let cu = forget * c[i * HIDDEN + u] + input * cell;
                c[i * HIDDEN + u] = cu;
                h[i * HIDDEN + u] = output * tanh(cu);
            }
        }
        seq[t * b * HIDDEN..(t + 1) * b * HIDDEN].copy_from_slice(&h);
    }
    (seq, h)
}
