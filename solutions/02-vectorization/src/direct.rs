//! Exercise 5: the compiled-language twist. In NumPy the trick wins because
//! it turns the work into one call to an optimised matrix product. A compiled
//! kernel can compute the definition itself, difference then fused
//! multiply-add, just as fast, and without the trick's cancellation error.

use ndarray::{Array2, ArrayView2, ArrayViewMut2};

use crate::error::{DimensionMismatch, IntoError, check_dims, check_into};
use crate::kernel::{PairKernel, multiply_add, pairwise, pairwise_into};

// ANCHOR: direct_kernels
/// `Σ_k (x_k - y_k)²`, accumulated directly.
pub struct SqEuclidean;

impl PairKernel for SqEuclidean {
    const NEEDS_NORMS: bool = false;
    #[inline(always)]
    fn step(acc: f64, x: f64, y: f64) -> f64 {
        let diff = x - y;
        multiply_add(diff, diff, acc)
    }
    #[inline(always)]
    fn step_fma(acc: f64, x: f64, y: f64) -> f64 {
        let diff = x - y;
        diff.mul_add(diff, acc)
    }
    #[inline(always)]
    fn finish(acc: f64, _: f64, _: f64) -> f64 {
        acc
    }
}

/// The same sum, square-rooted when stored.
pub struct Euclidean;

impl PairKernel for Euclidean {
    const NEEDS_NORMS: bool = false;
    #[inline(always)]
    fn step(acc: f64, x: f64, y: f64) -> f64 {
        SqEuclidean::step(acc, x, y)
    }
    #[inline(always)]
    fn step_fma(acc: f64, x: f64, y: f64) -> f64 {
        SqEuclidean::step_fma(acc, x, y)
    }
    #[inline(always)]
    fn finish(acc: f64, _: f64, _: f64) -> f64 {
        acc.sqrt()
    }
}
// ANCHOR_END: direct_kernels

// ANCHOR: sq_euclidean_direct
/// Squared Euclidean distances with the register-blocked direct kernel.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::direct::sq_euclidean_direct;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(sq_euclidean_direct(x.view(), y.view())?, array![[0.0, 9.0], [25.0, 16.0]]);
/// assert!(sq_euclidean_direct(x.view(), array![[1.0]].view()).is_err());
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_direct(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    Ok(pairwise::<SqEuclidean>(x, y, &[], &[]))
}

/// Euclidean distances (with the square root), register-blocked.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::direct::euclidean_direct;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(euclidean_direct(x.view(), y.view())?, array![[0.0, 3.0], [5.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn euclidean_direct(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    Ok(pairwise::<Euclidean>(x, y, &[], &[]))
}
// ANCHOR_END: sq_euclidean_direct

// ANCHOR: sq_euclidean_direct_into
/// Squared Euclidean distances written into `out`, of shape (n, m): NumPy's
/// `out=` argument. Calling it again with the same `out` reuses memory that
/// is already mapped, instead of paying the first touch of a fresh result.
///
/// # Examples
///
/// ```
/// use ndarray::{Array2, array};
/// use vectorization_solution::IntoError;
/// use vectorization_solution::direct::sq_euclidean_direct_into;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let mut out = Array2::zeros((2, 2));
/// sq_euclidean_direct_into(x.view(), y.view(), out.view_mut())?;
/// assert_eq!(out, array![[0.0, 9.0], [25.0, 16.0]]);
///
/// let mut wrong = Array2::zeros((3, 2));
/// let result = sq_euclidean_direct_into(x.view(), y.view(), wrong.view_mut());
/// assert!(matches!(result, Err(IntoError::Output(_))));
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_direct_into(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    out: ArrayViewMut2<'_, f64>,
) -> Result<(), IntoError> {
    check_into(x.dim(), y.dim(), out.dim())?;
    pairwise_into::<SqEuclidean>(x, y, &[], &[], out);
    Ok(())
}
// ANCHOR_END: sq_euclidean_direct_into
