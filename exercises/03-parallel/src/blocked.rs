//! Exercise 6: a fast Cityblock kernel.
//!
//! The plain loop computes one pair at a time: one chain of additions, each
//! waiting for the previous one, one value of x and one of y per step. The
//! blocked kernel computes a *tile* of MR points of x against NR points of y
//! at once: MR × NR independent sums, kept in vector registers, so the CPU
//! always has work that does not wait, and every value loaded from memory is
//! used MR or NR times.
//!
//! Around the tile, three levels of blocking:
//! - the operands are *packed* into panels: for each coordinate k, the MR
//!   (or NR) values a tile needs, side by side, so the tile reads memory in
//!   order;
//! - the columns (points of y) are processed in blocks whose panels fit in
//!   the L2 cache, and every row panel of x sweeps the whole block;
//! - the rows are split into tasks of `ROWS_PER_TASK` for rayon.
//!
//! Each sum still adds its coordinates in order, from k = 0: the results are
//! bit for bit those of [`crate::serial::cityblock_loops`].
//!
//! Tests: `cargo test -p parallel --test blocked`.

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

use crate::error::DimensionMismatch;
use crate::pages::zeroed_matrix;

// ANCHOR: tile_shape
/// f64 lanes in one vector register of the CPU this crate is compiled for:
/// 4 with AVX2 (and with AVX-512: its 8-lane registers get their own tile,
/// written with explicit instructions, in the solution), 2 with the x86-64
/// baseline (SSE2). Build with `-C target-cpu=native` to use what your CPU has.
pub const LANES: usize = if cfg!(target_feature = "avx") { 4 } else { 2 };
/// Points of x per tile.
pub const MR: usize = 4;
/// Points of y per tile: two vectors, so MR × NR / LANES = 8 independent sums
/// in registers, more than the adder's latency × throughput needs.
pub const NR: usize = 2 * LANES;
// ANCHOR_END: tile_shape

// ANCHOR: blocking
/// Rows of the output per rayon task (a multiple of MR).
pub const ROWS_PER_TASK: usize = 64;
/// Bytes of packed y kept hot in L2 while a task sweeps its rows over them.
pub const Y_BLOCK_BYTES: usize = 256 * 1024;
// ANCHOR_END: blocking

// ANCHOR: metric
/// A distance computed coordinate by coordinate.
pub trait Metric {
    /// Adds coordinate k of a pair to its running sum.
    fn step(sum: f64, x: f64, y: f64) -> f64;
    /// The distance, from the finished sum.
    fn finish(sum: f64) -> f64;
}

/// Σ_k |x_k − y_k|.
pub struct Cityblock;

impl Metric for Cityblock {
    #[inline(always)]
    fn step(sum: f64, x: f64, y: f64) -> f64 {
        // TODO: add |x - y|.
        todo!("{sum} + |{x} - {y}|")
    }
    #[inline(always)]
    fn finish(sum: f64) -> f64 {
        // TODO
        todo!("the Cityblock distance from the sum {sum}")
    }
}

/// √(Σ_k (x_k − y_k)²).
pub struct Euclidean;

impl Metric for Euclidean {
    #[inline(always)]
    fn step(sum: f64, x: f64, y: f64) -> f64 {
        // TODO: add (x - y)².
        todo!("{sum} + ({x} - {y})²")
    }
    #[inline(always)]
    fn finish(sum: f64) -> f64 {
        // TODO
        todo!("the Euclidean distance from the sum {sum}")
    }
}
// ANCHOR_END: metric

// ANCHOR: tile
/// One MR × NR tile: `xp` holds MR values per coordinate, `yp` NR values per
/// coordinate (packed panels). The fixed-size accumulator array stays in
/// registers, and the innermost loop over NR values becomes NR / LANES
/// vector instructions.
#[inline(always)]
pub fn tile<M: Metric>(xp: &[f64], yp: &[f64]) -> [[f64; NR]; MR] {
    // TODO: start from zeros; for each coordinate k (chunks_exact(MR) of xp zipped with
    // chunks_exact(NR) of yp), update every sum with M::step.
    todo!(
        "a {MR} x {NR} tile from {} and {} packed values",
        xp.len(),
        yp.len()
    )
}
// ANCHOR_END: tile

// ANCHOR: pack_panels
/// Packs the rows of `a` (len, d) into panels of W rows: panel p holds, for
/// each coordinate k, the W values `a[p * W + w, k]` side by side. The last
/// panel is padded with zeros (their results are computed and dropped).
pub fn pack_panels<const W: usize>(a: ArrayView2<'_, f64>) -> Vec<f64> {
    // TODO: a zeroed Vec of ceil(len / W) * W * d values; value a[i, k] goes to panel
    // i / W, at position k * W + i % W.
    todo!("pack {:?} into panels of {W} rows", a.dim())
}
// ANCHOR_END: pack_panels

// ANCHOR: pairwise_blocked
/// The distance `M` between every row of x (n, d) and every row of y (m, d),
/// whose d's the caller has checked, in parallel over blocks of rows.
pub fn pairwise_blocked<M: Metric>(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Array2<f64> {
    let ((n, d), m) = (x.dim(), y.nrows());
    let mut out = zeroed_matrix(n, m);
    if n == 0 || m == 0 {
        return out;
    }
    let (xp, yp) = (pack_panels::<MR>(x), pack_panels::<NR>(y));
    // Enough panels of y to fill Y_BLOCK_BYTES, at least one.
    let cols_per_block = (Y_BLOCK_BYTES / (8 * d.max(1)) / NR).max(1) * NR;
    let out_data = out.as_slice_mut().expect("a fresh array is row-major");
    out_data
        .par_chunks_mut(ROWS_PER_TASK * m)
        .enumerate()
        .for_each(|(task, rows)| {
            let first_row = task * ROWS_PER_TASK;
            let row_count = rows.len() / m;
            for col_block in (0..m).step_by(cols_per_block) {
                let block_end = m.min(col_block + cols_per_block);
                for i0 in (0..row_count).step_by(MR) {
                    let x_panel = &xp[(first_row + i0) * d..][..MR * d];
                    for j0 in (col_block..block_end).step_by(NR) {
                        let sums = tile::<M>(x_panel, &yp[j0 * d..][..NR * d]);
                        // Store the part of the tile inside the matrix (edges are ragged).
                        for (r, sum_row) in sums.iter().enumerate().take(row_count - i0) {
                            let out_row = &mut rows[(i0 + r) * m + j0..][..NR.min(m - j0)];
                            for (o, &s) in out_row.iter_mut().zip(sum_row) {
                                *o = M::finish(s);
                            }
                        }
                    }
                }
            }
        });
    out
}
// ANCHOR_END: pairwise_blocked

// ANCHOR: cityblock_blocked
/// Cityblock distances with the blocked kernel.
pub fn cityblock_blocked(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: check_dims, then pairwise_blocked::<Cityblock>.
    todo!("blocked Cityblock, {:?} and {:?} points", x.dim(), y.dim())
}
// ANCHOR_END: cityblock_blocked

// ANCHOR: euclidean_blocked
/// Euclidean distances (with the root) with the blocked kernel.
pub fn euclidean_blocked(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO
    todo!("blocked Euclidean, {:?} and {:?} points", x.dim(), y.dim())
}
// ANCHOR_END: euclidean_blocked
