//! Exercise 7: the host side. The CPU owns the GPU's memory and its work: it
//! copies x and y over, launches, and copies r back. [`Gpu`] itself (the
//! context, the stream, the compiled kernels) is given, in `given/runtime.rs`.
//!
//! Replace the `todo!()`s (marked `// TODO:`), then run `cargo test -p gpu --test host`
//! (and, on a machine with a GPU, with `-- --include-ignored`).
//!

use ndarray::ArrayView2;

use crate::error::GpuError;
use crate::kernels::Pairwise;
use crate::runtime::{DeviceMatrix, Gpu, config, cuda};

impl Gpu {
    // ANCHOR: upload
    /// Copies a matrix to the GPU (from pageable memory: see [`crate::transfers`]
    /// for pinned). Any layout: a non-contiguous view is copied to row-major first.
    pub fn upload(&self, a: ArrayView2<f64>) -> Result<DeviceMatrix, GpuError> {
        // TODO: the elements of `a` in row-major order (`as_standard_layout()`, then
        // `as_slice()`), room for them on the GPU (`self.alloc(len)`), then
        // `self.stream.memcpy_htod(elements, &mut data)` (skip the copy when there are none;
        // map the driver's error with `cuda("what you were doing")`).
        todo!(
            "exercise 7 (host): upload a {:?} matrix to the GPU",
            a.dim()
        )
    }
    // ANCHOR_END: upload

    /// r = dist(x, y) with a pairwise kernel, in a new n × m matrix on the GPU
    /// (from the memory pool, not zeroed: the kernel writes every element).
    /// Asynchronous: it returns once the launch is queued.
    pub fn pairwise(
        &self,
        kernel: Pairwise,
        x: &DeviceMatrix,
        y: &DeviceMatrix,
    ) -> Result<DeviceMatrix, GpuError> {
        check_pair_shapes(x.shape(), y.shape())?;
        // SAFETY: `pairwise_into`, called next, launches a kernel whose threads
        // cover every (i, j) of the n × m output and store r[i, j] (the emulator's
        // tests check that no element is left unwritten); nothing reads r before.
        let mut r = unsafe { self.alloc_matrix_uninit(x.rows, y.rows) }?;
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
        // TODO: check the shapes (check_pair_shapes, and r must be n × m), get the launch
        // shape (`kernel.launch(n, m)?`; skip an empty one), then
        // `self.stream.launch_builder(self.function(kernel.name())?)`, its six arguments in
        // the kernel's order (x, y, r as `&x.data`, `&y.data`, `&mut r.data`; n, m, d as u64
        // in local variables), and `unsafe { launch.launch(config(shape)) }` with a
        // `// SAFETY:` comment saying why the arguments fit the kernel. The builder's `arg`
        // comes from a trait: `use cudarc::driver::PushKernelArg;`.
        let _ = (x, y, r, config, cuda("launching"));
        todo!("exercise 7 (host): launch {} on the GPU", kernel.name())
    }
    // ANCHOR_END: pairwise_into
}

// ANCHOR: check_pair_shapes
/// Checks that x (n × d) and y (m × d) have the same d: the GPU would not
/// notice, it would read past the end of the shorter rows.
pub fn check_pair_shapes(x: (usize, usize), y: (usize, usize)) -> Result<(), GpuError> {
    // TODO: Ok(()) when x.1 == y.1 (the same d), else Err(GpuError::ShapeMismatch { x, y }).
    todo!("exercise 7 (host): check that x {x:?} and y {y:?} have the same number of columns")
}
// ANCHOR_END: check_pair_shapes
