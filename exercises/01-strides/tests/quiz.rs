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

/// Where the book explains what each question needs. The messages below name
/// the question and where to read, never the expected answer: work it out.
const EX1: &str = "the book's page 'Exercise 1: a strided view by hand'";
const EX2: &str = "the book's page 'Exercise 2: memory layouts'";
const EX4: &str = "the book's page 'Exercise 4: views and copies'";

/// Fails with the question, your answer and where to read; not the expected strides.
#[track_caller]
fn check(question: u32, what: &str, answer: [isize; 2], actual: Vec<isize>, read: &str, hint: u32) {
    assert!(
        answer.as_slice() == actual.as_slice(),
        "question {question} ({what}): {answer:?} are not its strides in bytes (bytes to skip per \
         step along each axis); read {read}, or `cargo xtask hint strides quiz {hint}`"
    );
}

/// The same for the yes/no questions.
#[track_caller]
fn check_yes_no(question: u32, what: &str, answer: bool, actual: bool, read: &str) {
    assert!(
        answer == actual,
        "question {question} ({what}): your answer `{answer}` is not right; read {read}, or \
         `cargo xtask hint strides quiz 4`"
    );
}

#[test]
fn strides_of_the_4x4_int8_array() {
    check(
        1,
        "x, 4x4 int8",
        quiz::x_int8_4x4(),
        byte_strides(&x()),
        &format!("'An array is a buffer plus metadata' on {EX1}"),
        1,
    );
}

#[test]
fn strides_of_x_reshaped_to_2x8() {
    let y = x().into_shape_with_order((2, 8)).unwrap();
    check(
        2,
        "x.reshape((2, 8))",
        quiz::x_reshaped_2x8(),
        byte_strides(&y),
        &format!("'C order and F order' on {EX2}"),
        2,
    );
}

#[test]
fn strides_of_x_reshaped_to_1x16() {
    let z = x().into_shape_with_order((1, 16)).unwrap();
    check(
        3,
        "x.reshape((1, 16))",
        quiz::x_reshaped_1x16(),
        byte_strides(&z),
        &format!("'C order and F order' on {EX2}, on axes of length 1"),
        2,
    );
}

#[test]
fn strides_of_the_same_values_as_int16() {
    let a = x().mapv(i16::from);
    check(
        4,
        "the 4x4 values as int16",
        quiz::same_values_as_int16(),
        byte_strides(&a),
        &format!("'Strides in bytes or in elements' on {EX1}"),
        2,
    );
}

#[test]
fn strides_of_the_3x3_int8_slide_example() {
    let a = Array2::<i8>::from_shape_vec((3, 3), (0..9).collect()).unwrap();
    check(
        5,
        "the 3x3 int8 array of the slides",
        quiz::slide_int8_3x3(),
        byte_strides(&a),
        &format!("'C order and F order' on {EX2}"),
        1,
    );
}

#[test]
fn strides_of_the_transpose() {
    check(
        6,
        "x.T",
        quiz::x_transposed(),
        byte_strides(&x().t()),
        &format!("'Transpose and flip' on {EX1}"),
        3,
    );
}

#[test]
fn strides_of_every_other_row_and_column() {
    let x = x();
    check(
        7,
        "x[::2, ::2]",
        quiz::x_every_other(),
        byte_strides(&x.slice(s![..;2, ..;2])),
        &format!("'Steps and reversals' on {EX1}"),
        3,
    );
}

#[test]
fn strides_of_x_with_rows_reversed() {
    let x = x();
    check(
        8,
        "x[::-1]",
        quiz::x_rows_reversed(),
        byte_strides(&x.slice(s![..;-1, ..])),
        &format!("'Steps and reversals' and 'Transpose and flip' on {EX1}"),
        3,
    );
}

#[test]
fn strides_of_a_5000x5000_f64_array_and_its_transpose() {
    let (answer, answer_t) = quiz::f64_5000x5000_and_transpose();
    // Strides depend only on the shape: a 5000×1 buffer with 5000×5000
    // metadata would do, but a real 200 MB array is cheap enough here.
    let big = Array2::<f64>::zeros((5000, 5000));
    let read = format!("'Strides in bytes or in elements' on {EX1}, and {EX2}");
    check(
        9,
        "a 5000x5000 f64 array",
        answer,
        byte_strides(&big),
        &read,
        2,
    );
    check(
        9,
        "the transpose of the 5000x5000 f64 array",
        answer_t,
        byte_strides(&big.t()),
        &read,
        2,
    );
}

#[test]
fn reshape_of_a_c_ordered_array_copies_or_not() {
    let x = x();
    let copies = !x.to_shape((2, 8)).unwrap().is_view();
    check_yes_no(
        10,
        "does x.reshape(2, 8) copy?",
        quiz::reshape_of_x_copies(),
        copies,
        &format!("'ravel, flatten and reshape' on {EX4}"),
    );
}

#[test]
fn ravel_of_the_transpose_copies_or_not() {
    let x = x();
    let copies = !x.t().to_shape(16).unwrap().is_view();
    check_yes_no(
        11,
        "does x.T.ravel() copy?",
        quiz::ravel_of_transpose_copies(),
        copies,
        &format!("'ravel, flatten and reshape' on {EX4}"),
    );
}

#[test]
fn new_axis_allocates_or_not() {
    let x = x();
    let column = x.row(0).insert_axis(ndarray::Axis(1));
    let allocates = column.as_ptr() != x.as_ptr();
    check_yes_no(
        12,
        "does x[:, np.newaxis] allocate?",
        quiz::new_axis_allocates(),
        allocates,
        &format!("'New axes' on {EX4}"),
    );
}

#[test]
fn every_other_column_copies_or_not() {
    let x = x();
    let sliced = x.slice(s![.., ..;2]);
    let copies = sliced.as_ptr() != x.as_ptr();
    check_yes_no(
        13,
        "does x[:, ::2] copy?",
        quiz::every_other_column_copies(),
        copies,
        &format!("'Steps and reversals' on {EX1}"),
    );
}
