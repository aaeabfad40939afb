//! Exercise 1: the launch geometry of a CUDA kernel.
//!
//! A kernel runs once per thread; the threads come in blocks, the blocks in a
//! grid. Compute, on the CPU, what a launch needs: each thread's global index,
//! how many blocks cover the data, the 2-D grid for an n × m output and the
//! guard that stops the threads past its edges. Then [`for_each_thread`]
//! runs a kernel body on every thread, one after the other, so that the
//! tests can watch the guard at work.
//!
//! Replace each `todo!()` (marked `// TODO:`), then run
//! `cargo test -p gpu --test geometry`.

use crate::dim::{Axis, Dim2, MAX_THREADS_PER_BLOCK};
use crate::error::GpuError;

// ANCHOR: global_index
/// The global index of a thread along one axis:
/// `blockIdx.x * blockDim.x + threadIdx.x` in CUDA C.
///
/// Computed in `usize`: in `u32` the product overflows past 2³² threads.
pub fn global_index(block_idx: u32, block_dim: u32, thread_idx: u32) -> usize {
    // TODO: blockIdx * blockDim + threadIdx, computed in usize (a u32 product overflows).
    todo!(
        "exercise 1 (geometry): global_index: the global index of thread {thread_idx} of block \
         {block_idx} of {block_dim} threads"
    )
}
// ANCHOR_END: global_index

// ANCHOR: blocks_for
/// The blocks of `block` threads needed to cover `n` elements along `axis`:
/// ⌈n / block⌉, which is `(n + block - 1) / block`. `n = 0` needs 0 blocks
/// (and no launch: CUDA refuses a grid with 0 blocks).
pub fn blocks_for(n: usize, block: u32, axis: Axis) -> Result<u32, GpuError> {
    // TODO: 0 threads per block is `GpuError::ZeroBlock`; then the ceiling of n / block, and
    // `GpuError::GridTooLarge` if that is more than `axis.max_blocks()`.
    todo!(
        "exercise 1 (geometry): blocks_for: how many blocks of {block} threads cover {n} \
         elements along {axis}"
    )
}
// ANCHOR_END: blocks_for

/// The launch geometry of a kernel with one thread per element of an n × m
/// output `r[i, j]`: x runs along the columns j (so that the consecutive
/// threads of a warp write consecutive elements of a row), y along the rows i.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid2d {
    /// Rows of the output (i < n).
    pub n: usize,
    /// Columns of the output (j < m).
    pub m: usize,
    /// Blocks in the grid: `x` along the columns, `y` along the rows.
    pub grid: Dim2,
    /// Threads in a block.
    pub block: Dim2,
}

impl Grid2d {
    // ANCHOR: grid2d_new
    /// The smallest grid of `block`-shaped blocks that covers an n × m output.
    pub fn new(n: usize, m: usize, block: Dim2) -> Result<Grid2d, GpuError> {
        // TODO: refuse an empty block (`ZeroBlock`, x first) or one of more than
        // MAX_THREADS_PER_BLOCK threads (`BlockTooLarge`); then `blocks_for` along x for the
        // m columns, along y for the n rows.
        todo!(
            "exercise 1 (geometry): Grid2d::new: the grid of {block} blocks (at most \
             {MAX_THREADS_PER_BLOCK} threads) that covers a {n} × {m} output, x along the columns"
        )
    }
    // ANCHOR_END: grid2d_new

    /// The threads the launch runs, as (rows, columns): whole blocks, so at
    /// least n × m, and less than one block more along each axis.
    pub fn threads(&self) -> (usize, usize) {
        (
            self.grid.y as usize * self.block.y as usize,
            self.grid.x as usize * self.block.x as usize,
        )
    }

    /// Whether there is nothing to launch (n or m is 0): skip the launch.
    pub fn is_empty(&self) -> bool {
        self.grid.count() == 0
    }

    // ANCHOR: in_bounds
    /// The guard: whether the thread at row `i`, column `j` has an output
    /// element. The last blocks stick out past the edges; their extra
    /// threads must do nothing.
    pub fn in_bounds(&self, i: usize, j: usize) -> bool {
        // TODO: the guard: row i and column j both inside the n × m output.
        todo!(
            "exercise 1 (geometry): Grid2d::in_bounds: whether ({i}, {j}) is inside the {} × {} \
             output",
            self.n,
            self.m
        )
    }
    // ANCHOR_END: in_bounds
}

/// What a kernel body sees of itself: CUDA's `blockIdx`, `blockDim` and
/// `threadIdx` (in 2-D).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thread {
    /// The block's index in the grid (`blockIdx`).
    pub block_idx: Dim2,
    /// The block's size (`blockDim`).
    pub block_dim: Dim2,
    /// The thread's index in its block (`threadIdx`).
    pub thread_idx: Dim2,
}

impl Thread {
    /// The thread's global row: its global index along y.
    pub fn row(&self) -> usize {
        global_index(self.block_idx.y, self.block_dim.y, self.thread_idx.y)
    }

    /// The thread's global column: its global index along x.
    pub fn col(&self) -> usize {
        global_index(self.block_idx.x, self.block_dim.x, self.thread_idx.x)
    }
}

// ANCHOR: for_each_thread
/// Runs `body` once for every thread of a launch of `grid` blocks of `block`
/// threads, one after the other: what the GPU runs in parallel, emulated on
/// the CPU. Within a block, `thread_idx.x` varies fastest, as in a warp.
pub fn for_each_thread(grid: Dim2, block: Dim2, mut body: impl FnMut(Thread)) {
    // TODO: four nested loops: blocks along y, along x, then threads along y, along x (the
    // innermost, as a warp), calling `body` with each `Thread`. This stub runs the first
    // thread only, then stops.
    body(Thread {
        block_idx: Dim2::new(0, 0),
        block_dim: block,
        thread_idx: Dim2::new(0, 0),
    });
    todo!(
        "exercise 1 (geometry): for_each_thread: call the body once for each thread of {grid} \
         blocks of {block} threads"
    )
}
// ANCHOR_END: for_each_thread
