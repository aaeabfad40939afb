//! Exercise 6: the ULHPC matrix product with fewer and fewer loops,
//! `c[i, j] = Σ_k a[i, k] b[k, j]`. Every variant returns `MatmulMismatch`
//! (naming both shapes) when `a.ncols() != b.nrows()`.
//!
//! Each step hands one more loop to a library routine. In NumPy that is the
//! whole point (each loop left in Python costs ~100 ns per iteration); in
//! Rust the loops are compiled, and the lesson is about memory access and
//! temporaries instead.
//!
//! Tests: `cargo test -p vectorization --test matmul`.

use ndarray::{Array2, ArrayView2};

use crate::error::MatmulMismatch;

// ANCHOR: matmul_loops
/// Three loops: i, j, and the inner product over k.
pub fn matmul_3_loops(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    // TODO
    todo!("multiply {:?} by {:?} with three loops", a.dim(), b.dim())
}

/// Two loops: each entry is the dot product of a row of a and a column of b.
pub fn matmul_2_loops(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    // TODO: `a.row(i).dot(&b.column(j))`.
    todo!("multiply {:?} by {:?} with two loops", a.dim(), b.dim())
}

/// One loop: each row of c is a row of a (a vector) times the matrix b.
pub fn matmul_1_loop(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    // TODO: `a.row(i).dot(&b)` is a vector-matrix product.
    todo!("multiply {:?} by {:?} with one loop", a.dim(), b.dim())
}

/// No loop, by broadcasting: (n, k, 1) * (1, k, m) summed over k.
pub fn matmul_0_loops(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    // TODO
    todo!("multiply {:?} by {:?} by broadcasting", a.dim(), b.dim())
}

/// No loop, the right way: the library's blocked, vectorised product (`dot`).
pub fn matmul_library(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    // TODO
    todo!("multiply {:?} by {:?} with the library", a.dim(), b.dim())
}
// ANCHOR_END: matmul_loops
