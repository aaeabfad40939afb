//! Exercise 3: rayon's thread pool, `Zip` and `join` (src/pool.rs).
//! Run: cargo test -p parallel --test pool

use std::num::NonZeroUsize;

use ndarray::{Array2, ArrayView2};
use parallel::DimensionMismatch;
use parallel::placement::cityblock_par_rows;
use parallel::pool::{JOIN_GRAIN_ROWS, cityblock_azip, cityblock_join, in_pool};
use parallel::serial::cityblock_loops;
use parallel::testing::random_points;

type Variant =
    fn(ArrayView2<'_, f64>, ArrayView2<'_, f64>) -> Result<Array2<f64>, DimensionMismatch>;

const VARIANTS: [(&str, Variant); 3] = [
    ("cityblock_azip", cityblock_azip),
    ("cityblock_join", cityblock_join),
    ("cityblock_par_rows", cityblock_par_rows),
];

fn threads(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("a positive thread count")
}

#[test]
fn work_in_a_pool_sees_that_many_threads() {
    for n in [1, 3, 5] {
        let seen = in_pool(threads(n), rayon::current_num_threads).unwrap();
        assert_eq!(
            seen, n,
            "inside in_pool({n}, ..), rayon::current_num_threads() must be {n}: build a \
             ThreadPool with num_threads({n}) and run the work with pool.install"
        );
    }
}

#[test]
fn a_pool_returns_what_its_work_returns() {
    let data: Vec<u64> = (1..=100).collect();
    let sum = in_pool(threads(2), || {
        use rayon::prelude::*;
        data.par_iter().sum::<u64>()
    })
    .unwrap();
    assert_eq!(sum, 5050);
}

#[test]
fn one_thread_and_many_give_identical_bits() {
    // Ragged sizes: not multiples of the join grain, more rows than threads.
    let (x, y) = (
        random_points(3 * JOIN_GRAIN_ROWS + 5, 9, 1),
        random_points(29, 9, 2),
    );
    let expected = cityblock_loops(x.view(), y.view()).unwrap();
    for (name, variant) in VARIANTS {
        for n in [1, 2, 4, 7] {
            let r = in_pool(threads(n), || variant(x.view(), y.view()))
                .unwrap()
                .unwrap();
            assert_eq!(
                r, expected,
                "{name} with {n} thread(s): the split among threads must not change any result"
            );
        }
    }
}

#[test]
fn join_splits_down_to_single_rows() {
    for n in [
        0,
        1,
        2,
        JOIN_GRAIN_ROWS,
        JOIN_GRAIN_ROWS + 1,
        5 * JOIN_GRAIN_ROWS - 3,
    ] {
        let (x, y) = (random_points(n, 4, 3), random_points(6, 4, 4));
        assert_eq!(
            cityblock_join(x.view(), y.view()).unwrap(),
            cityblock_loops(x.view(), y.view()).unwrap(),
            "cityblock_join with {n} rows"
        );
    }
}

#[test]
fn empty_inputs_and_mismatched_dimensions() {
    let (x, y) = (Array2::<f64>::zeros((0, 3)), random_points(4, 3, 5));
    let (a, b) = (Array2::<f64>::zeros((3, 2)), Array2::<f64>::zeros((5, 6)));
    for (name, variant) in VARIANTS {
        assert_eq!(variant(x.view(), y.view()).unwrap().dim(), (0, 4), "{name}");
        assert_eq!(variant(y.view(), x.view()).unwrap().dim(), (4, 0), "{name}");
        assert_eq!(
            variant(a.view(), b.view()).unwrap_err(),
            DimensionMismatch {
                x: (3, 2),
                y: (5, 6)
            },
            "{name}"
        );
    }
}
