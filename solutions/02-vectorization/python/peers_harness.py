"""What every lab's Python peers script shares (lab 2's edm_peers.py, lab 3's
cityblock_peers.py): the data files, building the C peers, timing, the JSON
lines xtask reads, and the `data` / `info` / `run` command line. Each script
keeps only its variants and what is particular to them.
"""

import argparse
import ctypes
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np

SEED = 699  # the ULHPC course's seed
C_FLAGS = ["-O3", "-march=native", "-fopenmp"]


def parse_size(text):
    n, m, d = (int(part) for part in text.split("x"))
    return n, m, d


def data_paths(directory, stem, size):
    base = os.path.join(directory, f"{stem}_{size}_seed{SEED}")
    return base + "_x.npy", base + "_y.npy"


def make_data(directory, stem, size):
    """x (n, d) and y (m, d), uniform in [0, 10) as in the course; written
    once per size (atomically: a killed run leaves no half-written file)."""
    n, m, d = parse_size(size)
    x_path, y_path = data_paths(directory, stem, size)
    if os.path.exists(x_path) and os.path.exists(y_path):
        return False
    rng = np.random.default_rng(SEED)
    for path, rows in ((x_path, n), (y_path, m)):
        points = 10.0 * rng.random((rows, d))
        with open(path + ".tmp", "wb") as file:
            np.save(file, points)
        os.replace(path + ".tmp", path)
    return True


def load(directory, stem, size):
    """x and y of one size, checked against its shape: (n, m, d, x, y)."""
    n, m, d = parse_size(size)
    x_path, y_path = data_paths(directory, stem, size)
    x, y = np.load(x_path), np.load(y_path)
    assert x.shape == (n, d) and y.shape == (m, d), (x.shape, y.shape, size)
    return n, m, d, x, y


def build_c_library(directory, sources, name, what):
    """Builds the C `sources` into one shared library `name` beside the data
    directory (target/compare/c/ under xtask), again only when a source is
    newer or the compiler or flags changed. Returns (ctypes library or None,
    info dict); `what` names the peers in the message if the compile fails."""
    candidates = [os.environ["CC"]] if os.environ.get("CC") else ["cc", "gcc", "clang"]
    compiler = next((path for path in map(shutil.which, candidates) if path), None)
    if compiler is None:
        return None, {"c_compiler": "none"}
    version = subprocess.run([compiler, "--version"], capture_output=True, text=True)
    version = (version.stdout.splitlines() or ["?"])[0].strip()
    found = {"c_compiler": version, "c_flags": " ".join(C_FLAGS)}
    build = os.path.join(os.path.dirname(os.path.abspath(directory)), "c")
    os.makedirs(build, exist_ok=True)
    library = os.path.join(build, name)
    command = [compiler, *C_FLAGS, "-shared", "-fPIC", *map(os.path.abspath, sources), "-o"]
    stamp = json.dumps({"command": command, "version": version})
    try:
        with open(library + ".stamp") as file:
            built_with = file.read()
    except OSError:
        built_with = None
    newest = max(map(os.path.getmtime, sources))
    if (not os.path.exists(library) or os.path.getmtime(library) < newest
            or built_with != stamp):
        partial = f"{library}.{os.getpid()}.tmp"  # atomic: never a half-written .so
        compiled = subprocess.run([*command, partial], capture_output=True, text=True)
        if compiled.returncode != 0:
            if os.path.exists(partial):
                os.remove(partial)
            print(f"{what} skipped, {compiler} failed:\n{compiled.stderr}", file=sys.stderr)
            found["c_compiler"] = f"{version} (compile failed)"
            return None, found
        os.replace(partial, library)
        with open(library + ".stamp", "w") as file:
            file.write(stamp)
    lib = ctypes.CDLL(library)
    found["c_omp_threads"] = lib.omp_get_max_threads()  # libgomp's own count (OMP_NUM_THREADS)
    return lib, found


def wrap_c_kernel(kernel):
    """A Python function for a C kernel `int f(x, y, out, n, m, d)` over C-order
    f64 arrays, writing into a fresh array; a non-zero return means it could not
    allocate its packed copies."""
    pointer = ctypes.POINTER(ctypes.c_double)
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


def checksum(r):
    # Row sums, then their sum: within ~1e-12 of the Rust side's same order.
    return float(r.sum(axis=1).sum())


def samples(r):
    n, m = r.shape
    if n == 0 or m == 0:
        return []
    return [float(r[0, 0]), float(r[n // 2, m // 3]), float(r[n - 1, m - 1])]


# How long each variant warms up before its timed calls, at least one call:
# the Rust side's `support::compare::WARMUP_SECONDS`, the same rule.
WARMUP_SECONDS = 0.2


def measure(name, function, x, y, size, inner):
    """One JSON line's fields: a warm-up (the first call timed: first touch
    of fresh memory, numba's compile; then more calls until WARMUP_SECONDS
    have passed), then the best of `inner` timed calls."""
    started = time.perf_counter()
    r = function(x, y)
    warmup = time.perf_counter() - started
    del r
    while time.perf_counter() - started < WARMUP_SECONDS:
        function(x, y)
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


def print_info(found):
    print(json.dumps({"side": "python", "info": found}), flush=True)


def print_numba_layer():
    """numba's threading layer, known only once a parallel function has run."""
    import numba

    print_info({"numba_threading_layer": numba.threading_layer()})


def blas_info():
    """The BLAS NumPy uses: library, version, kernels, threads."""
    try:
        from threadpoolctl import threadpool_info

        return [
            {key: pool.get(key) for key in
             ("internal_api", "version", "architecture", "num_threads", "threading_layer")}
            for pool in threadpool_info() if pool.get("user_api") == "blas"
        ]
    except ImportError:
        config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return [{"internal_api": config.get("name"), "version": config.get("version")}]


def main(argv, doc, stem, variants, run, info):
    """The command line: `data`, `info` and `run`; `variants` are the names
    `--variants` accepts, `run(directory, sizes, inner, wanted)` and `info()`
    the script's own."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="write x and y as .npy, once per size")
    timed = commands.add_parser("run", help="time every variant, one JSON line each")
    commands.add_parser("info", help="versions (and BLAS), one JSON line")
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
            if make_data(args.dir, stem, size):
                print(f"wrote {size}", file=sys.stderr)
        return
    wanted = {name for name in args.variants.split(",") if name}
    unknown = wanted - set(variants)
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; known: {sorted(variants)}")
    run(args.dir, sizes, max(args.inner, 1), wanted)
