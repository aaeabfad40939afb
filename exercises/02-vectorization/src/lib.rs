//! # Lab 2: the vectorization trick
//!
//! The squared Euclidean distance matrix `r[i, j] = Σ_k (x_ik - y_jk)²`,
//! computed five ways and measured: loops, broadcasting, the trick
//! ‖x‖² + ‖y‖² − 2 x·yᵀ with a matrix product, the trick with its tail fused,
//! and a register-blocked direct kernel. Plus the numexpr lesson (fusing
//! elementwise work) and the ULHPC matrix product with fewer and fewer loops.
//!
//! ## How to work
//!
//! Each module is one exercise with one test file (except [`trick`], written
//! over exercises 3 to 5: its header says which part goes with which test
//! file). Replace every `todo!` (each is marked `// TODO:`) and run that
//! exercise's tests, e.g.
//! `cargo test -p vectorization --test loops`. `cargo xtask progress` shows
//! where you stand; the book's chapter "The vectorization trick" explains the
//! ideas, and `cargo bench -p vectorization --bench edm` measures your code.
//!
//! Exercises, in order:
//! 1. [`loops`]: the definition as loops, squared and with the square root;
//! 2. [`broadcast`]: broadcasting and its (n, m, d) temporaries;
//! 3. [`trick`]: row norms, the trick, its accuracy;
//! 4. [`fused`]: fusing elementwise work (and the trick's fused tail, in [`trick`]);
//! 5. [`direct`]: the register-blocked direct kernel (the tile in [`kernel`]),
//!    and the trick in the kernel and the checked trick (in [`trick`]);
//! 6. [`matmul`]: matrix multiplication with 3, 2, 1 and 0 loops.
//!
//! [`error`] is given (in `src/given/`), and so are [`pages`] and [`testing`]
//! (from the course's `support` crate, which other labs use too), and so is all of [`kernel`]
//! but `tile`.

pub mod broadcast;
pub mod direct;
#[path = "given/error.rs"]
pub mod error;
pub mod fused;
pub mod kernel;
pub mod loops;
pub mod matmul;
pub mod trick;

pub use support::{pages, testing};

pub use error::{DimensionMismatch, IntoError, MatmulMismatch, OutputMismatch};
