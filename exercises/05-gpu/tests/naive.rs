//! Exercise 3: one thread per output (src/cuda/cityblock_naive.cu and
//! src/cuda/sqeuclidean_naive.cu).
//! Run: cargo test -p gpu --test naive
//!
//! No GPU needed: the kernels run on the CPU emulator (every GPU thread an OS
//! thread), and NVRTC compiles them to PTX, the GPU's assembly.

use gpu::kernels::{CITYBLOCK_NAIVE, Pairwise, SQEUCLIDEAN_NAIVE};
use gpu::testing::{assert_close, cityblock, points, sqeuclidean};
use gpu::{emulator, nvrtc};

/// (n, m, d): inside one block, across blocks, one row or column, odd sizes.
const SHAPES: [(usize, usize, usize); 6] = [
    (1, 1, 1),
    (5, 7, 3),
    (8, 32, 2),
    (37, 53, 5),
    (9, 70, 1),
    (70, 1, 16),
];

fn emulated(kernel: Pairwise, n: usize, m: usize, d: usize) -> ndarray::Array2<f64> {
    let (x, y) = (points(n, d, 1), points(m, d, 2));
    emulator::pairwise(kernel, x.view(), y.view()).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn cityblock_naive_computes_the_l1_distance_of_every_pair() {
    for (n, m, d) in SHAPES {
        let (x, y) = (points(n, d, 1), points(m, d, 2));
        let r = emulated(Pairwise::CityblockNaive, n, m, d);
        assert_close(
            r.view(),
            cityblock(x.view(), y.view()).view(),
            1e-12,
            &format!("cityblock_naive, x {n}×{d}, y {m}×{d}"),
        );
    }
}

#[test]
fn sqeuclidean_naive_computes_the_squared_l2_distance_of_every_pair() {
    for (n, m, d) in SHAPES {
        let (x, y) = (points(n, d, 1), points(m, d, 2));
        let r = emulated(Pairwise::SqeuclideanNaive, n, m, d);
        assert_close(
            r.view(),
            sqeuclidean(x.view(), y.view()).view(),
            1e-12,
            &format!("sqeuclidean_naive, x {n}×{d}, y {m}×{d}"),
        );
    }
}

#[test]
fn naive_kernels_give_zero_for_equal_points() {
    // points() makes rows 0 and 1 equal: x against itself has zeros at [0, 1] and [1, 0].
    let x = points(40, 6, 3);
    for kernel in [Pairwise::CityblockNaive, Pairwise::SqeuclideanNaive] {
        let r = emulator::pairwise(kernel, x.view(), x.view())
            .unwrap_or_else(|error| panic!("{error}"));
        for (i, j) in [(0, 0), (0, 1), (1, 0), (39, 39)] {
            assert_eq!(
                r[[i, j]],
                0.0,
                "{}: a point's distance to an equal point is exactly 0 (r[{i}, {j}])",
                kernel.name()
            );
        }
    }
}

#[test]
fn naive_kernels_compile_to_ptx_that_loads_computes_and_stores() {
    if !nvrtc::nvrtc_or_skip() {
        return;
    }
    for (file, arithmetic) in [
        (CITYBLOCK_NAIVE, ["abs.f64"].as_slice()),
        (
            SQEUCLIDEAN_NAIVE,
            ["fma.rn.f64", "mul.rn.f64", "mul.f64"].as_slice(),
        ),
    ] {
        let ptx = nvrtc::ptx_text(&file).unwrap_or_else(|error| panic!("{error}"));
        let entry = format!(".entry {}", file.kernels[0]);
        assert!(
            ptx.contains(&entry),
            "{}: the PTX has no `{entry}`: the kernel must be `extern \"C\" __global__` with \
             that name",
            file.path
        );
        for (what, needle) in [("load", "ld.global"), ("store", "st.global.f64")] {
            assert!(
                ptx.contains(needle),
                "{}: the PTX has no global {what} (`{needle}`): the kernel must read x and y \
                 and write r. Is it still a TODO?",
                file.path
            );
        }
        assert!(
            arithmetic.iter().any(|op| ptx.contains(op)),
            "{}: the PTX has none of {arithmetic:?}: where is the distance's arithmetic?",
            file.path
        );
        // Machine code for the A100 and the H100, as Gpu::new makes: ptxas checks their limits.
        nvrtc::check_limits(&file).unwrap_or_else(|error| panic!("{error}"));
    }
}
