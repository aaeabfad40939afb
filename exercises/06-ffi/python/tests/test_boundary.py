"""Lab 6, Rust from Python: what happens at the boundary, the GIL and rayon's threads."""

import os
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

from conftest import MODULE, points


def test_gil_is_released_while_computing(lab):
    # A Python thread counts, sleeping 1 ms between counts (sleep releases the GIL). While a
    # call holds the GIL it cannot count at all; while a call that released it runs, it
    # counts about once a millisecond. No timing is asserted: only that it made progress.
    count = 0
    stop = threading.Event()

    def counter():
        nonlocal count
        while not stop.is_set():
            count += 1
            time.sleep(0.001)

    # The work grows with d, the memory hardly (x, y at most 2000 x 6400, 100 MB; the
    # result 2000 x 2000, 32 MB), until the call is long enough that a released GIL shows
    # many counts (a held one shows at most 2).
    d = 50
    thread = threading.Thread(target=counter, daemon=True)
    thread.start()
    try:
        while True:
            x, y = points(2000, d, 1), points(2000, d, 2)
            before = count
            started = time.perf_counter()
            lab.cityblock(x, y)
            elapsed = time.perf_counter() - started
            during = count - before
            if elapsed >= 0.25 or d >= 6400:
                break
            d *= 2
    finally:
        stop.set()
        thread.join()
    assert during >= 10, (
        f"a Python thread counted {during} times during a {elapsed:.2f} s call: is the GIL "
        f"released around the kernel (py.detach)?"
    )


CHILD = textwrap.dedent(
    """
    import hashlib, importlib, sys
    import numpy as np
    lab = importlib.import_module(sys.argv[1])
    rng = np.random.default_rng(11)
    x, y = rng.random((301, 17)), rng.random((203, 17))
    for metric in ("cityblock", "euclidean"):
        print(metric, hashlib.sha256(getattr(lab, metric)(x, y).tobytes()).hexdigest())
    """
)


def run_child(threads):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, MODULE], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, f"with RAYON_NUM_THREADS={threads}:\n{out.stderr[-2000:]}"
    return out.stdout


def test_one_thread_and_four_threads_give_identical_results(lab):
    one, four = run_child(1), run_child(4)
    assert one == four, (
        f"results differ between 1 and 4 rayon threads (sha256 of the bytes):\n{one}\n{four}"
    )


def test_results_are_identical_for_c_and_fortran_order(lab):
    # The same numbers in two layouts: bit for bit the same distances.
    x, y = points(45, 9, 1), points(33, 9, 2)
    for metric in ("cityblock", "euclidean"):
        f = getattr(lab, metric)
        a, b = f(x, y), f(np.asfortranarray(x), np.asfortranarray(y))
        assert np.array_equal(a, b), f"{metric}: C and Fortran order give different results"
