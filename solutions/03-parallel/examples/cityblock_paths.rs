//! The blocked kernel on every instruction path this CPU has, side by side:
//! the forced baseline (SSE2, what a default build without run-time dispatch
//! runs: the "forgotten flag"), AVX2 and AVX-512, at the course's sizes, in
//! the default build. Each path is timed in turn within a round, best of
//! `--runs` calls after a warm-up call.
//!
//! ```sh
//! cargo run --release -p parallel-solution --example cityblock_paths [-- --json] [--runs N] [--sizes 500x500x500,...]
//! ```
//!
//! With `--json`, every timing as a cell line for `cargo xtask bench --book`.

use std::hint::black_box;
use std::time::Instant;

use parallel_solution::blocked::{Cityblock, pairwise_blocked_on};
use parallel_solution::testing::random_points;
use support::simd::Simd;

/// The course's sizes, n × m × d.
const SIZES: &str = "500x500x500,5000x5000x50,10000x10000x3";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let runs = support::cells::count_arg(&args, "--runs", 5);
    let sizes = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|at| args.get(at + 1))
        .map_or(SIZES, String::as_str);
    for size in sizes.split(',') {
        let dims: Vec<usize> = size
            .split('x')
            .map(|v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("--sizes: {size} is not NxMxD"))
            })
            .collect();
        let [n, m, d] = dims[..] else {
            panic!("--sizes: {size} is not NxMxD");
        };
        let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
        for simd in Simd::available() {
            let call = || pairwise_blocked_on::<Cityblock>(simd, black_box(x.view()), y.view());
            black_box(call());
            let seconds: Vec<f64> = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    black_box(call());
                    start.elapsed().as_secs_f64()
                })
                .collect();
            let best = seconds.iter().copied().fold(f64::INFINITY, f64::min);
            println!("{size} {}: {:.2} ms", simd.name(), best * 1e3);
            if json {
                let table = "The blocked Cityblock kernel on each instruction path";
                println!(
                    "{}",
                    support::cells::line(table, size, simd.name(), &seconds)
                );
            }
        }
    }
}
