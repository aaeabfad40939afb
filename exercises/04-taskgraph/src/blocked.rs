//! Exercise 5: a blocked array, dask.array's idea: one big array as a grid of
//! chunks, each chunk made and reduced by its own task, so that the whole
//! never has to exist at once and the chunks are worked on in parallel.
//!
//! Replace the `todo!()`s (marked `// TODO:`), then run
//! `cargo test -p taskgraph --test blocked`.

use std::ops::Range;
use std::sync::Arc;

use ndarray::{Array1, Array2, concatenate};

use crate::error::GraphError;
use crate::graph::{Delayed, Graph};

// ANCHOR: chunk_grid_type
/// The shape of an array and of its chunks, and the grid they make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkGrid {
    /// The array's (rows, columns).
    pub shape: (usize, usize),
    /// A chunk's (rows, columns); those on the last row or column of the
    /// grid may be smaller.
    pub chunk: (usize, usize),
}
// ANCHOR_END: chunk_grid_type

// ANCHOR: chunk_grid
impl ChunkGrid {
    /// A grid of `chunk`-shaped chunks over an array of `shape`; a chunk with
    /// 0 rows or columns is `Err(ZeroChunks)`.
    pub fn new(shape: (usize, usize), chunk: (usize, usize)) -> Result<ChunkGrid, GraphError> {
        // TODO: Err(GraphError::ZeroChunks) when a chunk has 0 rows or 0 columns.
        todo!("a grid of {chunk:?} chunks over {shape:?}")
    }

    /// The number of chunks along each axis: ⌈rows / chunk rows⌉ and
    /// ⌈columns / chunk columns⌉ (dask's `numblocks`).
    pub fn grid(&self) -> (usize, usize) {
        // TODO: ceil-div along each axis (`usize::div_ceil`).
        todo!("the number of chunks along each axis")
    }

    /// The rows and columns of block (bi, bj) in the whole array.
    pub fn block(&self, bi: usize, bj: usize) -> (Range<usize>, Range<usize>) {
        // TODO: rows from bi · chunk rows to the next multiple, cut at the array's edge (`min`);
        // the same for the columns.
        todo!("the ranges of block ({bi}, {bj})")
    }
}
// ANCHOR_END: chunk_grid

// ANCHOR: blocked_type
/// An array as a grid of delayed chunks: nothing is computed until a
/// reduction of it is.
#[derive(Clone, Debug)]
pub struct Blocked {
    /// Its shape and chunks.
    pub grid: ChunkGrid,
    /// The chunks' tasks, row of blocks after row of blocks.
    pub blocks: Vec<Delayed<Array2<f64>>>,
}
// ANCHOR_END: blocked_type

// ANCHOR: from_fn
/// The array whose element (i, j) is `f(i, j)`, one task per chunk that
/// makes its chunk (dask's `da.random.random(shape, chunks)` makes its chunks
/// the same way, inside the tasks).
pub fn from_fn(
    graph: &mut Graph,
    grid: ChunkGrid,
    f: impl Fn(usize, usize) -> f64 + Send + Sync + 'static,
) -> Blocked {
    // TODO: share f between the tasks (an `Arc`); for every block (bi, bj) of the grid, row of
    // blocks after row of blocks, one `graph.delayed` task (name it "make(bi, bj)") that
    // builds its chunk with `Array2::from_shape_fn`, calling f at the element's *global*
    // (row, column): the block's start plus the index inside it.
    let _ = (graph, f, Arc::new(()));
    todo!("the blocked array of {grid:?}")
}
// ANCHOR_END: from_fn

// ANCHOR: mean
/// The mean of all elements: a (sum, count) task per chunk, then one task
/// that adds them up. An empty array's mean is NaN, as NumPy's.
pub fn mean(graph: &mut Graph, array: &Blocked) -> Delayed<f64> {
    // TODO: per block, a task computing (its sum, its number of elements); then one
    // `delayed_all` task adding the sums and the counts and dividing once (an empty array's
    // 0 / 0 is NaN, as NumPy's).
    let _ = (graph, array);
    todo!("the mean of a blocked array")
}
// ANCHOR_END: mean

// ANCHOR: mean_axis0
/// The mean of each column (NumPy's `mean(axis=0)`): per chunk, its column
/// sums; per column of blocks, their sum over the block rows; then the
/// column sums side by side, divided by the number of rows.
pub fn mean_axis0(graph: &mut Graph, array: &Blocked) -> Delayed<Array1<f64>> {
    // TODO: no blocks at all: one task giving NaN for each of the array's columns. Otherwise,
    // per block, its column sums (`sum_axis(Axis(0))`); per column of blocks bj, a task adding
    // the sums of blocks (0, bj), (1, bj), ...; then one task putting the block columns'
    // sums side by side (`concatenate(Axis(0), ..)`) and dividing by the number of rows.
    let _ = (
        graph,
        array,
        Array1::<f64>::zeros(0),
        concatenate::<f64, ndarray::Ix1>,
    );
    todo!("the column means of a blocked array")
}
// ANCHOR_END: mean_axis0

/// The whole array in memory, for checks on small arrays: every chunk
/// computed and put in its place.
pub fn materialize(graph: &mut Graph, array: &Blocked) -> Delayed<Array2<f64>> {
    let grid = array.grid;
    graph.delayed_all("materialize", &array.blocks, move |blocks| {
        let mut whole = Array2::zeros(grid.shape);
        let grid_cols = grid.grid().1;
        for (k, block) in blocks.iter().enumerate() {
            let (rows, cols) = grid.block(k / grid_cols, k % grid_cols);
            whole.slice_mut(ndarray::s![rows, cols]).assign(*block);
        }
        whole
    })
}
