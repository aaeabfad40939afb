//! The trick's building blocks as a trait (given code), and the GPU's
//! implementation of it: exercise 9 writes the algorithm once against
//! [`Backend`], and the CPU's implementation.

use ndarray::{Array2, ArrayView2};

use crate::error::GpuError;
use crate::runtime::{DeviceMatrix, DeviceVector, Gpu};

// ANCHOR: backend_trait
/// What the trick needs from an array library.
pub trait Backend {
    /// A matrix on this backend.
    type Matrix;
    /// A vector on this backend.
    type Vector;

    /// Copies a host matrix in.
    fn upload(&self, a: ArrayView2<f64>) -> Result<Self::Matrix, GpuError>;
    /// Copies a matrix out, to the host.
    fn download(&self, a: &Self::Matrix) -> Result<Array2<f64>, GpuError>;
    /// `out[i] = Σₖ a[i, k]²`.
    fn row_sq_norms(&self, a: &Self::Matrix) -> Result<Self::Vector, GpuError>;
    /// alpha · a · bᵀ, for a (n × d) and b (m × d).
    fn scaled_abt(
        &self,
        alpha: f64,
        a: &Self::Matrix,
        b: &Self::Matrix,
    ) -> Result<Self::Matrix, GpuError>;
    /// `r ← max(xx[i] + yy[j] + r[i, j], 0)`, then its square root if `sqrt`.
    fn add_norms_clamp(
        &self,
        xx: &Self::Vector,
        yy: &Self::Vector,
        r: &mut Self::Matrix,
        sqrt: bool,
    ) -> Result<(), GpuError>;
}
// ANCHOR_END: backend_trait

// ANCHOR: backend_gpu
impl Backend for Gpu {
    type Matrix = DeviceMatrix;
    type Vector = DeviceVector;

    fn upload(&self, a: ArrayView2<f64>) -> Result<DeviceMatrix, GpuError> {
        Gpu::upload(self, a)
    }

    fn download(&self, a: &DeviceMatrix) -> Result<Array2<f64>, GpuError> {
        Gpu::download(self, a)
    }

    fn row_sq_norms(&self, a: &DeviceMatrix) -> Result<DeviceVector, GpuError> {
        Gpu::row_sq_norms(self, a)
    }

    fn scaled_abt(
        &self,
        alpha: f64,
        a: &DeviceMatrix,
        b: &DeviceMatrix,
    ) -> Result<DeviceMatrix, GpuError> {
        self.scaled_xyt(alpha, a, b)
    }

    fn add_norms_clamp(
        &self,
        xx: &DeviceVector,
        yy: &DeviceVector,
        r: &mut DeviceMatrix,
        sqrt: bool,
    ) -> Result<(), GpuError> {
        Gpu::add_norms_clamp(self, xx, yy, r, sqrt)
    }
}
// ANCHOR_END: backend_gpu
