//! The typed errors of lab 1. Every message names the shapes involved, so a
//! failing call says what went wrong without a debugger.
//!
//! This file is given: nothing to do here. Your functions return these errors.

use std::fmt;

/// Formats a shape the way NumPy prints it: `(4, 4)`, `(5,)`, `()`.
pub fn fmt_shape(shape: &[usize]) -> String {
    match shape {
        [] => "()".to_string(),
        [n] => format!("({n},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// Why shape + strides + offset do not describe a valid view of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayoutError {
    /// `shape` and `strides` must have one entry per axis.
    RankMismatch {
        shape: Vec<usize>,
        strides: Vec<isize>,
    },
    /// Some element the view can reach lies outside the buffer.
    OutOfBuffer {
        shape: Vec<usize>,
        strides: Vec<isize>,
        offset: usize,
        buffer_len: usize,
    },
    /// The number of elements (or an address) does not fit in a machine word.
    TooLarge { shape: Vec<usize> },
    /// The elements are not one C-ordered block, so no flat view of them exists.
    NotContiguous {
        shape: Vec<usize>,
        strides: Vec<isize>,
    },
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutError::RankMismatch { shape, strides } => write!(
                f,
                "shape {} has {} axes but strides {strides:?} has {}",
                fmt_shape(shape),
                shape.len(),
                strides.len()
            ),
            LayoutError::OutOfBuffer {
                shape,
                strides,
                offset,
                buffer_len,
            } => write!(
                f,
                "a view of shape {} with strides {strides:?} and offset {offset} reaches outside \
                 a buffer of {buffer_len} elements",
                fmt_shape(shape)
            ),
            LayoutError::TooLarge { shape } => {
                write!(
                    f,
                    "an array of shape {} is too large to address",
                    fmt_shape(shape)
                )
            }
            LayoutError::NotContiguous { shape, strides } => write!(
                f,
                "an array of shape {} with strides {strides:?} is not C-contiguous: \
                 a flat view of it would need a copy",
                fmt_shape(shape)
            ),
        }
    }
}

impl std::error::Error for LayoutError {}

/// Why an index does not name an element of an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// The index has a different number of entries than the array has axes.
    WrongRank {
        index: Vec<usize>,
        shape: Vec<usize>,
    },
    /// `index[axis]` is not smaller than `shape[axis]`.
    OutOfBounds {
        index: Vec<usize>,
        shape: Vec<usize>,
        axis: usize,
    },
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexError::WrongRank { index, shape } => write!(
                f,
                "index {index:?} has {} entries but the array of shape {} has {} axes",
                index.len(),
                fmt_shape(shape),
                shape.len()
            ),
            IndexError::OutOfBounds { index, shape, axis } => write!(
                f,
                "index {index:?} is out of bounds for shape {}: axis {axis} has length {}",
                fmt_shape(shape),
                shape[*axis]
            ),
        }
    }
}

impl std::error::Error for IndexError {}

/// An axis number that the array does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxisError {
    pub axis: usize,
    pub shape: Vec<usize>,
}

impl fmt::Display for AxisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "axis {} does not exist in an array of shape {} ({} axes)",
            self.axis,
            fmt_shape(&self.shape),
            self.shape.len()
        )
    }
}

impl std::error::Error for AxisError {}

// ANCHOR: broadcast_error
/// Two shapes that cannot be broadcast together. Like NumPy's
/// `operands could not be broadcast together with shapes (5,4) (5,)`,
/// plus the axis where they disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BroadcastError {
    pub left: Vec<usize>,
    pub right: Vec<usize>,
    /// The clashing axis, counted from the right: 1 is the last axis.
    pub axis_from_right: usize,
}

impl fmt::Display for BroadcastError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.axis_from_right;
        let (l, r) = (
            self.left[self.left.len() - k],
            self.right[self.right.len() - k],
        );
        write!(
            f,
            "operands could not be broadcast together with shapes {} and {}: \
             axis -{k} has length {l} vs {r} (lengths must be equal, or one of them 1)",
            fmt_shape(&self.left),
            fmt_shape(&self.right)
        )
    }
}
// ANCHOR_END: broadcast_error

impl std::error::Error for BroadcastError {}

/// A reshape to a shape with a different number of elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReshapeError {
    pub from: Vec<usize>,
    pub to: Vec<usize>,
}

impl fmt::Display for ReshapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |s: &[usize]| s.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
        let show = |n: Option<usize>| n.map_or("too many".to_string(), |n| n.to_string());
        write!(
            f,
            "cannot reshape an array of shape {} ({} elements) into shape {} ({} elements)",
            fmt_shape(&self.from),
            show(count(&self.from)),
            fmt_shape(&self.to),
            show(count(&self.to))
        )
    }
}

impl std::error::Error for ReshapeError {}

/// An output array of the wrong shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeMismatch {
    pub expected: Vec<usize>,
    pub found: Vec<usize>,
}

impl fmt::Display for ShapeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the output has shape {} but must have shape {}",
            fmt_shape(&self.found),
            fmt_shape(&self.expected)
        )
    }
}

impl std::error::Error for ShapeMismatch {}

/// Two point sets whose points have different numbers of coordinates: the
/// same error in labs 1 to 3, so it lives in the course's `support` crate.
pub use support::DimensionMismatch;
