// Cityblock (L1) distances, tiled through shared memory and registers.
//
// The naive kernel reads x[i, :] and y[j, :] from global memory for every
// output, n * m * d * 2 loads for n * m * d * 2 flops. Here a block of
// 16 x 16 threads computes a 64 x 64 tile of r: it stages 64 rows of x and
// 64 rows of y, TK columns at a time, in shared memory, and each thread keeps
// a 4 x 4 patch of r in registers. Each value read from shared memory then
// serves 4 outputs, and each value read from global memory serves 64.
//
// Launch (see `launch::tiled`): block 16 x 16, grid
// ceil(m / 64) x ceil(n / 64), no dynamic shared memory.

// ANCHOR: cityblock_tiled
#define TB 16              // threads per block along x and along y
#define PT 4               // outputs per thread along each axis
#define TILE (TB * PT)     // the block's tile of r is TILE x TILE
#define TK 8               // columns of x and y staged per step

extern "C" __global__ void cityblock_tiled(const double* __restrict__ x,
                                           const double* __restrict__ y,
                                           double* __restrict__ r,
                                           unsigned long long n,
                                           unsigned long long m,
                                           unsigned long long d) {
    // Stored k-major, xs[k][row], so that a warp reading ys[k][tx + ...]
    // reads consecutive doubles. The +2 is for the writes: the 16 threads of
    // a half-warp (which is what a 64-bit access is served by) write 2 rows
    // x 8 k, at double offsets k * (TILE + 2) + row, whose bank is
    // (2k + row) mod 16: 16 different banks. With TILE + 1 the bank would be
    // (k + row) mod 16, and (k, row + 1) would share one with (k + 1, row):
    // a 2-way conflict on every write.
    __shared__ double xs[TK][TILE + 2];
    __shared__ double ys[TK][TILE + 2];

    const unsigned tx = threadIdx.x;
    const unsigned ty = threadIdx.y;
    const unsigned t = ty * TB + tx;
    const unsigned long long i0 = (unsigned long long)blockIdx.y * TILE;
    const unsigned long long j0 = (unsigned long long)blockIdx.x * TILE;

    // Thread (tx, ty) owns r[i0 + ty + TB * a, j0 + tx + TB * b]: strided
    // rather than contiguous, so that a warp's stores stay coalesced.
    double acc[PT][PT];
    for (int a = 0; a < PT; ++a) {
        for (int b = 0; b < PT; ++b) {
            acc[a][b] = 0.0;
        }
    }

    for (unsigned long long k0 = 0; k0 < d; k0 += TK) {
        // Stage the tile: consecutive threads read consecutive k of a row
        // (coalesced). Past the edges, zeros: |0 - 0| adds nothing, so the
        // loop below needs no bounds checks.
        for (unsigned e = t; e < TILE * TK; e += TB * TB) {
            const unsigned row = e / TK;
            const unsigned k = e % TK;
            const unsigned long long gk = k0 + k;
            const unsigned long long gi = i0 + row;
            const unsigned long long gj = j0 + row;
            xs[k][row] = (gi < n && gk < d) ? x[gi * d + gk] : 0.0;
            ys[k][row] = (gj < m && gk < d) ? y[gj * d + gk] : 0.0;
        }
        // Every thread of the block reaches both barriers: no early return
        // above (the guard is at the store, at the end).
        __syncthreads();
        for (int k = 0; k < TK; ++k) {
            double xr[PT];
            double yr[PT];
            for (int a = 0; a < PT; ++a) {
                xr[a] = xs[k][ty + TB * a];
            }
            for (int b = 0; b < PT; ++b) {
                yr[b] = ys[k][tx + TB * b];
            }
            for (int a = 0; a < PT; ++a) {
                for (int b = 0; b < PT; ++b) {
                    acc[a][b] += fabs(xr[a] - yr[b]);
                }
            }
        }
        // Wait until every thread is done with this tile before the next
        // step overwrites it.
        __syncthreads();
    }

    for (int a = 0; a < PT; ++a) {
        const unsigned long long i = i0 + ty + TB * a;
        for (int b = 0; b < PT; ++b) {
            const unsigned long long j = j0 + tx + TB * b;
            if (i < n && j < m) {
                r[i * m + j] = acc[a][b];
            }
        }
    }
}
// ANCHOR_END: cityblock_tiled
