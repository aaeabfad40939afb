//! The typed errors of lab 2. Every message names the shapes involved.

use std::fmt;

/// Two point sets whose points have different numbers of coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionMismatch {
    /// Shape of `x`, (n, d).
    pub x: (usize, usize),
    /// Shape of `y`, (m, d').
    pub y: (usize, usize),
}

impl fmt::Display for DimensionMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "x has shape ({}, {}) and y has shape ({}, {}): points need the same number of \
             coordinates, but x has {} columns and y has {}",
            self.x.0, self.x.1, self.y.0, self.y.1, self.x.1, self.y.1
        )
    }
}

impl std::error::Error for DimensionMismatch {}

/// Checks that x (n, d) and y (m, d) have the same d.
pub fn check_dims(x: (usize, usize), y: (usize, usize)) -> Result<(), DimensionMismatch> {
    if x.1 == y.1 {
        Ok(())
    } else {
        Err(DimensionMismatch { x, y })
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
