//! Exercise 5: the register-blocked kernel (`tile` in src/kernel.rs), the direct kernel
//! (src/direct.rs), and the variants of the trick that run on the kernel (`GramTrick`,
//! `sq_euclidean_trick_fused_kernel`, its `_into` form, and the checked trick built on it, in
//! src/trick.rs).
//! Run: cargo test -p vectorization --test direct

use ndarray::{Array2, ArrayView2};
use vectorization::direct::{euclidean_direct, sq_euclidean_direct, sq_euclidean_direct_into};
use vectorization::error::{IntoError, OutputMismatch};
use vectorization::kernel::{MR, NR};
use vectorization::testing::{assert_allclose, random_points};
use vectorization::trick::{
    RECOMPUTE_FACTOR, row_sq_norms, sq_euclidean_trick_checked, sq_euclidean_trick_fused_kernel,
    sq_euclidean_trick_fused_kernel_into, trick_error_bound,
};

fn reference(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        x.row(i)
            .iter()
            .zip(y.row(j))
            .map(|(a, b)| (a - b) * (a - b))
            .sum()
    })
}

type Variant =
    fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, vectorization::DimensionMismatch>;

/// The variants of the trick that this exercise builds: the same tests as exercise 3's
/// (tests/trick.rs) run on them.
const VARIANTS: [(&str, Variant); 2] = [
    (
        "sq_euclidean_trick_fused_kernel",
        sq_euclidean_trick_fused_kernel,
    ),
    ("sq_euclidean_trick_checked", sq_euclidean_trick_checked),
];

/// Points close to each other but far from the origin: the trick's worst case.
fn near_duplicates() -> (Array2<f64>, Array2<f64>) {
    let x = random_points(6, 3, 7).mapv(|v| 1e4 + v);
    let y = &x + 1e-5;
    (x, y)
}

#[test]
fn matches_the_definition_for_ragged_sizes() {
    // Sizes that are not multiples of the tile, smaller than a tile, and larger
    // than a task's block of rows.
    for (n, m, d) in [
        (1, 1, 1),
        (MR + 1, NR + 3, 5),
        (3, 2 * NR - 1, 50),
        (130, 70, 3),
        (67, 300, 17),
    ] {
        let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
        let r = sq_euclidean_direct(x.view(), y.view()).unwrap();
        assert_allclose(
            r.view(),
            reference(x.view(), y.view()).view(),
            1e-13,
            0.0,
            &format!("{n}x{m}x{d}"),
        );
    }
}

#[test]
fn euclidean_is_the_square_root() {
    let (x, y) = (random_points(10, 4, 3), random_points(9, 4, 4));
    let r = euclidean_direct(x.view(), y.view()).unwrap();
    assert_allclose(
        r.view(),
        reference(x.view(), y.view()).mapv(f64::sqrt).view(),
        1e-14,
        0.0,
        "euclidean_direct",
    );
}

#[test]
fn close_points_keep_full_accuracy() {
    // The trick's worst case is harmless here: the differences are taken first.
    let x = random_points(6, 3, 7).mapv(|v| 1e4 + v);
    let y = &x + 1e-5;
    let r = sq_euclidean_direct(x.view(), y.view()).unwrap();
    assert_allclose(
        r.view(),
        reference(x.view(), y.view()).view(),
        1e-12,
        0.0,
        "near-duplicates",
    );
}

#[test]
fn a_set_against_itself_has_an_exactly_zero_diagonal() {
    let x = random_points(33, 9, 5);
    let r = sq_euclidean_direct(x.view(), x.view()).unwrap();
    assert!(r.diag().iter().all(|&v| v == 0.0), "x_i - x_i is exactly 0");
    assert_eq!(r, r.t(), "and the matrix is symmetric");
}

#[test]
fn one_thread_and_many_threads_give_the_same_bits() {
    let (x, y) = (random_points(200, 13, 8), random_points(150, 13, 9));
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let serial = one.install(|| sq_euclidean_direct(x.view(), y.view()).unwrap());
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let parallel = four.install(|| sq_euclidean_direct(x.view(), y.view()).unwrap());
    assert_eq!(
        serial, parallel,
        "each entry must be computed by the same operations, whichever thread does it"
    );
}

#[test]
fn views_of_any_layout_work() {
    let x = random_points(7, 20, 10);
    let xt = x.t().to_owned();
    let y = random_points(40, 20, 11);
    let every_third = y.slice(ndarray::s![..;3, ..]);
    let r = sq_euclidean_direct(xt.t(), every_third).unwrap();
    assert_allclose(
        r.view(),
        reference(x.view(), every_third).view(),
        1e-13,
        0.0,
        "transposed x, strided y",
    );
}

#[test]
fn mismatched_dimensions_and_empty_inputs() {
    let (x, y) = (random_points(3, 2, 0), random_points(4, 3, 0));
    assert_eq!(
        sq_euclidean_direct(x.view(), y.view()).unwrap_err().x,
        (3, 2)
    );
    assert!(euclidean_direct(x.view(), y.view()).is_err());
    let none = Array2::<f64>::zeros((0, 3));
    assert_eq!(
        sq_euclidean_direct(none.view(), y.view()).unwrap().shape(),
        &[0, 4]
    );
    assert_eq!(
        sq_euclidean_direct(y.view(), none.view()).unwrap().shape(),
        &[4, 0]
    );
    let flat = Array2::<f64>::zeros((5, 0));
    assert_eq!(
        sq_euclidean_direct(flat.view(), flat.view()).unwrap(),
        Array2::<f64>::zeros((5, 5)),
        "d = 0"
    );
}

#[test]
fn the_trick_inside_the_kernel_matches_the_definition_within_its_bound() {
    // GramTrick (src/trick.rs) runs on your tile: dot products, tail applied at the store.
    for (n, m, d) in [(37, 29, 11), (MR + 1, NR + 3, 5), (70, 3, 50)] {
        let (x, y) = (
            random_points(n, d, 1).mapv(|v| 10.0 * v),
            random_points(m, d, 2).mapv(|v| 10.0 * v),
        );
        let exact = reference(x.view(), y.view());
        let r = sq_euclidean_trick_fused_kernel(x.view(), y.view()).unwrap();
        let (x2, y2) = (row_sq_norms(x.view()), row_sq_norms(y.view()));
        for ((i, j), &v) in r.indexed_iter() {
            let error = (v - exact[[i, j]]).abs();
            assert!(
                error <= trick_error_bound(x2[i], y2[j], d),
                "[{i}, {j}] of {n}x{m}x{d}: error {error:e} above the bound"
            );
        }
    }
    let x = random_points(20, 4, 3);
    let r = sq_euclidean_trick_fused_kernel(x.view(), x.view()).unwrap();
    assert!(
        r.iter().all(|&v| v >= 0.0),
        "negative round-off on the diagonal must be clamped to 0"
    );
    assert_eq!(
        sq_euclidean_trick_fused_kernel(x.view(), random_points(2, 5, 0).view())
            .unwrap_err()
            .y,
        (2, 5)
    );
    assert_eq!(
        sq_euclidean_trick_fused_kernel(Array2::<f64>::zeros((0, 4)).view(), x.view())
            .unwrap()
            .shape(),
        &[0, 20]
    );
}

#[test]
fn every_trick_variant_matches_the_definition_on_random_points() {
    let (x, y) = (random_points(37, 11, 1), random_points(29, 11, 2));
    let expected = reference(x.view(), y.view());
    for (name, variant) in VARIANTS {
        let r = variant(x.view(), y.view()).unwrap();
        assert_allclose(r.view(), expected.view(), 1e-10, 1e-12, name);
    }
}

#[test]
fn the_trick_never_returns_negative_distances() {
    // x against itself: the diagonal is 0 up to round-off, which can be negative.
    let x = random_points(50, 7, 3).mapv(|v| 100.0 * v);
    for (name, variant) in VARIANTS {
        let r = variant(x.view(), x.view()).unwrap();
        assert!(
            r.iter().all(|&v| v >= 0.0),
            "{name}: clamp negative round-off to 0 (the notebook uses abs)"
        );
    }
}

#[test]
fn the_trick_error_stays_within_the_bound() {
    let (x, y) = near_duplicates();
    let exact = reference(x.view(), y.view());
    let (x2, y2) = (row_sq_norms(x.view()), row_sq_norms(y.view()));
    for (name, variant) in VARIANTS {
        let r = variant(x.view(), y.view()).unwrap();
        for ((i, j), &v) in r.indexed_iter() {
            let bound = trick_error_bound(x2[i], y2[j], 3);
            assert!(
                (v - exact[[i, j]]).abs() <= bound,
                "{name}[{i}, {j}]: error {:e} above the bound {bound:e}",
                (v - exact[[i, j]]).abs()
            );
        }
    }
}

#[test]
fn the_checked_trick_recomputes_what_cancellation_destroyed() {
    let (x, y) = near_duplicates();
    let exact = reference(x.view(), y.view());
    let r = sq_euclidean_trick_checked(x.view(), y.view()).unwrap();
    let guaranteed = 1.0 / RECOMPUTE_FACTOR;
    assert_allclose(
        r.view(),
        exact.view(),
        guaranteed,
        0.0,
        "checked trick: every entry within the promised relative error",
    );
    let (i, j) = (2, 2);
    assert!(
        (r[[i, j]] - exact[[i, j]]).abs() <= 1e-12 * exact[[i, j]],
        "the near-duplicate pair must be recomputed exactly"
    );
}

#[test]
fn every_variant_refuses_mismatched_dimensions() {
    let (x, y) = (random_points(3, 2, 0), random_points(4, 3, 0));
    for (name, variant) in VARIANTS {
        let err = variant(x.view(), y.view()).expect_err(name);
        assert_eq!((err.x, err.y), ((3, 2), (4, 3)), "{name}");
    }
}

#[test]
fn every_variant_handles_empty_inputs() {
    let none = Array2::<f64>::zeros((0, 5));
    let some = random_points(3, 5, 0);
    for (name, variant) in VARIANTS {
        assert_eq!(
            variant(none.view(), some.view()).unwrap().shape(),
            &[0, 3],
            "{name}"
        );
        assert_eq!(
            variant(some.view(), none.view()).unwrap().shape(),
            &[3, 0],
            "{name}"
        );
    }
}

#[test]
fn into_overwrites_every_entry_of_a_reused_output() {
    // NumPy's `out=`: the caller's array is filled in place, call after call.
    let mut out = Array2::from_elem((MR * 3 + 1, NR * 2 + 3), f64::NAN);
    let address = out.as_ptr();
    for seed in [1, 2] {
        let (x, y) = (
            random_points(out.nrows(), 7, seed),
            random_points(out.ncols(), 7, seed + 10),
        );
        sq_euclidean_direct_into(x.view(), y.view(), out.view_mut()).unwrap();
        assert_eq!(
            out,
            sq_euclidean_direct(x.view(), y.view()).unwrap(),
            "direct, call {seed}: every entry, the ragged edges too"
        );
        sq_euclidean_trick_fused_kernel_into(x.view(), y.view(), out.view_mut()).unwrap();
        assert_eq!(
            out,
            sq_euclidean_trick_fused_kernel(x.view(), y.view()).unwrap(),
            "trick in the kernel, call {seed}"
        );
        assert_eq!(out.as_ptr(), address, "the same memory, not a new array");
    }
}

#[test]
fn into_a_transposed_output_view_works() {
    let (x, y) = (random_points(9, 4, 1), random_points(6, 4, 2));
    let mut out_t = Array2::from_elem((6, 9), f64::NAN);
    sq_euclidean_direct_into(x.view(), y.view(), out_t.view_mut().reversed_axes()).unwrap();
    assert_eq!(out_t.t(), sq_euclidean_direct(x.view(), y.view()).unwrap());
}

#[test]
fn into_checks_all_three_shapes_and_names_them() {
    let (x, y) = (random_points(5, 3, 1), random_points(4, 3, 2));
    let mut wrong = Array2::<f64>::zeros((4, 5));
    let error = sq_euclidean_direct_into(x.view(), y.view(), wrong.view_mut()).unwrap_err();
    assert_eq!(
        error,
        IntoError::Output(OutputMismatch {
            x: (5, 3),
            y: (4, 3),
            out: (4, 5)
        }),
        "out must be (n, m) = (5, 4)"
    );
    let message = error.to_string();
    for shape in ["(4, 5)", "(5, 3)", "(4, 3)", "(5, 4)"] {
        assert!(message.contains(shape), "`{message}` should name {shape}");
    }
    let mut right = Array2::<f64>::zeros((5, 4));
    let flat = random_points(4, 2, 3);
    assert!(matches!(
        sq_euclidean_trick_fused_kernel_into(x.view(), flat.view(), right.view_mut()),
        Err(IntoError::Dimension(_))
    ));
    let mut empty = Array2::<f64>::zeros((0, 4));
    let none = Array2::<f64>::zeros((0, 3));
    assert_eq!(
        sq_euclidean_direct_into(none.view(), y.view(), empty.view_mut()),
        Ok(())
    );
}
