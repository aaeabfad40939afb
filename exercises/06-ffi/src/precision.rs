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

use ndarray::{Array2, ArrayView2};

use crate::error::FfiError;
use crate::fortran::{FortranReal, Kernel};
// You will need: std::ffi::{c_float, c_int} and crate::fortran::cityblock_fortran.

// ANCHOR: extern_todo
// TODO: declare `cityblock_f32` of fortran/cityblock.f90 in an
// `unsafe extern "C"` block, as src/fortran.rs declares cityblock_f64, with
// real(c_float) arrays.

// SAFETY: this implementation never returns a kernel yet. Once it returns
// cityblock_f32, say here why that subroutine keeps the trait's contract.
unsafe impl FortranReal for f32 {
    const FORTRAN_TYPE: &'static str = "real(c_float)";
    fn kernel() -> Kernel<f32> {
        // TODO: return cityblock_f32 (a function item becomes a function pointer).
        todo!("the bind(C) kernel for {} arrays", Self::FORTRAN_TYPE)
    }
}
// ANCHOR_END: extern_todo

// ANCHOR: points
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
// ANCHOR_END: points

// ANCHOR: cityblock_dispatch
/// The Cityblock distance matrix by the Fortran kernel of the points'
/// precision. Points of two different precisions are an error,
/// [`FfiError::MixedPrecision`], naming both: converting one silently would
/// either lose digits or double the memory traffic behind the caller's back.
pub fn cityblock_dispatch(x: Points<'_>, y: Points<'_>) -> Result<Distances, FfiError> {
    // TODO: match on (x, y): two F32 → cityblock_fortran, wrapped in Distances::F32;
    // two F64 → Distances::F64; anything else → FfiError::MixedPrecision with
    // both fortran_type()s.
    todo!(
        "dispatch {} x and {} y to the right kernel",
        x.fortran_type(),
        y.fortran_type()
    )
}
// ANCHOR_END: cityblock_dispatch
