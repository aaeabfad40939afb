//! Exercise 8: transfers and timing. A launch returns before the kernel
//! runs, so a CPU clock around it measures nothing; CUDA events, recorded in
//! the stream between the pieces of work, measure the GPU's own time. And
//! data crosses PCIe (or NVLink-C2C) slower than the GPU computes, so the
//! copies are often the largest part of a call: copy once, keep the data on
//! the GPU. The copies themselves are given, in `given/copies.rs`.
//!
//! Replace the `todo!()`s (marked `// TODO:`), then run `cargo test -p gpu --test transfers`.

use cudarc::driver::sys::CUevent_flags;

use crate::error::GpuError;
use crate::runtime::{Gpu, cuda};

pub use crate::copies::{HostMemory, TransferTiming};

// ANCHOR: gb_per_s
/// A bandwidth in GB/s (10⁹ bytes per second): `bytes` moved in `ms`
/// milliseconds. 0 when no time passed (nothing measurable was moved).
pub fn gb_per_s(bytes: usize, ms: f64) -> f64 {
    // TODO: bytes / seconds / 10⁹, and 0.0 when ms is not above 0.
    todo!("exercise 8 (transfers): {bytes} bytes in {ms} ms, in GB/s")
}
// ANCHOR_END: gb_per_s

// ANCHOR: transfer_share
/// The share of a call's time spent copying: transfer / (transfer + compute),
/// between 0 and 1 (0 when both are 0).
pub fn transfer_share(transfer_ms: f64, compute_ms: f64) -> f64 {
    // TODO: transfer / (transfer + compute), and 0.0 when the total is 0.
    todo!(
        "exercise 8 (transfers): the share of {transfer_ms} ms of copies in {transfer_ms} + \
         {compute_ms} ms"
    )
}
// ANCHOR_END: transfer_share

impl Gpu {
    // ANCHOR: time_ms
    /// Runs `work` (which queues work on this GPU's stream) and returns its
    /// result with the GPU's time for it, in milliseconds, from two CUDA
    /// events recorded before and after it in the stream.
    pub fn time_ms<T>(
        &self,
        work: impl FnOnce(&Gpu) -> Result<T, GpuError>,
    ) -> Result<(T, f64), GpuError> {
        // TODO: two events with `self.ctx.new_event(Some(CUevent_flags::CU_EVENT_DEFAULT))`
        // (cudarc's `None` makes events that cannot time), `start.record(&self.stream)`, the
        // work, `end.record(..)`, `end.synchronize()` (the launches returned long ago; the
        // GPU may still be busy), then `start.elapsed_ms(&end)` (an f32: `f64::from` it).
        // Map each driver error with `cuda("...")`.
        let _ = (work, CUevent_flags::CU_EVENT_DEFAULT, cuda("timing"));
        todo!("exercise 8 (transfers): time GPU work with CUDA events")
    }
    // ANCHOR_END: time_ms
}
