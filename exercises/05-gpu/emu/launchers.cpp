// One C entry point per kernel, for the Rust side (`src/given/emulator.rs`) to call
// (given code). The kernels themselves are compiled from src/cuda/*.cu, each
// on its own, with cuda_emu.hpp force-included.
#include "runtime.hpp"

typedef unsigned long long u64;

#define PAIRWISE_KERNEL(name)                                                           \
    extern "C" void name(const double* x, const double* y, double* r, u64 n, u64 m,    \
                         u64 d);                                                         \
    extern "C" int emu_##name(const EmuLaunch* launch, const double* x, const double* y, \
                              double* r, u64 n, u64 m, u64 d) {                          \
        return emu_run(*launch, [=] { name(x, y, r, n, m, d); });                        \
    }

PAIRWISE_KERNEL(cityblock_naive)
PAIRWISE_KERNEL(cityblock_tiled)
PAIRWISE_KERNEL(sqeuclidean_naive)

extern "C" void row_sq_norms(const double* a, double* out, u64 rows, u64 d);
extern "C" int emu_row_sq_norms(const EmuLaunch* launch, const double* a, double* out, u64 rows,
                                u64 d) {
    return emu_run(*launch, [=] { row_sq_norms(a, out, rows, d); });
}

extern "C" void sqeuclidean_epilogue(const double* xx, const double* yy, double* r, u64 n, u64 m,
                                     int take_sqrt);
extern "C" int emu_sqeuclidean_epilogue(const EmuLaunch* launch, const double* xx,
                                        const double* yy, double* r, u64 n, u64 m,
                                        int take_sqrt) {
    return emu_run(*launch, [=] { sqeuclidean_epilogue(xx, yy, r, n, m, take_sqrt); });
}

#define GEMV_KERNEL(name)                                                                  \
    extern "C" void name(const double* a, const double* v, double* y, u64 rows, u64 cols); \
    extern "C" int emu_##name(const EmuLaunch* launch, const double* a, const double* v,    \
                              double* y, u64 rows, u64 cols) {                              \
        return emu_run(*launch, [=] { name(a, v, y, rows, cols); });                        \
    }

GEMV_KERNEL(gemv_row_major)
GEMV_KERNEL(gemv_col_major)
