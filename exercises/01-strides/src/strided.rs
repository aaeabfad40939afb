//! Exercise 1: a strided view written by hand.
//!
//! An n-dimensional array is a flat buffer plus metadata: the shape (length of
//! each axis), the strides (how far to jump in the buffer to move one step
//! along each axis) and an offset (where element `[0, 0, ...]` lives). Element
//! `index` lives at `offset + Σ strides[k] * index[k]`. Strides here count
//! elements, as in ndarray; NumPy counts bytes.
//!
//! Implement, in order: `new`, `address`, `transpose`, `flip`, `to_vec`.
//! Tests: `cargo test -p strides --test strided_view`.

use crate::error::{AxisError, IndexError, LayoutError};

// ANCHOR: strided_view_struct
/// A read-only n-dimensional view of a flat buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct StridedView<'a, T> {
    data: &'a [T],
    shape: Vec<usize>,
    /// In elements; may be negative (reversed axes) or zero (broadcast axes).
    strides: Vec<isize>,
    /// Buffer position of the element at index `[0, 0, ...]`.
    offset: usize,
}
// ANCHOR_END: strided_view_struct

impl<'a, T> StridedView<'a, T> {
    // ANCHOR: strided_new
    /// Builds the view after checking that every element it can reach lies
    /// inside `data`.
    ///
    /// Errors: `RankMismatch` when `shape` and `strides` differ in length,
    /// `TooLarge` when the element count overflows `usize`, `OutOfBuffer` when
    /// the lowest or highest reachable address falls outside `data`. A view
    /// with a zero-length axis reaches nothing and is always valid.
    pub fn new(
        data: &'a [T],
        shape: &[usize],
        strides: &[isize],
        offset: usize,
    ) -> Result<Self, LayoutError> {
        // TODO: find the lowest and highest address the view can reach (the
        // corners: index 0 or len - 1 on each axis) and check both; then
        // build `StridedView { data, shape: shape.to_vec(), ... }`.
        todo!(
            "validate a view of shape {shape:?}, strides {strides:?}, offset {offset} over {} elements",
            data.len()
        )
    }
    // ANCHOR_END: strided_new

    // ANCHOR: strided_contiguous
    /// A C-ordered (row-major) view of the whole buffer.
    pub fn contiguous(data: &'a [T], shape: &[usize]) -> Result<Self, LayoutError> {
        let strides = crate::layout::c_strides(shape)?;
        Self::new(data, shape, &strides, 0)
    }
    // ANCHOR_END: strided_contiguous

    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    pub fn strides(&self) -> &[isize] {
        &self.strides
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The buffer the view reads; views made from this one share it.
    pub fn buffer(&self) -> &'a [T] {
        self.data
    }

    /// Number of elements in the view (not in the buffer).
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // ANCHOR: strided_address
    /// The buffer position of element `index`: `offset + Σ strides[k] * index[k]`.
    ///
    /// Errors: `WrongRank` when `index` has the wrong number of entries,
    /// `OutOfBounds` (naming the first bad axis) when `index[k] >= shape[k]`.
    pub fn address(&self, index: &[usize]) -> Result<usize, IndexError> {
        // TODO: check the index axis by axis, then apply the formula.
        todo!(
            "compute the address of element {index:?} in a view of shape {:?}",
            self.shape
        )
    }
    // ANCHOR_END: strided_address

    /// The element at `index`, borrowed from the buffer.
    pub fn get(&self, index: &[usize]) -> Result<&'a T, IndexError> {
        let data = self.data;
        self.address(index).map(|a| &data[a])
    }

    // ANCHOR: strided_transpose
    /// Reverses the order of the axes: a (2, 8) view becomes (8, 2). Only
    /// metadata changes; the result reads the same buffer.
    pub fn transpose(&self) -> StridedView<'a, T> {
        // TODO: same data and offset, shape and strides reversed.
        todo!("transpose a view of shape {:?} without copying", self.shape)
    }
    // ANCHOR_END: strided_transpose

    // ANCHOR: strided_flip
    /// Reverses one axis, like NumPy's `x[::-1]` along `axis`: the stride
    /// changes sign and the offset moves to what was the last element along
    /// that axis. Errors with `AxisError` when the axis does not exist.
    pub fn flip(&self, axis: usize) -> Result<StridedView<'a, T>, AxisError> {
        // TODO: new offset = offset + stride * (len - 1) (for len > 0), stride negated.
        todo!("reverse axis {axis} of a view of shape {:?}", self.shape)
    }
    // ANCHOR_END: strided_flip

    // ANCHOR: strided_to_vec
    /// Copies the elements in logical C order (last index fastest) into a new
    /// vector, like NumPy's `flatten`. A 0-D view holds one element.
    pub fn to_vec(&self) -> Vec<T>
    where
        T: Clone,
    {
        // TODO: walk every index like an odometer (increment the last axis,
        // carry into the previous one when it wraps) and push each element.
        todo!(
            "copy the {} elements of a view of shape {:?} in C order",
            self.len(),
            self.shape
        )
    }
    // ANCHOR_END: strided_to_vec
}
