// The Cityblock distance matrix by the lab's kernels: C (f64), Fortran f64
// and Fortran f32, at 2000×2000×50 and at the course's 5000×5000×50
// (n × m × d), on OpenMP's default number of threads (OMP_NUM_THREADS, else
// one per core).
//
// Run (once your tests pass): cargo bench -p ffi --bench ffi
// One group: cargo bench -p ffi --bench ffi -- cityblock_5000x5000x50
// Smoke test: cargo bench -p ffi --bench ffi -- --quick
// The kernels are compiled by build.rs with -O3 and no -march flag, so
// RUSTFLAGS="-C target-cpu=native" changes nothing here (it did in labs 1-3).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ffi::c_kernel::cityblock_c;
use ffi::fortran::{cityblock_fortran, fortran_available};
use ffi::openmp;
use ffi::testing::random_points;

// ANCHOR: bench_sizes
const SIZES: [(usize, usize, usize); 2] = [(2000, 2000, 50), (5000, 5000, 50)];
// ANCHOR_END: bench_sizes

fn kernels(c: &mut Criterion) {
    let fortran = fortran_available();
    if let Err(why) = &fortran {
        eprintln!("ffi bench: Fortran kernels skipped: {why}");
    }
    eprintln!(
        "ffi bench: {} OpenMP thread(s) per kernel call",
        openmp::max_threads()
    );
    for (n, m, d) in SIZES {
        let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
        let (x32, y32) = (x.mapv(|v| v as f32), y.mapv(|v| v as f32));
        let mut group = c.benchmark_group(format!("cityblock_{n}x{m}x{d}"));
        group.sample_size(10).warm_up_time(Duration::from_secs(1));
        // One |x - y| and one addition per pair and coordinate.
        group.throughput(Throughput::Elements((n * m * d) as u64));
        group.bench_function(BenchmarkId::from_parameter("c_f64"), |b| {
            b.iter(|| cityblock_c(black_box(x.view()), black_box(y.view())))
        });
        if fortran.is_ok() {
            group.bench_function(BenchmarkId::from_parameter("fortran_f64"), |b| {
                b.iter(|| cityblock_fortran(black_box(x.view()), black_box(y.view())))
            });
            group.bench_function(BenchmarkId::from_parameter("fortran_f32"), |b| {
                b.iter(|| cityblock_fortran(black_box(x32.view()), black_box(y32.view())))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, kernels);
criterion_main!(benches);
