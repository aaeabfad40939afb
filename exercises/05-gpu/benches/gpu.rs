// Lab 5's GPU benchmarks: the kernels, the trick, GEMV in both layouts and
// the copies, timed on the GPU with CUDA events (`iter_custom`), data kept
// on the GPU. On a machine without one it says why and exits successfully.
//
// `cargo bench -p gpu --bench gpu`, once every exercise up to 8 passes its tests.
// Sizes: the course's 5000 × 5000 × 50, and the original's 5000 × 5000 × 5000
// for the trick; GEMV at 2^20 × 256 (see `main`). Set GPU_BENCH_QUICK=1 for a
// fast smoke run at small sizes.
//
// What each time includes, and what it is compared with:
// - "... into r": the kernels only, writing into an r allocated once outside
//   the timed region (`pairwise_into`, `euclidean_trick_into`; the trick's two
//   short norm vectors still come from the memory pool, a few µs).
// - "euclidean_trick (r from the pool)": the same, plus taking a new r from
//   cudarc's memory pool on each call and returning it, not zeroed. This is
//   the like-for-like figure for CuPy's `sqeuclidean_trick` in
//   solutions/05-gpu/python/cupy_peers.py, which allocates its result and its
//   temporaries from CuPy's caching pool on every call (`cp.empty`-like, no
//   memset). `Gpu::new` keeps freed memory in cudarc's pool across
//   synchronisations (CuPy's pool keeps it too), so after the warm-up neither
//   side maps new memory inside a timed sample.
// Both sides time work on data already on the GPU, between CUDA events, after
// a warm-up; criterion reports a distribution where cupy_peers.py prints the
// best of 5 or 10 runs.
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};

use gpu::emulator::Layout;
use gpu::testing::points;
use gpu::transfers::{HostMemory, gb_per_s, transfer_share};
use gpu::{DeviceMatrix, Gpu, GpuError, Pairwise};

/// Repeats `work` `iters` times between two events: the GPU's time, not the
/// CPU's time to queue the launches.
fn timed(gpu: &Gpu, iters: u64, mut work: impl FnMut(&Gpu) -> Result<(), GpuError>) -> Duration {
    let ((), ms) = gpu
        .time_ms(|gpu| (0..iters).try_for_each(|_| work(gpu)))
        .unwrap_or_else(|error| panic!("{error}"));
    Duration::from_secs_f64(ms / 1e3)
}

/// The trick twice: into a preallocated r (the kernels' time) and with r
/// taken from the pool on each call (CuPy's way).
fn trick_variants(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    gpu: &Gpu,
    x: &DeviceMatrix,
    y: &DeviceMatrix,
) {
    let mut r = gpu.euclidean_trick(x, y, false).unwrap();
    group.bench_function("euclidean_trick_into (cuBLAS) into r", |b| {
        b.iter_custom(|iters| {
            timed(gpu, iters, |gpu| {
                gpu.euclidean_trick_into(x, y, &mut r, false)
            })
        })
    });
    group.bench_function("euclidean_trick (cuBLAS), r from the pool", |b| {
        b.iter_custom(|iters| timed(gpu, iters, |gpu| gpu.euclidean_trick(x, y, false).map(drop)))
    });
}

fn pairwise(c: &mut Criterion, gpu: &Gpu, (n, m, d): (usize, usize, usize)) {
    let (x, y) = (points(n, d, 1), points(m, d, 2));
    let (x, y) = (gpu.upload(x.view()).unwrap(), gpu.upload(y.view()).unwrap());
    let mut r = gpu.pairwise(Pairwise::CityblockNaive, &x, &y).unwrap();
    let mut group = c.benchmark_group(format!("pairwise {n}x{m}x{d}"));
    // Two FP64 operations per (i, j, k): a subtraction, an add (with |.| or a multiply).
    group.throughput(Throughput::Elements((2 * n * m * d) as u64));
    for kernel in Pairwise::ALL {
        group.bench_function(format!("{} into r", kernel.name()), |b| {
            b.iter_custom(|iters| {
                timed(gpu, iters, |gpu| gpu.pairwise_into(kernel, &x, &y, &mut r))
            })
        });
    }
    drop(r);
    trick_variants(&mut group, gpu, &x, &y);
    group.finish();
}

fn trick_large(c: &mut Criterion, gpu: &Gpu, (n, m, d): (usize, usize, usize)) {
    let (x, y) = (points(n, d, 3), points(m, d, 4));
    let (x, y) = (gpu.upload(x.view()).unwrap(), gpu.upload(y.view()).unwrap());
    let mut group = c.benchmark_group(format!("trick {n}x{m}x{d}"));
    group.throughput(Throughput::Elements((2 * n * m * d) as u64));
    group.sample_size(20);
    trick_variants(&mut group, gpu, &x, &y);
    group.finish();
}

fn gemv(c: &mut Criterion, gpu: &Gpu, (rows, cols): (usize, usize)) {
    let a = points(rows, cols, 5);
    let v = points(1, cols, 6).row(0).to_owned();
    let vd = gpu.upload_vector(v.as_slice().unwrap()).unwrap();
    let mut y = gpu.upload_vector(&vec![0.0; rows]).unwrap();
    let mut group = c.benchmark_group(format!("gemv {rows}x{cols}"));
    // The matrix is read once: bytes are what limits a GEMV.
    group.throughput(Throughput::Bytes((rows * cols * 8) as u64));
    for layout in [Layout::RowMajor, Layout::ColMajor] {
        let ad = gpu.upload_layout(a.view(), layout).unwrap();
        group.bench_with_input(
            BenchmarkId::from_parameter(layout.gemv_kernel()),
            &ad,
            |b, ad| b.iter_custom(|iters| timed(gpu, iters, |gpu| gpu.gemv_into(ad, &vd, &mut y))),
        );
    }
    group.finish();
}

/// One-off figures that criterion does not tabulate: the compile cost, the
/// copies' bandwidth, and the share of copies in a whole call.
fn report(gpu: &Gpu, (n, m, d): (usize, usize, usize)) {
    println!("\n## {} — one-off measurements", gpu.name());
    // The code says what the time includes: the driver's compile only for PTX.
    println!(
        "compiling and loading every kernel (NVRTC, first call): {:.1} ms, as {}",
        gpu.compile_time().as_secs_f64() * 1e3,
        gpu.code()
    );
    let len = n * m;
    for memory in [HostMemory::Pageable, HostMemory::Pinned] {
        let best = (0..5)
            .map(|_| gpu.time_transfers(len, memory).unwrap())
            .min_by(|a, b| {
                (a.to_device_ms + a.to_host_ms).total_cmp(&(b.to_device_ms + b.to_host_ms))
            })
            .unwrap();
        println!(
            "copy {:.0} MB {memory:?}: to the GPU {:.2} ms ({:.1} GB/s), back {:.2} ms ({:.1} GB/s)",
            best.bytes as f64 / 1e6,
            best.to_device_ms,
            gb_per_s(best.bytes, best.to_device_ms),
            best.to_host_ms,
            gb_per_s(best.bytes, best.to_host_ms),
        );
    }
    // A whole call from host arrays: copy x and y in, compute, copy r out. The
    // copies include taking x and y from the pool (and zeroing them, which
    // `upload` does: a memset at the GPU's memory bandwidth, small next to a
    // copy over PCIe); the kernel writes into an r allocated once, here.
    let (x, y) = (points(n, d, 7), points(m, d, 8));
    let mut r = {
        let xd = gpu.upload(x.view()).unwrap();
        let yd = gpu.upload(y.view()).unwrap();
        gpu.pairwise(Pairwise::CityblockTiled, &xd, &yd).unwrap()
    };
    let mut best = (f64::INFINITY, 0.0, 0.0);
    for _ in 0..5 {
        let ((xd, yd), upload) = gpu
            .time_ms(|gpu| Ok((gpu.upload(x.view())?, gpu.upload(y.view())?)))
            .unwrap();
        let ((), compute) = gpu
            .time_ms(|gpu| gpu.pairwise_into(Pairwise::CityblockTiled, &xd, &yd, &mut r))
            .unwrap();
        let (_, download) = gpu.time_ms(|gpu| gpu.download(&r)).unwrap();
        let transfer = upload + download;
        if transfer + compute < best.0 + best.1 {
            best = (transfer, compute, transfer + compute);
        }
    }
    println!(
        "cityblock_tiled {n}x{m}x{d} from host arrays: copies {:.2} ms (x and y in, r out) + \
         kernel {:.2} ms (into a preallocated r): copies are {:.0}% of the call",
        best.0,
        best.1,
        100.0 * transfer_share(best.0, best.1)
    );
    if let Ok(Some(bytes)) = gpu.pool_reserved_bytes() {
        println!(
            "memory pool: {:.0} MB kept for reuse between samples",
            bytes as f64 / 1e6
        );
    }
}

fn main() {
    let gpu = match Gpu::new() {
        Ok(gpu) => gpu,
        Err(error) => {
            println!("gpu bench skipped: {error}");
            return;
        }
    };
    let quick = std::env::var_os("GPU_BENCH_QUICK").is_some();
    // GEMV: one thread per row, 256 to a block (`launch::per_row`). An H100 has
    // 132 SMs, each holding at most 2048 threads, 8 such blocks: 1056 blocks at
    // once. A square 10 000 × 10 000 matrix makes 40 blocks, under a thirtieth
    // of that: 40 SMs work, 92 idle, and neither layout can approach the
    // memory's bandwidth. 2^20 rows make 4096 blocks, about 3.9 full waves, so
    // both layouts keep every SM busy and the difference is the layout's; 256
    // columns keep A at 2 GiB (2^20 · 256 · 8 bytes: about 0.6 ms at an H100
    // SXM's 3.35 TB/s, long enough to time). Quick: 2^14 × 64, 64 blocks, a
    // smoke run only.
    let (course, original, gemv_shape) = if quick {
        ((500, 500, 50), (500, 500, 500), (1 << 14, 64))
    } else {
        ((5000, 5000, 50), (5000, 5000, 5000), (1 << 20, 256))
    };
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(if quick { 1 } else { 3 }))
        .configure_from_args();
    println!("GPU: {}", gpu.name());
    pairwise(&mut c, &gpu, course);
    trick_large(&mut c, &gpu, original);
    gemv(&mut c, &gpu, gemv_shape);
    c.final_summary();
    report(&gpu, course);
}
