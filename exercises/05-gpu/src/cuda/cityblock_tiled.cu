// Exercise 4: Cityblock (L1) distances, tiled through shared memory and registers.
//
// The naive kernel reads x[i, :] and y[j, :] from global memory for every
// output. Here a block of 16 x 16 threads computes a 64 x 64 tile of r: it
// stages 64 rows of x and 64 rows of y, TK columns at a time, in shared
// memory, and each thread keeps a 4 x 4 patch of r in registers.
//
// Launch (given, `launch::tiled`): block 16 x 16, grid ceil(m / 64) x ceil(n / 64).
//
// Test: cargo test -p gpu --test tiled

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
    // TODO, in four steps:
    // 1. `__shared__ double xs[TK][TILE + 2], ys[TK][TILE + 2];` and a `double acc[PT][PT]`
    //    of zeros. The block's tile starts at row i0 = blockIdx.y * TILE, column
    //    j0 = blockIdx.x * TILE; thread (tx, ty) owns r[i0 + ty + TB * a, j0 + tx + TB * b]
    //    for a, b < PT (strided, so that a warp's stores stay coalesced).
    // 2. For k0 = 0, TK, 2 TK, ... < d: the block's 256 threads copy the TILE x TK pieces
    //    x[i0 + row, k0 + k] into xs[k][row] and y[j0 + row, k0 + k] into ys[k][row]
    //    (element e = t, t + 256, ... with row = e / TK, k = e % TK, where t is the thread's
    //    number in the block), 0.0 past the edges (row or column out of range);
    //    __syncthreads(); acc[a][b] += fabs(xs[k][ty + TB * a] - ys[k][tx + TB * b]) for
    //    every k < TK, a, b; __syncthreads() again before the next step overwrites the tiles.
    // 3. Every thread reaches both barriers: no early return (the emulator reports one).
    // 4. Store acc[a][b] where the row is below n and the column below m.
}
// ANCHOR_END: cityblock_tiled
