// The squared Euclidean distance matrix, every variant at the course's sizes
// (n × m × d): 500×500×500, 2000×2000×50 (the CSCS comparison),
// 5000×5000×50, 6000×6000×50 (the numexpr notebook) and 10000×10000×3.
//
// Run: cargo bench -p vectorization-solution --bench edm
// One size: cargo bench -p vectorization-solution --bench edm -- 5000x5000x50
// For the numbers in the book, compare RUSTFLAGS="-C target-cpu=native" with
// the default build, and GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (huge pages for
// every allocation, see lab 1) with the default page size.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use vectorization::broadcast::sq_euclidean_broadcast;
use vectorization::direct::{sq_euclidean_direct, sq_euclidean_direct_into};
use vectorization::loops::sq_euclidean_loops;
use vectorization::matmul::{
    matmul_0_loops, matmul_1_loop, matmul_2_loops, matmul_3_loops, matmul_library,
};
use vectorization::testing::random_points;
use vectorization::trick::{
    sq_euclidean_trick, sq_euclidean_trick_checked, sq_euclidean_trick_fused_kernel,
    sq_euclidean_trick_fused_kernel_into, sq_euclidean_trick_fused_tail,
};
use vectorization::{DimensionMismatch, IntoError};

type Variant = fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, DimensionMismatch>;
type IntoVariant =
    fn(ArrayView2<f64>, ArrayView2<f64>, ArrayViewMut2<f64>) -> Result<(), IntoError>;

// ANCHOR: bench_variants
/// (name, function, largest n·m·d it is run at: the slow ones stop early).
const VARIANTS: [(&str, Variant, usize); 7] = [
    ("loops", sq_euclidean_loops, 200_000_000),
    ("broadcast", sq_euclidean_broadcast, 200_000_000),
    ("trick", sq_euclidean_trick, usize::MAX),
    (
        "trick_fused_tail",
        sq_euclidean_trick_fused_tail,
        usize::MAX,
    ),
    (
        "trick_fused_kernel",
        sq_euclidean_trick_fused_kernel,
        usize::MAX,
    ),
    ("trick_checked", sq_euclidean_trick_checked, usize::MAX),
    ("direct", sq_euclidean_direct, usize::MAX),
];

/// The kernels again, writing into one output array reused by every call.
const INTO_VARIANTS: [(&str, IntoVariant); 2] = [
    (
        "trick_fused_kernel_into",
        sq_euclidean_trick_fused_kernel_into,
    ),
    ("direct_into", sq_euclidean_direct_into),
];

const SIZES: [(usize, usize, usize); 5] = [
    (500, 500, 500),
    (2000, 2000, 50),
    (5000, 5000, 50),
    (6000, 6000, 50),
    (10000, 10000, 3),
];
// ANCHOR_END: bench_variants

fn edm(c: &mut Criterion) {
    for (n, m, d) in SIZES {
        let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
        let mut group = c.benchmark_group(format!("edm_{n}x{m}x{d}"));
        group.sample_size(10).warm_up_time(Duration::from_secs(1));
        // Useful floating-point work: one multiply-add (2 flops) per pair and coordinate.
        group.throughput(Throughput::Elements((2 * n * m * d) as u64));
        for (name, variant, largest) in VARIANTS {
            if n * m * d <= largest {
                group.bench_function(BenchmarkId::from_parameter(name), |b| {
                    b.iter(|| variant(black_box(x.view()), black_box(y.view())).unwrap())
                });
            }
        }
        let mut out = Array2::zeros((n, m));
        for (name, variant) in INTO_VARIANTS {
            group.bench_function(BenchmarkId::from_parameter(name), |b| {
                b.iter(|| {
                    variant(black_box(x.view()), black_box(y.view()), out.view_mut()).unwrap()
                })
            });
        }
        group.finish();
    }
}

/// The ULHPC matrix product: a 250x300 matrix times a 300x250 one.
fn matmul(c: &mut Criterion) {
    let (a, b) = (random_points(250, 300, 699), random_points(300, 250, 700));
    let mut group = c.benchmark_group("matmul_250x300x250");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    type Product =
        fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, vectorization::MatmulMismatch>;
    let variants: [(&str, Product); 5] = [
        ("3_loops", matmul_3_loops),
        ("2_loops", matmul_2_loops),
        ("1_loop", matmul_1_loop),
        ("0_loops", matmul_0_loops),
        ("library", matmul_library),
    ];
    for (name, variant) in variants {
        group.bench_function(name, |bench| {
            bench.iter(|| variant(black_box(a.view()), black_box(b.view())).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, edm, matmul);
criterion_main!(benches);
