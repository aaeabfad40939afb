//! The AVX-512 tile written with explicit instructions: 8 points of x against
//! 24 of y, twenty-four 512-bit accumulators, 3 loads, 8 broadcasts and 24
//! fused multiply-adds per coordinate. With 32 registers, 8 × 24 leaves room
//! for the 3 values of y and a broadcast; against 8 × 16 it loads less per
//! multiply-add (11 loads for 24, not 10 for 16), and ran the 500×500×500
//! trick in 2.4 ms instead of 3.3 on the course VM (Intel Xeon, 2026-12-06).
//!
//! Why not let the compiler vectorise the portable tile with 8-lane
//! registers, as it does in the default build? Because in a build for an
//! AVX-512 CPU (`-C target-cpu=native`) LLVM may prefer 256-bit vectors
//! (its tuning for several Intel CPUs): an 8 × 16 tile then needed 32
//! accumulator registers of 4 lanes, spilled them to the stack, and ran 1.5
//! times slower than in the default build. Named registers leave it no choice.
//!
//! The functions here are inlined into the `#[target_feature(enable =
//! "avx512f,fma")]` task of the driver, and are `unsafe` to call anywhere
//! else.

use std::arch::x86_64::{
    __m512d, _mm512_fmadd_pd, _mm512_loadu_pd, _mm512_set1_pd, _mm512_setzero_pd, _mm512_storeu_pd,
    _mm512_sub_pd,
};

use super::PairKernel;
use crate::direct::{Euclidean, SqEuclidean};
use crate::trick::GramTrick;

/// f64 lanes in one AVX-512 register.
const LANES: usize = 8;
/// Points of x per tile.
pub const TR: usize = 8;
/// Registers of y per tile row.
const VECTORS: usize = 3;
/// Points of y per tile.
pub const TC: usize = VECTORS * LANES;

// ANCHOR: simd_kernel
/// [`PairKernel::step_fma`] on 8 pairs at once.
pub trait SimdKernel: PairKernel {
    /// # Safety
    /// The CPU must have AVX-512 and FMA: call it only from code compiled
    /// for them, where it is inlined.
    unsafe fn step8(acc: __m512d, x: __m512d, y: __m512d) -> __m512d;
}

impl SimdKernel for SqEuclidean {
    #[inline(always)]
    unsafe fn step8(acc: __m512d, x: __m512d, y: __m512d) -> __m512d {
        // SAFETY: the caller runs on AVX-512 with FMA (the trait's contract).
        unsafe {
            let diff = _mm512_sub_pd(x, y);
            _mm512_fmadd_pd(diff, diff, acc)
        }
    }
}

impl SimdKernel for Euclidean {
    #[inline(always)]
    unsafe fn step8(acc: __m512d, x: __m512d, y: __m512d) -> __m512d {
        // SAFETY: as above.
        unsafe { SqEuclidean::step8(acc, x, y) }
    }
}

impl SimdKernel for GramTrick {
    #[inline(always)]
    unsafe fn step8(acc: __m512d, x: __m512d, y: __m512d) -> __m512d {
        // SAFETY: as above.
        unsafe { _mm512_fmadd_pd(x, y, acc) }
    }
}
// ANCHOR_END: simd_kernel

// ANCHOR: tile_avx512
/// One TR × TC tile from packed panels, as the portable tile computes it
/// with `step_fma`.
///
/// # Safety
/// The CPU must have AVX-512 and FMA.
#[inline(always)]
pub unsafe fn tile<K: SimdKernel>(xp: &[f64], yp: &[f64]) -> [[f64; TC]; TR] {
    let mut sums = [[0.0; TC]; TR];
    // SAFETY: the caller runs on AVX-512 with FMA (this function's contract).
    // Every load reads 8 values of a TC-value chunk from `chunks_exact(TC)`;
    // every store writes 8 values into a row of `sums`.
    unsafe {
        let mut regs = [[_mm512_setzero_pd(); VECTORS]; TR];
        for (xk, yk) in xp.chunks_exact(TR).zip(yp.chunks_exact(TC)) {
            let y: [__m512d; VECTORS] =
                std::array::from_fn(|v| _mm512_loadu_pd(yk.as_ptr().add(v * LANES)));
            for (row, &xv) in regs.iter_mut().zip(xk) {
                let x = _mm512_set1_pd(xv);
                for (reg, &yv) in row.iter_mut().zip(&y) {
                    *reg = K::step8(*reg, x, yv);
                }
            }
        }
        for (sum_row, row) in sums.iter_mut().zip(&regs) {
            for (v, &reg) in row.iter().enumerate() {
                _mm512_storeu_pd(sum_row.as_mut_ptr().add(v * LANES), reg);
            }
        }
    }
    sums
}
// ANCHOR_END: tile_avx512
