//! Exercise 8: transfers and timing. A launch returns before the kernel
//! runs, so a CPU clock around it measures nothing; CUDA events, recorded in
//! the stream between the pieces of work, measure the GPU's own time. And
//! data crosses PCIe (or NVLink-C2C) slower than the GPU computes, so the
//! copies are often the largest part of a call: copy once, keep the data on
//! the GPU.
//!
//! Replace the `todo!()`s (marked `// TODO:`), then run `cargo test -p gpu --test transfers`.

use cudarc::driver::sys::CUevent_flags;

use crate::error::GpuError;
use crate::host::{Gpu, cuda};

/// Where the host side of a copy lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostMemory {
    /// Ordinary memory, which the OS may move or swap: the driver first
    /// copies it into a pinned staging buffer of its own.
    Pageable,
    /// Page-locked memory (`cuMemHostAlloc`): the GPU's copy engine reads it
    /// directly (DMA).
    Pinned,
}

/// The GPU's time for copying `bytes` one way and back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TransferTiming {
    /// The bytes copied each way.
    pub bytes: usize,
    /// From which host memory.
    pub memory: HostMemory,
    /// Host to device, in milliseconds.
    pub to_device_ms: f64,
    /// Device to host, in milliseconds.
    pub to_host_ms: f64,
}

// ANCHOR: gb_per_s
/// A bandwidth in GB/s (10⁹ bytes per second): `bytes` moved in `ms`
/// milliseconds. 0 when no time passed (nothing measurable was moved).
pub fn gb_per_s(bytes: usize, ms: f64) -> f64 {
    // TODO: bytes / seconds / 10⁹, and 0.0 when ms is not above 0.
    todo!("{bytes} bytes in {ms} ms, in GB/s")
}
// ANCHOR_END: gb_per_s

// ANCHOR: transfer_share
/// The share of a call's time spent copying: transfer / (transfer + compute),
/// between 0 and 1 (0 when both are 0).
pub fn transfer_share(transfer_ms: f64, compute_ms: f64) -> f64 {
    // TODO: transfer / (transfer + compute), and 0.0 when the total is 0.
    todo!("the share of {transfer_ms} ms of copies in {transfer_ms} + {compute_ms} ms")
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
        // GPU may still be busy), then `start.elapsed_ms(&end)`.
        let _ = (work, CUevent_flags::CU_EVENT_DEFAULT);
        todo!("time GPU work with CUDA events")
    }
    // ANCHOR_END: time_ms

    /// Copies `data` to the GPU and back, through `memory`: the round trip
    /// of the transfer benchmark, checked by the tests.
    pub fn round_trip(&self, data: &[f64], memory: HostMemory) -> Result<Vec<f64>, GpuError> {
        let mut device = self.alloc(data.len())?;
        if data.is_empty() {
            return Ok(Vec::new());
        }
        match memory {
            HostMemory::Pageable => {
                self.stream
                    .memcpy_htod(data, &mut device)
                    .map_err(cuda("copying to the GPU"))?;
                let back = self
                    .stream
                    .clone_dtoh(&device)
                    .map_err(cuda("copying back"))?;
                self.synchronize()?;
                Ok(back)
            }
            HostMemory::Pinned => {
                let mut pinned = self.pinned(data.len())?;
                pinned
                    .as_mut_slice()
                    .map_err(cuda("writing pinned memory"))?
                    .copy_from_slice(data);
                self.stream
                    .memcpy_htod(&pinned, &mut device)
                    .map_err(cuda("copying to the GPU"))?;
                self.stream
                    .memcpy_dtoh(&device, &mut pinned)
                    .map_err(cuda("copying back"))?;
                self.synchronize()?;
                Ok(pinned
                    .as_slice()
                    .map_err(cuda("reading pinned memory"))?
                    .to_vec())
            }
        }
    }

    /// Times copying `len` doubles to the GPU and back, from `memory`.
    pub fn time_transfers(
        &self,
        len: usize,
        memory: HostMemory,
    ) -> Result<TransferTiming, GpuError> {
        let mut device = self.alloc(len.max(1))?;
        let bytes = len * size_of::<f64>();
        let (to_device_ms, to_host_ms) = match memory {
            HostMemory::Pageable => {
                let mut host = vec![1.0_f64; len];
                let ((), to_device) = self.time_ms(|gpu| {
                    gpu.stream
                        .memcpy_htod(&host, &mut device)
                        .map_err(cuda("copying to the GPU"))
                })?;
                let ((), to_host) = self.time_ms(|gpu| {
                    gpu.stream
                        .memcpy_dtoh(&device, &mut host)
                        .map_err(cuda("copying back"))
                })?;
                (to_device, to_host)
            }
            HostMemory::Pinned => {
                let mut host = self.pinned(len)?;
                let ((), to_device) = self.time_ms(|gpu| {
                    gpu.stream
                        .memcpy_htod(&host, &mut device)
                        .map_err(cuda("copying to the GPU"))
                })?;
                let ((), to_host) = self.time_ms(|gpu| {
                    gpu.stream
                        .memcpy_dtoh(&device, &mut host)
                        .map_err(cuda("copying back"))
                })?;
                (to_device, to_host)
            }
        };
        Ok(TransferTiming {
            bytes,
            memory,
            to_device_ms,
            to_host_ms,
        })
    }

    /// `len` doubles of zeroed, page-locked host memory. Not write-combined
    /// (cudarc's `alloc_pinned` default): the CPU reads results back from it,
    /// and reading write-combined memory is very slow.
    fn pinned(&self, len: usize) -> Result<cudarc::driver::PinnedHostSlice<f64>, GpuError> {
        // SAFETY: the memory is uninitialised; it is zeroed before any read.
        let mut pinned = unsafe { self.ctx.alloc_pinned_with_flags::<f64>(len.max(1), 0) }
            .map_err(cuda(format!("allocating {len} pinned doubles")))?;
        pinned
            .as_mut_slice()
            .map_err(cuda("writing pinned memory"))?
            .fill(0.0);
        Ok(pinned)
    }
}
