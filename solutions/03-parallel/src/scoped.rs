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

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis};

use crate::error::{DimensionMismatch, check_dims};
use crate::serial::cityblock_pair;

// ANCHOR: row_ranges
/// Splits the rows `0..n` among at most `threads` workers: contiguous,
/// disjoint, non-empty ranges in order, whose lengths differ by at most one
/// (OpenMP's `schedule(static)`).
///
/// # Examples
///
/// ```
/// use std::num::NonZeroUsize;
///
/// use parallel_solution::scoped::row_ranges;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let (two, four) = (NonZeroUsize::new(2).ok_or("0")?, NonZeroUsize::new(4).ok_or("0")?);
/// assert_eq!(row_ranges(5, two), [0..3, 3..5]);
/// assert_eq!(row_ranges(2, four), [0..1, 1..2]); // never an empty range
/// # Ok(())
/// # }
/// ```
pub fn row_ranges(n: usize, threads: NonZeroUsize) -> Vec<Range<usize>> {
    let workers = threads.get().min(n);
    let mut ranges = Vec::with_capacity(workers);
    let mut start = 0;
    for w in 0..workers {
        // The first n % workers ranges get one extra row.
        let len = n / workers + usize::from(w < n % workers);
        ranges.push(start..start + len);
        start += len;
    }
    ranges
}
// ANCHOR_END: row_ranges

// ANCHOR: cityblock_scoped
/// One scoped thread per range of rows, each writing only its own rows.
///
/// # Examples
///
/// ```
/// use std::num::NonZeroUsize;
///
/// use ndarray::array;
/// use parallel_solution::scoped::cityblock_scoped;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// let two = NonZeroUsize::new(2).ok_or("zero threads")?;
/// assert_eq!(cityblock_scoped(x.view(), y.view(), two)?, array![[0.0, 3.0], [7.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn cityblock_scoped(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    threads: NonZeroUsize,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    std::thread::scope(|scope| {
        let mut rest: ArrayViewMut2<'_, f64> = out.view_mut();
        for range in row_ranges(x.nrows(), threads) {
            // Cut this worker's rows off the front: a disjoint `&mut`.
            let (mine, others) = rest.split_at(Axis(0), range.len());
            rest = others;
            let x_rows = x.slice_axis(Axis(0), range.into());
            scope.spawn(move || {
                let mut mine = mine;
                for (mut out_row, xi) in mine.rows_mut().into_iter().zip(x_rows.rows()) {
                    for (o, yj) in out_row.iter_mut().zip(y.rows()) {
                        *o = cityblock_pair(xi, yj);
                    }
                }
            });
        }
    });
    Ok(out)
}
// ANCHOR_END: cityblock_scoped
