"""Lab 6, Rust from Python: the extension's costs, timed from Python.

Needs the extension built into the venv (`maturin develop --release -m
solutions/06-ffi/python/Cargo.toml`), and scipy and numba (lab 3's pins).

    python ffi_peers.py [--module ffi_lab_solution] [--quick] [--repeat N] [--write-book]

Prints a table, then one JSON line per measurement (with --write-book, also
the book's table, book/src/labs/measured/06-ffi.md, and chart,
book/src/labs/img/06-ffi-compare.svg, with the machine and the date):
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
import datetime
import importlib
import json
import os
import platform
import sys
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
    """Lab 3's numba peer, the same function: prange over the rows, compiled on
    its first call."""
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "03-parallel", "python"))
    import cityblock_peers

    return cityblock_peers._numba_kernels()["numba_parallel"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default="ffi_lab_solution")
    parser.add_argument("--quick", action="store_true", help="small sizes only, a few seconds")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write-book", action="store_true",
                        help="write the book's table and chart (run from anywhere)")
    parser.add_argument("--chart-from-table", action="store_true",
                        help="only redraw the book's chart from its committed table")
    args = parser.parse_args()
    if args.chart_from_table:
        return chart_from_table()
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
    if args.write_book:
        write_book(lab, args, results)


BOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "book", "src",
                    "labs")


def extension_kind(module):
    """How the table names the extension: the book's student edition names no solution crate."""
    if module.endswith("_solution"):
        return "reference solution's extension"
    return f"extension `{module}`"


def machine():
    """The CPU's model name and vector extensions, the cores, the memory."""
    model, flags = platform.processor() or "unknown CPU", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name":
                    model = value.strip()
                elif key.strip() == "flags":
                    flags = set(value.split())
                if model and flags:
                    break
    except OSError:
        pass
    vectors = ", ".join(f for f in ("avx2", "fma", "avx512f") if f in flags) or "none listed"
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        memory = f", {memory:.0f} GiB"
    except (ValueError, OSError):
        memory = ""
    return f"{model} ({vectors}); {os.cpu_count()} cores{memory}"


def write_book(lab, args, results):
    """The book's table (markdown) and chart (SVG) from this run."""
    import numba
    import scipy

    size_rows = [r for r in results if r["kind"] == "size"]
    sizes = list(dict.fromkeys(r["what"].rsplit(" ", 1)[1] for r in size_rows))
    names = ["extension", "numba prange", "cdist"]
    time_of = {tuple(r["what"].rsplit(" ", 1)): r["seconds"] for r in size_rows}
    lines = [
        "<!-- Generated by `.venv/bin/python solutions/06-ffi/python/ffi_peers.py --write-book`: "
        "do not edit; run it again. -->",
        "",
        f"- Machine: {machine()}. Measured {datetime.date.today().isoformat()}.",
        f"- Python {platform.python_version()}: NumPy {np.__version__}, SciPy {scipy.__version__}, "
        f"numba {numba.__version__}; the {extension_kind(args.module)} (path `{lab.simd()}`), "
        f"built by `maturin develop --release`. Threads: "
        f"{os.environ.get('RAYON_NUM_THREADS', 'every core')} (rayon), "
        f"{os.environ.get('NUMBA_NUM_THREADS', 'every core')} (numba); `cdist` runs on one.",
        f"- Best of {args.repeat} calls (cdist: of up to 3) after one warm-up call each.",
        "",
        "| n×m×d | extension | numba `prange` | SciPy `cdist` | extension vs `cdist` | "
        "extension vs numba |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        t = {name: time_of[(name, size)] * 1e3 for name in names}
        lines.append(f"| {size.replace('x', '×')} | {t['extension']:.3g} | "
                     f"{t['numba prange']:.3g} | {t['cdist']:.3g} | "
                     f"{t['cdist'] / t['extension']:.1f}× | "
                     f"{t['numba prange'] / t['extension']:.1f}× |")
    lines += ["", "Times in ms. The boundary itself (calls that compute almost nothing), and "
              "the input's layout:", "", "| call | time |", "|---|---:|"]
    for r in results:
        if r["kind"] in ("overhead", "layout"):
            value = (f"{r['seconds'] * 1e6:.2f} µs" if r["kind"] == "overhead"
                     else f"{r['seconds'] * 1e3:.3g} ms")
            lines.append(f"| {r['what']} | {value} |")
    with open(os.path.join(BOOK, "measured", "06-ffi.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(BOOK, "img", "06-ffi-compare.svg"), "w") as f:
        f.write(chart(sizes, names, time_of))
    print(f"wrote {os.path.join(BOOK, 'measured', '06-ffi.md')} and img/06-ffi-compare.svg")


def chart(sizes, names, time_of):
    """Grouped horizontal bars: each variant's speed against cdist (cdist = 1), per size.

    Drawn for the book's column (750 px on a desktop: text 12 px or more there), on an opaque
    white background (the book has dark themes), in Okabe-Ito colours (colour-blind safe);
    `cargo xtask check` renders the book and checks all three."""
    colors = {"extension": "#d55e00", "numba prange": "#0072b2", "cdist": "#999999"}
    bar, gap, left, width, total = 20, 16, 130, 450, 750
    speed = {(n, s): time_of[("cdist", s)] / time_of[(n, s)] for n in names for s in sizes}
    top = max(speed.values())
    height = 44 + len(sizes) * (len(names) * bar + gap) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{height}" '
           f'viewBox="0 0 {total} {height}" font-family="sans-serif" font-size="13" '
           f'fill="#000">',
           f'<rect width="{total}" height="{height}" fill="#fff"/>',
           f'<text x="10" y="22" font-size="15">Cityblock from Python: speed against SciPy '
           f'cdist (= 1), higher is faster</text>']
    y = 44
    for size in sizes:
        out.append(f'<text x="10" y="{y + len(names) * bar / 2 + 4}">'
                   f'{size.replace("x", "×")}</text>')
        for name in names:
            w = width * speed[(name, size)] / top
            ms = time_of[(name, size)] * 1e3
            out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 4}" '
                       f'fill="{colors[name]}"><title>{name}: {ms:.3g} ms</title></rect>')
            out.append(f'<text x="{left + w + 5:.1f}" y="{y + bar - 7}">{name} '
                       f'{speed[(name, size)]:.1f}×</text>')
            y += bar
        y += gap
    out.append("</svg>")
    return "\n".join(out) + "\n"


def chart_from_table():
    """Redraws the book's chart from the committed table (book/src/labs/measured/06-ffi.md,
    times in ms to 3 digits, as the chart shows them), without measuring again."""
    names = ["extension", "numba prange", "cdist"]
    sizes, time_of = [], {}
    with open(os.path.join(BOOK, "measured", "06-ffi.md")) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 6 and cells[0][:1].isdigit() and cells[0].count("×") == 2:
                size = cells[0].replace("×", "x")
                sizes.append(size)
                for name, ms in zip(names, cells[1:4]):
                    time_of[(name, size)] = float(ms) / 1e3
    if not sizes:
        sys.exit("no size rows in the measured table: run with --write-book instead")
    with open(os.path.join(BOOK, "img", "06-ffi-compare.svg"), "w") as f:
        f.write(chart(sizes, names, time_of))
    print("redrew img/06-ffi-compare.svg from measured/06-ffi.md")


if __name__ == "__main__":
    main()
