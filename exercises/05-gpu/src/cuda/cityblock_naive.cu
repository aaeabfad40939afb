// Exercise 3: Cityblock (L1) distances, one thread per output element.
//
// r[i, j] = sum_k |x[i, k] - y[j, k]|, x is n x d, y is m x d, r is n x m,
// all row-major. Launch (given, `launch::per_element`): a 2-D grid of blocks
// of 32 x 8 threads, x along the columns j, y along the rows i, so that a
// warp writes 32 consecutive r[i, j].
//
// Test: cargo test -p gpu --test naive

// ANCHOR: cityblock_naive
extern "C" __global__ void cityblock_naive(const double* __restrict__ x,
                                           const double* __restrict__ y,
                                           double* __restrict__ r,
                                           unsigned long long n,
                                           unsigned long long m,
                                           unsigned long long d) {
    // TODO: this thread's column j (blockIdx.x * blockDim.x + threadIdx.x, computed in
    // unsigned long long: n * m can pass 2^32) and row i (the same along y); return when
    // i >= n or j >= m (the last blocks stick out past the edges); then sum
    // fabs(x[i * d + k] - y[j * d + k]) over k and store it in r[i * m + j].
}
// ANCHOR_END: cityblock_naive
