//! Exercise 3: rayon's thread pool, and two more ways to split the work.
//!
//! Rayon runs parallel iterators on a global pool with one thread per core
//! (or `RAYON_NUM_THREADS`). A scaling study needs 1, 2, 4, … threads within
//! one program: build a pool of that size and run the work *inside* it.
//!
//! Tests: `cargo test -p parallel --test pool`.

use std::num::NonZeroUsize;

use ndarray::{Array2, ArrayView2};

use crate::error::{DimensionMismatch, PoolError};
// You will need: ndarray::{ArrayViewMut2, Axis, Zip}, crate::error::check_dims,
// crate::serial::cityblock_pair.

// ANCHOR: in_pool
/// Runs `work` on a new pool of `threads` threads: every rayon parallel
/// iterator inside it uses that pool, and `rayon::current_num_threads()`
/// returns `threads`.
pub fn in_pool<T: Send>(
    threads: NonZeroUsize,
    work: impl FnOnce() -> T + Send,
) -> Result<T, PoolError> {
    // TODO: rayon::ThreadPoolBuilder::new().num_threads(..).build(), map the error to
    // PoolError, then pool.install(work).
    let _ = work;
    todo!("run the work on a pool of {threads} threads")
}
// ANCHOR_END: in_pool

// ANCHOR: cityblock_azip
/// Parallel over every element of the output with `Zip`: ndarray splits the
/// (n, m) index space into pieces for rayon.
pub fn cityblock_azip(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: check_dims; Zip::indexed(&mut out).par_for_each(|(i, j), o| ...).
    todo!(
        "Cityblock with a parallel Zip, {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_azip

// ANCHOR: join_grain_rows
/// Below this many rows, a task computes its rows itself instead of
/// splitting them further.
pub const JOIN_GRAIN_ROWS: usize = 16;
// ANCHOR_END: join_grain_rows

// ANCHOR: cityblock_join
/// Divide and conquer with `rayon::join`: split the rows in two halves, let
/// rayon run both (in parallel when a thread is free), recurse.
pub fn cityblock_join(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: check_dims, allocate out, then fill_rows (below).
    todo!(
        "Cityblock by divide and conquer, {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}

// TODO: a helper `fn fill_rows(x, y, out: ArrayViewMut2<'_, f64>)` that computes the
// rows itself up to JOIN_GRAIN_ROWS rows, and otherwise splits x and out in two
// halves (`split_at(Axis(0), n / 2)`) and recurses on both with `rayon::join`.
// ANCHOR_END: cityblock_join
