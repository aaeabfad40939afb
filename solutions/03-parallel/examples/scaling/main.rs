//! The Rust side of `cargo xtask bench --scaling` (lab 3): a scaling study
//! like the ULHPC notebook's table. Every (variant, size, thread count) cell
//! runs in a rayon pool of that many threads, one JSON line each.
//!
//! ```sh
//! cargo run --release -p parallel-solution --example scaling -- \
//!     [--sizes 500x500x500,...] [--threads 1,2,4,8] [--inner N] [--par-rows-max-work W]
//! ```
//!
//! The defaults are the study's full grid (xtask's `scaling/grid.rs` checks
//! they agree with its own). Per cell: one warm-up call (first touch of fresh
//! memory is slow on these VMs), then the best of `--inner` timed calls.

use std::num::NonZeroUsize;
use std::process::ExitCode;

use ndarray::{Array2, ArrayView2};
use parallel_solution::DimensionMismatch;
use parallel_solution::blocked::cityblock_blocked;
use parallel_solution::mt19937::Mt19937;
use parallel_solution::placement::cityblock_par_rows;
use parallel_solution::pool::in_pool;
use support::compare::{json_number, parse_size, target_features, time};

type Variant = fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, DimensionMismatch>;

/// The ULHPC square case at d = 500, and the course's 5000×5000×50.
const SIZES: &[&str] = &[
    "500x500x500",
    "1000x1000x500",
    "2000x2000x500",
    "4000x4000x500",
    "6000x6000x500",
    "10000x10000x500",
    "5000x5000x50",
];

/// par_rows is about 15 times slower than blocked: it runs only up to this much work (n·m·d),
/// or the study would take hours.
const PAR_ROWS_MAX_WORK: usize = 2_000_000_000;

/// The notebook's seed (`np.random.seed(699)`).
const SEED: u32 = 699;

struct Args {
    /// (n, m, d), in the order the table lists them.
    sizes: Vec<(usize, usize, usize)>,
    threads: Vec<NonZeroUsize>,
    inner: usize,
    par_rows_max_work: usize,
}

fn main() -> ExitCode {
    match parse_args().and_then(|args| run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    print_info();
    // The notebook's stream: x, then y, from one generator (all sizes are made up front, so
    // that no thread count pays for them).
    let data: Vec<_> = args
        .sizes
        .iter()
        .map(|&(n, m, d)| {
            let mut rng = Mt19937::new(SEED);
            let x = rng.rand(n, d);
            (x, rng.rand(m, d))
        })
        .collect();
    let variants: [(&str, Variant, usize); 2] = [
        ("blocked", cityblock_blocked, usize::MAX),
        ("par_rows", cityblock_par_rows, args.par_rows_max_work),
    ];
    // Thread counts innermost: the cells of one row are measured one right after the other, so
    // that a machine that gets slower or faster during the run (a shared VM) shifts whole rows,
    // not whole columns, and the speed-ups stay comparable.
    for (&(n, m, d), (x, y)) in args.sizes.iter().zip(&data) {
        for (name, variant, max_work) in variants {
            if n * m * d > max_work {
                continue;
            }
            for &threads in &args.threads {
                let cell = || -> Result<String, String> {
                    if rayon::current_num_threads() != threads.get() {
                        return Err(format!(
                            "asked for {threads} threads, rayon has {}",
                            rayon::current_num_threads()
                        ));
                    }
                    measure(variant, x.view(), y.view(), args.inner)
                        .map_err(|error| format!("{name} at {n}x{m}x{d}: {error}"))
                };
                // A pool of this many threads for this cell (starting one costs microseconds,
                // outside the timed calls).
                let fields = in_pool(threads, cell).map_err(|error| error.to_string())??;
                println!(
                    r#"{{"variant":"{name}","n":{n},"m":{m},"d":{d},"threads":{threads},{fields}}}"#
                );
            }
        }
    }
    Ok(())
}

/// The JSON fields of one cell: seconds (best of `inner`), warmup_seconds, checksum.
fn measure(
    variant: Variant,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    inner: usize,
) -> Result<String, DimensionMismatch> {
    let mut last = None;
    let call = || {
        drop(last.take()); // free the previous result first: one (n, m) result alive at a time
        last = Some(variant(x, y)?);
        Ok::<_, DimensionMismatch>(())
    };
    let (best, warmup) = time(inner, call)?;
    // Row sums, then their sum: xtask checks that every cell of a size agrees.
    let result = last.expect("called");
    let checksum: f64 = result.rows().into_iter().map(|row| row.sum()).sum();
    Ok(format!(
        r#""seconds":{},"warmup_seconds":{},"checksum":{}"#,
        json_number(best),
        json_number(warmup),
        json_number(checksum)
    ))
}

/// What this binary was compiled for (the tile width depends on it) and the core count.
fn print_info() {
    println!(
        r#"{{"info":{{"target_features":"{}","cores":{},"optimized":{}}}}}"#,
        target_features().join(","),
        cores(),
        !cfg!(debug_assertions)
    );
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// 1 to the core count, then 2× and 4× oversubscribed: 1, 2, 4, 8 on two cores.
fn default_threads() -> Vec<NonZeroUsize> {
    let cores = cores();
    (1..=cores)
        .chain([2 * cores, 4 * cores])
        .filter_map(NonZeroUsize::new)
        .collect()
}

fn parse_sizes(text: &str) -> Result<Vec<(usize, usize, usize)>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(parse_size)
        .collect()
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sizes: parse_sizes(&SIZES.join(","))?,
        threads: default_threads(),
        inner: 3,
        par_rows_max_work: PAR_ROWS_MAX_WORK,
    };
    let mut words = std::env::args().skip(1);
    while let Some(flag) = words.next() {
        let mut value = || words.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--sizes" => args.sizes = parse_sizes(&value()?)?,
            "--threads" => {
                args.threads = value()?
                    .split(',')
                    .map(|t| t.trim().parse::<NonZeroUsize>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| "--threads: counts of at least 1, e.g. 1,2,4,8")?;
            }
            "--inner" => {
                args.inner = value()?
                    .parse::<usize>()
                    .map_err(|_| "--inner: a count, at least 1")?
                    .max(1);
            }
            "--par-rows-max-work" => {
                args.par_rows_max_work = value()?
                    .parse()
                    .map_err(|_| "--par-rows-max-work: a number of pair-coordinates n·m·d")?;
            }
            _ => {
                return Err(format!(
                    "unknown argument `{flag}`; see the comment at the top of scaling/main.rs"
                ));
            }
        }
    }
    if args.sizes.is_empty() || args.threads.is_empty() {
        return Err("--sizes and --threads need at least one value each".into());
    }
    Ok(args)
}
