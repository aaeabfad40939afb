"""Shared set-up of lab 6's Python tests: which module they test, and seeded data.

The tests import the module named by the environment variable FFI_LAB_MODULE: by default
`ffi_lab` (yours, from exercises/06-ffi/python); the instructors' check runs the same files
with FFI_LAB_MODULE=ffi_lab_solution.
"""

import importlib
import os

import numpy as np
import pytest

MODULE = os.environ.get("FFI_LAB_MODULE", "ffi_lab")


@pytest.fixture(scope="session")
def lab():
    """The extension module under test."""
    try:
        return importlib.import_module(MODULE)
    except ImportError as error:
        pytest.fail(
            f"cannot import {MODULE} ({error}): build it into this venv first, "
            f"`maturin develop --release -m exercises/06-ffi/python/Cargo.toml`"
        )


def points(n, d, seed):
    """n points in d dimensions, uniform in [0, 1), from a fixed seed."""
    return np.random.default_rng(seed).random((n, d))
