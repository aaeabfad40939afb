//! Exercise 9: one algorithm, two machines. CuPy's `get_array_module` lets
//! one Python function run on NumPy or CuPy arrays; here a trait plays that
//! part. [`euclidean_trick`] is written once against [`Backend`], and runs on
//! the CPU ([`Cpu`], ndarray) or the GPU ([`Gpu`](crate::Gpu), cuBLAS and kernels).
//! (solution)

use ndarray::{Array1, Array2, ArrayView2, Zip};

use crate::error::GpuError;

pub use crate::backend_api::Backend;

// ANCHOR: euclidean_trick
/// Squared Euclidean distances (Euclidean if `sqrt`), |x|² + |y|² - 2 x·yᵀ,
/// on any backend: the one place the algorithm is written.
///
/// # Examples
///
/// On the CPU backend (the GPU one, [`Gpu`](crate::Gpu), takes the same call):
///
/// ```
/// use gpu_solution::backend::{Backend, Cpu, euclidean_trick};
/// use ndarray::array;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = Cpu.upload(array![[0.0, 0.0], [3.0, 4.0]].view())?;
/// let y = Cpu.upload(array![[0.0, 0.0], [3.0, 0.0]].view())?;
/// let r = euclidean_trick(&Cpu, &x, &y, true)?;
/// assert_eq!(Cpu.download(&r)?, array![[0.0, 3.0], [5.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn euclidean_trick<B: Backend>(
    backend: &B,
    x: &B::Matrix,
    y: &B::Matrix,
    sqrt: bool,
) -> Result<B::Matrix, GpuError> {
    let xx = backend.row_sq_norms(x)?;
    let yy = backend.row_sq_norms(y)?;
    let mut r = backend.scaled_abt(-2.0, x, y)?;
    backend.add_norms_clamp(&xx, &yy, &mut r, sqrt)?;
    Ok(r)
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
        Ok(a.rows().into_iter().map(|row| row.dot(&row)).collect())
    }

    fn scaled_abt(
        &self,
        alpha: f64,
        a: &Array2<f64>,
        b: &Array2<f64>,
    ) -> Result<Array2<f64>, GpuError> {
        if a.ncols() != b.ncols() {
            return Err(GpuError::ShapeMismatch {
                x: a.dim(),
                y: b.dim(),
            });
        }
        let mut r = a.dot(&b.t());
        r *= alpha;
        Ok(r)
    }

    fn add_norms_clamp(
        &self,
        xx: &Array1<f64>,
        yy: &Array1<f64>,
        r: &mut Array2<f64>,
        sqrt: bool,
    ) -> Result<(), GpuError> {
        if (xx.len(), yy.len()) != r.dim() {
            return Err(GpuError::ShapeMismatch {
                x: (xx.len(), yy.len()),
                y: r.dim(),
            });
        }
        Zip::indexed(r).for_each(|(i, j), value| {
            let s = (xx[i] + yy[j] + *value).max(0.0);
            *value = if sqrt { s.sqrt() } else { s };
        });
        Ok(())
    }
}
// ANCHOR_END: cpu_backend
