//! Exercise 2: the distance matrix by broadcasting, and what its (n, m, d)
//! temporary costs.

use ndarray::{Array2, ArrayView2, Axis};

use crate::error::{DimensionMismatch, check_dims};

// ANCHOR: sq_euclidean_broadcast
/// NumPy's `((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)`, faithfully:
/// one (n, m, d) temporary for the differences and a second one for their
/// squares, then a reduction over the last axis.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::broadcast::sq_euclidean_broadcast;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(sq_euclidean_broadcast(x.view(), y.view())?, array![[0.0, 9.0], [25.0, 16.0]]);
/// assert!(sq_euclidean_broadcast(x.view(), array![[1.0]].view()).is_err());
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_broadcast(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let diff = &x.insert_axis(Axis(1)) - &y.insert_axis(Axis(0)); // temporary 1
    let squared = &diff * &diff; // temporary 2
    Ok(squared.sum_axis(Axis(2)))
}
// ANCHOR_END: sq_euclidean_broadcast

// ANCHOR: sq_euclidean_broadcast_einsum
/// The `np.einsum('ijk,ijk->ij', diff, diff)` variant: square and sum in one
/// pass over the differences, so only the first temporary is allocated.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::broadcast::sq_euclidean_broadcast_einsum;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let r = sq_euclidean_broadcast_einsum(x.view(), y.view())?;
/// assert_eq!(r, array![[0.0, 9.0], [25.0, 16.0]]);
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_broadcast_einsum(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let diff = &x.insert_axis(Axis(1)) - &y.insert_axis(Axis(0));
    // One contiguous lane of d differences per pair: a dot product with itself.
    // (`fold_axis(Axis(2), ..)` would give the same numbers, but walks the
    // temporary d times with a stride of d: three times slower, measured.)
    Ok(diff.map_axis(Axis(2), |lane| lane.dot(&lane)))
}
// ANCHOR_END: sq_euclidean_broadcast_einsum

// ANCHOR: broadcast_temporary_bytes
/// Bytes of f64 temporaries the broadcast version allocates: `count`
/// arrays of n × m × d elements, or `None` if that overflows.
///
/// # Examples
///
/// ```
/// use vectorization_solution::broadcast::broadcast_temporary_bytes;
///
/// // Two (2, 3, 4) f64 temporaries.
/// assert_eq!(broadcast_temporary_bytes(2, 3, 4, 2), Some(2 * (2 * 3 * 4) * 8));
/// assert_eq!(broadcast_temporary_bytes(usize::MAX, 2, 1, 1), None);
/// ```
pub fn broadcast_temporary_bytes(n: usize, m: usize, d: usize, count: usize) -> Option<usize> {
    n.checked_mul(m)?
        .checked_mul(d)?
        .checked_mul(size_of::<f64>())?
        .checked_mul(count)
}
// ANCHOR_END: broadcast_temporary_bytes
