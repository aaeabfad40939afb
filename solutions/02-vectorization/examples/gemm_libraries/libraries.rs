//! The trick's matrix product `out = x · yᵀ` by three libraries, each into an
//! existing row-major output, so that the only difference is the library:
//!
//! - matrixmultiply, what ndarray's `dot` and `general_mat_mul` call (pure
//!   Rust, one kernel per instruction set chosen at run time; the course's
//!   default);
//! - faer (pure Rust, the `gemm` crate's kernels, chosen at run time);
//! - OpenBLAS, the library NumPy bundles, through its C interface
//!   `cblas_dgemm`: what ndarray's `blas` feature calls. It is loaded at run
//!   time from Debian's `libopenblas0-pthread`, so the course builds without
//!   it and a machine without it skips it.

use std::ffi::{CStr, c_char, c_int};

use ndarray::{ArrayView2, ArrayViewMut2, linalg::general_mat_mul};

/// One way to compute `out = x · yᵀ`.
pub enum Gemm {
    Matrixmultiply,
    Faer,
    OpenBlas(OpenBlas),
}

impl Gemm {
    /// Every library this machine has; the reason OpenBLAS is missing, if it is.
    pub fn available() -> (Vec<Gemm>, Option<String>) {
        let mut found = vec![Gemm::Matrixmultiply, Gemm::Faer];
        match OpenBlas::load() {
            Ok(openblas) => {
                found.push(Gemm::OpenBlas(openblas));
                (found, None)
            }
            Err(why) => (found, Some(why)),
        }
    }

    /// The library's name, with OpenBLAS's version and kernels.
    pub fn name(&self) -> String {
        match self {
            Gemm::Matrixmultiply => "matrixmultiply (ndarray's `dot`)".into(),
            Gemm::Faer => "faer".into(),
            Gemm::OpenBlas(openblas) => openblas.describe(),
        }
    }

    /// `out = x · yᵀ`. Panics unless x is n×d, y is m×d and out is n×m, all
    /// three in standard (row-major, contiguous) layout.
    pub fn product_into(
        &self,
        x: ArrayView2<f64>,
        y: ArrayView2<f64>,
        mut out: ArrayViewMut2<f64>,
    ) {
        let ((n, d), (m, dy)) = (x.dim(), y.dim());
        assert!(
            d == dy && out.dim() == (n, m),
            "x {n}×{d}, y {m}×{dy}, out {:?}",
            out.dim()
        );
        match self {
            Gemm::Matrixmultiply => general_mat_mul(1.0, &x, &y.t(), 0.0, &mut out),
            Gemm::Faer => {
                let x = faer::MatRef::from_row_major_slice(standard(&x), n, d);
                let y = faer::MatRef::from_row_major_slice(standard(&y), m, d);
                let out = out.as_slice_mut().expect("out in standard layout");
                let out = faer::MatMut::from_row_major_slice_mut(out, n, m);
                // Par::rayon(0): as many threads as rayon's pool (RAYON_NUM_THREADS).
                faer::linalg::matmul::matmul(
                    out,
                    faer::Accum::Replace,
                    x,
                    y.transpose(),
                    1.0,
                    faer::Par::rayon(0),
                );
            }
            Gemm::OpenBlas(openblas) => openblas.product_into(x, y, out),
        }
    }
}

fn standard<'a>(a: &'a ArrayView2<f64>) -> &'a [f64] {
    a.as_slice().expect("inputs in standard layout")
}

// CBLAS's enumerations (cblas.h).
const CBLAS_ROW_MAJOR: c_int = 101;
const CBLAS_NO_TRANS: c_int = 111;
const CBLAS_TRANS: c_int = 112;

/// `cblas_dgemm` of a 32-bit-integer ("LP64") build, as Debian's is.
type Dgemm = unsafe extern "C" fn(
    order: c_int,
    trans_a: c_int,
    trans_b: c_int,
    m: c_int,
    n: c_int,
    k: c_int,
    alpha: f64,
    a: *const f64,
    lda: c_int,
    b: *const f64,
    ldb: c_int,
    beta: f64,
    c: *mut f64,
    ldc: c_int,
);
/// `openblas_get_config` and `openblas_get_corename`: static strings.
type GetText = unsafe extern "C" fn() -> *const c_char;

/// OpenBLAS, loaded at run time. Its threads: OPENBLAS_NUM_THREADS, read when
/// it loads (xtask sets it).
pub struct OpenBlas {
    dgemm: Dgemm,
    get_config: GetText,
    get_corename: GetText,
    // Keeps the two function pointers valid.
    _library: libloading::Library,
}

/// Makes OpenBLAS's idle threads sleep at once. By default they spin for 2^28
/// cycles (about 0.1 s) after it loads and after every call before they
/// sleep: on a 2-core machine they take the cores from whatever is timed
/// next (matrixmultiply's 500×500×500 product ran 1.8 times slower right
/// after OpenBLAS loaded). With a timeout of 2^4 cycles OpenBLAS pays a
/// thread wake-up per call instead, microseconds against its milliseconds.
/// A timeout already in the environment is kept.
///
/// # Safety
/// It sets an environment variable: call it before any other thread exists.
pub unsafe fn let_openblas_threads_sleep() {
    if std::env::var_os("OPENBLAS_THREAD_TIMEOUT").is_none() {
        // SAFETY: no other thread exists yet (this function's contract).
        unsafe { std::env::set_var("OPENBLAS_THREAD_TIMEOUT", "4") };
    }
}

/// Debian's soname for the library (`libopenblas0-pthread`).
const OPENBLAS_SONAME: &str = "libopenblas.so.0";

impl OpenBlas {
    fn load() -> Result<OpenBlas, String> {
        let missing = |error: libloading::Error| {
            format!(
                "OpenBLAS not found ({error}); Debian/Ubuntu: `sudo apt-get install libopenblas0-pthread`"
            )
        };
        // SAFETY: loading OpenBLAS runs its initialisers, which only read the
        // environment and start its thread pool.
        let library = unsafe { libloading::Library::new(OPENBLAS_SONAME) }.map_err(missing)?;
        // SAFETY: the types are those of cblas.h and openblas_config.h for an
        // LP64 build; the pointers live as long as `library`, which we keep.
        let (dgemm, get_config, get_corename) = unsafe {
            (
                *library.get::<Dgemm>(b"cblas_dgemm\0").map_err(missing)?,
                *library
                    .get::<GetText>(b"openblas_get_config\0")
                    .map_err(missing)?,
                *library
                    .get::<GetText>(b"openblas_get_corename\0")
                    .map_err(missing)?,
            )
        };
        Ok(OpenBlas {
            dgemm,
            get_config,
            get_corename,
            _library: library,
        })
    }

    /// Its version and the kernels it chose for this CPU: "OpenBLAS 0.3.21
    /// (SkylakeX kernels)", from "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH …".
    fn describe(&self) -> String {
        // SAFETY: both return a pointer to a static NUL-terminated string.
        let text = |get: GetText| {
            unsafe { CStr::from_ptr(get()) }
                .to_string_lossy()
                .into_owned()
        };
        let config = text(self.get_config);
        let version: Vec<&str> = config.split_whitespace().take(2).collect();
        format!(
            "{} ({} kernels)",
            version.join(" "),
            text(self.get_corename)
        )
    }

    fn product_into(&self, x: ArrayView2<f64>, y: ArrayView2<f64>, mut out: ArrayViewMut2<f64>) {
        let ((n, d), m) = (x.dim(), y.nrows());
        let int =
            |v: usize| c_int::try_from(v).expect("a dimension beyond CBLAS's 32-bit integers");
        let (x, y) = (standard(&x), standard(&y));
        let out = out.as_slice_mut().expect("out in standard layout");
        // SAFETY: x is n×d, y is m×d, out is n×m, all row-major and contiguous
        // (checked above), so every index OpenBLAS forms with these leading
        // dimensions lies inside its slice; out is not aliased.
        unsafe {
            (self.dgemm)(
                CBLAS_ROW_MAJOR,
                CBLAS_NO_TRANS,
                CBLAS_TRANS,
                int(n),
                int(m),
                int(d),
                1.0,
                x.as_ptr(),
                int(d.max(1)),
                y.as_ptr(),
                int(d.max(1)),
                0.0,
                out.as_mut_ptr(),
                int(m.max(1)),
            );
        }
    }
}
