//! Exercise 1: the serial baselines, as the original course writes them.
//!
//! Cityblock (L1): `r[i, j] = Σ_k |x[i, k] - y[j, k]|`; Euclidean (the
//! ULHPC notebook's, with the square root): `r[i, j] = √(Σ_k (x[i, k] - y[j, k])²)`.
//! Every parallel version of this lab must give exactly the same numbers as
//! these: same additions, in the same order.
//!
//! Tests: `cargo test -p parallel --test serial`.

use ndarray::{Array2, ArrayView1, ArrayView2, Zip};

use crate::error::{DimensionMismatch, check_dims};

// ANCHOR: cityblock_pair
/// The Cityblock distance between two points, coordinates added in order.
///
/// ndarray's `Zip` walks both rows in lockstep and checks their layout once:
/// for contiguous rows its loop is as plain as one over two slices.
/// (`a.iter().zip(b)` gives the same bits, 1.7 times slower: each step of
/// each ndarray iterator handles any strides.)
pub fn cityblock_pair(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    Zip::from(a)
        .and(b)
        .fold(0.0, |sum, &p, &q| sum + (p - q).abs())
}
// ANCHOR_END: cityblock_pair

/// The Euclidean distance between two points.
pub fn euclidean_pair(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    Zip::from(a)
        .and(b)
        .fold(0.0, |sum, &p, &q| sum + (p - q) * (p - q))
        .sqrt()
}

// ANCHOR: cityblock_loops
/// Three loops and indexing, as in the notebooks: `x[[i, k]]` checks its
/// bounds on every access.
pub fn cityblock_loops(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let ((n, d), m) = (x.dim(), y.nrows());
    let mut out = Array2::zeros((n, m));
    for i in 0..n {
        for j in 0..m {
            let mut sum = 0.0;
            for k in 0..d {
                sum += (x[[i, k]] - y[[j, k]]).abs();
            }
            out[[i, j]] = sum;
        }
    }
    Ok(out)
}
// ANCHOR_END: cityblock_loops

// ANCHOR: cityblock_iter
/// The same loops with iterators: rows of x against rows of y, no index and
/// no bounds check in the inner loop.
pub fn cityblock_iter(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    for (mut out_row, xi) in out.rows_mut().into_iter().zip(x.rows()) {
        for (o, yj) in out_row.iter_mut().zip(y.rows()) {
            *o = cityblock_pair(xi, yj);
        }
    }
    Ok(out)
}
// ANCHOR_END: cityblock_iter

/// The ULHPC notebook's baseline: Euclidean distances (with the root) by loops.
pub fn euclidean_loops(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    for (mut out_row, xi) in out.rows_mut().into_iter().zip(x.rows()) {
        for (o, yj) in out_row.iter_mut().zip(y.rows()) {
            *o = euclidean_pair(xi, yj);
        }
    }
    Ok(out)
}
