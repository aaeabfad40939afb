//! # Lab 5: GPU with cudarc
//!
//! A GPU runs one function, the kernel, on thousands of threads at once. This
//! lab computes the distance matrices of the course on an NVIDIA GPU with
//! cudarc: kernels in CUDA C compiled at run time by NVRTC, cuBLAS for the
//! trick, copies and their cost, timing with CUDA events, coalescing, and one
//! algorithm for the CPU and the GPU.
//!
//! No GPU? The tests still check everything a kernel computes: a CPU emulator
//! ([`emulator`]) runs the same CUDA C source, each GPU thread an OS thread,
//! and NVRTC compiles every kernel to PTX and to machine code for sm_80 and
//! sm_90 (its ptxas checks their limits). The tests marked
//! `#[ignore = "needs a CUDA GPU"]` run the rest on a machine with one:
//! `cargo test -p gpu -- --include-ignored`.
//!
//! ## How to work
//!
//! Each exercise is one module or kernel file and one test file. Replace every
//! `todo!()` (each is marked `// TODO:`; in the `.cu` files, the `// TODO:`
//! comments) and run that exercise's tests, e.g. `cargo test -p gpu --test naive`.
//! `cargo xtask progress` shows where you stand; the book's chapter "GPU with
//! cudarc" explains the ideas.
//!
//! Exercises, in order:
//! 1. [`geometry`]: the global index, the number of blocks, a 2-D grid for an
//!    n × m output, and a CPU emulator of a launch (test file `geometry`);
//! 2. [`device`]: is there a GPU, as a `Result` instead of a panic (`device`);
//! 3. `src/cuda/cityblock_naive.cu`, `src/cuda/sqeuclidean_naive.cu`: one
//!    thread per output (`naive`);
//! 4. `src/cuda/cityblock_tiled.cu`: shared memory and register tiles (`tiled`);
//! 5. [`blas`] and `src/cuda/trick.cu`: the trick with cuBLAS (`trick`);
//! 6. `src/cuda/gemv.cu`: coalescing, row- vs column-major (`coalescing`);
//! 7. [`host`]: copies, launches, shapes (`host`);
//! 8. [`transfers`]: pinned vs pageable, CUDA events (`transfers`);
//! 9. [`backend`]: one algorithm for the CPU and the GPU (`backend`).
//!
//! Given code, in `src/given/` (not yours to edit): [`dim`] (CUDA's launch
//! dimensions), [`error`], [`kernels`] (the `.cu` files, embedded), [`launch`]
//! (each kernel's grid and block), [`nvrtc`] (finding CUDA's libraries,
//! compiling), [`emulator`], [`runtime`] (the [`Gpu`]: context, stream,
//! compiled kernels, buffers), [`trick_kernels`] (the launches around cuBLAS),
//! [`copies`] (pinned and pageable copies), [`backend_api`] (the trait of
//! exercise 9, and the GPU's side of it), [`coalescing`] (the host side of
//! exercise 6) and [`testing`].

pub mod backend;
#[path = "given/backend_api.rs"]
pub mod backend_api;
pub mod blas;
#[path = "given/coalescing.rs"]
pub mod coalescing;
#[path = "given/copies.rs"]
pub mod copies;
pub mod device;
#[path = "given/dim.rs"]
pub mod dim;
#[path = "given/emulator.rs"]
pub mod emulator;
#[path = "given/error.rs"]
pub mod error;
pub mod geometry;
pub mod host;
#[path = "given/kernels.rs"]
pub mod kernels;
#[path = "given/launch.rs"]
pub mod launch;
#[path = "given/nvrtc.rs"]
pub mod nvrtc;
#[path = "given/runtime.rs"]
pub mod runtime;
#[path = "given/testing.rs"]
pub mod testing;
pub mod transfers;
#[path = "given/trick_kernels.rs"]
pub mod trick_kernels;

pub use dim::{Axis, Dim2};
pub use error::GpuError;
pub use kernels::Pairwise;
pub use runtime::{DeviceMatrix, DeviceVector, Gpu};
