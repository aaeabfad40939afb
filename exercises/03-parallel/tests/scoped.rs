//! Exercise 4: scoped threads writing disjoint rows (src/scoped.rs).
//! Run: cargo test -p parallel --test scoped

use std::num::NonZeroUsize;

use ndarray::Array2;
use parallel::DimensionMismatch;
use parallel::scoped::{cityblock_scoped, row_ranges};
use parallel::serial::cityblock_loops;
use parallel::testing::random_points;

fn threads(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("a positive thread count")
}

#[test]
fn ranges_cover_every_row_once_in_order() {
    for n in [0, 1, 5, 16, 17, 100] {
        for t in [1, 2, 3, 4, 7, 200] {
            let ranges = row_ranges(n, threads(t));
            let mut next = 0;
            for range in &ranges {
                assert_eq!(
                    range.start, next,
                    "row_ranges({n}, {t}) = {ranges:?}: contiguous, in order, from 0"
                );
                assert!(
                    !range.is_empty(),
                    "row_ranges({n}, {t}) = {ranges:?}: no empty range"
                );
                next = range.end;
            }
            assert_eq!(
                next, n,
                "row_ranges({n}, {t}) = {ranges:?}: every row, once"
            );
            assert!(
                ranges.len() <= t,
                "row_ranges({n}, {t}): at most {t} workers"
            );
        }
    }
}

#[test]
fn ranges_are_balanced() {
    let ranges = row_ranges(10, threads(4));
    let lengths: Vec<usize> = ranges.iter().map(|r| r.len()).collect();
    assert_eq!(
        lengths,
        [3, 3, 2, 2],
        "10 rows for 4 workers: the first 10 % 4 = 2 get one more (OpenMP's static schedule)"
    );
    assert_eq!(
        row_ranges(3, threads(8)).len(),
        3,
        "one row each, no idle worker"
    );
}

#[test]
fn any_thread_count_gives_the_serial_bits() {
    let (x, y) = (random_points(23, 6, 1), random_points(19, 6, 2));
    let expected = cityblock_loops(x.view(), y.view()).unwrap();
    for t in [1, 2, 3, 8, 23, 64] {
        assert_eq!(
            cityblock_scoped(x.view(), y.view(), threads(t)).unwrap(),
            expected,
            "cityblock_scoped with {t} thread(s): each thread owns its rows, so the bits match \
             the serial loop"
        );
    }
}

#[test]
fn empty_inputs_and_mismatched_dimensions() {
    let (x, y) = (Array2::<f64>::zeros((0, 3)), random_points(4, 3, 5));
    assert_eq!(
        cityblock_scoped(x.view(), y.view(), threads(2))
            .unwrap()
            .dim(),
        (0, 4)
    );
    assert_eq!(
        cityblock_scoped(y.view(), x.view(), threads(2))
            .unwrap()
            .dim(),
        (4, 0)
    );
    let (a, b) = (Array2::<f64>::zeros((3, 2)), Array2::<f64>::zeros((5, 6)));
    assert_eq!(
        cityblock_scoped(a.view(), b.view(), threads(2)).unwrap_err(),
        DimensionMismatch {
            x: (3, 2),
            y: (5, 6)
        }
    );
}
