// The Cityblock distance matrix, every variant at the course's sizes
// (n × m × d): 500×500×500 (the ULHPC notebook's square case),
// 2000×2000×50, 5000×5000×50 and 10000×10000×3; then the fast variants
// with 1, 2, 4 and 8 threads at 5000×5000×50.
//
// Run: cargo bench -p parallel-solution --bench cityblock
// One group: cargo bench -p parallel-solution --bench cityblock -- cityblock_5000x5000x50
// For the numbers in the book, compare RUSTFLAGS="-C target-cpu=native" with
// the default build.

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::{Array2, ArrayView2};
use parallel::DimensionMismatch;
use parallel::blocked::cityblock_blocked;
use parallel::placement::{
    cityblock_alloc_per_pair, cityblock_par_columns, cityblock_par_reduction, cityblock_par_rows,
};
use parallel::pool::{cityblock_azip, cityblock_join, in_pool};
use parallel::scoped::cityblock_scoped;
use parallel::serial::{cityblock_iter, cityblock_loops};
use parallel::testing::random_points;

type Variant = fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, DimensionMismatch>;

fn scoped_on_all_cores(
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    cityblock_scoped(
        x,
        y,
        NonZeroUsize::new(rayon::current_num_threads()).unwrap_or(NonZeroUsize::MIN),
    )
}

// ANCHOR: bench_variants
/// (name, function, the largest number of pairs n·m it is run at, the
/// largest n·m·d): the slow ones stop early.
const VARIANTS: [(&str, Variant, usize, usize); 10] = [
    ("loops", cityblock_loops, usize::MAX, 200_000_000),
    ("iter", cityblock_iter, usize::MAX, 200_000_000),
    (
        "par_reduction",
        cityblock_par_reduction,
        250_000,
        usize::MAX,
    ),
    (
        "par_columns",
        cityblock_par_columns,
        usize::MAX,
        1_250_000_000,
    ),
    (
        "alloc_per_pair",
        cityblock_alloc_per_pair,
        usize::MAX,
        200_000_000,
    ),
    ("par_rows", cityblock_par_rows, usize::MAX, usize::MAX),
    ("azip", cityblock_azip, usize::MAX, usize::MAX),
    ("join", cityblock_join, usize::MAX, usize::MAX),
    ("scoped", scoped_on_all_cores, usize::MAX, usize::MAX),
    ("blocked", cityblock_blocked, usize::MAX, usize::MAX),
];

const SIZES: [(usize, usize, usize); 4] = [
    (500, 500, 500),
    (2000, 2000, 50),
    (5000, 5000, 50),
    (10000, 10000, 3),
];

/// The thread counts of the scaling group, oversubscribed ones included.
const THREADS: [usize; 4] = [1, 2, 4, 8];
// ANCHOR_END: bench_variants

fn cityblock(c: &mut Criterion) {
    for (n, m, d) in SIZES {
        let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
        let mut group = c.benchmark_group(format!("cityblock_{n}x{m}x{d}"));
        group.sample_size(10).warm_up_time(Duration::from_secs(1));
        // One |x - y| and one addition per pair and coordinate.
        group.throughput(Throughput::Elements((n * m * d) as u64));
        for (name, variant, most_pairs, most_work) in VARIANTS {
            if n * m <= most_pairs && n * m * d <= most_work {
                group.bench_function(BenchmarkId::from_parameter(name), |b| {
                    b.iter(|| variant(black_box(x.view()), black_box(y.view())))
                });
            }
        }
        group.finish();
    }
}

fn threads(c: &mut Criterion) {
    let (n, m, d) = (5000, 5000, 50);
    let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
    let mut group = c.benchmark_group(format!("threads_{n}x{m}x{d}"));
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements((n * m * d) as u64));
    for (name, variant) in [
        ("par_rows", cityblock_par_rows as Variant),
        ("blocked", cityblock_blocked),
    ] {
        for t in THREADS {
            let threads = NonZeroUsize::new(t).expect("positive");
            group.bench_function(BenchmarkId::new(name, t), |b| {
                b.iter(|| {
                    in_pool(threads, || {
                        variant(black_box(x.view()), black_box(y.view()))
                    })
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, cityblock, threads);
criterion_main!(benches);
