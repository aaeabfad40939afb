//! Exercise 2: memory layouts. Where does each element of a fresh array live?
//!
//! C order (row-major, NumPy's default and ndarray's "standard layout") keeps
//! the last index fastest; F order (column-major, Fortran's) keeps the first
//! index fastest. NumPy reports strides in bytes, ndarray in elements: the
//! bridge is a multiplication by the item size.
//!
//! Tests: `cargo test -p strides --test layout`.

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
/// Strides, in elements, of a C-ordered array of `shape`: each stride is the
/// product of the lengths of the axes after it. Like NumPy, a length-0 axis
/// counts as length 1 in that product, and size-1 axes keep the product
/// (`(1, 16)` gives `(16, 1)`). `TooLarge` when the product overflows.
pub fn c_strides(shape: &[usize]) -> Result<Vec<isize>, LayoutError> {
    // TODO: walk the axes from last to first with a running product
    // (checked_mul, and isize::try_from for the lengths).
    todo!("compute the C-order strides of shape {shape:?}")
}
// ANCHOR_END: c_strides

// ANCHOR: f_strides
/// Strides, in elements, of an F-ordered (column-major) array of `shape`:
/// each stride is the product of the lengths of the axes before it.
pub fn f_strides(shape: &[usize]) -> Result<Vec<isize>, LayoutError> {
    // TODO: the C-order computation, with the axes taken in the other direction.
    todo!("compute the F-order strides of shape {shape:?}")
}
// ANCHOR_END: f_strides

/// Strides, in elements, of a fresh array of `shape` in `order`.
pub fn strides_for(shape: &[usize], order: Order) -> Result<Vec<isize>, LayoutError> {
    match order {
        Order::C => c_strides(shape),
        Order::F => f_strides(shape),
    }
}

// ANCHOR: to_byte_strides
/// Converts strides in elements (ndarray) to strides in bytes (NumPy).
pub fn to_byte_strides(strides: &[isize], item_size: usize) -> Vec<isize> {
    // TODO
    todo!("convert {strides:?} to bytes for items of {item_size} bytes")
}
// ANCHOR_END: to_byte_strides

// ANCHOR: numpy_strides
/// The strides NumPy would report for this ndarray array: in bytes.
/// `std::mem::size_of::<S::Elem>()` is the item size.
pub fn numpy_strides<S, D>(a: &ArrayBase<S, D>) -> Vec<isize>
where
    S: Data,
    D: Dimension,
{
    // TODO: a.strides() are in elements.
    todo!(
        "report the byte strides of an array with element strides {:?}",
        a.strides()
    )
}
// ANCHOR_END: numpy_strides

// ANCHOR: is_c_contiguous
/// True when the elements sit in one block in C order: the last axis has
/// stride 1, the one before it stride `len(last)`, and so on. As in NumPy,
/// axes of length 1 are skipped (their stride is never used) and an array with
/// a zero-length axis is contiguous.
pub fn is_c_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    // TODO
    todo!("decide whether shape {shape:?} with strides {strides:?} is C-contiguous")
}
// ANCHOR_END: is_c_contiguous

// ANCHOR: is_f_contiguous
/// True when the elements sit in one block in F order (first axis fastest).
pub fn is_f_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    // TODO: the same walk as is_c_contiguous, from the first axis.
    todo!("decide whether shape {shape:?} with strides {strides:?} is F-contiguous")
}
// ANCHOR_END: is_f_contiguous
