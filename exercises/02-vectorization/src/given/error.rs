//! The typed errors of lab 2 (given code: nothing to do here). Every message
//! names the shapes involved.

use std::fmt;

/// The shape error of two point sets, and its check: the same in labs 1 to
/// 3, so they live in the course's `support` crate.
pub use support::{DimensionMismatch, check_dims};

/// An output array that cannot hold the distances between x (n, d) and
/// y (m, d): its shape is not (n, m).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputMismatch {
    /// Shape of `x`, (n, d).
    pub x: (usize, usize),
    /// Shape of `y`, (m, d).
    pub y: (usize, usize),
    /// Shape of `out`.
    pub out: (usize, usize),
}

impl fmt::Display for OutputMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "out has shape ({}, {}), but the distances between x of shape ({}, {}) and y of \
             shape ({}, {}) need an output of shape ({}, {})",
            self.out.0, self.out.1, self.x.0, self.x.1, self.y.0, self.y.1, self.x.0, self.y.0
        )
    }
}

impl std::error::Error for OutputMismatch {}

/// Why a function that writes into a given output array refused to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntoError {
    /// x and y have different numbers of coordinates.
    Dimension(DimensionMismatch),
    /// `out` has the wrong shape.
    Output(OutputMismatch),
}

impl fmt::Display for IntoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntoError::Dimension(error) => error.fmt(f),
            IntoError::Output(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for IntoError {}

impl From<DimensionMismatch> for IntoError {
    fn from(error: DimensionMismatch) -> Self {
        IntoError::Dimension(error)
    }
}

/// Checks that x (n, d), y (m, d) and out (n, m) fit together.
pub fn check_into(
    x: (usize, usize),
    y: (usize, usize),
    out: (usize, usize),
) -> Result<(), IntoError> {
    check_dims(x, y)?;
    if out == (x.0, y.0) {
        Ok(())
    } else {
        Err(IntoError::Output(OutputMismatch { x, y, out }))
    }
}

/// A matrix product whose inner dimensions differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatmulMismatch {
    /// Shape of `a`, (n, k).
    pub a: (usize, usize),
    /// Shape of `b`, (k', m).
    pub b: (usize, usize),
}

impl fmt::Display for MatmulMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot multiply a of shape ({}, {}) by b of shape ({}, {}): a has {} columns but b has {} rows",
            self.a.0, self.a.1, self.b.0, self.b.1, self.a.1, self.b.0
        )
    }
}

impl std::error::Error for MatmulMismatch {}
