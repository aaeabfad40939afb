//! Exercise 6: out of core. The original's weather notebook stacks 31 daily
//! fields of 5760 × 11520 f64 (15 GiB) and averages them over the days, with
//! dask reading one chunk at a time. Here: a stack of `.npy` files, a task per
//! block of rows that reads those rows from every day, averages them and
//! writes them to the output file. Memory holds a few blocks, never a field.
//! (solution)

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::GraphError;
use crate::graph::{Delayed, Graph};
use crate::npy::NpyField;

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

// ANCHOR: open_stack
/// Opens every field and checks that they all have the first one's shape.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use taskgraph_solution::GraphError;
/// use taskgraph_solution::npy::write_array;
/// use taskgraph_solution::outofcore::open_stack;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = std::env::temp_dir().join(format!("open-stack-example-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let (a, b) = (dir.join("a.npy"), dir.join("b.npy"));
/// write_array(&a, array![[1.0, 2.0]].view())?;
/// write_array(&b, array![[1.0], [2.0]].view())?;
///
/// assert_eq!(open_stack(&[a.clone()])?[0].shape, (1, 2));
/// assert!(matches!(open_stack(&[a, b]), Err(GraphError::BadField { .. }))); // two shapes
/// assert!(open_stack(&[]).is_err());
/// std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
pub fn open_stack(paths: &[PathBuf]) -> Result<Vec<NpyField>, GraphError> {
    let fields = paths
        .iter()
        .map(|path| NpyField::open(path))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(first) = fields.first() else {
        return Err(GraphError::BadField {
            path: "the stack".into(),
            problem: "it has no fields: give at least one file".into(),
        });
    };
    if let Some(odd) = fields.iter().find(|f| f.shape != first.shape) {
        return Err(GraphError::BadField {
            path: odd.path().display().to_string(),
            problem: format!(
                "its shape is {:?}, but {} is {:?}: a stack needs one shape",
                odd.shape,
                first.path().display(),
                first.shape
            ),
        });
    }
    Ok(fields)
}
// ANCHOR_END: open_stack

// ANCHOR: stack_mean
/// Averages the fields at `paths` over the days into a new `.npy` at `out`,
/// `rows_per_block` rows per task, on `threads` threads. At most `threads`
/// blocks are in memory at once (three buffers each: the bytes read, the
/// values, the sum).
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use taskgraph_solution::npy::{read_array, write_array};
/// use taskgraph_solution::outofcore::stack_mean;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = std::env::temp_dir().join(format!("stack-mean-example-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let days = [dir.join("day-0.npy"), dir.join("day-1.npy")];
/// write_array(&days[0], array![[1.0, 2.0], [3.0, 4.0]].view())?;
/// write_array(&days[1], array![[3.0, 4.0], [5.0, 6.0]].view())?;
///
/// let out = dir.join("mean.npy");
/// let run = stack_mean(&days, &out, 1, 2)?;
/// assert_eq!((run.days, run.blocks), (2, 2)); // one task per row
/// assert_eq!(read_array(&out)?, array![[2.0, 3.0], [4.0, 5.0]]);
/// std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
pub fn stack_mean(
    paths: &[PathBuf],
    out: &Path,
    rows_per_block: usize,
    threads: usize,
) -> Result<StackMean, GraphError> {
    if rows_per_block == 0 {
        return Err(GraphError::ZeroChunks);
    }
    let fields = Arc::new(open_stack(paths)?);
    let shape = fields[0].shape;
    let (rows, cols) = shape;
    let days = fields.len();
    let out = Arc::new(NpyField::create(out, shape)?);

    let mut graph = Graph::new();
    let blocks: Vec<Delayed<Result<(), GraphError>>> = (0..rows)
        .step_by(rows_per_block)
        .map(|start| {
            let block = start..(start + rows_per_block).min(rows);
            let (fields, out) = (Arc::clone(&fields), Arc::clone(&out));
            graph.delayed(&format!("mean of rows {block:?}"), move || {
                let mut sum = vec![0.0; block.len() * cols];
                let mut day = vec![0.0; block.len() * cols];
                for field in fields.iter() {
                    field.read_rows(block.clone(), &mut day)?;
                    for (s, d) in sum.iter_mut().zip(&day) {
                        *s += d;
                    }
                }
                for s in &mut sum {
                    *s /= days as f64;
                }
                out.write_rows(block.clone(), &sum)
            })
        })
        .collect();
    let count = blocks.len();
    // The tasks return nothing to keep: each wrote its rows. The last task
    // only collects their errors.
    let done = graph.delayed_all("done", &blocks, |results| {
        results.iter().find_map(|r| r.as_ref().err().cloned())
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|error| GraphError::Pool(error.to_string()))?;
    if let Some(error) = graph.compute_in(done, &pool)?.0.as_ref() {
        return Err(error.clone());
    }
    Ok(StackMean {
        shape,
        days,
        blocks: count,
        bytes_read: (days * rows * cols * size_of::<f64>()) as u64,
    })
}
// ANCHOR_END: stack_mean
