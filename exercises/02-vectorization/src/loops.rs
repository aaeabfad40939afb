//! Exercise 1: the distance matrix as written in the definition, two loops
//! over the points and one over the coordinates.
//!
//! `r[i, j] = Σ_k (x[i, k] - y[j, k])²` (squared Euclidean, the CSCS course's
//! "EDM") and its square root (the Euclidean distance, the ULHPC course's).
//! Both return `DimensionMismatch` when x and y have different numbers of
//! columns (`crate::error::check_dims` does the check).
//!
//! Tests: `cargo test -p vectorization --test loops`.

use ndarray::{Array2, ArrayView2};

use crate::error::DimensionMismatch;

// ANCHOR: sq_euclidean_loops
/// Squared Euclidean distances by three nested loops, shape (n, m).
pub fn sq_euclidean_loops(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: check the dimensions, then loop over the rows of x and y.
    todo!(
        "squared distances between {:?} and {:?} points, by loops",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: sq_euclidean_loops

// ANCHOR: euclidean_loops
/// Euclidean distances: the square root of the squared ones.
pub fn euclidean_loops(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO
    todo!(
        "Euclidean distances between {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: euclidean_loops
