//! Exercise 3: rayon's thread pool, and two more ways to split the work.
//!
//! Rayon runs parallel iterators on a global pool with one thread per core
//! (or `RAYON_NUM_THREADS`). A scaling study needs 1, 2, 4, … threads within
//! one program: build a pool of that size and run the work *inside* it.
//!
//! Tests: `cargo test -p parallel --test pool`.

use std::num::NonZeroUsize;

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Axis, Zip};

use crate::error::{DimensionMismatch, PoolError, check_dims};
use crate::serial::cityblock_pair;

// ANCHOR: in_pool
/// Runs `work` on a new pool of `threads` threads: every rayon parallel
/// iterator inside it uses that pool, and `rayon::current_num_threads()`
/// returns `threads`.
///
/// # Examples
///
/// ```
/// use std::num::NonZeroUsize;
///
/// use parallel_solution::pool::in_pool;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let two = NonZeroUsize::new(2).ok_or("zero threads")?;
/// assert_eq!(in_pool(two, rayon::current_num_threads)?, 2);
/// # Ok(())
/// # }
/// ```
pub fn in_pool<T: Send>(
    threads: NonZeroUsize,
    work: impl FnOnce() -> T + Send,
) -> Result<T, PoolError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.get())
        .build()
        .map_err(|source| PoolError {
            threads: threads.get(),
            source,
        })?;
    Ok(pool.install(work))
}
// ANCHOR_END: in_pool

// ANCHOR: cityblock_azip
/// Parallel over every element of the output with `Zip`: ndarray splits the
/// (n, m) index space into pieces for rayon.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::pool::cityblock_azip;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(cityblock_azip(x.view(), y.view())?, array![[0.0, 3.0], [7.0, 4.0]]);
/// assert!(cityblock_azip(x.view(), array![[1.0]].view()).is_err());
/// # Ok(())
/// # }
/// ```
pub fn cityblock_azip(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    Zip::indexed(&mut out).par_for_each(|(i, j), o| *o = cityblock_pair(x.row(i), y.row(j)));
    Ok(out)
}
// ANCHOR_END: cityblock_azip

/// Below this many rows, a task computes its rows itself instead of
/// splitting them further.
pub const JOIN_GRAIN_ROWS: usize = 16;

// ANCHOR: cityblock_join
/// Divide and conquer with `rayon::join`: split the rows in two halves, let
/// rayon run both (in parallel when a thread is free), recurse.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::pool::cityblock_join;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(cityblock_join(x.view(), y.view())?, array![[0.0, 3.0], [7.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn cityblock_join(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    fill_rows(x, y, out.view_mut());
    Ok(out)
}

fn fill_rows(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>, mut out: ArrayViewMut2<'_, f64>) {
    let n = x.nrows();
    if n <= JOIN_GRAIN_ROWS {
        for (mut out_row, xi) in out.rows_mut().into_iter().zip(x.rows()) {
            for (o, yj) in out_row.iter_mut().zip(y.rows()) {
                *o = cityblock_pair(xi, yj);
            }
        }
        return;
    }
    let (x_top, x_bottom) = x.split_at(Axis(0), n / 2);
    let (out_top, out_bottom) = out.split_at(Axis(0), n / 2);
    rayon::join(
        || fill_rows(x_top, y, out_top),
        || fill_rows(x_bottom, y, out_bottom),
    );
}
// ANCHOR_END: cityblock_join
