//! The typed errors of lab 3 (given code: nothing to do here). Every message
//! names what was wrong.

use std::fmt;

/// The shape error of two point sets, and its check: the same in labs 1 to
/// 3, so they live in the course's `support` crate.
pub use support::{DimensionMismatch, check_dims};

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
