//! Exercise 8: transfers and timing. A launch returns before the kernel
//! runs, so a CPU clock around it measures nothing; CUDA events, recorded in
//! the stream between the pieces of work, measure the GPU's own time. And
//! data crosses PCIe (or NVLink-C2C) slower than the GPU computes, so the
//! copies are often the largest part of a call: copy once, keep the data on
//! the GPU. (solution)

use cudarc::driver::sys::CUevent_flags;

use crate::error::GpuError;
use crate::runtime::{Gpu, cuda};

pub use crate::copies::{HostMemory, TransferTiming};

// ANCHOR: gb_per_s
/// A bandwidth in GB/s (10⁹ bytes per second): `bytes` moved in `ms`
/// milliseconds. 0 when no time passed (nothing measurable was moved).
///
/// # Examples
///
/// ```
/// use gpu_solution::transfers::gb_per_s;
///
/// assert_eq!(gb_per_s(2_000_000_000, 1000.0), 2.0); // 2 GB in a second
/// assert_eq!(gb_per_s(8, 0.0), 0.0);
/// ```
pub fn gb_per_s(bytes: usize, ms: f64) -> f64 {
    if ms > 0.0 {
        bytes as f64 / (ms * 1e-3) / 1e9
    } else {
        0.0
    }
}
// ANCHOR_END: gb_per_s

// ANCHOR: transfer_share
/// The share of a call's time spent copying: transfer / (transfer + compute),
/// between 0 and 1 (0 when both are 0).
///
/// # Examples
///
/// ```
/// use gpu_solution::transfers::transfer_share;
///
/// assert_eq!(transfer_share(1.0, 3.0), 0.25);
/// assert_eq!(transfer_share(0.0, 0.0), 0.0);
/// ```
pub fn transfer_share(transfer_ms: f64, compute_ms: f64) -> f64 {
    let total = transfer_ms + compute_ms;
    if total > 0.0 {
        transfer_ms / total
    } else {
        0.0
    }
}
// ANCHOR_END: transfer_share

impl Gpu {
    // ANCHOR: time_ms
    /// Runs `work` (which queues work on this GPU's stream) and returns its
    /// result with the GPU's time for it, in milliseconds, from two CUDA
    /// events recorded before and after it in the stream.
    ///
    /// # Examples
    ///
    /// Needs a GPU (so compiled, not run, here):
    ///
    /// ```no_run
    /// use gpu_solution::{Gpu, Pairwise};
    /// use ndarray::Array2;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let gpu = Gpu::new()?;
    /// let x = gpu.upload(Array2::zeros((256, 3)).view())?;
    /// let (r, ms) = gpu.time_ms(|gpu| gpu.pairwise(Pairwise::CityblockNaive, &x, &x))?;
    /// assert_eq!(r.shape(), (256, 256));
    /// assert!(ms >= 0.0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn time_ms<T>(
        &self,
        work: impl FnOnce(&Gpu) -> Result<T, GpuError>,
    ) -> Result<(T, f64), GpuError> {
        // Events made with default flags: cudarc's `None` disables timing.
        let flags = Some(CUevent_flags::CU_EVENT_DEFAULT);
        let start = self
            .ctx
            .new_event(flags)
            .map_err(cuda("creating an event"))?;
        let end = self
            .ctx
            .new_event(flags)
            .map_err(cuda("creating an event"))?;
        start
            .record(&self.stream)
            .map_err(cuda("recording an event"))?;
        let result = work(self)?;
        end.record(&self.stream)
            .map_err(cuda("recording an event"))?;
        // The launches returned at once; wait for the GPU to reach `end`.
        end.synchronize().map_err(cuda("waiting for an event"))?;
        let ms = start.elapsed_ms(&end).map_err(cuda("reading the events"))?;
        Ok((result, f64::from(ms)))
    }
    // ANCHOR_END: time_ms
}
