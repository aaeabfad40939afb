//! The driver around the tile: packing, the blocking of rows and columns, the
//! rayon tasks, and one task function per instruction set.
//!
//! Each task function is a `#[target_feature]` function around the same
//! `#[inline(always)]` generic body ([`rows_body`]): inlined there, the body
//! and its tile are compiled for that function's instructions. The caller,
//! [`super::pairwise_into_on`], calls a task only on a CPU that has them.

use std::cell::RefCell;
use std::marker::PhantomData;

use ndarray::{ArrayView2, s};
use rayon::prelude::*;

#[cfg(target_arch = "x86_64")]
use super::avx512;
use super::{MR, NR, PairKernel, SimdKernel, tile_of_width};

/// Points of y per AVX2 tile: two 256-bit registers of 4 f64.
pub(super) const AVX2_NR: usize = 8;
/// Rows of the output per rayon task (a multiple of every tile's rows).
const ROWS_PER_TASK: usize = 64;
/// Bytes of packed y kept hot in L2 while a task sweeps its rows over them.
///
/// There is no blocking of the coordinates (the k loop): it was tried, blocks
/// of 128 with the partial sums waiting in the output between blocks, and on
/// the course VM (Intel Xeon with AVX-512, 2026-12-06) it was slower at every
/// d from 200 to 2000: 2.42 against 2.23 ms at 500×500×500, 47 against 28 ms
/// at 3000×3000×200, where the partial sums of a 72 MB output go to memory
/// and back once per block. A tile's panels come from L2 fast enough.
const Y_BLOCK_BYTES: usize = 256 * 1024;

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

/// What every task reads.
#[derive(Clone, Copy)]
pub(super) struct Operands<'a> {
    pub x: ArrayView2<'a, f64>,
    pub y: ArrayView2<'a, f64>,
    pub x_norms: &'a [f64],
    pub y_norms: &'a [f64],
}

/// One rayon task: the output's rows `first_row..`, all their columns, and
/// the packed panels they are computed from.
pub(super) struct Rows<'a> {
    xp: &'a [f64],
    yp: &'a [f64],
    d: usize,
    first_row: usize,
    out: &'a mut [f64],
    m: usize,
    x_norms: &'a [f64],
    y_norms: &'a [f64],
}

impl Rows<'_> {
    /// Rows of the output in this task.
    fn row_count(&self) -> usize {
        self.out.len() / self.m
    }

    /// Where the TR × TC tile at (i0, j0) of this task lies.
    fn place<const TR: usize, const TC: usize>(&self, i0: usize, j0: usize) -> TilePlace {
        TilePlace {
            i0,
            j0,
            first_row: self.first_row,
            rows: TR.min(self.row_count() - i0),
            cols: TC.min(self.m - j0),
            m: self.m,
        }
    }
}

/// The baseline task: the tile the crate was compiled for.
pub(super) fn rows_baseline<K: PairKernel>(rows: Rows<'_>) {
    // SAFETY: the portable tile compiled for the build's own target needs
    // nothing more than the build does.
    unsafe { rows_body::<K, MR, NR, Portable<K, false>>(rows) }
}

/// The AVX2 task: 4 × 8 tiles in 256-bit registers, with FMA.
///
/// # Safety
/// The CPU must have AVX2 and FMA (`Simd::Avx2.supported()`).
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
pub(super) unsafe fn rows_avx2<K: PairKernel>(rows: Rows<'_>) {
    // SAFETY: as this function's contract. Inlined here, the body and its
    // tile are compiled for AVX2 + FMA.
    unsafe { rows_body::<K, MR, AVX2_NR, Portable<K, true>>(rows) }
}

/// The AVX-512 task: the explicit 8 × 24 tile of [`avx512`], twenty-four
/// 512-bit accumulators (AVX-512 has 32 registers, AVX2 16), with FMA.
///
/// # Safety
/// The CPU must have AVX-512 and FMA (`Simd::Avx512.supported()`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
pub(super) unsafe fn rows_avx512<K: SimdKernel>(rows: Rows<'_>) {
    // SAFETY: as this function's contract.
    unsafe { rows_body::<K, { avx512::TR }, { avx512::TC }, Avx512<K>>(rows) }
}

/// A tile of TR × TC accumulators from packed panels.
trait Tile<const TR: usize, const TC: usize> {
    /// # Safety
    /// The CPU must have the instructions the tile uses.
    unsafe fn tile(xp: &[f64], yp: &[f64]) -> [[f64; TC]; TR];
}

/// The portable tile, vectorised by the compiler for the target features of
/// the task it is inlined into, stepped with `step_fma` if `FMA`.
struct Portable<K, const FMA: bool>(PhantomData<K>);

impl<K: PairKernel, const TR: usize, const TC: usize, const FMA: bool> Tile<TR, TC>
    for Portable<K, FMA>
{
    #[inline(always)]
    unsafe fn tile(xp: &[f64], yp: &[f64]) -> [[f64; TC]; TR] {
        tile_of_width::<K, TR, TC, FMA>(xp, yp)
    }
}

/// The explicit AVX-512 tile.
#[cfg(target_arch = "x86_64")]
struct Avx512<K>(PhantomData<K>);

#[cfg(target_arch = "x86_64")]
impl<K: SimdKernel> Tile<{ avx512::TR }, { avx512::TC }> for Avx512<K> {
    #[inline(always)]
    unsafe fn tile(xp: &[f64], yp: &[f64]) -> [[f64; avx512::TC]; avx512::TR] {
        // SAFETY: the caller's CPU has AVX-512 and FMA (this trait's contract).
        unsafe { avx512::tile::<K>(xp, yp) }
    }
}

/// Packs both operands into panels of `TR` and `TC` points, then runs `task`
/// on blocks of rows in parallel. `task` is a function, not a
/// closure: it is where the target features are switched on, and the rayon
/// closure around it is compiled for the baseline.
pub(super) fn drive<const TR: usize, const TC: usize>(
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
    with_panels::<TR, TC>(x, y, |xp, yp| {
        out.par_chunks_mut(ROWS_PER_TASK * m)
            .enumerate()
            .for_each(|(t, out)| {
                let rows = Rows {
                    xp,
                    yp,
                    d,
                    first_row: t * ROWS_PER_TASK,
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

/// The rows of one task, tile by tile, with the TR × TC tile `T`: each x
/// panel (TR × d values) stays in L1 while it sweeps a block of y panels kept
/// in L2.
///
/// # Safety
/// The CPU must have the instructions of `T`.
#[inline(always)]
unsafe fn rows_body<K: PairKernel, const TR: usize, const TC: usize, T: Tile<TR, TC>>(
    rows: Rows<'_>,
) {
    let (d, m) = (rows.d, rows.m);
    // Enough panels of y to fill Y_BLOCK_BYTES, at least one.
    let cols_per_block = (Y_BLOCK_BYTES / (8 * d.max(1)) / TC).max(1) * TC;
    for col_block in (0..m).step_by(cols_per_block) {
        for i0 in (0..rows.row_count()).step_by(TR) {
            let x_panel = &rows.xp[(rows.first_row + i0) * d..][..TR * d];
            for j0 in (col_block..m.min(col_block + cols_per_block)).step_by(TC) {
                // SAFETY: as this function's contract.
                let acc = unsafe { T::tile(x_panel, &rows.yp[j0 * d..][..TC * d]) };
                let tile = rows.place::<TR, TC>(i0, j0);
                tile.finish::<K, TC>(&acc, rows.out, rows.x_norms, rows.y_norms);
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
