//! The Rust side of `cargo xtask bench --compare python --lab parallel`
//! (lab 3): the solution's Cityblock variants, timed as
//! `python/cityblock_peers.py` times the course's Python, on the same data
//! (the .npy files it wrote), one JSON line each.
//!
//! ```sh
//! cargo run --release -p parallel-solution --example compare -- \
//!     --dir target/compare/data --sizes 2000x2000x50 [--inner N] [--side NAME]
//! ```
//!
//! Per size and variant: one full-size warm-up call (first touch of fresh
//! memory is slow on these VMs), then the best of `--inner` timed calls.
//! Threads: RAYON_NUM_THREADS, set by xtask.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ndarray::{Array2, ArrayView2};
use parallel_solution::DimensionMismatch;
use parallel_solution::blocked::cityblock_blocked;
use parallel_solution::placement::{cityblock_par_columns, cityblock_par_rows};
use parallel_solution::pool::cityblock_join;
use parallel_solution::serial::cityblock_iter;

mod npy;

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

struct Args {
    dir: PathBuf,
    sizes: Vec<String>,
    inner: usize,
    side: String,
    variants: Vec<String>,
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
    print_info(&args.side);
    for size in &args.sizes {
        let (n, m, d) = parse_size(size)?;
        let (x, y) = load(&args.dir, size)?;
        if x.dim() != (n, d) || y.dim() != (m, d) {
            return Err(format!(
                "{size}: the files hold {:?} and {:?}",
                x.dim(),
                y.dim()
            ));
        }
        for (name, variant, max_work) in VARIANTS {
            let wanted = args.variants.is_empty() || args.variants.iter().any(|v| v == name);
            if !wanted || n * m * d > max_work {
                continue;
            }
            let line = measure(variant, x.view(), y.view(), args.inner)
                .map_err(|error| format!("{name} at {size}: {error}"))?;
            println!(
                r#"{{"side":"{}","variant":"{name}","size":"{size}",{line}}}"#,
                args.side
            );
        }
    }
    Ok(())
}

/// The JSON fields of one measurement: seconds (best of `inner`),
/// warmup_seconds, checksum and samples.
fn measure(
    variant: Variant,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    inner: usize,
) -> Result<String, DimensionMismatch> {
    let mut last = None;
    let mut call = || {
        drop(last.take()); // free the previous result first, as Python does
        last = Some(variant(x, y)?);
        Ok::<_, DimensionMismatch>(())
    };
    let started = Instant::now();
    call()?;
    let warmup = started.elapsed().as_secs_f64();
    let mut best = f64::INFINITY;
    for _ in 0..inner {
        let started = Instant::now();
        call()?;
        best = best.min(started.elapsed().as_secs_f64());
    }
    Ok(summary(best, warmup, last.expect("called").view()))
}

fn summary(best: f64, warmup: f64, r: ArrayView2<f64>) -> String {
    // Row sums, then their sum: the same order as the Python side.
    let checksum: f64 = r.rows().into_iter().map(|row| row.sum()).sum();
    let (n, m) = r.dim();
    let samples = match n * m {
        0 => vec![],
        _ => vec![r[(0, 0)], r[(n / 2, m / 3)], r[(n - 1, m - 1)]],
    };
    let samples: Vec<String> = samples.into_iter().map(json_number).collect();
    format!(
        r#""seconds":{},"warmup_seconds":{},"checksum":{},"samples":[{}]"#,
        json_number(best),
        json_number(warmup),
        json_number(checksum),
        samples.join(",")
    )
}

/// What this binary was compiled for and runs with: the "forgot -march" lesson.
fn print_info(side: &str) {
    let features: Vec<&str> = [
        ("sse2", cfg!(target_feature = "sse2")),
        ("sse4.2", cfg!(target_feature = "sse4.2")),
        ("avx", cfg!(target_feature = "avx")),
        ("avx2", cfg!(target_feature = "avx2")),
        ("fma", cfg!(target_feature = "fma")),
        ("avx512f", cfg!(target_feature = "avx512f")),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect();
    println!(
        r#"{{"side":"{side}","info":{{"target_features":"{}","rayon_threads":{},"optimized":{}}}}}"#,
        features.join(","),
        rayon::current_num_threads(),
        !cfg!(debug_assertions)
    );
}

fn load(dir: &Path, size: &str) -> Result<(Array2<f64>, Array2<f64>), String> {
    let stem = format!("cityblock_{size}_seed{SEED}");
    let read = |which: &str| npy::read_matrix(&dir.join(format!("{stem}_{which}.npy")));
    Ok((read("x")?, read("y")?))
}

fn parse_size(size: &str) -> Result<(usize, usize, usize), String> {
    let parts: Vec<usize> = size.split('x').filter_map(|p| p.parse().ok()).collect();
    match parts[..] {
        [n, m, d] => Ok((n, m, d)),
        _ => Err(format!("size `{size}`: expected NxMxD, e.g. 2000x2000x50")),
    }
}

/// Rust's shortest round-trip form is valid JSON for finite numbers.
fn json_number(value: f64) -> String {
    match value.is_finite() {
        true => format!("{value:?}"),
        false => "null".into(),
    }
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        dir: PathBuf::from("target/compare/data"),
        sizes: vec![],
        inner: 1,
        side: "rust".into(),
        variants: vec![],
    };
    let mut words = std::env::args().skip(1);
    while let Some(flag) = words.next() {
        let mut value = || words.next().ok_or(format!("{flag} needs a value"));
        let list = |text: String| {
            text.split(',')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        };
        match flag.as_str() {
            "--dir" => args.dir = value()?.into(),
            "--sizes" => args.sizes = list(value()?),
            "--inner" => {
                args.inner = value()?
                    .parse()
                    .map_err(|_| "--inner: a count, at least 1")?;
                args.inner = args.inner.max(1);
            }
            "--side" => args.side = value()?,
            "--variants" => args.variants = list(value()?),
            _ => {
                return Err(format!(
                    "unknown argument `{flag}`; see the comment at the top of compare/main.rs"
                ));
            }
        }
    }
    let known: Vec<&str> = VARIANTS.iter().map(|(name, ..)| *name).collect();
    if let Some(unknown) = args.variants.iter().find(|v| !known.contains(&v.as_str())) {
        return Err(format!(
            "unknown variant `{unknown}`; known: {}",
            known.join(", ")
        ));
    }
    if args.sizes.is_empty() {
        return Err("--sizes is required, e.g. --sizes 2000x2000x50,5000x5000x50".into());
    }
    Ok(args)
}
