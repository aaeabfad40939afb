// Exercise 6: y = A v with one thread per row of A (rows x cols), two memory layouts.
//
// The arithmetic is the same; only the address of A's element (i, k) differs:
//   row-major    a[i * cols + k]
//   column-major a[k * rows + i]
// Launch (given, `launch::per_row`): 256 threads per block along x.
// Which one is coalesced, when a warp's 32 threads (rows i .. i + 31) read
// element k of their rows together? The benchmark measures the difference.
//
// Test: cargo test -p gpu --test coalescing

// ANCHOR: gemv_row_major
extern "C" __global__ void gemv_row_major(const double* __restrict__ a,
                                          const double* __restrict__ v,
                                          double* __restrict__ y,
                                          unsigned long long rows,
                                          unsigned long long cols) {
    // TODO: this thread's row i; return when i >= rows; y[i] = sum over k of
    // a[i * cols + k] * v[k], k ascending.
}
// ANCHOR_END: gemv_row_major

// ANCHOR: gemv_col_major
extern "C" __global__ void gemv_col_major(const double* __restrict__ a,
                                          const double* __restrict__ v,
                                          double* __restrict__ y,
                                          unsigned long long rows,
                                          unsigned long long cols) {
    // TODO: as gemv_row_major, with A's element (i, k) at a[k * rows + i].
}
// ANCHOR_END: gemv_col_major
