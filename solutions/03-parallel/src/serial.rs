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
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::serial::cityblock_pair;
///
/// assert_eq!(cityblock_pair(array![1.0, 2.0].view(), array![4.0, 0.0].view()), 5.0);
/// ```
pub fn cityblock_pair(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    Zip::from(a)
        .and(b)
        .fold(0.0, |sum, &p, &q| sum + (p - q).abs())
}
// ANCHOR_END: cityblock_pair

/// The Euclidean distance between two points.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::serial::euclidean_pair;
///
/// assert_eq!(euclidean_pair(array![0.0, 0.0].view(), array![3.0, 4.0].view()), 5.0);
/// ```
pub fn euclidean_pair(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    Zip::from(a)
        .and(b)
        .fold(0.0, |sum, &p, &q| sum + (p - q) * (p - q))
        .sqrt()
}

// ANCHOR: cityblock_loops
/// Three loops and indexing, as in the notebooks: `x[[i, k]]` checks its
/// bounds on every access.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::serial::cityblock_loops;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(cityblock_loops(x.view(), y.view())?, array![[0.0, 3.0], [7.0, 4.0]]);
///
/// let y3 = array![[1.0, 2.0, 3.0]];
/// let error = cityblock_loops(x.view(), y3.view()).unwrap_err();
/// assert_eq!((error.x, error.y), ((2, 2), (1, 3)));
/// # Ok(())
/// # }
/// ```
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
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::serial::cityblock_iter;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(cityblock_iter(x.view(), y.view())?, array![[0.0, 3.0], [7.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
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
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::serial::euclidean_loops;
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
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    for (mut out_row, xi) in out.rows_mut().into_iter().zip(x.rows()) {
        for (o, yj) in out_row.iter_mut().zip(y.rows()) {
            *o = euclidean_pair(xi, yj);
        }
    }
    Ok(out)
}
