//! Exercise 1: the distance matrix as written in the definition, two loops
//! over the points and one over the coordinates.
//!
//! `r[i, j] = Σ_k (x[i, k] - y[j, k])²` (squared Euclidean, the CSCS course's
//! "EDM") and its square root (the Euclidean distance, the ULHPC course's).

use ndarray::{Array2, ArrayView2};

use crate::error::{DimensionMismatch, check_dims};

// ANCHOR: sq_euclidean_loops
/// Squared Euclidean distances by three nested loops.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::loops::sq_euclidean_loops;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(sq_euclidean_loops(x.view(), y.view())?, array![[0.0, 9.0], [25.0, 16.0]]);
///
/// let y3 = array![[1.0, 2.0, 3.0]];
/// let error = sq_euclidean_loops(x.view(), y3.view()).unwrap_err();
/// assert_eq!((error.x, error.y), ((2, 2), (1, 3)));
/// # Ok(())
/// # }
/// ```
pub fn sq_euclidean_loops(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut r = Array2::zeros((x.nrows(), y.nrows()));
    for (i, xi) in x.rows().into_iter().enumerate() {
        for (j, yj) in y.rows().into_iter().enumerate() {
            let mut sum = 0.0;
            for (a, b) in xi.iter().zip(yj) {
                sum += (a - b) * (a - b);
            }
            r[[i, j]] = sum;
        }
    }
    Ok(r)
}
// ANCHOR_END: sq_euclidean_loops

// ANCHOR: euclidean_loops
/// Euclidean distances: the square root of the squared ones.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::loops::euclidean_loops;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(euclidean_loops(x.view(), y.view())?, array![[0.0, 3.0], [5.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn euclidean_loops(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    Ok(sq_euclidean_loops(x, y)?.mapv_into(f64::sqrt))
}
// ANCHOR_END: euclidean_loops
