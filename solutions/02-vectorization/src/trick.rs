//! Exercises 3 and 4: the trick. Expanding the square,
//!
//! `Σ_k (x_ik - y_jk)² = ‖x_i‖² + ‖y_j‖² - 2 x_i · y_j`,
//!
//! turns the distance matrix into two vectors of squared row norms and one
//! matrix product `x yᵀ`, which optimised libraries compute near the
//! machine's peak. The price is accuracy: when two points are close compared
//! with their norms, the two large terms cancel and the rounding errors remain.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2, Axis, Zip};

use crate::error::{DimensionMismatch, IntoError, check_dims, check_into};
use crate::kernel::{PairKernel, multiply_add, pairwise, pairwise_into};
use crate::pages::zeroed_matrix;

// ANCHOR: row_sq_norms
/// `‖x_i‖²` for every row: NumPy's `(x * x).sum(axis=1)` or
/// `np.einsum('ij,ij->i', x, x)`, without the temporary.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::trick::row_sq_norms;
///
/// assert_eq!(row_sq_norms(array![[3.0, 4.0], [1.0, 0.0]].view()), array![25.0, 1.0]);
/// ```
pub fn row_sq_norms(x: ArrayView2<'_, f64>) -> Array1<f64> {
    x.map_axis(Axis(1), |row| row.dot(&row))
}
// ANCHOR_END: row_sq_norms

// ANCHOR: sq_euclidean_trick
/// The CSCS notebook's `euclidean_trick`, operation by operation:
/// `x2[:, None] + y2[None, :] - 2 * x @ y.T`, with negative round-off
/// clamped to 0. Every operator is a full pass over (n, m) values; NumPy
/// also allocates a new array for each, while ndarray reuses the buffer of
/// an operand it owns (here two (n, m) arrays are allocated: the product
/// and the sum of the norms).
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::trick::sq_euclidean_trick;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(sq_euclidean_trick(x.view(), y.view())?, array![[0.0, 9.0], [25.0, 16.0]]);
/// assert!(sq_euclidean_trick(x.view(), array![[1.0]].view()).is_err());
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_trick(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let (x2, y2) = (row_sq_norms(x), row_sq_norms(y));
    let gram = x.dot(&y.t()); // the matrix product: multithreaded matrixmultiply
    let sum_of_norms = &x2.insert_axis(Axis(1)) + &y2.insert_axis(Axis(0));
    let r = sum_of_norms - 2.0 * gram;
    Ok(r.mapv_into(|v| v.max(0.0)))
}
// ANCHOR_END: sq_euclidean_trick

// ANCHOR: sq_euclidean_trick_fused_tail
/// The numexpr lesson: after the product, one parallel pass over the (n, m)
/// array does the whole elementwise tail in place, instead of one pass and
/// one temporary per operator. (The product is written into an array on huge
/// pages, as NumPy's would be: see [`crate::pages`].)
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::trick::sq_euclidean_trick_fused_tail;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let r = sq_euclidean_trick_fused_tail(x.view(), y.view())?;
/// assert_eq!(r, array![[0.0, 9.0], [25.0, 16.0]]);
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_trick_fused_tail(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let (x2, y2) = (row_sq_norms(x), row_sq_norms(y));
    let mut r = zeroed_matrix(x.nrows(), y.nrows());
    general_mat_mul(1.0, &x, &y.t(), 0.0, &mut r); // r = x yᵀ, like `x.dot(&y.t())`
    Zip::from(r.rows_mut())
        .and(&x2)
        .par_for_each(|row, &x_norm| {
            Zip::from(row).and(&y2).for_each(|v, &y_norm| {
                *v = (x_norm + y_norm - 2.0 * *v).max(0.0);
            });
        });
    Ok(r)
}
// ANCHOR_END: sq_euclidean_trick_fused_tail

// ANCHOR: gram_trick_kernel
/// The trick inside the register-blocked kernel: accumulate the dot product,
/// apply the tail when the tile is stored. No (n, m) pass after the product.
pub struct GramTrick;

impl PairKernel for GramTrick {
    const NEEDS_NORMS: bool = true;
    #[inline(always)]
    fn step(acc: f64, x: f64, y: f64) -> f64 {
        multiply_add(x, y, acc)
    }
    #[inline(always)]
    fn step_fma(acc: f64, x: f64, y: f64) -> f64 {
        x.mul_add(y, acc)
    }
    #[inline(always)]
    fn finish(dot: f64, x_norm: f64, y_norm: f64) -> f64 {
        (x_norm + y_norm - 2.0 * dot).max(0.0)
    }
}

/// The trick with its elementwise tail fused into the product's output.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::trick::sq_euclidean_trick_fused_kernel;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let r = sq_euclidean_trick_fused_kernel(x.view(), y.view())?;
/// assert_eq!(r, array![[0.0, 9.0], [25.0, 16.0]]);
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_trick_fused_kernel(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let (x2, y2) = (row_sq_norms(x), row_sq_norms(y));
    let (x2, y2) = (x2.as_slice().expect("fresh"), y2.as_slice().expect("fresh"));
    Ok(pairwise::<GramTrick>(x, y, x2, y2))
}

/// The same, written into `out` of shape (n, m), reused from call to call.
///
/// # Examples
///
/// ```
/// use ndarray::{Array2, array};
/// use vectorization_solution::IntoError;
/// use vectorization_solution::trick::sq_euclidean_trick_fused_kernel_into;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let mut out = Array2::zeros((2, 2));
/// sq_euclidean_trick_fused_kernel_into(x.view(), y.view(), out.view_mut())?;
/// assert_eq!(out, array![[0.0, 9.0], [25.0, 16.0]]);
///
/// let mut wrong = Array2::zeros((2, 3));
/// let result = sq_euclidean_trick_fused_kernel_into(x.view(), y.view(), wrong.view_mut());
/// assert!(matches!(result, Err(IntoError::Output(_))));
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_trick_fused_kernel_into(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    out: ArrayViewMut2<'_, f64>,
) -> Result<(), IntoError> {
    check_into(x.dim(), y.dim(), out.dim())?;
    let (x2, y2) = (row_sq_norms(x), row_sq_norms(y));
    let (x2, y2) = (x2.as_slice().expect("fresh"), y2.as_slice().expect("fresh"));
    pairwise_into::<GramTrick>(x, y, x2, y2, out);
    Ok(())
}
// ANCHOR_END: gram_trick_kernel

// ANCHOR: trick_error_bound
/// An upper bound on the trick's absolute rounding error for one pair of
/// d-dimensional points with squared norms `x_norm` and `y_norm`.
///
/// Each of ‖x‖², ‖y‖² and x·y is a sum of d products, computed with a
/// relative error of at most about d·ε (ε = `f64::EPSILON`) of the sum of
/// the magnitudes; and |x·y| ≤ (‖x‖² + ‖y‖²) / 2. Adding the pieces (with a
/// little slack for the final additions) gives (d + 2)·ε·2·(‖x‖² + ‖y‖²).
/// The exact distance can be far smaller than this when the points are close.
///
/// # Examples
///
/// ```
/// use vectorization_solution::trick::trick_error_bound;
///
/// // Two unit vectors in 2-D: 2 · (2 + 2) · ε · (1 + 1).
/// assert_eq!(trick_error_bound(1.0, 1.0, 2), 16.0 * f64::EPSILON);
/// ```
pub fn trick_error_bound(x_norm: f64, y_norm: f64, d: usize) -> f64 {
    2.0 * (d as f64 + 2.0) * f64::EPSILON * (x_norm + y_norm)
}
// ANCHOR_END: trick_error_bound

// ANCHOR: sq_euclidean_trick_checked
/// Entries of the trick's result below `RECOMPUTE_FACTOR` times the error
/// bound are recomputed directly, so every entry of
/// [`sq_euclidean_trick_checked`] has a relative error below
/// `1 / RECOMPUTE_FACTOR`.
pub const RECOMPUTE_FACTOR: f64 = 1e6;

/// The trick, made safe: every entry small enough that rounding error could
/// be a noticeable part of it is recomputed with the direct formula. For
/// points that are not near-duplicates this touches no entry (the check is
/// one comparison per entry); for clustered data it costs one direct
/// evaluation per flagged pair.
///
/// # Examples
///
/// Two points at distance 1, far from the origin: the trick's large terms
/// cancel and leave only rounding error, the checked version recomputes the
/// entry:
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::trick::{sq_euclidean_trick, sq_euclidean_trick_checked};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[1e8, 0.0]];
/// let y = array![[1e8 + 1.0, 0.0]];
/// assert_ne!(sq_euclidean_trick(x.view(), y.view())?[[0, 0]], 1.0);
/// assert_eq!(sq_euclidean_trick_checked(x.view(), y.view())?[[0, 0]], 1.0);
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_trick_checked(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    let mut r = sq_euclidean_trick_fused_kernel(x, y)?;
    let (x2, y2, d) = (row_sq_norms(x), row_sq_norms(y), x.ncols());
    let y2 = y2.as_slice().expect("fresh");
    // The bound is linear in the norms: `v <= scale * (x2 + y2)`, one
    // multiply-add and a comparison per entry, row by row.
    let scale = RECOMPUTE_FACTOR * trick_error_bound(1.0, 0.0, d);
    Zip::from(r.rows_mut())
        .and(&x2)
        .and(x.rows())
        .par_for_each(|mut row, &x_norm, xi| {
            for ((v, &y_norm), yj) in row.iter_mut().zip(y2).zip(y.rows()) {
                if *v <= scale * (x_norm + y_norm) {
                    *v = xi.iter().zip(yj).map(|(a, b)| (a - b) * (a - b)).sum();
                }
            }
        });
    Ok(r)
}
// ANCHOR_END: sq_euclidean_trick_checked
