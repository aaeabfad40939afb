//! The tile of exercise 6 written with explicit AVX-512 instructions, used by
//! [`super::pairwise_blocked`] when the CPU it runs on has them (asked at run
//! time; the functions here are inlined into one `#[target_feature(enable =
//! "avx512f")]` function, and every one of them is `unsafe` to call anywhere
//! else).
//!
//! Why not let the compiler vectorise the portable [`super::tile`] with
//! 8-lane registers? Because it does not: with 4 × 16 accumulators LLVM
//! vectorises the loop over k instead, and keeps the sums in memory with
//! gather and scatter instructions, about 7 times slower than 4 × 8 sums in
//! 256-bit registers. Here every register is named: 16 accumulators (8 rows
//! of x × 2 vectors of 8 points of y), 2 loads and 8 broadcasts per k.
//!
//! Each lane computes the same operations in the same order as
//! [`super::Metric::step`] (no fused multiply-add), so the results stay bit
//! for bit those of the serial loops.

use std::arch::x86_64::{
    __m512d, _mm512_abs_pd, _mm512_add_pd, _mm512_loadu_pd, _mm512_mul_pd, _mm512_set1_pd,
    _mm512_setzero_pd, _mm512_sqrt_pd, _mm512_storeu_pd, _mm512_sub_pd,
};

use super::{Cityblock, Euclidean, Metric, TileOut};

/// f64 lanes in one AVX-512 register.
const LANES: usize = 8;
/// Registers of y per tile row.
const VECTORS: usize = 2;
/// Points of x per tile.
pub const MR: usize = 8;
/// Points of y per tile.
pub const NR: usize = VECTORS * LANES;

// ANCHOR: simd_metric
/// [`Metric::step`] and [`Metric::finish`] on 8 lanes at once.
pub trait SimdMetric: Metric {
    /// [`Metric::step`] on 8 pairs at once.
    ///
    /// # Safety
    /// The CPU must have AVX-512: call it only from code compiled for it,
    /// where it is inlined.
    unsafe fn step8(sum: __m512d, x: __m512d, y: __m512d) -> __m512d;
    /// [`Metric::finish`] on 8 sums at once.
    ///
    /// # Safety
    /// As for `step8`.
    unsafe fn finish8(sum: __m512d) -> __m512d;
}

impl SimdMetric for Cityblock {
    #[inline(always)]
    unsafe fn step8(sum: __m512d, x: __m512d, y: __m512d) -> __m512d {
        // SAFETY: the caller runs on AVX-512 (the trait's contract).
        unsafe { _mm512_add_pd(sum, _mm512_abs_pd(_mm512_sub_pd(x, y))) }
    }

    #[inline(always)]
    unsafe fn finish8(sum: __m512d) -> __m512d {
        sum
    }
}

impl SimdMetric for Euclidean {
    #[inline(always)]
    unsafe fn step8(sum: __m512d, x: __m512d, y: __m512d) -> __m512d {
        // SAFETY: as above. Multiply, then add: an FMA would round once and
        // change the last bit.
        unsafe {
            let diff = _mm512_sub_pd(x, y);
            _mm512_add_pd(sum, _mm512_mul_pd(diff, diff))
        }
    }

    #[inline(always)]
    unsafe fn finish8(sum: __m512d) -> __m512d {
        // SAFETY: as above. The vector square root is correctly rounded, as
        // f64::sqrt is: the same bits.
        unsafe { _mm512_sqrt_pd(sum) }
    }
}
// ANCHOR_END: simd_metric

// ANCHOR: tile_avx512
/// One MR × NR tile from packed panels, as [`super::tile`] computes it,
/// finished and stored into `out`: straight from the registers when the
/// whole tile lies inside the matrix.
///
/// # Safety
/// The CPU must have AVX-512.
#[inline(always)]
pub unsafe fn tile_into<M: SimdMetric>(xp: &[f64], yp: &[f64], out: TileOut<'_>) {
    // SAFETY: the caller runs on AVX-512 (this function's contract). Every load reads a
    // chunk of exactly NR values from `chunks_exact`. Every store writes NR
    // values: into a row of `sums`, or into row r of `out`, which holds at
    // least (MR - 1) * stride + NR values when rows == MR and cols == NR
    // (asserted below).
    unsafe {
        let mut acc = [[_mm512_setzero_pd(); VECTORS]; MR];
        for (xk, yk) in xp.chunks_exact(MR).zip(yp.chunks_exact(NR)) {
            let y = [
                _mm512_loadu_pd(yk.as_ptr()),
                _mm512_loadu_pd(yk.as_ptr().add(LANES)),
            ];
            for (row, &xv) in acc.iter_mut().zip(xk) {
                let x = _mm512_set1_pd(xv);
                for (sum, &yv) in row.iter_mut().zip(&y) {
                    *sum = M::step8(*sum, x, yv);
                }
            }
        }
        if out.rows == MR && out.cols == NR {
            assert!(
                out.out.len() >= (MR - 1) * out.stride + NR,
                "a whole tile fits"
            );
            let base = out.out.as_mut_ptr();
            for (r, row) in acc.iter().enumerate() {
                for (v, &sum) in row.iter().enumerate() {
                    _mm512_storeu_pd(base.add(r * out.stride + v * LANES), M::finish8(sum));
                }
            }
        } else {
            // A ragged edge: through an array, and the portable store.
            let mut sums = [[0.0; NR]; MR];
            for (sum_row, row) in sums.iter_mut().zip(&acc) {
                for (v, &sum) in row.iter().enumerate() {
                    _mm512_storeu_pd(sum_row.as_mut_ptr().add(v * LANES), sum);
                }
            }
            out.store::<M, NR>(&sums);
        }
    }
}
// ANCHOR_END: tile_avx512
