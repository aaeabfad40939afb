//! Exercise 4b: fusing elementwise work (the numexpr lesson).
//!
//! An expression like `2a³ - 3a² + 4a - 5` evaluated operator by operator
//! makes a full pass over memory, and allocates a temporary, for every
//! operator. Evaluated element by element, the whole expression is computed
//! while the element is in a register: one pass, one allocation.

use ndarray::{Array2, ArrayView2, Zip};

// ANCHOR: polynomial
/// The NumPy way: `2 * a**3 - 3 * a**2 + 4 * a - 5`, one temporary per operator.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::fused::polynomial_by_operators;
///
/// let a = array![[0.0, 1.0], [2.0, 3.0]];
/// assert_eq!(polynomial_by_operators(a.view()), array![[-5.0, -2.0], [7.0, 34.0]]);
/// ```
pub fn polynomial_by_operators(a: ArrayView2<'_, f64>) -> Array2<f64> {
    let cube = a.mapv(|v| v.powi(3));
    let square = a.mapv(|v| v.powi(2));
    &cube * 2.0 - &square * 3.0 + &a * 4.0 - 5.0
}

/// Fused and in Horner form, `((2a - 3)a + 4)a - 5`: one pass, three
/// multiply-adds per element, no `powi`.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::fused::polynomial_fused;
///
/// let a = array![[0.0, 1.0], [2.0, 3.0]];
/// assert_eq!(polynomial_fused(a.view()), array![[-5.0, -2.0], [7.0, 34.0]]);
/// ```
pub fn polynomial_fused(a: ArrayView2<'_, f64>) -> Array2<f64> {
    a.mapv(horner)
}

/// Fused, and split over the rayon thread pool (numexpr is multithreaded too).
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use vectorization_solution::fused::polynomial_fused_parallel;
///
/// let a = array![[0.0, 1.0], [2.0, 3.0]];
/// assert_eq!(polynomial_fused_parallel(a.view()), array![[-5.0, -2.0], [7.0, 34.0]]);
/// ```
pub fn polynomial_fused_parallel(a: ArrayView2<'_, f64>) -> Array2<f64> {
    Zip::from(&a).par_map_collect(|&v| horner(v))
}

fn horner(v: f64) -> f64 {
    ((2.0 * v - 3.0) * v + 4.0) * v - 5.0
}
// ANCHOR_END: polynomial
