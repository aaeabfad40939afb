//! What several labs share, in one place: the given code that is the same in
//! labs 1, 2, 3 and 6, and the harness of the solutions' comparisons with
//! Python. Nothing here is an exercise.
//!
//! - [`pages`]: fresh (n, m) results on huge pages (labs 2, 3 and 6);
//! - [`testing`]: seeded random points and NumPy's `assert_allclose`, for the
//!   tests and benches;
//! - [`DimensionMismatch`] and [`check_dims`]: the shape error of two point
//!   sets whose points have different numbers of coordinates (labs 1 to 3);
//! - [`simd`]: which vector instructions the fast kernels run with, chosen
//!   at run time (labs 2, 3 and 6);
//! - [`speed`]: the speed probes of the exercises whose speed counts
//!   (`benches/speed.rs`, read by `cargo xtask speed` and `grade`);
//! - [`platform`]: which system the student runs, and the command that installs each tool the
//!   labs need there; [`platform::skip`] marks a test skipped for want of one (labs 3 to 6);
//! - [`numpy`]: the Python with NumPy that a few tests compare with, or their skip line;
//! - [`cells`]: the `--json` cell lines of the solutions' measurement programs,
//!   for `cargo xtask bench --book`;
//! - `compare` (feature `compare`): the command line, `.npy` data, timing and
//!   JSON lines of the solutions' `examples/compare*`.
//!
//! The labs take these through their own modules (`pub use support::pages;`
//! in a lab's `lib.rs`, `pub use support::DimensionMismatch;` in its
//! `error.rs`), so their code and tests name them as before:
//! `crate::pages::zeroed_matrix`, `vectorization::testing::random_points`.

pub mod cells;
pub mod dims;
pub mod numpy;
pub mod pages;
pub mod simd;
pub mod speed;
pub mod testing;

#[cfg(feature = "compare")]
pub mod compare;

pub use dims::{DimensionMismatch, check_dims};
/// The support/platform crate, which lab 6's build script and `course` take directly.
pub use platform;
