//! # Lab 6: FFI, C and Fortran from Rust
//!
//! The Cityblock distance matrix `r[i, j] = Σ_k |x_ik - y_jk|` by kernels
//! written in C and in Fortran 90, as the original course's CFFI and F2PY labs
//! had them, called from Rust through safe wrappers that check what the
//! kernels take for granted: shapes, memory layout, sizes that fit in a C int.
//!
//! ## How to work
//!
//! The C and Fortran are given (`c/`, `fortran/`; `build.rs` compiles them):
//! you write the Rust side. Each module is one exercise with one test file.
//! Replace every `todo!()` (each is marked `// TODO:`) and run that
//! exercise's tests, e.g. `cargo test -p ffi --test c_kernel`.
//! `cargo xtask progress` shows where you stand; the book's chapter "FFI"
//! explains the ideas, and `cargo bench -p ffi --bench ffi` measures the kernels.
//!
//! Exercises, in order:
//! 1. [`c_kernel`]: the `extern "C"` declaration of the C kernel and its safe wrapper;
//! 2. [`fortran`]: the Fortran kernel on column-major arrays, the input passed
//!    transposed without a copy, the result in Fortran order;
//! 3. [`precision`]: the single-precision kernel, and dispatch on precision.
//!
//! The Fortran part needs gfortran; without it the crate builds, the Fortran
//! wrappers return [`FfiError::FortranUnavailable`], and the tests that need
//! it report themselves skipped with the command that installs it on your
//! system (the build's warning says it too).
//!
//! [`error`], [`openmp`] and [`testing`] are given.

pub mod c_kernel;
#[path = "given/error.rs"]
pub mod error;
pub mod fortran;
#[path = "given/openmp.rs"]
pub mod openmp;
pub mod precision;
#[path = "given/testing.rs"]
pub mod testing;

pub use error::FfiError;
