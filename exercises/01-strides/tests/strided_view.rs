//! Exercise 1: a strided view over a flat buffer (src/strided.rs).
//! Run: cargo test -p strides --test strided_view
//!
//! These tests need only exercise 1. `StridedView::contiguous` (given) calls
//! `layout::c_strides` from exercise 2, so its test lives in tests/layout.rs.

use strides::{IndexError, LayoutError, StridedView};

/// The 4×4 array of the values 0..16 in C order, as a flat buffer.
fn buffer_0_to_15() -> Vec<i32> {
    (0..16).collect()
}

#[test]
fn new_accepts_a_c_ordered_view_and_keeps_its_metadata() {
    let data = buffer_0_to_15();
    let v = StridedView::new(&data, &[4, 4], &[4, 1], 0)
        .expect("a C-ordered 4×4 view of 16 elements is valid");
    assert_eq!(v.shape(), &[4, 4]);
    assert_eq!(v.strides(), &[4, 1]);
    assert_eq!(v.offset(), 0);
    assert_eq!(v.len(), 16);
}

#[test]
fn get_reads_offset_plus_strides_times_index() {
    let data = buffer_0_to_15();
    let v = StridedView::new(&data, &[4, 4], &[4, 1], 0).unwrap();
    assert_eq!(v.get(&[0, 0]), Ok(&0));
    assert_eq!(
        v.get(&[1, 2]),
        Ok(&6),
        "element [1, 2] lives at 0 + 4*1 + 1*2 = 6"
    );
    assert_eq!(v.get(&[3, 3]), Ok(&15));
    // A view with an offset and a step: every other element of rows 1..=2.
    let w = StridedView::new(&data, &[2, 2], &[4, 2], 5).unwrap();
    assert_eq!(
        w.get(&[1, 1]),
        Ok(&11),
        "address = offset 5 + 4*1 + 2*1 = 11"
    );
    assert_eq!(w.address(&[1, 0]), Ok(9));
}

#[test]
fn get_out_of_bounds_is_an_error_naming_the_axis() {
    let data = buffer_0_to_15();
    let v = StridedView::new(&data, &[4, 4], &[4, 1], 0).unwrap();
    // [0, 4] would land on address 4, a real element of the buffer, but it is
    // not an element of this view: the check is per axis, not on the address.
    let err = v
        .get(&[0, 4])
        .expect_err("index 4 on an axis of length 4 must be refused");
    assert_eq!(
        err,
        IndexError::OutOfBounds {
            index: vec![0, 4],
            shape: vec![4, 4],
            axis: 1
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("(4, 4)") && message.contains("axis 1"),
        "the message should name the shape and the axis: {message}"
    );
}

#[test]
fn get_with_the_wrong_number_of_indices_is_an_error() {
    let data = buffer_0_to_15();
    let v = StridedView::new(&data, &[4, 4], &[4, 1], 0).unwrap();
    assert_eq!(
        v.get(&[1]),
        Err(IndexError::WrongRank {
            index: vec![1],
            shape: vec![4, 4]
        })
    );
    assert_eq!(
        v.get(&[1, 1, 1]),
        Err(IndexError::WrongRank {
            index: vec![1, 1, 1],
            shape: vec![4, 4]
        })
    );
}

#[test]
fn new_refuses_views_that_reach_outside_the_buffer() {
    let data = buffer_0_to_15();
    let too_far = StridedView::new(&data, &[4, 5], &[4, 1], 0);
    assert!(
        matches!(too_far, Err(LayoutError::OutOfBuffer { .. })),
        "element [3, 4] is at address 16, past the end: got {too_far:?}"
    );
    let offset_too_far = StridedView::new(&data, &[4, 4], &[4, 1], 1);
    assert!(
        matches!(offset_too_far, Err(LayoutError::OutOfBuffer { .. })),
        "with offset 1, [3, 3] is at 16: got {offset_too_far:?}"
    );
    let before_start = StridedView::new(&data, &[4, 4], &[-4, 1], 0);
    assert!(
        matches!(before_start, Err(LayoutError::OutOfBuffer { .. })),
        "a negative stride from offset 0 reaches address -12: got {before_start:?}"
    );
    let rank = StridedView::new(&data, &[4, 4], &[4], 0);
    assert!(
        matches!(rank, Err(LayoutError::RankMismatch { .. })),
        "two axes need two strides: got {rank:?}"
    );
}

#[test]
fn new_accepts_zero_and_negative_strides_that_stay_inside() {
    let data = buffer_0_to_15();
    // Rows reversed: start at the last row, step back 4 elements per row.
    let reversed = StridedView::new(&data, &[4, 4], &[-4, 1], 12)
        .expect("offset 12 with stride -4 stays inside");
    assert_eq!(reversed.get(&[0, 0]), Ok(&12));
    // Stride 0: every row reads the same 4 elements (a broadcast view).
    let repeated = StridedView::new(&data[..4], &[1000, 4], &[0, 1], 0)
        .expect("stride 0 reuses the same elements");
    assert_eq!(repeated.get(&[999, 3]), Ok(&3));
    assert_eq!(
        repeated.len(),
        4000,
        "a broadcast view has more elements than its buffer"
    );
}

#[test]
fn zero_length_axes_make_an_empty_view_that_refuses_every_index() {
    let data: Vec<i32> = Vec::new();
    let empty = StridedView::new(&data, &[0, 3], &[3, 1], 0)
        .expect("an empty view of an empty buffer is valid");
    assert!(empty.is_empty());
    assert_eq!(empty.to_vec(), Vec::<i32>::new());
    assert!(matches!(
        empty.get(&[0, 0]),
        Err(IndexError::OutOfBounds { axis: 0, .. })
    ));
}

#[test]
fn transpose_swaps_shape_and_strides_without_touching_the_buffer() {
    let data = buffer_0_to_15();
    let v = StridedView::new(&data, &[2, 8], &[8, 1], 0).unwrap();
    let t = v.transpose();
    assert_eq!(t.shape(), &[8, 2]);
    assert_eq!(t.strides(), &[1, 8], "transpose reverses the strides too");
    assert_eq!(t.offset(), v.offset());
    assert!(
        std::ptr::eq(t.buffer(), v.buffer()),
        "the transpose must read the same buffer: a view, not a copy"
    );
    for i in 0..2 {
        for j in 0..8 {
            assert_eq!(
                t.get(&[j, i]),
                v.get(&[i, j]),
                "t[{j}, {i}] must be v[{i}, {j}]"
            );
        }
    }
}

#[test]
fn flip_negates_one_stride_and_moves_the_offset_to_the_last_element() {
    let data = buffer_0_to_15();
    let v = StridedView::new(&data, &[4, 4], &[4, 1], 0).unwrap();
    let rows_reversed = v.flip(0).unwrap();
    assert_eq!(rows_reversed.strides(), &[-4, 1]);
    assert_eq!(
        rows_reversed.offset(),
        12,
        "the first row of x[::-1] starts where the last row of x starts"
    );
    assert_eq!(
        rows_reversed.to_vec(),
        vec![12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3]
    );
    let both = rows_reversed.flip(1).unwrap();
    assert_eq!(both.offset(), 15);
    assert_eq!(
        both.to_vec(),
        (0..16).rev().collect::<Vec<_>>(),
        "flipping both axes reverses everything"
    );
    assert!(std::ptr::eq(both.buffer(), v.buffer()), "flip is a view");
    assert_eq!(v.flip(2).unwrap_err().axis, 2, "a 2-D view has no axis 2");
}

#[test]
fn to_vec_copies_in_logical_c_order() {
    let data = buffer_0_to_15();
    let v = StridedView::new(&data, &[4, 4], &[4, 1], 0).unwrap();
    assert_eq!(
        v.to_vec(),
        data,
        "a C-ordered view reads the buffer in order"
    );
    assert_eq!(
        v.transpose().to_vec(),
        vec![0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15],
        "the transpose read in C order walks down the columns of the buffer"
    );
    let scalar = StridedView::new(&data, &[], &[], 7).unwrap();
    assert_eq!(
        scalar.to_vec(),
        vec![7],
        "a 0-D view holds exactly one element"
    );
    let cube = StridedView::new(&data[..8], &[2, 2, 2], &[1, 2, 4], 0).unwrap(); // F order
    assert_eq!(cube.to_vec(), vec![0, 4, 2, 6, 1, 5, 3, 7]);
}
