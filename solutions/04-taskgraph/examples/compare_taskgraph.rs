//! Lab 4's comparison command, two tables for the chapter:
//! 1. the scheduler's cost per task against `dask.delayed`'s: the bench's
//!    graph (N leaves and a sum), built and computed, Rust and then
//!    `python/dask_overhead.py` in each round, best of all rounds;
//! 2. the chunked Cityblock graph against lab 3's kernel: what the graph
//!    costs around a fast kernel, and what the kernel inside it is worth.
//!
//! ```sh
//! cargo run --release -p taskgraph-solution --example compare_taskgraph -- \
//!     [--python .venv/bin/python] [--rounds 3] [--threads 2] [--sizes 100,1000,10000] [--json]
//! ```
//!
//! With `--json`, every round's times as cell lines for `cargo xtask bench --book`, which
//! gives each cell its best, median and spread.
//!
//! The Python side needs dask in the venv:
//! `.venv/bin/python -m pip install -r solutions/04-taskgraph/python/requirements.txt`.

use std::hint::black_box;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use ndarray::{Array2, ArrayView2, Axis, concatenate, s};

use parallel_solution::blocked::cityblock_blocked;
use taskgraph_solution::chunked::{cityblock_chunked, split_rows};
use taskgraph_solution::kernel::cityblock_serial;
use taskgraph_solution::{Delayed, Graph};

const SIZES: [u64; 3] = [100, 1000, 10_000];

struct Options {
    python: String,
    rounds: usize,
    threads: usize,
    sizes: Vec<u64>,
    json: bool,
}

/// Every round's time of each cell, in the order first measured: (table, row, column, seconds).
#[derive(Default)]
struct Cells(Vec<(String, String, String, Vec<f64>)>);

impl Cells {
    fn add(&mut self, table: &str, row: &str, column: &str, seconds: f64) {
        let key = |c: &&mut (String, String, String, Vec<f64>)| {
            c.0 == table && c.1 == row && c.2 == column
        };
        match self.0.iter_mut().find(key) {
            Some(cell) => cell.3.push(seconds),
            None => self
                .0
                .push((table.into(), row.into(), column.into(), vec![seconds])),
        }
    }

    /// One JSON line per cell.
    fn print(&self) {
        for (table, row, column, seconds) in &self.0 {
            println!("{}", support::cells::line(table, row, column, seconds));
        }
    }
}

const OVERHEAD_TABLE: &str = "The scheduler's cost: N leaves and their sum";

fn main() {
    let options = parse();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .expect("a pool");
    println!("{}, {} threads\n", machine(), options.threads);

    // Best (build, compute) per size, for Rust and for dask; every round's in `cells`.
    let sizes = &options.sizes;
    let mut rust = vec![(f64::INFINITY, f64::INFINITY); sizes.len()];
    let mut dask = rust.clone();
    let mut dask_version = String::from("?");
    let mut cells = Cells::default();
    for round in 0..options.rounds {
        eprintln!("round {} of {}", round + 1, options.rounds);
        for (best, &tasks) in rust.iter_mut().zip(sizes) {
            let (build, compute) = rust_overhead(tasks, &pool);
            *best = (best.0.min(build), best.1.min(compute));
            let row = format!("{tasks} tasks");
            cells.add(OVERHEAD_TABLE, &row, "Rust build", build);
            cells.add(OVERHEAD_TABLE, &row, "Rust compute", compute);
        }
        for (tasks, build, compute, version) in python_overhead(&options) {
            let i = sizes
                .iter()
                .position(|&s| s == tasks)
                .expect("a size we asked for");
            dask[i] = (dask[i].0.min(build), dask[i].1.min(compute));
            let row = format!("{tasks} tasks");
            cells.add(
                OVERHEAD_TABLE,
                &row,
                &format!("dask {version} build"),
                build,
            );
            cells.add(
                OVERHEAD_TABLE,
                &row,
                &format!("dask {version} compute"),
                compute,
            );
            dask_version = version;
        }
    }
    println!(
        "| tasks | Rust build | Rust compute | per task | dask {dask_version} build | dask compute | per task | compute ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for ((&tasks, r), d) in sizes.iter().zip(&rust).zip(&dask) {
        let per = |t: f64| format!("{:.2} µs", t / (tasks + 1) as f64 * 1e6);
        println!(
            "| {tasks} | {} | {} | {} | {} | {} | {} | {:.0} × |",
            time(r.0),
            time(r.1),
            per(r.1),
            time(d.0),
            time(d.1),
            per(d.1),
            d.1 / r.1
        );
    }

    chunked_against_lab3(&pool, options.rounds.max(3), &mut cells);
    if options.json {
        cells.print();
    }
}

/// The bench's graph: `tasks` leaves returning a number, and their sum.
fn rust_overhead(tasks: u64, pool: &rayon::ThreadPool) -> (f64, f64) {
    let build = || {
        let mut graph = Graph::new();
        let leaves: Vec<Delayed<u64>> = (0..tasks)
            .map(|i| graph.delayed("leaf", move || i))
            .collect();
        let sum = graph.delayed_all("sum", &leaves, |v| v.iter().copied().sum::<u64>());
        (graph, sum)
    };
    let repeats = if tasks >= 10_000 { 10 } else { 50 };
    let built = best_of(repeats, || {
        black_box(build());
    });
    let (graph, sum) = build();
    let (total, _) = graph.compute_in(sum, pool).expect("the graph runs");
    assert_eq!(*total, tasks * (tasks - 1) / 2);
    let computed = best_of(repeats, || {
        black_box(graph.compute_in(sum, pool).expect("the graph runs"));
    });
    (built, computed)
}

/// (tasks, build s, compute s, dask version) from the Python script.
fn python_overhead(options: &Options) -> Vec<(u64, f64, f64, String)> {
    let sizes: Vec<String> = options.sizes.iter().map(u64::to_string).collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/dask_overhead.py");
    let out = Command::new(&options.python)
        .arg(script)
        .args(["--threads", &options.threads.to_string()])
        .args(["--sizes", &sizes.join(",")])
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", options.python));
    assert!(
        out.status.success(),
        "{script} failed (is dask in the venv? pip install -r \
         solutions/04-taskgraph/python/requirements.txt):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let field = |key: &str| -> &str {
                let start = line.find(&format!("\"{key}\": ")).expect(key) + key.len() + 4;
                line[start..].split([',', '}']).next().expect(key).trim()
            };
            (
                field("tasks").parse().expect("tasks"),
                field("build_s").parse().expect("build_s"),
                field("compute_s").parse().expect("compute_s"),
                field("dask").trim_matches('"').to_string(),
            )
        })
        .collect()
}

/// Cityblock 2000×2000×50 by one thread, by the chunked graph with this
/// lab's kernel and with lab 3's in its tasks, and by lab 3's kernel alone.
fn chunked_against_lab3(pool: &rayon::ThreadPool, rounds: usize, cells: &mut Cells) {
    let (x, y) = (points(2000, 50, 1), points(2000, 50, 2));
    let threads = pool.current_num_threads();
    let expected = cityblock_serial(x.view(), y.view());
    type Variant<'a> = (&'a str, Box<dyn Fn() -> Array2<f64> + 'a>);
    let variants: Vec<Variant> = vec![
        (
            "this lab's kernel, one thread",
            Box::new(|| cityblock_serial(x.view(), y.view())),
        ),
        (
            "the graph, this lab's kernel in each task",
            Box::new(|| cityblock_chunked(x.view(), y.view(), threads, threads).expect("runs")),
        ),
        (
            "the graph, lab 3's blocked kernel in each task",
            Box::new(|| chunked_lab3(x.view(), y.view(), threads, pool)),
        ),
        (
            "lab 3's blocked kernel alone",
            Box::new(|| pool.install(|| cityblock_blocked(x.view(), y.view()).expect("same d"))),
        ),
    ];
    for (name, run) in &variants {
        let r = run();
        let close = r
            .iter()
            .zip(&expected)
            .all(|(a, b)| (a - b).abs() <= 1e-9 * b.abs().max(1.0));
        assert!(close, "{name} disagrees with the serial kernel");
    }
    let mut best = vec![f64::INFINITY; variants.len()];
    let table = format!("Cityblock 2000x2000x50, {threads} chunks on {threads} threads");
    for _ in 0..rounds {
        for (b, (name, run)) in best.iter_mut().zip(&variants) {
            let took = best_of(3, || {
                black_box(run());
            });
            *b = b.min(took);
            cells.add(&table, name, "time (best of 3 calls)", took);
        }
    }
    println!("\nCityblock 2000×2000×50, {threads} chunks on {threads} threads:\n");
    println!("| | time | against one thread |");
    println!("|---|---|---|");
    for ((name, _), b) in variants.iter().zip(&best) {
        println!("| {name} | {} | {:.2} × |", time(*b), best[0] / b);
    }
}

/// The chunked graph of exercise 4 with lab 3's kernel in its tasks. That
/// kernel is parallel with rayon: inside a task it runs on the graph's pool.
fn chunked_lab3(
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    chunks: usize,
    pool: &rayon::ThreadPool,
) -> Array2<f64> {
    let (x, y) = (Arc::new(x.to_owned()), Arc::new(y.to_owned()));
    let mut graph = Graph::new();
    let pieces: Vec<Delayed<Array2<f64>>> = split_rows(x.nrows(), chunks)
        .expect("at least one chunk")
        .into_iter()
        .map(|rows| {
            let (x, y) = (Arc::clone(&x), Arc::clone(&y));
            graph.delayed("lab 3 kernel", move || {
                cityblock_blocked(x.slice(s![rows.clone(), ..]), y.view()).expect("same d")
            })
        })
        .collect();
    let r = graph.delayed_all("concatenate", &pieces, |pieces| {
        let views: Vec<ArrayView2<f64>> = pieces.iter().map(|p| p.view()).collect();
        concatenate(Axis(0), &views).expect("same columns")
    });
    let (r, _) = graph.compute_in(r, pool).expect("the graph runs");
    Arc::unwrap_or_clone(r)
}

fn points(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        ((i as u64 * 2654435761 + j as u64 * 40503 + seed) % 10_000) as f64 / 1000.0
    })
}

fn best_of(repeats: usize, mut run: impl FnMut()) -> f64 {
    (0..repeats)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn time(seconds: f64) -> String {
    match seconds {
        s if s >= 1.0 => format!("{s:.2} s"),
        s if s >= 1e-3 => format!("{:.1} ms", s * 1e3),
        s => format!("{:.0} µs", s * 1e6),
    }
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{model}, {cores} CPUs")
}

fn parse() -> Options {
    let mut options = Options {
        python: ".venv/bin/python".into(),
        rounds: 3,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        sizes: SIZES.to_vec(),
        json: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--python" => options.python = value(),
            "--rounds" => options.rounds = value().parse().expect("--rounds N"),
            "--threads" => options.threads = value().parse().expect("--threads N"),
            "--sizes" => {
                options.sizes = value()
                    .split(',')
                    .map(|s| s.parse().expect("--sizes N,N,…"))
                    .collect()
            }
            "--json" => options.json = true,
            other => panic!(
                "unknown argument {other}: --python PATH, --rounds N, --threads N, --sizes N,…, --json"
            ),
        }
    }
    options
}
