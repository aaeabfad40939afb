//! The launches around cuBLAS in the trick (given code): the two kernels of
//! `src/cuda/trick.cu` and the DGEMM with the arguments of exercise 5's
//! [`xyt_gemm`].

use cudarc::cublas::sys::cublasOperation_t;
use cudarc::cublas::{Gemm, GemmConfig};
use cudarc::driver::PushKernelArg;

use crate::blas::{Op, xyt_gemm};
use crate::error::GpuError;
use crate::host::check_pair_shapes;
use crate::launch;
use crate::runtime::{DeviceMatrix, DeviceVector, Gpu, config, cuda};

fn blas_op(op: Op) -> cublasOperation_t {
    match op {
        Op::N => cublasOperation_t::CUBLAS_OP_N,
        Op::T => cublasOperation_t::CUBLAS_OP_T,
    }
}

impl Gpu {
    /// `out[i] = Σₖ a[i, k]²`, one thread per row.
    pub fn row_sq_norms(&self, a: &DeviceMatrix) -> Result<DeviceVector, GpuError> {
        let (rows, d) = a.shape();
        let mut out = self.alloc(rows)?;
        let shape = launch::per_row(rows)?;
        if !shape.is_empty() {
            let (rows, d) = (rows as u64, d as u64);
            let mut launch = self.stream.launch_builder(self.function("row_sq_norms")?);
            launch.arg(&a.data).arg(&mut out).arg(&rows).arg(&d);
            // SAFETY: row_sq_norms(const double* a, double* out, u64 rows, u64 d);
            // a holds rows·d doubles and out rows; the kernel's guard keeps it in bounds.
            unsafe { launch.launch(config(shape)) }.map_err(cuda("launching row_sq_norms"))?;
        }
        Ok(DeviceVector {
            data: out,
            len: rows,
        })
    }

    /// alpha · x · yᵀ with cuBLAS's DGEMM, n × m.
    pub fn scaled_xyt(
        &self,
        alpha: f64,
        x: &DeviceMatrix,
        y: &DeviceMatrix,
    ) -> Result<DeviceMatrix, GpuError> {
        check_pair_shapes(x.shape(), y.shape())?;
        let blas = self.blas.as_ref().ok_or(GpuError::NoCublas)?;
        let (n, d) = x.shape();
        let m = y.rows;
        let mut r = DeviceMatrix {
            data: self.alloc(n * m)?,
            rows: n,
            cols: m,
        };
        if n == 0 || m == 0 {
            return Ok(r);
        }
        let args = xyt_gemm(n, m, d)?;
        let cfg = GemmConfig {
            transa: blas_op(args.transa),
            transb: blas_op(args.transb),
            m: args.m,
            n: args.n,
            k: args.k,
            alpha,
            lda: args.lda,
            ldb: args.ldb,
            beta: 0.0,
            ldc: args.ldc,
        };
        // SAFETY: A = y (m·d doubles), B = x (n·d), C = r (n·m), with the
        // shapes and leading dimensions of `xyt_gemm`, which stay inside them.
        unsafe { blas.gemm(cfg, &y.data, &x.data, &mut r.data) }.map_err(|error| {
            GpuError::Cuda {
                during: format!("DGEMM of {n}×{d} by ({m}×{d})ᵀ"),
                message: error.to_string(),
            }
        })?;
        Ok(r)
    }

    /// `r ← max(xx[i] + yy[j] + r[i, j], 0)`, and its square root if `sqrt`,
    /// in one pass over r.
    pub fn add_norms_clamp(
        &self,
        xx: &DeviceVector,
        yy: &DeviceVector,
        r: &mut DeviceMatrix,
        sqrt: bool,
    ) -> Result<(), GpuError> {
        let (n, m) = r.shape();
        if xx.len() != n || yy.len() != m {
            return Err(GpuError::ShapeMismatch {
                x: (xx.len(), yy.len()),
                y: (n, m),
            });
        }
        let shape = launch::per_element(n, m)?;
        if shape.is_empty() {
            return Ok(());
        }
        let (n, m, take_sqrt) = (n as u64, m as u64, i32::from(sqrt));
        let mut launch = self
            .stream
            .launch_builder(self.function("sqeuclidean_epilogue")?);
        launch
            .arg(&xx.data)
            .arg(&yy.data)
            .arg(&mut r.data)
            .arg(&n)
            .arg(&m)
            .arg(&take_sqrt);
        // SAFETY: sqeuclidean_epilogue(const double* xx, const double* yy,
        // double* r, u64 n, u64 m, int take_sqrt); xx, yy, r hold n, m, n·m
        // doubles, checked above; the kernel's guard keeps it in bounds.
        unsafe { launch.launch(config(shape)) }.map_err(cuda("launching sqeuclidean_epilogue"))?;
        Ok(())
    }
}
