//! Helpers for the tests and benches (given code: nothing to do here).

use ndarray::{Array2, ArrayView2, Zip};

/// Seeded random points and NumPy's `assert_allclose`, the same in every lab:
/// from the course's `support` crate.
pub use support::testing::{assert_allclose, random_points};

/// Whether this crate has its Fortran kernels. Without them (gfortran was missing when the
/// crate was built) it prints the line that marks the calling test skipped, with how to
/// install gfortran on this system, and the test returns at once, before it calls any code of
/// the exercise: `if !fortran_kernels_built() { return; }`.
pub fn fortran_kernels_built() -> bool {
    if cfg!(has_fortran) {
        return true;
    }
    support::platform::skip(format_args!(
        "gfortran was missing when this crate was built: {}",
        crate::error::fortran_fix()
    ));
    false
}

/// Whether the kernels' OpenMP thread count can be set: the C kernel (c/cityblock.c, which
/// sets it for the Fortran kernels too) was built with OpenMP. Without it every kernel runs
/// as it likes whatever the setting, and a test about thread counts would check nothing: this
/// prints the line that marks the calling test skipped, with how to install OpenMP on this
/// system, and the test returns at once: `if !thread_count_settable() { return; }`.
pub fn thread_count_settable() -> bool {
    if cfg!(has_openmp) {
        return true;
    }
    support::platform::skip(format_args!(
        "the C kernel was built without OpenMP (the C compiler took no -fopenmp), so the \
         kernels' thread count cannot be set: install OpenMP ({}), then `cargo clean -p {}` \
         and build again",
        support::platform::Tool::OpenMp.install_here(),
        env!("CARGO_PKG_NAME")
    ));
    false
}

/// The same points in single precision.
pub fn random_points_f32(n: usize, d: usize, seed: u64) -> Array2<f32> {
    random_points(n, d, seed).mapv(|v| v as f32)
}

// ANCHOR: reference
/// The Cityblock distance matrix in plain Rust, in f64 whatever the input's
/// precision, coordinates added in order (k = 0, 1, ...): what every kernel of
/// the lab is checked against.
///
/// # Panics
///
/// If x and y have different numbers of columns.
pub fn cityblock_reference<T: Copy + Into<f64>>(
    x: ArrayView2<'_, T>,
    y: ArrayView2<'_, T>,
) -> Array2<f64> {
    assert_eq!(
        x.ncols(),
        y.ncols(),
        "x and y need the same number of columns"
    );
    Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        Zip::from(x.row(i))
            .and(y.row(j))
            .fold(0.0, |sum, &p, &q| sum + (p.into() - q.into()).abs())
    })
}
// ANCHOR_END: reference
