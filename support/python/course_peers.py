"""The original course's Python for the two distance matrices that the timed
exercises compute, timed the way the Rust speed probes time (support::speed):
`cargo xtask speed` runs this beside the student's kernel, round after round.
The instructor's comparisons (solutions/*/python/*_peers.py) import the same
functions, so both time the same code.

    python course_peers.py WORK NxMxD [--inner K] [--variant NAME]...

WORK is `cityblock` or `sqeuclidean`. Prints one JSON line per variant:
{"variant":…, "label":…, "seconds":<best of K>} after a warm-up (numba's
compile, the first touch of fresh memory), or {"variant":…, "skipped":…}
when a package is missing.
"""

import json
import sys
import time

WARMUP_SECONDS = 0.2  # as support::speed and support::compare
# Where the peers' packages are pinned (lab 3's requirements: NumPy, SciPy, numba).
INSTALL = (".venv/bin/pip install -r exercises/03-parallel/requirements.txt, from the "
           "repository's root")


# --- Cityblock: r[i, j] = sum_k |x[i, k] - y[j, k]| --------------------------

def scipy_cdist_cityblock(x, y):
    """SciPy's C loop, one thread: the reference the course checks against."""
    from scipy.spatial.distance import cdist

    return cdist(x, y, "cityblock")


_NUMBA = {}


def numba_parallel_cityblock():
    """numba, parallel=True and prange over the rows i (compiled once)."""
    if "cityblock" not in _NUMBA:
        import numba
        import numpy as np

        @numba.njit(parallel=True)
        def cityblock(x, y):
            n, d = x.shape
            m = y.shape[0]
            r = np.empty((n, m))
            for i in numba.prange(n):
                for j in range(m):
                    s = 0.0
                    for k in range(d):
                        s += abs(x[i, k] - y[j, k])
                    r[i, j] = s
            return r

        _NUMBA["cityblock"] = cityblock
    return _NUMBA["cityblock"]


# --- squared Euclidean: r[i, j] = sum_k (x[i, k] - y[j, k])^2 ----------------

def numpy_trick(x, y):
    """numpy/03 `euclidean_trick`: |x|^2 + |y|^2 - 2 x.y, abs clamps round-off."""
    import numpy as np

    x2 = np.einsum("ij,ij->i", x, x)[:, np.newaxis]
    y2 = np.einsum("ij,ij->i", y, y)[np.newaxis, :]
    xy = x @ y.T
    return np.abs(x2 + y2 - 2.0 * xy)


def scipy_cdist_sqeuclidean(x, y):
    """SciPy's C loop, one thread."""
    from scipy.spatial.distance import cdist

    return cdist(x, y, "sqeuclidean")


def numba_parallel_sqeuclidean():
    """numba/simple EDM, fixed: parallel=True, prange over the rows i."""
    if "sqeuclidean" not in _NUMBA:
        import numba
        import numpy as np

        @numba.njit(parallel=True)
        def sqeuclidean(x, y):
            n, d = x.shape
            m = y.shape[0]
            r = np.empty((n, m))
            for i in numba.prange(n):
                for j in range(m):
                    s = 0.0
                    for k in range(d):
                        diff = x[i, k] - y[j, k]
                        s += diff * diff
                    r[i, j] = s
            return r

        _NUMBA["sqeuclidean"] = sqeuclidean
    return _NUMBA["sqeuclidean"]


# Per WORK: (name, label, the package it needs, the function or a maker of it).
VARIANTS = {
    "cityblock": [
        ("scipy_cdist", "SciPy cdist", "scipy", scipy_cdist_cityblock),
        ("numba_parallel", "numba prange rows", "numba", numba_parallel_cityblock),
    ],
    "sqeuclidean": [
        ("numpy_trick", "NumPy trick", "numpy", numpy_trick),
        ("scipy_cdist", "SciPy cdist", "scipy", scipy_cdist_sqeuclidean),
        ("numba_parallel", "numba prange rows", "numba", numba_parallel_sqeuclidean),
    ],
}
MAKERS = {numba_parallel_cityblock, numba_parallel_sqeuclidean}


def best_time(function, x, y, inner):
    """Warm-up (at least one call, then WARMUP_SECONDS), then the best of `inner` calls."""
    started = time.perf_counter()
    function(x, y)
    while time.perf_counter() - started < WARMUP_SECONDS:
        function(x, y)
    best = float("inf")
    for _ in range(max(inner, 1)):
        started = time.perf_counter()
        function(x, y)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv):
    if len(argv) < 2 or argv[0] not in VARIANTS:
        print(__doc__, file=sys.stderr)
        return 2
    work, size = argv[0], argv[1]
    inner = int(argv[argv.index("--inner") + 1]) if "--inner" in argv else 3
    wanted = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--variant"]
    n, m, d = (int(part) for part in size.split("x"))
    try:
        import numpy as np
    except ImportError:
        print(json.dumps({"variant": "all", "skipped": f"no numpy in this Python: {INSTALL}"}))
        return 0
    rng = np.random.default_rng(1)
    x, y = rng.random((n, d)), rng.random((m, d))
    for name, label, package, function in VARIANTS[work]:
        if wanted and name not in wanted:
            continue
        try:
            __import__(package)
        except ImportError:
            print(json.dumps({"variant": name, "label": label,
                              "skipped": f"no {package} in this Python: {INSTALL}"}))
            continue
        if function in MAKERS:
            function = function()
        seconds = best_time(function, x, y, inner)
        print(json.dumps({"variant": name, "label": label, "seconds": seconds}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
