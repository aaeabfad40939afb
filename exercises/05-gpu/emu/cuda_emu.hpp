// The CUDA C that the lab's kernels use, for a C++ compiler on the CPU (given
// code). build.rs force-includes this header before each src/cuda/*.cu, so
// that the tests can run a kernel with no GPU: every thread of a block is an
// OS thread, blocks run one after the other, __shared__ arrays are statics
// (one block at a time uses them) and __syncthreads is a barrier.
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

// A barrier for the threads of the current block; it throws (and the launch
// reports it) when some threads of the block have already returned: on a GPU
// that hangs or corrupts results.
void __syncthreads();

#define __global__
#define __device__ static
#define __forceinline__ inline
#define __shared__ static
