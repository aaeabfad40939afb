//! Exercise 2: memory layouts. Where does each element of a fresh array live?
//!
//! C order (row-major, NumPy's default and ndarray's "standard layout") keeps
//! the last index fastest; F order (column-major, Fortran's) keeps the first
//! index fastest. NumPy reports strides in bytes, ndarray in elements: the
//! bridge is a multiplication by the item size.

use ndarray::{ArrayBase, Data, Dimension};

use crate::error::LayoutError;

/// The two orders a fresh array can be laid out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Row-major: the last axis is contiguous.
    C,
    /// Column-major: the first axis is contiguous.
    F,
}

// ANCHOR: c_strides
/// Strides, in elements, of a C-ordered array of `shape`.
///
/// Walking from the last axis to the first, each stride is the product of the
/// lengths of the axes after it. Like NumPy, size-1 axes keep that product
/// (a `(1, 16)` array has strides `(16, 1)`).
///
/// # Examples
///
/// ```
/// use strides_solution::LayoutError;
/// use strides_solution::layout::c_strides;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// assert_eq!(c_strides(&[2, 3, 4])?, [12, 4, 1]);
/// assert_eq!(c_strides(&[1, 16])?, [16, 1]);
/// assert!(matches!(c_strides(&[usize::MAX, 2]), Err(LayoutError::TooLarge { .. })));
/// # Ok(())
/// # }
/// ```
pub fn c_strides(shape: &[usize]) -> Result<Vec<isize>, LayoutError> {
    let too_large = || LayoutError::TooLarge {
        shape: shape.to_vec(),
    };
    let mut strides = vec![0isize; shape.len()];
    let mut step: isize = 1;
    for (stride, &len) in strides.iter_mut().zip(shape).rev() {
        *stride = step;
        let len = isize::try_from(len).map_err(|_| too_large())?;
        step = step.checked_mul(len.max(1)).ok_or_else(too_large)?;
    }
    Ok(strides)
}
// ANCHOR_END: c_strides

// ANCHOR: f_strides
/// Strides, in elements, of an F-ordered (column-major) array of `shape`:
/// the C-order computation with the axes taken in the other direction.
///
/// # Examples
///
/// ```
/// use strides_solution::layout::f_strides;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// assert_eq!(f_strides(&[2, 3, 4])?, [1, 2, 6]);
/// # Ok(())
/// # }
/// ```
pub fn f_strides(shape: &[usize]) -> Result<Vec<isize>, LayoutError> {
    let reversed: Vec<usize> = shape.iter().rev().copied().collect();
    let mut strides = c_strides(&reversed)?;
    strides.reverse();
    Ok(strides)
}
// ANCHOR_END: f_strides

/// Strides, in elements, of a fresh array of `shape` in `order`.
pub fn strides_for(shape: &[usize], order: Order) -> Result<Vec<isize>, LayoutError> {
    match order {
        Order::C => c_strides(shape),
        Order::F => f_strides(shape),
    }
}

// ANCHOR: numpy_strides
/// Converts strides in elements (ndarray) to strides in bytes (NumPy).
///
/// # Examples
///
/// ```
/// use strides_solution::layout::to_byte_strides;
///
/// // A (2, 3) f64 array: 8 bytes per element.
/// assert_eq!(to_byte_strides(&[3, 1], 8), [24, 8]);
/// ```
pub fn to_byte_strides(strides: &[isize], item_size: usize) -> Vec<isize> {
    strides.iter().map(|&s| s * item_size as isize).collect()
}

/// The strides NumPy would report for this ndarray array: in bytes.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::layout::numpy_strides;
///
/// let a = array![[1.0_f64, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// assert_eq!(numpy_strides(&a), [24, 8]);
/// assert_eq!(numpy_strides(&a.t()), [8, 24]);
/// ```
pub fn numpy_strides<S, D>(a: &ArrayBase<S, D>) -> Vec<isize>
where
    S: Data,
    D: Dimension,
{
    to_byte_strides(a.strides(), std::mem::size_of::<S::Elem>())
}
// ANCHOR_END: numpy_strides

// ANCHOR: contiguity
/// True when the elements sit in one block in C order. As in NumPy, axes of
/// length 1 are ignored (their stride is never used), and an empty array is
/// contiguous.
///
/// # Examples
///
/// ```
/// use strides_solution::layout::is_c_contiguous;
///
/// assert!(is_c_contiguous(&[2, 3], &[3, 1]));
/// assert!(!is_c_contiguous(&[2, 3], &[1, 2])); // F order
/// assert!(is_c_contiguous(&[1, 3], &[99, 1])); // a length-1 axis's stride is never used
/// ```
pub fn is_c_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    contiguous_from_last(shape.iter().zip(strides).rev())
}

/// True when the elements sit in one block in F order (first axis fastest).
///
/// # Examples
///
/// ```
/// use strides_solution::layout::is_f_contiguous;
///
/// assert!(is_f_contiguous(&[2, 3], &[1, 2]));
/// assert!(!is_f_contiguous(&[2, 3], &[3, 1])); // C order
/// ```
pub fn is_f_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    contiguous_from_last(shape.iter().zip(strides))
}

/// Shared walk: the fastest axis must have stride 1, the next one stride
/// `len(fastest)`, and so on.
fn contiguous_from_last<'a>(axes: impl Iterator<Item = (&'a usize, &'a isize)> + Clone) -> bool {
    if axes.clone().any(|(&len, _)| len == 0) {
        return true;
    }
    let mut expected: isize = 1;
    for (&len, &stride) in axes {
        if len == 1 {
            continue;
        }
        if stride != expected {
            return false;
        }
        // Saturating: a stride can never equal an overflowed product anyway.
        expected = expected.saturating_mul(len as isize);
    }
    true
}
// ANCHOR_END: contiguity
