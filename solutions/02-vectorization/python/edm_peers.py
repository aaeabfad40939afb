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

import argparse
import ctypes
import json
import os
import platform
import shutil
import subprocess
import sys
import time

import numpy as np

SEED = 699  # the ULHPC course's seed

# Broadcast variants allocate (n, m, d) temporaries: skip them above this many
# bytes per temporary (the Rust side uses the same limit).
MAX_TEMPORARY_BYTES = 2 * 1024**3


def parse_size(text):
    n, m, d = (int(part) for part in text.split("x"))
    return n, m, d


def data_paths(directory, size):
    stem = os.path.join(directory, f"edm_{size}_seed{SEED}")
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

def numpy_broadcast(x, y):
    """numpy/03 `euclidean_broadcast`: two (n, m, d) temporaries."""
    diff = x[:, np.newaxis, :] - y[np.newaxis, :, :]
    return (diff * diff).sum(axis=2)


def numpy_broadcast_einsum(x, y):
    """numpy/solutions/edm-broadcast-einsum.py: square and sum in one einsum."""
    diff = x[:, np.newaxis, :] - y[np.newaxis, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def numpy_trick(x, y):
    """numpy/03 `euclidean_trick`: |x|^2 + |y|^2 - 2 x.y, abs clamps round-off."""
    x2 = np.einsum("ij,ij->i", x, x)[:, np.newaxis]
    y2 = np.einsum("ij,ij->i", y, y)[np.newaxis, :]
    xy = x @ y.T
    return np.abs(x2 + y2 - 2.0 * xy)


def numexpr_trick(x, y):
    """numexpr/01 solution 1: the trick with its elementwise tail in one
    multithreaded, blocked numexpr pass."""
    import numexpr as ne

    x2 = np.einsum("ij,ij->i", x, x)[:, np.newaxis]
    y2 = np.einsum("ij,ij->i", y, y)[np.newaxis, :]
    xy = x @ y.T
    return ne.evaluate("abs(x2 + y2 - 2. * xy)")


def scipy_cdist(x, y):
    """The reference the course checks against (single-threaded C loop)."""
    from scipy.spatial.distance import cdist

    return cdist(x, y, "sqeuclidean")


def _numba_kernel():
    import numba

    # numba/simple EDM, fixed: parallel=True, and prange over the rows i
    # (the original put prange on the inner k loop, without the flag).
    @numba.njit(parallel=True)
    def euclidean_numba(x, y):
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

    return euclidean_numba


# The C peer: its source, and how it is built (the table's label says these flags).
C_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "c", "edm_direct.c")
C_FLAGS = ["-O3", "-march=native", "-fopenmp"]


def _c_compiler():
    """$CC if set, else the first of cc, gcc, clang on the PATH; None if none."""
    candidates = [os.environ["CC"]] if os.environ.get("CC") else ["cc", "gcc", "clang"]
    for name in candidates:
        path = shutil.which(name)
        if path:
            return path
    return None


def _c_kernel(directory):
    """Builds ../c/edm_direct.c into a shared library beside the data directory
    (target/compare/c/ under xtask), once: again only when the source is newer
    or the compiler or flags changed. Returns (function or None, info dict)."""
    compiler = _c_compiler()
    if compiler is None:
        return None, {"c_compiler": "none"}
    version = subprocess.run([compiler, "--version"], capture_output=True, text=True)
    version = (version.stdout.splitlines() or ["?"])[0].strip()
    found = {"c_compiler": version, "c_flags": " ".join(C_FLAGS)}
    build = os.path.join(os.path.dirname(os.path.abspath(directory)), "c")
    os.makedirs(build, exist_ok=True)
    library = os.path.join(build, "edm_direct.so")
    stamp_path = library + ".stamp"
    command = [compiler, *C_FLAGS, "-shared", "-fPIC", os.path.abspath(C_SOURCE), "-o"]
    stamp = json.dumps({"command": command, "version": version})
    try:
        with open(stamp_path) as file:
            built_with = file.read()
    except OSError:
        built_with = None
    stale = (
        not os.path.exists(library)
        or os.path.getmtime(library) < os.path.getmtime(C_SOURCE)
        or built_with != stamp
    )
    if stale:
        partial = f"{library}.{os.getpid()}.tmp"  # atomic: never a half-written .so
        compiled = subprocess.run([*command, partial], capture_output=True, text=True)
        if compiled.returncode != 0:
            if os.path.exists(partial):
                os.remove(partial)
            print(f"c_direct skipped, {compiler} failed:\n{compiled.stderr}", file=sys.stderr)
            found["c_compiler"] = f"{version} (compile failed)"
            return None, found
        os.replace(partial, library)
        with open(stamp_path, "w") as file:
            file.write(stamp)
    lib = ctypes.CDLL(library)
    pointer = ctypes.POINTER(ctypes.c_double)
    kernel = lib.sq_euclidean_direct
    kernel.restype = ctypes.c_int
    kernel.argtypes = [pointer, pointer, pointer, ctypes.c_long, ctypes.c_long, ctypes.c_long]
    # libgomp's own count: the threads the kernel will use (OMP_NUM_THREADS).
    found["c_omp_threads"] = lib.omp_get_max_threads()

    def c_direct(x, y):
        x = np.ascontiguousarray(x, dtype=np.float64)
        y = np.ascontiguousarray(y, dtype=np.float64)
        (n, d), m = x.shape, y.shape[0]
        assert y.shape == (m, d), (x.shape, y.shape)
        r = np.empty((n, m))
        data = (a.ctypes.data_as(pointer) for a in (x, y, r))
        if kernel(*data, n, m, d) != 0:
            raise MemoryError("c_direct could not allocate its packed copies of x and y")
        return r

    return c_direct, found


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
    if not wanted or "c_direct" in wanted:
        VARIANTS["c_direct"], found = _c_kernel(directory)
        print(json.dumps({"side": "python", "info": found}), flush=True)
    for size in sizes:
        n, m, d = parse_size(size)
        x_path, y_path = data_paths(directory, size)
        x, y = np.load(x_path), np.load(y_path)
        assert x.shape == (n, d) and y.shape == (m, d), (x.shape, y.shape, size)
        for name, function in VARIANTS.items():
            if wanted and name not in wanted:
                continue
            if name in BROADCASTS and n * m * d * 8 > MAX_TEMPORARY_BYTES:
                continue
            if name == "c_direct" and function is None:
                continue  # no compiler, or it failed: said in the info line
            if function is None:
                function = VARIANTS[name] = _numba_kernel()
            print(json.dumps(measure(name, function, x, y, size, inner)), flush=True)
            if name == "numba_parallel" and size == sizes[0]:
                import numba  # known only once a parallel function has run

                layer = {"numba_threading_layer": numba.threading_layer()}
                print(json.dumps({"side": "python", "info": layer}), flush=True)


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
    try:
        from threadpoolctl import threadpool_info

        found["blas"] = [
            {key: pool.get(key) for key in
             ("internal_api", "version", "architecture", "num_threads", "threading_layer")}
            for pool in threadpool_info() if pool.get("user_api") == "blas"
        ]
    except ImportError:
        config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        found["blas"] = [{"internal_api": config.get("name"), "version": config.get("version")}]
    print(json.dumps({"side": "python", "info": found}), flush=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="write x and y as .npy, once per size")
    timed = commands.add_parser("run", help="time every variant, one JSON line each")
    commands.add_parser("info", help="versions and BLAS, one JSON line")
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
    run(args.dir, sizes, args.inner, wanted)


if __name__ == "__main__":
    main(sys.argv[1:])
