//! The driver around the tile: one rayon task per block of rows, and one task
//! function per instruction set. Each task function is a `#[target_feature]`
//! function around the same `#[inline(always)]` generic body ([`rows_body`]):
//! inlined there, the body and its tile are compiled for that function's
//! instructions. [`super::pairwise_blocked_on`] calls a task only on a CPU
//! that has them.

use std::marker::PhantomData;

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;
use support::simd::Simd;

#[cfg(target_arch = "x86_64")]
use super::avx512;
use super::{
    AlignedPanels, MR, Metric, NR, ROWS_PER_TASK, SimdMetric, TileOut, Y_BLOCK_BYTES, tile_of_width,
};
use crate::pages::zeroed_matrix;

/// Points of y per AVX2 tile: two 256-bit registers of 4 f64.
pub(super) const AVX2_NR: usize = 8;

// ANCHOR: simd_tile
/// A tile of TR × TC distances from packed panels, stored into its place.
trait Tile<const TR: usize, const TC: usize> {
    /// # Safety
    /// The CPU must have the instructions the tile uses.
    unsafe fn tile_into(xp: &[f64], yp: &[f64], out: TileOut<'_>);
}

/// The portable [`super::tile`], vectorised by the compiler for the target features
/// of the function it is inlined into: TC / 2 SSE2 registers per row in the
/// baseline task, TC / 4 AVX2 registers in the AVX2 task.
struct Portable<M>(PhantomData<M>);

impl<M: Metric, const TC: usize> Tile<MR, TC> for Portable<M> {
    #[inline(always)]
    unsafe fn tile_into(xp: &[f64], yp: &[f64], out: TileOut<'_>) {
        out.store::<M, TC>(&tile_of_width::<M, TC>(xp, yp));
    }
}

/// The explicit 8 × 16 tile of the `avx512` module.
#[cfg(target_arch = "x86_64")]
struct Avx512<M>(PhantomData<M>);

#[cfg(target_arch = "x86_64")]
impl<M: SimdMetric> Tile<{ avx512::MR }, { avx512::NR }> for Avx512<M> {
    #[inline(always)]
    unsafe fn tile_into(xp: &[f64], yp: &[f64], out: TileOut<'_>) {
        // SAFETY: the caller's CPU has AVX-512 (this trait's contract).
        unsafe { avx512::tile_into::<M>(xp, yp, out) }
    }
}

/// The baseline task: the tile the crate was compiled for (`MR` × `NR`).
pub(super) fn rows_baseline<M: Metric>(rows: Rows<'_>) {
    // SAFETY: the portable tile compiled for the build's own target needs
    // nothing more than the build does.
    unsafe { rows_body::<MR, NR, Portable<M>>(rows) }
}

/// The AVX2 task: the portable tile, 4 × 8 in 256-bit registers.
///
/// # Safety
/// The CPU must have AVX2 (`Simd::Avx2.supported()`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(super) unsafe fn rows_avx2<M: Metric>(rows: Rows<'_>) {
    // SAFETY: as this function's contract. Inlined here, the body and the
    // tile are compiled for AVX2.
    unsafe { rows_body::<MR, AVX2_NR, Portable<M>>(rows) }
}

/// The AVX-512 task: the explicit 8 × 16 tile.
///
/// # Safety
/// The CPU must have AVX-512 (`Simd::Avx512.supported()`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn rows_avx512<M: SimdMetric>(rows: Rows<'_>) {
    // SAFETY: as this function's contract.
    unsafe { rows_body::<{ avx512::MR }, { avx512::NR }, Avx512<M>>(rows) }
}
// ANCHOR_END: simd_tile

// ANCHOR: drive
/// One rayon task: the output's rows `first_row..`, all their columns.
pub(super) struct Rows<'a> {
    xp: &'a [f64],
    yp: &'a [f64],
    d: usize,
    first_row: usize,
    out: &'a mut [f64],
    m: usize,
}

/// Packs both operands into panels of `TR` and `TC` points, then runs `task`
/// on blocks of `ROWS_PER_TASK` rows in parallel. `task` is a function, not a
/// closure: it is where the target features are switched on, and the rayon
/// closure around it is compiled for the baseline.
pub(super) fn drive<const TR: usize, const TC: usize>(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    task: unsafe fn(Rows<'_>),
) -> Array2<f64> {
    let ((n, d), m) = (x.dim(), y.nrows());
    let mut out = zeroed_matrix(n, m);
    if n == 0 || m == 0 {
        return out;
    }
    let (x_panels, y_panels) = (AlignedPanels::pack::<TR>(x), AlignedPanels::pack::<TC>(y));
    let (xp, yp) = (x_panels.as_slice(), y_panels.as_slice());
    let out_data = out.as_slice_mut().expect("a fresh array is row-major");
    out_data
        .par_chunks_mut(ROWS_PER_TASK * m)
        .enumerate()
        .for_each(|(t, out)| {
            let rows = Rows {
                xp,
                yp,
                d,
                first_row: t * ROWS_PER_TASK,
                out,
                m,
            };
            // SAFETY: `pairwise_blocked_on` passes a task only after checking
            // that the CPU supports its path.
            unsafe { task(rows) }
        });
    out
}

/// The rows of one task, tile by tile, with tiles of `TR` × `TC`.
///
/// # Safety
/// The CPU must have the instructions of the tile `T`.
#[inline(always)]
unsafe fn rows_body<const TR: usize, const TC: usize, T: Tile<TR, TC>>(rows: Rows<'_>) {
    let Rows {
        xp,
        yp,
        d,
        first_row,
        out,
        m,
    } = rows;
    let row_count = out.len() / m;
    // Enough panels of y to fill Y_BLOCK_BYTES, at least one.
    let cols_per_block = (Y_BLOCK_BYTES / (8 * d.max(1)) / TC).max(1) * TC;
    for col_block in (0..m).step_by(cols_per_block) {
        let block_end = m.min(col_block + cols_per_block);
        for i0 in (0..row_count).step_by(TR) {
            let x_panel = &xp[(first_row + i0) * d..][..TR * d];
            for j0 in (col_block..block_end).step_by(TC) {
                let tile_out = TileOut {
                    out: &mut out[i0 * m + j0..],
                    stride: m,
                    rows: TR.min(row_count - i0),
                    cols: TC.min(m - j0),
                };
                // SAFETY: as this function's contract.
                unsafe { T::tile_into(x_panel, &yp[j0 * d..][..TC * d], tile_out) };
            }
        }
    }
}
// ANCHOR_END: drive

/// The tile's shape on the path `simd`: (points of x, points of y).
pub fn tile_shape(simd: Simd) -> (usize, usize) {
    match simd {
        Simd::Avx2 => (MR, AVX2_NR),
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512 => (avx512::MR, avx512::NR),
        _ => (MR, NR),
    }
}

/// The work of one rayon task on panels already packed for the path `simd`
/// ([`tile_shape`]): `out.len() / m` rows of distances against the m points
/// of y in `yp`. For `examples/limits.rs`, which times the tiles with their
/// panels in cache. Panics if this CPU cannot run the path.
pub fn task_on<M: SimdMetric>(simd: Simd, xp: &[f64], yp: &[f64], d: usize, out: &mut [f64]) {
    assert!(simd.supported(), "this CPU cannot run the {simd:?} path");
    let (tile_rows, tile_cols) = tile_shape(simd);
    assert!(
        d > 0 && yp.len().is_multiple_of(tile_cols * d),
        "whole panels of y"
    );
    let m = yp.len() / d;
    assert!(m > 0 && out.len().is_multiple_of(m), "whole rows of output");
    assert_eq!(
        xp.len(),
        (out.len() / m).div_ceil(tile_rows) * tile_rows * d,
        "one panel of x per {tile_rows} rows of output"
    );
    let rows = Rows {
        xp,
        yp,
        d,
        first_row: 0,
        out,
        m,
    };
    // SAFETY: the CPU supports the path (asserted above).
    unsafe {
        match simd {
            Simd::Baseline => rows_baseline::<M>(rows),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2 => rows_avx2::<M>(rows),
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512 => rows_avx512::<M>(rows),
            #[cfg(not(target_arch = "x86_64"))]
            _ => unreachable!("only the baseline is supported off x86-64"),
        }
    }
}
