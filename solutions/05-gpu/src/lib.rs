//! # Lab 5: GPU with cudarc (solution)
//!
//! The distance matrices of the course on an NVIDIA GPU: kernels in CUDA C
//! compiled at run time by NVRTC, cuBLAS for the trick, copies and their
//! cost, timing with CUDA events, coalescing, and one algorithm for the CPU
//! and the GPU. Everything a kernel computes is also checked without a GPU,
//! by a CPU emulator that runs the same CUDA C source.
//!
//! Exercises, in order (one module or kernel file, one test file each):
//! 1. [`geometry`]: the launch geometry (global index, blocks, 2-D grids);
//! 2. [`device`]: is there a GPU, as a `Result` instead of a panic;
//! 3. `src/cuda/cityblock_naive.cu`, `src/cuda/sqeuclidean_naive.cu`: one
//!    thread per output (test file `naive`);
//! 4. `src/cuda/cityblock_tiled.cu`: shared memory and register tiles (`tiled`);
//! 5. [`blas`] and `src/cuda/trick.cu`: the trick with cuBLAS (`trick`);
//! 6. `src/cuda/gemv.cu`: coalescing, row- vs column-major (`coalescing`);
//! 7. [`host`]: copies, launches, shapes (`host`);
//! 8. [`transfers`]: pinned vs pageable, CUDA events (`transfers`);
//! 9. [`backend`]: one algorithm for the CPU and the GPU (`backend`).
//!
//! Given code, shared with the exercises (`exercises/05-gpu/src/given/`):
//! [`dim`], [`error`], [`kernels`], [`launch`], [`nvrtc`], [`emulator`],
//! [`runtime`], [`trick_kernels`], [`copies`], [`backend_api`], [`coalescing`],
//! [`testing`].

pub mod backend;
#[path = "../../../exercises/05-gpu/src/given/backend_api.rs"]
pub mod backend_api;
pub mod blas;
#[path = "../../../exercises/05-gpu/src/given/coalescing.rs"]
pub mod coalescing;
#[path = "../../../exercises/05-gpu/src/given/copies.rs"]
pub mod copies;
pub mod device;
#[path = "../../../exercises/05-gpu/src/given/dim.rs"]
pub mod dim;
#[path = "../../../exercises/05-gpu/src/given/emulator.rs"]
pub mod emulator;
#[path = "../../../exercises/05-gpu/src/given/error.rs"]
pub mod error;
pub mod geometry;
pub mod host;
#[path = "../../../exercises/05-gpu/src/given/kernels.rs"]
pub mod kernels;
#[path = "../../../exercises/05-gpu/src/given/launch.rs"]
pub mod launch;
#[path = "../../../exercises/05-gpu/src/given/nvrtc.rs"]
pub mod nvrtc;
#[path = "../../../exercises/05-gpu/src/given/runtime.rs"]
pub mod runtime;
#[path = "../../../exercises/05-gpu/src/given/testing.rs"]
pub mod testing;
pub mod transfers;
#[path = "../../../exercises/05-gpu/src/given/trick_kernels.rs"]
pub mod trick_kernels;

pub use dim::{Axis, Dim2};
pub use error::GpuError;
pub use kernels::Pairwise;
pub use runtime::{DeviceMatrix, DeviceVector, Gpu};
