//! Exercise 7: the host side. The CPU owns the GPU's memory and its work: it
//! copies x and y over, launches, and copies r back. [`Gpu`] itself (the
//! context, the stream, the compiled kernels) is given, in `given/runtime.rs`.
//! (solution)

use cudarc::driver::PushKernelArg;
use ndarray::ArrayView2;

use crate::error::GpuError;
use crate::kernels::Pairwise;
use crate::runtime::{DeviceMatrix, Gpu, config, cuda};

impl Gpu {
    // ANCHOR: upload
    /// Copies a matrix to the GPU (from pageable memory: see [`crate::transfers`]
    /// for pinned). Any layout: a non-contiguous view is copied to row-major first.
    pub fn upload(&self, a: ArrayView2<f64>) -> Result<DeviceMatrix, GpuError> {
        let (rows, cols) = a.dim();
        let host = a.as_standard_layout();
        let elements = host.as_slice().expect("standard layout is contiguous");
        let mut data = self.alloc(elements.len())?;
        if !elements.is_empty() {
            self.stream
                .memcpy_htod(elements, &mut data)
                .map_err(cuda(format!("copying a {rows}×{cols} matrix to the GPU")))?;
        }
        Ok(DeviceMatrix { data, rows, cols })
    }
    // ANCHOR_END: upload

    /// r = dist(x, y) with a pairwise kernel, in a new n × m matrix on the GPU.
    /// Asynchronous: it returns once the launch is queued.
    pub fn pairwise(
        &self,
        kernel: Pairwise,
        x: &DeviceMatrix,
        y: &DeviceMatrix,
    ) -> Result<DeviceMatrix, GpuError> {
        check_pair_shapes(x.shape(), y.shape())?;
        let mut r = DeviceMatrix {
            data: self.alloc(x.rows * y.rows)?,
            rows: x.rows,
            cols: y.rows,
        };
        self.pairwise_into(kernel, x, y, &mut r)?;
        Ok(r)
    }

    // ANCHOR: pairwise_into
    /// r = dist(x, y) into an existing n × m matrix: no allocation, so this
    /// is what the benchmarks time.
    pub fn pairwise_into(
        &self,
        kernel: Pairwise,
        x: &DeviceMatrix,
        y: &DeviceMatrix,
        r: &mut DeviceMatrix,
    ) -> Result<(), GpuError> {
        check_pair_shapes(x.shape(), y.shape())?;
        let (n, d) = x.shape();
        let m = y.rows;
        if r.shape() != (n, m) {
            return Err(GpuError::ShapeMismatch {
                x: r.shape(),
                y: (n, m),
            });
        }
        let shape = kernel.launch(n, m)?;
        if shape.is_empty() {
            return Ok(());
        }
        let (n, m, d) = (n as u64, m as u64, d as u64);
        let function = self.function(kernel.name())?;
        let mut launch = self.stream.launch_builder(function);
        launch
            .arg(&x.data)
            .arg(&y.data)
            .arg(&mut r.data)
            .arg(&n)
            .arg(&m)
            .arg(&d);
        // SAFETY: the arguments match the kernel's signature in src/cuda/*.cu,
        // (const double* x, const double* y, double* r, u64 n, u64 m, u64 d);
        // x, y and r hold n·d, m·d and n·m doubles, and the kernel reads and
        // writes them only within those bounds (its guards are checked by the
        // emulator's tests). cudarc orders the launch after the copies that
        // wrote x and y, and keeps the buffers alive until it is done.
        unsafe { launch.launch(config(shape)) }
            .map_err(cuda(format!("launching {}", kernel.name())))?;
        Ok(())
    }
    // ANCHOR_END: pairwise_into
}

// ANCHOR: check_pair_shapes
/// Checks that x (n × d) and y (m × d) have the same d: the GPU would not
/// notice, it would read past the end of the shorter rows.
pub fn check_pair_shapes(x: (usize, usize), y: (usize, usize)) -> Result<(), GpuError> {
    if x.1 == y.1 {
        Ok(())
    } else {
        Err(GpuError::ShapeMismatch { x, y })
    }
}
// ANCHOR_END: check_pair_shapes
