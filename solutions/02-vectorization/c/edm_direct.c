/* The squared Euclidean distance matrix r[i,j] = sum_k (x[i,k] - y[j,k])^2,
 * computed directly by a register-blocked kernel: the C reference the lab's
 * Rust `sq_euclidean_direct` is compared with (`cargo xtask bench --compare
 * python` loads it from edm_peers.py through ctypes). Same shape as the Rust
 * kernel: MR x NR tiles, packed panels, y blocked for L2, 64-row tasks.
 *
 *   cc -O3 -march=native -fopenmp -shared -fPIC edm_direct.c -o edm_direct.so
 *
 * x is (n, d), y is (m, d), out is (n, m), all float64 in C order. */

#include <stdlib.h>
#include <string.h>

/* Four doubles: one AVX register. GCC's vector extensions let us write the
 * arithmetic once, portably; -march=native picks the instructions (and
 * contracts acc + diff * diff into an FMA where the CPU has one). */
typedef double v4d __attribute__((vector_size(32)));

enum {
    MR = 4,           /* points of x per tile */
    NR = 8,           /* points of y per tile: two v4d, so 4 x 2 = 8 accumulators,
                         few enough never to spill, enough to hide FMA latency */
    ROWS_PER_TASK = 64, /* output rows per OpenMP task (a multiple of MR) */
};
/* Bytes of packed y kept hot in L2 while a task sweeps its rows over them. */
#define Y_BLOCK_BYTES (256 * 1024)

/* Packs the rows of a (len, d) into panels of w rows: panel p holds, for each
 * k, the w values a[p*w + r, k] side by side, so the kernel reads both panels
 * front to back. The last panel is padded with zeros (its results are never
 * stored). 64-byte aligned: a y panel's NR values for one k are one line. */
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
    v4d acc[MR][2] = {{{0}}};
    for (long k = 0; k < d; k++) {
        const v4d y0 = *(const v4d *)(yp + k * NR); /* aligned: see pack_panels */
        const v4d y1 = *(const v4d *)(yp + k * NR + 4);
        for (int r = 0; r < MR; r++) { /* constant bounds: fully unrolled */
            const double xv = xp[k * MR + r]; /* broadcast by scalar - vector */
            const v4d d0 = xv - y0, d1 = xv - y1;
            acc[r][0] += d0 * d0;
            acc[r][1] += d1 * d1;
        }
    }
    if (rows == MR && cols == NR) {
        for (int r = 0; r < MR; r++) /* memcpy: out rows need not be aligned */
            memcpy(out + r * ldo, acc[r], sizeof acc[r]);
        return;
    }
    for (long r = 0; r < rows; r++) {
        const double *row = (const double *)acc[r];
        memcpy(out + r * ldo, row, (size_t)cols * sizeof(double));
    }
}

/* Returns 0, or -1 when the packed copies could not be allocated (out is then
 * left unwritten). */
int sq_euclidean_direct(const double *x, const double *y, double *out, long n, long m, long d)
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

    /* Dynamic: the last task may be short, and the other processes' threads
     * (or the OS) may steal a core for a while. */
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
