//! Exercise 6: the fast Cityblock kernel (src/blocked.rs).
//! Run: cargo test -p parallel --test blocked

use std::num::NonZeroUsize;

use ndarray::{Array2, s};
use parallel::DimensionMismatch;
use parallel::blocked::{
    Cityblock, Euclidean, MR, Metric, NR, ROWS_PER_TASK, cityblock_blocked, euclidean_blocked,
    pack_panels, tile,
};
use parallel::pool::in_pool;
use parallel::serial::{cityblock_loops, euclidean_loops};
use parallel::testing::random_points;

#[test]
fn the_metrics_step_and_finish() {
    assert_eq!(Cityblock::step(1.0, 2.0, 5.0), 4.0, "1 + |2 - 5|");
    assert_eq!(Cityblock::finish(7.0), 7.0);
    assert_eq!(Euclidean::step(1.0, 2.0, 5.0), 10.0, "1 + (2 - 5)²");
    assert_eq!(Euclidean::finish(16.0), 4.0);
}

#[test]
fn packing_puts_each_coordinates_values_side_by_side() {
    // 3 points with 2 coordinates, in panels of 2: the last panel is padded.
    let a = ndarray::array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
    assert_eq!(
        pack_panels::<2>(a.view()),
        [1.0, 3.0, 2.0, 4.0, 5.0, 0.0, 6.0, 0.0],
        "panel 0: k = 0 of points 0 and 1, then k = 1; panel 1: point 2 and a zero pad"
    );
}

#[test]
fn a_tile_computes_mr_by_nr_distances() {
    let (x, y) = (random_points(MR, 5, 1), random_points(NR, 5, 2));
    let sums = tile::<Cityblock>(&pack_panels::<MR>(x.view()), &pack_panels::<NR>(y.view()));
    let expected = cityblock_loops(x.view(), y.view()).unwrap();
    for r in 0..MR {
        for c in 0..NR {
            assert_eq!(sums[r][c], expected[[r, c]], "tile entry [{r}][{c}]");
        }
    }
}

#[test]
fn blocked_gives_the_serial_bits_for_ragged_sizes() {
    // Smaller than a tile, not multiples of MR or NR, more than one task of rows,
    // and d large enough for several blocks of columns.
    for (n, m, d) in [
        (1, 1, 1),
        (MR + 1, NR + 3, 5),
        (3, 2 * NR - 1, 50),
        (ROWS_PER_TASK + 7, 70, 3),
        (9, 300, 2000),
    ] {
        let (x, y) = (random_points(n, d, 3), random_points(m, d, 4));
        assert_eq!(
            cityblock_blocked(x.view(), y.view()).unwrap(),
            cityblock_loops(x.view(), y.view()).unwrap(),
            "{n}x{m}x{d}: each sum adds its coordinates in order from k = 0, so every bit \
             must match cityblock_loops"
        );
    }
}

#[test]
fn euclidean_blocked_matches_the_loops() {
    let (x, y) = (random_points(21, 13, 5), random_points(19, 13, 6));
    assert_eq!(
        euclidean_blocked(x.view(), y.view()).unwrap(),
        euclidean_loops(x.view(), y.view()).unwrap()
    );
}

#[test]
fn any_layout_and_any_thread_count() {
    let big = random_points(40, 30, 7);
    // Every other row and a column range: a view with gaps.
    let x = big.slice(s![..;2, 3..20]);
    let y = big.t().slice(s![..17, 10..27]).to_owned();
    let expected = cityblock_loops(x, y.view()).unwrap();
    for t in [1, 3] {
        let threads = NonZeroUsize::new(t).unwrap();
        let r = in_pool(threads, || cityblock_blocked(x, y.view()))
            .unwrap()
            .unwrap();
        assert_eq!(r, expected, "{t} thread(s), a strided x");
    }
}

#[test]
fn empty_inputs_and_mismatched_dimensions() {
    let (x, y) = (Array2::<f64>::zeros((0, 3)), random_points(4, 3, 8));
    assert_eq!(cityblock_blocked(x.view(), y.view()).unwrap().dim(), (0, 4));
    assert_eq!(cityblock_blocked(y.view(), x.view()).unwrap().dim(), (4, 0));
    let (x0, y0) = (Array2::<f64>::zeros((2, 0)), Array2::<f64>::zeros((3, 0)));
    assert_eq!(
        cityblock_blocked(x0.view(), y0.view()).unwrap(),
        Array2::<f64>::zeros((2, 3))
    );
    let (a, b) = (Array2::<f64>::zeros((3, 2)), Array2::<f64>::zeros((5, 6)));
    let expected = DimensionMismatch {
        x: (3, 2),
        y: (5, 6),
    };
    assert_eq!(cityblock_blocked(a.view(), b.view()).unwrap_err(), expected);
    assert_eq!(euclidean_blocked(a.view(), b.view()).unwrap_err(), expected);
}
