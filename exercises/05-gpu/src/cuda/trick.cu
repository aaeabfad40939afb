// Exercise 5: the two kernels around cuBLAS's GEMM in |x|^2 + |y|^2 - 2 x.y.
//
// 1. row_sq_norms: out[i] = sum_k a[i, k]^2, one thread per row (launch:
//    `launch::per_row`, 256 threads per block along x).
// 2. sqeuclidean_epilogue: GEMM leaves g = -2 x.y^T in r (alpha = -2); one
//    pass turns it into the distances, r[i, j] = max(xx[i] + yy[j] + g, 0),
//    with the square root fused in when `take_sqrt` is not 0 (launch:
//    `launch::per_element`, like the naive kernels).
//
// Test: cargo test -p gpu --test trick

// ANCHOR: row_sq_norms
extern "C" __global__ void row_sq_norms(const double* __restrict__ a,
                                        double* __restrict__ out,
                                        unsigned long long rows,
                                        unsigned long long d) {
    // TODO: this thread's row i along x; return when i >= rows; out[i] = the sum of the
    // squares of row i.
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
