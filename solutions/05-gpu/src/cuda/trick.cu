// The two kernels around cuBLAS's GEMM in |x|^2 + |y|^2 - 2 x.y.
//
// 1. row_sq_norms: out[i] = sum_k a[i, k]^2, one thread per row.
// 2. sqeuclidean_epilogue: GEMM leaves g = -2 x.y^T in r (alpha = -2); one
//    pass turns it into the distances, r[i, j] = max(xx[i] + yy[j] + g, 0),
//    with the square root fused in when `take_sqrt` is not 0. Fusing means r
//    is read and written once: the epilogue is limited by memory bandwidth,
//    and a second pass (a separate sqrt) would double its time.

extern "C" __global__ void row_sq_norms(const double* __restrict__ a,
                                        double* __restrict__ out,
                                        unsigned long long rows,
                                        unsigned long long d) {
    const unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= rows) {
        return;
    }
    const double* ai = a + i * d;
    double sum = 0.0;
    for (unsigned long long k = 0; k < d; ++k) {
        sum += ai[k] * ai[k];
    }
    out[i] = sum;
}

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
