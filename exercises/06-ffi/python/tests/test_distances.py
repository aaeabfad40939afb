"""Lab 6, Rust from Python: the extension's distance matrices against SciPy's cdist.

Run from the repository root, in the course's venv, after building the extension:

    .venv/bin/maturin develop --release -m exercises/06-ffi/python/Cargo.toml
    .venv/bin/python -m pytest exercises/06-ffi/python/tests
"""

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from conftest import points

METRICS = ["cityblock", "euclidean"]


def check(lab, metric, x, y, what):
    """The extension's `metric` of x and y equals cdist's, to rounding."""
    got = getattr(lab, metric)(x, y)
    want = cdist(x, y, metric)
    assert isinstance(got, np.ndarray), f"{metric} returned {type(got).__name__}, not a NumPy array"
    assert got.shape == want.shape, f"{what}: {metric} has shape {got.shape}, cdist {want.shape}"
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=f"{what}: {metric}")


@pytest.mark.parametrize("metric", METRICS)
def test_matches_cdist_on_c_ordered_arrays(lab, metric):
    x, y = points(37, 5, 1), points(23, 5, 2)
    check(lab, metric, x, y, "C-ordered x (37, 5), y (23, 5)")


@pytest.mark.parametrize("metric", METRICS)
def test_matches_cdist_at_sizes_beyond_one_tile_and_one_task(lab, metric):
    # 150 rows: more than one rayon task, however the kernel splits the rows, and for a
    # blocked kernel (tasks of 64 rows, tiles of 4) a ragged last tile; d = 3 and 50.
    for d in (3, 50):
        x, y = points(150, d, 3), points(91, d, 4)
        check(lab, metric, x, y, f"x (150, {d}), y (91, {d})")


@pytest.mark.parametrize("metric", METRICS)
def test_accepts_fortran_ordered_arrays_without_converting(lab, metric):
    x, y = np.asfortranarray(points(30, 4, 5)), np.asfortranarray(points(20, 4, 6))
    check(lab, metric, x, y, "Fortran-ordered x and y (read them through their strides)")


@pytest.mark.parametrize("metric", METRICS)
def test_accepts_sliced_and_transposed_views(lab, metric):
    base = points(60, 12, 7)
    x = base[::3, 1::2]  # every 3rd row, every 2nd column: strides (288, 16) bytes
    # (25, 6): transposed, rows reversed (a negative stride), every 2nd column
    y = points(12, 25, 8).T[::-1, ::2]
    assert not x.flags.c_contiguous and not y.flags.c_contiguous
    check(lab, metric, x, y, "strided views x[::3, 1::2] and y.T[::-1, ::2]")


@pytest.mark.parametrize("metric", METRICS)
def test_empty_inputs_give_empty_or_zero_results(lab, metric):
    f = getattr(lab, metric)
    r = f(np.empty((0, 3)), points(4, 3, 9))
    assert r.shape == (0, 4), f"{metric}(x (0, 3), y (4, 3)) has shape {r.shape}, want (0, 4)"
    r = f(points(2, 3, 9), np.empty((0, 3)))
    assert r.shape == (2, 0), f"{metric}(x (2, 3), y (0, 3)) has shape {r.shape}, want (2, 0)"
    r = f(np.empty((2, 0)), np.empty((3, 0)))
    assert r.shape == (2, 3) and np.all(r == 0), (
        f"{metric} of points with no coordinates: want a (2, 3) matrix of zeros, got {r!r}"
    )


@pytest.mark.parametrize("metric", METRICS)
def test_different_d_raises_shape_error_naming_both_shapes(lab, metric):
    assert issubclass(lab.ShapeError, ValueError), "ShapeError must subclass ValueError"
    with pytest.raises(lab.ShapeError) as raised:
        getattr(lab, metric)(points(5, 3, 1), points(4, 2, 2))
    message = str(raised.value)
    assert "(5, 3)" in message and "(4, 2)" in message, (
        f"the message should name both shapes, (5, 3) and (4, 2): {message!r}"
    )


@pytest.mark.parametrize("metric", METRICS)
def test_not_2d_raises_shape_error(lab, metric):
    with pytest.raises(lab.ShapeError) as raised:
        getattr(lab, metric)(np.zeros(5), points(4, 5, 2))
    assert "(5,)" in str(raised.value), f"the message should name x's shape (5,): {raised.value}"


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_other_dtypes_raise_type_error_asking_for_float64(lab, metric, dtype):
    x = points(5, 3, 1).astype(dtype)
    with pytest.raises(TypeError) as raised:
        getattr(lab, metric)(x, points(4, 3, 2))
    assert "float64" in str(raised.value), (
        f"the TypeError should say to pass float64: {raised.value!r}"
    )
    with pytest.raises(TypeError):
        getattr(lab, metric)(points(4, 3, 2), x)


@pytest.mark.parametrize("metric", METRICS)
def test_result_is_a_new_c_contiguous_float64_array(lab, metric):
    x, y = points(7, 3, 1), points(9, 3, 2)
    r = getattr(lab, metric)(x, y)
    assert r.dtype == np.float64, f"result dtype {r.dtype}, want float64"
    assert r.shape == (7, 9), f"result shape {r.shape}, want (7, 9)"
    assert r.flags.c_contiguous, "the result should be C-contiguous (row-major)"
    assert r.flags.writeable, "the result should be writeable: it is the caller's"
    assert not np.shares_memory(r, x) and not np.shares_memory(r, y)
    r[0, 0] = -1.0  # a new array: writing to it changes nothing else
    assert getattr(lab, metric)(x, y)[0, 0] != -1.0


@pytest.mark.parametrize("metric", METRICS)
def test_result_takes_over_the_rust_buffer_without_a_copy(lab, metric):
    r = getattr(lab, metric)(points(7, 3, 1), points(9, 3, 2))
    # NumPy allocated a buffer of its own (owndata) only if the result was copied into one.
    assert not r.flags.owndata, (
        "the result owns a NumPy-allocated buffer: the Rust result was copied into it "
        "(to_pyarray, PyArray::from_array); hand the Array2 over with into_pyarray, no copy"
    )
