//! Exercise 4: views versus copies.
//!
//! A view is new metadata over the same buffer: O(1), whatever the size, and
//! writes through a mutable view show up in the original. A copy allocates and
//! moves every element. The tests tell them apart by the data pointer.

use ndarray::{
    ArcArray2, Array, Array1, Array2, ArrayBase, ArrayView, ArrayView1, ArrayView2, ArrayViewMut,
    ArrayViewMut1, ArrayViewMut2, Axis, CowArray, Data, Dimension, Ix1, IxDyn, s,
};

use crate::error::{LayoutError, ReshapeError, ShapeMismatch};

// ANCHOR: transpose_view
/// The transpose as a view: shape and strides swapped, no element moved.
pub fn transpose<A>(a: ArrayView2<'_, A>) -> ArrayView2<'_, A> {
    a.reversed_axes()
}
// ANCHOR_END: transpose_view

// ANCHOR: reverse_rows
/// The rows in reverse order (NumPy's `a[::-1]`), as a view with a negative
/// row stride: the first row of the result is the last row of the buffer.
pub fn reverse_rows<A>(a: ArrayView2<'_, A>) -> ArrayView2<'_, A> {
    a.slice_move(s![..;-1, ..])
}
// ANCHOR_END: reverse_rows

// ANCHOR: new_axis
/// `x[:, np.newaxis]`: a (n, 1) column view of a 1-D array. The new axis has
/// length 1, so its stride is never used and nothing is allocated.
pub fn as_column<A>(x: ArrayView1<'_, A>) -> ArrayView2<'_, A> {
    x.insert_axis(Axis(1))
}

/// `x[np.newaxis, :]`: a (1, n) row view of a 1-D array.
pub fn as_row<A>(x: ArrayView1<'_, A>) -> ArrayView2<'_, A> {
    x.insert_axis(Axis(0))
}

/// `x` repeated as `rows` identical rows, without copying: the row axis gets
/// stride 0, so every row reads the same elements.
pub fn repeat_as_rows<S: Data>(x: &ArrayBase<S, Ix1>, rows: usize) -> ArrayView2<'_, S::Elem> {
    x.broadcast((rows, x.len()))
        .expect("a 1-D array always broadcasts to (rows, len)")
}
// ANCHOR_END: new_axis

// ANCHOR: shared_transpose
/// NumPy's `b = a.T` keeps the buffer alive through a reference count: it is
/// freed when the last array using it goes. ndarray's `ArcArray` works the
/// same way; plain views instead borrow, and the compiler checks that the
/// owner outlives them.
pub fn shared_transpose<A>(a: &ArcArray2<A>) -> ArcArray2<A> {
    a.clone().reversed_axes() // clones the Arc, not the elements
}
// ANCHOR_END: shared_transpose

// ANCHOR: ravel
/// NumPy's `ravel`: the elements in C order as a 1-D array, borrowed when
/// they already sit in one C-ordered block, copied otherwise.
pub fn ravel<'a, A: Clone, D: Dimension>(a: ArrayView<'a, A, D>) -> CowArray<'a, A, Ix1> {
    match a.to_slice() {
        Some(contiguous) => CowArray::from(ArrayView1::from(contiguous)),
        // Not one C-ordered block: walk the strides, copying in logical order.
        None => CowArray::from(a.iter().cloned().collect::<Array1<A>>()),
    }
}
// ANCHOR_END: ravel

// ANCHOR: flatten
/// NumPy's `flatten`: always a new, owned, contiguous copy.
pub fn flatten<A: Clone, D: Dimension>(a: ArrayView<'_, A, D>) -> Array1<A> {
    match a.to_slice() {
        Some(contiguous) => Array1::from(contiguous.to_vec()), // one memcpy
        None => a.iter().cloned().collect(),
    }
}
// ANCHOR_END: flatten

// ANCHOR: reshape
/// NumPy's `reshape` (C order): a view when the input is C-contiguous, a copy
/// otherwise, and an error when the element counts differ.
pub fn reshape<'a, A: Clone, D: Dimension>(
    a: ArrayView<'a, A, D>,
    shape: &[usize],
) -> Result<CowArray<'a, A, IxDyn>, ReshapeError> {
    let count = shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
    if count != Some(a.len()) {
        return Err(ReshapeError {
            from: a.shape().to_vec(),
            to: shape.to_vec(),
        });
    }
    if a.is_standard_layout() {
        let view = a
            .into_shape_with_order(shape)
            .expect("C-contiguous with the same element count");
        return Ok(CowArray::from(view));
    }
    let data: Vec<A> = a.iter().cloned().collect();
    let copy = Array::from_shape_vec(shape, data).expect("element count checked above");
    Ok(CowArray::from(copy))
}
// ANCHOR_END: reshape

// ANCHOR: ravel_mut
/// A mutable flat view, for the mutation-through-a-view experiment: writing
/// to the result writes to `a`. Impossible without a copy when `a` is not one
/// C-ordered block, so that is an error, not a silent copy.
pub fn ravel_mut<'a, A, D: Dimension>(
    a: ArrayViewMut<'a, A, D>,
) -> Result<ArrayViewMut1<'a, A>, LayoutError> {
    let (shape, strides) = (a.shape().to_vec(), a.strides().to_vec());
    match a.into_slice() {
        Some(contiguous) => Ok(ArrayViewMut1::from(contiguous)),
        None => Err(LayoutError::NotContiguous { shape, strides }),
    }
}
// ANCHOR_END: ravel_mut

// ANCHOR: transpose_copy_tiled
/// Side length of the square tiles. A tile's 64 source rows are read
/// contiguously while its 64 destination lines (4 KiB each way) stay in L1/L2.
/// Measured on 5000×5000 f64 (reused output): 16 → 97 ms, 32 → 63 ms,
/// 64 → 56 ms, 128 → 57 ms.
pub const TILE: usize = 64;

/// A C-ordered copy of the transpose of `a`, copied tile by tile.
pub fn transpose_copy_tiled<A: Copy + Default>(a: ArrayView2<'_, A>) -> Array2<A> {
    let mut out = Array2::<A>::default((a.ncols(), a.nrows()));
    transpose_into_tiled(a, out.view_mut()).expect("the output was made to measure");
    out
}

/// Writes the transpose of `a` into `out` (shape (cols, rows), C-ordered),
/// tile by tile. Reusing `out` across calls avoids paying for fresh memory.
///
/// The naive copy (`ravel` of the transpose) reads the source down its
/// columns: every read lands on a different cache line, and only 8 of its 64
/// bytes are used before the line is evicted. Copying square tiles keeps the
/// TILE source lines and TILE destination lines in cache while all their
/// elements are used.
pub fn transpose_into_tiled<A: Copy>(
    a: ArrayView2<'_, A>,
    mut out: ArrayViewMut2<'_, A>,
) -> Result<(), ShapeMismatch> {
    let (rows, cols) = a.dim();
    if out.dim() != (cols, rows) || !out.is_standard_layout() {
        return Err(ShapeMismatch {
            expected: vec![cols, rows],
            found: out.shape().to_vec(),
        });
    }
    let a = a.as_standard_layout(); // tiles index a C-ordered source
    let src = a.as_slice().expect("standard layout");
    let dst = out.as_slice_mut().expect("checked standard layout");
    for row0 in (0..rows).step_by(TILE) {
        for col0 in (0..cols).step_by(TILE) {
            let col_end = (col0 + TILE).min(cols);
            for row in row0..(row0 + TILE).min(rows) {
                let src_row = &src[row * cols + col0..row * cols + col_end];
                for (col, &value) in (col0..col_end).zip(src_row) {
                    dst[col * rows + row] = value;
                }
            }
        }
    }
    Ok(())
}
// ANCHOR_END: transpose_copy_tiled
