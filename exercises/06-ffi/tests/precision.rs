//! Exercise 3: single and double precision (src/precision.rs).
//! Run: cargo test -p ffi --test precision
//!
//! Needs gfortran, as exercise 2 does.

use ffi::FfiError;
use ffi::fortran::{FortranReal, cityblock_fortran};
use ffi::precision::{Distances, Points, cityblock_dispatch};
use ffi::testing::{
    assert_allclose, cityblock_reference, fortran_kernels_built, random_points_f32,
};
use ndarray::{Array2, array, s};

#[test]
fn single_precision_kernel_computes_a_small_example() {
    if !fortran_kernels_built() {
        return;
    }
    let x = array![[0.0f32, 0.0], [1.0, 1.0]];
    let y = array![[0.0f32, 0.0], [3.0, 4.0], [1.0, 0.0]];
    assert_eq!(
        cityblock_fortran(x.view(), y.view()).expect("valid inputs"),
        array![[0.0f32, 7.0, 1.0], [2.0, 5.0, 1.0]],
        "f32 points go to the real(c_float) kernel, cityblock_f32"
    );
}

#[test]
fn single_precision_agrees_with_double_to_about_seven_digits() {
    if !fortran_kernels_built() {
        return;
    }
    let (x, y) = (random_points_f32(37, 50, 1), random_points_f32(23, 50, 2));
    let r = cityblock_fortran(x.view(), y.view()).expect("valid inputs");
    assert_allclose(
        r.mapv(f64::from).view(),
        cityblock_reference(x.view(), y.view()).view(),
        1e-5,
        0.0,
        "f32 sums of 50 terms against the f64 reference (off by far more than 1e-5? an f32 \
         array passed to a kernel that reads f64, or the other way round, reads garbage: \
         check the extern declaration's types, c_float)",
    );
}

#[test]
fn single_precision_really_adds_in_single_precision() {
    if !fortran_kernels_built() {
        return;
    }
    let (x, y) = (random_points_f32(20, 50, 3), random_points_f32(20, 50, 4));
    let r = cityblock_fortran(x.view(), y.view()).expect("valid inputs");
    let rounded_f64 = cityblock_reference(x.view(), y.view()).mapv(|v| v as f32);
    let differ = r.iter().zip(&rounded_f64).filter(|(a, b)| a != b).count();
    assert!(
        differ > 0,
        "all {} entries equal the f64 sums rounded to f32: the kernel should add in f32, \
         rounding after every addition (did you call the f64 kernel and convert?)",
        r.len()
    );
}

#[test]
fn single_precision_result_is_in_fortran_order() {
    if !fortran_kernels_built() {
        return;
    }
    let (x, y) = (random_points_f32(6, 4, 5), random_points_f32(9, 4, 6));
    let r = cityblock_fortran(x.view(), y.view()).expect("valid inputs");
    assert_eq!(
        r.strides(),
        &[1, 6],
        "the same wrapper, generic over the precision: r in Fortran order"
    );
    assert_eq!(f32::FORTRAN_TYPE, "real(c_float)");
}

#[test]
fn single_precision_wrapper_refuses_what_the_double_one_refuses() {
    if !fortran_kernels_built() {
        return;
    }
    let x = random_points_f32(5, 4, 7);
    assert_eq!(
        cityblock_fortran(x.slice(s![.., ..;2]), x.view()),
        Err(FfiError::DimensionMismatch {
            x: (5, 2),
            y: (5, 4)
        })
    );
    assert_eq!(
        cityblock_fortran(x.slice(s![.., ..;2]), x.slice(s![.., 1..3])),
        Err(FfiError::NotContiguous {
            which: "x",
            shape: (5, 2),
            strides: (4, 2)
        })
    );
}

#[test]
fn dispatch_calls_the_kernel_of_the_points_precision() {
    if !fortran_kernels_built() {
        return;
    }
    let (x, y) = (random_points_f32(7, 5, 8), random_points_f32(3, 5, 9));
    let (x64, y64) = (x.mapv(f64::from), y.mapv(f64::from));
    assert_eq!(
        cityblock_dispatch(Points::F32(x.view()), Points::F32(y.view())),
        cityblock_fortran(x.view(), y.view()).map(Distances::F32),
        "two f32 arrays: the f32 kernel, and f32 distances"
    );
    assert_eq!(
        cityblock_dispatch(Points::F64(x64.view()), Points::F64(y64.view())),
        cityblock_fortran(x64.view(), y64.view()).map(Distances::F64),
        "two f64 arrays: the f64 kernel"
    );
    assert!(
        matches!(
            cityblock_dispatch(Points::F64(x64.view()), Points::F64(y64.view())),
            Ok(Distances::F64(_))
        ),
        "f64 points give f64 distances"
    );
}

#[test]
fn dispatch_refuses_mixed_precisions_naming_both() {
    let (x, y) = (random_points_f32(2, 3, 10), Array2::<f64>::zeros((4, 3)));
    let error = cityblock_dispatch(Points::F32(x.view()), Points::F64(y.view()))
        .expect_err("one f32 array and one f64 array");
    assert_eq!(
        error,
        FfiError::MixedPrecision {
            x: "real(c_float)",
            y: "real(c_double)"
        },
        "no silent conversion: the caller chooses"
    );
    assert!(error.to_string().contains("real(c_float)"), "{error}");
    assert_eq!(
        cityblock_dispatch(Points::F64(y.view()), Points::F32(x.view())),
        Err(FfiError::MixedPrecision {
            x: "real(c_double)",
            y: "real(c_float)"
        })
    );
}
