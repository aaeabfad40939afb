//! Exercise 3: single and double precision.
//!
//! `fortran/cityblock.f90` has the kernel twice: `cityblock_f64` with
//! `real(c_double)` and `cityblock_f32` with `real(c_float)`, as the F2PY
//! exercise asked for `double precision` and `real`. The original asked "How
//! do you deal in Python with the two implementations with different
//! precision?": Python looks at the array's dtype at run time. Rust has two
//! answers: at compile time, a trait whose implementation for each type
//! names its kernel ([`FortranReal`]), so `cityblock_fortran::<f32>` calls
//! the `real(c_float)` one; at run time, an enum of the two precisions
//! ([`Points`]), matched once, as a Python extension must do with a dtype.
//!
//! Tests: `cargo test -p ffi --test precision`.

use std::ffi::{c_float, c_int};

use ndarray::{Array2, ArrayView2};

use crate::error::FfiError;
use crate::fortran::{FortranReal, Kernel, cityblock_fortran};

// ANCHOR: extern_f32
unsafe extern "C" {
    /// `subroutine cityblock_f32(x, y, r, n, m, d) bind(C, name="cityblock_f32")`
    /// in fortran/cityblock.f90: `real(c_float)` arrays.
    fn cityblock_f32(
        x: *const c_float,
        y: *const c_float,
        r: *mut c_float,
        n: c_int,
        m: c_int,
        d: c_int,
    );
}

// SAFETY: cityblock_f32 reads x(d,n) and y(d,m) and writes every r(i,j) once
// (see fortran/cityblock.f90); real(c_float) is f32, and the signature above
// is the subroutine's.
unsafe impl FortranReal for f32 {
    const FORTRAN_TYPE: &'static str = "real(c_float)";
    fn kernel() -> Kernel<f32> {
        cityblock_f32
    }
}
// ANCHOR_END: extern_f32

/// Points of either precision, chosen at run time (a NumPy array's dtype).
#[derive(Debug, Clone, Copy)]
pub enum Points<'a> {
    F32(ArrayView2<'a, f32>),
    F64(ArrayView2<'a, f64>),
}

/// Distances in the precision of the points they came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Distances {
    F32(Array2<f32>),
    F64(Array2<f64>),
}

impl Points<'_> {
    /// The Fortran type of the points, for messages.
    pub fn fortran_type(&self) -> &'static str {
        match self {
            Points::F32(_) => f32::FORTRAN_TYPE,
            Points::F64(_) => f64::FORTRAN_TYPE,
        }
    }
}

// ANCHOR: cityblock_dispatch
/// The Cityblock distance matrix by the Fortran kernel of the points'
/// precision. Points of two different precisions are an error,
/// [`FfiError::MixedPrecision`], naming both: converting one silently would
/// either lose digits or double the memory traffic behind the caller's back.
///
/// # Examples
///
/// ```
/// use ffi_solution::FfiError;
/// use ffi_solution::precision::{Distances, Points, cityblock_dispatch};
/// use ndarray::array;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0_f32, 0.0], [3.0, 4.0]];
/// let y = array![[0.0_f32, 0.0], [3.0, 0.0]];
/// let r = cityblock_dispatch(Points::F32(x.view()), Points::F32(y.view()))?;
/// assert_eq!(r, Distances::F32(array![[0.0, 3.0], [7.0, 4.0]]));
///
/// let y64 = array![[0.0_f64, 0.0]];
/// let mixed = cityblock_dispatch(Points::F32(x.view()), Points::F64(y64.view()));
/// assert!(matches!(mixed, Err(FfiError::MixedPrecision { .. })));
/// # Ok(())
/// # }
/// ```
pub fn cityblock_dispatch(x: Points<'_>, y: Points<'_>) -> Result<Distances, FfiError> {
    match (x, y) {
        (Points::F32(x), Points::F32(y)) => cityblock_fortran(x, y).map(Distances::F32),
        (Points::F64(x), Points::F64(y)) => cityblock_fortran(x, y).map(Distances::F64),
        (x, y) => Err(FfiError::MixedPrecision {
            x: x.fortran_type(),
            y: y.fortran_type(),
        }),
    }
}
// ANCHOR_END: cityblock_dispatch
