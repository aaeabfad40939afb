//! Exercise 2: a Fortran kernel, column-major, without a copy.
//!
//! `fortran/cityblock.f90` (given) is the F2PY lab's kernel, made callable
//! from C (and so from Rust) with `bind(C)` and `iso_c_binding`:
//! `cityblock_f64(x, y, r, n, m, d)` with x(d,n), y(d,m) and r(n,m) all
//! **column-major**, the sizes passed by value as C ints.
//!
//! A row-major (n, d) array read column-major is a (d, n) array: the same
//! buffer, seen transposed (lab 1: a transpose only swaps the strides). So
//! x's pointer goes to Fortran as it is, with no copy, as F2PY's `x.T` did.
//! The result comes back column-major: allocate it in Fortran order,
//! `(n, m).f()`, the Rust `np.empty(..., order='F')`.
//!
//! `fortran/racy_cityblock.f90` is the 2019 original, with its bug: find it.
//!
//! Tests: `cargo test -p ffi --test fortran`.

use std::ffi::{c_double, c_int};
use std::fmt;

use ndarray::{Array2, ArrayView2};

use crate::error::FfiError;
// You will need: ndarray::ShapeBuilder (for `.f()`), crate::c_kernel::c_dims
// and crate::error::check_dims.

// ANCHOR: fortran_real
/// A Fortran kernel as Rust calls it: `bind(C)` subroutines are C functions,
/// arrays are pointers to their first element, `value` sizes are C ints.
pub type Kernel<T> =
    unsafe extern "C" fn(x: *const T, y: *const T, r: *mut T, n: c_int, m: c_int, d: c_int);

/// A floating-point type with a Fortran Cityblock kernel: `f64` is
/// `real(c_double)` (below), `f32` is `real(c_float)` (exercise 3,
/// `src/precision.rs`). The wrapper is written once, generic over this trait;
/// the type picks the kernel at compile time.
///
/// # Safety
///
/// [`FortranReal::kernel`] must return a subroutine that, called with x(d,n),
/// y(d,m) and r(n,m), column-major arrays of `Self` of exactly those sizes,
/// reads only x and y, writes every entry of r and nothing else, and keeps no
/// pointer once it returns: the wrappers rely on it for memory safety.
pub unsafe trait FortranReal: Copy + Default + Into<f64> + fmt::Debug + 'static {
    /// The Fortran type, for messages: `"real(c_double)"`.
    const FORTRAN_TYPE: &'static str;
    /// The `bind(C)` kernel of this precision.
    fn kernel() -> Kernel<Self>;
}
// ANCHOR_END: fortran_real

// ANCHOR: extern_fortran
unsafe extern "C" {
    /// `subroutine cityblock_f64(x, y, r, n, m, d) bind(C, name="cityblock_f64")`
    /// in fortran/cityblock.f90.
    fn cityblock_f64(
        x: *const c_double,
        y: *const c_double,
        r: *mut c_double,
        n: c_int,
        m: c_int,
        d: c_int,
    );
    // TODO: declare racy_cityblock_f64 of fortran/racy_cityblock.f90 here, for
    // cityblock_fortran_racy: the same signature under another name.
}

// SAFETY: cityblock_f64 reads x(d,n) and y(d,m) and writes every r(i,j) once
// (see fortran/cityblock.f90), with the signature declared above.
unsafe impl FortranReal for f64 {
    const FORTRAN_TYPE: &'static str = "real(c_double)";
    fn kernel() -> Kernel<f64> {
        cityblock_f64
    }
}
// ANCHOR_END: extern_fortran

// ANCHOR: fortran_available
/// `Ok` when the crate was built with gfortran, else
/// [`FfiError::FortranUnavailable`], whose message says how to install it.
/// Call it before any Fortran kernel: without gfortran, the kernels' names
/// belong to stand-ins that stop the program.
pub fn fortran_available() -> Result<(), FfiError> {
    if cfg!(has_fortran) {
        Ok(())
    } else {
        Err(FfiError::FortranUnavailable)
    }
}
// ANCHOR_END: fortran_available

// ANCHOR: fortran_view
/// The column-major (d, n) array that Fortran sees in the row-major (n, d)
/// input `a`: its transpose, the same buffer (no copy). Refuses an input that
/// is not in standard layout (its transpose would not be column-major).
/// `which` names the input in the error.
pub fn fortran_view<'a, T>(
    which: &'static str,
    a: ArrayView2<'a, T>,
) -> Result<ArrayView2<'a, T>, FfiError> {
    // TODO: refuse a non-standard-layout `a` with FfiError::not_contiguous(which, &a);
    // else return its transpose as a view of the same buffer (reversed_axes).
    todo!(
        "the column-major view Fortran sees of {which}, shape {:?}, strides {:?}",
        a.dim(),
        a.strides()
    )
}
// ANCHOR_END: fortran_view

// ANCHOR: cityblock_fortran
/// The Cityblock distance matrix of x (n, d) and y (m, d), row-major, by the
/// Fortran kernel of `T`'s precision. The result is (n, m) in Fortran
/// (column-major) order, as Fortran wrote it: `r.t()` is in standard layout.
pub fn cityblock_fortran<T: FortranReal>(
    x: ArrayView2<'_, T>,
    y: ArrayView2<'_, T>,
) -> Result<Array2<T>, FfiError> {
    // TODO: fortran_available()? first; check_dims; the Fortran views of x
    // and y; c_dims; r = Array2::<T>::default((n, m).f()), in Fortran order;
    // return it as it is when it is empty or d is 0; else call T::kernel() in
    // an `unsafe` block with its `// SAFETY:` comment. Write the body once, in
    // a private function that takes the kernel: cityblock_fortran_racy needs it too.
    todo!(
        "Cityblock distances between {:?} and {:?} points of {}, by Fortran",
        x.dim(),
        y.dim(),
        T::FORTRAN_TYPE
    )
}
// ANCHOR_END: cityblock_fortran

/// [`cityblock_fortran`] with the 2019 kernel of
/// `fortran/racy_cityblock.f90`: right on one OpenMP thread, and not to be
/// trusted on more: call it on several threads, many times, and count how
/// often it goes wrong.
// ANCHOR: cityblock_fortran_racy
pub fn cityblock_fortran_racy(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, FfiError> {
    // TODO: cityblock_fortran's body, with the kernel racy_cityblock_f64.
    todo!(
        "Cityblock distances between {:?} and {:?} points, by the racy kernel",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_fortran_racy
