//! Exercise 3: the trick. Expanding the square,
//!
//! `Σ_k (x_ik - y_jk)² = ‖x_i‖² + ‖y_j‖² - 2 x_i · y_j`,
//!
//! turns the distance matrix into two vectors of squared row norms and one
//! matrix product `x yᵀ` (ndarray: `x.dot(&y.t())`, multithreaded). The price
//! is accuracy: when two points are close compared with their norms, the two
//! large terms cancel and the rounding errors remain.
//!
//! Every function returns `DimensionMismatch` for different d's
//! (`crate::error::check_dims`) and clamps negative round-off to 0.
//!
//! This file is written over three exercises, each with its tests:
//!
//! - exercise 3 (`cargo test -p vectorization --test trick`): `row_sq_norms`,
//!   `sq_euclidean_trick`, `trick_error_bound`;
//! - exercise 4 (`--test fused`): `sq_euclidean_trick_fused_tail`;
//! - exercise 5 (`--test direct`), once your `tile` in src/kernel.rs works:
//!   `GramTrick`, `sq_euclidean_trick_fused_kernel` and its `_into` form, and
//!   `sq_euclidean_trick_checked`.

use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2};

use crate::error::{DimensionMismatch, IntoError};
use crate::kernel::PairKernel;

// ANCHOR: row_sq_norms
/// `‖x_i‖²` for every row: NumPy's `(x * x).sum(axis=1)`, without the temporary.
pub fn row_sq_norms(x: ArrayView2<'_, f64>) -> Array1<f64> {
    // TODO: `map_axis` and `dot`.
    todo!("squared norms of the {} rows", x.nrows())
}
// ANCHOR_END: row_sq_norms

// ANCHOR: sq_euclidean_trick
/// The CSCS notebook's `euclidean_trick`, operation by operation:
/// `x2[:, None] + y2[None, :] - 2 * x @ y.T`, negative values clamped to 0.
pub fn sq_euclidean_trick(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO
    todo!("the trick for {:?} and {:?} points", x.dim(), y.dim())
}
// ANCHOR_END: sq_euclidean_trick

// ANCHOR: sq_euclidean_trick_fused_tail
/// The numexpr lesson: after the product, ONE parallel pass over the (n, m)
/// array does the whole tail `max(x2_i + y2_j - 2 g_ij, 0)` in place.
pub fn sq_euclidean_trick_fused_tail(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: `Zip::from(r.rows_mut()).and(&x2).par_for_each(...)`.
    todo!(
        "the trick with a fused tail for {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: sq_euclidean_trick_fused_tail

// ANCHOR: gram_trick_kernel
/// The trick inside the register-blocked kernel (exercise 5 builds the
/// kernel): accumulate the dot product, apply the tail when storing.
pub struct GramTrick;

impl PairKernel for GramTrick {
    const NEEDS_NORMS: bool = true;
    fn step(acc: f64, x: f64, y: f64) -> f64 {
        // TODO: one multiply-add (`crate::kernel::multiply_add`).
        todo!("accumulate {x} * {y} into {acc}")
    }
    fn finish(dot: f64, x_norm: f64, y_norm: f64) -> f64 {
        // TODO
        todo!("the distance from the dot product {dot} and the norms {x_norm}, {y_norm}")
    }
}

/// The trick with its elementwise tail fused into the product's output:
/// `crate::kernel::pairwise::<GramTrick>` with the row norms as slices.
pub fn sq_euclidean_trick_fused_kernel(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO
    todo!(
        "the trick in the kernel for {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}

/// The same, written into `out` of shape (n, m): `crate::error::check_into`,
/// then `crate::kernel::pairwise_into::<GramTrick>`.
pub fn sq_euclidean_trick_fused_kernel_into(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    out: ArrayViewMut2<'_, f64>,
) -> Result<(), IntoError> {
    // TODO
    todo!(
        "the trick in the kernel for {:?} and {:?} points, into {:?}",
        x.dim(),
        y.dim(),
        out.dim()
    )
}
// ANCHOR_END: gram_trick_kernel

// ANCHOR: trick_error_bound
/// An upper bound on the trick's absolute rounding error for one pair of
/// d-dimensional points with squared norms `x_norm` and `y_norm`:
/// `2 (d + 2) ε (‖x‖² + ‖y‖²)` with ε = `f64::EPSILON`. (Why: each of
/// ‖x‖², ‖y‖² and x·y is a sum of d products, correct to about d·ε of the sum
/// of magnitudes, and |x·y| ≤ (‖x‖² + ‖y‖²) / 2.)
pub fn trick_error_bound(x_norm: f64, y_norm: f64, d: usize) -> f64 {
    // TODO
    todo!("the error bound for norms {x_norm}, {y_norm} in {d} dimensions")
}
// ANCHOR_END: trick_error_bound

// ANCHOR: sq_euclidean_trick_checked
/// Entries of the trick's result below `RECOMPUTE_FACTOR` times the error
/// bound are recomputed directly, so every entry of
/// [`sq_euclidean_trick_checked`] has a relative error below
/// `1 / RECOMPUTE_FACTOR`.
pub const RECOMPUTE_FACTOR: f64 = 1e6;

/// The trick, made safe: compute it, then recompute with the direct formula
/// every entry `v <= RECOMPUTE_FACTOR * trick_error_bound(...)`.
pub fn sq_euclidean_trick_checked(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: `Zip::indexed(&mut r).par_for_each(|(i, j), v| ...)`.
    todo!(
        "the checked trick for {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: sq_euclidean_trick_checked
