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

use parallel_solution::blocked::{Cityblock, pairwise_blocked_on};
use parallel_solution::testing::random_points;
use support::simd::Simd;

/// The course's sizes, n × m × d.
const SIZES: &str = "500x500x500,5000x5000x50,10000x10000x3";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let runs = support::cells::count_arg(&args, "--runs", 5);
    for [n, m, d] in support::cells::sizes_arg(&args, SIZES) {
        let size = format!("{n}x{m}x{d}");
        let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
        for simd in Simd::available() {
            let seconds = support::cells::timed_runs(runs, || {
                black_box(pairwise_blocked_on::<Cityblock>(
                    simd,
                    black_box(x.view()),
                    y.view(),
                ));
            });
            let best = seconds.iter().copied().fold(f64::INFINITY, f64::min);
            println!("{size} {}: {:.2} ms", simd.name(), best * 1e3);
            if json {
                let table = "The blocked Cityblock kernel on each instruction path";
                println!(
                    "{}",
                    support::cells::line(table, simd.name(), &size, &seconds)
                );
            }
        }
    }
}
