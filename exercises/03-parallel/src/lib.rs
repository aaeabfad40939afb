//! # Lab 3: parallel loops
//!
//! The Cityblock distance matrix `r[i, j] = Σ_k |x_ik - y_jk|`, for which the
//! trick of lab 2 does not work, computed in parallel: where the parallel
//! loop goes, rayon's pool and its size, scoped threads writing disjoint
//! rows, the notebook's random data bit for bit, and a register-blocked
//! kernel near the machine's limit.
//!
//! ## How to work
//!
//! Each module is one exercise with one test file. Replace every `todo!()`
//! (each is marked `// TODO:`) and run that exercise's tests, e.g.
//! `cargo test -p parallel --test serial`. `cargo xtask progress` shows where
//! you stand; the book's chapter "Parallel loops" explains the ideas, and
//! `cargo bench -p parallel --bench cityblock` measures your code.
//!
//! Exercises, in order:
//! 1. [`serial`]: the serial baselines, indexing and iterators;
//! 2. [`placement`]: where the parallel loop goes;
//! 3. [`pool`]: rayon's thread pool, `Zip`, `join`;
//! 4. [`scoped`]: the shared output done safely with scoped threads;
//! 5. [`mt19937`]: NumPy's legacy random stream, bit for bit;
//! 6. [`blocked`]: the fast Cityblock kernel.

//!
//! [`error`] is given (in `src/given/`), and so are [`pages`] and [`testing`]
//! (from the course's `support` crate, which other labs use too).

pub mod blocked;
#[path = "given/error.rs"]
pub mod error;
pub mod mt19937;
pub mod placement;
pub mod pool;
pub mod scoped;
pub mod serial;

pub use support::{pages, testing};

pub use error::{DimensionMismatch, PoolError};
