//! Exercise 1: the launch geometry of a CUDA kernel (solution).

use crate::dim::{Axis, Dim2, MAX_THREADS_PER_BLOCK};
use crate::error::GpuError;

// ANCHOR: global_index
/// The global index of a thread along one axis:
/// `blockIdx.x * blockDim.x + threadIdx.x` in CUDA C.
///
/// Computed in `usize`: in `u32` the product overflows past 2³² threads.
///
/// # Examples
///
/// ```
/// use gpu_solution::geometry::global_index;
///
/// // Thread 5 of block 2, blocks of 128 threads.
/// assert_eq!(global_index(2, 128, 5), 261);
/// // Past 2³² threads: no overflow.
/// assert_eq!(global_index(u32::MAX, 2, 1), 2 * u32::MAX as usize + 1);
/// ```
pub fn global_index(block_idx: u32, block_dim: u32, thread_idx: u32) -> usize {
    block_idx as usize * block_dim as usize + thread_idx as usize
}
// ANCHOR_END: global_index

// ANCHOR: blocks_for
/// The blocks of `block` threads needed to cover `n` elements along `axis`:
/// ⌈n / block⌉, which is `(n + block - 1) / block`. `n = 0` needs 0 blocks
/// (and no launch: CUDA refuses a grid with 0 blocks).
///
/// # Examples
///
/// ```
/// use gpu_solution::{Axis, GpuError};
/// use gpu_solution::geometry::blocks_for;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// assert_eq!(blocks_for(1000, 256, Axis::X)?, 4); // 1024 threads, 24 idle
/// assert_eq!(blocks_for(0, 256, Axis::X)?, 0);
/// assert!(matches!(blocks_for(10, 0, Axis::Y), Err(GpuError::ZeroBlock { axis: Axis::Y })));
/// # Ok(())
/// # }
/// ```
pub fn blocks_for(n: usize, block: u32, axis: Axis) -> Result<u32, GpuError> {
    if block == 0 {
        return Err(GpuError::ZeroBlock { axis });
    }
    let blocks = n.div_ceil(block as usize);
    match u32::try_from(blocks) {
        Ok(blocks) if blocks <= axis.max_blocks() => Ok(blocks),
        _ => Err(GpuError::GridTooLarge {
            axis,
            n,
            block,
            blocks: blocks as u64,
        }),
    }
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
    ///
    /// # Examples
    ///
    /// ```
    /// use gpu_solution::{Dim2, GpuError};
    /// use gpu_solution::geometry::Grid2d;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// // 5 rows and 100 columns, blocks of 32 × 8 threads.
    /// let grid = Grid2d::new(5, 100, Dim2::new(32, 8))?;
    /// assert_eq!(grid.grid, Dim2::new(4, 1)); // x along the columns
    /// assert_eq!(grid.threads(), (8, 128));
    ///
    /// let too_big = Grid2d::new(5, 100, Dim2::new(64, 32)); // 2048 threads per block
    /// assert!(matches!(too_big, Err(GpuError::BlockTooLarge { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(n: usize, m: usize, block: Dim2) -> Result<Grid2d, GpuError> {
        if block.x == 0 {
            return Err(GpuError::ZeroBlock { axis: Axis::X });
        }
        if block.y == 0 {
            return Err(GpuError::ZeroBlock { axis: Axis::Y });
        }
        if block.count() > u64::from(MAX_THREADS_PER_BLOCK) {
            return Err(GpuError::BlockTooLarge { block });
        }
        let grid = Dim2::new(
            blocks_for(m, block.x, Axis::X)?,
            blocks_for(n, block.y, Axis::Y)?,
        );
        Ok(Grid2d { n, m, grid, block })
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
    ///
    /// # Examples
    ///
    /// ```
    /// use gpu_solution::Dim2;
    /// use gpu_solution::geometry::Grid2d;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let grid = Grid2d::new(5, 100, Dim2::new(32, 8))?;
    /// assert!(grid.in_bounds(4, 99));
    /// assert!(!grid.in_bounds(5, 0)); // row 5 of the 8 launched
    /// assert!(!grid.in_bounds(0, 100));
    /// # Ok(())
    /// # }
    /// ```
    pub fn in_bounds(&self, i: usize, j: usize) -> bool {
        i < self.n && j < self.m
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
///
/// # Examples
///
/// ```
/// use gpu_solution::Dim2;
/// use gpu_solution::geometry::for_each_thread;
///
/// let mut columns = Vec::new();
/// for_each_thread(Dim2::new(2, 1), Dim2::new(3, 1), |thread| columns.push(thread.col()));
/// assert_eq!(columns, [0, 1, 2, 3, 4, 5]);
/// ```
pub fn for_each_thread(grid: Dim2, block: Dim2, mut body: impl FnMut(Thread)) {
    for by in 0..grid.y {
        for bx in 0..grid.x {
            for ty in 0..block.y {
                for tx in 0..block.x {
                    body(Thread {
                        block_idx: Dim2::new(bx, by),
                        block_dim: block,
                        thread_idx: Dim2::new(tx, ty),
                    });
                }
            }
        }
    }
}
// ANCHOR_END: for_each_thread
