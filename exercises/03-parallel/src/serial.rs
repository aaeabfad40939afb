//! Exercise 1: the serial baselines, as the original course writes them.
//!
//! Cityblock (L1): `r[i, j] = Σ_k |x[i, k] - y[j, k]|`; Euclidean (the
//! ULHPC notebook's, with the square root): `r[i, j] = √(Σ_k (x[i, k] - y[j, k])²)`.
//! Every parallel version of this lab must give exactly the same numbers as
//! these: same additions, in the same order.
//!
//! Tests: `cargo test -p parallel --test serial`.

use ndarray::{Array2, ArrayView1, ArrayView2};

use crate::error::DimensionMismatch;
// You will need: crate::error::check_dims.

// ANCHOR: cityblock_pair
/// The Cityblock distance between two points, coordinates added in order.
///
/// ndarray's `Zip` walks both rows in lockstep and checks their layout once:
/// for contiguous rows its loop is as plain as one over two slices.
/// (`a.iter().zip(b)` gives the same bits, 1.7 times slower: each step of
/// each ndarray iterator handles any strides.)
pub fn cityblock_pair(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    // TODO: `Zip::from(a).and(b).fold(0.0, ...)`: add up |p - q| from 0.0, in order.
    todo!(
        "Σ_k |a_k - b_k| for points of {} and {} coordinates",
        a.len(),
        b.len()
    )
}
// ANCHOR_END: cityblock_pair

// ANCHOR: euclidean_pair
/// The Euclidean distance between two points.
pub fn euclidean_pair(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    // TODO: add up (p - q)², then take the square root.
    todo!(
        "√(Σ_k (a_k - b_k)²) for points of {} and {} coordinates",
        a.len(),
        b.len()
    )
}
// ANCHOR_END: euclidean_pair

// ANCHOR: cityblock_loops
/// Three loops and indexing, as in the notebooks: `x[[i, k]]` checks its
/// bounds on every access.
pub fn cityblock_loops(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: check_dims first; then three loops with x[[i, k]] and y[[j, k]].
    todo!(
        "Cityblock distances between {:?} and {:?} points, by indexing",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_loops

// ANCHOR: cityblock_iter
/// The same loops with iterators: rows of x against rows of y, no index and
/// no bounds check in the inner loop.
pub fn cityblock_iter(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: check_dims; then rows of out zipped with rows of x, and cityblock_pair.
    todo!(
        "Cityblock distances between {:?} and {:?} points, by iterators",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_iter

// ANCHOR: euclidean_loops
/// The ULHPC notebook's baseline: Euclidean distances (with the root) by loops.
pub fn euclidean_loops(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: like cityblock_iter, with euclidean_pair.
    todo!(
        "Euclidean distances between {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: euclidean_loops
