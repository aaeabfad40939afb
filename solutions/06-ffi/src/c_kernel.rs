//! Exercise 1: a C kernel behind a safe wrapper.
//!
//! `c/cityblock.c` (given) is the CFFI lab's kernel:
//! `void cbdm(const double *x, const double *y, double *r, int n, int m, int d)`
//! reads two row-major buffers and fills the row-major result the caller
//! passes in. C knows nothing of shapes, strides or lifetimes: the wrapper
//! checks everything the kernel assumes, then makes the one `unsafe` call.
//!
//! Tests: `cargo test -p ffi --test c_kernel`.

use std::ffi::{c_double, c_int};

use ndarray::{Array2, ArrayView2};

use crate::error::{FfiError, check_dims};

// ANCHOR: extern_cbdm
unsafe extern "C" {
    /// `void cbdm(const double *x, const double *y, double *r, int n, int m, int d)`
    /// in c/cityblock.c: x (n, d), y (m, d) and r (n, m), all row-major.
    fn cbdm(x: *const c_double, y: *const c_double, r: *mut c_double, n: c_int, m: c_int, d: c_int);
}
// ANCHOR_END: extern_cbdm

// ANCHOR: c_dims
/// The sizes n, m and d as the C `int`s the kernels take, or
/// [`FfiError::TooLarge`] naming the first one that does not fit (`as c_int`
/// would wrap it around silently: 2³¹ points become −2³¹).
///
/// # Examples
///
/// ```
/// use ffi_solution::FfiError;
/// use ffi_solution::c_kernel::c_dims;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// assert_eq!(c_dims(2, 3, 4)?, (2, 3, 4));
/// assert!(matches!(c_dims(1 << 31, 3, 4), Err(FfiError::TooLarge { which: "n", .. })));
/// # Ok(())
/// # }
/// ```
pub fn c_dims(n: usize, m: usize, d: usize) -> Result<(c_int, c_int, c_int), FfiError> {
    let fit = |which, value: usize| {
        c_int::try_from(value).map_err(|_| FfiError::TooLarge { which, value })
    };
    Ok((fit("n", n)?, fit("m", m)?, fit("d", d)?))
}
// ANCHOR_END: c_dims

// ANCHOR: cityblock_c
/// The Cityblock distance matrix of x (n, d) and y (m, d) by the C kernel.
///
/// Refuses, with a typed error: different numbers of columns, an input that
/// is not row-major and contiguous (a transposed or strided view; see
/// [`cityblock_c_copying`]), a size beyond C's `int`. Empty inputs give an
/// empty (or all-zero) result without calling C.
///
/// # Examples
///
/// ```
/// use ffi_solution::FfiError;
/// use ffi_solution::c_kernel::cityblock_c;
/// use ndarray::array;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(cityblock_c(x.view(), y.view())?, array![[0.0, 3.0], [7.0, 4.0]]);
///
/// // C would read a transposed view's buffer in the wrong order: refused.
/// assert!(matches!(cityblock_c(x.t(), y.view()), Err(FfiError::NotContiguous { .. })));
/// let y3 = array![[1.0, 2.0, 3.0]];
/// assert!(matches!(cityblock_c(x.view(), y3.view()), Err(FfiError::DimensionMismatch { .. })));
/// # Ok(())
/// # }
/// ```
pub fn cityblock_c(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, FfiError> {
    check_dims(x.dim(), y.dim())?;
    if !x.is_standard_layout() {
        return Err(FfiError::not_contiguous("x", &x));
    }
    if !y.is_standard_layout() {
        return Err(FfiError::not_contiguous("y", &y));
    }
    // Before allocating anything: a size that does not fit is an error.
    let (n, m, d) = c_dims(x.nrows(), y.nrows(), x.ncols())?;
    let mut r = Array2::<f64>::zeros((x.nrows(), y.nrows()));
    if r.is_empty() || d == 0 {
        return Ok(r); // nothing to add up: every distance is 0
    }
    // SAFETY: x and y are in standard layout, so x.as_ptr() points at n * d
    // contiguous f64 in row-major order and y.as_ptr() at m * d; r is a fresh
    // standard-layout (n, m) array, n * m contiguous f64 that nothing else
    // references. n, m and d are their exact sizes (c_dims checked that they
    // fit in an int). cbdm reads only x and y, writes only r[0 .. n * m), and
    // keeps no pointer after it returns; the borrows outlive the call.
    unsafe { cbdm(x.as_ptr(), y.as_ptr(), r.as_mut_ptr(), n, m, d) };
    Ok(r)
}
// ANCHOR_END: cityblock_c

// ANCHOR: cityblock_c_copying
/// [`cityblock_c`] for inputs in any layout: a standard-layout input is
/// passed as it is, any other is first copied into one, explicitly
/// (`as_standard_layout` borrows when it can and copies when it must).
///
/// # Examples
///
/// ```
/// use ffi_solution::c_kernel::cityblock_c_copying;
/// use ndarray::array;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x_t = array![[0.0, 3.0], [0.0, 4.0]]; // the points are its columns
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(cityblock_c_copying(x_t.t(), y.view())?, array![[0.0, 3.0], [7.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn cityblock_c_copying(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, FfiError> {
    let (x, y) = (x.as_standard_layout(), y.as_standard_layout());
    cityblock_c(x.view(), y.view())
}
// ANCHOR_END: cityblock_c_copying
