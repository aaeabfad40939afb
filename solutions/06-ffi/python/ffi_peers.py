"""Lab 6, Rust from Python: the extension's costs, timed from Python.

Needs the extension built into the venv (`maturin develop --release -m
solutions/06-ffi/python/Cargo.toml`), and scipy and numba (lab 3's pins).

    python ffi_peers.py [--module ffi_lab_solution] [--quick] [--repeat N]

Prints a table, then one JSON line per measurement:
- the Cityblock distance matrix at the course's sizes: the extension against
  SciPy's `cdist(x, y, 'cityblock')` (one thread, C) and numba
  `@njit(parallel=True)` with `prange` over the rows (lab 3's fast peer), best
  of N after a warm-up call (first touch of memory, numba's JIT compile);
- the call overhead at tiny sizes (1x1x1, 10x10x3): what crossing the
  boundary costs when there is nothing to compute (argument checks, the GIL
  released and taken back, a NumPy array made for the result);
- the cost of the input's layout at 2000x2000x50: C order, Fortran order
  (read through its strides, no copy) and an explicit copy to C order first
  (`np.ascontiguousarray`), as a wrapper that only takes C order would force.

Thread counts: rayon reads RAYON_NUM_THREADS, numba NUMBA_NUM_THREADS; both
default to every core. Run it on an otherwise idle machine.
"""

import argparse
import importlib
import json
import os
import time

import numpy as np

SIZES = [(500, 500, 500), (5000, 5000, 50), (10000, 10000, 3)]
QUICK_SIZES = [(500, 500, 50), (1000, 1000, 50)]


def best_of(f, repeat, *args):
    """The best wall time of `repeat` calls, in seconds, after one warm-up call."""
    f(*args)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        f(*args)
        best = min(best, time.perf_counter() - start)
    return best


def per_call(f, *args, budget=0.2):
    """Seconds per call of a fast function: calls in a loop for about `budget` seconds,
    best of 5 such loops."""
    f(*args)
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            f(*args)
        if time.perf_counter() - start > budget / 5:
            break
        calls *= 2
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            f(*args)
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def numba_prange():
    """Lab 3's numba peer: prange over the rows, compiled once."""
    import numba

    @numba.njit(parallel=True, fastmath=False)
    def cityblock(x, y):
        n, m, d = x.shape[0], y.shape[0], x.shape[1]
        r = np.empty((n, m))
        for i in numba.prange(n):
            for j in range(m):
                s = 0.0
                for k in range(d):
                    s += abs(x[i, k] - y[j, k])
                r[i, j] = s
        return r

    return cityblock


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default="ffi_lab_solution")
    parser.add_argument("--quick", action="store_true", help="small sizes only, a few seconds")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    lab = importlib.import_module(args.module)
    from scipy.spatial.distance import cdist

    results = []

    def record(kind, what, seconds, **extra):
        results.append(dict(kind=kind, what=what, seconds=seconds, **extra))
        print(f"{kind:9} {what:38} {seconds * 1e3:10.4f} ms", flush=True)

    print(f"{args.module}: kernel path {lab.simd()}, "
          f"RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', 'all cores')}")
    rng = np.random.default_rng(0)

    # The boundary with nothing to compute.
    for n, m, d in [(1, 1, 1), (10, 10, 3)]:
        x, y = rng.random((n, d)), rng.random((m, d))
        size = f"{n}x{m}x{d}"
        record("overhead", f"extension cityblock {size}", per_call(lab.cityblock, x, y))
        record("overhead", f"cdist cityblock {size}", per_call(cdist, x, y, "cityblock"))
    record("overhead", "np.empty((1, 1)) (for scale)", per_call(np.empty, (1, 1)))

    # The input's layout.
    n, m, d = (1000, 1000, 50) if args.quick else (2000, 2000, 50)
    x, y = rng.random((n, d)), rng.random((m, d))
    xf, yf = np.asfortranarray(x), np.asfortranarray(y)
    size = f"{n}x{m}x{d}"
    record("layout", f"C order {size}", best_of(lab.cityblock, args.repeat, x, y))
    record("layout", f"Fortran order, read as is {size}",
           best_of(lab.cityblock, args.repeat, xf, yf))
    record("layout", f"Fortran order, copied first {size}",
           best_of(lambda a, b: lab.cityblock(np.ascontiguousarray(a), np.ascontiguousarray(b)),
                   args.repeat, xf, yf))

    # The peers at the course's sizes.
    prange = numba_prange()
    for n, m, d in QUICK_SIZES if args.quick else SIZES:
        x, y = rng.random((n, d)), rng.random((m, d))
        size = f"{n}x{m}x{d}"
        times = {
            "extension": best_of(lab.cityblock, args.repeat, x, y),
            "numba prange": best_of(prange, args.repeat, x, y),
            "cdist": best_of(cdist, max(1, min(args.repeat, 3)), x, y, "cityblock"),
        }
        for name, seconds in times.items():
            record("size", f"{name} {size}", seconds,
                   speedup_vs_cdist=times["cdist"] / seconds)

    for line in results:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
