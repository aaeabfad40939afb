//! Exercise 5: a blocked array, dask.array's idea: one big array as a grid of
//! chunks, each chunk made and reduced by its own task, so that the whole
//! never has to exist at once and the chunks are worked on in parallel.
//! (solution)

use std::ops::Range;
use std::sync::Arc;

use ndarray::{Array1, Array2, Axis, concatenate};

use crate::error::GraphError;
use crate::graph::{Delayed, Graph};

/// The shape of an array and of its chunks, and the grid they make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkGrid {
    /// The array's (rows, columns).
    pub shape: (usize, usize),
    /// A chunk's (rows, columns); those on the last row or column of the
    /// grid may be smaller.
    pub chunk: (usize, usize),
}

// ANCHOR: chunk_grid
impl ChunkGrid {
    /// A grid of `chunk`-shaped chunks over an array of `shape`; a chunk with
    /// 0 rows or columns is `Err(ZeroChunks)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use taskgraph_solution::GraphError;
    /// use taskgraph_solution::blocked::ChunkGrid;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let grid = ChunkGrid::new((5, 4), (2, 3))?;
    /// assert_eq!(grid.chunk, (2, 3));
    /// assert!(matches!(ChunkGrid::new((5, 4), (0, 3)), Err(GraphError::ZeroChunks)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(shape: (usize, usize), chunk: (usize, usize)) -> Result<ChunkGrid, GraphError> {
        if chunk.0 == 0 || chunk.1 == 0 {
            return Err(GraphError::ZeroChunks);
        }
        Ok(ChunkGrid { shape, chunk })
    }

    /// The number of chunks along each axis: ⌈rows / chunk rows⌉ and
    /// ⌈columns / chunk columns⌉ (dask's `numblocks`).
    ///
    /// # Examples
    ///
    /// ```
    /// use taskgraph_solution::blocked::ChunkGrid;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// assert_eq!(ChunkGrid::new((5, 4), (2, 3))?.grid(), (3, 2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn grid(&self) -> (usize, usize) {
        (
            self.shape.0.div_ceil(self.chunk.0),
            self.shape.1.div_ceil(self.chunk.1),
        )
    }

    /// The rows and columns of block (bi, bj) in the whole array.
    ///
    /// # Examples
    ///
    /// ```
    /// use taskgraph_solution::blocked::ChunkGrid;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let grid = ChunkGrid::new((5, 4), (2, 3))?;
    /// assert_eq!(grid.block(0, 0), (0..2, 0..3));
    /// assert_eq!(grid.block(2, 1), (4..5, 3..4)); // the ragged corner
    /// # Ok(())
    /// # }
    /// ```
    pub fn block(&self, bi: usize, bj: usize) -> (Range<usize>, Range<usize>) {
        let rows = bi * self.chunk.0..((bi + 1) * self.chunk.0).min(self.shape.0);
        let cols = bj * self.chunk.1..((bj + 1) * self.chunk.1).min(self.shape.1);
        (rows, cols)
    }
}
// ANCHOR_END: chunk_grid

/// An array as a grid of delayed chunks: nothing is computed until a
/// reduction of it is.
#[derive(Clone, Debug)]
pub struct Blocked {
    /// Its shape and chunks.
    pub grid: ChunkGrid,
    /// The chunks' tasks, row of blocks after row of blocks.
    pub blocks: Vec<Delayed<Array2<f64>>>,
}

// ANCHOR: from_fn
/// The array whose element (i, j) is `f(i, j)`, one task per chunk that
/// makes its chunk (dask's `da.random.random(shape, chunks)` makes its chunks
/// the same way, inside the tasks).
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use taskgraph_solution::Graph;
/// use taskgraph_solution::blocked::{ChunkGrid, from_fn, materialize};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut graph = Graph::new();
/// let a = from_fn(&mut graph, ChunkGrid::new((3, 2), (2, 2))?, |i, j| (10 * i + j) as f64);
/// assert_eq!(a.blocks.len(), 2); // one task per chunk, nothing computed yet
/// let whole = materialize(&mut graph, &a);
/// assert_eq!(*graph.compute(whole)?, array![[0.0, 1.0], [10.0, 11.0], [20.0, 21.0]]);
/// # Ok(())
/// # }
/// ```
pub fn from_fn(
    graph: &mut Graph,
    grid: ChunkGrid,
    f: impl Fn(usize, usize) -> f64 + Send + Sync + 'static,
) -> Blocked {
    let f = Arc::new(f);
    let (grid_rows, grid_cols) = grid.grid();
    let mut blocks = Vec::with_capacity(grid_rows * grid_cols);
    for bi in 0..grid_rows {
        for bj in 0..grid_cols {
            let (rows, cols) = grid.block(bi, bj);
            let f = Arc::clone(&f);
            blocks.push(graph.delayed(&format!("make({bi}, {bj})"), move || {
                Array2::from_shape_fn((rows.len(), cols.len()), |(i, j)| {
                    f(rows.start + i, cols.start + j)
                })
            }));
        }
    }
    Blocked { grid, blocks }
}
// ANCHOR_END: from_fn

// ANCHOR: mean
/// The mean of all elements: a (sum, count) task per chunk, then one task
/// that adds them up. An empty array's mean is NaN, as NumPy's.
///
/// # Examples
///
/// ```
/// use taskgraph_solution::Graph;
/// use taskgraph_solution::blocked::{ChunkGrid, from_fn, mean};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut graph = Graph::new();
/// // [[0, 1], [2, 3]] in four 1 × 1 chunks.
/// let a = from_fn(&mut graph, ChunkGrid::new((2, 2), (1, 1))?, |i, j| (2 * i + j) as f64);
/// let m = mean(&mut graph, &a);
/// assert_eq!(*graph.compute(m)?, 1.5);
/// # Ok(())
/// # }
/// ```
pub fn mean(graph: &mut Graph, array: &Blocked) -> Delayed<f64> {
    let partials: Vec<Delayed<(f64, usize)>> = array
        .blocks
        .iter()
        .map(|&block| graph.delayed1("sum", block, |b| (b.sum(), b.len())))
        .collect();
    graph.delayed_all("mean", &partials, |partials| {
        let (sum, count) = partials
            .iter()
            .fold((0.0, 0), |(s, c), &&(bs, bc)| (s + bs, c + bc));
        sum / count as f64
    })
}
// ANCHOR_END: mean

// ANCHOR: mean_axis0
/// The mean of each column (NumPy's `mean(axis=0)`): per chunk, its column
/// sums; per column of blocks, their sum over the block rows; then the
/// column sums side by side, divided by the number of rows.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use taskgraph_solution::Graph;
/// use taskgraph_solution::blocked::{ChunkGrid, from_fn, mean_axis0};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut graph = Graph::new();
/// // [[0, 1], [2, 3]] in four 1 × 1 chunks.
/// let a = from_fn(&mut graph, ChunkGrid::new((2, 2), (1, 1))?, |i, j| (2 * i + j) as f64);
/// let m = mean_axis0(&mut graph, &a);
/// assert_eq!(*graph.compute(m)?, array![1.0, 2.0]);
/// # Ok(())
/// # }
/// ```
pub fn mean_axis0(graph: &mut Graph, array: &Blocked) -> Delayed<Array1<f64>> {
    let (grid_rows, grid_cols) = array.grid.grid();
    let (rows, cols) = array.grid.shape;
    if array.blocks.is_empty() {
        // No rows (NumPy: a NaN per column) or no columns (an empty result).
        return graph.delayed("mean(axis=0)", move || Array1::from_elem(cols, f64::NAN));
    }
    let sums: Vec<Delayed<Array1<f64>>> = array
        .blocks
        .iter()
        .map(|&block| graph.delayed1("column sums", block, |b| b.sum_axis(Axis(0))))
        .collect();
    let columns: Vec<Delayed<Array1<f64>>> = (0..grid_cols)
        .map(|bj| {
            let parts: Vec<_> = (0..grid_rows).map(|bi| sums[bi * grid_cols + bj]).collect();
            graph.delayed_all(&format!("add block column {bj}"), &parts, |parts| {
                parts
                    .iter()
                    .skip(1)
                    .fold(parts[0].clone(), |acc, p| acc + *p)
            })
        })
        .collect();
    graph.delayed_all("mean(axis=0)", &columns, move |columns| {
        let views: Vec<_> = columns.iter().map(|c| c.view()).collect();
        concatenate(Axis(0), &views).expect("1-D pieces") / rows as f64
    })
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
