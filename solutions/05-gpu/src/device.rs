//! Exercise 2: is there a GPU? (solution)

use crate::error::GpuError;

// ANCHOR: cuda_available
/// `Ok(())` when the CUDA driver library can be loaded, `Err(GpuError::NoCudaDriver)`
/// when it cannot. Ask before any other cudarc call: with `dynamic-loading`,
/// cudarc loads libcuda on first use and panics when it is missing.
///
/// # Examples
///
/// Never a panic, with or without a GPU:
///
/// ```
/// use gpu_solution::GpuError;
/// use gpu_solution::device::cuda_available;
///
/// match cuda_available() {
///     Ok(()) => println!("the CUDA driver is installed"),
///     Err(error) => assert_eq!(error, GpuError::NoCudaDriver),
/// }
/// ```
pub fn cuda_available() -> Result<(), GpuError> {
    // SAFETY: `is_culib_present` tries to load libcuda (and drops it at once): loading a
    // library runs its initialisers, which is why it is `unsafe`. libcuda is the NVIDIA
    // driver's own library, whose initialisers are meant to run in any process using CUDA.
    let present = unsafe { cudarc::driver::sys::is_culib_present() };
    if present {
        Ok(())
    } else {
        Err(GpuError::NoCudaDriver)
    }
}
// ANCHOR_END: cuda_available
