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

use ndarray::{Array2, ArrayView2, Axis};
use rayon::prelude::*;

use crate::error::{DimensionMismatch, check_dims};
use crate::serial::{cityblock_pair, euclidean_pair};

// ANCHOR: cityblock_par_rows
/// Parallel over the rows of the output: each task owns one row of `out`
/// (a disjoint `&mut`), so no two threads ever write the same element.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::placement::cityblock_par_rows;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(cityblock_par_rows(x.view(), y.view())?, array![[0.0, 3.0], [7.0, 4.0]]);
/// assert!(cityblock_par_rows(x.view(), array![[1.0]].view()).is_err());
/// # Ok(())
/// # }
/// ```
pub fn cityblock_par_rows(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    out.axis_iter_mut(Axis(0))
        .into_par_iter()
        .zip(x.axis_iter(Axis(0)))
        .for_each(|(mut out_row, xi)| {
            for (o, yj) in out_row.iter_mut().zip(y.rows()) {
                *o = cityblock_pair(xi, yj);
            }
        });
    Ok(out)
}
// ANCHOR_END: cityblock_par_rows

// ANCHOR: cityblock_par_columns
/// A serial loop over rows, and a parallel loop over the columns of each:
/// the threads meet and wait for each other n times.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::placement::cityblock_par_columns;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(cityblock_par_columns(x.view(), y.view())?, array![[0.0, 3.0], [7.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn cityblock_par_columns(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    for (mut out_row, xi) in out.rows_mut().into_iter().zip(x.rows()) {
        out_row
            .axis_iter_mut(Axis(0))
            .into_par_iter()
            .zip(y.axis_iter(Axis(0)))
            .for_each(|(mut o, yj)| o[()] = cityblock_pair(xi, yj));
    }
    Ok(out)
}
// ANCHOR_END: cityblock_par_columns

// ANCHOR: cityblock_par_reduction
/// A parallel sum over the coordinates of every pair. Rayon splits each sum
/// into pieces and adds the partial sums in a tree, so the additions happen
/// in a different order than in the serial loop: close, but not identical.
///
/// # Examples
///
/// Small integers add up exactly in any order, so here the result equals the
/// serial one:
///
/// ```
/// use ndarray::array;
/// use parallel_solution::placement::cityblock_par_reduction;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let r = cityblock_par_reduction(x.view(), y.view())?;
/// assert_eq!(r, array![[0.0, 3.0], [7.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn cityblock_par_reduction(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    Ok(Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        let (xi, yj) = (x.row(i), y.row(j));
        (0..x.ncols())
            .into_par_iter()
            .map(|k| (xi[k] - yj[k]).abs())
            .sum()
    }))
}
// ANCHOR_END: cityblock_par_reduction

// ANCHOR: cityblock_alloc_per_pair
/// Parallel over rows, but written like the notebook's
/// `np.linalg.norm(x[i] - y[j], 1)`: a fresh d-vector for every pair.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::placement::cityblock_alloc_per_pair;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let r = cityblock_alloc_per_pair(x.view(), y.view())?;
/// assert_eq!(r, array![[0.0, 3.0], [7.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn cityblock_alloc_per_pair(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    out.axis_iter_mut(Axis(0))
        .into_par_iter()
        .zip(x.axis_iter(Axis(0)))
        .for_each(|(mut out_row, xi)| {
            for (o, yj) in out_row.iter_mut().zip(y.rows()) {
                let diff = &xi - &yj; // allocates
                *o = diff.iter().fold(0.0, |sum, v| sum + v.abs());
            }
        });
    Ok(out)
}
// ANCHOR_END: cityblock_alloc_per_pair

/// The ULHPC notebook's numba version: Euclidean distances (with the root),
/// parallel over rows.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::placement::euclidean_par_rows;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(euclidean_par_rows(x.view(), y.view())?, array![[0.0, 3.0], [5.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn euclidean_par_rows(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    out.axis_iter_mut(Axis(0))
        .into_par_iter()
        .zip(x.axis_iter(Axis(0)))
        .for_each(|(mut out_row, xi)| {
            for (o, yj) in out_row.iter_mut().zip(y.rows()) {
                *o = euclidean_pair(xi, yj);
            }
        });
    Ok(out)
}
