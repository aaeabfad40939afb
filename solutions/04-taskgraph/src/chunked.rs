//! Exercise 4: the Cityblock matrix as a graph of chunks, the original's
//! `delayed(cdist)` per chunk then `delayed(np.concatenate)`. Each task runs
//! a single-threaded kernel: the graph supplies the parallelism. (solution)

use std::ops::Range;
use std::sync::Arc;

use ndarray::{Array2, ArrayView2, Axis, concatenate, s};

use crate::error::GraphError;
use crate::graph::{Delayed, Graph};
use crate::kernel::cityblock_serial;

// ANCHOR: split_rows
/// `n` rows in `chunks` consecutive ranges whose lengths differ by at most
/// one, the longer first (NumPy's `array_split`). Fewer rows than chunks
/// gives empty ranges at the end.
///
/// # Examples
///
/// ```
/// use taskgraph_solution::GraphError;
/// use taskgraph_solution::chunked::split_rows;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// assert_eq!(split_rows(5, 2)?, [0..3, 3..5]);
/// assert_eq!(split_rows(1, 3)?, [0..1, 1..1, 1..1]);
/// assert!(matches!(split_rows(5, 0), Err(GraphError::ZeroChunks)));
/// # Ok(())
/// # }
/// ```
pub fn split_rows(n: usize, chunks: usize) -> Result<Vec<Range<usize>>, GraphError> {
    if chunks == 0 {
        return Err(GraphError::ZeroChunks);
    }
    let (base, extra) = (n / chunks, n % chunks);
    let mut start = 0;
    Ok((0..chunks)
        .map(|c| {
            let len = base + usize::from(c < extra);
            let range = start..start + len;
            start += len;
            range
        })
        .collect())
}
// ANCHOR_END: split_rows

// ANCHOR: cityblock_graph
/// The graph: one task per chunk of x's rows, `cityblock_serial(x[chunk], y)`,
/// and a last task that stacks the pieces, n × m. The tasks share x and y
/// through `Arc`s: nothing is copied to build the graph.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
///
/// use ndarray::array;
/// use taskgraph_solution::Graph;
/// use taskgraph_solution::chunked::cityblock_graph;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Arc::new(array![[0.0, 0.0], [3.0, 4.0]]);
/// let y = Arc::new(array![[0.0, 0.0], [3.0, 0.0]]);
/// let mut graph = Graph::new();
/// let r = cityblock_graph(&mut graph, x, y, 2)?;
/// assert_eq!(graph.len(), 3); // two chunks and the concatenation
/// assert_eq!(*graph.compute(r)?, array![[0.0, 3.0], [7.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn cityblock_graph(
    graph: &mut Graph,
    x: Arc<Array2<f64>>,
    y: Arc<Array2<f64>>,
    chunks: usize,
) -> Result<Delayed<Array2<f64>>, GraphError> {
    if x.ncols() != y.ncols() {
        return Err(GraphError::ShapeMismatch {
            x: x.dim(),
            y: y.dim(),
        });
    }
    let pieces: Vec<Delayed<Array2<f64>>> = split_rows(x.nrows(), chunks)?
        .into_iter()
        .map(|rows| {
            let (x, y) = (Arc::clone(&x), Arc::clone(&y));
            let name = format!("cityblock(x[{}..{}], y)", rows.start, rows.end);
            graph.delayed(&name, move || {
                cityblock_serial(x.slice(s![rows.clone(), ..]), y.view())
            })
        })
        .collect();
    // split_rows gives at least one chunk, so there is always a piece to stack.
    Ok(graph.delayed_all("concatenate", &pieces, |pieces| {
        let views: Vec<ArrayView2<f64>> = pieces.iter().map(|p| p.view()).collect();
        concatenate(Axis(0), &views).expect("every piece has y's rows as columns")
    }))
}
// ANCHOR_END: cityblock_graph

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
