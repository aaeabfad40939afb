// y = A v with one thread per row of A (rows x cols), two memory layouts.
//
// The arithmetic is the same; only the address of A's element (i, k)
// differs. At step k, the 32 threads of a warp (rows i .. i + 31) read:
//   row-major    a[i * cols + k]: 32 addresses `cols` doubles apart, 32
//                separate memory transactions (uncoalesced);
//   column-major a[k * rows + i]: 32 consecutive doubles, 2 transactions of
//                128 bytes (coalesced).

// ANCHOR: gemv_row_major
extern "C" __global__ void gemv_row_major(const double* __restrict__ a,
                                          const double* __restrict__ v,
                                          double* __restrict__ y,
                                          unsigned long long rows,
                                          unsigned long long cols) {
    const unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= rows) {
        return;
    }
    double sum = 0.0;
    for (unsigned long long k = 0; k < cols; ++k) {
        sum += a[i * cols + k] * v[k];
    }
    y[i] = sum;
}
// ANCHOR_END: gemv_row_major

// ANCHOR: gemv_col_major
extern "C" __global__ void gemv_col_major(const double* __restrict__ a,
                                          const double* __restrict__ v,
                                          double* __restrict__ y,
                                          unsigned long long rows,
                                          unsigned long long cols) {
    const unsigned long long i = (unsigned long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= rows) {
        return;
    }
    double sum = 0.0;
    for (unsigned long long k = 0; k < cols; ++k) {
        sum += a[k * rows + i] * v[k];
    }
    y[i] = sum;
}
// ANCHOR_END: gemv_col_major
