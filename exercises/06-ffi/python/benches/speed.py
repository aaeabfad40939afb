"""The speed probe of lab 6's Python exercise (given code; lab.toml
`[speed.python]`): times your extension's `cityblock(x, y)` called from Python,
as the course's Python peers are timed, and prints one JSON line, as every
speed probe does:

    {"exercise": "python", "size": "NxMxD", "seconds": <best of K>}

`cargo xtask speed ffi` runs it once your module passes its tests, beside the
given kernel timed from Rust alone (benches/kernel_speed.rs): the difference is
what your binding costs. By hand, from the workspace's root, after
`maturin develop --release`:

    .venv/bin/python exercises/06-ffi/python/benches/speed.py --size 2000x2000x3

Before timing it compares 64 entries of the result with NumPy: a wrong result is
reported (exit status 1), never timed.
"""

import argparse
import importlib
import json
import sys
import time

import numpy as np

WARMUP_SECONDS = 0.2  # as support::speed's probes and support/python/course_peers.py
CHECKED = 64


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", required=True, help="NxMxD, e.g. 2000x2000x3")
    parser.add_argument("--inner", type=int, default=3, help="timed calls; the best is kept")
    parser.add_argument("--module", default="ffi_lab", help="the module to time")
    args = parser.parse_args()
    try:
        n, m, d = (int(part) for part in args.size.split("x"))
    except ValueError:
        sys.exit(f"speed probe: --size {args.size}: expected NxMxD, e.g. 2000x2000x3")
    module = importlib.import_module(args.module)

    rng = np.random.default_rng(1)
    x, y = rng.random((n, d)), rng.random((m, d))
    r = module.cityblock(x, y)
    check(x, y, r)
    started = time.perf_counter()
    while time.perf_counter() - started < WARMUP_SECONDS:
        del r
        r = module.cityblock(x, y)
    del r
    best = float("inf")
    for _ in range(max(args.inner, 1)):
        started = time.perf_counter()
        r = module.cityblock(x, y)
        best = min(best, time.perf_counter() - started)
        del r
    print(json.dumps({"exercise": "python", "size": args.size, "seconds": best},
                     separators=(",", ":")))


def check(x, y, r):
    """A few entries, spread over the matrix, against NumPy."""
    n, m = x.shape[0], y.shape[0]
    if not isinstance(r, np.ndarray) or r.shape != (n, m):
        sys.exit(f"speed probe: the result is {getattr(r, 'shape', type(r))}, "
                 f"not ({n}, {m}): not timed")
    for s in range(CHECKED if n and m else 0):
        i, j = s * 7919 % n, s * 104729 % m
        want = np.abs(x[i] - y[j]).sum()
        if not abs(r[i, j] - want) <= 1e-9 * (1.0 + abs(want)):
            sys.exit(f"speed probe: r[{i}, {j}] is {r[i, j]}, expected {want}: a wrong "
                     "result is not timed (run the exercise's pytest tests)")


if __name__ == "__main__":
    main()
