//! The typed errors of lab 6 (given code). Every message names what was wrong
//! and what to do about it.

use std::fmt;

use ndarray::ArrayView2;

/// Why a safe wrapper refused to call a C or Fortran kernel.
///
/// Its `Debug` form is the derived one, except for `FortranUnavailable`,
/// which adds the fix: `.expect()` and `assert_eq!` show `Debug`, and a test
/// that fails for want of gfortran should say how to install it.
#[derive(Clone, PartialEq, Eq)]
pub enum FfiError {
    /// x (n, d) and y (m, d') with d ≠ d'.
    DimensionMismatch {
        /// Shape of `x`.
        x: (usize, usize),
        /// Shape of `y`.
        y: (usize, usize),
    },
    /// An input whose elements are not one row after the other in memory
    /// (row-major, C order): a transposed view, a view with a step, reversed
    /// rows. The kernel reads a flat buffer and would read the wrong numbers.
    NotContiguous {
        /// Which input: `"x"` or `"y"`.
        which: &'static str,
        /// Its shape.
        shape: (usize, usize),
        /// Its strides, in elements (ndarray's unit; NumPy's are in bytes).
        strides: (isize, isize),
    },
    /// A size that does not fit in the kernel's C `int`.
    TooLarge {
        /// Which size: `"n"` (rows of x), `"m"` (rows of y) or `"d"` (columns).
        which: &'static str,
        /// Its value.
        value: usize,
    },
    /// Points of two different precisions, where a kernel takes one.
    MixedPrecision {
        /// The Fortran type of x's numbers, `"real(c_float)"` or `"real(c_double)"`.
        x: &'static str,
        /// The Fortran type of y's numbers.
        y: &'static str,
    },
    /// The crate was built without gfortran, so it has no Fortran kernel.
    FortranUnavailable,
}

/// How to get the Fortran kernels into this crate, on this system: the install command is
/// the course's for the platform (`support::platform`).
pub fn fortran_fix() -> String {
    format!(
        "install gfortran ({}), then `cargo clean -p {}` and build again",
        support::platform::Tool::Gfortran.install_here(),
        env!("CARGO_PKG_NAME")
    )
}

impl FfiError {
    /// The error for an input `a` that is not in standard (row-major) layout.
    pub fn not_contiguous<T>(which: &'static str, a: &ArrayView2<'_, T>) -> Self {
        let strides = a.strides();
        FfiError::NotContiguous {
            which,
            shape: a.dim(),
            strides: (strides[0], strides[1]),
        }
    }
}

impl fmt::Display for FfiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FfiError::DimensionMismatch { x, y } => write!(
                f,
                "x has shape ({}, {}) and y has shape ({}, {}): points need the same number of \
                 coordinates, but x has {} columns and y has {}",
                x.0, x.1, y.0, y.1, x.1, y.1
            ),
            FfiError::NotContiguous {
                which,
                shape,
                strides,
            } => write!(
                f,
                "{which} has shape ({}, {}) and strides ({}, {}) (in elements): the kernel reads \
                 a row-major buffer, row after row (strides ({}, 1)), and would read the wrong \
                 numbers; pass a standard-layout array (`.as_standard_layout()` copies one when \
                 needed, as `cityblock_c_copying` does)",
                shape.0, shape.1, strides.0, strides.1, shape.1
            ),
            FfiError::TooLarge { which, value } => {
                let what = match *which {
                    "n" => "rows of x",
                    "m" => "rows of y",
                    "d" => "coordinates per point",
                    _ => "a size",
                };
                write!(
                    f,
                    "{which} = {value} ({what}) does not fit in the C int the kernel takes (at \
                     most {}): split the points into blocks",
                    std::ffi::c_int::MAX
                )
            }
            FfiError::MixedPrecision { x, y } => write!(
                f,
                "x holds {x} numbers and y holds {y}: a kernel takes one precision; convert one \
                 of them explicitly (`.mapv(f64::from)` or `.mapv(|v| v as f32)`)"
            ),
            FfiError::FortranUnavailable => write!(
                f,
                "the Fortran kernels were not compiled, because gfortran was missing when this \
                 crate was built: {}",
                fortran_fix()
            ),
        }
    }
}

impl fmt::Debug for FfiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FfiError::DimensionMismatch { x, y } => f
                .debug_struct("DimensionMismatch")
                .field("x", x)
                .field("y", y)
                .finish(),
            FfiError::NotContiguous {
                which,
                shape,
                strides,
            } => f
                .debug_struct("NotContiguous")
                .field("which", which)
                .field("shape", shape)
                .field("strides", strides)
                .finish(),
            FfiError::TooLarge { which, value } => f
                .debug_struct("TooLarge")
                .field("which", which)
                .field("value", value)
                .finish(),
            FfiError::MixedPrecision { x, y } => f
                .debug_struct("MixedPrecision")
                .field("x", x)
                .field("y", y)
                .finish(),
            FfiError::FortranUnavailable => write!(f, "FortranUnavailable (\"{self}\")"),
        }
    }
}

impl std::error::Error for FfiError {}

/// Checks that x (n, d) and y (m, d) have the same d.
pub fn check_dims(x: (usize, usize), y: (usize, usize)) -> Result<(), FfiError> {
    if x.1 == y.1 {
        Ok(())
    } else {
        Err(FfiError::DimensionMismatch { x, y })
    }
}
