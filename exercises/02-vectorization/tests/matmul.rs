//! Exercise 6: the matrix product with 3, 2, 1 and 0 loops (src/matmul.rs).
//! Run: cargo test -p vectorization --test matmul

use ndarray::{Array2, ArrayView2, array};
use vectorization::MatmulMismatch;
use vectorization::matmul::{
    matmul_0_loops, matmul_1_loop, matmul_2_loops, matmul_3_loops, matmul_library,
};
use vectorization::testing::{assert_allclose, random_points};

type Variant = fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, MatmulMismatch>;

const VARIANTS: [(&str, Variant); 5] = [
    ("matmul_3_loops", matmul_3_loops),
    ("matmul_2_loops", matmul_2_loops),
    ("matmul_1_loop", matmul_1_loop),
    ("matmul_0_loops", matmul_0_loops),
    ("matmul_library", matmul_library),
];

#[test]
fn a_small_product_by_hand() {
    let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let b = array![[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]];
    for (name, variant) in VARIANTS {
        assert_eq!(
            variant(a.view(), b.view()).unwrap(),
            array![[58.0, 64.0], [139.0, 154.0]],
            "{name}"
        );
    }
}

#[test]
fn all_variants_agree_on_the_ulhpc_shapes() {
    // The ULHPC notebook multiplies a 250x300 matrix by a 300x250 one; smaller here.
    let (a, b) = (random_points(25, 30, 699), random_points(30, 20, 700));
    let expected: Array2<f64> = Array2::from_shape_fn((25, 20), |(i, j)| {
        (0..30).map(|k| a[[i, k]] * b[[k, j]]).sum()
    });
    for (name, variant) in VARIANTS {
        assert_allclose(
            variant(a.view(), b.view()).unwrap().view(),
            expected.view(),
            1e-13,
            0.0,
            name,
        );
    }
}

#[test]
fn non_square_and_transposed_operands() {
    let a = random_points(4, 9, 1);
    let product = matmul_library(a.view(), a.t()).unwrap();
    for (name, variant) in VARIANTS {
        assert_allclose(
            variant(a.view(), a.t()).unwrap().view(),
            product.view(),
            1e-13,
            0.0,
            name,
        );
    }
}

#[test]
fn mismatched_inner_dimensions_are_an_error_naming_both_shapes() {
    let (a, b) = (Array2::<f64>::zeros((2, 3)), Array2::<f64>::zeros((2, 3)));
    for (name, variant) in VARIANTS {
        let err = variant(a.view(), b.view()).expect_err(name);
        assert_eq!(
            err,
            MatmulMismatch {
                a: (2, 3),
                b: (2, 3)
            },
            "{name}"
        );
        assert!(err.to_string().contains("(2, 3)"), "{name}: {err}");
    }
}

#[test]
fn empty_matrices_multiply_to_zeros_or_nothing() {
    let (a, b) = (Array2::<f64>::zeros((3, 0)), Array2::<f64>::zeros((0, 2)));
    for (name, variant) in VARIANTS {
        assert_eq!(
            variant(a.view(), b.view()).unwrap(),
            Array2::<f64>::zeros((3, 2)),
            "{name}: an empty sum is 0"
        );
    }
}
