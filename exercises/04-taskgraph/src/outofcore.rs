//! Exercise 6: out of core. The original's weather notebook stacks 31 daily
//! fields of 5760 × 11520 f64 (15 GiB) and averages them over the days, with
//! dask reading one chunk at a time. Here: a stack of `.npy` files, a task per
//! block of rows that reads those rows from every day, averages them and
//! writes them to the output file. Memory holds a few blocks, never a field.
//!
//! Replace the `todo!()`s (marked `// TODO:`), then run
//! `cargo test -p taskgraph --test outofcore`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::GraphError;
use crate::graph::{Delayed, Graph};
use crate::npy::NpyField;

// ANCHOR: stack_mean_report
/// What a run of [`stack_mean`] read and did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StackMean {
    /// (rows, columns) of each field and of the mean.
    pub shape: (usize, usize),
    /// How many fields (days) were averaged.
    pub days: usize,
    /// How many blocks of rows, one task each.
    pub blocks: usize,
    /// The bytes read from the stack.
    pub bytes_read: u64,
}
// ANCHOR_END: stack_mean_report

// ANCHOR: open_stack
/// Opens every field and checks that they all have the first one's shape.
pub fn open_stack(paths: &[PathBuf]) -> Result<Vec<NpyField>, GraphError> {
    // TODO: NpyField::open each path (the first error wins: `collect` into a Result); no
    // fields at all is Err(BadField) ("the stack" has no fields); a field whose shape differs
    // from the first one's is Err(BadField) naming its path and both shapes.
    todo!("open the {} fields of the stack", paths.len())
}
// ANCHOR_END: open_stack

// ANCHOR: stack_mean
/// Averages the fields at `paths` over the days into a new `.npy` at `out`,
/// `rows_per_block` rows per task, on `threads` threads. At most `threads`
/// blocks are in memory at once (three buffers each: the bytes read, the
/// values, the sum).
pub fn stack_mean(
    paths: &[PathBuf],
    out: &Path,
    rows_per_block: usize,
    threads: usize,
) -> Result<StackMean, GraphError> {
    // TODO: 0 rows per block is Err(ZeroChunks). Open the stack (open_stack, in an Arc) and
    // create the output (NpyField::create(out, shape), in an Arc). One `graph.delayed` task
    // per block of rows (start = 0, rows_per_block, ...; the last block cut at the field's
    // end), returning a Result: it reads its rows from every field (`read_rows` into a
    // buffer), adds them into a sum, divides by the number of fields, and `write_rows` its
    // rows of the mean. A last `delayed_all` task collects the first error of those results.
    // Compute it with `graph.compute_in` on a pool of `threads` threads, and report.
    let _ = (out, threads, Arc::new(()), NpyField::open, Graph::new);
    let _: Option<Delayed<()>> = None;
    todo!(
        "the mean of {} fields, {rows_per_block} rows per task",
        paths.len()
    )
}
// ANCHOR_END: stack_mean
