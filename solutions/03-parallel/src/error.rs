//! The typed errors of lab 3. Every message names what was wrong.

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

/// A rayon thread pool that could not be started (the operating system
/// refused a thread, for instance).
#[derive(Debug)]
pub struct PoolError {
    /// The number of threads asked for.
    pub threads: usize,
    /// Why rayon could not build the pool.
    pub source: rayon::ThreadPoolBuildError,
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not start a pool of {} threads: {}",
            self.threads, self.source
        )
    }
}

impl std::error::Error for PoolError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
