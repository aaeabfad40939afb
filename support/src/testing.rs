//! Helpers for the tests and benches (given code: nothing to do here).

use approx::RelativeEq;
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

/// Whether `actual` is close to `expected`: within `atol`, or within `rtol`
/// of the larger magnitude (approx's `relative_eq`, as ndarray's own `approx`
/// comparisons use); two NaNs count as equal, as in NumPy's `assert_allclose`.
pub fn is_close(actual: f64, expected: f64, rtol: f64, atol: f64) -> bool {
    (actual.is_nan() && expected.is_nan()) || actual.relative_eq(&expected, atol, rtol)
}

/// Checks that every entry of `actual` [`is_close`] to `expected`'s: a test's
/// assertion, as NumPy's `assert_allclose`.
///
/// # Panics
///
/// If the shapes differ, or with a message naming the worst entry (its index,
/// both values, their difference and the tolerances) if any entry is not close.
pub fn assert_allclose(
    actual: ArrayView2<'_, f64>,
    expected: ArrayView2<'_, f64>,
    rtol: f64,
    atol: f64,
    what: &str,
) {
    assert_eq!(actual.shape(), expected.shape(), "{what}: shape");
    // A NaN against a number differs by NaN: count it as the worst difference.
    let difference = |a: f64, e: f64| match (a - e).abs() {
        d if d.is_nan() => f64::INFINITY,
        d => d,
    };
    let mut worst: Option<((usize, usize), f64, f64)> = None;
    Zip::indexed(actual).and(expected).for_each(|ij, &a, &e| {
        if !is_close(a, e, rtol, atol)
            && worst.is_none_or(|(_, wa, we)| difference(a, e) > difference(wa, we))
        {
            worst = Some((ij, a, e));
        }
    });
    if let Some(((i, j), a, e)) = worst {
        panic!(
            "{what}: entry [{i}, {j}] is {a:e} but should be {e:e}, a difference of {:e} \
             (rtol {rtol:e}, atol {atol:e})",
            (a - e).abs()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn random_points_are_seeded_and_in_the_unit_interval() {
        let a = random_points(50, 3, 7);
        assert_eq!(a.dim(), (50, 3));
        assert_eq!(a, random_points(50, 3, 7), "the same seed, the same points");
        assert_ne!(a, random_points(50, 3, 8), "another seed, other points");
        assert!(a.iter().all(|&v| (0.0..1.0).contains(&v)));
    }

    #[test]
    fn closeness_is_absolute_or_relative_and_nan_equals_nan() {
        assert!(is_close(1.0, 1.0 + 1e-13, 1e-12, 0.0), "relative");
        assert!(is_close(1e-20, 0.0, 0.0, 1e-12), "absolute, near zero");
        assert!(!is_close(1.0, 1.001, 1e-12, 1e-12));
        assert!(is_close(f64::NAN, f64::NAN, 0.0, 0.0));
        assert!(!is_close(f64::NAN, 1.0, 1e-3, 1e-3));
        assert!(is_close(f64::INFINITY, f64::INFINITY, 0.0, 0.0));
    }

    #[test]
    fn close_arrays_pass() {
        let a = array![[1.0, 2.0], [f64::NAN, 4.0]];
        assert_allclose(a.view(), (&a * (1.0 + 1e-14)).view(), 1e-12, 0.0, "scaled");
    }

    #[test]
    #[should_panic(
        expected = "r: entry [1, 0] is 3.5e0 but should be 3e0, a difference of 5e-1 \
                    (rtol 1e-12, atol 0e0)"
    )]
    fn the_message_names_the_worst_entry() {
        let expected = array![[1.0, 2.0], [3.0, 4.0]];
        let actual = array![[1.0, 2.1], [3.5, 4.0]];
        assert_allclose(actual.view(), expected.view(), 1e-12, 0.0, "r");
    }

    #[test]
    #[should_panic(expected = "entry [0, 1] is NaN but should be 2e0")]
    fn a_nan_against_a_number_is_the_worst_entry() {
        let expected = array![[1.0, 2.0]];
        let actual = array![[1.5, f64::NAN]];
        assert_allclose(actual.view(), expected.view(), 1e-12, 0.0, "r");
    }

    #[test]
    #[should_panic(expected = "r: shape")]
    fn different_shapes_fail() {
        let a = Array2::<f64>::zeros((2, 3));
        assert_allclose(a.view(), a.t(), 1e-12, 0.0, "r");
    }
}
