//! The launches around cuBLAS in the trick (given code): the two kernels of
//! `src/cuda/trick.cu` and the DGEMM with the arguments of exercise 5's
//! [`xyt_gemm`]. The outputs they allocate are not zeroed (`Gpu::alloc_uninit`):
//! each is entirely written by the launch or the DGEMM that follows.

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
    /// Squared Euclidean distances (Euclidean if `sqrt`) by the trick, in a
    /// new n × m matrix: [`Gpu::euclidean_trick_into`] (exercise 5) into an r taken from
    /// the memory pool, not zeroed (every element is written). Like CuPy's
    /// expression, which takes its result from CuPy's pool; once the pool is
    /// warm, the allocation costs next to nothing.
    pub fn euclidean_trick(
        &self,
        x: &DeviceMatrix,
        y: &DeviceMatrix,
        sqrt: bool,
    ) -> Result<DeviceMatrix, GpuError> {
        check_pair_shapes(x.shape(), y.shape())?;
        // SAFETY: `euclidean_trick_into` writes every element of r (the DGEMM,
        // beta = 0, or its memset when d = 0) before its epilogue reads r; nothing
        // else reads it before.
        let mut r = unsafe { self.alloc_matrix_uninit(x.rows, y.rows) }?;
        self.euclidean_trick_into(x, y, &mut r, sqrt)?;
        Ok(r)
    }

    /// `out[i] = Σₖ a[i, k]²`, a warp per row (`launch::row_norms`).
    pub fn row_sq_norms(&self, a: &DeviceMatrix) -> Result<DeviceVector, GpuError> {
        let (rows, d) = a.shape();
        // SAFETY: the launch below writes out[i] for every row i < rows (its
        // grid covers them all: `launch::row_norms`; the emulator's tests
        // check that the kernel leaves no element unwritten); nothing reads
        // `out` before that launch, which is queued before any later work on
        // the stream. With no rows there is no launch and nothing to read.
        let mut out = unsafe { self.alloc_uninit(rows) }?;
        let shape = launch::row_norms(rows)?;
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

    /// alpha · x · yᵀ with cuBLAS's DGEMM, in a new n × m matrix (not zeroed
    /// first: the DGEMM, beta = 0, writes all of it).
    pub fn scaled_xyt(
        &self,
        alpha: f64,
        x: &DeviceMatrix,
        y: &DeviceMatrix,
    ) -> Result<DeviceMatrix, GpuError> {
        check_pair_shapes(x.shape(), y.shape())?;
        // SAFETY: `scaled_xyt_into`, called next, writes every element of r: the
        // DGEMM with beta = 0, or a memset when d = 0.
        let mut r = unsafe { self.alloc_matrix_uninit(x.rows, y.rows) }?;
        self.scaled_xyt_into(alpha, x, y, &mut r)?;
        Ok(r)
    }

    /// r = alpha · x · yᵀ with cuBLAS's DGEMM, into an existing n × m matrix,
    /// every element of it written (beta = 0: what r held is neither read nor
    /// kept).
    pub fn scaled_xyt_into(
        &self,
        alpha: f64,
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
        let blas = self.blas.as_ref().ok_or(GpuError::NoCublas)?;
        if n == 0 || m == 0 {
            return Ok(());
        }
        if d == 0 {
            // A sum of no products: zeros. Written here, not left to cuBLAS's
            // handling of k = 0.
            return self
                .stream
                .memset_zeros(&mut r.data)
                .map_err(cuda("zeroing r (d = 0)"));
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
        Ok(())
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
