//! Exercise 2: where the parallel loop goes (src/placement.rs).
//! Run: cargo test -p parallel --test placement

use ndarray::{Array2, ArrayView2};
use parallel::DimensionMismatch;
use parallel::placement::{
    cityblock_alloc_per_pair, cityblock_par_columns, cityblock_par_reduction, cityblock_par_rows,
    euclidean_par_rows,
};
use parallel::serial::{cityblock_loops, euclidean_loops};
use parallel::testing::{assert_allclose, random_points};

type Variant =
    fn(ArrayView2<'_, f64>, ArrayView2<'_, f64>) -> Result<Array2<f64>, DimensionMismatch>;

/// The variants that add each pair's terms in order, like the serial loop.
const IN_ORDER: [(&str, Variant); 3] = [
    ("cityblock_par_rows", cityblock_par_rows),
    ("cityblock_par_columns", cityblock_par_columns),
    ("cityblock_alloc_per_pair", cityblock_alloc_per_pair),
];

#[test]
fn parallel_rows_and_columns_give_the_serial_bits() {
    let (x, y) = (random_points(37, 11, 1), random_points(23, 11, 2));
    let expected = cityblock_loops(x.view(), y.view()).unwrap();
    for (name, variant) in IN_ORDER {
        assert_eq!(
            variant(x.view(), y.view()).unwrap(),
            expected,
            "{name}: each entry is computed by one thread, terms added in order, so every bit \
             must match cityblock_loops"
        );
    }
}

#[test]
fn a_parallel_reduction_is_close_but_adds_in_another_order() {
    let (x, y) = (random_points(9, 1000, 3), random_points(7, 1000, 4));
    let expected = cityblock_loops(x.view(), y.view()).unwrap();
    let r = cityblock_par_reduction(x.view(), y.view()).unwrap();
    assert_allclose(
        r.view(),
        expected.view(),
        1e-13,
        0.0,
        "cityblock_par_reduction: a sum over k, split among threads",
    );
}

#[test]
fn euclidean_in_parallel_matches_the_serial_loops() {
    let (x, y) = (random_points(31, 5, 5), random_points(17, 5, 6));
    assert_eq!(
        euclidean_par_rows(x.view(), y.view()).unwrap(),
        euclidean_loops(x.view(), y.view()).unwrap(),
        "same terms, same order, then the square root"
    );
}

#[test]
fn empty_inputs_give_empty_results() {
    let (x, y) = (Array2::<f64>::zeros((0, 3)), random_points(4, 3, 7));
    for (name, variant) in IN_ORDER {
        assert_eq!(variant(x.view(), y.view()).unwrap().dim(), (0, 4), "{name}");
        assert_eq!(variant(y.view(), x.view()).unwrap().dim(), (4, 0), "{name}");
    }
    assert_eq!(
        cityblock_par_reduction(y.view(), x.view()).unwrap().dim(),
        (4, 0)
    );
    assert_eq!(
        euclidean_par_rows(x.view(), y.view()).unwrap().dim(),
        (0, 4)
    );
}

#[test]
fn different_dimensions_are_an_error_naming_both_shapes() {
    let (x, y) = (Array2::<f64>::zeros((3, 2)), Array2::<f64>::zeros((5, 6)));
    let expected = DimensionMismatch {
        x: (3, 2),
        y: (5, 6),
    };
    for (name, variant) in IN_ORDER {
        assert_eq!(variant(x.view(), y.view()).unwrap_err(), expected, "{name}");
    }
    assert_eq!(
        cityblock_par_reduction(x.view(), y.view()).unwrap_err(),
        expected
    );
    assert_eq!(
        euclidean_par_rows(x.view(), y.view()).unwrap_err(),
        expected
    );
}
