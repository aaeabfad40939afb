//! The original's threads-vs-processes notebook in Rust: the same double
//! loop (the sum of the signed differences over 50 coordinates, for every
//! pair of points), once, then as `tasks` tasks on a graph of threads, and as
//! `tasks` child processes (this program, run again with `--child`).
//!
//! ```sh
//! cargo run --release -p taskgraph-solution --example threads_vs_processes -- [--n 1000] [--tasks 4]
//! ```

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use ndarray::Array2;

use taskgraph_solution::Graph;

/// The notebook's loop: r[i, j] = Σₖ (x[i, k] - y[j, k]).
fn signed_sum_matrix(x: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
    let mut r = Array2::zeros((x.nrows(), y.nrows()));
    for (i, xi) in x.rows().into_iter().enumerate() {
        for (j, yj) in y.rows().into_iter().enumerate() {
            r[[i, j]] = xi.iter().zip(yj).map(|(a, b)| a - b).sum();
        }
    }
    r
}

fn points(n: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, 50), |(i, k)| ((i * 131 + k * 71) % 997) as f64 / 997.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str, default: usize| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|at| args.get(at + 1))
            .map_or(default, |v| v.parse().expect("a number"))
    };
    let (n, tasks) = (value("--n", 1000), value("--tasks", 4));
    let x = points(n);
    if args.iter().any(|a| a == "--child") {
        black_box(signed_sum_matrix(&x, &x));
        return;
    }

    let started = Instant::now();
    black_box(signed_sum_matrix(&x, &x));
    let one = started.elapsed().as_secs_f64();
    println!("one call, {n}x{n}x50: {:.3} s", one);

    let mut graph = Graph::new();
    let shared = std::sync::Arc::new(x);
    let calls: Vec<_> = (0..tasks)
        .map(|_| {
            let x = std::sync::Arc::clone(&shared);
            graph.delayed("signed_sum_matrix", move || signed_sum_matrix(&x, &x).sum())
        })
        .collect();
    let all = graph.delayed_all("all", &calls, |sums| sums.len());
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let started = Instant::now();
    graph.compute_traced(all, threads).expect("the graph runs");
    let took = started.elapsed().as_secs_f64();
    println!(
        "{tasks} calls, graph on {threads} threads: {took:.3} s ({:.2} x one call)",
        took / one
    );

    let me = std::env::current_exe().expect("this program's path");
    let started = Instant::now();
    let children: Vec<_> = (0..tasks)
        .map(|_| {
            Command::new(&me)
                .args(["--child", "--n", &n.to_string()])
                .spawn()
                .expect("a child process")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().expect("the child ends").success());
    }
    let took = started.elapsed().as_secs_f64();
    println!(
        "{tasks} calls, {tasks} processes: {took:.3} s ({:.2} x one call)",
        took / one
    );
}
