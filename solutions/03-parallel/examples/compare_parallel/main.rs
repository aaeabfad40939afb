//! The Rust side of `cargo xtask bench --compare python --lab parallel`
//! (lab 3): the solution's Cityblock variants, timed as
//! `python/cityblock_peers.py` times the course's Python, on the same data
//! (the .npy files it wrote), one JSON line each.
//!
//! ```sh
//! cargo run --release -p parallel-solution --example compare_parallel -- \
//!     --dir target/compare/data --sizes 2000x2000x50 [--inner N] [--side NAME]
//! ```
//!
//! Per size and variant: one full-size warm-up call (first touch of fresh
//! memory is slow on these VMs), then the best of `--inner` timed calls.
//! Threads: RAYON_NUM_THREADS, set by xtask.

use std::process::ExitCode;

use ndarray::{Array2, ArrayView2};
use parallel_solution::DimensionMismatch;
use parallel_solution::blocked::cityblock_blocked;
use parallel_solution::placement::{cityblock_par_columns, cityblock_par_rows};
use parallel_solution::pool::cityblock_join;
use parallel_solution::serial::cityblock_iter;

// The command line, data, timing and JSON fields: one harness for every lab's comparison.
use support::compare::{self as harness, Args, measure, print_measurement};

type Variant = fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, DimensionMismatch>;

/// The serial variant runs only up to this much work (n·m·d, 2000×2000×50),
/// as the Python side's serial ones.
const SERIAL_MAX_WORK: usize = 2000 * 2000 * 50;

/// (name, function, the most work n·m·d it is run at).
const VARIANTS: [(&str, Variant, usize); 5] = [
    ("iter", cityblock_iter, SERIAL_MAX_WORK),
    ("par_rows", cityblock_par_rows, usize::MAX),
    ("par_columns", cityblock_par_columns, usize::MAX),
    ("join", cityblock_join, usize::MAX),
    ("blocked", cityblock_blocked, usize::MAX),
];

/// cityblock_peers.py's seed; part of the data files' names.
const SEED: u32 = 699;

fn main() -> ExitCode {
    let known: Vec<&str> = VARIANTS.iter().map(|(name, ..)| *name).collect();
    harness::main(&known, run)
}

fn run(args: &Args) -> Result<(), String> {
    harness::print_info(&args.side);
    for size in &args.sizes {
        let (n, m, d) = harness::parse_size(size)?;
        let (x, y) = harness::load(args, "cityblock", SEED, size)?;
        for (name, variant, max_work) in VARIANTS {
            if !args.wants(name) || n * m * d > max_work {
                continue;
            }
            let fields = measure(variant, x.view(), y.view(), args.inner)
                .map_err(|error| format!("{name} at {size}: {error}"))?;
            print_measurement(args, name, size, &fields);
        }
    }
    Ok(())
}
