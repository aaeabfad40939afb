//! # Lab 6, the other way round: Rust from Python
//!
//! The Python module `ffi_lab`: the Cityblock and Euclidean distance matrices
//! of two NumPy arrays, computed by a parallel Rust loop ([`kernel`], given)
//! behind a binding layer written with pyo3 and the `numpy` crate (yours).
//! What F2PY and CFFI did for the original course's Fortran and C, pyo3 and
//! maturin do for Rust.
//!
//! ## How to work
//!
//! Write [`cityblock`] and [`euclidean`]: replace each `todo!()` (marked
//! `// TODO:`). Once, from the repository root, make the course's venv with
//! maturin, pytest, NumPy and SciPy (`cargo xtask progress` skips this
//! exercise until it exists):
//!
//! ```sh
//! python3 -m venv .venv
//! .venv/bin/python -m pip install -r exercises/06-ffi/python/requirements.txt
//! ```
//!
//! Then build your module into it and run the tests, after each change
//! (`cargo xtask progress` does the same and shows where you stand):
//!
//! ```sh
//! .venv/bin/maturin develop --release -m exercises/06-ffi/python/Cargo.toml
//! .venv/bin/python -m pytest exercises/06-ffi/python/tests
//! ```
//!
//! The tests (`tests/test_*.py`) are the specification: read them. Each
//! function must:
//! 1. accept x (n, d) and y (m, d) as NumPy float64 arrays in any layout (C
//!    or Fortran order, sliced, transposed) without copying them
//!    (`PyReadonlyArray2<f64>`, then `.as_array()`: a view with strides);
//! 2. refuse any other dtype with a `TypeError` that says to pass float64
//!    (never convert silently: a float32 → float64 conversion is a copy the
//!    caller should see), and inputs that are not 2-D or whose d differ with
//!    [`ShapeError`], naming both shapes;
//! 3. release the GIL while the kernel runs (`py.detach(|| ...)`), so other
//!    Python threads go on;
//! 4. return a new NumPy array that takes over the result's buffer, no copy
//!    (`IntoPyArray`).

use numpy::PyArray2;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

// The distance kernels (given): a plain parallel loop over the rows of the result.
#[path = "given/kernel.rs"]
pub mod kernel;

// ANCHOR: shape_error
pyo3::create_exception!(
    ffi_lab,
    ShapeError,
    PyValueError,
    "x and y are not (n, d) and (m, d) matrices with the same d."
);
// ANCHOR_END: shape_error

// ANCHOR: stubs
/// `cityblock(x, y)`: the Cityblock distance matrix `r[i, j] = Σ_k |x[i, k] - y[j, k]|`
/// of x (n, d) and y (m, d), float64 arrays in any layout; a new (n, m) float64 array.
#[pyfunction]
pub fn cityblock<'py>(
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    // TODO: check x and y (float64, 2-D, same d), release the GIL around
    // kernel::cityblock, return its result as a NumPy array without a copy.
    let _ = (x, y); // Unused until you write this.
    todo!(
        "lab 6, exercise `python`: cityblock(x, y) is still a TODO: take x and y as \
         float64 views, check them, run kernel::cityblock with the GIL released, return the \
         result"
    )
}

/// `euclidean(x, y)`: the Euclidean distance matrix `r[i, j] = √(Σ_k (x[i, k] - y[j, k])²)`
/// of x (n, d) and y (m, d), float64 arrays in any layout; a new (n, m) float64 array.
#[pyfunction]
pub fn euclidean<'py>(
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    // TODO: as `cityblock`, with kernel::euclidean.
    let _ = (x, y); // Unused until you write this.
    todo!(
        "lab 6, exercise `python`: euclidean(x, y) is still a TODO: as cityblock, with \
         kernel::euclidean"
    )
}
// ANCHOR_END: stubs

/// `simd()`: which instructions the kernel uses on this CPU (given).
#[pyfunction]
pub fn simd() -> &'static str {
    kernel::simd_path()
}

// ANCHOR: module
/// The module `ffi_lab` (given): what `import ffi_lab` finds.
#[pymodule]
fn ffi_lab(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(cityblock, m)?)?;
    m.add_function(wrap_pyfunction!(euclidean, m)?)?;
    m.add_function(wrap_pyfunction!(simd, m)?)?;
    m.add("ShapeError", m.py().get_type::<ShapeError>())?;
    Ok(())
}
// ANCHOR_END: module
