//! Exercise 4: the Cityblock matrix as a graph of chunks, the original's
//! `delayed(cdist)` per chunk then `delayed(np.concatenate)`. Each task runs
//! a single-threaded kernel: the graph supplies the parallelism.
//!
//! Replace the `todo!()`s (marked `// TODO:`), then run
//! `cargo test -p taskgraph --test chunked`.

use std::ops::Range;
use std::sync::Arc;

use ndarray::{Array2, ArrayView2, Axis, concatenate};

use crate::error::GraphError;
use crate::graph::{Delayed, Graph};
use crate::kernel::cityblock_serial;

// ANCHOR: split_rows
/// `n` rows in `chunks` consecutive ranges whose lengths differ by at most
/// one, the longer first (NumPy's `array_split`). Fewer rows than chunks
/// gives empty ranges at the end.
pub fn split_rows(n: usize, chunks: usize) -> Result<Vec<Range<usize>>, GraphError> {
    // TODO: Err(GraphError::ZeroChunks) for 0 chunks; else chunks ranges, consecutive, the
    // first `n % chunks` of them `n / chunks + 1` rows long and the others `n / chunks`.
    todo!("{n} rows in {chunks} chunks")
}
// ANCHOR_END: split_rows

// ANCHOR: cityblock_graph
/// The graph: one task per chunk of x's rows, `cityblock_serial(x[chunk], y)`,
/// and a last task that stacks the pieces, n × m. The tasks share x and y
/// through `Arc`s: nothing is copied to build the graph.
pub fn cityblock_graph(
    graph: &mut Graph,
    x: Arc<Array2<f64>>,
    y: Arc<Array2<f64>>,
    chunks: usize,
) -> Result<Delayed<Array2<f64>>, GraphError> {
    // TODO: refuse different column counts (GraphError::ShapeMismatch with both shapes); then
    // one `graph.delayed` task per range of split_rows(x.nrows(), chunks), each with its own
    // Arc clones of x and y, computing cityblock_serial(x.slice(s![rows, ..]), y.view());
    // then one `delayed_all("concatenate", ...)` task stacking the pieces along Axis(0)
    // (`ndarray::concatenate`).
    let _ = (
        graph,
        x,
        y,
        chunks,
        concatenate::<f64, ndarray::Ix2>,
        Axis(0),
        cityblock_serial,
    );
    let _: Option<ArrayView2<f64>> = None;
    todo!("the chunked Cityblock graph")
}
// ANCHOR_END: cityblock_graph

// ANCHOR: cityblock_chunked
/// r = cityblock(x, y) through the chunked graph, on `threads` threads.
pub fn cityblock_chunked(
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    chunks: usize,
    threads: usize,
) -> Result<Array2<f64>, GraphError> {
    let mut graph = Graph::new();
    let r = cityblock_graph(
        &mut graph,
        Arc::new(x.to_owned()),
        Arc::new(y.to_owned()),
        chunks,
    )?;
    let (r, _) = graph.compute_traced(r, threads)?;
    Ok(Arc::unwrap_or_clone(r))
}
// ANCHOR_END: cityblock_chunked
