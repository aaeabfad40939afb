//! Helpers for the tests (given code): deterministic points, the distances
//! computed the plain way, and a comparison that names the first element
//! that differs.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

/// `rows` × `cols` points with coordinates in [-1, 1), the same for the same
/// seed. Rows 0 and 1 are equal (when there are two), so some distances are 0.
pub fn points(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move || {
        // xorshift64*: plenty for test data.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let bits = state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
        bits as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    };
    let mut a = Array2::from_shape_fn((rows, cols), |_| next());
    if rows >= 2 {
        let first = a.row(0).to_owned();
        a.row_mut(1).assign(&first);
    }
    a
}

/// r[i, j] = Σₖ |x[i, k] - y[j, k]|, in plain loops.
pub fn cityblock(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        x.row(i)
            .iter()
            .zip(y.row(j))
            .map(|(a, b)| (a - b).abs())
            .sum()
    })
}

/// r[i, j] = Σₖ (x[i, k] - y[j, k])², in plain loops.
pub fn sqeuclidean(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        x.row(i)
            .iter()
            .zip(y.row(j))
            .map(|(a, b)| (a - b) * (a - b))
            .sum()
    })
}

/// y = A v, in plain loops.
pub fn gemv(a: ArrayView2<f64>, v: ArrayView1<f64>) -> Array1<f64> {
    a.rows()
        .into_iter()
        .map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum())
        .collect()
}

/// Checks that every element of `actual` is within `tolerance` (absolute,
/// plus relative to the expected value) of `expected`, and that the shapes
/// agree: a test's assertion.
///
/// # Panics
///
/// Otherwise, naming `what` and the first element that differs.
pub fn assert_close(
    actual: ArrayView2<f64>,
    expected: ArrayView2<f64>,
    tolerance: f64,
    what: &str,
) {
    assert_eq!(
        actual.dim(),
        expected.dim(),
        "{what}: the result's shape, {:?}, is not the expected {:?}",
        actual.dim(),
        expected.dim()
    );
    for ((i, j), &want) in expected.indexed_iter() {
        let got = actual[[i, j]];
        // The emulator names the cause of a NaN in its own outputs; this one came from
        // elsewhere (a GPU, or code on the CPU), so the likely causes are listed here.
        let nan = if got.is_nan() && !want.is_nan() {
            ": a NaN comes from the arithmetic (the square root of a number below 0, 0/0, \
             ∞ - ∞), or from memory read before anything wrote it (shared memory, an output) or \
             past the end of an input"
        } else {
            ""
        };
        assert!(
            (got - want).abs() <= tolerance * (1.0 + want.abs()),
            "{what}: element [{i}, {j}] is {got}, expected {want} (shape {:?}){nan}",
            expected.dim()
        );
    }
}
