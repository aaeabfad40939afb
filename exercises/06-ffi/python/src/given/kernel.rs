//! The distance kernels behind the extension (given code: nothing to do here).
//!
//! Pure Rust, no Python: the Cityblock and Euclidean distance matrices of x
//! (n, d) and y (m, d), one row of the result per rayon task. The inputs may
//! have any strides (a Fortran-ordered, sliced or transposed NumPy array):
//! the loop reads them through their views, with no copy. Each distance adds
//! its coordinates in order (k = 0, 1, ...), so the results are the same, bit
//! for bit, whatever the layout and whatever the number of threads.

use ndarray::{Array2, ArrayView1, ArrayView2, Axis, Zip};
use rayon::prelude::*;
use support::pages::zeroed_matrix;

/// The Cityblock distance matrix, `r[i, j] = Σ_k |x[i, k] − y[j, k]|`.
///
/// # Panics
///
/// If x and y have different numbers of columns (the caller checks first).
pub fn cityblock(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Array2<f64> {
    pairwise(x, y, |p, q| {
        Zip::from(p)
            .and(q)
            .fold(0.0, |sum, &a, &b| sum + (a - b).abs())
    })
}

/// The Euclidean distance matrix, `r[i, j] = √(Σ_k (x[i, k] − y[j, k])²)`.
///
/// # Panics
///
/// If x and y have different numbers of columns (the caller checks first).
pub fn euclidean(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Array2<f64> {
    pairwise(x, y, |p, q| {
        let sum = Zip::from(p).and(q).fold(0.0, |sum, &a, &b| {
            let diff = a - b;
            sum + diff * diff
        });
        sum.sqrt()
    })
}

// ANCHOR: pairwise
/// `distance` between every row of x (n, d) and every row of y (m, d), the
/// rows of the result in parallel.
///
/// # Panics
///
/// If the d's differ.
pub fn pairwise(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    distance: impl Fn(ArrayView1<'_, f64>, ArrayView1<'_, f64>) -> f64 + Sync,
) -> Array2<f64> {
    assert_eq!(
        x.ncols(),
        y.ncols(),
        "x has shape {:?} and y has shape {:?}: they need the same number of columns",
        x.dim(),
        y.dim()
    );
    // A fresh result on huge pages when it is large (lab 2's lesson).
    let mut out = zeroed_matrix(x.nrows(), y.nrows());
    out.axis_iter_mut(Axis(0))
        .into_par_iter()
        .zip(x.axis_iter(Axis(0)))
        .for_each(|(mut out_row, x_row)| {
            for (r, y_row) in out_row.iter_mut().zip(y.rows()) {
                *r = distance(x_row, y_row);
            }
        });
    out
}
// ANCHOR_END: pairwise

/// Which instructions the kernel runs with, for `ffi_lab.simd()`: what the
/// crate was compiled for, the x86-64 baseline (SSE2) unless RUSTFLAGS asks
/// for more.
pub fn simd_path() -> &'static str {
    if cfg!(target_feature = "avx2") {
        "avx2 (compiled in)"
    } else if cfg!(target_arch = "x86_64") {
        "sse2"
    } else {
        "baseline"
    }
}
