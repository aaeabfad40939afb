//! Exercise 6: the ULHPC matrix product with fewer and fewer loops,
//! `c[i, j] = Σ_k a[i, k] b[k, j]`.
//!
//! Each step hands one more loop to a library routine. In NumPy that is the
//! whole point (each loop left in Python costs ~100 ns per iteration); in
//! Rust the loops are compiled, and the lesson is about memory access and
//! temporaries instead.

use ndarray::{Array2, ArrayView2, Axis};

use crate::error::MatmulMismatch;

fn check(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>) -> Result<(), MatmulMismatch> {
    if a.ncols() == b.nrows() {
        Ok(())
    } else {
        Err(MatmulMismatch {
            a: a.dim(),
            b: b.dim(),
        })
    }
}

// ANCHOR: matmul_loops
/// Three loops: i, j, and the inner product over k.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::matmul::matmul_3_loops;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = array![[5.0, 6.0], [7.0, 8.0]];
/// assert_eq!(matmul_3_loops(a.view(), b.view())?, array![[19.0, 22.0], [43.0, 50.0]]);
///
/// let b3 = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let error = matmul_3_loops(a.view(), b3.view()).unwrap_err();
/// assert_eq!((error.a, error.b), ((2, 2), (3, 2)));
/// # Ok(())
/// # }
/// ```
pub fn matmul_3_loops(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    check(a, b)?;
    let mut c = Array2::zeros((a.nrows(), b.ncols()));
    for i in 0..a.nrows() {
        for j in 0..b.ncols() {
            for k in 0..a.ncols() {
                c[[i, j]] += a[[i, k]] * b[[k, j]];
            }
        }
    }
    Ok(c)
}

/// Two loops: each entry is the dot product of a row of a and a column of b.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::matmul::matmul_2_loops;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = array![[5.0, 6.0], [7.0, 8.0]];
/// assert_eq!(matmul_2_loops(a.view(), b.view())?, array![[19.0, 22.0], [43.0, 50.0]]);
/// # Ok(())
/// # }
/// ```
pub fn matmul_2_loops(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    check(a, b)?;
    Ok(Array2::from_shape_fn((a.nrows(), b.ncols()), |(i, j)| {
        a.row(i).dot(&b.column(j))
    }))
}

/// One loop: each row of c is a row of a (a vector) times the matrix b.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::matmul::matmul_1_loop;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = array![[5.0, 6.0], [7.0, 8.0]];
/// assert_eq!(matmul_1_loop(a.view(), b.view())?, array![[19.0, 22.0], [43.0, 50.0]]);
/// # Ok(())
/// # }
/// ```
pub fn matmul_1_loop(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    check(a, b)?;
    let mut c = Array2::zeros((a.nrows(), b.ncols()));
    for (mut c_row, a_row) in c.rows_mut().into_iter().zip(a.rows()) {
        c_row.assign(&a_row.dot(&b));
    }
    Ok(c)
}

/// No loop, by broadcasting: (n, k, 1) * (1, k, m) summed over k. Correct,
/// but it materialises an (n, k, m) temporary: k times the result's memory.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::matmul::matmul_0_loops;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = array![[5.0, 6.0], [7.0, 8.0]];
/// assert_eq!(matmul_0_loops(a.view(), b.view())?, array![[19.0, 22.0], [43.0, 50.0]]);
/// # Ok(())
/// # }
/// ```
pub fn matmul_0_loops(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    check(a, b)?;
    let products = &a.insert_axis(Axis(2)) * &b.insert_axis(Axis(0));
    Ok(products.sum_axis(Axis(1)))
}

/// No loop, the right way: the library's blocked, vectorised product.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::matmul::matmul_library;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = array![[5.0, 6.0], [7.0, 8.0]];
/// assert_eq!(matmul_library(a.view(), b.view())?, array![[19.0, 22.0], [43.0, 50.0]]);
/// # Ok(())
/// # }
/// ```
pub fn matmul_library(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, MatmulMismatch> {
    check(a, b)?;
    Ok(a.dot(&b))
}
// ANCHOR_END: matmul_loops
