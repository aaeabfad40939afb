// Exercise 5: the two kernels around cuBLAS's GEMM in |x|^2 + |y|^2 - 2 x.y.
//
// 1. row_sq_norms: out[i] = sum_k a[i, k]^2, a warp per row (launch, given:
//    `launch::row_norms`, blocks of LANES x ROWS_PER_BLOCK threads,
//    ceil(rows / ROWS_PER_BLOCK) blocks along x). The matrix is row-major: with one thread per row, a
//    warp's 32 loads would lie `d` doubles apart, exercise 6's uncoalesced
//    pattern. With the 32 threads of a warp on the same row, striding over k,
//    each load is 32 consecutive doubles.
// 2. sqeuclidean_epilogue: GEMM leaves g = -2 x.y^T in r (alpha = -2); one
//    pass turns it into the distances, r[i, j] = max(xx[i] + yy[j] + g, 0),
//    with the square root fused in when `take_sqrt` is not 0 (launch:
//    `launch::per_element`, like the naive kernels).
//
// Test: cargo test -p gpu --test trick

// ANCHOR: row_sq_norms
#define LANES 32           // threads per row, along x: one warp
#define ROWS_PER_BLOCK 8   // rows per block, along y

extern "C" __global__ void row_sq_norms(const double* __restrict__ a,
                                        double* __restrict__ out,
                                        unsigned long long rows,
                                        unsigned long long d) {
    // TODO, in three steps:
    // 1. This thread's row is i = blockIdx.x * ROWS_PER_BLOCK + threadIdx.y (in unsigned
    //    long long), its lane threadIdx.x. The lane's partial sum: the squares of a[i, k] for
    //    k = lane, lane + LANES, lane + 2 LANES, ... below d; 0 when i >= rows.
    // 2. Add up the row's LANES partial sums in a `__shared__` array with a row per
    //    threadIdx.y, as a tree: half the lanes add in the other half's sums, then half of
    //    those, ..., down to one, with a __syncthreads() before each step reads. Every
    //    thread of the block reaches every barrier: no early return (the emulator reports
    //    one), even past the last row.
    // 3. Lane 0 stores the row's total in out[i], when i < rows.
}
// ANCHOR_END: row_sq_norms

// ANCHOR: sqeuclidean_epilogue
extern "C" __global__ void sqeuclidean_epilogue(const double* __restrict__ xx,
                                                const double* __restrict__ yy,
                                                double* __restrict__ r,
                                                unsigned long long n,
                                                unsigned long long m,
                                                int take_sqrt) {
    // TODO: this thread's (i, j) as in cityblock_naive, with the same guard; then
    // s = fmax(xx[i] + yy[j] + r[i * m + j], 0.0) (rounding can leave a tiny negative where
    // the distance is 0, and sqrt would make it NaN), and store s, or sqrt(s) when
    // take_sqrt is not 0.
}
// ANCHOR_END: sqeuclidean_epilogue
