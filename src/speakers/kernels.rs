//! The vector kernels the speaker encoder and the VAD share: a matrix
//! product over weights packed once at load, and an `exp` (hence sigmoid
//! and tanh) the compiler can vectorise. Each is plain Rust built for
//! AVX-512 and AVX2/FMA besides the portable build, picked at run time.

/// Columns per panel of a [`Packed`] matrix: two 16-lane vectors.
const PANEL: usize = 32;

/// A `k × n` weight matrix (the transpose of PyTorch's `n × k`) stored as
/// panels of [`PANEL`] columns, each panel's `k` rows contiguous, so the
/// micro-kernel reads it front to back.
pub struct Packed {
    /// Rows (the input size).
    pub k: usize,
    /// Columns (the output size), a multiple of 32.
    pub n: usize,
    data: Vec<f32>,
}

impl Packed {
    /// Packs PyTorch's row-major `n × k` weight.
    pub fn from_torch(w: &[f32], n: usize, k: usize) -> Packed {
        assert_eq!(n % PANEL, 0, "{n} columns do not fill whole panels");
        let mut data = Vec::with_capacity(n * k);
        for p in 0..n / PANEL {
            for kk in 0..k {
                data.extend((0..PANEL).map(|j| w[(p * PANEL + j) * k + kk]));
            }
        }
        Packed { k, n, data }
    }
}

#[inline(always)]
fn madd<const FUSED: bool>(a: f32, b: f32, c: f32) -> f32 {
    if FUSED {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `c (m × n) += a (m × k) · w`, row-major `a` and `c`. One panel of `w`
/// at a time, for every block of `R` rows of `c`: the block's `R × 32`
/// sums are kept in registers over the whole of `k` and added to `c` once.
/// The panel (`k × 32`, 32 KB for `k` = 256) stays in the nearest cache
/// while every row block reads it, so `w` streams from memory once per
/// product, not once per row block: the LSTM's 1 MB recurrent weights do
/// not fit a core's L2. Plain loops the compiler unrolls and vectorises;
/// `FUSED` uses fused multiply-adds, which only the FMA builds may
/// (elsewhere `mul_add` is a library call). [`matmul`] picks the build at
/// run time.
#[inline(always)]
fn matmul_body<const R: usize, const FUSED: bool>(m: usize, a: &[f32], w: &Packed, c: &mut [f32]) {
    debug_assert!(a.len() >= m * w.k && c.len() >= m * w.n);
    for (p, panel) in w.data.chunks_exact(w.k * PANEL).enumerate() {
        let mut i = 0;
        while i < m {
            if i + R <= m {
                block::<R, FUSED>(i, a, w.k, w.n, p, panel, c);
                i += R;
            } else {
                block::<1, FUSED>(i, a, w.k, w.n, p, panel, c);
                i += 1;
            }
        }
    }
}

/// Rows `i..i + R` of `c += a · w`, columns of panel `p` only.
#[inline(always)]
fn block<const R: usize, const FUSED: bool>(
    i: usize,
    a: &[f32],
    k: usize,
    n: usize,
    p: usize,
    panel: &[f32],
    c: &mut [f32],
) {
    let rows = &a[i * k..(i + R) * k];
    let mut acc = [[0f32; PANEL]; R];
    for (kk, b) in panel.chunks_exact(PANEL).enumerate() {
        for (r, row) in acc.iter_mut().enumerate() {
            let x = rows[r * k + kk];
            for (o, v) in row.iter_mut().zip(b) {
                *o = madd::<FUSED>(x, *v, *o);
            }
        }
    }
    for (r, row) in acc.iter().enumerate() {
        let out = &mut c[(i + r) * n + p * PANEL..][..PANEL];
        for (o, v) in out.iter_mut().zip(row) {
            *o += v;
        }
    }
}

/// 8 rows × 32 columns: 16 of AVX-512's 32 vector registers accumulate.
/// With the vectorised gates and the sliced input projections, the
/// diarization of the 10-minute bench file went from 4.3–4.9 s with the
/// unblocked product it replaced to 2.3–2.6 s (README, "Speakers").
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
fn matmul_avx512(m: usize, a: &[f32], w: &Packed, c: &mut [f32]) {
    matmul_body::<8, true>(m, a, w, c)
}

/// 2 rows × 32 columns: 8 of AVX2's 16 vector registers accumulate. Three
/// rows (12 accumulators) ran at 41 GFLOP/s on a 32 × 256 × 1024 product
/// on the project's AVX2 machine, two at 74: the compiler spills the
/// larger block (2026-12-02, a loop of `matmul` over the LSTM's shapes).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn matmul_avx2(m: usize, a: &[f32], w: &Packed, c: &mut [f32]) {
    matmul_body::<2, true>(m, a, w, c)
}

/// The widest build of the vector loops ([`matmul`], the encoder's cell) this CPU
/// runs.
#[derive(Clone, Copy)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub enum Simd {
    Avx512,
    Avx2,
    Plain,
}

pub fn simd() -> Simd {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        if has!("avx512f") && has!("fma") {
            return Simd::Avx512;
        }
        if has!("avx2") && has!("fma") {
            return Simd::Avx2;
        }
    }
    Simd::Plain
}

/// `c += a · w` (see [`matmul_body`]).
pub fn matmul(m: usize, a: &[f32], w: &Packed, c: &mut [f32]) {
    assert!(a.len() >= m * w.k && c.len() >= m * w.n);
    match simd() {
        // SAFETY: `simd` found the features each build was made for.
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512 => unsafe { matmul_avx512(m, a, w, c) },
        #[cfg(target_arch = "x86_64")]
        Simd::Avx2 => unsafe { matmul_avx2(m, a, w, c) },
        _ => matmul_body::<2, false>(m, a, w, c),
    }
}

/// `e^x` in plain arithmetic the compiler can vectorise (libm's `expf`
/// is a call per value): `x = n·ln 2 + r` with `|r| ≤ ln 2 / 2`, a degree-6
/// Taylor polynomial for `e^r` (relative error under 3e-7 there), and
/// `2^n` built in the exponent bits. Inputs are clamped to ±87, where
/// `f32` still holds the result.
#[inline(always)]
fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 87.0);
    let n = (x * std::f32::consts::LOG2_E).round();
    // ln 2 in two parts, so n·ln 2 is exact to f32 for |n| < 128
    let r = (x - n * 0.693_145_75) - n * 1.428_606_8e-6;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0))))));
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

/// tanh through one `exp`, exact to f32 rounding for the gate values an
/// LSTM sees.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    2.0 * sigmoid(2.0 * x) - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectorisable `exp` against libm's over the range the gates see.
    #[test]
    fn exp_is_libms_to_a_few_units_in_the_last_place() {
        let mut x = -80.0f32;
        while x < 80.0 {
            let (got, want) = (exp(x), x.exp());
            assert!(
                (got - want).abs() <= 1e-6 * want,
                "exp({x}) = {got}, libm {want}"
            );
            x += 0.0137;
        }
        assert_eq!(exp(0.0), 1.0);
        assert!(exp(-200.0) >= 0.0 && exp(-200.0) < 1e-37);
        assert!((tanh(0.5) - 0.5f32.tanh()).abs() < 1e-6);
    }

    /// Every build of the product against the schoolbook sum, on sizes
    /// that leave remainder rows for each block height.
    #[test]
    fn the_blocked_product_is_the_plain_sum() {
        for (m, k, n) in [(1, 40, 32), (7, 40, 64), (13, 256, 96), (32, 256, 1024)] {
            let torch: Vec<f32> = (0..n * k)
                .map(|i| ((i * 37 % 101) as f32 - 50.0) / 64.0)
                .collect();
            let a: Vec<f32> = (0..m * k)
                .map(|i| ((i * 53 % 89) as f32 - 44.0) / 32.0)
                .collect();
            let start: Vec<f32> = (0..m * n).map(|i| (i % 7) as f32).collect();
            let mut want = start.clone();
            for i in 0..m {
                for j in 0..n {
                    let dot: f64 = (0..k)
                        .map(|kk| f64::from(a[i * k + kk]) * f64::from(torch[j * k + kk]))
                        .sum();
                    want[i * n + j] += dot as f32;
                }
            }
            let w = Packed::from_torch(&torch, n, k);
            let mut picked = start.clone();
            matmul(m, &a, &w, &mut picked);
            let mut plain = start.clone();
            matmul_body::<2, false>(m, &a, &w, &mut plain);
            for got in [&picked, &plain] {
                for (g, e) in got.iter().zip(&want) {
                    assert!(
                        (g - e).abs() <= 1e-3 * e.abs().max(1.0),
                        "{m}×{k}×{n}: {g} vs {e}"
                    );
                }
            }
        }
    }
}
