//! A single-threaded Cityblock kernel (given code): what each task of the
//! chunked graph runs, as SciPy's `cdist` is for the original's tasks; and two
//! parallel ones, to nest inside tasks and measure why not to.
//!
//! All three run the same loop, `fill_row`, over plain slices: the same
//! machine code and the same sums, in the same order, so that their results
//! agree bit for bit and their times differ only by how they are run.

use ndarray::{Array2, ArrayView2, ArrayViewMut1, Axis};

/// r[i, j] = Σₖ |x[i, k] - y[j, k]|, one thread, rows of x outermost.
///
/// # Panics
///
/// If x and y have different numbers of columns (the callers check first and
/// return `GraphError::ShapeMismatch`); so do the two kernels below.
pub fn cityblock_serial(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Array2<f64> {
    same_width(x, y);
    let mut r = Array2::zeros((x.nrows(), y.nrows()));
    let (x, y) = (x.as_standard_layout(), y.as_standard_layout());
    let y = y.as_slice().expect("standard layout");
    for (xi, ri) in x.rows().into_iter().zip(r.rows_mut()) {
        fill_row(xi.as_slice().expect("standard layout"), y, ri);
    }
    r
}

/// The same, with rayon over the rows of x. Called inside a task, it runs
/// on the task's own pool (rayon composes with itself): no new threads.
pub fn cityblock_parallel(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Array2<f64> {
    use ndarray::parallel::prelude::*;
    same_width(x, y);
    let mut r = Array2::zeros((x.nrows(), y.nrows()));
    let (x, y) = (x.as_standard_layout(), y.as_standard_layout());
    let y = y.as_slice().expect("standard layout");
    r.axis_iter_mut(Axis(0))
        .into_par_iter()
        .zip(x.axis_iter(Axis(0)))
        .for_each(|(ri, xi)| fill_row(xi.as_slice().expect("standard layout"), y, ri));
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
            .axis_chunks_iter(Axis(0), rows_per_thread)
            .zip(r.axis_chunks_iter_mut(Axis(0), rows_per_thread))
        {
            scope.spawn(move || rs.assign(&cityblock_serial(xs, y)));
        }
    });
    r
}

/// The callers check the shapes and return `GraphError::ShapeMismatch`; a
/// kernel called without that check stops here rather than pair wrong values.
fn same_width(x: ArrayView2<f64>, y: ArrayView2<f64>) {
    assert_eq!(
        x.ncols(),
        y.ncols(),
        "x is {:?} and y is {:?}: a distance needs rows of the same length",
        x.dim(),
        y.dim()
    );
}

/// One row of r: the distances from `xi` to each row of y (`y` row-major,
/// `xi.len()` values per row). Plain slices, so that the compiler sees two
/// contiguous arrays and emits the short loop that the processor overlaps
/// across j (iterating ndarray views instead measured up to 3× slower here,
/// and varied with the surrounding code).
fn fill_row(xi: &[f64], y: &[f64], ri: ArrayViewMut1<f64>) {
    if xi.is_empty() {
        return; // no coordinates: every distance is 0, as r starts
    }
    for (yj, rij) in y.chunks_exact(xi.len()).zip(ri) {
        *rij = xi.iter().zip(yj).map(|(a, b)| (a - b).abs()).sum();
    }
}
