//! The original's threads-vs-processes notebook in Rust: the same double
//! loop (the sum of the signed differences over 50 coordinates, for every
//! pair of points), once, then as `tasks` tasks on a graph of threads, and as
//! `tasks` child processes (this program, run again with `--child`).
//!
//! ```sh
//! cargo run --release -p taskgraph-solution --example threads_vs_processes -- [--n 1000] [--tasks 4] [--repeats 1] [--json]
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
    let value = |flag: &str, default: usize| support::cells::count_arg(&args, flag, default);
    let (n, tasks) = (value("--n", 1000), value("--tasks", 4));
    let repeats = value("--repeats", 1).max(1);
    // `--json`: one cell line per timing, for `cargo xtask bench --book`.
    let json = args.iter().any(|a| a == "--json");
    let x = points(n);
    if args.iter().any(|a| a == "--child") {
        black_box(signed_sum_matrix(&x, &x));
        return;
    }
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let shared = std::sync::Arc::new(x);
    let me = std::env::current_exe().expect("this program's path");

    let mut times: [Vec<f64>; 3] = Default::default();
    for _ in 0..repeats {
        let started = Instant::now();
        black_box(signed_sum_matrix(&shared, &shared));
        times[0].push(started.elapsed().as_secs_f64());

        let mut graph = Graph::new();
        let calls: Vec<_> = (0..tasks)
            .map(|_| {
                let x = std::sync::Arc::clone(&shared);
                graph.delayed("signed_sum_matrix", move || signed_sum_matrix(&x, &x).sum())
            })
            .collect();
        let all = graph.delayed_all("all", &calls, |sums| sums.len());
        let started = Instant::now();
        graph.compute_traced(all, threads).expect("the graph runs");
        times[1].push(started.elapsed().as_secs_f64());

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
        times[2].push(started.elapsed().as_secs_f64());
    }
    let one = times[0].iter().copied().fold(f64::INFINITY, f64::min);
    let rows = [
        "one call".to_string(),
        format!("{tasks} calls on threads"),
        format!("{tasks} calls on processes"),
    ];
    for (row, seconds) in rows.iter().zip(&times) {
        let best = seconds.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "{row}, {n}x{n}x50: {best:.3} s ({:.2} x one call)",
            best / one
        );
        if json {
            let table = format!("{tasks} calls on {n}x{n} points of 50 coordinates");
            println!("{}", support::cells::line(&table, row, "Rust", seconds));
        }
    }
}
