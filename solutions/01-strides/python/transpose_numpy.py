"""The CSCS numpy/01 timing cells (transpose and flatten a 5000x5000 f64
matrix), timed on this machine so the lab 1 chapter can put NumPy and the Rust
bench side by side. Same method as the criterion bench: warm up, then the best
of several repeats.

    python3 -m venv .venv && .venv/bin/pip install numpy
    .venv/bin/python solutions/01-strides/python/transpose_numpy.py [--json]

With `--json`, one line per cell for `cargo xtask bench --book`, named as the Rust bench names
its functions (its group `transpose_<n>x<n>_f64`), so the NumPy column joins the Rust table.
"""

import json
import os
import platform
import sys
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
# The Rust bench's function ids (exercises/01-strides/benches/transpose.rs), in the same order.
bench_ids = [
    "transpose_and_ravel_views",
    "flatten_contiguous_copy",
    "ravel_of_transpose_strided_copy",
    "reused_buffer/contiguous_copy",
    "reused_buffer/strided_copy",
]
as_json = "--json" in sys.argv[1:]

print(f"NumPy {np.__version__}, Python {platform.python_version()}, {n}x{n} f64")
for (name, cell), bench_id in zip(cells.items(), bench_ids):
    cell()  # warm-up: first touch of fresh memory is slow on VMs
    per_call = timeit.timeit(cell, number=1)
    number = max(1, int(0.2 / max(per_call, 1e-9)))
    runs = [t / number for t in timeit.repeat(cell, number=number, repeat=7)]
    best = min(runs)
    if as_json:
        print(json.dumps({"table": f"transpose_{n}x{n}_f64", "row": bench_id,
                          "column": "NumPy", "seconds": runs}))
    unit, scale = ("ns", 1e9) if best < 1e-6 else ("ms", 1e3)
    print(f"{name:50s} {best * scale:10.3f} {unit}")
