//! Exercise 3: the strides quiz of the original course, answered without
//! running anything, then checked by the tests against real ndarray arrays.
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
//! Answer each question with the strides **in bytes**, as NumPy prints them.

// ANCHOR: quiz_strides
/// Strides of `x` itself.
pub fn x_int8_4x4() -> [isize; 2] {
    [4, 1]
}

/// Strides of `x` reshaped to (2, 8).
pub fn x_reshaped_2x8() -> [isize; 2] {
    [8, 1]
}

/// Strides of `x` reshaped to (1, 16).
pub fn x_reshaped_1x16() -> [isize; 2] {
    [16, 1]
}

/// Strides of the same 4×4 values stored as `i16`.
pub fn same_values_as_int16() -> [isize; 2] {
    [8, 2]
}

/// Strides of the slides' 3×3 `i8` array `[[0,1,2],[3,4,5],[6,7,8]]`.
pub fn slide_int8_3x3() -> [isize; 2] {
    [3, 1]
}

/// Strides of the transpose of `x`.
pub fn x_transposed() -> [isize; 2] {
    [1, 4]
}

/// Strides of every other row and column of `x` (`x[::2, ::2]`).
pub fn x_every_other() -> [isize; 2] {
    [8, 2]
}

/// Strides of `x` with its rows in reverse order (`x[::-1]`).
pub fn x_rows_reversed() -> [isize; 2] {
    [-4, 1]
}

/// Strides of a 5000×5000 `f64` array, and of its transpose.
pub fn f64_5000x5000_and_transpose() -> ([isize; 2], [isize; 2]) {
    ([40000, 8], [8, 40000])
}
// ANCHOR_END: quiz_strides

// ANCHOR: quiz_views
/// Does reshaping `x` (C order) to (2, 8) copy the data? (NumPy: `x.reshape(2, 8)`)
pub fn reshape_of_x_copies() -> bool {
    false
}

/// Does flattening the transpose of `x` copy the data? (NumPy: `x.T.ravel()`)
pub fn ravel_of_transpose_copies() -> bool {
    true
}

/// Does adding a length-1 axis allocate? (NumPy: `x[:, np.newaxis]`)
pub fn new_axis_allocates() -> bool {
    false
}

/// Does taking every other column copy the data? (NumPy: `x[:, ::2]`)
pub fn every_other_column_copies() -> bool {
    false
}
// ANCHOR_END: quiz_views
