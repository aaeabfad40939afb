// The CUDA C that the lab's kernels use, for a C++ compiler on the CPU (given
// code). build.rs force-includes this header before each src/cuda/*.cu, so
// that the tests can run a kernel with no GPU: every thread of a block is an
// OS thread, blocks run one after the other (in a shuffled order), the
// threads of a block take turns from one __syncthreads to the next (first to
// last, and last to first in a second run), and __shared__ arrays are
// statics (one block at a time uses them, and each block finds them full of
// NaN, as a GPU leaves them uninitialised).
//
// It runs the kernel's logic, not its speed, and only the subset of CUDA C
// the lab needs: built-in indices, __shared__, __syncthreads, fabs, sqrt,
// fmax, fmin. Anything else fails to compile here first.
#pragma once

#include <cmath>

using std::fabs;
using std::fmax;
using std::fmin;
using std::sqrt;

struct uint3 {
    unsigned int x, y, z;
};
struct dim3 {
    unsigned int x, y, z;
};

// CUDA's built-in variables, one copy per emulated thread.
extern thread_local uint3 threadIdx;
extern thread_local uint3 blockIdx;
extern thread_local dim3 blockDim;
extern thread_local dim3 gridDim;

// A barrier for the threads of the current block: the thread waits until
// every other has had its turn up to here. It throws (and the launch reports
// it) when some threads of the block have already returned: on a GPU that
// hangs or corrupts results.
void __syncthreads();

#define __global__
#define __device__ static
#define __forceinline__ inline
// Every __shared__ array goes to one linker section, which the runtime fills
// with signalling NaNs before each block (emu_poison_shared_memory): a kernel
// that reads shared memory its block never wrote gets NaN, not the zeros of a
// fresh static or the values an earlier block left.
#if defined(__APPLE__)
#define EMU_SHARED_SECTION __attribute__((section("__DATA,__emu_shared")))
#else
#define EMU_SHARED_SECTION __attribute__((section("emu_shared")))
#endif
#define __shared__ static EMU_SHARED_SECTION
