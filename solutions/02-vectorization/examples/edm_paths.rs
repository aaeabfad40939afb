//! The register-blocked kernel on every instruction path this CPU has, side
//! by side: the forced baseline (SSE2 without FMA, what a default build
//! without run-time dispatch runs: the "forgotten flag"), AVX2 + FMA and
//! AVX-512, at the course's sizes, in the default build. The trick in the
//! kernel (row norms included) and the direct kernel, each into a reused
//! output; within a round each path is timed in turn, `--runs` calls after a
//! warm-up call.
//!
//! ```sh
//! cargo run --release -p vectorization-solution --example edm_paths [-- --json] [--runs N] [--sizes 500x500x500,...]
//! ```
//!
//! With `--json`, every timing as a cell line for `cargo xtask bench --book`.

use std::hint::black_box;

use ndarray::Array2;
use support::simd::Simd;
use vectorization_solution::direct::SqEuclidean;
use vectorization_solution::kernel::pairwise_into_on;
use vectorization_solution::pages::zeroed_matrix;
use vectorization_solution::testing::random_points;
use vectorization_solution::trick::{GramTrick, row_sq_norms};

/// A kernel's name, and a call of it into the output.
type Kernel<'a> = (&'a str, &'a dyn Fn(&mut Array2<f64>));

/// The course's sizes, n × m × d.
const SIZES: &str = "500x500x500,5000x5000x50,10000x10000x3";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let runs = support::cells::count_arg(&args, "--runs", 5);
    for [n, m, d] in support::cells::sizes_arg(&args, SIZES) {
        let size = format!("{n}x{m}x{d}");
        let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
        // On huge pages, as the kernels' own results are.
        let mut out = zeroed_matrix(n, m);
        for simd in Simd::available() {
            let trick = |out: &mut Array2<f64>| {
                let (x2, y2) = (row_sq_norms(x.view()), row_sq_norms(y.view()));
                let (x2, y2) = (x2.as_slice().expect("1-D"), y2.as_slice().expect("1-D"));
                pairwise_into_on::<GramTrick>(simd, x.view(), y.view(), x2, y2, out.view_mut());
            };
            let direct = |out: &mut Array2<f64>| {
                pairwise_into_on::<SqEuclidean>(simd, x.view(), y.view(), &[], &[], out.view_mut());
            };
            let kernels: [Kernel; 2] = [("trick in the kernel", &trick), ("direct", &direct)];
            for (kernel, call) in kernels {
                let seconds = support::cells::timed_runs(runs, || call(black_box(&mut out)));
                let best = seconds.iter().copied().fold(f64::INFINITY, f64::min);
                println!("{size} {kernel} {}: {:.2} ms", simd.name(), best * 1e3);
                if json {
                    let table = "The register-blocked kernel on each instruction path, into a reused output";
                    let row = format!("{kernel}, {}", simd.name());
                    println!("{}", support::cells::line(table, &row, &size, &seconds));
                }
            }
        }
    }
}
