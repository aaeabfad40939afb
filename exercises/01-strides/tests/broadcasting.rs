//! Exercise 5: broadcasting (src/broadcasting.rs).
//! Run: cargo test -p strides --test broadcasting

use ndarray::{Array1, Array2, ArrayView1, array};
use strides::BroadcastError;
use strides::broadcasting::{
    broadcast_shape, broadcast_with, outer_sum, pairwise_differences, sum_along,
};

fn arange(n: i64) -> Array1<i64> {
    Array1::from_iter(0..n)
}

#[test]
fn shapes_are_aligned_from_the_right() {
    assert_eq!(
        broadcast_shape(&[5], &[]).unwrap(),
        vec![5],
        "a scalar broadcasts to anything"
    );
    assert_eq!(
        broadcast_shape(&[4, 4], &[4]).unwrap(),
        vec![4, 4],
        "(4,4) * (4,): the row is repeated"
    );
    assert_eq!(
        broadcast_shape(&[5, 4], &[5, 1]).unwrap(),
        vec![5, 4],
        "(5,4) * (5,1): the column is repeated"
    );
    assert_eq!(
        broadcast_shape(&[1, 5], &[5, 1]).unwrap(),
        vec![5, 5],
        "the outer sum"
    );
    assert_eq!(
        broadcast_shape(&[1, 10, 3], &[10, 1, 3]).unwrap(),
        vec![10, 10, 3],
        "the pairwise difference"
    );
    assert_eq!(
        broadcast_shape(&[8, 1, 6, 1], &[7, 1, 5]).unwrap(),
        vec![8, 7, 6, 5]
    );
}

#[test]
fn the_course_failing_cases_are_errors() {
    for (left, right, axis) in [
        (vec![4, 4], vec![5], 1),
        (vec![5, 4], vec![5], 1),
        (vec![5, 4], vec![1, 5], 1),
    ] {
        let err = broadcast_shape(&left, &right).expect_err("these shapes do not broadcast");
        assert_eq!(
            err,
            BroadcastError {
                left: left.clone(),
                right: right.clone(),
                axis_from_right: axis
            },
            "{left:?} vs {right:?}: the last axes clash"
        );
    }
    let err = broadcast_shape(&[2, 3, 4], &[5, 1]).unwrap_err();
    assert_eq!(
        err.axis_from_right, 2,
        "axis -1 is 4 vs 1 (fine), axis -2 is 3 vs 5 (clash)"
    );
}

#[test]
fn broadcast_error_message_names_both_shapes() {
    let message = broadcast_shape(&[5, 4], &[5]).unwrap_err().to_string();
    assert!(
        message.contains("(5, 4)") && message.contains("(5,)"),
        "the message must name both shapes: {message}"
    );
}

#[test]
fn zero_length_axes_broadcast_only_against_one_or_zero() {
    assert_eq!(broadcast_shape(&[0], &[1]).unwrap(), vec![0]);
    assert_eq!(broadcast_shape(&[0, 3], &[3]).unwrap(), vec![0, 3]);
    assert!(broadcast_shape(&[0], &[2]).is_err(), "0 vs 2: neither is 1");
}

#[test]
fn broadcast_with_multiplies_a_matrix_by_a_column() {
    // The ULHPC example: arange(20).reshape(5, 4) * arange(5).reshape(5, 1)
    let a = Array2::from_shape_vec((5, 4), (0..20).collect()).unwrap();
    let column = arange(5).into_shape_with_order((5, 1)).unwrap();
    let product = broadcast_with(a.view(), column.view(), |p, q| p * q).unwrap();
    let expected = array![
        [0, 0, 0, 0],
        [4, 5, 6, 7],
        [16, 18, 20, 22],
        [36, 39, 42, 45],
        [64, 68, 72, 76]
    ];
    assert_eq!(product, expected.into_dyn());
}

#[test]
fn broadcast_with_multiplies_a_matrix_by_a_row() {
    let m = Array2::from_shape_vec((4, 4), (0..16).collect()).unwrap();
    let row = arange(4);
    let product = broadcast_with(m.view(), row.view(), |p, q| p * q).unwrap();
    let expected = array![
        [0, 1, 4, 9],
        [0, 5, 12, 21],
        [0, 9, 20, 33],
        [0, 13, 28, 45]
    ];
    assert_eq!(product, expected.into_dyn());
}

#[test]
fn broadcast_with_refuses_incompatible_operands() {
    let a = Array2::<i64>::zeros((5, 4));
    let err = broadcast_with(a.view(), arange(5).view(), |p, q| p + q)
        .expect_err("(5,4) and (5,) do not broadcast");
    assert_eq!((err.left, err.right), (vec![5, 4], vec![5]));
}

#[test]
fn outer_sum_of_arange_5() {
    let expected = array![
        [0, 1, 2, 3, 4],
        [1, 2, 3, 4, 5],
        [2, 3, 4, 5, 6],
        [3, 4, 5, 6, 7],
        [4, 5, 6, 7, 8]
    ];
    let x = arange(5);
    let sum = outer_sum(x.view());
    assert_eq!(sum, expected);
    assert!(
        sum.is_standard_layout(),
        "the result is a fresh C-ordered allocation"
    );
    assert_eq!(
        outer_sum(ArrayView1::<f64>::from(&[])).shape(),
        &[0, 0],
        "empty input, empty table"
    );
}

#[test]
fn pairwise_differences_of_ten_points_in_3d() {
    let x = Array2::from_shape_fn((10, 3), |(i, k)| (i * i) as f64 + 0.5 * k as f64);
    let d = pairwise_differences(x.view());
    assert_eq!(d.shape(), &[10, 10, 3]);
    for i in 0..10 {
        for j in 0..10 {
            let expected = &x.row(j) - &x.row(i);
            assert_eq!(
                d.slice(ndarray::s![i, j, ..]),
                expected,
                "d[{i}, {j}] must be x[{j}] - x[{i}]"
            );
        }
        assert!(
            d.slice(ndarray::s![i, i, ..]).iter().all(|&v| v == 0.0),
            "the diagonal blocks are zero"
        );
    }
}

#[test]
fn sums_along_each_axis() {
    let a = Array2::from_shape_vec((4, 4), (0..16).collect::<Vec<i64>>()).unwrap();
    assert_eq!(
        sum_along(a.view(), 0).unwrap(),
        array![24, 28, 32, 36],
        "axis 0 sums down the columns"
    );
    assert_eq!(
        sum_along(a.view(), 1).unwrap(),
        array![6, 22, 38, 54],
        "axis 1 sums along the rows"
    );
    assert_eq!(
        sum_along(sum_along(a.view(), 0).unwrap().view(), 0)
            .unwrap()
            .into_scalar(),
        120
    );
    let err = sum_along(a.view(), 2).expect_err("a 2-D array has no axis 2");
    assert_eq!((err.axis, err.shape), (2, vec![4, 4]));
    let empty = Array2::<i64>::zeros((0, 3));
    assert_eq!(
        sum_along(empty.view(), 0).unwrap(),
        array![0, 0, 0],
        "summing zero rows gives zeros"
    );
}
