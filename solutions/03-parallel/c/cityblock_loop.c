/* The Cityblock distance matrix r[i,j] = sum_k |x[i,k] - y[j,k]|, as the
 * plain i-j-k loop with `#pragma omp parallel for` over the rows: what a C
 * programmer writes first, and what numba's `prange` over the rows compiles to.
 * Beside cityblock_blocked.c it shows what the tiles buy: GCC does not
 * vectorise the k loop (reordering a floating-point sum needs -ffast-math),
 * so each pair is one chain of dependent additions.
 *
 *   cc -O3 -march=native -fopenmp -shared -fPIC cityblock_loop.c -o cityblock.so
 *
 * x is (n, d), y is (m, d), out is (n, m), all float64 in C order. */

#include <math.h>

void cityblock_loop(const double *x, const double *y, double *out, long n, long m, long d)
{
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
        for (long j = 0; j < m; j++) {
            double sum = 0.0;
            for (long k = 0; k < d; k++)
                sum += fabs(x[i * d + k] - y[j * d + k]);
            out[i * m + j] = sum;
        }
    }
}
