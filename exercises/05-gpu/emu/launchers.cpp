// One C entry point per kernel, for the Rust side (`src/given/emulator.rs`) to call
// (given code). The kernels themselves are compiled from src/cuda/*.cu, each
// on its own, with cuda_emu.hpp force-included.
#include "runtime.hpp"

typedef unsigned long long u64;

#define PAIRWISE_KERNEL(name)                                                           \
    extern "C" void name(const double* x, const double* y, double* r, u64 n, u64 m,    \
                         u64 d);                                                         \
    extern "C" int emu_##name(EmuLaunch* launch, const double* x, const double* y, \
                              double* r, u64 n, u64 m, u64 d) {                          \
        return emu_run(*launch, [=] { name(x, y, r, n, m, d); });                        \
    }

PAIRWISE_KERNEL(cityblock_naive)
PAIRWISE_KERNEL(cityblock_tiled)
PAIRWISE_KERNEL(sqeuclidean_naive)

extern "C" void row_sq_norms(const double* a, double* out, u64 rows, u64 d);
extern "C" int emu_row_sq_norms(EmuLaunch* launch, const double* a, double* out, u64 rows,
                                u64 d) {
    return emu_run(*launch, [=] { row_sq_norms(a, out, rows, d); });
}

extern "C" void sqeuclidean_epilogue(const double* xx, const double* yy, double* r, u64 n, u64 m,
                                     int take_sqrt);
extern "C" int emu_sqeuclidean_epilogue(EmuLaunch* launch, const double* xx,
                                        const double* yy, double* r, u64 n, u64 m,
                                        int take_sqrt) {
    return emu_run(*launch, [=] { sqeuclidean_epilogue(xx, yy, r, n, m, take_sqrt); });
}

#define GEMV_KERNEL(name)                                                                  \
    extern "C" void name(const double* a, const double* v, double* y, u64 rows, u64 cols); \
    extern "C" int emu_##name(EmuLaunch* launch, const double* a, const double* v,    \
                              double* y, u64 rows, u64 cols) {                              \
        return emu_run(*launch, [=] { name(a, v, y, rows, cols); });                        \
    }

GEMV_KERNEL(gemv_row_major)
GEMV_KERNEL(gemv_col_major)

// The emulator's own probe, for its tests (`emulator::probe`): a kernel whose
// thread (0, 0) of each block records, in the order the blocks run, the
// block's index and the bits its __shared__ variable held when the block
// started, then writes to it (a value a later block must not see).
extern "C" int emu_probe(EmuLaunch* launch, unsigned* blocks_x, unsigned* blocks_y,
                         u64* shared_at_start) {
    unsigned long long next = 0;  // blocks run one at a time: no race on it
    return emu_run(*launch, [&] {
        __shared__ double seen;
        if (threadIdx.x == 0 && threadIdx.y == 0) {
            u64 bits;
            static_assert(sizeof bits == sizeof seen, "a double is 64 bits");
            __builtin_memcpy(&bits, &seen, sizeof bits);
            blocks_x[next] = blockIdx.x;
            blocks_y[next] = blockIdx.y;
            shared_at_start[next] = bits;
            ++next;
            seen = 1.0;
        }
    });
}

// The emulator's race probe (`emulator::race_probe`): in one block, each thread
// writes its number to a __shared__ array, then reads the next thread's, with
// a __syncthreads() between them when `barrier` is not 0. Without it, whether
// a thread sees its neighbour's number depends on which ran first: a race,
// which the two runs of the launch must tell apart.
extern "C" int emu_race_probe(EmuLaunch* launch, double* out, int barrier) {
    return emu_run(*launch, [=] {
        __shared__ double numbers[1024];  // a block has at most 1024 threads
        const unsigned threads = blockDim.x * blockDim.y;
        const unsigned t = threadIdx.y * blockDim.x + threadIdx.x;
        numbers[t] = t;
        if (barrier != 0) {
            __syncthreads();
        }
        out[t] = numbers[(t + 1) % threads];
    });
}
