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

import argparse
import ctypes
import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import time

import numpy as np

SEED = 699  # the ULHPC course's seed

# The serial variants (the CSCS numba ones run serially: see above) only up
# to this much work, n*m*d = 2000x2000x50, as the Rust side's serial loop.
SERIAL = {"numba1_cscs", "numba2_cscs"}
SERIAL_MAX_WORK = 2000 * 2000 * 50


def threads():
    """The thread (and process) count xtask asked for, as OpenMP reads it."""
    return int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count() or 1)


def parse_size(text):
    n, m, d = (int(part) for part in text.split("x"))
    return n, m, d


def data_paths(directory, size):
    stem = os.path.join(directory, f"cityblock_{size}_seed{SEED}")
    return stem + "_x.npy", stem + "_y.npy"


def make_data(directory, size):
    """x (n, d) and y (m, d), uniform in [0, 10) as in the course; written
    once per size (atomically: a killed run leaves no half-written file)."""
    n, m, d = parse_size(size)
    x_path, y_path = data_paths(directory, size)
    if os.path.exists(x_path) and os.path.exists(y_path):
        return False
    rng = np.random.default_rng(SEED)
    for path, rows in ((x_path, n), (y_path, m)):
        points = 10.0 * rng.random((rows, d))
        with open(path + ".tmp", "wb") as file:
            np.save(file, points)
        os.replace(path + ".tmp", path)
    return True


# --- the variants ----------------------------------------------------------

def scipy_cdist(x, y):
    """The reference: SciPy's C loop, one thread."""
    from scipy.spatial.distance import cdist

    return cdist(x, y, "cityblock")


def _numba_kernels():
    """The three numba variants, compiled on their first call."""
    import numba

    # The fast one: parallel=True and prange over the rows i.
    @numba.njit(parallel=True)
    def numba_parallel(x, y):
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
C_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "c")
C_SOURCES = [os.path.join(C_DIR, name) for name in ("cityblock_blocked.c", "cityblock_loop.c")]
C_FLAGS = ["-O3", "-march=native", "-fopenmp"]


def _c_kernels(directory):
    """Builds ../c/*.c into one shared library beside the data directory
    (target/compare/c/ under xtask), again only when a source is newer or the
    compiler or flags changed. Returns ({name: function}, info dict)."""
    candidates = [os.environ["CC"]] if os.environ.get("CC") else ["cc", "gcc", "clang"]
    compiler = next((path for path in map(shutil.which, candidates) if path), None)
    if compiler is None:
        return {}, {"c_compiler": "none"}
    version = subprocess.run([compiler, "--version"], capture_output=True, text=True)
    version = (version.stdout.splitlines() or ["?"])[0].strip()
    found = {"c_compiler": version, "c_flags": " ".join(C_FLAGS)}
    build = os.path.join(os.path.dirname(os.path.abspath(directory)), "c")
    os.makedirs(build, exist_ok=True)
    library = os.path.join(build, "cityblock.so")
    command = [compiler, *C_FLAGS, "-shared", "-fPIC", *map(os.path.abspath, C_SOURCES), "-o"]
    stamp = json.dumps({"command": command, "version": version})
    try:
        with open(library + ".stamp") as file:
            built_with = file.read()
    except OSError:
        built_with = None
    newest = max(map(os.path.getmtime, C_SOURCES))
    if (not os.path.exists(library) or os.path.getmtime(library) < newest
            or built_with != stamp):
        partial = f"{library}.{os.getpid()}.tmp"  # atomic: never a half-written .so
        compiled = subprocess.run([*command, partial], capture_output=True, text=True)
        if compiled.returncode != 0:
            if os.path.exists(partial):
                os.remove(partial)
            print(f"C peers skipped, {compiler} failed:\n{compiled.stderr}", file=sys.stderr)
            found["c_compiler"] = f"{version} (compile failed)"
            return {}, found
        os.replace(partial, library)
        with open(library + ".stamp", "w") as file:
            file.write(stamp)
    lib = ctypes.CDLL(library)
    found["c_omp_threads"] = lib.omp_get_max_threads()  # libgomp's own count
    pointer = ctypes.POINTER(ctypes.c_double)

    def wrap(kernel):
        kernel.argtypes = [pointer, pointer, pointer, ctypes.c_long, ctypes.c_long, ctypes.c_long]

        def call(x, y):
            x = np.ascontiguousarray(x, dtype=np.float64)
            y = np.ascontiguousarray(y, dtype=np.float64)
            (n, d), m = x.shape, y.shape[0]
            assert y.shape == (m, d), (x.shape, y.shape)
            r = np.empty((n, m))
            if kernel(*(a.ctypes.data_as(pointer) for a in (x, y, r)), n, m, d):
                raise MemoryError(f"{kernel.__name__} could not allocate its packed copies")
            return r

        return call

    lib.cityblock_blocked.restype = ctypes.c_int
    lib.cityblock_loop.restype = None
    return {"c_blocked": wrap(lib.cityblock_blocked), "c_loop": wrap(lib.cityblock_loop)}, found


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


# --- measuring -------------------------------------------------------------

def checksum(r):
    # Row sums, then their sum: within ~1e-12 of the Rust side's same order.
    return float(r.sum(axis=1).sum())


def samples(r):
    n, m = r.shape
    if n == 0 or m == 0:
        return []
    return [float(r[0, 0]), float(r[n // 2, m // 3]), float(r[n - 1, m - 1])]


def measure(name, function, x, y, size, inner):
    started = time.perf_counter()
    r = function(x, y)  # warm-up, full size (and numba's compile)
    warmup = time.perf_counter() - started
    del r
    times = []
    for _ in range(inner):
        started = time.perf_counter()
        r = function(x, y)
        times.append(time.perf_counter() - started)
        last = r
        del r
    return {
        "side": "python",
        "variant": name,
        "size": size,
        "seconds": min(times),
        "warmup_seconds": warmup,
        "checksum": checksum(last),
        "samples": samples(last),
    }


def run(directory, sizes, inner, wanted):
    if not wanted or wanted & C_PEERS:
        kernels, found = _c_kernels(directory)
        VARIANTS.update(kernels)
        print(json.dumps({"side": "python", "info": found}), flush=True)
    if not wanted or wanted & NUMBA:
        VARIANTS.update(_numba_kernels())  # compiled lazily, on each one's first call
    for size in sizes:
        n, m, d = parse_size(size)
        x_path, y_path = data_paths(directory, size)
        x, y = np.load(x_path), np.load(y_path)
        assert x.shape == (n, d) and y.shape == (m, d), (x.shape, y.shape, size)
        for name, function in VARIANTS.items():
            if wanted and name not in wanted:
                continue
            if name in SERIAL and n * m * d > SERIAL_MAX_WORK:
                continue
            if function is None:
                continue  # a C peer without a compiler, or it failed: said in the info line
            print(json.dumps(measure(name, function, x, y, size, inner)), flush=True)
            if name == "numba_parallel" and size == sizes[0]:
                import numba  # known only once a parallel function has run

                layer = {"numba_threading_layer": numba.threading_layer()}
                print(json.dumps({"side": "python", "info": layer}), flush=True)


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
    try:
        from threadpoolctl import threadpool_info

        found["blas"] = [
            {key: pool.get(key) for key in
             ("internal_api", "version", "architecture", "num_threads", "threading_layer")}
            for pool in threadpool_info() if pool.get("user_api") == "blas"
        ]
    except ImportError:
        pass
    print(json.dumps({"side": "python", "info": found}), flush=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="write x and y as .npy, once per size")
    timed = commands.add_parser("run", help="time every variant, one JSON line each")
    commands.add_parser("info", help="versions, one JSON line")
    for command in (data, timed):
        command.add_argument("--dir", required=True)
        command.add_argument("--sizes", required=True, help="e.g. 2000x2000x50,5000x5000x50")
    timed.add_argument("--inner", type=int, default=1, help="timed calls per variant")
    timed.add_argument("--variants", default="", help="comma-separated; default: all")
    args = parser.parse_args(argv)
    if args.command == "info":
        info()
        return
    sizes = [size for size in args.sizes.split(",") if size]
    if args.command == "data":
        os.makedirs(args.dir, exist_ok=True)
        for size in sizes:
            if make_data(args.dir, size):
                print(f"wrote {size}", file=sys.stderr)
        return
    wanted = {name for name in args.variants.split(",") if name}
    unknown = wanted - VARIANTS.keys()
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; known: {sorted(VARIANTS)}")
    run(args.dir, sizes, max(args.inner, 1), wanted)


if __name__ == "__main__":
    main(sys.argv[1:])
