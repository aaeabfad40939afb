//! Exercise 9: one algorithm, two machines. CuPy's `get_array_module` lets
//! one Python function run on NumPy or CuPy arrays; here a trait plays that
//! part. [`euclidean_trick`] is written once against [`Backend`], and runs on
//! the CPU ([`Cpu`], ndarray) or the GPU ([`Gpu`](crate::Gpu), cuBLAS and kernels).
//! The trait and the GPU's implementation are given, in `given/backend_api.rs`.
//!
//! Replace the `todo!()`s (marked `// TODO:`), then run `cargo test -p gpu --test backend`.
//!

use ndarray::{Array1, Array2, ArrayView2, Zip};

use crate::error::GpuError;

pub use crate::backend_api::Backend;

// ANCHOR: euclidean_trick
/// Squared Euclidean distances (Euclidean if `sqrt`), |x|² + |y|² - 2 x·yᵀ,
/// on any backend: the one place the algorithm is written.
pub fn euclidean_trick<B: Backend>(
    backend: &B,
    x: &B::Matrix,
    y: &B::Matrix,
    sqrt: bool,
) -> Result<B::Matrix, GpuError> {
    // TODO: the same four steps as `Gpu::euclidean_trick`, through `backend`: the norms of
    // x and y, r = -2 x·yᵀ (scaled_abt), then add_norms_clamp on r.
    let _ = (backend, x, y);
    todo!("exercise 9 (backend): the trick, once for every backend (sqrt: {sqrt})")
}
// ANCHOR_END: euclidean_trick

/// The CPU, with ndarray (its matrix product is matrixmultiply's, threaded).
#[derive(Clone, Copy, Debug, Default)]
pub struct Cpu;

// ANCHOR: cpu_backend
impl Backend for Cpu {
    type Matrix = Array2<f64>;
    type Vector = Array1<f64>;

    fn upload(&self, a: ArrayView2<f64>) -> Result<Array2<f64>, GpuError> {
        Ok(a.to_owned())
    }

    fn download(&self, a: &Array2<f64>) -> Result<Array2<f64>, GpuError> {
        Ok(a.clone())
    }

    fn row_sq_norms(&self, a: &Array2<f64>) -> Result<Array1<f64>, GpuError> {
        // TODO: each row's dot product with itself.
        todo!(
            "exercise 9 (backend): the squared norms of the {} rows",
            a.nrows()
        )
    }

    fn scaled_abt(
        &self,
        alpha: f64,
        a: &Array2<f64>,
        b: &Array2<f64>,
    ) -> Result<Array2<f64>, GpuError> {
        // TODO: refuse different column counts (GpuError::ShapeMismatch with both shapes),
        // then alpha · a.dot(&b.t()).
        todo!(
            "exercise 9 (backend): {alpha} · a {:?} · b {:?}ᵀ",
            a.dim(),
            b.dim()
        )
    }

    fn add_norms_clamp(
        &self,
        xx: &Array1<f64>,
        yy: &Array1<f64>,
        r: &mut Array2<f64>,
        sqrt: bool,
    ) -> Result<(), GpuError> {
        // TODO: refuse (xx.len(), yy.len()) != r.dim(), then for every (i, j):
        // s = max(xx[i] + yy[j] + r[i, j], 0), stored as s or its square root
        // (`Zip::indexed(r).for_each(..)`).
        let _ = Zip::from(&mut *r);
        todo!(
            "exercise 9 (backend): the epilogue on {} × {} (sqrt: {sqrt})",
            xx.len(),
            yy.len()
        )
    }
}
// ANCHOR_END: cpu_backend
