//! Exercise 3: the trick ‖x‖² + ‖y‖² − 2 x·y (src/trick.rs): the row norms, the
//! operator-by-operator trick and its error bound. The other variants in src/trick.rs are tested
//! with the exercise that builds them: the fused tail in tests/fused.rs (exercise 4), the trick
//! in the kernel and the checked trick in tests/direct.rs (exercise 5, they run on your `tile`).
//! Run: cargo test -p vectorization --test trick

use ndarray::{Array1, Array2, ArrayView2, array};
use vectorization::testing::{assert_allclose, random_points};
use vectorization::trick::{row_sq_norms, sq_euclidean_trick, trick_error_bound};

fn reference(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        x.row(i)
            .iter()
            .zip(y.row(j))
            .map(|(a, b)| (a - b) * (a - b))
            .sum()
    })
}

type Variant =
    fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, vectorization::DimensionMismatch>;

/// The variants of the trick that this exercise builds (the others are tested with exercises 4
/// and 5, by the same tests).
const VARIANTS: [(&str, Variant); 1] = [("sq_euclidean_trick", sq_euclidean_trick)];

/// Points close to each other but far from the origin: the trick's worst case.
fn near_duplicates() -> (Array2<f64>, Array2<f64>) {
    let x = random_points(6, 3, 7).mapv(|v| 1e4 + v);
    let y = &x + 1e-5;
    (x, y)
}

#[test]
fn row_norms_are_sums_of_squares() {
    let x = array![[3.0, 4.0], [1.0, 1.0], [0.0, 0.0]];
    assert_eq!(row_sq_norms(x.view()), Array1::from(vec![25.0, 2.0, 0.0]));
    assert_eq!(row_sq_norms(Array2::<f64>::zeros((0, 3)).view()).len(), 0);
}

#[test]
fn every_trick_variant_matches_the_definition_on_random_points() {
    let (x, y) = (random_points(37, 11, 1), random_points(29, 11, 2));
    let expected = reference(x.view(), y.view());
    for (name, variant) in VARIANTS {
        let r = variant(x.view(), y.view()).unwrap();
        assert_allclose(r.view(), expected.view(), 1e-10, 1e-12, name);
    }
}

#[test]
fn the_trick_never_returns_negative_distances() {
    // x against itself: the diagonal is 0 up to round-off, which can be negative.
    let x = random_points(50, 7, 3).mapv(|v| 100.0 * v);
    for (name, variant) in VARIANTS {
        let r = variant(x.view(), x.view()).unwrap();
        assert!(
            r.iter().all(|&v| v >= 0.0),
            "{name}: clamp negative round-off to 0 (the notebook uses abs)"
        );
    }
}

#[test]
fn the_trick_error_stays_within_the_bound() {
    let (x, y) = near_duplicates();
    let exact = reference(x.view(), y.view());
    let (x2, y2) = (row_sq_norms(x.view()), row_sq_norms(y.view()));
    for (name, variant) in VARIANTS {
        let r = variant(x.view(), y.view()).unwrap();
        for ((i, j), &v) in r.indexed_iter() {
            let bound = trick_error_bound(x2[i], y2[j], 3);
            assert!(
                (v - exact[[i, j]]).abs() <= bound,
                "{name}[{i}, {j}]: error {:e} above the bound {bound:e}",
                (v - exact[[i, j]]).abs()
            );
        }
    }
}

#[test]
fn close_points_far_from_the_origin_defeat_the_plain_trick() {
    let (x, y) = near_duplicates();
    let exact = reference(x.view(), y.view());
    let r = sq_euclidean_trick(x.view(), y.view()).unwrap();
    let (i, j) = (2, 2); // the same point, shifted by 1e-5 per coordinate
    let relative_error = (r[[i, j]] - exact[[i, j]]).abs() / exact[[i, j]];
    assert!(
        relative_error > 0.5,
        "cancellation: ‖x‖² ≈ 3e8 and the distance ≈ 3e-10; expected a useless result, got relative error {relative_error:e}"
    );
}

#[test]
fn every_variant_refuses_mismatched_dimensions() {
    let (x, y) = (random_points(3, 2, 0), random_points(4, 3, 0));
    for (name, variant) in VARIANTS {
        let err = variant(x.view(), y.view()).expect_err(name);
        assert_eq!((err.x, err.y), ((3, 2), (4, 3)), "{name}");
    }
}

#[test]
fn every_variant_handles_empty_inputs() {
    let none = Array2::<f64>::zeros((0, 5));
    let some = random_points(3, 5, 0);
    for (name, variant) in VARIANTS {
        assert_eq!(
            variant(none.view(), some.view()).unwrap().shape(),
            &[0, 3],
            "{name}"
        );
        assert_eq!(
            variant(some.view(), none.view()).unwrap().shape(),
            &[3, 0],
            "{name}"
        );
    }
}
