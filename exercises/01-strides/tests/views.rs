//! Exercise 4: views versus copies (src/views.rs). A view shares the
//! buffer, so its data pointer lies inside the original's; a copy has a
//! pointer of its own.
//! Run: cargo test -p strides --test views

use ndarray::{ArcArray2, Array1, Array2, ArrayView2, array, s};
use strides::views::{
    as_column, as_row, flatten, ravel, ravel_mut, repeat_as_rows, reshape, reverse_rows,
    shared_transpose, transpose, transpose_copy_tiled, transpose_into_tiled,
};
use strides::{LayoutError, ShapeMismatch};

fn x() -> Array2<i64> {
    Array2::from_shape_vec((4, 4), (0..16).collect()).unwrap()
}

/// True when the view's elements all lie in `owner`'s buffer.
fn points_into<A>(view: *const A, owner: &Array2<A>) -> bool {
    let range = owner
        .as_slice()
        .expect("owner is contiguous")
        .as_ptr_range();
    range.contains(&view)
}

#[test]
fn transpose_swaps_strides_without_copying() {
    let x = x();
    let t = transpose(x.view());
    assert_eq!(t.strides(), &[1, 4], "transpose swaps the strides");
    assert_eq!(
        t.as_ptr(),
        x.as_ptr(),
        "data pointer moved: did you copy instead of making a view?"
    );
    assert_eq!(t[[0, 1]], 4);
}

#[test]
fn reverse_rows_is_a_view_with_a_negative_stride() {
    let x = x();
    let r = reverse_rows(x.view());
    assert_eq!(
        r.strides(),
        &[-4, 1],
        "x[::-1] steps backwards through the rows"
    );
    assert_eq!(r.row(0), x.row(3));
    assert!(
        points_into(r.as_ptr(), &x),
        "the reversed rows must be a view of x, not a copy"
    );
    assert_eq!(
        r.as_ptr(),
        &x[[3, 0]] as *const i64,
        "element [0, 0] of x[::-1] is x[3, 0]"
    );
}

#[test]
fn new_axis_adds_a_length_one_axis_without_allocating() {
    let v = Array1::from_iter(0..5i64);
    let column = as_column(v.view());
    let row = as_row(v.view());
    assert_eq!(column.shape(), &[5, 1], "x[:, np.newaxis] is a column");
    assert_eq!(row.shape(), &[1, 5], "x[np.newaxis, :] is a row");
    assert_eq!(
        column.as_ptr(),
        v.as_ptr(),
        "adding an axis must not allocate"
    );
    assert_eq!(row.as_ptr(), v.as_ptr(), "adding an axis must not allocate");
    assert_eq!(column[[3, 0]], 3);
    assert_eq!(row[[0, 3]], 3);
}

#[test]
fn repeat_as_rows_is_a_stride_zero_view() {
    let v = Array1::from_iter(0..5i64);
    let rows = repeat_as_rows(&v, 1000);
    assert_eq!(rows.shape(), &[1000, 5]);
    assert_eq!(
        rows.strides()[0],
        0,
        "every row must read the same elements: stride 0"
    );
    assert_eq!(
        rows.as_ptr(),
        v.as_ptr(),
        "no copy: 1000 rows cost no memory"
    );
    assert_eq!(rows.row(999), v.view());
}

#[test]
fn ravel_of_a_contiguous_array_is_a_view() {
    let x = x();
    let flat = ravel(x.view());
    assert!(
        flat.is_view(),
        "x is one C-ordered block: ravel must borrow it"
    );
    assert_eq!(
        flat.as_ptr(),
        x.as_ptr(),
        "data pointer moved: ravel copied"
    );
    assert_eq!(flat.to_vec(), (0..16).collect::<Vec<_>>());
}

#[test]
fn ravel_of_the_transpose_copies_in_logical_order() {
    let x = x();
    let flat = ravel(x.t());
    assert!(
        flat.is_owned(),
        "x.T read in C order is not the buffer's order: a copy is needed"
    );
    assert_eq!(
        flat.to_vec(),
        vec![0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15]
    );
    let every_other = ravel(x.slice(s![.., ..;2]));
    assert!(every_other.is_owned(), "a strided slice is not contiguous");
    assert_eq!(every_other.to_vec(), vec![0, 2, 4, 6, 8, 10, 12, 14]);
}

#[test]
fn flatten_always_copies() {
    let x = x();
    let flat = flatten(x.view());
    assert_ne!(
        flat.as_ptr(),
        x.as_ptr(),
        "flatten must return a fresh copy, even of a contiguous array"
    );
    assert_eq!(flat.to_vec(), (0..16).collect::<Vec<_>>());
    assert_eq!(
        flatten(x.t()).to_vec(),
        ravel(x.t()).to_vec(),
        "flatten and ravel agree on values"
    );
}

#[test]
fn writing_through_a_ravel_view_changes_the_original_but_a_flatten_copy_does_not() {
    // The course's experiment: x = np.arange(5); y = x.ravel(); y[0] = 5
    let mut x = Array1::from_iter(0..5i64);
    {
        let mut y = ravel_mut(x.view_mut()).expect("a 1-D contiguous array has a flat view");
        y[0] = 5;
    }
    assert_eq!(
        x.to_vec(),
        vec![5, 1, 2, 3, 4],
        "y is a view: writing y[0] writes x[0]"
    );
    let mut copy = flatten(x.view());
    copy[0] = 100;
    assert_eq!(
        x[0], 5,
        "flatten returns a copy: writing it must leave x alone"
    );
}

#[test]
fn ravel_mut_of_a_non_contiguous_array_is_an_error() {
    let mut x = x();
    let err = ravel_mut(x.view_mut().reversed_axes()).expect_err("the transpose has no flat view");
    assert_eq!(
        err,
        LayoutError::NotContiguous {
            shape: vec![4, 4],
            strides: vec![1, 4]
        }
    );
    assert!(
        err.to_string().contains("(4, 4)"),
        "the message names the shape: {err}"
    );
}

#[test]
fn reshape_is_a_view_when_the_layout_allows_it() {
    let x = x();
    let y = reshape(x.view(), &[2, 8]).unwrap();
    assert!(
        y.is_view(),
        "x is C-contiguous: (2, 8) strides describe the same buffer"
    );
    assert_eq!(y.as_ptr(), x.as_ptr());
    assert_eq!(y.strides(), &[8, 1]);
    let z = reshape(x.view(), &[2, 2, 2, 2]).unwrap();
    assert_eq!(z.strides(), &[8, 4, 2, 1]);
}

#[test]
fn reshape_of_the_transpose_must_copy() {
    let x = x();
    let y = reshape(x.t(), &[2, 8]).unwrap();
    assert!(
        y.is_owned(),
        "no strides can walk x.T in C order in (2, 8) blocks: copy"
    );
    assert_eq!(
        y.iter().take(8).copied().collect::<Vec<_>>(),
        vec![0, 4, 8, 12, 1, 5, 9, 13]
    );
}

#[test]
fn reshape_to_a_different_element_count_is_an_error_naming_both_shapes() {
    let x = x();
    let err = reshape(x.view(), &[3, 5]).expect_err("16 elements cannot become 15");
    assert_eq!(err.from, vec![4, 4]);
    assert_eq!(err.to, vec![3, 5]);
    let message = err.to_string();
    assert!(
        message.contains("(4, 4)") && message.contains("(3, 5)"),
        "name both shapes: {message}"
    );
    assert!(
        reshape(x.view(), &[usize::MAX, 2]).is_err(),
        "an overflowing element count is an error too"
    );
    let empty = Array2::<i64>::zeros((0, 4));
    assert_eq!(
        reshape(empty.view(), &[4, 0, 3]).unwrap().shape(),
        &[4, 0, 3],
        "empty arrays reshape to empty shapes"
    );
}

#[test]
fn shared_transpose_shares_the_buffer_and_outlives_the_original() {
    let a: ArcArray2<f64> = ArcArray2::from_shape_fn((3, 2), |(i, j)| (10 * i + j) as f64);
    let pointer = a.as_ptr();
    let b = shared_transpose(&a);
    assert_eq!(b.as_ptr(), pointer, "b = a.T shares a's buffer");
    assert_eq!(b.shape(), &[2, 3]);
    drop(a);
    assert_eq!(
        b[[1, 2]],
        21.0,
        "the buffer lives as long as any array uses it"
    );
}

#[test]
fn tiled_transpose_copy_equals_the_transpose_in_c_order() {
    for (rows, cols) in [(1, 1), (3, 70), (65, 33), (100, 100), (0, 5)] {
        let a = Array2::from_shape_fn((rows, cols), |(i, j)| (i * 1000 + j) as f64);
        let t = transpose_copy_tiled(a.view());
        assert!(t.is_standard_layout(), "the result must be C-ordered");
        assert_eq!(
            t,
            a.t(),
            "transpose of a {rows}x{cols} array, with ragged edge tiles"
        );
    }
    let view: ArrayView2<f64> = ArrayView2::from_shape((2, 2), &[1.0, 2.0, 3.0, 4.0]).unwrap();
    assert_eq!(
        transpose_copy_tiled(view.t()),
        array![[1.0, 2.0], [3.0, 4.0]],
        "non-contiguous input works too"
    );
}

#[test]
fn transpose_into_reuses_the_output_and_checks_its_shape() {
    let a = Array2::from_shape_fn((40, 3), |(i, j)| (i * 10 + j) as i64);
    let mut out = Array2::<i64>::zeros((3, 40));
    let pointer = out.as_ptr();
    transpose_into_tiled(a.view(), out.view_mut()).unwrap();
    assert_eq!(out, a.t(), "out must hold the transpose");
    assert_eq!(
        out.as_ptr(),
        pointer,
        "the output buffer is reused, not replaced"
    );
    let mut wrong = Array2::<i64>::zeros((40, 3));
    let err = transpose_into_tiled(a.view(), wrong.view_mut())
        .expect_err("a (40, 3) output cannot hold a (3, 40) transpose");
    assert_eq!(
        err,
        ShapeMismatch {
            expected: vec![3, 40],
            found: vec![40, 3]
        }
    );
    let mut f_ordered = Array2::<i64>::zeros((40, 3));
    let err = transpose_into_tiled(a.view(), f_ordered.view_mut().reversed_axes())
        .expect_err("the output must be C-ordered");
    assert_eq!(err.expected, vec![3, 40]);
}
