//! Exercise 2: where the parallel loop goes.
//!
//! The distance matrix has three loops: rows of the output (i), columns (j),
//! coordinates (k). Any of them can be the parallel one, and the results
//! differ wildly in speed:
//! - over i, the outer loop: one parallel region, n big independent tasks;
//! - over j, inside a serial i loop: n parallel regions, one per row (the
//!   ULHPC notebook's Cython `prange`);
//! - over k, a parallel *reduction* for every pair: n·m tiny regions (the
//!   CSCS notebook's first numba version).
//!
//! Tests: `cargo test -p parallel --test placement`.

use ndarray::{Array2, ArrayView2};

use crate::error::DimensionMismatch;
// You will need: ndarray::Axis, rayon::prelude::*, crate::error::check_dims,
// crate::serial::{cityblock_pair, euclidean_pair}.

// ANCHOR: cityblock_par_rows
/// Parallel over the rows of the output: each task owns one row of `out`
/// (a disjoint `&mut`), so no two threads ever write the same element.
pub fn cityblock_par_rows(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: check_dims; out.axis_iter_mut(Axis(0)).into_par_iter(), zipped with x's rows.
    todo!(
        "Cityblock in parallel over the rows of the output, {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_par_rows

// ANCHOR: cityblock_par_columns
/// A serial loop over rows, and a parallel loop over the columns of each:
/// the threads meet and wait for each other n times.
pub fn cityblock_par_columns(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: a serial loop over the rows of out; in each, a parallel loop over its columns.
    todo!(
        "Cityblock in parallel over the columns of each row, {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_par_columns

// ANCHOR: cityblock_par_reduction
/// A parallel sum over the coordinates of every pair. Rayon splits each sum
/// into pieces and adds the partial sums in a tree, so the additions happen
/// in a different order than in the serial loop: close, but not identical.
pub fn cityblock_par_reduction(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: for every pair, (0..d).into_par_iter().map(|k| ...).sum().
    todo!(
        "Cityblock with a parallel sum per pair, {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_par_reduction

// ANCHOR: cityblock_alloc_per_pair
/// Parallel over rows, but written like the notebook's
/// `np.linalg.norm(x[i] - y[j], 1)`: a fresh d-vector for every pair.
pub fn cityblock_alloc_per_pair(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: like cityblock_par_rows, but with `&xi - &yj` (a new array) for every pair.
    todo!(
        "Cityblock with a temporary per pair, {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_alloc_per_pair

// ANCHOR: euclidean_par_rows
/// The ULHPC notebook's numba version: Euclidean distances (with the root),
/// parallel over rows.
pub fn euclidean_par_rows(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: cityblock_par_rows with euclidean_pair.
    todo!(
        "Euclidean in parallel over rows, {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: euclidean_par_rows
