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

use ndarray::{Array2, ArrayView2, ShapeBuilder};

use crate::c_kernel::c_dims;
use crate::error::{FfiError, check_dims};

/// A Fortran kernel as Rust calls it: `bind(C)` subroutines are C functions,
/// arrays are pointers to their first element, `value` sizes are C ints.
pub type Kernel<T> =
    unsafe extern "C" fn(x: *const T, y: *const T, r: *mut T, n: c_int, m: c_int, d: c_int);

// ANCHOR: fortran_real
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
    /// The same with the 2019 bug, in fortran/racy_cityblock.f90.
    fn racy_cityblock_f64(
        x: *const c_double,
        y: *const c_double,
        r: *mut c_double,
        n: c_int,
        m: c_int,
        d: c_int,
    );
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

// ANCHOR: fortran_view
/// The column-major (d, n) array that Fortran sees in the row-major (n, d)
/// input `a`: its transpose, the same buffer (no copy). Refuses an input that
/// is not in standard layout (its transpose would not be column-major).
/// `which` names the input in the error.
///
/// # Examples
///
/// ```
/// use ffi_solution::fortran::fortran_view;
/// use ndarray::array;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]; // 2 points, d = 3
/// let seen = fortran_view("x", x.view())?;
/// assert_eq!(seen.shape(), &[3, 2]); // (d, n)
/// assert!(seen.t().is_standard_layout()); // column-major
/// assert_eq!(seen.as_ptr(), x.as_ptr()); // no copy
/// assert!(fortran_view("x", x.t()).is_err());
/// # Ok(())
/// # }
/// ```
pub fn fortran_view<'a, T>(
    which: &'static str,
    a: ArrayView2<'a, T>,
) -> Result<ArrayView2<'a, T>, FfiError> {
    if !a.is_standard_layout() {
        return Err(FfiError::not_contiguous(which, &a));
    }
    Ok(a.reversed_axes())
}
// ANCHOR_END: fortran_view

// ANCHOR: cityblock_fortran
/// The Cityblock distance matrix of x (n, d) and y (m, d), row-major, by the
/// Fortran kernel of `T`'s precision. The result is (n, m) in Fortran
/// (column-major) order, as Fortran wrote it: `r.t()` is in standard layout.
///
/// # Examples
///
/// ```
/// use ffi_solution::fortran::cityblock_fortran;
/// use ndarray::array;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let r = cityblock_fortran(x.view(), y.view())?;
/// assert_eq!(r, array![[0.0, 3.0], [7.0, 4.0]]);
/// assert!(r.t().is_standard_layout()); // Fortran order, as Fortran wrote it
/// # Ok(())
/// # }
/// ```
pub fn cityblock_fortran<T: FortranReal>(
    x: ArrayView2<'_, T>,
    y: ArrayView2<'_, T>,
) -> Result<Array2<T>, FfiError> {
    call_fortran(T::kernel(), x, y)
}

fn call_fortran<T: FortranReal>(
    kernel: Kernel<T>,
    x: ArrayView2<'_, T>,
    y: ArrayView2<'_, T>,
) -> Result<Array2<T>, FfiError> {
    fortran_available()?;
    check_dims(x.dim(), y.dim())?;
    let (xf, yf) = (fortran_view("x", x)?, fortran_view("y", y)?);
    let (n, m, d) = c_dims(x.nrows(), y.nrows(), x.ncols())?;
    let mut r = Array2::<T>::default((x.nrows(), y.nrows()).f());
    if r.is_empty() || d == 0 {
        return Ok(r);
    }
    // SAFETY: xf is x's buffer seen as a column-major (d, n) array: n * d
    // contiguous values, column i is point i; likewise yf (d, m). r is a fresh
    // column-major (n, m) array, n * m contiguous values that nothing else
    // references. n, m and d are the exact sizes and fit in c_int. By the
    // FortranReal contract the kernel reads only x and y, writes only r's
    // n * m entries and keeps no pointer; the borrows outlive the call.
    unsafe { kernel(xf.as_ptr(), yf.as_ptr(), r.as_mut_ptr(), n, m, d) };
    Ok(r)
}
// ANCHOR_END: cityblock_fortran

/// [`cityblock_fortran`] with the 2019 kernel of
/// `fortran/racy_cityblock.f90`: right on one OpenMP thread, and not to be
/// trusted on more. `cargo run --release -p ffi-solution --example race`
/// counts how often it goes wrong.
///
/// # Examples
///
/// Right on one OpenMP thread (on more, it may not be):
///
/// ```
/// use std::num::NonZeroUsize;
///
/// use ffi_solution::fortran::cityblock_fortran_racy;
/// use ffi_solution::openmp::with_threads;
/// use ndarray::array;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let r = with_threads(NonZeroUsize::MIN, || cityblock_fortran_racy(x.view(), y.view()))?;
/// assert_eq!(r, array![[0.0, 3.0], [7.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn cityblock_fortran_racy(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, FfiError> {
    call_fortran(racy_cityblock_f64, x, y)
}
