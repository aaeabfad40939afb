//! Exercise 6: the squared Euclidean distance matrix by broadcasting
//! (src/distance.rs): the bridge to lab 2.
//! Run: cargo test -p strides --test distance

use ndarray::{Array2, array};
use strides::DimensionMismatch;
use strides::distance::{sq_euclidean_broadcast, temporary_bytes};

/// Deterministic test points: no randomness needed to catch index mix-ups.
fn points(n: usize, d: usize, seed: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, d), |(i, k)| ((i * 7 + k * 3 + seed) % 11) as f64 - 5.0)
}

/// The definition, as loops: r[i, j] = Σ_k (x[i, k] - y[j, k])².
fn reference(x: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        x.row(i)
            .iter()
            .zip(y.row(j))
            .map(|(a, b)| (a - b) * (a - b))
            .sum()
    })
}

#[test]
fn small_example_by_hand() {
    let x = array![[0.0, 0.0], [1.0, 1.0]];
    let y = array![[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]];
    let r = sq_euclidean_broadcast(x.view(), y.view()).unwrap();
    assert_eq!(
        r,
        array![[0.0, 25.0, 1.0], [2.0, 13.0, 1.0]],
        "r[i, j] = |x_i - y_j|², not the square root"
    );
}

#[test]
fn matches_the_loop_definition_with_n_m_and_d_all_different() {
    let (x, y) = (points(7, 3, 1), points(5, 3, 2));
    let r = sq_euclidean_broadcast(x.view(), y.view()).unwrap();
    assert_eq!(
        r.shape(),
        &[7, 5],
        "one row per point of x, one column per point of y"
    );
    assert_eq!(r, reference(&x, &y));
}

#[test]
fn distances_of_a_set_to_itself_are_symmetric_with_a_zero_diagonal() {
    let x = points(6, 4, 3);
    let r = sq_euclidean_broadcast(x.view(), x.view()).unwrap();
    assert_eq!(
        r,
        r.t(),
        "the distance from i to j equals the distance from j to i"
    );
    assert!(
        r.diag().iter().all(|&v| v == 0.0),
        "every point is at distance 0 from itself"
    );
}

#[test]
fn works_on_transposed_and_strided_inputs() {
    let x = points(4, 6, 4);
    let xt = x.t().to_owned(); // (6, 4) buffer; its transpose is a (4, 6) non-contiguous view
    let y = points(9, 6, 5);
    let every_other = y.slice(ndarray::s![..;2, ..]);
    let r = sq_euclidean_broadcast(xt.t(), every_other).unwrap();
    assert_eq!(
        r,
        reference(&x, &every_other.to_owned()),
        "views of any layout must work"
    );
}

#[test]
fn points_with_different_dimensions_are_an_error_naming_both_shapes() {
    let (x, y) = (points(3, 3, 0), points(5, 4, 0));
    let err = sq_euclidean_broadcast(x.view(), y.view())
        .expect_err("3-D and 4-D points have no distance");
    assert_eq!(
        err,
        DimensionMismatch {
            x: (3, 3),
            y: (5, 4)
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("(3, 3)") && message.contains("(5, 4)"),
        "name both shapes: {message}"
    );
}

#[test]
fn empty_inputs_give_empty_or_zero_matrices() {
    let none = Array2::<f64>::zeros((0, 3));
    let some = points(4, 3, 0);
    assert_eq!(
        sq_euclidean_broadcast(none.view(), some.view())
            .unwrap()
            .shape(),
        &[0, 4]
    );
    assert_eq!(
        sq_euclidean_broadcast(some.view(), none.view())
            .unwrap()
            .shape(),
        &[4, 0]
    );
    let no_coordinates = Array2::<f64>::zeros((2, 0));
    assert_eq!(
        sq_euclidean_broadcast(no_coordinates.view(), no_coordinates.view()).unwrap(),
        Array2::<f64>::zeros((2, 2)),
        "with d = 0 every distance is 0"
    );
}

#[test]
fn the_temporary_costs_n_times_m_times_d_doubles() {
    assert_eq!(
        temporary_bytes(2000, 2000, 50),
        Some(1_600_000_000),
        "the course's 1.6 GB at 2000 points of 50 coordinates"
    );
    assert_eq!(temporary_bytes(5000, 5000, 50), Some(10_000_000_000));
    assert_eq!(temporary_bytes(0, 10, 10), Some(0));
    assert_eq!(
        temporary_bytes(usize::MAX / 4, 2, 2),
        None,
        "overflow must be reported, not wrapped"
    );
}
