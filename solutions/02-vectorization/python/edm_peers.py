"""The original course's squared Euclidean distance matrix, timed: the Python
side of `cargo xtask bench --compare python` for lab 2.

Each variant is the algorithm of a CSCS notebook (numpy/03 EDM, numexpr/01,
numba/simple EDM), written out again here, short and faithful; the one change
is that the numba version says `parallel=True`, which the original forgot (so
its `prange` ran serially). One peer is not from the course: `c_direct`, our
register-blocked C kernel (../c/edm_direct.c, the Rust direct kernel's shape),
compiled here with the system's C compiler and called through ctypes, so that
Rust can be set beside C as well as beside Python.

    python edm_peers.py data --dir DIR --sizes 2000x2000x50       # x, y as .npy
    python edm_peers.py info                                      # versions, BLAS
    python edm_peers.py run --dir DIR --sizes 2000x2000x50 [--inner N]

`run` prints one JSON line per (variant, size): the best of N timed calls,
after one full-size warm-up call (first touch of fresh memory and numba's JIT
compile are paid there, not in the timing). xtask sets the thread counts.
"""

import ctypes
import json
import os
import platform
import sys

import numpy as np

import peers_harness as harness

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, os.pardir, "support", "python"))
import course_peers  # noqa: E402

STEM = "edm"  # the data files' names

# Broadcast variants allocate (n, m, d) temporaries: skip them above this many
# bytes per temporary (the Rust side uses the same limit).
MAX_TEMPORARY_BYTES = 2 * 1024**3


# --- the variants ----------------------------------------------------------

def numpy_broadcast(x, y):
    """numpy/03 `euclidean_broadcast`: two (n, m, d) temporaries."""
    diff = x[:, np.newaxis, :] - y[np.newaxis, :, :]
    return (diff * diff).sum(axis=2)


def numpy_broadcast_einsum(x, y):
    """numpy/solutions/edm-broadcast-einsum.py: square and sum in one einsum."""
    diff = x[:, np.newaxis, :] - y[np.newaxis, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


# The trick, SciPy's cdist and the numba variant are the students' too: `cargo
# xtask speed` times them from support/python.
numpy_trick = course_peers.numpy_trick


def numexpr_trick(x, y):
    """numexpr/01 solution 1: the trick with its elementwise tail in one
    multithreaded, blocked numexpr pass."""
    import numexpr as ne

    x2 = np.einsum("ij,ij->i", x, x)[:, np.newaxis]
    y2 = np.einsum("ij,ij->i", y, y)[np.newaxis, :]
    xy = x @ y.T
    return ne.evaluate("abs(x2 + y2 - 2. * xy)")


scipy_cdist = course_peers.scipy_cdist_sqeuclidean


def _numba_kernel():
    """numba/simple EDM, fixed: parallel=True, prange over the rows i."""
    return course_peers.numba_parallel_sqeuclidean()


# The C peer: its source (built with harness.C_FLAGS, which the table's label names).
C_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "c", "edm_direct.c")


def _c_kernel(directory):
    """Builds ../c/edm_direct.c (once) and loads it: (function or None, info dict)."""
    lib, found = harness.build_c_library(directory, [C_SOURCE], "edm_direct.so", "c_direct")
    if lib is None:
        return None, found
    lib.sq_euclidean_direct.restype = ctypes.c_int
    return harness.wrap_c_kernel(lib.sq_euclidean_direct), found


VARIANTS = {
    "numpy_broadcast": numpy_broadcast,
    "numpy_broadcast_einsum": numpy_broadcast_einsum,
    "numpy_trick": numpy_trick,
    "numexpr_trick": numexpr_trick,
    "scipy_cdist": scipy_cdist,
    "numba_parallel": None,  # compiled on first use
    "c_direct": None,  # built and loaded by run(), skipped without a C compiler
}
BROADCASTS = {"numpy_broadcast", "numpy_broadcast_einsum"}


def run(directory, sizes, inner, wanted):
    if not wanted or "c_direct" in wanted:
        VARIANTS["c_direct"], found = _c_kernel(directory)
        harness.print_info(found)
    for size in sizes:
        n, m, d, x, y = harness.load(directory, STEM, size)
        for name, function in VARIANTS.items():
            if wanted and name not in wanted:
                continue
            if name in BROADCASTS and n * m * d * 8 > MAX_TEMPORARY_BYTES:
                continue
            if name == "c_direct" and function is None:
                continue  # no compiler, or it failed: said in the info line
            if function is None:
                function = VARIANTS[name] = _numba_kernel()
            print(json.dumps(harness.measure(name, function, x, y, size, inner)), flush=True)
            if name == "numba_parallel" and size == sizes[0]:
                harness.print_numba_layer()


def info():
    """Versions and the BLAS NumPy uses, as one JSON line."""
    import numba
    import numexpr
    import scipy

    found = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "numexpr": numexpr.__version__,
        "numba": numba.__version__,
        "numexpr_threads": numexpr.get_num_threads(),
        "numba_threads": numba.config.NUMBA_NUM_THREADS,
    }
    found["blas"] = harness.blas_info()
    harness.print_info(found)


def main(argv):
    harness.main(argv, __doc__, STEM, VARIANTS, run, info)


if __name__ == "__main__":
    main(sys.argv[1:])
