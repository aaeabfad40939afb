//! A single-threaded Cityblock kernel (given code): what each task of the
//! chunked graph runs, as SciPy's `cdist` is for the original's tasks.

use ndarray::{Array2, ArrayView2};

/// r[i, j] = Σₖ |x[i, k] - y[j, k]|, one thread, rows of x outermost.
pub fn cityblock_serial(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Array2<f64> {
    let mut r = Array2::zeros((x.nrows(), y.nrows()));
    for (xi, mut ri) in x.rows().into_iter().zip(r.rows_mut()) {
        for (yj, rij) in y.rows().into_iter().zip(ri.iter_mut()) {
            *rij = xi.iter().zip(yj).map(|(a, b)| (a - b).abs()).sum();
        }
    }
    r
}

/// The same, with rayon over the rows of x. Called inside a task, it runs
/// on the task's own pool (rayon composes with itself): no new threads.
pub fn cityblock_parallel(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Array2<f64> {
    use ndarray::parallel::prelude::*;
    let mut r = Array2::zeros((x.nrows(), y.nrows()));
    r.axis_iter_mut(ndarray::Axis(0))
        .into_par_iter()
        .zip(x.axis_iter(ndarray::Axis(0)))
        .for_each(|(mut ri, xi)| {
            for (yj, rij) in y.rows().into_iter().zip(ri.iter_mut()) {
                *rij = xi.iter().zip(yj).map(|(a, b)| (a - b).abs()).sum();
            }
        });
    r
}

/// The same, on a team of `threads` OS threads of its own, each a block of
/// rows, as an OpenMP kernel would: called inside parallel tasks, every task
/// starts a team, and tasks × threads threads share the cores.
pub fn cityblock_team(x: ArrayView2<f64>, y: ArrayView2<f64>, threads: usize) -> Array2<f64> {
    let mut r = Array2::zeros((x.nrows(), y.nrows()));
    let rows_per_thread = x.nrows().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        for (xs, mut rs) in x
            .axis_chunks_iter(ndarray::Axis(0), rows_per_thread)
            .zip(r.axis_chunks_iter_mut(ndarray::Axis(0), rows_per_thread))
        {
            scope.spawn(move || rs.assign(&cityblock_serial(xs, y)));
        }
    });
    r
}
