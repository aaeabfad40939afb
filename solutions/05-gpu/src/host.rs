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
    ///
    /// # Examples
    ///
    /// Needs a GPU (so compiled, not run, here):
    ///
    /// ```no_run
    /// use gpu_solution::Gpu;
    /// use ndarray::array;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let gpu = Gpu::new()?;
    /// let a = array![[1.0, 2.0], [3.0, 4.0]];
    /// let on_gpu = gpu.upload(a.t())?; // a transposed view: copied to row-major first
    /// assert_eq!(on_gpu.shape(), (2, 2));
    /// assert_eq!(gpu.download(&on_gpu)?, array![[1.0, 3.0], [2.0, 4.0]]);
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// # Examples
    ///
    /// Needs a GPU (so compiled, not run, here):
    ///
    /// ```no_run
    /// use gpu_solution::{Gpu, Pairwise};
    /// use ndarray::array;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let gpu = Gpu::new()?;
    /// let x = gpu.upload(array![[0.0, 0.0], [3.0, 4.0]].view())?;
    /// let y = gpu.upload(array![[0.0, 0.0], [3.0, 0.0]].view())?;
    /// let mut r = gpu.pairwise(Pairwise::CityblockNaive, &x, &y)?;
    /// gpu.pairwise_into(Pairwise::CityblockTiled, &x, &y, &mut r)?; // reuses r
    /// assert_eq!(gpu.download(&r)?, array![[0.0, 3.0], [7.0, 4.0]]);
    /// # Ok(())
    /// # }
    /// ```
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
///
/// # Examples
///
/// ```
/// use gpu_solution::GpuError;
/// use gpu_solution::host::check_pair_shapes;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// check_pair_shapes((2, 3), (4, 3))?;
/// let error = check_pair_shapes((2, 3), (4, 2));
/// assert_eq!(error, Err(GpuError::ShapeMismatch { x: (2, 3), y: (4, 2) }));
/// # Ok(())
/// # }
/// ```
pub fn check_pair_shapes(x: (usize, usize), y: (usize, usize)) -> Result<(), GpuError> {
    if x.1 == y.1 {
        Ok(())
    } else {
        Err(GpuError::ShapeMismatch { x, y })
    }
}
// ANCHOR_END: check_pair_shapes
