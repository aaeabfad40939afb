//! Exercise 3: the strides quiz (src/quiz.rs). Work the answers out on paper
//! first: element size × how many elements you skip per step along each axis.
//! Run: cargo test -p strides --test quiz

use ndarray::{Array2, ArrayBase, Data, Dimension, s};
use strides::quiz;

/// The strides NumPy would print, computed here from a real ndarray array.
fn byte_strides<S: Data, D: Dimension>(a: &ArrayBase<S, D>) -> Vec<isize> {
    a.strides()
        .iter()
        .map(|s| s * size_of::<S::Elem>() as isize)
        .collect()
}

/// The 4×4 int8 array of the quiz: the values 0..16 in C order.
fn x() -> Array2<i8> {
    Array2::from_shape_vec((4, 4), (0..16).collect()).unwrap()
}

fn check(answer: [isize; 2], actual: Vec<isize>, what: &str) {
    assert_eq!(
        answer.to_vec(),
        actual,
        "strides of {what}: bytes to skip per step along each axis"
    );
}

#[test]
fn strides_of_the_4x4_int8_array() {
    check(quiz::x_int8_4x4(), byte_strides(&x()), "x, 4x4 int8");
}

#[test]
fn strides_of_x_reshaped_to_2x8() {
    let y = x().into_shape_with_order((2, 8)).unwrap();
    check(
        quiz::x_reshaped_2x8(),
        byte_strides(&y),
        "x.reshape((2, 8))",
    );
}

#[test]
fn strides_of_x_reshaped_to_1x16() {
    let z = x().into_shape_with_order((1, 16)).unwrap();
    check(
        quiz::x_reshaped_1x16(),
        byte_strides(&z),
        "x.reshape((1, 16))",
    );
}

#[test]
fn strides_of_the_same_values_as_int16() {
    let a = x().mapv(i16::from);
    check(
        quiz::same_values_as_int16(),
        byte_strides(&a),
        "the 4x4 int16 array",
    );
}

#[test]
fn strides_of_the_3x3_int8_slide_example() {
    let a = Array2::<i8>::from_shape_vec((3, 3), (0..9).collect()).unwrap();
    check(
        quiz::slide_int8_3x3(),
        byte_strides(&a),
        "the 3x3 int8 array of the slides",
    );
}

#[test]
fn strides_of_the_transpose() {
    check(quiz::x_transposed(), byte_strides(&x().t()), "x.T");
}

#[test]
fn strides_of_every_other_row_and_column() {
    let x = x();
    check(
        quiz::x_every_other(),
        byte_strides(&x.slice(s![..;2, ..;2])),
        "x[::2, ::2]",
    );
}

#[test]
fn strides_of_x_with_rows_reversed() {
    let x = x();
    check(
        quiz::x_rows_reversed(),
        byte_strides(&x.slice(s![..;-1, ..])),
        "x[::-1]",
    );
}

#[test]
fn strides_of_a_5000x5000_f64_array_and_its_transpose() {
    let (answer, answer_t) = quiz::f64_5000x5000_and_transpose();
    // Strides depend only on the shape: a 5000×1 buffer with 5000×5000
    // metadata would do, but a real 200 MB array is cheap enough here.
    let big = Array2::<f64>::zeros((5000, 5000));
    check(answer, byte_strides(&big), "a 5000x5000 f64 array");
    check(answer_t, byte_strides(&big.t()), "its transpose");
}

#[test]
fn reshape_of_a_c_ordered_array_copies_or_not() {
    let x = x();
    let copies = !x.to_shape((2, 8)).unwrap().is_view();
    assert_eq!(
        quiz::reshape_of_x_copies(),
        copies,
        "can (2, 8) strides describe the same buffer?"
    );
}

#[test]
fn ravel_of_the_transpose_copies_or_not() {
    let x = x();
    let copies = !x.t().to_shape(16).unwrap().is_view();
    assert_eq!(
        quiz::ravel_of_transpose_copies(),
        copies,
        "is x.T's C order the buffer's order?"
    );
}

#[test]
fn new_axis_allocates_or_not() {
    let x = x();
    let column = x.row(0).insert_axis(ndarray::Axis(1));
    let allocates = column.as_ptr() != x.as_ptr();
    assert_eq!(
        quiz::new_axis_allocates(),
        allocates,
        "x[:, np.newaxis] changes only the metadata?"
    );
}

#[test]
fn every_other_column_copies_or_not() {
    let x = x();
    let sliced = x.slice(s![.., ..;2]);
    let copies = sliced.as_ptr() != x.as_ptr();
    assert_eq!(
        quiz::every_other_column_copies(),
        copies,
        "can a stride of 2 elements skip the odd columns?"
    );
}
