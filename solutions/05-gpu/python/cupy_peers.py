"""Lab 5's Python peers on the GPU: the original course's CuPy code, timed as the Rust bench is.

Run on a machine with an NVIDIA GPU and CuPy (`cargo xtask gpu-test` runs it after the Rust
benchmarks):

    python3 solutions/05-gpu/python/cupy_peers.py [--quick]

Every figure is the best of several runs after a warm-up, timed with CUDA events around work on
data already on the GPU (float64, as the Rust side), like the bench's `iter_custom`. It prints a
Markdown table; the Rust figures are in criterion's output (target/criterion).
"""

import argparse
import sys
import time

try:
    import cupy as cp
except ImportError:  # pragma: no cover - depends on the machine
    print("cupy_peers skipped: CuPy is not installed (pip install cupy-cuda12x or cupy-cuda13x)")
    sys.exit(0)


def best_ms(work, repeats=10, warmup=2):
    """The GPU's best time for work(), in milliseconds, between two CUDA events."""
    for _ in range(warmup):
        work()
    cp.cuda.Device().synchronize()
    best = float("inf")
    for _ in range(repeats):
        start, end = cp.cuda.Event(), cp.cuda.Event()
        start.record()
        work()
        end.record()
        end.synchronize()
        best = min(best, cp.cuda.get_elapsed_time(start, end))
    return best


def sqeuclidean_trick(x, y):
    """The original's EDM on the GPU: |x|^2 + |y|^2 - 2 x.y^T, clamped at 0."""
    xx = (x * x).sum(axis=1)
    yy = (y * y).sum(axis=1)
    return cp.maximum(xx[:, None] + yy[None, :] - 2.0 * (x @ y.T), 0.0)


def cityblock_broadcast(x, y, rows=500):
    """Cityblock by broadcasting, in row blocks so that the n x m x d temporary fits."""
    out = cp.empty((x.shape[0], y.shape[0]))
    for i in range(0, x.shape[0], rows):
        out[i : i + rows] = cp.abs(x[i : i + rows, None, :] - y[None, :, :]).sum(axis=2)
    return out


CITYBLOCK_RAW = cp.RawKernel(
    r"""
extern "C" __global__ void cityblock_raw(const double* x, const double* y, double* r,
                                         long long n, long long m, long long d) {
    long long j = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    long long i = (long long)blockIdx.y * blockDim.y + threadIdx.y;
    if (i >= n || j >= m) return;
    double s = 0.0;
    for (long long k = 0; k < d; ++k) s += fabs(x[i * d + k] - y[j * d + k]);
    r[i * m + j] = s;
}
""",
    "cityblock_raw",
)


def cityblock_raw(x, y):
    """Cityblock with a CuPy RawKernel: the lab's naive kernel, launched from Python."""
    n, d = x.shape
    m = y.shape[0]
    out = cp.empty((n, m))
    block = (32, 8)
    grid = ((m + block[0] - 1) // block[0], (n + block[1] - 1) // block[1])
    CITYBLOCK_RAW(grid, block, (x, y, out, cp.int64(n), cp.int64(m), cp.int64(d)))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    args = parser.parse_args()
    course = (500, 500, 50) if args.quick else (5000, 5000, 50)
    original = (500, 500, 500) if args.quick else (5000, 5000, 5000)

    device = cp.cuda.Device()
    name = cp.cuda.runtime.getDeviceProperties(device.id)["name"].decode()
    print(f"## CuPy {cp.__version__} on {name}\n")
    print("| what | size | best ms |")
    print("|---|---|---|")
    rng = cp.random.default_rng(0)
    for label, (n, m, d), work in [
        ("EDM trick (CuPy)", course, sqeuclidean_trick),
        ("EDM trick (CuPy)", original, sqeuclidean_trick),
        ("Cityblock RawKernel (CuPy)", course, cityblock_raw),
        ("Cityblock broadcasting (CuPy)", course, cityblock_broadcast),
    ]:
        x = rng.random((n, d))
        y = rng.random((m, d))
        ms = best_ms(lambda: work(x, y), repeats=5 if d > 1000 else 10)
        print(f"| {label} | {n}x{m}x{d} | {ms:.3f} |")
    # The first-call cost of a RawKernel: NVRTC compiling it, CPU time (CuPy caches the result
    # on disk, so a fresh name is compiled).
    fresh = f"cityblock_fresh_{time.time_ns()}"
    kernel = cp.RawKernel(CITYBLOCK_RAW.code.replace("cityblock_raw", fresh), fresh)
    started = time.perf_counter()
    kernel.compile()
    compile_ms = (time.perf_counter() - started) * 1e3
    print(f"| RawKernel compile (NVRTC, first call) | - | {compile_ms:.3f} |")

if __name__ == "__main__":
    main()
