//! Exercise 5: the trick on the GPU, |x|² + |y|² - 2 x·yᵀ, with cuBLAS's GEMM
//! for x·yᵀ and two small kernels (src/cuda/trick.cu) around it.
//!
//! cuBLAS is column-major, like Fortran; our matrices are row-major. The
//! same bytes read the other way are the transpose, so no copy is needed:
//! only the right arguments, which [`xyt_gemm`] works out. The launches
//! themselves are given, in `given/trick_kernels.rs`.
//!
//! Replace the `todo!()`s (marked `// TODO:`) here and the TODOs in src/cuda/trick.cu,
//! then run `cargo test -p gpu --test trick`.

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
pub fn xyt_gemm(n: usize, m: usize, d: usize) -> Result<GemmArgs, GpuError> {
    // TODO: read every row-major buffer as column-major: r's is rᵀ (m × n, ldc = m), x's is
    // xᵀ (d × n), y's is yᵀ (d × m). Then rᵀ = y · xᵀ: A = y's buffer transposed (Op::T,
    // lda = d), B = x's as stored (Op::N, ldb = d), and GEMM's m, n, k are m, n, d. cuBLAS
    // takes i32: convert each size with `int("what", value)?`, and leading dimensions are
    // at least 1.
    let _ = int;
    todo!("exercise 5 (trick): the GEMM arguments for x ({n}×{d}) times y ({m}×{d}) transposed")
}
// ANCHOR_END: xyt_gemm

impl Gpu {
    // ANCHOR: euclidean_trick
    /// The trick into an existing n × m matrix r: two norm kernels (their
    /// two short vectors from the pool), one DGEMM with alpha = -2 and
    /// beta = 0 that overwrites r, one fused epilogue. No allocation of r:
    /// this is what the benchmark times as the trick's kernels.
    pub fn euclidean_trick_into(
        &self,
        x: &DeviceMatrix,
        y: &DeviceMatrix,
        r: &mut DeviceMatrix,
        sqrt: bool,
    ) -> Result<(), GpuError> {
        // TODO: the norms of x and y (`self.row_sq_norms`), r = -2 x·yᵀ
        // (`self.scaled_xyt_into`), then the epilogue in place (`self.add_norms_clamp`).
        let _ = (x, y, r);
        todo!("exercise 5 (trick): the trick on the GPU, sqrt: {sqrt}")
    }
    // ANCHOR_END: euclidean_trick
}
