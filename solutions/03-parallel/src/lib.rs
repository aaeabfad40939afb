//! # Lab 3: parallel loops (solution)
//!
//! The Cityblock distance matrix `r[i, j] = Σ_k |x_ik - y_jk|`, for which the
//! trick of lab 2 does not work, computed in parallel: where the parallel
//! loop goes, rayon's pool and its size, scoped threads writing disjoint
//! rows, the notebook's random data bit for bit, and a register-blocked
//! kernel near the machine's limit.
//!
//! Exercises, in order (one module and one test file each):
//! 1. [`serial`]: the serial baselines, indexing and iterators;
//! 2. [`placement`]: where the parallel loop goes;
//! 3. [`pool`]: rayon's thread pool, `Zip`, `join`;
//! 4. [`scoped`]: the shared output done safely with scoped threads;
//! 5. [`mt19937`]: NumPy's legacy random stream, bit for bit;
//! 6. [`blocked`]: the fast Cityblock kernel.

pub mod blocked;
#[path = "../../../exercises/03-parallel/src/given/error.rs"]
pub mod error;
pub mod mt19937;
pub mod placement;
pub mod pool;
pub mod scoped;
pub mod serial;

pub use support::{pages, testing};

pub use error::{DimensionMismatch, PoolError};
