//! Exercise 4: fusing elementwise work (src/fused.rs), and the trick with its tail fused into one
//! pass (`sq_euclidean_trick_fused_tail` in src/trick.rs).
//! Run: cargo test -p vectorization --test fused

use ndarray::{Array2, ArrayView2, array};
use vectorization::fused::{polynomial_by_operators, polynomial_fused, polynomial_fused_parallel};
use vectorization::testing::{assert_allclose, random_points};
use vectorization::trick::{row_sq_norms, sq_euclidean_trick_fused_tail, trick_error_bound};

/// The definition, written in the test so it checks your code independently.
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

/// The variant of the trick that this exercise builds: the same tests as exercise 3's
/// (tests/trick.rs) run on it.
const VARIANTS: [(&str, Variant); 1] = [(
    "sq_euclidean_trick_fused_tail",
    sq_euclidean_trick_fused_tail,
)];

/// Points close to each other but far from the origin: the trick's worst case.
fn near_duplicates() -> (Array2<f64>, Array2<f64>) {
    let x = random_points(6, 3, 7).mapv(|v| 1e4 + v);
    let y = &x + 1e-5;
    (x, y)
}

#[test]
fn the_polynomial_by_operators() {
    let a = array![[0.0, 1.0], [2.0, -1.0]];
    assert_eq!(
        polynomial_by_operators(a.view()),
        array![[-5.0, -2.0], [7.0, -14.0]],
        "2a³ - 3a² + 4a - 5"
    );
}

#[test]
fn the_fused_polynomial_matches_the_operators() {
    let a = random_points(40, 30, 1).mapv(|v| 4.0 * v - 2.0);
    let by_operators = polynomial_by_operators(a.view());
    assert_allclose(
        polynomial_fused(a.view()).view(),
        by_operators.view(),
        1e-13,
        1e-13,
        "Horner form",
    );
    assert_eq!(
        polynomial_fused(array![[0.0, 1.0], [2.0, -1.0]].view()),
        array![[-5.0, -2.0], [7.0, -14.0]]
    );
}

#[test]
fn the_parallel_version_gives_the_same_bits() {
    let a = random_points(300, 50, 2);
    assert_eq!(
        polynomial_fused_parallel(a.view()),
        polynomial_fused(a.view()),
        "each element is computed the same way whatever thread computes it"
    );
}

#[test]
fn fused_works_on_transposed_views() {
    let a = random_points(5, 7, 3);
    assert_eq!(polynomial_fused(a.t()), polynomial_fused(a.view()).t());
    assert_eq!(
        polynomial_fused_parallel(a.t()),
        polynomial_fused(a.view()).t()
    );
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
