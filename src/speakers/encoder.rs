//! The GE2E speaker encoder in plain Rust: three LSTM layers over 160 mel
//! frames, the last hidden state through a 256→256 linear layer and a
//! ReLU, then scaled to unit length.
//!
//! Windows are run in batches so every step is a matrix product: a
//! layer's input projections for a slice of frames of all windows in one
//! product, then per frame the recurrent product over the batch. The product is a
//! small register-blocked kernel over weights packed once at load, written
//! as plain loops and built for AVX-512 and AVX2/FMA (picked at run time;
//! [`super::kernels`], shared with the VAD);
//! `matrixmultiply`'s sgemm measured slower here, as it repacks the 1 MB
//! recurrent weights and allocates on every one of the 160 steps. The
//! gates follow PyTorch's `nn.LSTM` (input, forget, cell, output; both
//! biases added).

use std::path::Path;

use crate::model::speaker::SpeakerWeights;
use crate::model::ImportError;

use super::kernels::{matmul, sigmoid, simd, tanh, Packed, Simd};
use super::mel::N_MELS;
use super::vad::Vad;

/// Hidden units per LSTM layer.
pub const HIDDEN: usize = 256;
/// Length of an embedding.
pub const EMBEDDING: usize = 256;
const GATES: usize = 4 * HIDDEN;

struct Layer {
    /// `input × 4H`, packed.
    w_ih: Packed,
    /// `H × 4H`, packed.
    w_hh: Packed,
    /// `b_ih + b_hh`.
    bias: Vec<f32>,
}

/// A loaded speaker encoder.
pub struct Encoder {
    layers: Vec<Layer>,
    /// `256 × 256`, packed.
    linear_w: Packed,
    linear_b: Vec<f32>,
    /// The speech detector the same model file holds, when it does (files
    /// installed before it was added do not).
    vad: Option<Vad>,
}

/// One window's LSTM cell update from its pre-activations `g` (input,
/// forget, cell, output gates, `H` each): the new cell state into `c` and
/// hidden state into `h`.
#[inline(always)]
fn cell_body(g: &[f32], c: &mut [f32], h: &mut [f32]) {
    let (gi, rest) = g.split_at(HIDDEN);
    let (gf, rest) = rest.split_at(HIDDEN);
    let (gc, go) = rest.split_at(HIDDEN);
    for u in 0..HIDDEN {
        let cu = sigmoid(gf[u]) * c[u] + sigmoid(gi[u]) * tanh(gc[u]);
        c[u] = cu;
        h[u] = sigmoid(go[u]) * tanh(cu);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
fn cell_avx512(g: &[f32], c: &mut [f32], h: &mut [f32]) {
    cell_body(g, c, h)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn cell_avx2(g: &[f32], c: &mut [f32], h: &mut [f32]) {
    cell_body(g, c, h)
}

/// The cell update (see [`cell_body`]) in the widest build the CPU runs.
fn cell(g: &[f32], c: &mut [f32], h: &mut [f32]) {
    assert!(g.len() >= GATES && c.len() >= HIDDEN && h.len() >= HIDDEN);
    match simd() {
        // SAFETY: `simd` found the features each build was made for.
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512 => unsafe { cell_avx512(g, c, h) },
        #[cfg(target_arch = "x86_64")]
        Simd::Avx2 => unsafe { cell_avx2(g, c, h) },
        _ => cell_body(g, c, h),
    }
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
                w_ih: Packed::from_torch(
                    w.get(&format!("lstm.weight_ih_l{l}"), &[GATES, input])?,
                    GATES,
                    input,
                ),
                w_hh: Packed::from_torch(
                    w.get(&format!("lstm.weight_hh_l{l}"), &[GATES, HIDDEN])?,
                    GATES,
                    HIDDEN,
                ),
                bias: b_ih.iter().zip(b_hh).map(|(a, b)| a + b).collect(),
            });
        }
        Ok(Encoder {
            layers,
            linear_w: Packed::from_torch(
                w.get("linear.weight", &[EMBEDDING, HIDDEN])?,
                EMBEDDING,
                HIDDEN,
            ),
            linear_b: w.get("linear.bias", &[EMBEDDING])?.to_vec(),
            vad: w.has_vad().then(|| Vad::from_weights(w)).transpose()?,
        })
    }

    /// The Silero speech detector of the model file, when it holds one.
    pub fn vad(&self) -> Option<&Vad> {
        self.vad.as_ref()
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
        matmul(b, &h_last, &self.linear_w, &mut out);
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

/// Frames whose input projections are computed in one product: enough
/// rows for the product to run at speed, few enough that the projections
/// (2 MB for a batch of 32) stay in the cache instead of being a fresh
/// 21 MB allocation per layer.
const SLICE: usize = 16;

/// One LSTM layer over the whole batch: the output sequence (time-major,
/// `t_len × b × H`) and the last hidden state (`b × H`).
fn run_layer(layer: &Layer, x: &[f32], t_len: usize, b: usize) -> (Vec<f32>, Vec<f32>) {
    let input = layer.w_ih.k;
    let mut pre = vec![0f32; SLICE * b * GATES];
    let mut h = vec![0f32; b * HIDDEN];
    let mut c = vec![0f32; b * HIDDEN];
    let mut seq = vec![0f32; t_len * b * HIDDEN];
    for t0 in (0..t_len).step_by(SLICE) {
        let frames = SLICE.min(t_len - t0);
        // Input projections for a slice of frames of every window at once.
        let pre = &mut pre[..frames * b * GATES];
        for row in pre.chunks_exact_mut(GATES) {
            row.copy_from_slice(&layer.bias);
        }
        matmul(frames * b, &x[t0 * b * input..], &layer.w_ih, pre);
        for (dt, gates) in pre.chunks_exact_mut(b * GATES).enumerate() {
            let t = t0 + dt;
            if t > 0 {
                matmul(b, &h, &layer.w_hh, gates);
            }
            for ((g, c), h) in gates
                .chunks_exact(GATES)
                .zip(c.chunks_exact_mut(HIDDEN))
                .zip(h.chunks_exact_mut(HIDDEN))
            {
                cell(g, c, h);
            }
            seq[t * b * HIDDEN..(t + 1) * b * HIDDEN].copy_from_slice(&h);
        }
    }
    (seq, h)
}
