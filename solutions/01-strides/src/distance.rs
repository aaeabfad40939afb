//! Exercise 6: the squared Euclidean distance matrix by broadcasting, the
//! bridge to lab 2.
//!
//! For points x (n, d) and y (m, d): `r[i, j] = Σ_k (x[i, k] - y[j, k])²`.
//! Broadcasting a (n, 1, d) view against a (1, m, d) view gives all the
//! differences at once, in an (n, m, d) temporary.

use ndarray::{Array2, ArrayView2, Axis};

use crate::error::DimensionMismatch;

// ANCHOR: sq_euclidean_broadcast
/// Squared Euclidean distances between the rows of `x` and the rows of `y`.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::distance::sq_euclidean_broadcast;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [1.0, 1.0]];
/// let y = array![[3.0, 4.0]];
/// assert_eq!(sq_euclidean_broadcast(x.view(), y.view())?, array![[25.0], [13.0]]);
///
/// let y3 = array![[1.0, 2.0, 3.0]];
/// let error = sq_euclidean_broadcast(x.view(), y3.view()).unwrap_err();
/// assert_eq!((error.x, error.y), ((2, 2), (1, 3)));
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_broadcast(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    if x.ncols() != y.ncols() {
        return Err(DimensionMismatch {
            x: x.dim(),
            y: y.dim(),
        });
    }
    // (n, 1, d) - (1, m, d) -> (n, m, d): the big temporary.
    let differences = &x.insert_axis(Axis(1)) - &y.insert_axis(Axis(0));
    // Square in place (no second temporary), then reduce over the coordinates.
    Ok(differences.mapv_into(|v| v * v).sum_axis(Axis(2)))
}
// ANCHOR_END: sq_euclidean_broadcast

// ANCHOR: temporary_bytes
/// Bytes taken by the (n, m, d) f64 temporary of [`sq_euclidean_broadcast`],
/// or `None` when it would not even fit in the address space.
///
/// # Examples
///
/// ```
/// use strides_solution::distance::temporary_bytes;
///
/// assert_eq!(temporary_bytes(2, 3, 4), Some(2 * 3 * 4 * 8));
/// assert_eq!(temporary_bytes(usize::MAX, 2, 1), None);
/// ```
pub fn temporary_bytes(n: usize, m: usize, d: usize) -> Option<usize> {
    n.checked_mul(m)?
        .checked_mul(d)?
        .checked_mul(size_of::<f64>())
}
// ANCHOR_END: temporary_bytes
