//! The pure Rust kernel behind the solution's extension, without Python: every path this
//! CPU supports against a plain loop, bit for bit.

use ffi_lab_solution::kernel::{self, Cityblock, Euclidean, Metric, Simd, pack_panels};
use ndarray::{Array2, ArrayView2, ShapeBuilder, s};
use support::testing::random_points as points;

/// The plain loop: coordinates added in order, as the tile does.
fn reference<M: Metric>(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        let sum = x
            .row(i)
            .iter()
            .zip(y.row(j))
            .fold(0.0, |sum, (&p, &q)| M::step(sum, p, q));
        M::finish(sum)
    })
}

/// Both metrics on every available path equal the plain loop exactly.
fn check_exact(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>, what: &str) {
    let (cb, eu) = (reference::<Cityblock>(x, y), reference::<Euclidean>(x, y));
    for simd in Simd::available() {
        assert_eq!(
            kernel::pairwise::<Cityblock>(simd, x, y),
            cb,
            "{what}: cityblock on {simd:?}"
        );
        assert_eq!(
            kernel::pairwise::<Euclidean>(simd, x, y),
            eu,
            "{what}: euclidean on {simd:?}"
        );
    }
}

#[test]
fn every_path_matches_the_plain_loop_bit_for_bit() {
    // Ragged tiles (n, m not multiples of 4 or 8), several rayon tasks (n > 64), several
    // column blocks (d = 700: a block of y is 256 KiB / (8 × 700) ≈ 46 points).
    for (n, m, d) in [
        (1, 1, 1),
        (5, 3, 2),
        (37, 23, 5),
        (150, 91, 50),
        (70, 130, 700),
    ] {
        let (x, y) = (points(n, d, 1), points(m, d, 2));
        check_exact(x.view(), y.view(), &format!("({n}, {d}) x ({m}, {d})"));
    }
}

#[test]
fn any_layout_gives_the_same_results() {
    let (x, y) = (points(45, 9, 3), points(33, 9, 4));
    let want = kernel::cityblock(x.view(), y.view());
    let mut xf = Array2::zeros((45, 9).f());
    xf.assign(&x);
    assert_eq!(
        kernel::cityblock(xf.view(), y.view()),
        want,
        "Fortran-ordered x"
    );
    let wide = points(90, 18, 5);
    let strided = wide.slice(s![..;2, 1..;2]);
    check_exact(strided, y.view(), "x with steps in both axes");
    let yt = points(9, 33, 6);
    check_exact(x.view(), yt.t(), "y transposed");
    check_exact(x.slice(s![..;-1, ..]), y.view(), "x with reversed rows");
}

#[test]
fn empty_inputs_give_empty_or_zero_matrices() {
    for simd in Simd::available() {
        let r = kernel::pairwise::<Cityblock>(simd, points(0, 3, 1).view(), points(4, 3, 2).view());
        assert_eq!(r.dim(), (0, 4));
        let r = kernel::pairwise::<Euclidean>(simd, points(3, 0, 1).view(), points(2, 0, 2).view());
        assert_eq!(
            r,
            Array2::<f64>::zeros((3, 2)),
            "no coordinates: every distance is 0"
        );
    }
}

#[test]
#[should_panic(expected = "same number of columns")]
fn different_d_panics_naming_the_shapes() {
    kernel::cityblock(points(2, 3, 1).view(), points(2, 4, 2).view());
}

#[test]
fn one_thread_and_several_give_identical_results() {
    let (x, y) = (points(301, 17, 7), points(203, 17, 8));
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let a = one.install(|| kernel::euclidean(x.view(), y.view()));
    let b = four.install(|| kernel::euclidean(x.view(), y.view()));
    assert_eq!(a, b);
}

#[test]
fn packing_puts_each_coordinate_of_a_panel_side_by_side() {
    let a = Array2::from_shape_fn((3, 2), |(i, k)| (10 * i + k) as f64);
    // One panel of 4 rows (the 4th padded with 0): coordinate 0 of rows 0..4, then coordinate 1.
    assert_eq!(
        pack_panels::<4>(a.view()),
        [0., 10., 20., 0., 1., 11., 21., 0.]
    );
}

#[test]
fn detection_names_a_path() {
    let simd = Simd::detect();
    assert!(Simd::available().contains(&simd));
    assert!(!simd.name().is_empty());
}
