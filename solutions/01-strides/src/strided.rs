//! Exercise 1: a strided view written by hand.
//!
//! An n-dimensional array is a flat buffer plus metadata: the shape (length of
//! each axis), the strides (how far to jump in the buffer to move one step
//! along each axis) and an offset (where element `[0, 0, ...]` lives). Element
//! `index` lives at `offset + Σ strides[k] * index[k]`. Strides here count
//! elements, as in ndarray; NumPy counts bytes.

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
    /// Checks that every element the view can reach lies inside `data`.
    ///
    /// The extreme addresses are reached at the corners: along each axis the
    /// index runs from 0 to `len - 1`, so a positive stride pushes the highest
    /// address up by `stride * (len - 1)` and a negative one pushes the lowest
    /// address down. A view with a zero-length axis reaches nothing and is
    /// always valid.
    ///
    /// # Examples
    ///
    /// A 2 × 3 row-major view of six elements, and one whose offset would make it
    /// read past the end of the buffer:
    ///
    /// ```
    /// use strides_solution::{LayoutError, StridedView};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let data = [0, 1, 2, 3, 4, 5];
    /// let view = StridedView::new(&data, &[2, 3], &[3, 1], 0)?;
    /// assert_eq!(view.get(&[1, 2])?, &5);
    ///
    /// let shifted = StridedView::new(&data, &[2, 3], &[3, 1], 1);
    /// assert!(matches!(shifted, Err(LayoutError::OutOfBuffer { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(
        data: &'a [T],
        shape: &[usize],
        strides: &[isize],
        offset: usize,
    ) -> Result<Self, LayoutError> {
        if shape.len() != strides.len() {
            return Err(LayoutError::RankMismatch {
                shape: shape.to_vec(),
                strides: strides.to_vec(),
            });
        }
        let too_large = || LayoutError::TooLarge {
            shape: shape.to_vec(),
        };
        let out_of_buffer = || LayoutError::OutOfBuffer {
            shape: shape.to_vec(),
            strides: strides.to_vec(),
            offset,
            buffer_len: data.len(),
        };
        shape
            .iter()
            .try_fold(1usize, |n, &d| n.checked_mul(d))
            .ok_or_else(too_large)?;
        if !shape.contains(&0) {
            // i128 cannot overflow here: each term is below 2^64 * 2^64.
            let (mut lowest, mut highest) = (offset as i128, offset as i128);
            for (&len, &stride) in shape.iter().zip(strides) {
                let reach = stride as i128 * (len as i128 - 1);
                if reach < 0 {
                    lowest += reach;
                } else {
                    highest += reach;
                }
            }
            if lowest < 0 || highest >= data.len() as i128 {
                return Err(out_of_buffer());
            }
        }
        Ok(StridedView {
            data,
            shape: shape.to_vec(),
            strides: strides.to_vec(),
            offset,
        })
    }
    // ANCHOR_END: strided_new

    /// A C-ordered (row-major) view of the whole buffer.
    pub fn contiguous(data: &'a [T], shape: &[usize]) -> Result<Self, LayoutError> {
        let strides = crate::layout::c_strides(shape)?;
        Self::new(data, shape, &strides, 0)
    }

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
    /// # Examples
    ///
    /// ```
    /// use strides_solution::{IndexError, StridedView};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let data = [0, 1, 2, 3, 4, 5];
    /// let view = StridedView::new(&data, &[2, 3], &[3, 1], 0)?;
    /// assert_eq!(view.address(&[1, 2])?, 5); // 1 * 3 + 2 * 1
    /// assert!(matches!(view.address(&[2, 0]), Err(IndexError::OutOfBounds { axis: 0, .. })));
    /// assert!(matches!(view.address(&[1]), Err(IndexError::WrongRank { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn address(&self, index: &[usize]) -> Result<usize, IndexError> {
        if index.len() != self.shape.len() {
            return Err(IndexError::WrongRank {
                index: index.to_vec(),
                shape: self.shape.clone(),
            });
        }
        let mut address = self.offset as isize;
        for (axis, ((&i, &len), &stride)) in
            index.iter().zip(&self.shape).zip(&self.strides).enumerate()
        {
            if i >= len {
                return Err(IndexError::OutOfBounds {
                    index: index.to_vec(),
                    shape: self.shape.clone(),
                    axis,
                });
            }
            // In range because `new` checked that every in-bounds index lands in the buffer.
            address += stride * i as isize;
        }
        Ok(address as usize)
    }
    // ANCHOR_END: strided_address

    /// The element at `index`, borrowed from the buffer.
    pub fn get(&self, index: &[usize]) -> Result<&'a T, IndexError> {
        let data = self.data;
        self.address(index).map(|a| &data[a])
    }

    // ANCHOR: strided_transpose
    /// Reverses the order of the axes. Only metadata changes: same buffer,
    /// same offset, shape and strides reversed. O(ndim), whatever the size.
    ///
    /// # Examples
    ///
    /// ```
    /// use strides_solution::StridedView;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let data = [0, 1, 2, 3, 4, 5];
    /// let view = StridedView::new(&data, &[2, 3], &[3, 1], 0)?;
    /// let t = view.transpose();
    /// assert_eq!(t.shape(), &[3, 2]);
    /// assert_eq!(t.strides(), &[1, 3]);
    /// assert_eq!(t.to_vec(), [0, 3, 1, 4, 2, 5]);
    /// assert!(std::ptr::eq(t.buffer(), view.buffer())); // nothing copied
    /// # Ok(())
    /// # }
    /// ```
    pub fn transpose(&self) -> StridedView<'a, T> {
        let mut shape = self.shape.clone();
        let mut strides = self.strides.clone();
        shape.reverse();
        strides.reverse();
        StridedView {
            data: self.data,
            shape,
            strides,
            offset: self.offset,
        }
    }
    // ANCHOR_END: strided_transpose

    // ANCHOR: strided_flip
    /// Reverses one axis (NumPy's `x[::-1]` along `axis`): the stride changes
    /// sign and the offset moves to what used to be the last element.
    ///
    /// # Examples
    ///
    /// ```
    /// use strides_solution::StridedView;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let data = [0, 1, 2, 3, 4, 5];
    /// let view = StridedView::new(&data, &[2, 3], &[3, 1], 0)?;
    /// let rows_reversed = view.flip(0)?;
    /// assert_eq!(rows_reversed.strides(), &[-3, 1]);
    /// assert_eq!(rows_reversed.offset(), 3); // the first element of the last row
    /// assert_eq!(rows_reversed.to_vec(), [3, 4, 5, 0, 1, 2]);
    /// assert!(view.flip(2).is_err()); // there is no axis 2
    /// # Ok(())
    /// # }
    /// ```
    pub fn flip(&self, axis: usize) -> Result<StridedView<'a, T>, AxisError> {
        let Some(&len) = self.shape.get(axis) else {
            return Err(AxisError {
                axis,
                shape: self.shape.clone(),
            });
        };
        let mut strides = self.strides.clone();
        let mut offset = self.offset;
        if len > 0 {
            offset = (offset as isize + strides[axis] * (len as isize - 1)) as usize;
        }
        strides[axis] = -strides[axis];
        Ok(StridedView {
            data: self.data,
            shape: self.shape.clone(),
            strides,
            offset,
        })
    }
    // ANCHOR_END: strided_flip

    // ANCHOR: strided_to_vec
    /// Copies the elements in logical C order (last index fastest) into a new
    /// contiguous vector: what NumPy's `flatten` does. The index is advanced
    /// like an odometer.
    ///
    /// # Examples
    ///
    /// ```
    /// use strides_solution::StridedView;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let data = [0, 1, 2, 3, 4, 5];
    /// // Every other element, as a (3,) view with stride 2.
    /// let view = StridedView::new(&data, &[3], &[2], 0)?;
    /// assert_eq!(view.to_vec(), [0, 2, 4]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_vec(&self) -> Vec<T>
    where
        T: Clone,
    {
        let mut out = Vec::with_capacity(self.len());
        if self.is_empty() {
            return out;
        }
        let mut index = vec![0usize; self.shape.len()];
        loop {
            let address = self.address(&index).expect("the odometer stays in bounds");
            out.push(self.data[address].clone());
            // Increment the last axis; carry into earlier axes when it wraps.
            let mut axis = self.shape.len();
            loop {
                if axis == 0 {
                    return out;
                }
                axis -= 1;
                index[axis] += 1;
                if index[axis] < self.shape[axis] {
                    break;
                }
                index[axis] = 0;
            }
        }
    }
    // ANCHOR_END: strided_to_vec
}
