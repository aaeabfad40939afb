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
//! The exercise's driver uses the tile the crate is compiled for (`LANES`,
//! `multiply_add`: SSE2 and no FMA in a default build). This one also asks
//! the CPU at run time ([`Simd::detect`]) and runs the same generic body
//! compiled for AVX2 + FMA (4 × 8 tiles) or AVX-512 (8 × 24: twenty-four
//! 512-bit accumulators), so a default build is as fast as a `-C target-cpu=native`
//! one. With many coordinates (d > `K_BLOCK`), it also cuts them into blocks
//! that keep a tile's panels in L1.

use std::cell::RefCell;
use std::marker::PhantomData;

use ndarray::{Array2, ArrayView2, ArrayViewMut2, s};
use rayon::prelude::*;

use support::simd::Simd;

use crate::pages::zeroed_matrix;

#[cfg(target_arch = "x86_64")]
pub mod avx512;

/// A kernel with the 8-lane step of the explicit AVX-512 tile (every kernel
/// of this crate has one).
#[cfg(target_arch = "x86_64")]
pub use avx512::SimdKernel;

/// Off x86-64 there is no AVX-512 tile: every kernel qualifies.
#[cfg(not(target_arch = "x86_64"))]
pub trait SimdKernel: PairKernel {}
#[cfg(not(target_arch = "x86_64"))]
impl<K: PairKernel> SimdKernel for K {}

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
/// Coordinates per block when d is larger: a y panel's block, TC × K_BLOCK
/// values (24 KB for the 24-wide AVX-512 tile, of an L1 of 32 or 48 KB), stays in L1 while the task's
/// x panels stream past it.
const K_BLOCK: usize = 128;

// ANCHOR: pair_kernel
/// What a pairwise kernel computes, coordinate by coordinate.
pub trait PairKernel {
    /// Whether `finish` uses the squared row norms (only the trick does).
    const NEEDS_NORMS: bool;
    /// Adds coordinate k of x_i and y_j to the accumulator.
    fn step(acc: f64, x: f64, y: f64) -> f64;
    /// `step` where the CPU has fused multiply-add: the solution's driver
    /// calls it in the code it compiles for AVX2 and AVX-512 (where
    /// `f64::mul_add` is one instruction), `step` everywhere else. By
    /// default, `step`.
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
/// One MR × NR tile: `xp` holds MR values per coordinate, `yp` NR values per
/// coordinate. The fixed-size arrays let the compiler keep `acc` in
/// registers and turn the `c` loop into vector instructions.
///
/// # Examples
///
/// One coordinate (d = 1): the tile holds the squared difference of every
/// x value with every y value.
///
/// ```
/// use vectorization_solution::direct::SqEuclidean;
/// use vectorization_solution::kernel::{MR, NR, tile};
///
/// let xp: Vec<f64> = (0..MR).map(|r| r as f64).collect();
/// let yp: Vec<f64> = (0..NR).map(|c| c as f64).collect();
/// let acc = tile::<SqEuclidean>(&xp, &yp);
/// assert_eq!(acc[1][3], 4.0); // (1 - 3)²
/// assert_eq!(acc[MR - 1][0], ((MR - 1) * (MR - 1)) as f64);
/// ```
#[inline(always)]
pub fn tile<K: PairKernel>(xp: &[f64], yp: &[f64]) -> [[f64; NR]; MR] {
    tile_of_width::<K, MR, NR, false>([[0.0; NR]; MR], xp, yp)
}

/// [`tile`] with TR points of x and TC of y, from the accumulators `acc` (the
/// sums of the coordinates before these panels), stepped with `K::step_fma`
/// if `FMA`.
#[inline(always)]
fn tile_of_width<K: PairKernel, const TR: usize, const TC: usize, const FMA: bool>(
    mut acc: [[f64; TC]; TR],
    xp: &[f64],
    yp: &[f64],
) -> [[f64; TC]; TR] {
    for (xk, yk) in xp.chunks_exact(TR).zip(yp.chunks_exact(TC)) {
        for (r, &xv) in xk.iter().enumerate() {
            for (a, &yv) in acc[r].iter_mut().zip(yk) {
                *a = if FMA {
                    K::step_fma(*a, xv, yv)
                } else {
                    K::step(*a, xv, yv)
                };
            }
        }
    }
    acc
}
// ANCHOR_END: micro_kernel

/// Packs the rows of `a` (len, d) into `packed`, in panels of W rows: panel
/// p holds, for each coordinate k, the W values `a[p * W + w, k]` side by
/// side; the last panel is padded with zeros. Every value of the result is
/// written, so `packed` may hold anything before. One panel per rayon task:
/// at d = 500 packing is a scattered copy of several MB, a tenth of the
/// product's time on one core.
fn pack_panels_into<const W: usize>(a: ArrayView2<'_, f64>, packed: &mut Vec<f64>) {
    let (len, d) = a.dim();
    packed.resize(len.div_ceil(W) * W * d, 0.0);
    if d == 0 {
        return;
    }
    packed
        .par_chunks_mut(W * d)
        .enumerate()
        .for_each(|(p, panel)| {
            let rows = a.slice(s![p * W..len.min(p * W + W), ..]);
            let filled = rows.nrows();
            for (slot, row) in rows.rows().into_iter().enumerate() {
                for (k, &v) in row.iter().enumerate() {
                    panel[k * W + slot] = v;
                }
            }
            for k in 0..d {
                panel[k * W + filled..(k + 1) * W].fill(0.0);
            }
        });
}

thread_local! {
    /// The packed panels of x and y, kept from one call to the next on the
    /// calling thread: a fresh buffer of several MB costs a page fault per
    /// 4 KiB page when first written, more than the packing itself, and its
    /// time varies from call to call. (OpenBLAS keeps such buffers too.) They
    /// hold as much as the largest operands packed on this thread so far.
    static PANELS: RefCell<(Vec<f64>, Vec<f64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// `f` on the packed panels of x (`TR` rows each) and of y (`TC`): in this
/// thread's kept buffers, or in fresh ones when they are in use (a kernel
/// called from a rayon task while this thread's own call waits for it).
fn with_panels<const TR: usize, const TC: usize>(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    f: impl FnOnce(&[f64], &[f64]),
) {
    PANELS.with(|kept| {
        let mut fresh = (Vec::new(), Vec::new());
        let mut kept = kept.try_borrow_mut();
        let (xp, yp) = match kept.as_deref_mut() {
            Ok(buffers) => buffers,
            Err(_) => &mut fresh,
        };
        pack_panels_into::<TR>(x, xp);
        pack_panels_into::<TC>(y, yp);
        f(xp, yp);
    });
}

// ANCHOR: pairwise
/// Computes `K` for every pair of rows of x (n, d) and y (m, d) into a new
/// (n, m) array. The caller has checked that the d's agree; `x_norms` and
/// `y_norms` are only read when `K::NEEDS_NORMS`.
pub fn pairwise<K: SimdKernel>(
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
/// in parallel over blocks of rows, on the best path this CPU has. Every
/// entry is overwritten. Reusing one output for many calls saves the first
/// touch of fresh memory (see [`crate::pages`]).
pub fn pairwise_into<K: SimdKernel>(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    x_norms: &[f64],
    y_norms: &[f64],
    out: ArrayViewMut2<'_, f64>,
) {
    pairwise_into_on::<K>(Simd::detect(), x, y, x_norms, y_norms, out);
}

/// [`pairwise_into`] on the path `simd` (the benchmarks run the forced
/// baseline beside the detected path). Panics if this CPU cannot run it.
pub fn pairwise_into_on<K: SimdKernel>(
    simd: Simd,
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    x_norms: &[f64],
    y_norms: &[f64],
    mut out: ArrayViewMut2<'_, f64>,
) {
    // The check that makes the `unsafe` calls of `drive` sound.
    assert!(simd.supported(), "this CPU cannot run the {simd:?} path");
    let Some(out) = out.as_slice_mut() else {
        // Not one row-major block (a transposed or sliced view): compute
        // into a fresh array, then copy.
        let mut fresh = zeroed_matrix(x.nrows(), y.nrows());
        pairwise_into_on::<K>(simd, x, y, x_norms, y_norms, fresh.view_mut());
        out.assign(&fresh);
        return;
    };
    let operands = Operands {
        x,
        y,
        x_norms,
        y_norms,
    };
    match simd {
        Simd::Baseline => drive::<MR, NR>(operands, out, rows_baseline::<K>),
        Simd::Avx2 => drive::<MR, 8>(operands, out, rows_avx2::<K>),
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512 => drive::<{ avx512::TR }, { avx512::TC }>(operands, out, rows_avx512::<K>),
        #[cfg(not(target_arch = "x86_64"))]
        Simd::Avx512 => unreachable!("AVX-512 is detected only on x86-64"),
    }
}

/// What every task reads.
#[derive(Clone, Copy)]
struct Operands<'a> {
    x: ArrayView2<'a, f64>,
    y: ArrayView2<'a, f64>,
    x_norms: &'a [f64],
    y_norms: &'a [f64],
}

/// One rayon task: the output's rows `first_row..`, all their columns, and
/// the packed panels they are computed from.
struct Rows<'a> {
    xp: &'a [f64],
    yp: &'a [f64],
    d: usize,
    first_row: usize,
    out: &'a mut [f64],
    m: usize,
    x_norms: &'a [f64],
    y_norms: &'a [f64],
}

/// The baseline task: the tile the crate was compiled for.
fn rows_baseline<K: PairKernel>(rows: Rows<'_>) {
    // SAFETY: the portable tile compiled for the build's own target needs
    // nothing more than the build does.
    unsafe { rows_body::<K, MR, NR, Portable<K, false>>(rows) }
}

/// The AVX2 task: 4 × 8 tiles in 256-bit registers, with FMA.
///
/// # Safety
/// The CPU must have AVX2 and FMA (`Simd::Avx2.supported()`).
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
unsafe fn rows_avx2<K: PairKernel>(rows: Rows<'_>) {
    // SAFETY: as this function's contract. Inlined here, the body and its
    // tile are compiled for AVX2 + FMA.
    unsafe { rows_body::<K, MR, 8, Portable<K, true>>(rows) }
}

/// The AVX-512 task: the explicit 8 × 24 tile of [`avx512`], twenty-four
/// 512-bit accumulators (AVX-512 has 32 registers, AVX2 16), with FMA.
///
/// # Safety
/// The CPU must have AVX-512 and FMA (`Simd::Avx512.supported()`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn rows_avx512<K: SimdKernel>(rows: Rows<'_>) {
    // SAFETY: as this function's contract.
    unsafe { rows_body::<K, { avx512::TR }, { avx512::TC }, Avx512<K>>(rows) }
}

/// A tile of TR × TC accumulators from packed panels, from the sums of the
/// coordinates before them.
trait Tile<const TR: usize, const TC: usize> {
    /// # Safety
    /// The CPU must have the instructions the tile uses.
    unsafe fn tile(acc: [[f64; TC]; TR], xp: &[f64], yp: &[f64]) -> [[f64; TC]; TR];
}

/// The portable tile, vectorised by the compiler for the target features of
/// the task it is inlined into, stepped with `step_fma` if `FMA`.
struct Portable<K, const FMA: bool>(PhantomData<K>);

impl<K: PairKernel, const TR: usize, const TC: usize, const FMA: bool> Tile<TR, TC>
    for Portable<K, FMA>
{
    #[inline(always)]
    unsafe fn tile(acc: [[f64; TC]; TR], xp: &[f64], yp: &[f64]) -> [[f64; TC]; TR] {
        tile_of_width::<K, TR, TC, FMA>(acc, xp, yp)
    }
}

/// The explicit AVX-512 tile.
#[cfg(target_arch = "x86_64")]
struct Avx512<K>(PhantomData<K>);

#[cfg(target_arch = "x86_64")]
impl<K: SimdKernel> Tile<{ avx512::TR }, { avx512::TC }> for Avx512<K> {
    #[inline(always)]
    unsafe fn tile(
        acc: [[f64; avx512::TC]; avx512::TR],
        xp: &[f64],
        yp: &[f64],
    ) -> [[f64; avx512::TC]; avx512::TR] {
        // SAFETY: the caller's CPU has AVX-512 and FMA (this trait's contract).
        unsafe { avx512::tile::<K>(acc, xp, yp) }
    }
}

/// Packs both operands into panels of `TR` and `TC` points, then runs `task`
/// on blocks of rows in parallel. `task` is a function, not a
/// closure: it is where the target features are switched on, and the rayon
/// closure around it is compiled for the baseline.
fn drive<const TR: usize, const TC: usize>(
    operands: Operands<'_>,
    out: &mut [f64],
    task: unsafe fn(Rows<'_>),
) {
    let Operands {
        x,
        y,
        x_norms,
        y_norms,
    } = operands;
    let (d, m) = (x.ncols(), y.nrows());
    if out.is_empty() {
        return;
    }
    // With blocks of coordinates, each y block is reused once per x panel of
    // a task: give the tasks more rows, as long as every thread gets two.
    let rows_per_task = if d > K_BLOCK {
        let share = x.nrows().div_ceil(2 * rayon::current_num_threads());
        share
            .next_multiple_of(ROWS_PER_TASK)
            .clamp(ROWS_PER_TASK, 8 * ROWS_PER_TASK)
    } else {
        ROWS_PER_TASK
    };
    with_panels::<TR, TC>(x, y, |xp, yp| {
        out.par_chunks_mut(rows_per_task * m)
            .enumerate()
            .for_each(|(t, out)| {
                let rows = Rows {
                    xp,
                    yp,
                    d,
                    first_row: t * rows_per_task,
                    out,
                    m,
                    x_norms,
                    y_norms,
                };
                // SAFETY: `pairwise_into_on` passes a task only after checking
                // that the CPU supports its path.
                unsafe { task(rows) }
            });
    });
}

/// The rows of one task, tile by tile, with the TR × TC tile `T`.
///
/// # Safety
/// The CPU must have the instructions of `T`.
#[inline(always)]
unsafe fn rows_body<K: PairKernel, const TR: usize, const TC: usize, T: Tile<TR, TC>>(
    rows: Rows<'_>,
) {
    // SAFETY: as this function's contract.
    unsafe {
        if rows.d <= K_BLOCK {
            rows_by_panels_of_x::<K, TR, TC, T>(rows);
        } else {
            rows_by_blocks_of_k::<K, TR, TC, T>(rows);
        }
    }
}

/// Few coordinates: each x panel (TR × d values) stays in L1 while it sweeps
/// a block of y panels kept in L2.
///
/// # Safety
/// As [`rows_body`].
#[inline(always)]
unsafe fn rows_by_panels_of_x<K: PairKernel, const TR: usize, const TC: usize, T: Tile<TR, TC>>(
    rows: Rows<'_>,
) {
    let Rows {
        xp,
        yp,
        d,
        first_row,
        out,
        m,
        x_norms,
        y_norms,
    } = rows;
    let row_count = out.len() / m;
    // Enough panels of y to fill Y_BLOCK_BYTES, at least one.
    let cols_per_block = (Y_BLOCK_BYTES / (8 * d.max(1)) / TC).max(1) * TC;
    for col_block in (0..m).step_by(cols_per_block) {
        for i0 in (0..row_count).step_by(TR) {
            let x_panel = &xp[(first_row + i0) * d..][..TR * d];
            for j0 in (col_block..m.min(col_block + cols_per_block)).step_by(TC) {
                let zero = [[0.0; TC]; TR];
                // SAFETY: as this function's contract.
                let acc = unsafe { T::tile(zero, x_panel, &yp[j0 * d..][..TC * d]) };
                let tile = TilePlace {
                    i0,
                    j0,
                    first_row,
                    rows: TR.min(row_count - i0),
                    cols: TC.min(m - j0),
                    m,
                };
                tile.finish::<K, TC>(&acc, out, x_norms, y_norms);
            }
        }
    }
}

/// Many coordinates: a tile's panels no longer fit in L1, so the coordinates
/// are cut into blocks of at most `K_BLOCK`. Within a block, one y panel's
/// block (TC × K_BLOCK values) stays in L1 while the task's x panels stream
/// past it from L2; the partial sums wait in the output between blocks.
///
/// # Safety
/// As [`rows_body`].
#[inline(always)]
unsafe fn rows_by_blocks_of_k<K: PairKernel, const TR: usize, const TC: usize, T: Tile<TR, TC>>(
    rows: Rows<'_>,
) {
    let Rows {
        xp,
        yp,
        d,
        first_row,
        out,
        m,
        x_norms,
        y_norms,
    } = rows;
    let row_count = out.len() / m;
    // Blocks of about equal length, none longer than K_BLOCK.
    let blocks = d.div_ceil(K_BLOCK);
    let block_len = d.div_ceil(blocks);
    for block in 0..blocks {
        let (k0, k1) = (block * block_len, d.min((block + 1) * block_len));
        for j0 in (0..m).step_by(TC) {
            let y_panel = &yp[j0 * d..][k0 * TC..k1 * TC];
            for i0 in (0..row_count).step_by(TR) {
                let x_panel = &xp[(first_row + i0) * d..][k0 * TR..k1 * TR];
                let tile = TilePlace {
                    i0,
                    j0,
                    first_row,
                    rows: TR.min(row_count - i0),
                    cols: TC.min(m - j0),
                    m,
                };
                let mut acc = [[0.0; TC]; TR];
                if block > 0 {
                    tile.load(&mut acc, out);
                }
                // SAFETY: as this function's contract.
                let acc = unsafe { T::tile(acc, x_panel, y_panel) };
                if block + 1 < blocks {
                    tile.store(&acc, out);
                } else {
                    tile.finish::<K, TC>(&acc, out, x_norms, y_norms);
                }
            }
        }
    }
}

/// Where a tile lies in a task's rows of the output: its first row (within
/// the task) and column, and how many of its rows and columns lie inside the
/// matrix (fewer than the tile's at the ragged edges).
struct TilePlace {
    i0: usize,
    j0: usize,
    first_row: usize,
    rows: usize,
    cols: usize,
    m: usize,
}

impl TilePlace {
    /// The output's row r of the tile.
    #[inline(always)]
    fn row<'a>(&self, out: &'a mut [f64], r: usize) -> &'a mut [f64] {
        &mut out[(self.i0 + r) * self.m + self.j0..][..self.cols]
    }

    /// The partial sums stored by the previous block of coordinates.
    #[inline(always)]
    fn load<const TC: usize>(&self, acc: &mut [[f64; TC]], out: &mut [f64]) {
        for (r, acc_row) in acc.iter_mut().enumerate().take(self.rows) {
            acc_row[..self.cols].copy_from_slice(self.row(out, r));
        }
    }

    /// The partial sums, for the next block of coordinates.
    #[inline(always)]
    fn store<const TC: usize>(&self, acc: &[[f64; TC]], out: &mut [f64]) {
        for (r, acc_row) in acc.iter().enumerate().take(self.rows) {
            self.row(out, r).copy_from_slice(&acc_row[..self.cols]);
        }
    }

    /// The finished values of the pairs.
    #[inline(always)]
    fn finish<K: PairKernel, const TC: usize>(
        &self,
        acc: &[[f64; TC]],
        out: &mut [f64],
        x_norms: &[f64],
        y_norms: &[f64],
    ) {
        // The tile's norms of y as one slice (or zeros), checked once: the loop
        // over the columns then has no bounds checks, and becomes vector code.
        let zeros = [0.0; TC];
        let y_norms = if K::NEEDS_NORMS {
            &y_norms[self.j0..][..self.cols]
        } else {
            &zeros[..self.cols]
        };
        for (r, acc_row) in acc.iter().enumerate().take(self.rows) {
            let i = self.first_row + self.i0 + r;
            let x_norm = if K::NEEDS_NORMS { x_norms[i] } else { 0.0 };
            for ((o, &a), &y_norm) in self.row(out, r).iter_mut().zip(acc_row).zip(y_norms) {
                *o = K::finish(a, x_norm, y_norm);
            }
        }
    }
}
// ANCHOR_END: pairwise

/// Every path this CPU has computes what the loops compute (to rounding: the
/// fused multiply-add paths round once per step): the test that covers the
/// paths the shared tests (which run the detected one) do not.
#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::*;
    use crate::direct::SqEuclidean;
    use crate::loops::sq_euclidean_loops;
    use crate::testing::{assert_allclose, random_points};
    use crate::trick::{GramTrick, row_sq_norms};

    #[test]
    fn every_path_computes_what_the_loops_compute() {
        // Ragged edges, one tile, several tasks and column blocks, d = 0.
        for (n, m, d) in [
            (1, 1, 1),
            (9, 19, 5),
            (70, 45, 3),
            (130, 700, 50),
            (5, 3, 0),
        ] {
            let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
            let expected = sq_euclidean_loops(x.view(), y.view()).expect("same d");
            let (x2, y2) = (row_sq_norms(x.view()), row_sq_norms(y.view()));
            let (x2, y2) = (x2.as_slice().expect("1-D"), y2.as_slice().expect("1-D"));
            for simd in Simd::available() {
                let what = format!("{n}x{m}x{d} on {}", simd.name());
                let mut out = Array2::from_elem((n, m), f64::NAN);
                pairwise_into_on::<SqEuclidean>(simd, x.view(), y.view(), &[], &[], out.view_mut());
                assert_allclose(
                    out.view(),
                    expected.view(),
                    1e-12,
                    0.0,
                    &format!("direct, {what}"),
                );
                let mut out = Array2::from_elem((n, m), f64::NAN);
                pairwise_into_on::<GramTrick>(simd, x.view(), y.view(), x2, y2, out.view_mut());
                assert_allclose(
                    out.view(),
                    expected.view(),
                    1e-9,
                    1e-9,
                    &format!("trick, {what}"),
                );
            }
        }
    }
}
