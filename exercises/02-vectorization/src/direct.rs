//! Exercise 5: the compiled-language twist. In NumPy the trick wins because
//! it turns the work into one call to an optimised matrix product. A compiled
//! kernel can compute the definition itself, difference then fused
//! multiply-add, just as fast, and without the trick's cancellation error.
//!
//! Write `tile` in src/kernel.rs first, then the two kernels below.
//!
//! Tests: `cargo test -p vectorization --test direct`.

use ndarray::{Array2, ArrayView2, ArrayViewMut2};

use crate::error::{DimensionMismatch, IntoError};
use crate::kernel::PairKernel;

// ANCHOR: direct_kernels
/// `Σ_k (x_k - y_k)²`, accumulated directly.
pub struct SqEuclidean;

impl PairKernel for SqEuclidean {
    const NEEDS_NORMS: bool = false;
    fn step(acc: f64, x: f64, y: f64) -> f64 {
        // TODO: the difference, then one `crate::kernel::multiply_add`.
        todo!("add ({x} - {y})² to {acc}")
    }
    fn finish(acc: f64, x_norm: f64, y_norm: f64) -> f64 {
        // TODO: the norms are not needed here.
        todo!("the stored value for {acc} (norms {x_norm}, {y_norm} unused)")
    }
}

/// The same sum, square-rooted when stored.
pub struct Euclidean;

impl PairKernel for Euclidean {
    const NEEDS_NORMS: bool = false;
    fn step(acc: f64, x: f64, y: f64) -> f64 {
        // TODO
        todo!("add ({x} - {y})² to {acc}")
    }
    fn finish(acc: f64, x_norm: f64, y_norm: f64) -> f64 {
        // TODO
        todo!("the stored value for {acc} (norms {x_norm}, {y_norm} unused)")
    }
}
// ANCHOR_END: direct_kernels

// ANCHOR: sq_euclidean_direct
/// Squared Euclidean distances with the register-blocked direct kernel:
/// check the dimensions, then `crate::kernel::pairwise::<SqEuclidean>`.
pub fn sq_euclidean_direct(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO
    todo!(
        "direct squared distances between {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}

/// Euclidean distances (with the square root), register-blocked.
pub fn euclidean_direct(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO
    todo!(
        "direct Euclidean distances between {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: sq_euclidean_direct

// ANCHOR: sq_euclidean_direct_into
/// Squared Euclidean distances written into `out`, of shape (n, m): NumPy's
/// `out=` argument. Check all three shapes with `crate::error::check_into`,
/// then call `crate::kernel::pairwise_into::<SqEuclidean>`.
pub fn sq_euclidean_direct_into(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    out: ArrayViewMut2<'_, f64>,
) -> Result<(), IntoError> {
    // TODO
    todo!(
        "direct squared distances between {:?} and {:?} points, into {:?}",
        x.dim(),
        y.dim(),
        out.dim()
    )
}
// ANCHOR_END: sq_euclidean_direct_into
