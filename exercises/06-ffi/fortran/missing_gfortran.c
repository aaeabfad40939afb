/*
 * Stand-ins for the Fortran kernels, compiled only when gfortran is missing
 * (see build.rs): they take the kernels' names so that the crate still links,
 * and the Rust wrappers never call them (they return
 * FfiError::FortranUnavailable first). Were one called anyway, it would stop
 * the program with the fix rather than return garbage.
 */
#include <stdio.h>
#include <stdlib.h>

/* How to install gfortran on the system that builds, and rebuild: build.rs
 * defines it from the course's table of install commands. */
#ifndef FFI_FORTRAN_FIX
#define FFI_FORTRAN_FIX "install gfortran, then `cargo clean -p ffi` and build again"
#endif

static void missing_gfortran(const char *kernel)
{
    fprintf(stderr,
            "%s: the Fortran kernels were not compiled, because gfortran was missing "
            "when this crate was built: %s\n",
            kernel, FFI_FORTRAN_FIX);
    abort();
}

void cityblock_f64(const double *x, const double *y, double *r, int n, int m, int d)
{
    (void)x, (void)y, (void)r, (void)n, (void)m, (void)d;
    missing_gfortran("cityblock_f64");
}

void cityblock_f32(const float *x, const float *y, float *r, int n, int m, int d)
{
    (void)x, (void)y, (void)r, (void)n, (void)m, (void)d;
    missing_gfortran("cityblock_f32");
}

void racy_cityblock_f64(const double *x, const double *y, double *r, int n, int m, int d)
{
    (void)x, (void)y, (void)r, (void)n, (void)m, (void)d;
    missing_gfortran("racy_cityblock_f64");
}
