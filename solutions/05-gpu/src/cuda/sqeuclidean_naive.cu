// Squared Euclidean distances, one thread per output element.
//
// r[i, j] = sum_k (x[i, k] - y[j, k])^2: the same loop as cityblock_naive
// with a square instead of an absolute value. Launched like it.

// ANCHOR: sqeuclidean_naive
extern "C" __global__ void sqeuclidean_naive(const double* __restrict__ x,
                                             const double* __restrict__ y,
                                             double* __restrict__ r,
                                             unsigned long long n,
                                             unsigned long long m,
                                             unsigned long long d) {
    const unsigned long long j = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
    const unsigned long long i = (unsigned long long)blockIdx.y * blockDim.y + threadIdx.y;
    if (i >= n || j >= m) {
        return;
    }
    const double* xi = x + i * d;
    const double* yj = y + j * d;
    double sum = 0.0;
    for (unsigned long long k = 0; k < d; ++k) {
        const double diff = xi[k] - yj[k];
        sum += diff * diff;  // one fused multiply-add
    }
    r[i * m + j] = sum;
}
// ANCHOR_END: sqeuclidean_naive
