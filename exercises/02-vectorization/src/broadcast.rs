//! Exercise 2: the distance matrix by broadcasting, and what its (n, m, d)
//! temporary costs. (Lab 1 wrote the one-temporary version; here you write
//! NumPy's faithful one and the einsum-like one, and count the bytes.)
//!
//! Tests: `cargo test -p vectorization --test broadcast`.

use ndarray::{Array2, ArrayView2};

use crate::error::DimensionMismatch;

// ANCHOR: sq_euclidean_broadcast
/// NumPy's `((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)`, faithfully:
/// one (n, m, d) temporary for the differences and a second one for their
/// squares, then a sum over the last axis.
pub fn sq_euclidean_broadcast(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: `insert_axis`, `&a - &b`, `&diff * &diff`, `sum_axis`.
    todo!(
        "broadcast distances between {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: sq_euclidean_broadcast

// ANCHOR: sq_euclidean_broadcast_einsum
/// The `np.einsum('ijk,ijk->ij', diff, diff)` variant: square and sum in one
/// pass over the differences, so only the first temporary is allocated.
pub fn sq_euclidean_broadcast_einsum(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: `map_axis` over the last axis squares and sums without a second temporary.
    todo!(
        "einsum-like distances between {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: sq_euclidean_broadcast_einsum

// ANCHOR: broadcast_temporary_bytes
/// Bytes of f64 temporaries the broadcast version allocates: `count` arrays
/// of n × m × d elements, or `None` if that overflows `usize`.
pub fn broadcast_temporary_bytes(n: usize, m: usize, d: usize, count: usize) -> Option<usize> {
    // TODO: checked multiplications.
    todo!("bytes of {count} ({n}, {m}, {d}) f64 arrays")
}
// ANCHOR_END: broadcast_temporary_bytes
