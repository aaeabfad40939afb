//! Helpers for the tests and benches (given code: nothing to do here).

use ndarray::{Array2, ArrayView2, Zip};

/// `n` points in `d` dimensions, uniform in [0, 1), from a fixed seed: the
/// same seed gives the same points on every machine.
pub fn random_points(n: usize, d: usize, seed: u64) -> Array2<f64> {
    // SplitMix64: tiny, fast, and good enough for test data.
    let mut state = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    Array2::from_shape_simple_fn((n, d), || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    })
}

/// The same points in single precision.
pub fn random_points_f32(n: usize, d: usize, seed: u64) -> Array2<f32> {
    random_points(n, d, seed).mapv(|v| v as f32)
}

// ANCHOR: reference
/// The Cityblock distance matrix in plain Rust, in f64 whatever the input's
/// precision, coordinates added in order (k = 0, 1, ...): what every kernel of
/// the lab is checked against. Panics if x and y have different numbers of
/// columns.
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

/// Panics with a useful message unless `|actual - expected| <= atol + rtol * |expected|`
/// everywhere (NumPy's `assert_allclose`), naming the worst entry.
pub fn assert_allclose(
    actual: ArrayView2<'_, f64>,
    expected: ArrayView2<'_, f64>,
    rtol: f64,
    atol: f64,
    what: &str,
) {
    assert_eq!(actual.shape(), expected.shape(), "{what}: shape");
    let mut worst: Option<((usize, usize), f64, f64)> = None;
    Zip::indexed(actual).and(expected).for_each(|ij, &a, &e| {
        let excess = (a - e).abs() - (atol + rtol * e.abs());
        let is_nan_mismatch = a.is_nan() != e.is_nan();
        if (excess > 0.0 || is_nan_mismatch)
            && worst.is_none_or(|(_, wa, we)| (a - e).abs() > (wa - we).abs())
        {
            worst = Some((ij, a, e));
        }
    });
    if let Some(((i, j), a, e)) = worst {
        panic!(
            "{what}: entry [{i}, {j}] is {a:e} but should be {e:e} (rtol {rtol:e}, atol {atol:e})"
        );
    }
}
