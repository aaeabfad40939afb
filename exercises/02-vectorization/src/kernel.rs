//! The register-blocked engine behind the fast variants: the direct kernel
//! and the trick with its epilogue fused into the product.
//!
//! All fast pairwise kernels share one shape. A tile of MR points of x
//! against NR points of y keeps MR × NR accumulators in vector registers;
//! for each coordinate k it loads NR values of y (two vectors), broadcasts
//! each of the MR values of x, and updates every accumulator. Only `step`
//! (what one coordinate adds) and `finish` (what is stored) differ.
//!
//! Both operands are first *packed*: copied into panels where the values a
//! tile needs for coordinate k sit side by side, so the tile reads memory
//! strictly in order. Columns of y are processed in blocks that fit in the L2
//! cache, and rows of x are split into tasks for rayon.
//!
//! Exercise 5 is `tile`; the rest of this file is given: read `pairwise`.

use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use rayon::prelude::*;

use crate::pages::zeroed_matrix;

// ANCHOR: tile_shape
/// f64 lanes in one vector register of the CPU this crate is compiled for:
/// 8 with AVX-512, 4 with AVX2, 2 with the x86-64 baseline (SSE2). Build with
/// `-C target-cpu=native` to use what your CPU has.
pub const LANES: usize = if cfg!(target_feature = "avx512f") {
    8
} else if cfg!(target_feature = "avx") {
    4
} else {
    2
};
/// Points of x per tile.
pub const MR: usize = 4;
/// Points of y per tile: two vectors, so MR × NR / LANES = 8 accumulator
/// registers, few enough to never spill, enough to hide the FMA latency.
pub const NR: usize = 2 * LANES;
// ANCHOR_END: tile_shape

/// Rows of the output per rayon task (a multiple of MR).
const ROWS_PER_TASK: usize = 64;
/// Bytes of packed y kept hot in L2 while a task sweeps its rows over them.
const Y_BLOCK_BYTES: usize = 256 * 1024;

// ANCHOR: pair_kernel
/// What a pairwise kernel computes, coordinate by coordinate.
pub trait PairKernel {
    /// Whether `finish` uses the squared row norms (only the trick does).
    const NEEDS_NORMS: bool;
    /// Adds coordinate k of x_i and y_j to the accumulator.
    fn step(acc: f64, x: f64, y: f64) -> f64;
    /// `step` where the CPU has fused multiply-add. The reference solution's
    /// driver also runs the kernel compiled for AVX2 and AVX-512, chosen at
    /// run time, and calls this there; this driver never does. By default,
    /// `step`: you need not write it.
    #[inline(always)]
    fn step_fma(acc: f64, x: f64, y: f64) -> f64 {
        Self::step(acc, x, y)
    }
    /// The value stored for the pair, from the accumulator and the squared
    /// norms of x_i and y_j (0 when `NEEDS_NORMS` is false).
    fn finish(acc: f64, x_norm: f64, y_norm: f64) -> f64;
}

/// `a * b + c`, as one fused multiply-add instruction when the build targets
/// a CPU that has one. Without the `fma` target feature, `f64::mul_add`
/// becomes a call to the C library's `fma` for every element, which the
/// compiler can neither inline nor vectorise: use two operations there.
#[inline(always)]
pub fn multiply_add(a: f64, b: f64, c: f64) -> f64 {
    if cfg!(target_feature = "fma") {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}
// ANCHOR_END: pair_kernel

// ANCHOR: micro_kernel
/// One MR × NR tile: `xp` holds MR values per coordinate (the packed x
/// panel), `yp` NR values per coordinate (the packed y panel). Returns
/// `acc[r][c]` = the accumulated `K::step` over all coordinates for x point r
/// and y point c.
///
/// Keep `acc` a fixed-size array and walk `xp.chunks_exact(MR)` together with
/// `yp.chunks_exact(NR)`: then the compiler keeps `acc` in registers and turns
/// the loop over `c` into vector instructions.
pub fn tile<K: PairKernel>(xp: &[f64], yp: &[f64]) -> [[f64; NR]; MR] {
    // TODO: start from zeros, and for each coordinate update every accumulator.
    todo!(
        "a {MR}x{NR} tile over {} coordinates ({} packed y values)",
        xp.len() / MR,
        yp.len()
    )
}
// ANCHOR_END: micro_kernel

/// Packs the rows of `a` (len, d) into panels of W rows: panel p holds, for
/// each coordinate k, the W values `a[p * W + w, k]` side by side. The last
/// panel is padded with zeros.
fn pack_panels<const W: usize>(a: ArrayView2<'_, f64>) -> Vec<f64> {
    let d = a.ncols();
    let mut packed = vec![0.0; a.nrows().div_ceil(W) * W * d];
    for (i, row) in a.rows().into_iter().enumerate() {
        let panel = &mut packed[(i / W) * W * d..][..W * d];
        for (k, &v) in row.iter().enumerate() {
            panel[k * W + i % W] = v;
        }
    }
    packed
}

// ANCHOR: pairwise
/// Computes `K` for every pair of rows of x (n, d) and y (m, d) into a new
/// (n, m) array. The caller has checked that the d's agree; `x_norms` and
/// `y_norms` are only read when `K::NEEDS_NORMS`.
pub fn pairwise<K: PairKernel>(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    x_norms: &[f64],
    y_norms: &[f64],
) -> Array2<f64> {
    let mut out = zeroed_matrix(x.nrows(), y.nrows());
    pairwise_into::<K>(x, y, x_norms, y_norms, out.view_mut());
    out
}

/// The same, written into `out`, whose shape (n, m) the caller has checked,
/// in parallel over blocks of rows. Every entry is overwritten. Reusing one
/// output for many calls saves the first touch of fresh memory (see
/// [`crate::pages`]).
pub fn pairwise_into<K: PairKernel>(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    x_norms: &[f64],
    y_norms: &[f64],
    mut out: ArrayViewMut2<'_, f64>,
) {
    let Some(out_data) = out.as_slice_mut() else {
        // Not one row-major block (a transposed or sliced view): compute
        // into a fresh array, then copy.
        out.assign(&pairwise::<K>(x, y, x_norms, y_norms));
        return;
    };
    let (d, m) = (x.ncols(), y.nrows());
    if out_data.is_empty() {
        return;
    }
    let (xp, yp) = (pack_panels::<MR>(x), pack_panels::<NR>(y));
    let cols_per_block = (Y_BLOCK_BYTES / (8 * d.max(1)) / NR).max(1) * NR;
    out_data
        .par_chunks_mut(ROWS_PER_TASK * m)
        .enumerate()
        .for_each(|(task, rows)| {
            let first_row = task * ROWS_PER_TASK;
            let row_count = rows.len() / m;
            for col_block in (0..m).step_by(cols_per_block) {
                for i0 in (0..row_count).step_by(MR) {
                    let x_panel = &xp[(first_row + i0) * d..][..MR * d];
                    for j0 in (col_block..m.min(col_block + cols_per_block)).step_by(NR) {
                        let acc = tile::<K>(x_panel, &yp[j0 * d..][..NR * d]);
                        // Store the valid part of the tile (edges are ragged).
                        for (r, acc_row) in acc.iter().enumerate().take(row_count - i0) {
                            let i = first_row + i0 + r;
                            let x_norm = if K::NEEDS_NORMS { x_norms[i] } else { 0.0 };
                            let out_row = &mut rows[(i0 + r) * m + j0..][..NR.min(m - j0)];
                            for (c, (o, &a)) in out_row.iter_mut().zip(acc_row).enumerate() {
                                let y_norm = if K::NEEDS_NORMS { y_norms[j0 + c] } else { 0.0 };
                                *o = K::finish(a, x_norm, y_norm);
                            }
                        }
                    }
                }
            }
        });
}
// ANCHOR_END: pairwise
