//! Exercise 3: the strides quiz of the original course. Answer each question
//! on paper first, without running anything; the tests then check your
//! answers against real ndarray arrays.
//!
//! `x` is the 4×4 array of the values 0..16 stored as `i8`, in C order:
//!
//! ```text
//! [[ 0,  1,  2,  3],
//!  [ 4,  5,  6,  7],
//!  [ 8,  9, 10, 11],
//!  [12, 13, 14, 15]]
//! ```
//!
//! Answer with the strides **in bytes**, as NumPy prints them: how many bytes
//! to skip to move one step along each axis.
//!
//! Tests: `cargo test -p strides --test quiz`. A wrong answer names its
//! question and where the book explains it, never the right answer.

// ANCHOR: quiz_first
/// Question 1: strides of `x` itself.
pub fn x_int8_4x4() -> [isize; 2] {
    todo!("TODO: the byte strides of x, a 4x4 int8 array")
}
// ANCHOR_END: quiz_first

/// Question 2: strides of `x` reshaped to (2, 8).
pub fn x_reshaped_2x8() -> [isize; 2] {
    todo!("TODO: the byte strides of x.reshape((2, 8))")
}

/// Question 3: strides of `x` reshaped to (1, 16).
pub fn x_reshaped_1x16() -> [isize; 2] {
    todo!("TODO: the byte strides of x.reshape((1, 16)); careful with the length-1 axis")
}

/// Question 4: strides of the same 4×4 values stored as `i16`.
pub fn same_values_as_int16() -> [isize; 2] {
    todo!("TODO: the byte strides of the 4x4 values as int16")
}

/// Question 5: strides of the slides' 3×3 `i8` array `[[0,1,2],[3,4,5],[6,7,8]]`.
pub fn slide_int8_3x3() -> [isize; 2] {
    todo!("TODO: the byte strides of the 3x3 int8 array")
}

/// Question 6: strides of the transpose of `x`.
pub fn x_transposed() -> [isize; 2] {
    todo!("TODO: the byte strides of x.T")
}

/// Question 7: strides of every other row and column of `x` (`x[::2, ::2]`).
pub fn x_every_other() -> [isize; 2] {
    todo!("TODO: the byte strides of x[::2, ::2]")
}

/// Question 8: strides of `x` with its rows in reverse order (`x[::-1]`).
pub fn x_rows_reversed() -> [isize; 2] {
    todo!("TODO: the byte strides of x[::-1]; strides can be negative")
}

/// Question 9: strides of a 5000×5000 `f64` array, and of its transpose.
pub fn f64_5000x5000_and_transpose() -> ([isize; 2], [isize; 2]) {
    todo!("TODO: the byte strides of a 5000x5000 f64 array and of its transpose")
}

// ANCHOR: quiz_first_copy
/// Question 10: does reshaping `x` (C order) to (2, 8) copy the data? (NumPy: `x.reshape(2, 8)`)
pub fn reshape_of_x_copies() -> bool {
    todo!("TODO: can strides describe x.reshape((2, 8)) over x's buffer?")
}
// ANCHOR_END: quiz_first_copy

/// Question 11: does flattening the transpose of `x` copy the data? (NumPy: `x.T.ravel()`)
pub fn ravel_of_transpose_copies() -> bool {
    todo!("TODO: does x.T.ravel() need a copy?")
}

/// Question 12: does adding a length-1 axis allocate? (NumPy: `x[:, np.newaxis]`)
pub fn new_axis_allocates() -> bool {
    todo!("TODO: does x[:, np.newaxis] allocate memory?")
}

/// Question 13: does taking every other column copy the data? (NumPy: `x[:, ::2]`)
pub fn every_other_column_copies() -> bool {
    todo!("TODO: does x[:, ::2] copy?")
}
