/* The Cityblock distance matrix r[i,j] = sum_k |x[i,k] - y[j,k]|, computed
 * by a register-blocked kernel: the C reference the lab's Rust
 * `cityblock_blocked` is compared with (`cargo xtask bench --compare python
 * --lab parallel` loads it from cityblock_peers.py through ctypes). Same
 * shape as the Rust kernel: MR x NR tiles (MR points of x against NR points
 * of y), both operands packed into panels (for each k, the tile's values side
 * by side: y is stored transposed per panel, so the inner loop is a few
 * vector instructions), y blocked for L2, 64-row OpenMP tasks. Each sum adds
 * its coordinates in order from k = 0, as the plain loop does.
 *
 *   cc -O3 -march=native -fopenmp -shared -fPIC cityblock_blocked.c -o cityblock.so
 *
 * x is (n, d), y is (m, d), out is (n, m), all float64 in C order. */

#include <stdlib.h>
#include <string.h>

/* f64 lanes of one vector register, as in the Rust kernel's LANES: 8 with
 * AVX-512, else 4 (AVX; without it GCC splits the vectors into SSE2 halves).
 * GCC's vector extensions let us write the arithmetic once, portably. */
#if defined(__AVX512F__)
#define LANES 8
#else
#define LANES 4
#endif
typedef double vd __attribute__((vector_size(LANES * 8)));
typedef long long vi __attribute__((vector_size(LANES * 8)));

enum {
    MR = 4,             /* points of x per tile */
    NR = 2 * LANES,     /* points of y per tile: two vectors, so 4 x 2 = 8 independent
                           sums in registers, enough to hide the adder's latency */
    ROWS_PER_TASK = 64, /* output rows per OpenMP task (a multiple of MR) */
};
/* Bytes of packed y kept hot in L2 while a task sweeps its rows over them. */
#define Y_BLOCK_BYTES (256 * 1024)

/* |v|: clear the sign bits (there is no vector fabs in GCC's extensions). */
static inline vd vabs(vd v)
{
    const vi mask = (vi){0} + 0x7fffffffffffffffLL;
    return (vd)((vi)v & mask);
}

/* Packs the rows of a (len, d) into panels of w rows: panel p holds, for each
 * k, the w values a[p*w + r, k] side by side. The last panel is padded with
 * zeros (its results are never stored). 64-byte aligned for the vector loads. */
static double *pack_panels(const double *a, long len, long d, long w)
{
    long panels = (len + w - 1) / w;
    size_t bytes = (size_t)(panels * w * d) * sizeof(double);
    bytes = (bytes + 63) / 64 * 64; /* aligned_alloc wants a multiple */
    double *packed = aligned_alloc(64, bytes);
    if (!packed)
        return NULL;
#pragma omp parallel for schedule(static)
    for (long p = 0; p < panels; p++) {
        double *panel = packed + p * w * d;
        for (long r = 0; r < w; r++) {
            long i = p * w + r;
            for (long k = 0; k < d; k++)
                panel[k * w + r] = i < len ? a[i * d + k] : 0.0;
        }
    }
    return packed;
}

/* One MR x NR tile of out (top-left at out, row stride ldo), of which only
 * rows x cols are inside the matrix (ragged edges). */
static inline void tile(const double *restrict xp, const double *restrict yp, long d,
                        double *restrict out, long ldo, long rows, long cols)
{
    vd acc[MR][2] = {{{0}}};
    for (long k = 0; k < d; k++) {
        const vd y0 = *(const vd *)(yp + k * NR); /* aligned: NR * 8 bytes per k */
        const vd y1 = *(const vd *)(yp + k * NR + LANES);
        for (int r = 0; r < MR; r++) { /* constant bounds: fully unrolled */
            const double xv = xp[k * MR + r]; /* broadcast by scalar - vector */
            acc[r][0] += vabs(xv - y0);
            acc[r][1] += vabs(xv - y1);
        }
    }
    for (long r = 0; r < rows; r++) /* memcpy: out rows need not be aligned */
        memcpy(out + r * ldo, (const double *)acc[r], (size_t)cols * sizeof(double));
}

/* Returns 0, or -1 when the packed copies could not be allocated (out is then
 * left unwritten). */
int cityblock_blocked(const double *x, const double *y, double *out, long n, long m, long d)
{
    if (n <= 0 || m <= 0)
        return 0;
    if (d <= 0) { /* empty sums: zero distances (and nothing to pack) */
        memset(out, 0, (size_t)(n * m) * sizeof(double));
        return 0;
    }
    double *xp = pack_panels(x, n, d, MR);
    double *yp = pack_panels(y, m, d, NR);
    if (!xp || !yp) {
        free(xp);
        free(yp);
        return -1;
    }
    /* Columns of y per block: as many whole panels as fit Y_BLOCK_BYTES. */
    long cols_per_block = Y_BLOCK_BYTES / (8 * d) / NR;
    cols_per_block = (cols_per_block > 0 ? cols_per_block : 1) * NR;
    long tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;

    /* Dynamic: the last task may be short, and other processes may steal a
     * core for a while. */
#pragma omp parallel for schedule(dynamic)
    for (long task = 0; task < tasks; task++) {
        long first = task * ROWS_PER_TASK;
        long last = first + ROWS_PER_TASK < n ? first + ROWS_PER_TASK : n;
        for (long jb = 0; jb < m; jb += cols_per_block) {
            long jend = jb + cols_per_block < m ? jb + cols_per_block : m;
            /* The y block stays in L2 while this task's x panels (each MR * d
             * values, in L1) sweep over it. */
            for (long i0 = first; i0 < last; i0 += MR) {
                const double *x_panel = xp + i0 * d; /* i0 is a multiple of MR */
                long rows = last - i0 < MR ? last - i0 : MR;
                for (long j0 = jb; j0 < jend; j0 += NR) {
                    long cols = jend - j0 < NR ? jend - j0 : NR;
                    tile(x_panel, yp + j0 * d, d, out + i0 * m + j0, m, rows, cols);
                }
            }
        }
    }
    free(xp);
    free(yp);
    return 0;
}
