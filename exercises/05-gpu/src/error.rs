//! The typed errors of lab 5 (given code). Every message names the sizes that
//! were wrong and what to do about them.

use std::fmt;

use crate::dim::{Axis, Dim2, MAX_THREADS_PER_BLOCK};

/// Why a launch geometry (or, later, a GPU call) was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GpuError {
    /// A block with 0 threads along an axis: it launches nothing.
    ZeroBlock {
        /// The axis whose block size is 0.
        axis: Axis,
    },
    /// A block with more than 1024 threads in all.
    BlockTooLarge {
        /// The block asked for.
        block: Dim2,
    },
    /// More blocks along an axis than CUDA allows (2³¹ - 1 along x, 65535 along y and z).
    GridTooLarge {
        /// The axis.
        axis: Axis,
        /// The elements to cover along it.
        n: usize,
        /// The threads per block along it.
        block: u32,
        /// The blocks that would take: ⌈n / block⌉.
        blocks: u64,
    },
    /// The CUDA driver library (libcuda) could not be loaded: no NVIDIA GPU,
    /// or no driver for it.
    NoCudaDriver,
}

impl fmt::Display for GpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GpuError::ZeroBlock { axis } => write!(
                f,
                "the block has 0 threads along {axis}, so the launch would run nothing: give \
                 every axis at least 1 thread (the usual choice is a multiple of the warp size, \
                 32, e.g. 256, or 16×16 in 2-D)"
            ),
            GpuError::BlockTooLarge { block } => write!(
                f,
                "a block of {block} = {} threads is more than CUDA's {MAX_THREADS_PER_BLOCK} \
                 threads per block: use a smaller block, e.g. 16×16 = 256 or 32×32 = 1024",
                block.count()
            ),
            GpuError::GridTooLarge {
                axis,
                n,
                block,
                blocks,
            } => write!(
                f,
                "{n} elements along {axis} in blocks of {block} threads need {blocks} blocks, \
                 more than CUDA's {} blocks along {axis}: use bigger blocks, put the long side \
                 on x (up to 2³¹ - 1 blocks), or let each thread loop over several elements (a \
                 grid-stride loop)",
                axis.max_blocks()
            ),
            GpuError::NoCudaDriver => write!(
                f,
                "no CUDA driver: the NVIDIA driver's library (libcuda.so on Linux, nvcuda.dll on \
                 Windows) could not be loaded, so there is no GPU to run on. Either this machine \
                 has no NVIDIA GPU or its driver is not installed (`nvidia-smi` should list the \
                 GPU). The GPU tests are `#[ignore = \"needs a CUDA GPU\"]`: run them on a \
                 machine with one, with `cargo test -p gpu -- --ignored`; the CPU parts of the \
                 lab need no GPU"
            ),
        }
    }
}

impl std::error::Error for GpuError {}
