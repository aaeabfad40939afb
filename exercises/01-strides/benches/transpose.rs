// The course's timing lesson (CSCS numpy/01, section 2) on a 5000×5000 f64
// array: changing metadata is O(1); a contiguous copy runs at memory speed; a
// copy that reads down the columns of the buffer is many times slower; copying
// in cache-sized tiles recovers most of the difference.
//
// Run: cargo bench -p strides --bench transpose, once `cargo test -p strides
// --test views` passes: it measures your views.rs. Set STRIDES_BENCH_N to try
// other sizes.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ndarray::Array2;
use strides::views::{flatten, ravel, transpose, transpose_copy_tiled, transpose_into_tiled};

fn side() -> usize {
    std::env::var("STRIDES_BENCH_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5000)
}

// ANCHOR: bench_cases
fn transpose_and_flatten(c: &mut Criterion) {
    let n = side();
    let x = Array2::from_shape_fn((n, n), |(i, j)| (i * n + j) as f64);
    let mut group = c.benchmark_group(format!("transpose_{n}x{n}_f64"));
    group.sample_size(10);
    group.throughput(Throughput::Bytes((n * n * size_of::<f64>()) as u64));

    // NumPy: x.T; x.ravel()  (two views, nothing copied)
    group.bench_function("transpose_and_ravel_views", |b| {
        b.iter(|| {
            let t = transpose(black_box(x.view()));
            let flat = ravel(black_box(x.view()));
            black_box((t.as_ptr(), flat.as_ptr()))
        })
    });
    // NumPy: x.flatten()  (a contiguous copy: one memcpy)
    group.bench_function("flatten_contiguous_copy", |b| {
        b.iter(|| flatten(black_box(x.view())))
    });
    // NumPy: x.T.ravel()  (a copy reading down the columns of the buffer)
    group.bench_function("ravel_of_transpose_strided_copy", |b| {
        b.iter(|| ravel(transpose(black_box(x.view()))).into_owned())
    });
    // The fix: the same copy, tile by tile.
    group.bench_function("transpose_copy_tiled", |b| {
        b.iter(|| transpose_copy_tiled(black_box(x.view())))
    });

    // The same three copies into a buffer allocated once: what is left is
    // the memory traffic, without the page faults of 200 MB of fresh memory.
    let mut out = Array2::<f64>::zeros((n, n));
    group.bench_function("reused_buffer/contiguous_copy", |b| {
        b.iter(|| out.assign(black_box(&x)))
    });
    group.bench_function("reused_buffer/strided_copy", |b| {
        b.iter(|| out.assign(&black_box(&x).t()))
    });
    group.bench_function("reused_buffer/tiled_transpose", |b| {
        b.iter(|| transpose_into_tiled(black_box(x.view()), out.view_mut()).unwrap())
    });
    group.finish();
}
// ANCHOR_END: bench_cases

criterion_group!(benches, transpose_and_flatten);
criterion_main!(benches);
