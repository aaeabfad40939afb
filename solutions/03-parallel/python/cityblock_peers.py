"""The original course's Cityblock distance matrix, timed in parallel: the
Python side of `cargo xtask bench --compare python --lab parallel` (lab 3).

r[i, j] = sum_k |x[i, k] - y[j, k]|. Each variant is the algorithm of a
course notebook, written out again here, short and faithful:
- SciPy's `cdist(x, y, 'cityblock')`, the reference (single-threaded C);
- numba `@njit(parallel=True)` with `prange` over the rows (the fast one);
- CSCS numba/simple `cityblock_numba1` and `cityblock_numba2`, bugs included:
  `@jit(nopython=True)` without `parallel=True`, so their `prange` (over k,
  and over j of `np.linalg.norm(x[i] - y[j], 1)`) runs serially;
- CSCS dask/02: `dask.delayed(cdist)` on chunks of rows, one per thread,
  concatenated, threads scheduler (without the original's 1-tuple bug);
- ULHPC 3_Edistance: a `multiprocessing.Pool` of processes mapping a NumPy
  row function, here over one chunk of rows per process (sending every row
  with its own copy of y, as the notebook does, would only time pickling).
Two peers are not from the course: C kernels (../c/), compiled here with the
system's C compiler and called through ctypes: the register-blocked kernel
(the Rust `cityblock_blocked`'s shape) and the plain i-j-k OpenMP loop.

    python cityblock_peers.py data --dir DIR --sizes 2000x2000x50   # x, y as .npy
    python cityblock_peers.py info                                  # versions
    python cityblock_peers.py run --dir DIR --sizes 2000x2000x50 [--inner N]

`run` prints one JSON line per (variant, size): the best of N timed calls,
after one full-size warm-up call (first touch of fresh memory and numba's JIT
compile are paid there). xtask sets the thread counts (OMP_NUM_THREADS, ...).
"""

import ctypes
import json
import multiprocessing
import os
import platform
import sys

import numpy as np

# The data files, C builds, timing and command line are shared with lab 2.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, "02-vectorization", "python"))
import peers_harness as harness  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, os.pardir, os.pardir, "support", "python"))
import course_peers  # noqa: E402

STEM = "cityblock"  # the data files' names

# The serial variants (the CSCS numba ones run serially: see above) only up
# to this much work, n*m*d = 2000x2000x50, as the Rust side's serial loop.
SERIAL = {"numba1_cscs", "numba2_cscs"}
SERIAL_MAX_WORK = 2000 * 2000 * 50


def threads():
    """The thread (and process) count xtask asked for, as OpenMP reads it."""
    return int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count() or 1)


# --- the variants ----------------------------------------------------------

# The reference (SciPy's C loop, one thread) and the fast numba variant are the
# students' too: `cargo xtask speed` times them from support/python.
scipy_cdist = course_peers.scipy_cdist_cityblock


def _numba_kernels():
    """The three numba variants, compiled on their first call."""
    import numba

    numba_parallel = course_peers.numba_parallel_cityblock()

    # CSCS cityblock_numba1, as written: prange on the innermost k loop (a
    # reduction per pair), and no parallel=True, so prange is plain range.
    @numba.jit(nopython=True)
    def numba1_cscs(x, y):
        n, d = x.shape
        m = y.shape[0]
        r = np.empty((n, m))
        for i in range(n):
            for j in range(m):
                s = 0.0
                for k in numba.prange(d):
                    s += np.abs(x[i][k] - y[j][k])
                r[i][j] = s
        return r

    # CSCS cityblock_numba2, as written: a fresh d-vector for every pair,
    # prange over j, and again no parallel=True.
    @numba.jit(nopython=True)
    def numba2_cscs(x, y):
        n = x.shape[0]
        m = y.shape[0]
        r = np.empty((n, m))
        for i in range(n):
            for j in numba.prange(m):
                r[i][j] = np.linalg.norm(x[i] - y[j], 1)
        return r

    return {"numba_parallel": numba_parallel, "numba1_cscs": numba1_cscs,
            "numba2_cscs": numba2_cscs}


def dask_cdist(x, y):
    """CSCS dask/02 solution: one delayed cdist per chunk of rows (one chunk
    per thread: cdist is single-threaded and lets go of the GIL), then a
    delayed concatenate, computed on the threads scheduler."""
    import dask
    from scipy.spatial.distance import cdist

    workers = threads()
    parts = [dask.delayed(cdist)(chunk, y, "cityblock") for chunk in np.array_split(x, workers)]
    (r,) = dask.compute(dask.delayed(np.concatenate)(parts, axis=0),
                        scheduler="threads", num_workers=workers)
    return r


def _cityblock_rows(task):
    """ULHPC's `edistance_mp`, for Cityblock and a chunk of rows: each row of
    x broadcast against the whole of y (runs in a worker process)."""
    rows, y = task
    return np.array([np.abs(row - y).sum(axis=1) for row in rows]).reshape(len(rows), len(y))


def multiprocessing_rows(x, y):
    """ULHPC 3_Edistance: a fresh Pool per call (`with mp.Pool(P) as pool`),
    `pool.map` over chunks of rows; x's rows, y and the results all travel
    between processes pickled. "fork", as the notebook had on Linux: the
    children run NumPy only (no OpenMP, no BLAS), so forking while numba's
    and OpenMP's threads exist in the parent is safe here."""
    processes = threads()
    tasks = [(chunk, y) for chunk in np.array_split(x, processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return np.concatenate(pool.map(_cityblock_rows, tasks), axis=0)


# The C peers: their sources, and how they are built (the labels say these flags).
# The C peers' sources (built with harness.C_FLAGS, which the table's labels name).
C_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "c")
C_SOURCES = [os.path.join(C_DIR, name) for name in ("cityblock_blocked.c", "cityblock_loop.c")]


def _c_kernels(directory):
    """Builds ../c/*.c into one shared library (once) and loads it:
    ({name: function}, info dict)."""
    lib, found = harness.build_c_library(directory, C_SOURCES, "cityblock.so", "C peers")
    if lib is None:
        return {}, found
    lib.cityblock_blocked.restype = ctypes.c_int
    lib.cityblock_loop.restype = None
    kernels = {"c_blocked": lib.cityblock_blocked, "c_loop": lib.cityblock_loop}
    return {name: harness.wrap_c_kernel(kernel) for name, kernel in kernels.items()}, found


# In the table's order; None: compiled or built on first use.
VARIANTS = {
    "scipy_cdist": scipy_cdist,
    "numba_parallel": None,
    "numba1_cscs": None,
    "numba2_cscs": None,
    "dask_cdist": dask_cdist,
    "multiprocessing_rows": multiprocessing_rows,
    "c_blocked": None,
    "c_loop": None,
}
NUMBA = {"numba_parallel", "numba1_cscs", "numba2_cscs"}
C_PEERS = {"c_blocked", "c_loop"}


def run(directory, sizes, inner, wanted):
    if not wanted or wanted & C_PEERS:
        kernels, found = _c_kernels(directory)
        VARIANTS.update(kernels)
        harness.print_info(found)
    if not wanted or wanted & NUMBA:
        VARIANTS.update(_numba_kernels())  # compiled lazily, on each one's first call
    for size in sizes:
        n, m, d, x, y = harness.load(directory, STEM, size)
        for name, function in VARIANTS.items():
            if wanted and name not in wanted:
                continue
            if name in SERIAL and n * m * d > SERIAL_MAX_WORK:
                continue
            if function is None:
                continue  # a C peer without a compiler, or it failed: said in the info line
            print(json.dumps(harness.measure(name, function, x, y, size, inner)), flush=True)
            if name == "numba_parallel" and size == sizes[0]:
                harness.print_numba_layer()


def info():
    """Versions, as one JSON line."""
    import dask
    import numba
    import scipy

    found = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "numba": numba.__version__,
        "dask": dask.__version__,
        "numba_threads": numba.config.NUMBA_NUM_THREADS,
    }
    found["blas"] = harness.blas_info()
    harness.print_info(found)


def main(argv):
    harness.main(argv, __doc__, STEM, VARIANTS, run, info)


if __name__ == "__main__":
    main(sys.argv[1:])
