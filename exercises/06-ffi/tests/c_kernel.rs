//! Exercise 1: the C kernel behind a safe wrapper (src/c_kernel.rs).
//! Run: cargo test -p ffi --test c_kernel

use std::ffi::c_int;
use std::num::NonZeroUsize;

use ffi::FfiError;
use ffi::c_kernel::{c_dims, cityblock_c, cityblock_c_copying};
use ffi::openmp;
use ffi::testing::{assert_allclose, cityblock_reference, random_points, thread_count_settable};
use ndarray::{Array2, ArrayView2, array, s};

const INT_MAX: usize = c_int::MAX as usize;

#[test]
fn c_dims_passes_sizes_that_fit_in_an_int() {
    assert_eq!(c_dims(3, 4, 5), Ok((3, 4, 5)));
    assert_eq!(c_dims(0, 0, 0), Ok((0, 0, 0)));
    assert_eq!(
        c_dims(INT_MAX, INT_MAX, INT_MAX),
        Ok((c_int::MAX, c_int::MAX, c_int::MAX)),
        "2³¹ - 1 is the largest C int, and it fits"
    );
}

#[test]
fn c_dims_refuses_a_size_beyond_int_max_and_names_it() {
    let big = INT_MAX + 1;
    assert_eq!(
        c_dims(big, 1, 1),
        Err(FfiError::TooLarge {
            which: "n",
            value: big
        }),
        "2³¹ rows would reach C as -2³¹ with `as c_int`: refuse it"
    );
    assert_eq!(
        c_dims(1, big, 1),
        Err(FfiError::TooLarge {
            which: "m",
            value: big
        })
    );
    assert_eq!(
        c_dims(1, 1, usize::MAX),
        Err(FfiError::TooLarge {
            which: "d",
            value: usize::MAX
        })
    );
    assert_eq!(
        c_dims(big, big, 1),
        Err(FfiError::TooLarge {
            which: "n",
            value: big
        }),
        "check n first, then m, then d"
    );
}

#[test]
fn c_kernel_computes_a_small_example() {
    let x = array![[0.0, 0.0], [1.0, 1.0]];
    let y = array![[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]];
    assert_eq!(
        cityblock_c(x.view(), y.view()).expect("valid inputs"),
        array![[0.0, 7.0, 1.0], [2.0, 5.0, 1.0]],
        "r[i, j] = Σ_k |x[i, k] - y[j, k]|: one row per point of x, one column per point of y \
         (all zeros? the C function was not called; a transposed result? check n and m)"
    );
}

#[test]
fn c_kernel_matches_the_rust_reference() {
    let (x, y) = (random_points(37, 11, 1), random_points(23, 11, 2));
    let r = cityblock_c(x.view(), y.view()).expect("valid inputs");
    assert_allclose(
        r.view(),
        cityblock_reference(x.view(), y.view()).view(),
        1e-13,
        0.0,
        "C kernel against the Rust reference (wrong entries everywhere? check the order of \
         the arguments in the extern declaration against c/cityblock.c)",
    );
    assert!(
        r.is_standard_layout(),
        "C writes r row after row: the result must be a standard-layout (C-order) array"
    );
}

#[test]
fn c_kernel_gives_the_same_result_on_one_and_two_threads() {
    if !thread_count_settable() {
        return;
    }
    let (x, y) = (random_points(41, 9, 3), random_points(17, 9, 4));
    let on = |threads| {
        let threads = NonZeroUsize::new(threads).expect("positive");
        openmp::with_threads(threads, || cityblock_c(x.view(), y.view()))
    };
    assert_eq!(
        on(1).expect("valid inputs"),
        on(2).expect("valid inputs"),
        "each entry is one thread's sum, in the same order: the thread count changes no bit"
    );
}

#[test]
fn c_kernel_refuses_a_transposed_input() {
    // Points stored as columns: pts.t() is an (n, d) view with strides (1, n).
    let pts = random_points(3, 5, 5);
    let y = random_points(4, 3, 6);
    let error = cityblock_c(pts.t(), y.view()).expect_err(
        "a transposed view is not row-major: C would read its buffer as if it were, and \
         compute the distances of the wrong points",
    );
    assert_eq!(
        error,
        FfiError::NotContiguous {
            which: "x",
            shape: (5, 3),
            strides: (1, 5)
        }
    );
    let message = error.to_string();
    assert!(
        message.contains("(5, 3)") && message.contains("(1, 5)"),
        "the message names the shape and the strides: {message}"
    );
    assert_eq!(
        cityblock_c(y.view(), pts.t()).expect_err("y is checked too"),
        FfiError::NotContiguous {
            which: "y",
            shape: (5, 3),
            strides: (1, 5)
        }
    );
}

#[test]
fn c_kernel_refuses_strided_and_reversed_views() {
    let a = random_points(6, 8, 7);
    let y = random_points(2, 4, 8);
    let every_other_column = a.slice(s![.., ..;2]);
    assert_eq!(
        cityblock_c(every_other_column, y.view()),
        Err(FfiError::NotContiguous {
            which: "x",
            shape: (6, 4),
            strides: (8, 2)
        }),
        "a step of 2 between columns: not contiguous"
    );
    let y8 = random_points(2, 8, 9);
    let reversed_rows = a.slice(s![..;-1, ..]);
    assert_eq!(
        cityblock_c(reversed_rows, y8.view()),
        Err(FfiError::NotContiguous {
            which: "x",
            shape: (6, 8),
            strides: (-8, 1)
        }),
        "reversed rows: a negative stride, the first element is not at the lowest address"
    );
}

#[test]
fn c_copying_accepts_any_layout_and_gives_the_same_result() {
    let (pts, y) = (random_points(7, 12, 10), random_points(5, 7, 11));
    let x = pts.t(); // (12, 7), column-major
    let expected = cityblock_reference(x, y.view());
    let r = cityblock_c_copying(x, y.view()).expect("any layout is copied");
    assert_allclose(
        r.view(),
        expected.view(),
        1e-13,
        0.0,
        "cityblock_c_copying on a transposed x",
    );
    let reversed = y.slice(s![..;-1, ..]);
    let r = cityblock_c_copying(x, reversed).expect("negative strides are copied too");
    assert_allclose(
        r.view(),
        cityblock_reference(x, reversed).view(),
        1e-13,
        0.0,
        "cityblock_c_copying with reversed rows of y",
    );
    assert_eq!(
        cityblock_c_copying(random_points(2, 3, 1).view(), y.view()),
        Err(FfiError::DimensionMismatch {
            x: (2, 3),
            y: (5, 7)
        }),
        "copying fixes the layout, not the shapes"
    );
}

#[test]
fn c_kernel_refuses_sizes_beyond_int_before_allocating() {
    // 2³¹ points with no coordinates: a valid view of no memory at all.
    let huge = INT_MAX + 1;
    let x = ArrayView2::<f64>::from_shape((huge, 0), &[]).expect("an empty view");
    let y = Array2::<f64>::zeros((0, 0));
    assert_eq!(
        cityblock_c(x, y.view()),
        Err(FfiError::TooLarge {
            which: "n",
            value: huge
        }),
        "call c_dims on (n, m, d) before anything else: the kernel takes ints, whatever the \
         other sizes"
    );
    assert_eq!(
        cityblock_c(y.view(), x),
        Err(FfiError::TooLarge {
            which: "m",
            value: huge
        })
    );
}

#[test]
fn c_kernel_gives_empty_results_for_empty_inputs() {
    let (x, y) = (Array2::<f64>::zeros((0, 3)), random_points(4, 3, 12));
    assert_eq!(
        cityblock_c(x.view(), y.view()).expect("empty x").dim(),
        (0, 4)
    );
    assert_eq!(
        cityblock_c(y.view(), x.view()).expect("empty y").dim(),
        (4, 0)
    );
    let (x0, y0) = (Array2::<f64>::zeros((2, 0)), Array2::<f64>::zeros((3, 0)));
    assert_eq!(
        cityblock_c(x0.view(), y0.view()).expect("no coordinates"),
        Array2::<f64>::zeros((2, 3)),
        "points with no coordinates are all at distance 0"
    );
}

#[test]
fn c_kernel_refuses_different_dimensions_naming_both_shapes() {
    let (x, y) = (Array2::<f64>::zeros((3, 3)), Array2::<f64>::zeros((5, 4)));
    let error = cityblock_c(x.view(), y.view()).expect_err("3 and 4 coordinates");
    assert_eq!(
        error,
        FfiError::DimensionMismatch {
            x: (3, 3),
            y: (5, 4)
        },
        "C would read 4 coordinates per point of x: past the end of its buffer"
    );
    let message = error.to_string();
    assert!(
        message.contains("(3, 3)") && message.contains("(5, 4)"),
        "{message}"
    );
}
