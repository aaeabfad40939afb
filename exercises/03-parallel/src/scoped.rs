//! Exercise 4: the OpenMP-like shared output, done safely.
//!
//! PyMP (the ULHPC notebook) forks workers that write into one shared
//! array, and nothing stops two of them from writing the same element. With
//! `std::thread::scope` every thread gets its own `&mut` slice of the
//! output, and the borrow checker proves that the slices are disjoint.
//!
//! Tests: `cargo test -p parallel --test scoped`.

use std::num::NonZeroUsize;
use std::ops::Range;

use ndarray::{Array2, ArrayView2};

use crate::error::DimensionMismatch;
// You will need: ndarray::{ArrayViewMut2, Axis}, crate::error::check_dims,
// crate::serial::cityblock_pair.

// ANCHOR: row_ranges
/// Splits the rows `0..n` among at most `threads` workers: contiguous,
/// disjoint, non-empty ranges in order, whose lengths differ by at most one
/// (OpenMP's `schedule(static)`).
pub fn row_ranges(n: usize, threads: NonZeroUsize) -> Vec<Range<usize>> {
    // TODO: min(threads, n) workers; the first n % workers ranges get one extra row.
    todo!("split {n} rows among {threads} workers")
}
// ANCHOR_END: row_ranges

// ANCHOR: cityblock_scoped
/// One scoped thread per range of rows, each writing only its own rows.
pub fn cityblock_scoped(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    threads: NonZeroUsize,
) -> Result<Array2<f64>, DimensionMismatch> {
    // TODO: check_dims; std::thread::scope; for each of row_ranges(..), split the rows off
    // the front of the remaining output (split_at(Axis(0), len)) and spawn a thread on them.
    todo!(
        "Cityblock on {threads} scoped threads, {:?} and {:?} points",
        x.dim(),
        y.dim()
    )
}
// ANCHOR_END: cityblock_scoped
