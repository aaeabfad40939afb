//! # Lab 2: the vectorization trick (solution)
//!
//! The squared Euclidean distance matrix `r[i, j] = Σ_k (x_ik - y_jk)²`,
//! computed five ways and measured: loops, broadcasting, the trick
//! ‖x‖² + ‖y‖² − 2 x·yᵀ with a matrix product, the trick with its tail fused,
//! and a register-blocked direct kernel. Plus the numexpr lesson (fusing
//! elementwise work) and the ULHPC matrix product with fewer and fewer loops.
//!
//! Exercises, in order (one module and one test file each):
//! 1. [`loops`]: the definition as loops, squared and with the square root;
//! 2. [`broadcast`]: broadcasting and its (n, m, d) temporaries;
//! 3. [`trick`]: row norms, the trick, its accuracy, the checked version;
//! 4. [`fused`]: fusing elementwise work;
//! 5. [`direct`]: the register-blocked direct kernel (built on [`kernel`]);
//! 6. [`matmul`]: matrix multiplication with 3, 2, 1 and 0 loops.

pub mod broadcast;
pub mod direct;
#[path = "../../../exercises/02-vectorization/src/given/error.rs"]
pub mod error;
pub mod fused;
pub mod kernel;
pub mod loops;
pub mod matmul;
pub mod trick;

pub use support::{pages, testing};

pub use error::{DimensionMismatch, IntoError, MatmulMismatch, OutputMismatch};
