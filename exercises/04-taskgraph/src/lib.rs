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
//!    `mpi` feature; `src/bin/mpi.rs` is the program `mpirun` starts).
//!
//! Given: [`graph`], [`error`], [`kernel`], [`npy`], [`trace`].

pub mod blocked;
pub mod chunked;
pub mod distributed;

pub mod error;

pub mod graph;

pub mod kernel;
pub mod npy;
pub mod order;
pub mod outofcore;
pub mod scheduler;
pub mod sleepy;
pub mod trace;

pub use error::GraphError;
pub use graph::{Delayed, Graph, Value};
