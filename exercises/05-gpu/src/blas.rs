//! Exercise 5: the trick on the GPU, |x|² + |y|² - 2 x·yᵀ, with cuBLAS's GEMM
//! for x·yᵀ and two small kernels (src/cuda/trick.cu) around it.
//!
//! cuBLAS is column-major, like Fortran; our matrices are row-major. The
//! same bytes read the other way are the transpose, so no copy is needed:
//! only the right arguments, which [`xyt_gemm`] works out.
//!
//! Replace the `todo!()`s (marked `// TODO:`) here and in src/cuda/trick.cu, then run
//! `cargo test -p gpu --test trick`.

use cudarc::cublas::sys::cublasOperation_t;
use cudarc::cublas::{Gemm, GemmConfig};
use cudarc::driver::PushKernelArg;

use crate::error::GpuError;
use crate::host::{DeviceMatrix, DeviceVector, Gpu, check_pair_shapes, config, cuda};
use crate::launch;

/// Whether GEMM uses a matrix as stored or transposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// As stored (`CUBLAS_OP_N`).
    N,
    /// Transposed (`CUBLAS_OP_T`).
    T,
}

/// The arguments of a column-major GEMM, C = op(A) · op(B), with C m × n,
/// op(A) m × k, op(B) k × n, and each matrix's leading dimension (the
/// distance between its columns, in elements).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GemmArgs {
    /// What to do with A (the first buffer).
    pub transa: Op,
    /// What to do with B (the second buffer).
    pub transb: Op,
    /// Rows of C and of op(A).
    pub m: i32,
    /// Columns of C and of op(B).
    pub n: i32,
    /// Columns of op(A), rows of op(B).
    pub k: i32,
    /// A's leading dimension.
    pub lda: i32,
    /// B's leading dimension.
    pub ldb: i32,
    /// C's leading dimension.
    pub ldc: i32,
}

fn int(what: &str, value: usize) -> Result<i32, GpuError> {
    i32::try_from(value).map_err(|_| GpuError::TooLarge {
        what: what.to_string(),
        value,
        limit: i32::MAX as usize,
    })
}

// ANCHOR: xyt_gemm
/// The GEMM arguments for r = x · yᵀ, with x (n × d), y (m × d) and r
/// (n × m) all row-major, A = y's buffer and B = x's buffer.
///
/// Read column-major, r's buffer is rᵀ (m × n, columns m apart), x's is xᵀ
/// (d × n) and y's is yᵀ (d × m). So compute rᵀ = y · xᵀ = op(A) · op(B)
/// with op(A) = (yᵀ)ᵀ, transposed, and op(B) = xᵀ as stored.
pub fn xyt_gemm(n: usize, m: usize, d: usize) -> Result<GemmArgs, GpuError> {
    // TODO: read every row-major buffer as column-major: r's is rᵀ (m × n, ldc = m), x's is
    // xᵀ (d × n), y's is yᵀ (d × m). Then rᵀ = y · xᵀ: A = y's buffer transposed (Op::T,
    // lda = d), B = x's as stored (Op::N, ldb = d), and GEMM's m, n, k are m, n, d. cuBLAS
    // takes i32: convert each size with `int("what", value)?`, and leading dimensions are
    // at least 1.
    let _ = int;
    todo!("the GEMM arguments for x ({n}×{d}) times y ({m}×{d}) transposed")
}
// ANCHOR_END: xyt_gemm

fn blas_op(op: Op) -> cublasOperation_t {
    match op {
        Op::N => cublasOperation_t::CUBLAS_OP_N,
        Op::T => cublasOperation_t::CUBLAS_OP_T,
    }
}

impl Gpu {
    /// out[i] = Σₖ a[i, k]², one thread per row.
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
        Ok(DeviceVector { data: out })
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

    /// r ← max(xx[i] + yy[j] + r[i, j], 0), and its square root if `sqrt`,
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

    // ANCHOR: euclidean_trick
    /// Squared Euclidean distances (Euclidean if `sqrt`) by the trick: two
    /// norm kernels, one DGEMM with alpha = -2, one fused epilogue.
    pub fn euclidean_trick(
        &self,
        x: &DeviceMatrix,
        y: &DeviceMatrix,
        sqrt: bool,
    ) -> Result<DeviceMatrix, GpuError> {
        // TODO: the norms of x and y (row_sq_norms), r = -2 x·yᵀ (scaled_xyt), then the
        // epilogue in place (add_norms_clamp).
        let _ = (x, y);
        todo!("the trick on the GPU, sqrt: {sqrt}")
    }
    // ANCHOR_END: euclidean_trick
}
