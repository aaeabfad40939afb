//! Exercise 1: a C kernel behind a safe wrapper.
//!
//! `c/cityblock.c` (given) is the CFFI lab's kernel:
//! `void cbdm(const double *x, const double *y, double *r, int n, int m, int d)`
//! reads two row-major buffers and fills the row-major result the caller
//! passes in. C knows nothing of shapes, strides or lifetimes: the wrapper
//! checks everything the kernel assumes, then makes the one `unsafe` call.
//!
//! Tests: `cargo test -p ffi --test c_kernel`.

use std::ffi::c_int;

use ndarray::{Array2, ArrayView2};

use crate::error::FfiError;
// You will need: std::ffi::c_double and crate::error::check_dims.

// ANCHOR: extern_todo
// TODO: declare the C function here, in an `unsafe extern "C" { ... }` block:
// `fn cbdm(...)` with the C signature translated to Rust (const double * is
// *const c_double, double * is *mut c_double, int is c_int). build.rs compiles
// and links c/cityblock.c; Rust only needs the declaration, and trusts it:
// nothing checks it against the C.
// ANCHOR_END: extern_todo

// ANCHOR: c_dims
/// The sizes n, m and d as the C `int`s the kernels take, or
/// [`FfiError::TooLarge`] naming the first one that does not fit (`as c_int`
/// would wrap it around silently: 2³¹ points become −2³¹).
pub fn c_dims(n: usize, m: usize, d: usize) -> Result<(c_int, c_int, c_int), FfiError> {
    // TODO: c_int::try_from each size, in the order n, m, d; map the error to
    // FfiError::TooLarge { which: "n", value: n } (and "m", "d").
    todo!("convert n = {n}, m = {m}, d = {d} to C ints, or say which does not fit")
}
// ANCHOR_END: c_dims

// ANCHOR: cityblock_c
/// The Cityblock distance matrix of x (n, d) and y (m, d) by the C kernel.
///
/// Refuses, with a typed error: different numbers of columns, an input that
/// is not row-major and contiguous (a transposed or strided view; see
/// [`cityblock_c_copying`]), a size beyond C's `int`. Empty inputs give an
/// empty (or all-zero) result without calling C.
pub fn cityblock_c(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, FfiError> {
    // TODO: check_dims; refuse an x or y that is not in standard layout
    // (FfiError::not_contiguous); c_dims, before allocating; allocate r
    // (n, m); return it as it is when it is empty or d is 0; else call cbdm
    // in an `unsafe` block with a `// SAFETY:` comment saying why each pointer
    // and size is right.
    todo!(
        "Cityblock distances between {:?} and {:?} points, by the C kernel",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_c

// ANCHOR: cityblock_c_copying
/// [`cityblock_c`] for inputs in any layout: a standard-layout input is
/// passed as it is, any other is first copied into one, explicitly
/// (`as_standard_layout` borrows when it can and copies when it must).
pub fn cityblock_c_copying(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, FfiError> {
    // TODO: x.as_standard_layout() and y.as_standard_layout(), then cityblock_c on their views.
    todo!(
        "copy x {:?} and y {:?} into standard layout only if needed, then call cityblock_c",
        x.strides(),
        y.strides()
    )
}
// ANCHOR_END: cityblock_c_copying
