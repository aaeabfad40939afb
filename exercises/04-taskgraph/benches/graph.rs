// Lab 4's benchmarks: what a task costs the scheduler, and the chunked
// Cityblock graph against one thread and against nested parallelism.
//
// `cargo bench -p taskgraph --bench graph`, once the tests of exercises 1 to 5
// pass (it runs your scheduler, chunked graph and blocked mean).
//
// - overhead: a graph of N tasks that do nothing but return a number, and a
//   sum over them; the time divided by N is the scheduler's cost per task
//   (dask.delayed's is about a hundred microseconds);
// - chunked: Cityblock 2000×2000×50 by chunks of rows on all threads, each
//   task single-threaded (the lab's way), running rayon's parallel kernel
//   (which composes: the same pool), or running a team of threads of its own
//   (OpenMP's way: tasks × threads threads, oversubscribed); against the
//   single-threaded kernel;
// - chunk size: the mean of 10⁷ numbers in 10 000, 100 and 1 chunks.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::Array2;

use taskgraph::Graph;
use taskgraph::blocked::{ChunkGrid, from_fn, mean};
use taskgraph::chunked::{cityblock_chunked, split_rows};
use taskgraph::kernel::{cityblock_parallel, cityblock_serial, cityblock_team};

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool")
}

fn overhead(c: &mut Criterion) {
    let threads = rayon::current_num_threads();
    // Built once: what is timed is the scheduler, not starting threads.
    let pool = pool(threads);
    let mut group = c.benchmark_group("scheduler overhead");
    for tasks in [100_u64, 1000, 10_000] {
        let mut graph = Graph::new();
        let leaves: Vec<_> = (0..tasks)
            .map(|i| graph.delayed("leaf", move || i))
            .collect();
        let sum = graph.delayed_all("sum", &leaves, |v| v.iter().copied().sum::<u64>());
        group.throughput(Throughput::Elements(tasks + 1));
        group.bench_with_input(BenchmarkId::new("tiny tasks", tasks), &graph, |b, graph| {
            b.iter(|| black_box(graph.compute_in(sum, &pool).unwrap()))
        });
    }
    group.finish();
}

fn points(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        ((i as u64 * 2654435761 + j as u64 * 40503 + seed) % 10_000) as f64 / 1000.0
    })
}

/// What each chunk task runs.
#[derive(Clone, Copy)]
enum Inner {
    /// The single-threaded kernel: the lab's way.
    Serial,
    /// rayon's parallel kernel: it runs on the graph's own pool.
    Rayon,
    /// A team of threads of its own per task, as OpenMP would.
    Team,
}

/// The chunked graph with `inner` in every task; returns its last task.
fn chunk_graph(
    x: &Arc<Array2<f64>>,
    y: &Arc<Array2<f64>>,
    chunks: usize,
    inner: Inner,
    threads: usize,
) -> (Graph, taskgraph::Delayed<usize>) {
    let mut graph = Graph::new();
    let pieces: Vec<_> = split_rows(x.nrows(), chunks)
        .unwrap()
        .into_iter()
        .map(|rows| {
            let (x, y) = (Arc::clone(x), Arc::clone(y));
            graph.delayed("chunk", move || {
                let x = x.slice(ndarray::s![rows.clone(), ..]);
                match inner {
                    Inner::Serial => cityblock_serial(x, y.view()),
                    Inner::Rayon => cityblock_parallel(x, y.view()),
                    Inner::Team => cityblock_team(x, y.view(), threads),
                }
            })
        })
        .collect();
    // The pieces, not stacked: the concatenate is timed by the test's graph.
    let all = graph.delayed_all("count", &pieces, |p| p.len());
    (graph, all)
}

fn chunked(c: &mut Criterion) {
    let threads = rayon::current_num_threads();
    let pool = pool(threads);
    let (x, y) = (Arc::new(points(2000, 50, 1)), Arc::new(points(2000, 50, 2)));
    let mut group = c.benchmark_group("cityblock 2000x2000x50");
    group.sample_size(10);
    group.bench_function("serial kernel, one thread", |b| {
        b.iter(|| black_box(cityblock_serial(x.view(), y.view())))
    });
    let cases = [
        ("graph of serial chunks", threads, Inner::Serial),
        ("graph of serial chunks", 4 * threads, Inner::Serial),
        ("graph of serial chunks", 200, Inner::Serial),
        ("graph of rayon-kernel chunks", threads, Inner::Rayon),
        ("graph of team-of-threads chunks", threads, Inner::Team),
    ];
    for (label, chunks, inner) in cases {
        let (graph, all) = chunk_graph(&x, &y, chunks, inner, threads);
        group.bench_function(BenchmarkId::new(label, chunks), |b| {
            b.iter(|| black_box(graph.compute_in(all, &pool).unwrap()))
        });
    }
    group.bench_function(
        BenchmarkId::new("cityblock_chunked with concatenate", threads),
        |b| b.iter(|| black_box(cityblock_chunked(x.view(), y.view(), threads, threads).unwrap())),
    );
    group.finish();
}

/// The notebook's chunk-size pitfall: the mean of 10⁷ numbers in 10 000,
/// 100 or 1 chunks (each chunk is made, then summed, by its own tasks).
fn chunk_size(c: &mut Criterion) {
    let threads = rayon::current_num_threads();
    let pool = pool(threads);
    let mut group = c.benchmark_group("mean of 4000x2500");
    group.sample_size(10);
    group.throughput(Throughput::Elements(10_000_000));
    for chunk in [(40, 25), (400, 250), (4000, 2500)] {
        let grid = ChunkGrid::new((4000, 2500), chunk).unwrap();
        let mut graph = Graph::new();
        let array = from_fn(&mut graph, grid, |i, j| ((i * 31 + j * 17) % 101) as f64);
        let m = mean(&mut graph, &array);
        let (rows, cols) = grid.grid();
        group.bench_function(
            BenchmarkId::new(
                "chunks",
                format!("{}x{} ({} chunks)", chunk.0, chunk.1, rows * cols),
            ),
            |b| b.iter(|| black_box(graph.compute_in(m, &pool).unwrap())),
        );
    }
    group.finish();
}

criterion_group!(benches, overhead, chunked, chunk_size);
criterion_main!(benches);
