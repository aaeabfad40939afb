//! # Lab 6, the other way round: Rust from Python (solution)
//!
//! The Python module `ffi_lab_solution`: the Cityblock and Euclidean distance
//! matrices of two NumPy arrays, computed by a parallel Rust kernel
//! ([`kernel`]: lab 3's blocked kernel, on the instructions this CPU has,
//! where the exercise is given a plain parallel loop) behind a binding layer
//! written with pyo3 and the `numpy` crate.
//!
//! ```sh
//! .venv/bin/maturin develop --release -m solutions/06-ffi/python/Cargo.toml
//! FFI_LAB_MODULE=ffi_lab_solution .venv/bin/python -m pytest exercises/06-ffi/python/tests
//! ```

use numpy::{
    IntoPyArray, PyArray2, PyArrayDescrMethods, PyReadonlyArray2, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

pub mod kernel;

// ANCHOR: shape_error
pyo3::create_exception!(
    ffi_lab_solution,
    ShapeError,
    PyValueError,
    "x and y are not (n, d) and (m, d) matrices with the same d."
);
// ANCHOR_END: shape_error

/// A shape as Python writes it: `(3, 4)`, `(5,)`.
fn py_shape(shape: &[usize]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => {
            let parts: Vec<String> = shape.iter().map(usize::to_string).collect();
            format!("({})", parts.join(", "))
        }
    }
}

// ANCHOR: float64_matrix
/// `a` as a read-only 2-D float64 view, in whatever layout it has (no copy),
/// or the Python exception that says what is wrong with it.
fn float64_matrix<'py>(name: &str, a: &Bound<'py, PyAny>) -> PyResult<PyReadonlyArray2<'py, f64>> {
    let Ok(array) = a.cast::<PyUntypedArray>() else {
        return Err(PyTypeError::new_err(format!(
            "{name} is a {}, not a NumPy array: pass a float64 array, e.g. \
             np.asarray({name}, dtype=np.float64)",
            a.get_type().name()?
        )));
    };
    let dtype = array.dtype();
    if !dtype.is_equiv_to(&numpy::dtype::<f64>(a.py())) {
        // Converting here would hide a copy (and, from float32, double the memory): the
        // caller decides.
        return Err(PyTypeError::new_err(format!(
            "{name} has dtype {dtype}: pass float64; convert explicitly with \
             {name}.astype(np.float64), which copies"
        )));
    }
    if array.ndim() != 2 {
        return Err(ShapeError::new_err(format!(
            "{name} has shape {}: pass a 2-D array, one point per row, (n points, d coordinates)",
            py_shape(array.shape())
        )));
    }
    // The dtype and the number of dimensions are right: this cannot fail, except when
    // Rust code already borrows the array mutably.
    a.extract()
}
// ANCHOR_END: float64_matrix

// ANCHOR: distance_matrix
/// The checks, the GIL released around `kernel`, the result handed to NumPy.
fn distance_matrix<'py>(
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    kernel: fn(ndarray::ArrayView2<'_, f64>, ndarray::ArrayView2<'_, f64>) -> ndarray::Array2<f64>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let (xs, ys) = (float64_matrix("x", x)?, float64_matrix("y", y)?);
    let (xv, yv) = (xs.as_array(), ys.as_array());
    if xv.ncols() != yv.ncols() {
        return Err(ShapeError::new_err(format!(
            "x has shape {} and y has shape {}: points need the same number of coordinates, \
             but x has {} columns and y has {}",
            py_shape(xs.shape()),
            py_shape(ys.shape()),
            xv.ncols(),
            yv.ncols()
        )));
    }
    let py = x.py();
    // Without the GIL, other Python threads run while rayon's threads compute. The views
    // stay valid: `xs` and `ys` hold the arrays (and numpy's borrow flags) until we return.
    let r = py.detach(|| kernel(xv, yv));
    // The Array2's buffer becomes the NumPy array's: no copy.
    Ok(r.into_pyarray(py))
}
// ANCHOR_END: distance_matrix

/// `cityblock(x, y)`: the Cityblock distance matrix `r[i, j] = Σ_k |x[i, k] - y[j, k]|`
/// of x (n, d) and y (m, d), float64 arrays in any layout; a new (n, m) float64 array.
#[pyfunction]
pub fn cityblock<'py>(
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    distance_matrix(x, y, kernel::cityblock)
}

/// `euclidean(x, y)`: the Euclidean distance matrix `r[i, j] = √(Σ_k (x[i, k] - y[j, k])²)`
/// of x (n, d) and y (m, d), float64 arrays in any layout; a new (n, m) float64 array.
#[pyfunction]
pub fn euclidean<'py>(
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    distance_matrix(x, y, kernel::euclidean)
}

/// `simd()`: which instructions the kernel uses on this CPU (`"avx512"`, `"avx2"` or
/// `"sse2"`), chosen at run time (given).
#[pyfunction]
pub fn simd() -> &'static str {
    kernel::simd_path()
}

// ANCHOR: module
/// The module `ffi_lab_solution` (given): what `import ffi_lab_solution` finds.
#[pymodule]
fn ffi_lab_solution(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(cityblock, m)?)?;
    m.add_function(wrap_pyfunction!(euclidean, m)?)?;
    m.add_function(wrap_pyfunction!(simd, m)?)?;
    m.add("ShapeError", m.py().get_type::<ShapeError>())?;
    Ok(())
}
// ANCHOR_END: module
