//! How each kernel is launched: its grid and block (given code, built on
//! exercise 1's [`Grid2d`] and [`blocks_for`]). The GPU and the CPU emulator
//! both launch from here, so the tests check the same geometry the GPU runs.

use crate::dim::{Axis, Dim2};
use crate::error::GpuError;
use crate::geometry::{Grid2d, blocks_for};

/// The threads per block of the one-thread-per-output kernels: 32 along x (a
/// warp covers 32 consecutive columns of a row, so its stores are coalesced)
/// and 8 rows, 256 in all.
pub const PER_ELEMENT_BLOCK: Dim2 = Dim2::new(32, 8);

/// The tiled kernel's block: 16 × 16 threads (`TB` in cityblock_tiled.cu).
pub const TILED_BLOCK: Dim2 = Dim2::new(16, 16);
/// The tiled kernel's tile of r per block, along each axis (`TILE` = `TB * PT`
/// in cityblock_tiled.cu): each thread computes 4 × 4 outputs.
pub const TILE: usize = 64;

/// The threads per block of the one-thread-per-row kernels.
pub const PER_ROW_BLOCK: u32 = 256;

/// The block of `row_sq_norms` (`LANES` x `ROWS_PER_BLOCK` in trick.cu): a
/// warp of 32 threads along x shares one row of the matrix and strides over
/// its columns, so that each of its loads is 32 consecutive doubles
/// (coalesced), and 8 rows along y, 256 threads in all.
pub const ROW_NORMS_BLOCK: Dim2 = Dim2::new(32, 8);

/// A launch: `grid` blocks of `block` threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaunchShape {
    /// Blocks in the grid.
    pub grid: Dim2,
    /// Threads per block.
    pub block: Dim2,
}

impl LaunchShape {
    /// Whether there is nothing to launch (CUDA refuses a grid of 0 blocks).
    pub fn is_empty(&self) -> bool {
        self.grid.count() == 0
    }

    /// The threads the launch runs along x and y: whole blocks.
    pub fn threads(&self) -> (u64, u64) {
        (
            u64::from(self.grid.x) * u64::from(self.block.x),
            u64::from(self.grid.y) * u64::from(self.block.y),
        )
    }
}

/// One thread per element of an n × m output (x along the columns).
pub fn per_element(n: usize, m: usize) -> Result<LaunchShape, GpuError> {
    let grid = Grid2d::new(n, m, PER_ELEMENT_BLOCK)?;
    Ok(LaunchShape {
        grid: grid.grid,
        block: grid.block,
    })
}

/// One block per 64 × 64 tile of an n × m output.
pub fn tiled(n: usize, m: usize) -> Result<LaunchShape, GpuError> {
    let tile = TILE as u32;
    Ok(LaunchShape {
        grid: Dim2::new(blocks_for(m, tile, Axis::X)?, blocks_for(n, tile, Axis::Y)?),
        block: TILED_BLOCK,
    })
}

/// `row_sq_norms`: a warp per row ([`ROW_NORMS_BLOCK`]), 8 rows per block,
/// the blocks along x. At n = 5000 that is 625 blocks of 256 threads, about 5
/// per SM of an H100 (132 SMs): every SM busy, where one thread per row gave
/// 20 blocks.
pub fn row_norms(rows: usize) -> Result<LaunchShape, GpuError> {
    Ok(LaunchShape {
        grid: Dim2::new(blocks_for(rows, ROW_NORMS_BLOCK.y, Axis::X)?, 1),
        block: ROW_NORMS_BLOCK,
    })
}

/// One thread per row, `rows` rows, along x.
pub fn per_row(rows: usize) -> Result<LaunchShape, GpuError> {
    Ok(LaunchShape {
        grid: Dim2::new(blocks_for(rows, PER_ROW_BLOCK, Axis::X)?, 1),
        block: Dim2::new(PER_ROW_BLOCK, 1),
    })
}
