//! CUDA's launch vocabulary and limits (given code): `Dim2` is the `dim3` of
//! CUDA C with z = 1, `Axis` names a grid dimension, and the constants are
//! CUDA's hardware limits (compute capability 3.0 and later).

use std::fmt;

/// The most blocks a grid may have along x: 2³¹ - 1.
pub const MAX_GRID_X: u32 = (1 << 31) - 1;
/// The most blocks a grid may have along y, and along z: 65535.
pub const MAX_GRID_YZ: u32 = 65_535;
/// The most threads a block may have, all dimensions together: 1024.
pub const MAX_THREADS_PER_BLOCK: u32 = 1024;
/// The threads that run one instruction together: a warp.
pub const WARP_SIZE: u32 = 32;

/// Two launch dimensions, as CUDA's `dim3` with `z = 1`: the size of a grid
/// (in blocks), of a block (in threads), or an index (`blockIdx`, `threadIdx`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Dim2 {
    /// Along x: the fastest-varying dimension (consecutive `threadIdx.x` form a warp).
    pub x: u32,
    /// Along y.
    pub y: u32,
}

impl Dim2 {
    /// `Dim2 { x, y }`.
    pub const fn new(x: u32, y: u32) -> Self {
        Dim2 { x, y }
    }

    /// x · y, without overflow.
    pub const fn count(self) -> u64 {
        self.x as u64 * self.y as u64
    }

    /// The `(x, y, z)` triple that a launch configuration takes (cudarc's
    /// `LaunchConfig { grid_dim, block_dim, .. }`).
    pub const fn as_dim3(self) -> (u32, u32, u32) {
        (self.x, self.y, 1)
    }
}

impl fmt::Display for Dim2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{}", self.x, self.y)
    }
}

/// A dimension of a grid: its limit differs (x: 2³¹ - 1 blocks, y and z: 65535).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Axis {
    /// x, the long one.
    X,
    /// y.
    Y,
    /// z.
    Z,
}

impl Axis {
    /// The most blocks a grid may have along this axis.
    pub const fn max_blocks(self) -> u32 {
        match self {
            Axis::X => MAX_GRID_X,
            Axis::Y | Axis::Z => MAX_GRID_YZ,
        }
    }
}

impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Axis::X => "x",
            Axis::Y => "y",
            Axis::Z => "z",
        })
    }
}
