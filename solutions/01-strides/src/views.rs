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
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::transpose;
///
/// let a = array![[1, 2, 3], [4, 5, 6]];
/// let t = transpose(a.view());
/// assert_eq!(t, array![[1, 4], [2, 5], [3, 6]]);
/// assert_eq!(t.strides(), &[1, 3]);
/// assert_eq!(t.as_ptr(), a.as_ptr()); // the same buffer
/// ```
pub fn transpose<A>(a: ArrayView2<'_, A>) -> ArrayView2<'_, A> {
    a.reversed_axes()
}
// ANCHOR_END: transpose_view

// ANCHOR: reverse_rows
/// The rows in reverse order (NumPy's `a[::-1]`), as a view with a negative
/// row stride: the first row of the result is the last row of the buffer.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::reverse_rows;
///
/// let a = array![[1, 2, 3], [4, 5, 6]];
/// let r = reverse_rows(a.view());
/// assert_eq!(r, array![[4, 5, 6], [1, 2, 3]]);
/// assert_eq!(r.strides(), &[-3, 1]);
/// ```
pub fn reverse_rows<A>(a: ArrayView2<'_, A>) -> ArrayView2<'_, A> {
    a.slice_move(s![..;-1, ..])
}
// ANCHOR_END: reverse_rows

// ANCHOR: new_axis
/// `x[:, np.newaxis]`: a (n, 1) column view of a 1-D array. The new axis has
/// length 1, so its stride is never used and nothing is allocated.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::as_column;
///
/// let x = array![1, 2, 3];
/// let column = as_column(x.view());
/// assert_eq!(column, array![[1], [2], [3]]);
/// assert_eq!(column.as_ptr(), x.as_ptr());
/// ```
pub fn as_column<A>(x: ArrayView1<'_, A>) -> ArrayView2<'_, A> {
    x.insert_axis(Axis(1))
}

/// `x[np.newaxis, :]`: a (1, n) row view of a 1-D array.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::as_row;
///
/// let x = array![1, 2, 3];
/// assert_eq!(as_row(x.view()), array![[1, 2, 3]]);
/// ```
pub fn as_row<A>(x: ArrayView1<'_, A>) -> ArrayView2<'_, A> {
    x.insert_axis(Axis(0))
}

/// `x` repeated as `rows` identical rows, without copying: the row axis gets
/// stride 0, so every row reads the same elements.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::repeat_as_rows;
///
/// let x = array![1, 2, 3];
/// let rows = repeat_as_rows(&x, 2);
/// assert_eq!(rows, array![[1, 2, 3], [1, 2, 3]]);
/// assert_eq!(rows.strides(), &[0, 1]); // every row reads the same elements
/// ```
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
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::shared_transpose;
///
/// let a = array![[1, 2], [3, 4]].into_shared();
/// let t = shared_transpose(&a);
/// assert_eq!(t, array![[1, 3], [2, 4]]);
/// assert_eq!(t.as_ptr(), a.as_ptr()); // one buffer, two owners
/// ```
pub fn shared_transpose<A>(a: &ArcArray2<A>) -> ArcArray2<A> {
    a.clone().reversed_axes() // clones the Arc, not the elements
}
// ANCHOR_END: shared_transpose

// ANCHOR: ravel
/// NumPy's `ravel`: the elements in C order as a 1-D array, borrowed when
/// they already sit in one C-ordered block, copied otherwise.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::ravel;
///
/// let a = array![[1, 2], [3, 4]];
/// assert!(ravel(a.view()).is_view());
/// let of_transpose = ravel(a.t());
/// assert!(of_transpose.is_owned());
/// assert_eq!(of_transpose, array![1, 3, 2, 4]);
/// ```
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
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::flatten;
///
/// let a = array![[1, 2], [3, 4]];
/// assert_eq!(flatten(a.view()), array![1, 2, 3, 4]);
/// assert_eq!(flatten(a.t()), array![1, 3, 2, 4]);
/// ```
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
///
/// # Examples
///
/// A view of a C-ordered array, and the error when the element counts differ:
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::reshape;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let a = array![[1, 2, 3], [4, 5, 6]];
/// let r = reshape(a.view(), &[3, 2])?;
/// assert!(r.is_view());
/// assert_eq!(r, array![[1, 2], [3, 4], [5, 6]].into_dyn());
///
/// let error = reshape(a.view(), &[4, 2]).unwrap_err();
/// assert_eq!((error.from, error.to), (vec![2, 3], vec![4, 2]));
/// # Ok(())
/// # }
/// ```
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
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::{LayoutError, views::ravel_mut};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut a = array![[1, 2], [3, 4]];
/// ravel_mut(a.view_mut())?[3] = 40;
/// assert_eq!(a, array![[1, 2], [3, 40]]);
///
/// let transposed = a.view_mut().reversed_axes();
/// assert!(matches!(ravel_mut(transposed), Err(LayoutError::NotContiguous { .. })));
/// # Ok(())
/// # }
/// ```
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
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::views::transpose_copy_tiled;
///
/// let a = array![[1, 2, 3], [4, 5, 6]];
/// let t = transpose_copy_tiled(a.view());
/// assert_eq!(t, array![[1, 4], [2, 5], [3, 6]]);
/// assert!(t.is_standard_layout());
/// ```
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
///
/// # Examples
///
/// ```
/// use ndarray::{Array2, array};
/// use strides_solution::views::transpose_into_tiled;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let a = array![[1, 2, 3], [4, 5, 6]];
/// let mut out = Array2::zeros((3, 2));
/// transpose_into_tiled(a.view(), out.view_mut())?;
/// assert_eq!(out, array![[1, 4], [2, 5], [3, 6]]);
///
/// let mut wrong = Array2::zeros((2, 3));
/// let error = transpose_into_tiled(a.view(), wrong.view_mut()).unwrap_err();
/// assert_eq!((error.expected, error.found), (vec![3, 2], vec![2, 3]));
/// # Ok(())
/// # }
/// ```
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
