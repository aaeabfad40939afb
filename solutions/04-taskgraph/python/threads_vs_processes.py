"""The original's threads-vs-processes notebook, timed on this machine (lab 4).

A pure-Python double loop (the notebook's `euclidean_distance_matrix`, which sums the signed
differences: a GIL-bound workload, not a distance) on x of n x 50, run once, then as `tasks`
delayed calls with dask's threads and processes schedulers, and on a multiprocessing pool.

Then why dask's `processes` scheduler is no faster than its threads: its parts, timed apart.
dask sends ready tasks to the pool in batches of `chunksize` (its config default for
processes: 6), so `tasks` <= 6 calls go to ONE worker, one after the other; and each
`compute` starts a fresh pool of spawned interpreters. The script times the default, the same
graph with chunksize=1, with a pool started beforehand, the start-up alone and the pickling
alone, and counts the worker processes that ran the calls.

    .venv/bin/python solutions/04-taskgraph/python/threads_vs_processes.py [--n 300] [--tasks 4]
        [--repeats 1] [--json]

With `--json`, one line per timing for `cargo xtask bench --book`.
"""

import argparse
import json
import multiprocessing
import os
import pickle
import time
from concurrent.futures import ProcessPoolExecutor

import dask
import numpy as np


def signed_sum_matrix(x, y):
    dist = np.zeros((len(x), len(y)))
    for i, xi in enumerate(x):
        for j, yj in enumerate(y):
            diff = xi - yj
            dist[i][j] = diff.sum()
    return dist


def with_pid(x, y):
    """The same call, and which process ran it."""
    return os.getpid(), signed_sum_matrix(x, y)


def nothing(_=None):
    return 0


def timed(run):
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300, help="points (the notebook: 1000)")
    parser.add_argument("--tasks", type=int, default=4, help="delayed calls (the notebook: 12)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each timing")
    parser.add_argument("--json", action="store_true", help="cell lines for cargo xtask bench")
    args = parser.parse_args()
    x = np.random.default_rng(0).random((args.n, 50))
    tasks, workers = args.tasks, os.cpu_count()
    table = f"{tasks} calls on {args.n}x{args.n} points of 50 coordinates"
    why = f"Why dask's processes scheduler is slow: {tasks} calls, {workers} workers"

    def report(table_name, row, seconds):
        best = min(seconds)
        print(f"{row}: {best:.3f} s")
        if args.json:
            print(json.dumps({"table": table_name, "row": row, "column": "Python",
                              "seconds": seconds}), flush=True)

    def note(text):
        print(text)
        if args.json:
            print(json.dumps({"note": text}), flush=True)

    graph = [dask.delayed(signed_sum_matrix)(x, x) for _ in range(tasks)]
    pid_graph = [dask.delayed(with_pid)(x, x) for _ in range(tasks)]
    rows = {}

    def measure(table_name, row, run):
        seconds = [timed(run)[0] for _ in range(args.repeats)]
        rows[row] = min(seconds)
        report(table_name, row, seconds)

    measure(table, "one call", lambda: signed_sum_matrix(x, x))
    measure(table, f"{tasks} calls on threads", lambda: dask.compute(graph, scheduler="threads"))
    measure(table, f"{tasks} calls on processes",
            lambda: dask.compute(graph, scheduler="processes"))
    with multiprocessing.Pool(workers) as pool:
        measure(table, f"{tasks} calls on a pool of processes started beforehand",
                lambda: pool.starmap(signed_sum_matrix, [(x, x)] * tasks))

    # The investigation: what a `processes` compute is made of.
    measure(why, "dask processes, default chunksize (6)",
            lambda: dask.compute(graph, scheduler="processes"))
    measure(why, "dask processes, chunksize=1",
            lambda: dask.compute(graph, scheduler="processes", chunksize=1))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as started:
        list(started.map(nothing, range(workers)))  # every worker up before the clock
        measure(why, "dask processes, chunksize=1, pool started beforehand",
                lambda: dask.compute(graph, scheduler="processes", chunksize=1, pool=started))

    def start_pool():
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            list(pool.map(nothing, range(workers)))

    measure(why, f"start {workers} spawned workers and stop them (no work)", start_pool)
    full = np.zeros((args.n, args.n))  # a result's size: what is sent back
    measure(why, f"pickle and unpickle x and {tasks} results",
            lambda: [pickle.loads(pickle.dumps((x, full))) for _ in range(tasks)])

    # Which processes ran the calls, on a pool already up (so that no worker is still starting).
    with ProcessPoolExecutor(workers, mp_context=context) as started:
        list(started.map(nothing, range(workers)))
        for chunksize in (None, 1):
            (pids,) = dask.compute(pid_graph, scheduler="processes", chunksize=chunksize,
                                   pool=started)
            used = len({pid for pid, _ in pids})
            label = "the default chunksize" if chunksize is None else "chunksize=1"
            note(f"On a pool of {workers} workers started beforehand, dask `processes` with "
                 f"{label} ran the {tasks} calls in {used} worker process(es).")
    note(f"Measured with dask {dask.__version__}, NumPy {np.__version__}; dask's processes "
         f"scheduler starts its pool with the `{dask.config.get('multiprocessing.context', 'spawn')}` "
         f"method and batches ready tasks by its `chunksize` setting "
         f"(default for processes: {dask.config.get('chunksize', 6)}).")


if __name__ == "__main__":
    main()
