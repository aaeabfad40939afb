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
///
/// # Examples
///
/// Each answer can be checked against ndarray:
///
/// ```
/// use ndarray::Array;
/// use strides_solution::{layout::numpy_strides, quiz::x_int8_4x4};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i8..16).into_shape_with_order((4, 4))?;
/// assert_eq!(numpy_strides(&x), x_int8_4x4());
/// # Ok(())
/// # }
/// ```
pub fn x_int8_4x4() -> [isize; 2] {
    [4, 1]
}

/// Strides of `x` reshaped to (2, 8).
///
/// # Examples
///
/// ```
/// use ndarray::Array;
/// use strides_solution::{layout::numpy_strides, quiz::x_reshaped_2x8};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i8..16).into_shape_with_order((2, 8))?;
/// assert_eq!(numpy_strides(&x), x_reshaped_2x8());
/// # Ok(())
/// # }
/// ```
pub fn x_reshaped_2x8() -> [isize; 2] {
    [8, 1]
}

/// Strides of `x` reshaped to (1, 16).
///
/// # Examples
///
/// ```
/// use ndarray::Array;
/// use strides_solution::{layout::numpy_strides, quiz::x_reshaped_1x16};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i8..16).into_shape_with_order((1, 16))?;
/// assert_eq!(numpy_strides(&x), x_reshaped_1x16());
/// # Ok(())
/// # }
/// ```
pub fn x_reshaped_1x16() -> [isize; 2] {
    [16, 1]
}

/// Strides of the same 4×4 values stored as `i16`.
///
/// # Examples
///
/// ```
/// use ndarray::Array;
/// use strides_solution::{layout::numpy_strides, quiz::same_values_as_int16};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i16..16).into_shape_with_order((4, 4))?;
/// assert_eq!(numpy_strides(&x), same_values_as_int16());
/// # Ok(())
/// # }
/// ```
pub fn same_values_as_int16() -> [isize; 2] {
    [8, 2]
}

/// Strides of the slides' 3×3 `i8` array `[[0,1,2],[3,4,5],[6,7,8]]`.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::{layout::numpy_strides, quiz::slide_int8_3x3};
///
/// let a = array![[0_i8, 1, 2], [3, 4, 5], [6, 7, 8]];
/// assert_eq!(numpy_strides(&a), slide_int8_3x3());
/// ```
pub fn slide_int8_3x3() -> [isize; 2] {
    [3, 1]
}

/// Strides of the transpose of `x`.
///
/// # Examples
///
/// ```
/// use ndarray::Array;
/// use strides_solution::{layout::numpy_strides, quiz::x_transposed};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i8..16).into_shape_with_order((4, 4))?;
/// assert_eq!(numpy_strides(&x.t()), x_transposed());
/// # Ok(())
/// # }
/// ```
pub fn x_transposed() -> [isize; 2] {
    [1, 4]
}

/// Strides of every other row and column of `x` (`x[::2, ::2]`).
///
/// # Examples
///
/// ```
/// use ndarray::{Array, s};
/// use strides_solution::{layout::numpy_strides, quiz::x_every_other};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i8..16).into_shape_with_order((4, 4))?;
/// assert_eq!(numpy_strides(&x.slice(s![..;2, ..;2])), x_every_other());
/// # Ok(())
/// # }
/// ```
pub fn x_every_other() -> [isize; 2] {
    [8, 2]
}

/// Strides of `x` with its rows in reverse order (`x[::-1]`).
///
/// # Examples
///
/// ```
/// use ndarray::{Array, s};
/// use strides_solution::{layout::numpy_strides, quiz::x_rows_reversed};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i8..16).into_shape_with_order((4, 4))?;
/// assert_eq!(numpy_strides(&x.slice(s![..;-1, ..])), x_rows_reversed());
/// # Ok(())
/// # }
/// ```
pub fn x_rows_reversed() -> [isize; 2] {
    [-4, 1]
}

/// Strides of a 5000×5000 `f64` array, and of its transpose.
///
/// # Examples
///
/// Checked from the shape alone, without allocating 200 MB:
///
/// ```
/// use strides_solution::layout::{c_strides, to_byte_strides};
/// use strides_solution::quiz::f64_5000x5000_and_transpose;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let (a, transposed) = f64_5000x5000_and_transpose();
/// let mut strides = to_byte_strides(&c_strides(&[5000, 5000])?, 8);
/// assert_eq!(strides, a);
/// strides.reverse();
/// assert_eq!(strides, transposed);
/// # Ok(())
/// # }
/// ```
pub fn f64_5000x5000_and_transpose() -> ([isize; 2], [isize; 2]) {
    ([40000, 8], [8, 40000])
}
// ANCHOR_END: quiz_strides

// ANCHOR: quiz_views
/// Does reshaping `x` (C order) to (2, 8) copy the data? (NumPy: `x.reshape(2, 8)`)
///
/// # Examples
///
/// ```
/// use ndarray::Array;
/// use strides_solution::{quiz::reshape_of_x_copies, views::reshape};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i8..16).into_shape_with_order((4, 4))?;
/// assert_eq!(reshape(x.view(), &[2, 8])?.is_owned(), reshape_of_x_copies());
/// # Ok(())
/// # }
/// ```
pub fn reshape_of_x_copies() -> bool {
    false
}

/// Does flattening the transpose of `x` copy the data? (NumPy: `x.T.ravel()`)
///
/// # Examples
///
/// ```
/// use ndarray::Array;
/// use strides_solution::{quiz::ravel_of_transpose_copies, views::ravel};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i8..16).into_shape_with_order((4, 4))?;
/// assert_eq!(ravel(x.t()).is_owned(), ravel_of_transpose_copies());
/// # Ok(())
/// # }
/// ```
pub fn ravel_of_transpose_copies() -> bool {
    true
}

/// Does adding a length-1 axis allocate? (NumPy: `x[:, np.newaxis]`)
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::{quiz::new_axis_allocates, views::as_column};
///
/// let x = array![0_i8, 1, 2, 3];
/// let column = as_column(x.view());
/// assert_eq!(column.as_ptr() != x.as_ptr(), new_axis_allocates());
/// ```
pub fn new_axis_allocates() -> bool {
    false
}

/// Does taking every other column copy the data? (NumPy: `x[:, ::2]`)
///
/// # Examples
///
/// ```
/// use ndarray::{Array, s};
/// use strides_solution::quiz::every_other_column_copies;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Array::from_iter(0_i8..16).into_shape_with_order((4, 4))?;
/// let columns = x.slice(s![.., ..;2]);
/// assert_eq!(columns.as_ptr() != x.as_ptr(), every_other_column_copies());
/// # Ok(())
/// # }
/// ```
pub fn every_other_column_copies() -> bool {
    false
}
// ANCHOR_END: quiz_views
