//! Exercise 2: broadcasting and its temporaries (src/broadcast.rs).
//! Run: cargo test -p vectorization --test broadcast

use ndarray::{Array2, ArrayView2};
use vectorization::broadcast::{
    broadcast_temporary_bytes, sq_euclidean_broadcast, sq_euclidean_broadcast_einsum,
};
use vectorization::testing::{assert_allclose, random_points};

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

#[test]
fn broadcast_matches_the_definition() {
    let (x, y) = (random_points(9, 5, 1), random_points(7, 5, 2));
    let r = sq_euclidean_broadcast(x.view(), y.view()).unwrap();
    assert_allclose(
        r.view(),
        reference(x.view(), y.view()).view(),
        1e-14,
        0.0,
        "broadcast",
    );
}

#[test]
fn the_einsum_variant_matches_too() {
    let (x, y) = (random_points(9, 5, 3), random_points(7, 5, 4));
    let r = sq_euclidean_broadcast_einsum(x.view(), y.view()).unwrap();
    assert_allclose(
        r.view(),
        reference(x.view(), y.view()).view(),
        1e-14,
        0.0,
        "einsum-like broadcast",
    );
}

#[test]
fn strided_and_transposed_inputs_work() {
    let x = random_points(5, 8, 5);
    let xt = x.t().to_owned();
    let y = random_points(12, 8, 6);
    let every_other = y.slice(ndarray::s![..;2, ..]);
    let expected = reference(x.view(), every_other);
    assert_allclose(
        sq_euclidean_broadcast(xt.t(), every_other).unwrap().view(),
        expected.view(),
        1e-14,
        0.0,
        "views",
    );
    assert_allclose(
        sq_euclidean_broadcast_einsum(xt.t(), every_other)
            .unwrap()
            .view(),
        expected.view(),
        1e-14,
        0.0,
        "views",
    );
}

#[test]
fn mismatched_dimensions_are_errors() {
    let (x, y) = (random_points(3, 2, 0), random_points(3, 5, 0));
    assert_eq!(
        sq_euclidean_broadcast(x.view(), y.view()).unwrap_err().y,
        (3, 5)
    );
    assert_eq!(
        sq_euclidean_broadcast_einsum(x.view(), y.view())
            .unwrap_err()
            .x,
        (3, 2)
    );
}

#[test]
fn empty_inputs_work() {
    let none = Array2::<f64>::zeros((0, 3));
    let some = random_points(4, 3, 0);
    assert_eq!(
        sq_euclidean_broadcast(none.view(), some.view())
            .unwrap()
            .shape(),
        &[0, 4]
    );
    assert_eq!(
        sq_euclidean_broadcast_einsum(some.view(), none.view())
            .unwrap()
            .shape(),
        &[4, 0]
    );
}

#[test]
fn the_temporaries_cost_n_m_d_doubles_each() {
    // The CSCS notebook's question: 2000 points of 50 coordinates.
    assert_eq!(
        broadcast_temporary_bytes(2000, 2000, 50, 1),
        Some(1_600_000_000),
        "one (2000, 2000, 50) f64 array is 1.6 GB"
    );
    assert_eq!(
        broadcast_temporary_bytes(2000, 2000, 50, 2),
        Some(3_200_000_000),
        "NumPy's version makes two"
    );
    assert_eq!(
        broadcast_temporary_bytes(5000, 5000, 50, 1),
        Some(10_000_000_000)
    );
    assert_eq!(
        broadcast_temporary_bytes(usize::MAX / 2, 3, 1, 1),
        None,
        "overflow is reported, not wrapped"
    );
}
