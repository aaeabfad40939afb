//! Exercise 4: views versus copies.
//!
//! A view is new metadata over the same buffer: O(1), whatever the size, and
//! writes through a mutable view show up in the original. A copy allocates and
//! moves every element. The tests tell them apart by the data pointer
//! (`as_ptr`) and by `CowArray::is_view`.
//!
//! Useful ndarray methods: `reversed_axes`, `slice_move` with `s![..;-1, ..]`,
//! `insert_axis`, `broadcast`, `to_slice` / `into_slice` (Some exactly when
//! the elements are one C-ordered block), `is_standard_layout`,
//! `into_shape_with_order`, `iter` (visits elements in logical C order).
//!
//! Tests: `cargo test -p strides --test views`.

use ndarray::{
    ArcArray2, Array1, Array2, ArrayBase, ArrayView, ArrayView1, ArrayView2, ArrayViewMut,
    ArrayViewMut1, ArrayViewMut2, CowArray, Data, Dimension, Ix1, IxDyn,
};

use crate::error::{LayoutError, ReshapeError, ShapeMismatch};

// ANCHOR: transpose_view
/// The transpose as a view: shape and strides swapped, no element moved.
pub fn transpose<A>(a: ArrayView2<'_, A>) -> ArrayView2<'_, A> {
    // TODO
    todo!("transpose a view of shape {:?} without copying", a.shape())
}
// ANCHOR_END: transpose_view

// ANCHOR: reverse_rows
/// The rows in reverse order (NumPy's `a[::-1]`), as a view with a negative
/// row stride.
pub fn reverse_rows<A>(a: ArrayView2<'_, A>) -> ArrayView2<'_, A> {
    // TODO
    todo!(
        "reverse the rows of a view of shape {:?} without copying",
        a.shape()
    )
}
// ANCHOR_END: reverse_rows

// ANCHOR: as_column
/// `x[:, np.newaxis]`: a (n, 1) column view of a 1-D array, no allocation.
pub fn as_column<A>(x: ArrayView1<'_, A>) -> ArrayView2<'_, A> {
    // TODO
    todo!("view the {} elements as a column", x.len())
}
// ANCHOR_END: as_column

// ANCHOR: as_row
/// `x[np.newaxis, :]`: a (1, n) row view of a 1-D array, no allocation.
pub fn as_row<A>(x: ArrayView1<'_, A>) -> ArrayView2<'_, A> {
    // TODO
    todo!("view the {} elements as a row", x.len())
}
// ANCHOR_END: as_row

// ANCHOR: repeat_as_rows
/// `x` repeated as `rows` identical rows, without copying: the row axis gets
/// stride 0, so every row reads the same elements.
pub fn repeat_as_rows<S: Data>(x: &ArrayBase<S, Ix1>, rows: usize) -> ArrayView2<'_, S::Elem> {
    // TODO
    todo!("broadcast {} elements to {rows} rows", x.len())
}
// ANCHOR_END: repeat_as_rows

// ANCHOR: shared_transpose
/// NumPy's `b = a.T` for an array shared through a reference count: the
/// result shares `a`'s buffer and keeps it alive after `a` is dropped.
pub fn shared_transpose<A>(a: &ArcArray2<A>) -> ArcArray2<A> {
    // TODO: cloning an ArcArray clones the Arc, not the elements.
    todo!(
        "transpose a shared array of shape {:?}, sharing its buffer",
        a.shape()
    )
}
// ANCHOR_END: shared_transpose

// ANCHOR: ravel
/// NumPy's `ravel`: the elements in C order as a 1-D array, borrowed when
/// they already sit in one C-ordered block, copied otherwise.
pub fn ravel<'a, A: Clone, D: Dimension>(a: ArrayView<'a, A, D>) -> CowArray<'a, A, Ix1> {
    // TODO: CowArray::from(a view) or CowArray::from(an owned array).
    todo!(
        "ravel an array of shape {:?} (a view when contiguous)",
        a.shape()
    )
}
// ANCHOR_END: ravel

// ANCHOR: flatten
/// NumPy's `flatten`: always a new, owned, contiguous copy.
pub fn flatten<A: Clone, D: Dimension>(a: ArrayView<'_, A, D>) -> Array1<A> {
    // TODO
    todo!(
        "copy the elements of an array of shape {:?} in C order",
        a.shape()
    )
}
// ANCHOR_END: flatten

// ANCHOR: reshape
/// NumPy's `reshape` (C order): a view when the input is C-contiguous, a copy
/// otherwise, and a `ReshapeError` naming both shapes when the element counts
/// differ (or overflow).
pub fn reshape<'a, A: Clone, D: Dimension>(
    a: ArrayView<'a, A, D>,
    shape: &[usize],
) -> Result<CowArray<'a, A, IxDyn>, ReshapeError> {
    // TODO
    todo!("reshape an array of shape {:?} to {shape:?}", a.shape())
}
// ANCHOR_END: reshape

// ANCHOR: ravel_mut
/// A mutable flat view, for the mutation-through-a-view experiment: writing
/// to the result writes to `a`. When `a` is not one C-ordered block that is
/// impossible without a copy: return `LayoutError::NotContiguous` with `a`'s
/// shape and strides.
pub fn ravel_mut<'a, A, D: Dimension>(
    a: ArrayViewMut<'a, A, D>,
) -> Result<ArrayViewMut1<'a, A>, LayoutError> {
    // TODO: remember shape and strides before `into_slice` consumes `a`.
    todo!("a flat mutable view of an array of shape {:?}", a.shape())
}
// ANCHOR_END: ravel_mut

// ANCHOR: transpose_copy_tiled
/// Side length of the square tiles of `transpose_copy_tiled`.
pub const TILE: usize = 64;

/// A C-ordered copy of the transpose of `a`, copied tile by tile. Must give
/// the same result as `a.t().to_owned()` for any shape, including ragged
/// edges, but run much faster on large arrays (see the transpose bench).
pub fn transpose_copy_tiled<A: Copy + Default>(a: ArrayView2<'_, A>) -> Array2<A> {
    // TODO: allocate the (cols, rows) output and fill it with transpose_into_tiled.
    todo!(
        "copy the transpose of a {:?} array in {TILE}x{TILE} tiles",
        a.shape()
    )
}
// ANCHOR_END: transpose_copy_tiled

// ANCHOR: transpose_into_tiled
/// Writes the transpose of `a` into `out`, which must be C-ordered with shape
/// (cols, rows), else `ShapeMismatch`. For each TILE×TILE block of `a`, write
/// its elements to their transposed positions.
pub fn transpose_into_tiled<A: Copy>(
    a: ArrayView2<'_, A>,
    out: ArrayViewMut2<'_, A>,
) -> Result<(), ShapeMismatch> {
    // TODO: make the source C-ordered (`as_standard_layout`), then copy block
    // by block between `as_slice()` and `as_slice_mut()`. (`mut out` to write.)
    todo!(
        "transpose a {:?} array into an output of shape {:?}",
        a.shape(),
        out.shape()
    )
}
// ANCHOR_END: transpose_into_tiled
