// The two kernels around cuBLAS's GEMM in |x|^2 + |y|^2 - 2 x.y.
//
// 1. row_sq_norms: out[i] = sum_k a[i, k]^2, a warp per row. The matrix is
//    row-major, so one thread per row would be exercise 6's uncoalesced
//    pattern (a warp's 32 loads `d` doubles apart), and only 20 blocks of
//    256 threads at n = 5000, for an H100's 132 SMs. Here the 32 threads of
//    a warp share row i and stride over its k: each load is 32 consecutive
//    doubles, and 8 rows per block make n / 8 blocks (launch:
//    `launch::row_norms`). The norms are O((n + m) d) work against the
//    GEMM's O(n m d), a small share of the trick either way; but at the
//    original's d = 5000 they read all of x and y (400 MB), and should do it
//    at the memory's speed.
// 2. sqeuclidean_epilogue: GEMM leaves g = -2 x.y^T in r (alpha = -2); one
//    pass turns it into the distances, r[i, j] = max(xx[i] + yy[j] + g, 0),
//    with the square root fused in when `take_sqrt` is not 0. Fusing means r
//    is read and written once: the epilogue is limited by memory bandwidth,
//    and a second pass (a separate sqrt) would double its time.

// ANCHOR: row_sq_norms
#define LANES 32           // threads per row, along x: one warp
#define ROWS_PER_BLOCK 8   // rows per block, along y

extern "C" __global__ void row_sq_norms(const double* __restrict__ a,
                                        double* __restrict__ out,
                                        unsigned long long rows,
                                        unsigned long long d) {
    __shared__ double partial[ROWS_PER_BLOCK][LANES];
    const unsigned lane = threadIdx.x;
    const unsigned row = threadIdx.y;
    const unsigned long long i = (unsigned long long)blockIdx.x * ROWS_PER_BLOCK + row;

    // Each lane sums every LANES-th square of row i: at each step the warp
    // reads 32 consecutive doubles. Past the last row, 0: no early return,
    // every thread must reach the barriers below.
    double sum = 0.0;
    if (i < rows) {
        const double* ai = a + i * d;
        for (unsigned long long k = lane; k < d; k += LANES) {
            sum += ai[k] * ai[k];
        }
    }
    partial[row][lane] = sum;
    __syncthreads();

    // A tree in shared memory: 32 partial sums, then 16, ..., then 1.
    for (unsigned half = LANES / 2; half > 0; half /= 2) {
        if (lane < half) {
            partial[row][lane] += partial[row][lane + half];
        }
        __syncthreads();
    }
    if (lane == 0 && i < rows) {
        out[i] = partial[row][0];
    }
}
// ANCHOR_END: row_sq_norms

// ANCHOR: sqeuclidean_epilogue
extern "C" __global__ void sqeuclidean_epilogue(const double* __restrict__ xx,
                                                const double* __restrict__ yy,
                                                double* __restrict__ r,
                                                unsigned long long n,
                                                unsigned long long m,
                                                int take_sqrt) {
    const unsigned long long j = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
    const unsigned long long i = (unsigned long long)blockIdx.y * blockDim.y + threadIdx.y;
    if (i >= n || j >= m) {
        return;
    }
    const unsigned long long at = i * m + j;
    // Rounding can leave a tiny negative where the distance is 0: clamp it,
    // or sqrt turns it into NaN.
    double s = fmax(xx[i] + yy[j] + r[at], 0.0);
    r[at] = take_sqrt ? sqrt(s) : s;
}
// ANCHOR_END: sqeuclidean_epilogue
