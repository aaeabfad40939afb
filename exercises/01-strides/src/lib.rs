//! # Lab 1: strides and broadcasting
//!
//! An array is a flat buffer plus metadata: shape, strides, offset. Most
//! "operations" on arrays (transpose, slicing with steps, adding an axis,
//! broadcasting) change only the metadata; some (flatten, a reshape of a
//! transpose, the result of arithmetic) must copy. This lab makes the
//! difference visible and measurable.
//!
//! ## How to work
//!
//! Each module is one exercise with one test file. Replace every `todo!()`
//! (each is marked `// TODO:`) and run that exercise's tests:
//!
//! ```text
//! cargo test -p strides --test strided_view
//! ```
//!
//! A failing test names what to look at. `cargo xtask progress` shows where
//! you stand; the book's chapter "Strides and broadcasting" explains the ideas.
//!
//! Exercises, in order:
//! 1. [`strided`]: a strided view over a flat buffer, written by hand;
//! 2. [`layout`]: C and F order strides, in elements and in bytes, contiguity;
//! 3. [`quiz`]: the original course's strides quiz;
//! 4. [`views`]: views versus copies (transpose, ravel, flatten, reshape);
//! 5. [`broadcasting`]: the broadcasting rule, outer sums, reductions;
//! 6. [`distance`]: the squared Euclidean distance matrix by broadcasting.

pub mod broadcasting;
pub mod distance;
#[path = "given/error.rs"]
pub mod error;
pub mod layout;
pub mod quiz;
pub mod strided;
pub mod views;

pub use error::{
    AxisError, BroadcastError, DimensionMismatch, IndexError, LayoutError, ReshapeError,
    ShapeMismatch,
};
pub use strided::StridedView;
