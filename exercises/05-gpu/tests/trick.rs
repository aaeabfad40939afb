//! Exercise 5: the trick with cuBLAS (src/blas.rs and src/cuda/trick.cu).
//! Run: cargo test -p gpu --test trick
//!
//! No GPU needed: the kernels run on the CPU emulator, and cuBLAS's arguments
//! are checked against a column-major GEMM written out below. The whole trick
//! on a GPU needs exercise 7's `upload` and shape check too, so its tests live
//! in tests/host.rs (`cargo test -p gpu --test host -- --include-ignored`).

use ndarray::{Array1, Array2, array};

use gpu::blas::{GemmArgs, Op, xyt_gemm};
use gpu::kernels::TRICK;
use gpu::testing::{assert_close, points, sqeuclidean};
use gpu::{GpuError, emulator, nvrtc};

/// What cuBLAS's DGEMM computes, C = op(A) · op(B), column-major, with the
/// leading dimensions as given: the reference for `xyt_gemm`'s arguments.
fn column_major_gemm(args: &GemmArgs, a: &[f64], b: &[f64], c: &mut [f64]) {
    let (m, n, k) = (args.m as usize, args.n as usize, args.k as usize);
    let (lda, ldb, ldc) = (args.lda as usize, args.ldb as usize, args.ldc as usize);
    let op_a = |row: usize, col: usize| match args.transa {
        Op::N => a[row + col * lda],
        Op::T => a[col + row * lda],
    };
    let op_b = |row: usize, col: usize| match args.transb {
        Op::N => b[row + col * ldb],
        Op::T => b[col + row * ldb],
    };
    for col in 0..n {
        for row in 0..m {
            c[row + col * ldc] = (0..k).map(|l| op_a(row, l) * op_b(l, col)).sum();
        }
    }
}

#[test]
fn xyt_gemm_turns_row_major_x_times_y_transposed_into_a_column_major_gemm() {
    for (n, m, d) in [(5, 3, 4), (1, 7, 2), (6, 6, 1), (4, 9, 13)] {
        let (x, y) = (points(n, d, 8), points(m, d, 9));
        let args = xyt_gemm(n, m, d).unwrap_or_else(|error| panic!("{error}"));
        let mut r = vec![f64::NAN; n * m];
        // A is y's buffer, B is x's, C is r's: all three row-major, as the GPU has them.
        column_major_gemm(&args, y.as_slice().unwrap(), x.as_slice().unwrap(), &mut r);
        let r = Array2::from_shape_vec((n, m), r).unwrap();
        assert_close(
            r.view(),
            x.dot(&y.t()).view(),
            1e-12,
            &format!(
                "a column-major GEMM with {args:?} on row-major x ({n}×{d}), y ({m}×{d}): \
                 it must leave x·yᵀ, row-major, in r's buffer"
            ),
        );
    }
}

#[test]
fn xyt_gemm_refuses_sizes_past_the_range_of_cublas_ints() {
    let huge = i32::MAX as usize + 1;
    for (n, m, d) in [(huge, 2, 2), (2, huge, 2), (2, 2, huge)] {
        match xyt_gemm(n, m, d) {
            Err(GpuError::TooLarge { value, .. }) => assert_eq!(value, huge),
            other => panic!(
                "cuBLAS takes 32-bit ints: n = {n}, m = {m}, d = {d} must give \
                 Err(GpuError::TooLarge), not {other:?}"
            ),
        }
    }
}

#[test]
fn row_sq_norms_sums_the_squares_of_each_row() {
    // d below and above a warp's 32 lanes, rows that fill no whole block, and d = 0.
    for (rows, d) in [(1, 1), (3, 4), (300, 7), (257, 50), (9, 97), (5, 0)] {
        let a = points(rows, d, 10);
        let norms = emulator::row_sq_norms(a.view()).unwrap_or_else(|error| panic!("{error}"));
        let expected: Array1<f64> = a.rows().into_iter().map(|row| row.dot(&row)).collect();
        assert_close(
            norms.view().insert_axis(ndarray::Axis(1)),
            expected.view().insert_axis(ndarray::Axis(1)),
            1e-12,
            &format!("row_sq_norms of a {rows}×{d} matrix"),
        );
    }
}

#[test]
fn the_epilogue_adds_the_norms_and_clamps_rounding_below_zero() {
    let xx = array![1.0, 4.0];
    let yy = array![2.0, 0.5, 9.0];
    // g = -2 x·yᵀ; [0, 1] is a little too negative, as rounding can leave it.
    let g = array![[-2.0, -1.5 - 1e-15, -6.0], [-8.0, 0.0, -1.0]];
    let r = emulator::sqeuclidean_epilogue(xx.view(), yy.view(), g.view(), false)
        .unwrap_or_else(|error| panic!("{error}"));
    let expected = array![[1.0, 0.0, 4.0], [0.0, 4.5, 12.0]];
    // Tolerance 0: these sums are exact.
    assert_close(
        r.view(),
        expected.view(),
        0.0,
        "r[i, j] = max(xx[i] + yy[j] + g[i, j], 0): a distance below 0 is rounding, clamp it",
    );
    let rooted = emulator::sqeuclidean_epilogue(xx.view(), yy.view(), g.view(), true)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_close(
        rooted.view(),
        expected.mapv(f64::sqrt).view(),
        0.0,
        "take_sqrt != 0 fuses the square root into the same pass",
    );
}

#[test]
fn the_trick_on_the_emulator_gives_the_squared_distances() {
    let (n, m, d) = (45, 70, 9);
    let (x, y) = (points(n, d, 11), points(m, d, 12));
    let xx = emulator::row_sq_norms(x.view()).unwrap_or_else(|error| panic!("{error}"));
    let yy = emulator::row_sq_norms(y.view()).unwrap_or_else(|error| panic!("{error}"));
    let g = x.dot(&y.t()) * -2.0;
    let r = emulator::sqeuclidean_epilogue(xx.view(), yy.view(), g.view(), false)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_close(
        r.view(),
        sqeuclidean(x.view(), y.view()).view(),
        1e-12,
        "norms, -2 x·yᵀ, then the epilogue",
    );
    assert!(
        r.iter().all(|&value| value >= 0.0),
        "no squared distance below 0 after the clamp"
    );
}

#[test]
fn trick_kernels_compile_to_ptx() {
    if !nvrtc::nvrtc_or_skip() {
        return;
    }
    let ptx = nvrtc::ptx_text(&TRICK).unwrap_or_else(|error| panic!("{error}"));
    for kernel in ["row_sq_norms", "sqeuclidean_epilogue"] {
        assert!(
            ptx.contains(&format!(".entry {kernel}")),
            "src/cuda/trick.cu must define `extern \"C\" __global__ void {kernel}`"
        );
    }
    assert!(
        ptx.contains("sqrt.rn.f64"),
        "the epilogue's PTX has no square root: fuse `sqrt` in when take_sqrt is set"
    );
    assert!(
        ptx.contains("max.f64"),
        "the epilogue's PTX has no max: clamp at 0 with fmax"
    );
    // Machine code for the A100 and the H100, as Gpu::new makes: ptxas checks their limits.
    nvrtc::check_limits(&TRICK).unwrap_or_else(|error| panic!("{error}"));
}

#[test]
fn row_sq_norms_adds_up_each_row_in_shared_memory_between_barriers() {
    if !nvrtc::nvrtc_or_skip() {
        return;
    }
    // The epilogue needs neither: what shared memory and barriers the PTX of
    // trick.cu has are row_sq_norms'.
    let ptx = nvrtc::ptx_text(&TRICK).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        ptx.contains(".shared"),
        "row_sq_norms' PTX declares no shared memory: a warp shares each row, and its 32 \
         partial sums are added up in a `__shared__` array"
    );
    assert!(
        ptx.contains("bar.sync") || ptx.contains("barrier.sync"),
        "row_sq_norms' PTX has no barrier: the block must `__syncthreads()` between the steps \
         of the sum in shared memory (a lane reads what another lane wrote)"
    );
}
