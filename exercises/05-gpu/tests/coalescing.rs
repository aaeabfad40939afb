//! Exercise 6: coalescing (src/cuda/gemv.cu): the same y = A v, one thread per
//! row, with A row-major and column-major.
//! Run: cargo test -p gpu --test coalescing
//!
//! The emulator checks what the kernels compute; which one is faster is for
//! the GPU benchmark (`cargo bench -p gpu --bench gpu`, on a machine with a GPU) to show.

use ndarray::Array1;

use gpu::emulator::{self, Layout};
use gpu::kernels::GEMV;
use gpu::testing::{assert_close, gemv, points};
use gpu::{Gpu, nvrtc};

fn as_column(v: &Array1<f64>) -> ndarray::ArrayView2<'_, f64> {
    v.view().insert_axis(ndarray::Axis(1))
}

#[test]
fn gemv_kernels_compute_a_times_v_in_both_layouts() {
    for (rows, cols) in [(1, 1), (300, 77), (257, 3), (5, 600)] {
        let a = points(rows, cols, 15);
        let v = points(1, cols, 16).row(0).to_owned();
        let expected = gemv(a.view(), v.view());
        for layout in [Layout::RowMajor, Layout::ColMajor] {
            let y = emulator::gemv(layout, a.view(), v.view())
                .unwrap_or_else(|error| panic!("{error}"));
            assert_close(
                as_column(&y),
                as_column(&expected),
                1e-12,
                &format!(
                    "{} on a {rows}×{cols} A: element (i, k) of A is at {}",
                    layout.gemv_kernel(),
                    match layout {
                        Layout::RowMajor => "a[i * cols + k]",
                        Layout::ColMajor => "a[k * rows + i]",
                    }
                ),
            );
        }
    }
}

#[test]
fn both_layouts_give_the_same_sums_bit_for_bit() {
    let a = points(130, 45, 17);
    let v = points(1, 45, 18).row(0).to_owned();
    let rows = emulator::gemv(Layout::RowMajor, a.view(), v.view())
        .unwrap_or_else(|error| panic!("{error}"));
    let cols = emulator::gemv(Layout::ColMajor, a.view(), v.view())
        .unwrap_or_else(|error| panic!("{error}"));
    let first_difference = rows
        .iter()
        .zip(&cols)
        .position(|(a, b)| a.to_bits() != b.to_bits());
    if let Some(i) = first_difference {
        panic!(
            "y[{i}] is {} from gemv_row_major but {} from gemv_col_major: only the address of \
             A's element differs between the two kernels, so the same products, summed in the \
             same order (k ascending), give the same bits",
            rows[i], cols[i]
        );
    }
}

#[test]
fn gemv_kernels_compile_to_ptx() {
    if !nvrtc::nvrtc_or_skip() {
        return;
    }
    let ptx = nvrtc::ptx_text(&GEMV).unwrap_or_else(|error| panic!("{error}"));
    for kernel in ["gemv_row_major", "gemv_col_major"] {
        assert!(
            ptx.contains(&format!(".entry {kernel}")),
            "src/cuda/gemv.cu must define `extern \"C\" __global__ void {kernel}`"
        );
    }
    assert!(
        ptx.matches("st.global.f64").count() >= 2,
        "each kernel stores its y[i]: is one still a TODO?"
    );
    // Machine code for the A100 and the H100, as Gpu::new makes: ptxas checks their limits.
    nvrtc::check_limits(&GEMV).unwrap_or_else(|error| panic!("{error}"));
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn gemv_kernels_on_the_gpu_match_the_reference() {
    let gpu = Gpu::new().unwrap_or_else(|error| panic!("{error}"));
    for (rows, cols) in [(1, 1), (1000, 300), (4097, 33)] {
        let a = points(rows, cols, 19);
        let v = points(1, cols, 20).row(0).to_owned();
        let expected = gemv(a.view(), v.view());
        for layout in [Layout::RowMajor, Layout::ColMajor] {
            let y = gpu.gemv(layout, a.view(), v.view()).unwrap();
            assert_close(
                as_column(&y),
                as_column(&expected),
                1e-12,
                &format!("{} on the GPU, {rows}×{cols}", layout.gemv_kernel()),
            );
        }
    }
}
