//! Exercise 5: broadcasting.
//!
//! Two shapes are aligned on their last axes; missing leading axes count as
//! length 1. Along each axis the lengths must be equal, or one of them 1, and
//! a length-1 axis is stretched, without copying, by giving it stride 0. Only
//! the result of the operation is a new allocation.

use std::ops::{Add, Sub};

use ndarray::{Array, Array2, Array3, ArrayD, ArrayView, ArrayView1, ArrayView2, Axis, Dimension};
use ndarray::{RemoveAxis, Zip};

use crate::error::{AxisError, BroadcastError};

// ANCHOR: broadcast_shape
/// The shape of `left ⊕ right` for any elementwise operation ⊕, or the axis
/// where the two shapes clash.
///
/// # Examples
///
/// ```
/// use strides_solution::broadcasting::broadcast_shape;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// assert_eq!(broadcast_shape(&[3, 1], &[4])?, [3, 4]);
/// let error = broadcast_shape(&[2, 3], &[4]).unwrap_err();
/// assert_eq!(error.axis_from_right, 1); // 3 against 4
/// # Ok(())
/// # }
/// ```
pub fn broadcast_shape(left: &[usize], right: &[usize]) -> Result<Vec<usize>, BroadcastError> {
    let ndim = left.len().max(right.len());
    // Length of axis -k (counted from the right), 1 where the shape is too short.
    let len_from_right = |shape: &[usize], k: usize| {
        if k <= shape.len() {
            shape[shape.len() - k]
        } else {
            1
        }
    };
    let mut out = vec![0; ndim];
    for k in 1..=ndim {
        let (l, r) = (len_from_right(left, k), len_from_right(right, k));
        out[ndim - k] = match (l, r) {
            _ if l == r => l,
            (1, r) => r,
            (l, 1) => l,
            _ => {
                return Err(BroadcastError {
                    left: left.to_vec(),
                    right: right.to_vec(),
                    axis_from_right: k,
                });
            }
        };
    }
    Ok(out)
}
// ANCHOR_END: broadcast_shape

// ANCHOR: broadcast_with
/// Applies `f` elementwise to `a` and `b` broadcast against each other.
/// Both operands become stride-0 views of the common shape; only the
/// result is allocated.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::broadcasting::broadcast_with;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let column = array![[1], [2]];
/// let row = array![10, 20, 30];
/// let sums = broadcast_with(column.view(), row.view(), |a, b| a + b)?;
/// assert_eq!(sums, array![[11, 21, 31], [12, 22, 32]].into_dyn());
/// assert!(broadcast_with(row.view(), array![1, 2].view(), |a, b| a + b).is_err());
/// # Ok(())
/// # }
/// ```
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
    let shape = broadcast_shape(a.shape(), b.shape())?;
    let a = a
        .broadcast(shape.as_slice())
        .expect("shape is compatible with a");
    let b = b
        .broadcast(shape.as_slice())
        .expect("shape is compatible with b");
    Ok(Zip::from(&a).and(&b).map_collect(f))
}
// ANCHOR_END: broadcast_with

// ANCHOR: outer_sum
/// `x[:, np.newaxis] + x[np.newaxis, :]`: the (n, n) table of all sums
/// `x[i] + x[j]`, from a (n, 1) and a (1, n) view.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::broadcasting::outer_sum;
///
/// assert_eq!(outer_sum(array![1, 2, 3].view()), array![[2, 3, 4], [3, 4, 5], [4, 5, 6]]);
/// ```
pub fn outer_sum<A>(x: ArrayView1<'_, A>) -> Array2<A>
where
    A: Clone + Add<Output = A>,
{
    &x.insert_axis(Axis(1)) + &x.insert_axis(Axis(0))
}
// ANCHOR_END: outer_sum

// ANCHOR: pairwise_differences
/// All differences between the rows of a (n, d) array: `out[i, j] = x[j] - x[i]`,
/// shape (n, n, d), from a (1, n, d) and a (n, 1, d) view.
///
/// # Examples
///
/// ```
/// use ndarray::{array, s};
/// use strides_solution::broadcasting::pairwise_differences;
///
/// let x = array![[0, 0], [1, 2]];
/// let d = pairwise_differences(x.view());
/// assert_eq!(d.shape(), &[2, 2, 2]);
/// assert_eq!(d.slice(s![0, 1, ..]), array![1, 2]); // x[1] - x[0]
/// assert_eq!(d.slice(s![1, 0, ..]), array![-1, -2]); // x[0] - x[1]
/// ```
pub fn pairwise_differences<A>(x: ArrayView2<'_, A>) -> Array3<A>
where
    A: Clone + Sub<Output = A>,
{
    &x.insert_axis(Axis(0)) - &x.insert_axis(Axis(1))
}
// ANCHOR_END: pairwise_differences

// ANCHOR: sum_along
/// Sums over one axis, which disappears from the shape: for a (4, 4) array,
/// axis 0 gives the column sums and axis 1 the row sums.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use strides_solution::broadcasting::sum_along;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let a = array![[1, 2], [3, 4]];
/// assert_eq!(sum_along(a.view(), 0)?, array![4, 6]); // column sums
/// assert_eq!(sum_along(a.view(), 1)?, array![3, 7]); // row sums
/// assert_eq!(sum_along(a.view(), 2).unwrap_err().axis, 2);
/// # Ok(())
/// # }
/// ```
pub fn sum_along<A, D>(
    a: ArrayView<'_, A, D>,
    axis: usize,
) -> Result<Array<A, D::Smaller>, AxisError>
where
    A: Clone + Default + Add<Output = A>,
    D: RemoveAxis,
{
    if axis >= a.ndim() {
        return Err(AxisError {
            axis,
            shape: a.shape().to_vec(),
        });
    }
    Ok(a.fold_axis(Axis(axis), A::default(), |sum, x| sum.clone() + x.clone()))
}
// ANCHOR_END: sum_along
