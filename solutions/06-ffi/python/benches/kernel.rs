// The extension's Rust kernel without Python: the baseline (SSE2) path against
// the AVX2 + FMA path chosen at run time, Cityblock and Euclidean, at
// 2000×2000×50 and the course's 5000×5000×50 (n × m × d), on rayon's default
// threads (RAYON_NUM_THREADS, else one per core). The run-time dispatch must
// never be slower than the baseline: a wheel is built for any x86-64.
//
// Run: cargo bench -p ffi-py-solution --bench kernel
// Smoke test: cargo bench -p ffi-py-solution --bench kernel -- --quick
// Compare with RUSTFLAGS="-C target-cpu=native": the baseline path then uses
// what this CPU has, and both paths should take the same time.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ffi_lab_solution::kernel::{Cityblock, Euclidean, Simd, pairwise};
use ndarray::Array2;

const SIZES: [(usize, usize, usize); 2] = [(2000, 2000, 50), (5000, 5000, 50)];

fn points(n: usize, d: usize, seed: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, d), |(i, k)| {
        ((i * 31 + k * 17 + seed * 7) % 101) as f64 / 101.0
    })
}

fn paths(c: &mut Criterion) {
    eprintln!(
        "kernel bench: paths {:?}, {} rayon thread(s)",
        Simd::available(),
        rayon::current_num_threads()
    );
    for (n, m, d) in SIZES {
        let (x, y) = (points(n, d, 1), points(m, d, 2));
        let mut group = c.benchmark_group(format!("kernel_{n}x{m}x{d}"));
        group.sample_size(10).warm_up_time(Duration::from_secs(1));
        group.throughput(Throughput::Elements((n * m * d) as u64));
        for simd in Simd::available() {
            group.bench_function(BenchmarkId::new("cityblock", simd.name()), |b| {
                b.iter(|| pairwise::<Cityblock>(simd, black_box(x.view()), black_box(y.view())))
            });
            group.bench_function(BenchmarkId::new("euclidean", simd.name()), |b| {
                b.iter(|| pairwise::<Euclidean>(simd, black_box(x.view()), black_box(y.view())))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, paths);
criterion_main!(benches);
