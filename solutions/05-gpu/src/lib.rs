//! # Lab 5: GPU with cudarc (solution)
//!
//! The first step of the GPU lab: the launch geometry of a kernel (grid,
//! blocks, threads, the global index and its bounds guard), computed and
//! checked on the CPU, and a probe for the CUDA driver that answers with a
//! `Result` instead of cudarc's panic.
//!
//! Exercises, in order (one module and one test file each):
//! 1. [`geometry`]: the global index, the number of blocks, a 2-D grid for an
//!    n × m output, and a CPU emulator that runs a kernel body on every thread;
//! 2. [`device`]: whether there is a CUDA driver, as a `Result` instead of a panic.
//!
//! [`dim`] and [`error`] are given: the solution uses the exercise's files
//! themselves, so the two cannot drift.

pub mod device;
#[path = "../../../exercises/05-gpu/src/dim.rs"]
pub mod dim;
#[path = "../../../exercises/05-gpu/src/error.rs"]
pub mod error;
pub mod geometry;

pub use dim::{Axis, Dim2};
pub use error::GpuError;
