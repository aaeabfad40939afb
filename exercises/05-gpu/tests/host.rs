//! Exercise 7: the host side (src/host.rs): shapes, copies, launches.
//! Run: cargo test -p gpu --test host
//! On a machine with a GPU: cargo test -p gpu --test host -- --include-ignored
//!
//! With `upload` and `check_pair_shapes` done, exercise 5's trick runs whole on
//! a GPU: its GPU tests are here, at the end, since they need this exercise's code.

use std::panic::catch_unwind;

use ndarray::s;

use gpu::host::check_pair_shapes;
use gpu::testing::{assert_close, cityblock, points, sqeuclidean};
use gpu::transfers::HostMemory;
use gpu::{Gpu, GpuError, Pairwise};

#[test]
fn check_pair_shapes_accepts_the_same_number_of_columns() {
    assert_eq!(check_pair_shapes((5, 3), (7, 3)), Ok(()));
    assert_eq!(
        check_pair_shapes((0, 3), (7, 3)),
        Ok(()),
        "no points is fine: r is 0 × m"
    );
}

#[test]
fn check_pair_shapes_names_both_shapes_when_the_columns_differ() {
    let error = check_pair_shapes((5, 3), (7, 4)).expect_err(
        "x is 5×3 and y 7×4: the kernel would read past the end of x's rows; refuse it",
    );
    assert_eq!(
        error,
        GpuError::ShapeMismatch {
            x: (5, 3),
            y: (7, 4)
        }
    );
    let message = error.to_string();
    assert!(
        message.contains("5×3") && message.contains("7×4"),
        "the message names both shapes: {message}"
    );
}

#[test]
fn gpu_new_answers_with_a_result_with_or_without_a_gpu() {
    let answer =
        catch_unwind(|| Gpu::new().map(|gpu| gpu.name().to_string())).unwrap_or_else(|_| {
            panic!(
                "Gpu::new panicked: it starts with `cuda_available()?` (exercise 2), so that a \
                 machine without a GPU gets Err(GpuError::NoCudaDriver)"
            )
        });
    match answer {
        Ok(name) => println!("GPU 0: {name}"),
        Err(error) => {
            assert!(
                matches!(
                    error,
                    GpuError::NoCudaDriver | GpuError::NoDevice | GpuError::NoNvrtc { .. }
                ),
                "without a GPU, the error says so: {error}"
            );
            println!("{error}");
        }
    }
}

fn gpu() -> Gpu {
    Gpu::new().unwrap_or_else(|error| panic!("{error}"))
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn upload_then_download_gives_back_the_same_matrix_even_from_a_strided_view() {
    let gpu = gpu();
    let a = points(40, 30, 21);
    let view = a.slice(s![..;3, 1..;2]);
    let back = gpu.download(&gpu.upload(view).unwrap()).unwrap();
    assert_eq!(
        back, view,
        "a strided view is copied to row-major first (as_standard_layout), then uploaded"
    );
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn every_pairwise_kernel_on_the_gpu_matches_the_reference() {
    let gpu = gpu();
    for (n, m, d) in [(1, 1, 1), (37, 53, 5), (200, 333, 50), (65, 129, 9)] {
        let (x, y) = (points(n, d, 22), points(m, d, 23));
        let (xd, yd) = (gpu.upload(x.view()).unwrap(), gpu.upload(y.view()).unwrap());
        for kernel in Pairwise::ALL {
            let r = gpu
                .download(&gpu.pairwise(kernel, &xd, &yd).unwrap())
                .unwrap();
            let expected = if kernel.is_cityblock() {
                cityblock(x.view(), y.view())
            } else {
                sqeuclidean(x.view(), y.view())
            };
            assert_close(
                r.view(),
                expected.view(),
                1e-12,
                &format!("{} on the GPU, {n}×{m}×{d}", kernel.name()),
            );
        }
    }
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn pairwise_on_the_gpu_handles_empty_inputs_and_refuses_mismatched_shapes() {
    let gpu = gpu();
    let x = gpu.upload(points(0, 3, 1).view()).unwrap();
    let y = gpu.upload(points(4, 3, 2).view()).unwrap();
    for kernel in Pairwise::ALL {
        let r = gpu.pairwise(kernel, &x, &y).unwrap();
        assert_eq!(r.shape(), (0, 4), "{}: no rows, no launch", kernel.name());
    }
    let z = gpu.upload(points(2, 5, 3).view()).unwrap();
    assert_eq!(
        gpu.pairwise(Pairwise::CityblockNaive, &y, &z).err(),
        Some(GpuError::ShapeMismatch {
            x: (4, 3),
            y: (2, 5)
        })
    );
}

// Exercise 5's trick on a GPU: `Gpu::euclidean_trick` (src/blas.rs) with its inputs
// uploaded by `upload` and its shapes checked by `check_pair_shapes` (through the given
// `scaled_xyt`), both of this exercise.

#[test]
#[ignore = "needs a CUDA GPU"]
fn the_trick_on_the_gpu_matches_the_reference() {
    let gpu = gpu();
    for (n, m, d, sqrt) in [
        (1, 1, 1, false),
        (300, 200, 50, false),
        (257, 513, 3, true),
        (64, 1000, 130, true),
    ] {
        let (x, y) = (points(n, d, 13), points(m, d, 14));
        let (xd, yd) = (gpu.upload(x.view()).unwrap(), gpu.upload(y.view()).unwrap());
        let r = gpu
            .download(&gpu.euclidean_trick(&xd, &yd, sqrt).unwrap())
            .unwrap();
        let mut expected = sqeuclidean(x.view(), y.view());
        if sqrt {
            expected.mapv_inplace(f64::sqrt);
        }
        // The trick loses digits where |x|² + |y|² ≫ |x - y|² (cancellation).
        assert_close(
            r.view(),
            expected.view(),
            1e-9,
            &format!("GPU trick {n}×{m}×{d}, sqrt {sqrt}"),
        );
    }
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn the_trick_on_the_gpu_handles_empty_inputs_and_refuses_mismatched_ones() {
    let gpu = gpu();
    let (x, y) = (points(0, 4, 1), points(5, 4, 2));
    let (xd, yd) = (gpu.upload(x.view()).unwrap(), gpu.upload(y.view()).unwrap());
    let r = gpu.euclidean_trick(&xd, &yd, false).unwrap();
    assert_eq!(r.shape(), (0, 5));
    let z = gpu.upload(points(3, 5, 3).view()).unwrap();
    assert_eq!(
        gpu.euclidean_trick(&yd, &z, false).err(),
        Some(GpuError::ShapeMismatch {
            x: (5, 4),
            y: (3, 5)
        })
    );
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn empty_inputs_everywhere_give_empty_or_zero_results_and_leave_the_gpu_working() {
    // cuMemAlloc refuses 0 bytes, and cuMemAllocAsync does not say what it does with
    // them: every buffer holds at least one element. A failed allocation or free of a
    // buffer would surface here, or (from a drop, which cannot return it) at the
    // synchronize at the end, which reports the errors the context recorded.
    let gpu = gpu();
    let shapes = [(0, 3), (3, 0), (0, 0), (4, 3)];
    for (n, d) in shapes {
        for (m, _) in shapes.into_iter().filter(|&(_, d2)| d2 == d) {
            let (x, y) = (points(n, d, 31), points(m, d, 32));
            let (xd, yd) = (gpu.upload(x.view()).unwrap(), gpu.upload(y.view()).unwrap());
            assert_eq!(gpu.download(&xd).unwrap(), x, "{n}×{d} there and back");
            let what = format!("{n}×{d} and {m}×{d} (zeros when d = 0)");
            for kernel in Pairwise::ALL {
                let r = gpu.download(&gpu.pairwise(kernel, &xd, &yd).unwrap());
                let expected = if kernel.is_cityblock() {
                    cityblock(x.view(), y.view())
                } else {
                    sqeuclidean(x.view(), y.view())
                };
                let what = format!("{} of {what}", kernel.name());
                assert_close(r.unwrap().view(), expected.view(), 1e-12, &what);
            }
            let r = gpu.download(&gpu.euclidean_trick(&xd, &yd, false).unwrap());
            let expected = sqeuclidean(x.view(), y.view());
            let what = format!("the trick on {what}");
            assert_close(r.unwrap().view(), expected.view(), 1e-9, &what);
        }
    }
    let empty = gpu.upload_vector(&[]).unwrap();
    assert!(gpu.download_vector(&empty).unwrap().is_empty());
    for memory in [HostMemory::Pageable, HostMemory::Pinned] {
        assert!(gpu.round_trip(&[], memory).unwrap().is_empty());
    }
    // Then real work, and a synchronize that reports any error recorded on the way.
    let x = points(3, 2, 33);
    let xd = gpu.upload(x.view()).unwrap();
    let r = gpu.pairwise(Pairwise::CityblockNaive, &xd, &xd).unwrap();
    gpu.synchronize().unwrap();
    let expected = cityblock(x.view(), x.view());
    assert_close(
        gpu.download(&r).unwrap().view(),
        expected.view(),
        1e-12,
        "after the empties",
    );
}
