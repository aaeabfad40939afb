//! The host side of the coalescing exercise (given code): y = A v on the GPU
//! with src/cuda/gemv.cu, A stored row-major or column-major.

use cudarc::driver::PushKernelArg;
use ndarray::{Array1, ArrayView1, ArrayView2};

use crate::emulator::Layout;
use crate::error::GpuError;
use crate::launch;
use crate::runtime::{DeviceVector, Gpu, config, cuda};

/// A on the GPU, in one layout.
pub struct DeviceGemvMatrix {
    elements: DeviceVector,
    rows: usize,
    cols: usize,
    layout: Layout,
}

impl Gpu {
    /// Copies A to the GPU in `layout`.
    pub fn upload_layout(
        &self,
        a: ArrayView2<f64>,
        layout: Layout,
    ) -> Result<DeviceGemvMatrix, GpuError> {
        let (rows, cols) = a.dim();
        Ok(DeviceGemvMatrix {
            elements: self.upload_vector(&layout.elements(a))?,
            rows,
            cols,
            layout,
        })
    }

    /// y = A v into `y` (A's rows long), with the kernel for A's layout.
    pub fn gemv_into(
        &self,
        a: &DeviceGemvMatrix,
        v: &DeviceVector,
        y: &mut DeviceVector,
    ) -> Result<(), GpuError> {
        if v.len() != a.cols || y.len() != a.rows {
            return Err(GpuError::ShapeMismatch {
                x: (a.rows, a.cols),
                y: (v.len(), y.len()),
            });
        }
        let shape = launch::per_row(a.rows)?;
        if shape.is_empty() {
            return Ok(());
        }
        let (rows, cols) = (a.rows as u64, a.cols as u64);
        let mut launch = self
            .stream
            .launch_builder(self.function(a.layout.gemv_kernel())?);
        launch
            .arg(&a.elements.data)
            .arg(&v.data)
            .arg(&mut y.data)
            .arg(&rows)
            .arg(&cols);
        // SAFETY: gemv_*(const double* a, const double* v, double* y, u64 rows,
        // u64 cols); a holds rows·cols doubles, v cols and y rows (checked
        // above); the kernel's guard keeps it in bounds.
        unsafe { launch.launch(config(shape)) }
            .map_err(cuda(format!("launching {}", a.layout.gemv_kernel())))?;
        Ok(())
    }

    /// y = A v, with A copied to the GPU in `layout`: copies, launch, copy back.
    pub fn gemv(
        &self,
        layout: Layout,
        a: ArrayView2<f64>,
        v: ArrayView1<f64>,
    ) -> Result<Array1<f64>, GpuError> {
        let a = self.upload_layout(a, layout)?;
        let v = self.upload_vector(&v.to_vec())?;
        let mut y = self.upload_vector(&vec![0.0; a.rows])?;
        self.gemv_into(&a, &v, &mut y)?;
        self.download_vector(&y)
    }
}
