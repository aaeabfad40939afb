//! Exercise 5: the trick on the GPU, |x|² + |y|² - 2 x·yᵀ, with cuBLAS's GEMM
//! for x·yᵀ and two small kernels (src/cuda/trick.cu) around it. (solution)
//!
//! cuBLAS is column-major, like Fortran; our matrices are row-major. The
//! same bytes read the other way are the transpose, so no copy is needed:
//! only the right arguments, which [`xyt_gemm`] works out.

use crate::error::GpuError;
use crate::runtime::{DeviceMatrix, Gpu};

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
///
/// # Examples
///
/// No GPU needed: the arguments for x (2 × 4) and y (3 × 4).
///
/// ```
/// use gpu_solution::GpuError;
/// use gpu_solution::blas::{Op, xyt_gemm};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let args = xyt_gemm(2, 3, 4)?;
/// assert_eq!((args.transa, args.transb), (Op::T, Op::N));
/// assert_eq!((args.m, args.n, args.k), (3, 2, 4)); // rᵀ = y · xᵀ, m × n
/// assert_eq!((args.lda, args.ldb, args.ldc), (4, 4, 3));
/// assert!(matches!(xyt_gemm(usize::MAX, 3, 4), Err(GpuError::TooLarge { .. })));
/// # Ok(())
/// # }
/// ```
pub fn xyt_gemm(n: usize, m: usize, d: usize) -> Result<GemmArgs, GpuError> {
    let (n, m, d) = (int("x's rows, n", n)?, int("y's rows, m", m)?, int("d", d)?);
    Ok(GemmArgs {
        transa: Op::T,
        transb: Op::N,
        m,
        n,
        k: d,
        lda: d.max(1),
        ldb: d.max(1),
        ldc: m.max(1),
    })
}
// ANCHOR_END: xyt_gemm

impl Gpu {
    // ANCHOR: euclidean_trick
    /// The trick into an existing n × m matrix r: two norm kernels (their
    /// two short vectors from the pool), one DGEMM with alpha = -2 and
    /// beta = 0 that overwrites r, one fused epilogue. No allocation of r:
    /// this is what the benchmark times as the trick's kernels.
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
    /// let x = gpu.upload(array![[0.0, 0.0], [3.0, 4.0]].view())?;
    /// let y = gpu.upload(array![[0.0, 0.0], [3.0, 0.0]].view())?;
    /// let mut r = gpu.euclidean_trick(&x, &y, false)?;
    /// gpu.euclidean_trick_into(&x, &y, &mut r, true)?; // reuses r
    /// assert_eq!(gpu.download(&r)?, array![[0.0, 3.0], [5.0, 4.0]]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn euclidean_trick_into(
        &self,
        x: &DeviceMatrix,
        y: &DeviceMatrix,
        r: &mut DeviceMatrix,
        sqrt: bool,
    ) -> Result<(), GpuError> {
        let xx = self.row_sq_norms(x)?;
        let yy = self.row_sq_norms(y)?;
        self.scaled_xyt_into(-2.0, x, y, r)?;
        self.add_norms_clamp(&xx, &yy, r, sqrt)
    }
    // ANCHOR_END: euclidean_trick
}
