//! # Lab 5: GPU with cudarc
//!
//! A GPU runs one function, the kernel, on thousands of threads at once. This
//! lab computes the distance matrices of the course on an NVIDIA GPU with
//! cudarc; its first step is the launch geometry: which thread computes which
//! element, and how many blocks of threads a launch needs. That part is plain
//! arithmetic, checked here on the CPU, with no GPU.
//!
//! ## How to work
//!
//! Each module is one exercise with one test file. Replace every `todo!()`
//! (each is marked `// TODO:`) and run that exercise's tests, e.g.
//! `cargo test -p gpu --test geometry`. `cargo xtask progress` shows where
//! you stand; the book's chapter "GPU with cudarc" explains the ideas.
//!
//! Exercises, in order:
//! 1. [`geometry`]: the global index, the number of blocks, a 2-D grid for an
//!    n × m output, and a CPU emulator that runs a kernel body on every thread;
//! 2. [`device`]: whether there is a CUDA driver, as a `Result` instead of a panic.
//!
//! [`dim`] (CUDA's launch dimensions and limits) and [`error`] are given.

pub mod device;
pub mod dim;
pub mod error;
pub mod geometry;

pub use dim::{Axis, Dim2};
pub use error::GpuError;
