//! Copies between the host and the GPU, timed (given code): pageable and
//! pinned host memory, with exercise 8's [`Gpu::time_ms`].

use cudarc::driver::{CudaSlice, HostSlice};

use crate::error::GpuError;
use crate::runtime::{Gpu, cuda};

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

impl Gpu {
    /// Copies `data` to the GPU and back, through `memory`: the round trip
    /// of the transfer benchmark, checked by the tests.
    pub fn round_trip(&self, data: &[f64], memory: HostMemory) -> Result<Vec<f64>, GpuError> {
        if data.is_empty() {
            return Ok(Vec::new());
        }
        let mut device = self.alloc(data.len())?;
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

    /// Times copying `len` doubles (at least 1) to the GPU and back, from `memory`.
    pub fn time_transfers(
        &self,
        len: usize,
        memory: HostMemory,
    ) -> Result<TransferTiming, GpuError> {
        // Host and device sides the same length: cudarc asserts the destination is long enough.
        let len = len.max(1);
        let mut device = self.alloc(len)?;
        let bytes = len * size_of::<f64>();
        let (to_device_ms, to_host_ms) = match memory {
            HostMemory::Pageable => self.time_both_ways(&mut vec![1.0_f64; len], &mut device)?,
            HostMemory::Pinned => self.time_both_ways(&mut self.pinned(len)?, &mut device)?,
        };
        Ok(TransferTiming {
            bytes,
            memory,
            to_device_ms,
            to_host_ms,
        })
    }

    // ANCHOR: pinned
    /// The GPU's time for copying `host` to `device`, then back.
    fn time_both_ways<H: HostSlice<f64> + ?Sized>(
        &self,
        host: &mut H,
        device: &mut CudaSlice<f64>,
    ) -> Result<(f64, f64), GpuError> {
        let ((), to_device) = self.time_ms(|gpu| {
            gpu.stream
                .memcpy_htod(host, device)
                .map_err(cuda("copying to the GPU"))
        })?;
        let ((), to_host) = self.time_ms(|gpu| {
            gpu.stream
                .memcpy_dtoh(device, host)
                .map_err(cuda("copying back"))
        })?;
        Ok((to_device, to_host))
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
    // ANCHOR_END: pinned
}
