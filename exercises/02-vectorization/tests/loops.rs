//! Exercise 1: the definition as loops (src/loops.rs).
//! Run: cargo test -p vectorization --test loops

use ndarray::{Array2, array};
use vectorization::DimensionMismatch;
use vectorization::loops::{euclidean_loops, sq_euclidean_loops};
use vectorization::testing::random_points;

#[test]
fn squared_distances_of_a_small_example() {
    let x = array![[0.0, 0.0], [1.0, 1.0]];
    let y = array![[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]];
    let r = sq_euclidean_loops(x.view(), y.view()).unwrap();
    assert_eq!(
        r,
        array![[0.0, 25.0, 1.0], [2.0, 13.0, 1.0]],
        "r[i, j] = Σ_k (x[i, k] - y[j, k])², no square root"
    );
}

#[test]
fn euclidean_distances_take_the_square_root() {
    let x = array![[0.0, 0.0]];
    let y = array![[3.0, 4.0], [0.0, 0.0], [1.0, 0.0]];
    assert_eq!(
        euclidean_loops(x.view(), y.view()).unwrap(),
        array![[5.0, 0.0, 1.0]],
        "the 3-4-5 triangle"
    );
}

#[test]
fn one_row_per_point_of_x_one_column_per_point_of_y() {
    let (x, y) = (random_points(7, 3, 1), random_points(5, 3, 2));
    let r = sq_euclidean_loops(x.view(), y.view()).unwrap();
    assert_eq!(r.shape(), &[7, 5]);
    let (i, j) = (4, 2);
    let expected: f64 = (0..3).map(|k| (x[[i, k]] - y[[j, k]]).powi(2)).sum();
    assert!(
        (r[[i, j]] - expected).abs() < 1e-15,
        "r[4, 2] compares row 4 of x with row 2 of y"
    );
}

#[test]
fn a_set_against_itself_is_symmetric_with_a_zero_diagonal() {
    let x = random_points(6, 4, 3);
    let r = sq_euclidean_loops(x.view(), x.view()).unwrap();
    assert_eq!(r, r.t());
    assert!(r.diag().iter().all(|&v| v == 0.0));
}

#[test]
fn different_dimensions_are_an_error_naming_both_shapes() {
    let (x, y) = (Array2::<f64>::zeros((3, 3)), Array2::<f64>::zeros((5, 4)));
    let err = sq_euclidean_loops(x.view(), y.view()).expect_err("3-D and 4-D points");
    assert_eq!(
        err,
        DimensionMismatch {
            x: (3, 3),
            y: (5, 4)
        }
    );
    assert!(euclidean_loops(x.view(), y.view()).is_err());
    assert!(err.to_string().contains("(3, 3)") && err.to_string().contains("(5, 4)"));
}

#[test]
fn empty_inputs_give_empty_results() {
    let none = Array2::<f64>::zeros((0, 3));
    let some = random_points(4, 3, 0);
    assert_eq!(
        sq_euclidean_loops(none.view(), some.view())
            .unwrap()
            .shape(),
        &[0, 4]
    );
    assert_eq!(
        sq_euclidean_loops(some.view(), none.view())
            .unwrap()
            .shape(),
        &[4, 0]
    );
    let flat = Array2::<f64>::zeros((2, 0));
    assert_eq!(
        sq_euclidean_loops(flat.view(), flat.view()).unwrap(),
        Array2::<f64>::zeros((2, 2)),
        "d = 0: all distances 0"
    );
}
