//! Exercise 5: broadcasting.
//!
//! Two shapes are aligned on their last axes; missing leading axes count as
//! length 1. Along each axis the lengths must be equal, or one of them 1, and
//! a length-1 axis is stretched, without copying, by giving it stride 0. Only
//! the result of the operation is a new allocation.
//!
//! Tests: `cargo test -p strides --test broadcasting`.

use std::ops::{Add, Sub};

use ndarray::{
    Array, Array2, Array3, ArrayD, ArrayView, ArrayView1, ArrayView2, Dimension, RemoveAxis,
};

use crate::error::{AxisError, BroadcastError};

// ANCHOR: broadcast_shape
/// The shape of `left ⊕ right` for any elementwise operation ⊕. On a clash,
/// a `BroadcastError` with both shapes and the clashing axis counted from the
/// right (1 = the last axis).
pub fn broadcast_shape(left: &[usize], right: &[usize]) -> Result<Vec<usize>, BroadcastError> {
    // TODO: compare lengths from the right; a missing axis counts as 1.
    todo!("broadcast shapes {left:?} and {right:?}")
}
// ANCHOR_END: broadcast_shape

// ANCHOR: broadcast_with
/// Applies `f` elementwise to `a` and `b` broadcast against each other.
/// Use your `broadcast_shape`, ndarray's `broadcast` (stride-0 views) and
/// `Zip::from(..).and(..).map_collect(..)`.
pub fn broadcast_with<A, B, C, D1, D2, F>(
    a: ArrayView<'_, A, D1>,
    b: ArrayView<'_, B, D2>,
    f: F,
) -> Result<ArrayD<C>, BroadcastError>
where
    D1: Dimension,
    D2: Dimension,
    F: FnMut(&A, &B) -> C,
{
    // TODO
    todo!(
        "apply {} to operands of shapes {:?} and {:?}",
        std::any::type_name_of_val(&f),
        a.shape(),
        b.shape()
    )
}
// ANCHOR_END: broadcast_with

// ANCHOR: outer_sum
/// `x[:, np.newaxis] + x[np.newaxis, :]`: the (n, n) table of all sums
/// `x[i] + x[j]`, from a (n, 1) and a (1, n) view.
pub fn outer_sum<A>(x: ArrayView1<'_, A>) -> Array2<A>
where
    A: Clone + Add<Output = A>,
{
    // TODO: `&view_a + &view_b` broadcasts for you.
    todo!("the outer sum of {} elements", x.len())
}
// ANCHOR_END: outer_sum

// ANCHOR: pairwise_differences
/// All differences between the rows of a (n, d) array: `out[i, j] = x[j] - x[i]`,
/// shape (n, n, d).
pub fn pairwise_differences<A>(x: ArrayView2<'_, A>) -> Array3<A>
where
    A: Clone + Sub<Output = A>,
{
    // TODO: a (1, n, d) view minus a (n, 1, d) view.
    todo!(
        "all pairwise differences of the rows of a {:?} array",
        x.shape()
    )
}
// ANCHOR_END: pairwise_differences

// ANCHOR: sum_along
/// Sums over one axis, which disappears from the shape: for a (4, 4) array,
/// axis 0 gives the column sums and axis 1 the row sums. `AxisError` when the
/// axis does not exist. `A::default()` is zero for numbers.
pub fn sum_along<A, D>(
    a: ArrayView<'_, A, D>,
    axis: usize,
) -> Result<Array<A, D::Smaller>, AxisError>
where
    A: Clone + Default + Add<Output = A>,
    D: RemoveAxis,
{
    // TODO: `fold_axis` or `sum_axis`-like logic; check the axis first.
    todo!("sum an array of shape {:?} along axis {axis}", a.shape())
}
// ANCHOR_END: sum_along
