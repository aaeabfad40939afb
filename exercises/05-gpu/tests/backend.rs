//! Exercise 9: one algorithm, two machines (src/backend.rs).
//! Run: cargo test -p gpu --test backend
//! On a machine with a GPU: cargo test -p gpu --test backend -- --include-ignored
//!
//! The same checks run on every backend: `check_backend` is generic, as the
//! trick itself is.

use gpu::backend::{Backend, Cpu, euclidean_trick};
use gpu::testing::{assert_close, points, sqeuclidean};
use gpu::{Gpu, GpuError};

fn check_backend<B: Backend>(backend: &B, name: &str) {
    for (n, m, d) in [(1, 1, 1), (30, 45, 7), (128, 64, 50)] {
        let (x, y) = (points(n, d, 27), points(m, d, 28));
        let (xb, yb) = (
            backend.upload(x.view()).unwrap(),
            backend.upload(y.view()).unwrap(),
        );
        let expected = sqeuclidean(x.view(), y.view());
        for sqrt in [false, true] {
            let r = euclidean_trick(backend, &xb, &yb, sqrt).unwrap_or_else(|e| panic!("{e}"));
            let r = backend.download(&r).unwrap();
            let want = if sqrt {
                expected.mapv(f64::sqrt)
            } else {
                expected.clone()
            };
            assert_close(
                r.view(),
                want.view(),
                1e-9,
                &format!("euclidean_trick on {name}, {n}×{m}×{d}, sqrt {sqrt}"),
            );
        }
    }
    // x against itself: rows 0 and 1 are equal, and every point is at distance 0 from
    // itself; rounding may say -1e-16, the clamp must make it 0 (and sqrt must not give NaN).
    let x = points(50, 13, 29);
    let xb = backend.upload(x.view()).unwrap();
    let r = backend
        .download(&euclidean_trick(backend, &xb, &xb, true).unwrap())
        .unwrap();
    assert!(
        r.iter().all(|value| *value >= 0.0),
        "{name}: a distance is never negative nor NaN: clamp at 0 before the square root"
    );
    assert!(
        r[[0, 1]] < 1e-6 && r[[7, 7]] < 1e-6,
        "{name}: equal points are ~0 apart"
    );
}

#[test]
fn the_trick_on_the_cpu_backend_gives_the_distances() {
    check_backend(&Cpu, "the CPU");
}

#[test]
fn the_cpu_backend_refuses_points_of_different_dimensions() {
    let (x, y) = (points(4, 3, 1), points(5, 2, 2));
    assert_eq!(
        euclidean_trick(&Cpu, &x, &y, false).err(),
        Some(GpuError::ShapeMismatch {
            x: (4, 3),
            y: (5, 2)
        }),
        "x·yᵀ needs the same d on both sides"
    );
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn the_trick_on_the_gpu_backend_gives_the_distances() {
    let gpu = Gpu::new().unwrap_or_else(|error| panic!("{error}"));
    check_backend(&gpu, gpu.name());
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn the_cpu_and_gpu_backends_agree() {
    let gpu = Gpu::new().unwrap_or_else(|error| panic!("{error}"));
    let (x, y) = (points(500, 40, 30), points(300, 40, 31));
    let on_cpu = euclidean_trick(&Cpu, &x, &y, true).unwrap();
    let (xd, yd) = (gpu.upload(x.view()).unwrap(), gpu.upload(y.view()).unwrap());
    let on_gpu = gpu
        .download(&euclidean_trick(&gpu, &xd, &yd, true).unwrap())
        .unwrap();
    assert_close(on_gpu.view(), on_cpu.view(), 1e-10, "GPU vs CPU backend");
}
