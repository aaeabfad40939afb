// Cityblock (L1) distances, one thread per output element.
//
// r[i, j] = sum_k |x[i, k] - y[j, k]|, x is n x d, y is m x d, r is n x m,
// all row-major. Launch: 2-D grid, x along the columns j, y along the rows i
// (see `launch::per_element`), so a warp writes 32 consecutive r[i, j].

// ANCHOR: cityblock_naive
extern "C" __global__ void cityblock_naive(const double* __restrict__ x,
                                           const double* __restrict__ y,
                                           double* __restrict__ r,
                                           unsigned long long n,
                                           unsigned long long m,
                                           unsigned long long d) {
    // 64-bit indices: n * m passes 2^32 at 65536 x 65536.
    const unsigned long long j = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
    const unsigned long long i = (unsigned long long)blockIdx.y * blockDim.y + threadIdx.y;
    // The guard: the last blocks stick out past the edges of r.
    if (i >= n || j >= m) {
        return;
    }
    const double* xi = x + i * d;
    const double* yj = y + j * d;
    double sum = 0.0;
    for (unsigned long long k = 0; k < d; ++k) {
        sum += fabs(xi[k] - yj[k]);
    }
    r[i * m + j] = sum;
}
// ANCHOR_END: cityblock_naive
