//! The OpenMP thread count of the C and Fortran kernels (given code).
//!
//! OpenMP does not use rayon's pool: each kernel call starts a parallel region
//! on OpenMP's own threads, as many as `omp_get_max_threads()` says, which is
//! `OMP_NUM_THREADS` or else one per core. `omp_set_num_threads` changes that
//! number **for the calling thread only** (every thread that calls into
//! OpenMP has its own setting), so a test that sets it does not change the
//! others. The C file provides the two functions below, which also work when
//! it was compiled without OpenMP (then there is one thread).

use std::ffi::c_int;
use std::num::NonZeroUsize;

unsafe extern "C" {
    /// `int ffi_omp_max_threads(void)` in c/cityblock.c.
    fn ffi_omp_max_threads() -> c_int;
    /// `void ffi_omp_set_num_threads(int)` in c/cityblock.c.
    fn ffi_omp_set_num_threads(threads: c_int);
}

/// How many OpenMP threads the calling thread's next kernel call uses.
pub fn max_threads() -> usize {
    // SAFETY: takes nothing, returns an int; reads OpenMP's settings only.
    let threads = unsafe { ffi_omp_max_threads() };
    usize::try_from(threads).unwrap_or(1).max(1)
}

/// Runs `f` with the calling thread's kernel calls on `threads` OpenMP
/// threads, then restores the previous setting.
pub fn with_threads<R>(threads: NonZeroUsize, f: impl FnOnce() -> R) -> R {
    let previous = max_threads();
    set_threads(threads.get());
    let result = f();
    set_threads(previous);
    result
}

fn set_threads(threads: usize) {
    let threads = c_int::try_from(threads).unwrap_or(c_int::MAX);
    // SAFETY: takes an int by value; a positive count is valid for OpenMP.
    unsafe { ffi_omp_set_num_threads(threads) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(not(has_openmp), ignore = "needs a C compiler with OpenMP")]
    fn the_setting_belongs_to_the_calling_thread() {
        let two = NonZeroUsize::new(2).expect("positive");
        let three = NonZeroUsize::new(3).expect("positive");
        let before = max_threads();
        with_threads(two, || {
            assert_eq!(max_threads(), 2);
            let other = std::thread::spawn(move || with_threads(three, max_threads));
            assert_eq!(other.join().expect("no panic"), 3);
            assert_eq!(
                max_threads(),
                2,
                "another thread's setting leaked into this one"
            );
        });
        assert_eq!(max_threads(), before, "with_threads restores the setting");
    }
}
