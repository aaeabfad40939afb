/*
 * The Cityblock distance matrix in C: the CFFI lab's kernel, called from Rust.
 * Given code: the lab is the Rust side (src/c_kernel.rs).
 *
 *   r[i][j] = sum_k |x[i][k] - y[j][k]|
 *
 * x is a row-major (n, d) buffer, y a row-major (m, d) buffer, r a row-major
 * (n, m) buffer that the caller allocates and this function fills, every
 * entry. The sizes come as C ints, as in the original; the index arithmetic
 * is done in size_t, so n * m beyond INT_MAX does not overflow in here (the
 * caller checks that each size fits in an int).
 *
 * The loops are the original's: i (parallel, OpenMP), j, then k innermost,
 * which walks both rows with stride 1. The sum is a local variable declared
 * inside the loop, so each thread has its own; the original's
 * `reduction(+:_r)` on a variable reset in the loop worked, but said
 * something else than it meant.
 */
#include <math.h>
#include <stddef.h>

#ifdef _OPENMP
#include <omp.h>
#endif

// ANCHOR: cbdm
void cbdm(const double *x, const double *y, double *r, int n, int m, int d)
{
    const size_t nn = (size_t)n, mm = (size_t)m, dd = (size_t)d;
    long i;
#pragma omp parallel for schedule(static)
    for (i = 0; i < (long)nn; i++) {
        const double *xi = x + (size_t)i * dd;
        double *ri = r + (size_t)i * mm;
        for (size_t j = 0; j < mm; j++) {
            const double *yj = y + j * dd;
            double sum = 0.0;
            for (size_t k = 0; k < dd; k++) {
                sum += fabs(xi[k] - yj[k]);
            }
            ri[j] = sum;
        }
    }
}
// ANCHOR_END: cbdm

/* The number of OpenMP threads of the calling thread's next parallel region
 * (1 when compiled without OpenMP). */
int ffi_omp_max_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/* Sets that number for the calling thread (no effect without OpenMP). */
void ffi_omp_set_num_threads(int threads)
{
#ifdef _OPENMP
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
}
