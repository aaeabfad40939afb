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
//! cache, and rows of x are split into tasks for rayon: all of that is in
//! `kernel/driver.rs`; this file is the exercise's part and the entry points.
//!
//! The exercise's driver uses the tile the crate is compiled for (`LANES`,
//! `multiply_add`: SSE2 and no FMA in a default build). This one also asks
//! the CPU at run time ([`Simd::detect`]) and runs the same generic body
//! compiled for AVX2 + FMA (4 × 8 tiles) or AVX-512 (8 × 24: twenty-four
//! 512-bit accumulators), so a default build is as fast as a
//! `-C target-cpu=native` one.

use ndarray::{Array2, ArrayView2, ArrayViewMut2};

use support::simd::Simd;

use crate::pages::zeroed_matrix;

#[cfg(target_arch = "x86_64")]
pub mod avx512;
mod driver;

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
    tile_of_width::<K, MR, NR, false>(xp, yp)
}

/// [`tile`] with TR points of x and TC of y, stepped with `K::step_fma` if
/// `FMA`.
#[inline(always)]
fn tile_of_width<K: PairKernel, const TR: usize, const TC: usize, const FMA: bool>(
    xp: &[f64],
    yp: &[f64],
) -> [[f64; TC]; TR] {
    let mut acc = [[0.0; TC]; TR];
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
    let operands = driver::Operands {
        x,
        y,
        x_norms,
        y_norms,
    };
    match simd {
        Simd::Baseline => driver::drive::<MR, NR>(operands, out, driver::rows_baseline::<K>),
        Simd::Avx2 => {
            driver::drive::<MR, { driver::AVX2_NR }>(operands, out, driver::rows_avx2::<K>)
        }
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512 => {
            driver::drive::<{ avx512::TR }, { avx512::TC }>(operands, out, driver::rows_avx512::<K>)
        }
        #[cfg(not(target_arch = "x86_64"))]
        Simd::Avx512 => unreachable!("AVX-512 is detected only on x86-64"),
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
