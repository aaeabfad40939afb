//! Exercise 4: fusing elementwise work (the numexpr lesson).
//!
//! An expression like `2a³ - 3a² + 4a - 5` evaluated operator by operator
//! makes a full pass over memory, and allocates a temporary, for every
//! operator. Evaluated element by element, the whole expression is computed
//! while the element is in a register: one pass, one allocation.
//!
//! Tests: `cargo test -p vectorization --test fused`.

use ndarray::{Array2, ArrayView2};

// ANCHOR: polynomial
/// The NumPy way: `2 * a**3 - 3 * a**2 + 4 * a - 5`, one temporary per operator.
pub fn polynomial_by_operators(a: ArrayView2<'_, f64>) -> Array2<f64> {
    // TODO: `a.mapv(|v| v.powi(3))`, `&cube * 2.0`, ...
    todo!("2a^3 - 3a^2 + 4a - 5 by operators on a {:?} array", a.dim())
}

/// Fused and in Horner form, `((2a - 3)a + 4)a - 5`: one pass, no `powi`.
pub fn polynomial_fused(a: ArrayView2<'_, f64>) -> Array2<f64> {
    // TODO: `mapv`.
    todo!("the fused polynomial on a {:?} array", a.dim())
}

/// Fused, and split over the rayon thread pool (numexpr is multithreaded too).
pub fn polynomial_fused_parallel(a: ArrayView2<'_, f64>) -> Array2<f64> {
    // TODO: `Zip::from(&a).par_map_collect(...)`.
    todo!("the fused polynomial in parallel on a {:?} array", a.dim())
}
// ANCHOR_END: polynomial
