// Exercise 3: squared Euclidean distances, one thread per output element.
//
// r[i, j] = sum_k (x[i, k] - y[j, k])^2, launched like cityblock_naive.
//
// Test: cargo test -p gpu --test naive

// ANCHOR: sqeuclidean_naive
extern "C" __global__ void sqeuclidean_naive(const double* __restrict__ x,
                                             const double* __restrict__ y,
                                             double* __restrict__ r,
                                             unsigned long long n,
                                             unsigned long long m,
                                             unsigned long long d) {
    // TODO: as cityblock_naive, with the square of the difference (diff * diff, which the
    // compiler turns into a fused multiply-add) instead of its absolute value.
}
// ANCHOR_END: sqeuclidean_naive
