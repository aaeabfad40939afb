"""The CSCS numpy/01 timing cells (transpose and flatten a 5000x5000 f64
matrix), timed on this machine so the lab 1 chapter can put NumPy and the Rust
bench side by side. Same method as the criterion bench: warm up, then the best
of several repeats.

    python3 -m venv .venv && .venv/bin/pip install numpy
    .venv/bin/python solutions/01-strides/python/transpose_numpy.py
"""

import os
import platform
import timeit

import numpy as np

n = int(os.environ.get("STRIDES_BENCH_N", "5000"))
x = np.random.default_rng(699).random((n, n))
out = np.empty_like(x)

cells = {
    "x.T; x.ravel()  (views)": lambda: (x.T, x.ravel()),
    "x.flatten()  (contiguous copy)": lambda: x.flatten(),
    "x.T.ravel()  (strided copy)": lambda: x.T.ravel(),
    "np.copyto(out, x)  (contiguous, reused buffer)": lambda: np.copyto(out, x),
    "np.copyto(out, x.T)  (strided, reused buffer)": lambda: np.copyto(out, x.T),
}

print(f"NumPy {np.__version__}, Python {platform.python_version()}, {n}x{n} f64")
for name, cell in cells.items():
    cell()  # warm-up: first touch of fresh memory is slow on VMs
    per_call = timeit.timeit(cell, number=1)
    number = max(1, int(0.2 / max(per_call, 1e-9)))
    best = min(timeit.repeat(cell, number=number, repeat=7)) / number
    unit, scale = ("ns", 1e9) if best < 1e-6 else ("ms", 1e3)
    print(f"{name:50s} {best * scale:10.3f} {unit}")
