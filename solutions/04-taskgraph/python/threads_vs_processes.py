"""The original's threads-vs-processes notebook, timed on this machine (lab 4).

A pure-Python double loop (the notebook's `euclidean_distance_matrix`, which sums the signed
differences: a GIL-bound workload, not a distance) on x of 1000 x 50, run once, then as `tasks`
delayed calls with dask's threads and processes schedulers.

    .venv/bin/python solutions/04-taskgraph/python/threads_vs_processes.py [--n 300] [--tasks 4]
"""

import argparse
import multiprocessing
import os
import time

import dask
import numpy as np


def signed_sum_matrix(x, y):
    dist = np.zeros((len(x), len(y)))
    for i, xi in enumerate(x):
        for j, yj in enumerate(y):
            diff = xi - yj
            dist[i][j] = diff.sum()
    return dist


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300, help="points (the notebook: 1000)")
    parser.add_argument("--tasks", type=int, default=4, help="delayed calls (the notebook: 12)")
    args = parser.parse_args()
    x = np.random.default_rng(0).random((args.n, 50))

    start = time.perf_counter()
    signed_sum_matrix(x, x)
    one = time.perf_counter() - start
    print(f"one call, {args.n}x{args.n}x50: {one:.2f} s")
    graph = [dask.delayed(signed_sum_matrix)(x, x) for _ in range(args.tasks)]
    for scheduler in ["threads", "processes"]:
        start = time.perf_counter()
        dask.compute(graph, scheduler=scheduler)
        took = time.perf_counter() - start
        print(f"{args.tasks} calls, dask {scheduler}: {took:.2f} s ({took / one:.2f} x one call)")
    workers = os.cpu_count()
    with multiprocessing.Pool(workers) as pool:
        start = time.perf_counter()
        pool.starmap(signed_sum_matrix, [(x, x)] * args.tasks)
        took = time.perf_counter() - start
    print(f"{args.tasks} calls, multiprocessing.Pool({workers}) (started before the clock): "
          f"{took:.2f} s ({took / one:.2f} x one call)")


if __name__ == "__main__":
    main()
