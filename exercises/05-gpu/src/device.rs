//! Exercise 2: is there a GPU?
//!
//! cudarc, built with `dynamic-loading`, loads the CUDA driver library
//! (libcuda) the first time it needs it, and **panics** when it is missing.
//! A program (and a test) that may run on a machine without a GPU asks first,
//! and gets an error it can report.
//!
//! Replace the `todo!()` (marked `// TODO:`), then run
//! `cargo test -p gpu --test device`.

use crate::error::GpuError;

// ANCHOR: cuda_available
/// `Ok(())` when the CUDA driver library can be loaded, `Err(GpuError::NoCudaDriver)`
/// when it cannot. Ask before any other cudarc call: with `dynamic-loading`,
/// cudarc loads libcuda on first use and panics when it is missing.
pub fn cuda_available() -> Result<(), GpuError> {
    // TODO: ask `cudarc::driver::sys::is_culib_present()` (an `unsafe fn`: call it in an
    // `unsafe` block with a `// SAFETY:` comment) and turn `false` into `GpuError::NoCudaDriver`.
    todo!(
        "exercise 2 (device): cuda_available: whether the CUDA driver library (libcuda) can \
         be loaded"
    )
}
// ANCHOR_END: cuda_available
