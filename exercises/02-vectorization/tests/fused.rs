//! Exercise 4: fusing elementwise work (src/fused.rs).
//! Run: cargo test -p vectorization --test fused

use ndarray::array;
use vectorization::fused::{polynomial_by_operators, polynomial_fused, polynomial_fused_parallel};
use vectorization::testing::{assert_allclose, random_points};

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
