//! Exercise 2: memory layouts (src/layout.rs).
//! Run: cargo test -p strides --test layout

use ndarray::{Array, Array2, ShapeBuilder};
use strides::layout::{
    Order, c_strides, f_strides, is_c_contiguous, is_f_contiguous, numpy_strides, strides_for,
    to_byte_strides,
};
use strides::{LayoutError, StridedView};

#[test]
fn c_strides_multiply_the_lengths_of_the_later_axes() {
    assert_eq!(c_strides(&[4, 4]).unwrap(), vec![4, 1]);
    assert_eq!(
        c_strides(&[2, 3, 4]).unwrap(),
        vec![12, 4, 1],
        "stride of axis k = product of the lengths after k"
    );
    assert_eq!(c_strides(&[7]).unwrap(), vec![1]);
    assert_eq!(
        c_strides(&[]).unwrap(),
        Vec::<isize>::new(),
        "a 0-D array has no strides"
    );
}

#[test]
fn c_strides_match_what_ndarray_allocates() {
    for shape in [vec![4, 4], vec![2, 8], vec![3, 1, 5], vec![2, 3, 4, 5]] {
        let a = Array::<f64, _>::zeros(shape.as_slice());
        assert_eq!(
            c_strides(&shape).unwrap(),
            a.strides(),
            "C-order strides of {shape:?}"
        );
    }
}

#[test]
fn size_one_axes_keep_the_product_like_numpy() {
    // NumPy: np.zeros((1, 16), np.int8).strides == (16, 1)
    assert_eq!(c_strides(&[1, 16]).unwrap(), vec![16, 1]);
    assert_eq!(c_strides(&[16, 1]).unwrap(), vec![1, 1]);
}

#[test]
fn f_strides_multiply_the_lengths_of_the_earlier_axes() {
    assert_eq!(f_strides(&[4, 4]).unwrap(), vec![1, 4]);
    assert_eq!(f_strides(&[2, 3, 4]).unwrap(), vec![1, 2, 6]);
    let a = Array2::<f64>::zeros((3, 5).f());
    assert_eq!(
        f_strides(&[3, 5]).unwrap(),
        a.strides(),
        "F-order strides must match ndarray's `.f()` arrays"
    );
    assert_eq!(strides_for(&[3, 5], Order::F).unwrap(), vec![1, 3]);
    assert_eq!(strides_for(&[3, 5], Order::C).unwrap(), vec![5, 1]);
}

#[test]
fn shapes_too_large_to_address_are_an_error_not_an_overflow() {
    let huge = [usize::MAX / 2, 4, 2];
    assert_eq!(
        c_strides(&huge),
        Err(LayoutError::TooLarge {
            shape: huge.to_vec()
        }),
        "use checked multiplication"
    );
    assert!(matches!(
        f_strides(&huge),
        Err(LayoutError::TooLarge { .. })
    ));
}

#[test]
fn byte_strides_are_element_strides_times_the_item_size() {
    assert_eq!(to_byte_strides(&[4, 1], 1), vec![4, 1]);
    assert_eq!(to_byte_strides(&[4, 1], 2), vec![8, 2]);
    assert_eq!(to_byte_strides(&[-4, 1], 8), vec![-32, 8]);
    let x = Array2::<f64>::zeros((5000, 3));
    assert_eq!(
        numpy_strides(&x),
        vec![24, 8],
        "NumPy reports bytes: 3 f64 per row = 24 bytes"
    );
    assert_eq!(numpy_strides(&x.t()), vec![8, 24]);
    let small = Array2::<i16>::zeros((4, 4));
    assert_eq!(numpy_strides(&small), vec![8, 2]);
}

#[test]
fn contiguity_flags_follow_numpy() {
    assert!(is_c_contiguous(&[4, 4], &[4, 1]));
    assert!(!is_f_contiguous(&[4, 4], &[4, 1]));
    assert!(
        is_f_contiguous(&[4, 4], &[1, 4]),
        "the transpose of a C array is F-contiguous"
    );
    assert!(!is_c_contiguous(&[4, 4], &[1, 4]));
    assert!(
        !is_c_contiguous(&[2, 2], &[8, 2]),
        "every other element: a gap between elements"
    );
    assert!(!is_f_contiguous(&[2, 2], &[8, 2]));
}

#[test]
fn size_one_and_empty_arrays_are_contiguous_both_ways() {
    // NumPy: a (1, 16) array is both C- and F-contiguous; the stride of a
    // length-1 axis is never used.
    assert!(is_c_contiguous(&[1, 16], &[16, 1]));
    assert!(is_f_contiguous(&[1, 16], &[16, 1]));
    assert!(
        is_c_contiguous(&[1, 16], &[12345, 1]),
        "the length-1 axis's stride must be ignored"
    );
    assert!(
        is_c_contiguous(&[0, 3], &[3, 1]) && is_f_contiguous(&[0, 3], &[3, 1]),
        "empty arrays are contiguous"
    );
    assert!(is_c_contiguous(&[5], &[1]) && is_f_contiguous(&[5], &[1]));
    assert!(
        !is_c_contiguous(&[5], &[-1]),
        "a reversed axis is not contiguous"
    );
}

/// `StridedView::contiguous` (given, in src/strided.rs) builds a C-ordered view
/// with your `c_strides`: it needs exercises 1 and 2, so it is tested here.
#[test]
fn contiguous_builds_c_order_strides() {
    let data: Vec<i32> = (0..16).collect();
    let v = StridedView::contiguous(&data, &[2, 8]).unwrap();
    assert_eq!(v.strides(), &[8, 1]);
    assert_eq!(v.get(&[1, 0]), Ok(&8));
    assert!(
        matches!(
            StridedView::contiguous(&data, &[3, 6]),
            Err(LayoutError::OutOfBuffer { .. })
        ),
        "18 elements do not fit in 16"
    );
}
