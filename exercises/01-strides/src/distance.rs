//! Exercise 6: the squared Euclidean distance matrix by broadcasting, the
//! bridge to lab 2.
//!
//! For points x (n, d) and y (m, d): `r[i, j] = Σ_k (x[i, k] - y[j, k])²`.
//! Broadcasting a (n, 1, d) view against a (1, m, d) view gives all the
//! differences at once, in an (n, m, d) temporary.
//!
//! Tests: `cargo test -p strides --test distance`.

use ndarray::{Array2, ArrayView2};

use crate::error::DimensionMismatch;

// ANCHOR: sq_euclidean_broadcast
/// Squared Euclidean distances between the rows of `x` and the rows of `y`,
/// shape (n, m). `DimensionMismatch` when the numbers of columns differ.
pub fn sq_euclidean_broadcast(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: differences by broadcasting, squared, summed over the last axis.
    todo!(
        "squared distances between {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: sq_euclidean_broadcast

// ANCHOR: temporary_bytes
/// Bytes taken by the (n, m, d) f64 temporary of `sq_euclidean_broadcast`,
/// or `None` when the count overflows `usize`.
pub fn temporary_bytes(n: usize, m: usize, d: usize) -> Option<usize> {
    // TODO
    todo!("the size in bytes of a ({n}, {m}, {d}) f64 array")
}
// ANCHOR_END: temporary_bytes
