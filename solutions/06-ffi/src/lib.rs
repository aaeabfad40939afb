//! # Lab 6: FFI, C and Fortran from Rust (solution)
//!
//! The Cityblock distance matrix `r[i, j] = Σ_k |x_ik - y_jk|` by kernels
//! written in C and in Fortran 90, as the original course's CFFI and F2PY labs
//! had them, called from Rust through safe wrappers that check what the
//! kernels take for granted: shapes, memory layout, sizes that fit in a C int.
//!
//! Exercises, in order (one module and one test file each):
//! 1. [`c_kernel`]: the `extern "C"` declaration of the C kernel and its safe wrapper;
//! 2. [`fortran`]: the Fortran kernel on column-major arrays, the input passed
//!    transposed without a copy, the result in Fortran order;
//! 3. [`precision`]: the single-precision kernel, and dispatch on precision.
//!
//! [`error`], [`openmp`] and [`testing`] are given, as are the C and Fortran
//! sources in `exercises/06-ffi/c` and `exercises/06-ffi/fortran`: the
//! solution uses the exercise's files themselves, so the two cannot drift.

pub mod c_kernel;
#[path = "../../../exercises/06-ffi/src/given/error.rs"]
pub mod error;
pub mod fortran;
#[path = "../../../exercises/06-ffi/src/given/openmp.rs"]
pub mod openmp;
pub mod precision;
#[path = "../../../exercises/06-ffi/src/given/testing.rs"]
pub mod testing;

pub use error::FfiError;
