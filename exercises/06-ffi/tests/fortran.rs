//! Exercise 2: the Fortran kernel on column-major arrays (src/fortran.rs).
//! Run: cargo test -p ffi --test fortran
//!
//! Needs gfortran: without it the tests that call a Fortran kernel report
//! themselves skipped, before calling your code, and say how to install it on
//! your system (`cargo test -p ffi --test fortran -- --show-output` shows why).

use std::num::NonZeroUsize;

use ffi::FfiError;
use ffi::c_kernel::cityblock_c;
use ffi::fortran::{cityblock_fortran, cityblock_fortran_racy, fortran_view};
use ffi::openmp;
use ffi::testing::{
    assert_allclose, cityblock_reference, fortran_kernels_built, random_points,
    thread_count_settable,
};
use ndarray::{Array2, ArrayView2, array};

#[test]
fn fortran_view_is_the_transpose_of_the_same_buffer() {
    let x = random_points(5, 3, 1); // 5 points of 3 coordinates, row-major
    let xf = fortran_view("x", x.view()).expect("a standard-layout input");
    assert_eq!(xf.dim(), (3, 5), "Fortran's x(d, n): one column per point");
    assert_eq!(
        xf.as_ptr(),
        x.as_ptr(),
        "data pointer moved: did you copy instead of making a view? (the transpose of a view \
         is a view: only the strides change)"
    );
    assert_eq!(
        xf.strides(),
        &[1, 3],
        "column-major (d, n): the coordinates of a point are next to each other (stride 1), \
         points are d apart"
    );
    assert_eq!(
        xf[[2, 4]],
        x[[4, 2]],
        "x(k, i) in Fortran is x[i, k] in Rust"
    );
}

#[test]
fn fortran_view_refuses_an_input_that_is_not_row_major() {
    let pts = random_points(3, 5, 2);
    assert_eq!(
        fortran_view("y", pts.t()).expect_err(
            "a column-major (5, 3) input: its transpose is row-major, not what Fortran reads"
        ),
        FfiError::NotContiguous {
            which: "y",
            shape: (5, 3),
            strides: (1, 5)
        }
    );
}

#[test]
fn fortran_kernel_computes_a_small_example() {
    if !fortran_kernels_built() {
        return;
    }
    let x = array![[0.0, 0.0], [1.0, 1.0]];
    let y = array![[0.0, 0.0], [3.0, 4.0], [1.0, 0.0]];
    assert_eq!(
        cityblock_fortran(x.view(), y.view()).expect("valid inputs"),
        array![[0.0, 7.0, 1.0], [2.0, 5.0, 1.0]],
        "r(i, j) = Σ_k |x(k, i) - y(k, j)| (the transposed answer? the result must be \
         allocated in Fortran order, (n, m).f(), since Fortran writes it column by column)"
    );
}

#[test]
fn fortran_kernel_matches_the_rust_reference() {
    if !fortran_kernels_built() {
        return;
    }
    let (x, y) = (random_points(37, 11, 3), random_points(23, 11, 4));
    assert_allclose(
        cityblock_fortran(x.view(), y.view())
            .expect("valid inputs")
            .view(),
        cityblock_reference(x.view(), y.view()).view(),
        1e-13,
        0.0,
        "Fortran kernel against the Rust reference (wrong entries everywhere? x and y go to \
         Fortran as (d, n) and (d, m), and the sizes in the order n, m, d)",
    );
}

#[test]
fn fortran_result_is_in_fortran_order() {
    if !fortran_kernels_built() {
        return;
    }
    let (x, y) = (random_points(6, 4, 5), random_points(9, 4, 6));
    let r = cityblock_fortran(x.view(), y.view()).expect("valid inputs");
    assert_eq!(r.dim(), (6, 9));
    assert_eq!(
        r.strides(),
        &[1, 6],
        "Fortran writes r(n, m) column-major: consecutive i are next to each other"
    );
    assert!(
        r.t().is_standard_layout(),
        "the transpose of a Fortran-order array is in standard layout"
    );
}

#[test]
fn fortran_and_c_agree_bit_for_bit() {
    if !fortran_kernels_built() {
        return;
    }
    let (x, y) = (random_points(29, 50, 7), random_points(31, 50, 8));
    let from_c = cityblock_c(x.view(), y.view()).expect("valid inputs");
    let from_fortran = cityblock_fortran(x.view(), y.view()).expect("valid inputs");
    assert_eq!(
        from_fortran, from_c,
        "both add |x - y| over k = 1, 2, ... in order: every bit agrees, whatever the layout \
         of the results (== compares elements, not memory)"
    );
}

#[test]
fn fortran_kernel_gives_the_same_result_on_one_and_two_threads() {
    if !fortran_kernels_built() || !thread_count_settable() {
        return;
    }
    let (x, y) = (random_points(13, 7, 9), random_points(41, 7, 10));
    let on = |threads| {
        let threads = NonZeroUsize::new(threads).expect("positive");
        openmp::with_threads(threads, || cityblock_fortran(x.view(), y.view()))
    };
    assert_eq!(
        on(1).expect("valid inputs"),
        on(2).expect("valid inputs"),
        "with PRIVATE(tmp) each thread has its own sum: the thread count changes no bit"
    );
}

#[test]
fn racy_kernel_is_right_on_one_thread() {
    if !fortran_kernels_built() || !thread_count_settable() {
        return;
    }
    // The 2019 bug hides from every test that runs on one thread: this one
    // passes, and proves nothing about two. The book's Exercise 2, "Spot the
    // bug", tells the two-thread story.
    let (x, y) = (random_points(19, 8, 11), random_points(21, 8, 12));
    let one = NonZeroUsize::new(1).expect("positive");
    let r = openmp::with_threads(one, || cityblock_fortran_racy(x.view(), y.view()))
        .expect("valid inputs");
    assert_allclose(
        r.view(),
        cityblock_reference(x.view(), y.view()).view(),
        1e-13,
        0.0,
        "the racy kernel on one thread",
    );
    assert_eq!(r.strides(), &[1, 19], "in Fortran order too");
}

#[test]
fn fortran_wrapper_checks_like_the_c_one() {
    if !fortran_kernels_built() {
        return;
    }
    let (x, y) = (random_points(3, 5, 13), random_points(4, 5, 14));
    assert_eq!(
        cityblock_fortran(x.view(), random_points(4, 6, 1).view()),
        Err(FfiError::DimensionMismatch {
            x: (3, 5),
            y: (4, 6)
        }),
        "Fortran would read past the end of x: check the dimensions first"
    );
    assert_eq!(
        cityblock_fortran(x.view(), x.t().as_standard_layout().t()),
        Err(FfiError::NotContiguous {
            which: "y",
            shape: (3, 5),
            strides: (1, 3)
        }),
        "a column-major y: its transpose is not what Fortran reads"
    );
    let huge = ArrayView2::<f64>::from_shape((1usize << 31, 0), &[]).expect("an empty view");
    assert_eq!(
        cityblock_fortran(huge, Array2::<f64>::zeros((0, 0)).view()),
        Err(FfiError::TooLarge {
            which: "n",
            value: 1 << 31
        }),
        "Fortran's sizes are C ints too (integer(c_int), value): use c_dims"
    );
    assert_eq!(
        cityblock_fortran(Array2::<f64>::zeros((0, 5)).view(), y.view())
            .expect("empty x")
            .dim(),
        (0, 4)
    );
    assert_eq!(
        cityblock_fortran(
            Array2::<f64>::zeros((2, 0)).view(),
            Array2::<f64>::zeros((3, 0)).view()
        )
        .expect("no coordinates"),
        Array2::<f64>::zeros((2, 3))
    );
}
