//! Exercise 1: the serial baselines (src/serial.rs).
//! Run: cargo test -p parallel --test serial

use ndarray::{Array2, array};
use parallel::DimensionMismatch;
use parallel::serial::{
    cityblock_iter, cityblock_loops, cityblock_pair, euclidean_loops, euclidean_pair,
};
use parallel::testing::random_points;

#[test]
fn cityblock_of_two_points_adds_absolute_differences() {
    let (a, b) = (array![1.0, -2.0, 3.0], array![4.0, 2.0, 3.0]);
    assert_eq!(
        cityblock_pair(a.view(), b.view()),
        7.0,
        "|1 - 4| + |-2 - 2| + |3 - 3| = 3 + 4 + 0"
    );
}

#[test]
fn euclidean_of_two_points_takes_the_square_root() {
    let (a, b) = (array![0.0, 0.0], array![3.0, 4.0]);
    assert_eq!(
        euclidean_pair(a.view(), b.view()),
        5.0,
        "the 3-4-5 triangle"
    );
}

#[test]
fn loops_compute_a_small_example() {
    let x = array![[0.0, 0.0], [1.0, 1.0]];
    let y = array![[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]];
    let expected = array![[0.0, 7.0, 1.0], [2.0, 5.0, 1.0]];
    assert_eq!(
        cityblock_loops(x.view(), y.view()).unwrap(),
        expected,
        "r[i, j] = Σ_k |x[i, k] - y[j, k]|: one row per point of x, one column per point of y"
    );
    assert_eq!(cityblock_iter(x.view(), y.view()).unwrap(), expected);
    assert_eq!(
        euclidean_loops(x.view(), y.view()).unwrap(),
        array![[0.0, 5.0, 1.0], [2f64.sqrt(), 13f64.sqrt(), 1.0]]
    );
}

#[test]
fn indexing_and_iterators_give_identical_bits() {
    let (x, y) = (random_points(13, 7, 1), random_points(11, 7, 2));
    assert_eq!(
        cityblock_loops(x.view(), y.view()).unwrap(),
        cityblock_iter(x.view(), y.view()).unwrap(),
        "both add the same terms in the same order (k = 0, 1, ...), so every bit agrees"
    );
}

#[test]
fn transposed_views_work() {
    // Points stored as columns: x.t() is a (n, d) view with non-unit strides.
    let (xt, yt) = (random_points(5, 9, 3), random_points(5, 4, 4));
    let (x, y) = (xt.t(), yt.t());
    let expected = cityblock_loops(x.to_owned().view(), y.to_owned().view()).unwrap();
    assert_eq!(cityblock_iter(x, y).unwrap(), expected, "any strides");
}

#[test]
fn empty_inputs_give_empty_results() {
    let (x, y) = (Array2::<f64>::zeros((0, 3)), random_points(4, 3, 5));
    assert_eq!(cityblock_loops(x.view(), y.view()).unwrap().dim(), (0, 4));
    assert_eq!(cityblock_iter(y.view(), x.view()).unwrap().dim(), (4, 0));
    assert_eq!(euclidean_loops(x.view(), x.view()).unwrap().dim(), (0, 0));
    let (x0, y0) = (Array2::<f64>::zeros((2, 0)), Array2::<f64>::zeros((3, 0)));
    assert_eq!(
        cityblock_iter(x0.view(), y0.view()).unwrap(),
        Array2::<f64>::zeros((2, 3)),
        "points with no coordinates are all at distance 0"
    );
}

#[test]
fn different_dimensions_are_an_error_naming_both_shapes() {
    let (x, y) = (Array2::<f64>::zeros((3, 3)), Array2::<f64>::zeros((5, 4)));
    let expected = DimensionMismatch {
        x: (3, 3),
        y: (5, 4),
    };
    assert_eq!(cityblock_loops(x.view(), y.view()).unwrap_err(), expected);
    assert_eq!(cityblock_iter(x.view(), y.view()).unwrap_err(), expected);
    assert_eq!(euclidean_loops(x.view(), y.view()).unwrap_err(), expected);
    let message = expected.to_string();
    assert!(
        message.contains("(3, 3)") && message.contains("(5, 4)"),
        "{message}"
    );
}
