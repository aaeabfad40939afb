"""dask.delayed's cost per task, the Python side of lab 4's comparison.

The graph is the Rust bench's: `tasks` leaves that each return a number, and a
sum over them, computed with dask's threads scheduler on `--threads` workers.
Building the graph (the `delayed` calls) and computing it are timed apart:
the Rust scheduler's figure is the compute. Prints one JSON line per size,
each the best of `--repeats` runs.

    .venv/bin/python solutions/04-taskgraph/python/dask_overhead.py [--threads 2] [--repeats 5]

`cargo run --release -p taskgraph-solution --example compare_taskgraph` runs this
between its own rounds and prints the side-by-side table.
"""

import argparse
import json
import time

import dask


def leaf(i):
    return i


def build(tasks):
    leaves = [dask.delayed(leaf)(i) for i in range(tasks)]
    return dask.delayed(sum)(leaves)


def best(repeats, run):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", default="100,1000,10000")
    args = parser.parse_args()
    for tasks in (int(s) for s in args.sizes.split(",")):
        graph = build(tasks)
        assert graph.compute(scheduler="threads", num_workers=args.threads) == tasks * (tasks - 1) // 2
        # Fewer repeats for the big graphs: each takes seconds.
        repeats = max(1, args.repeats if tasks <= 1000 else args.repeats // 2)
        built = best(repeats, lambda: build(tasks))
        computed = best(repeats, lambda: graph.compute(scheduler="threads", num_workers=args.threads))
        print(json.dumps({"tasks": tasks, "build_s": built, "compute_s": computed,
                          "dask": dask.__version__}), flush=True)


if __name__ == "__main__":
    main()
