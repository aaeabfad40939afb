//! # Lab 4: task graphs
//!
//! dask's `delayed` in Rust: a lazy task graph, a scheduler on rayon's pool
//! that runs independent tasks at the same time and each task once, the
//! original course's first dask notebook as graphs, and the Cityblock matrix
//! computed chunk by chunk.
//!
//! Exercises, in order (one module, one test file each):
//! 1. [`order`]: dependencies checked, a topological order, cycles, levels,
//!    and the graph in Graphviz's DOT language;
//! 2. [`scheduler`]: running the graph on a pool, concurrently, each task
//!    once, a panic as an error;
//! 3. [`sleepy`]: the notebook's exercises (5, 285, 170) as graphs;
//! 4. [`chunked`]: Cityblock by chunks of rows;
//! 5. [`blocked`]: an array as a grid of chunks, made and reduced by tasks;
//! 6. [`outofcore`]: the mean of a stack of fields on disk, a block at a time;
//! 7. [`distributed`]: Cityblock on MPI ranks, a block of rows each (the
//!    `mpi` feature; `src/bin/mpi.rs` starts the program that `mpirun` runs).
//!
//! Given, in `src/given/` (not yours to edit): [`graph`], [`error`], [`kernel`],
//! [`npy`], [`trace`], and `mpi_main` (the program of exercise 7, with the `mpi`
//! feature).

pub mod blocked;
pub mod chunked;
pub mod distributed;
#[path = "given/error.rs"]
pub mod error;
#[path = "given/graph.rs"]
pub mod graph;
#[path = "given/kernel.rs"]
pub mod kernel;
#[cfg(feature = "mpi")]
#[path = "given/mpi_main.rs"]
pub mod mpi_main;
#[path = "given/npy.rs"]
pub mod npy;
pub mod order;
pub mod outofcore;
pub mod scheduler;
pub mod sleepy;
#[path = "given/trace.rs"]
pub mod trace;

pub use error::GraphError;
pub use graph::{Delayed, Graph, Value};
