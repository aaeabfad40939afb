// The speed probe of exercise `blocked` (given code; lab.toml `[speed.blocked]`): times
// `cityblock_blocked` at one size and prints one JSON line. `cargo xtask speed parallel` runs
// it several times on your code (and `cargo xtask grade` on yours and on the reference, turn
// about); by hand:
//
// ```sh
// cargo bench -p parallel --no-default-features --bench speed -- --size 2000x2000x50 --inner 3
// ```
//
// Before timing, it checks 64 entries of the result against sums written out here: a fast
// kernel that is wrong at this size is reported, not timed. Threads: RAYON_NUM_THREADS, or
// every core.

use std::process::ExitCode;
use std::time::Instant;

use ndarray::{Array2, ArrayView2};
use parallel::blocked::cityblock_blocked;
use support::testing::random_points;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match probe(&args) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("speed probe: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Parses `--size NxMxD` and `--inner K` (cargo's own `--bench` is ignored), times the kernel,
/// and returns the JSON line.
fn probe(args: &[String]) -> Result<String, String> {
    let value = |flag: &str| {
        args.iter()
            .position(|arg| arg == flag)
            .and_then(|at| args.get(at + 1))
    };
    let size = value("--size").ok_or("--size NxMxD is required")?;
    let parts: Vec<usize> = size.split('x').filter_map(|p| p.parse().ok()).collect();
    let [n, m, d] = parts[..] else {
        return Err(format!("--size {size}: expected NxMxD, e.g. 2000x2000x50"));
    };
    let inner: usize = match value("--inner") {
        Some(text) => text
            .parse()
            .map_err(|_| format!("--inner {text}: a count"))?,
        None => 3,
    };
    let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
    let run = || cityblock_blocked(x.view(), y.view()).map_err(|error| error.to_string());
    check_samples(x.view(), y.view(), &run()?)?;
    // Warm up (threads, the first touch of fresh memory) for 0.2 s, then the best of `inner`.
    let started = Instant::now();
    while started.elapsed().as_secs_f64() < 0.2 {
        drop(run()?);
    }
    let mut best = f64::INFINITY;
    for _ in 0..inner.max(1) {
        let started = Instant::now();
        let r = run()?;
        best = best.min(started.elapsed().as_secs_f64());
        drop(r);
    }
    let threads = rayon::current_num_threads();
    Ok(format!(
        "{{\"exercise\":\"blocked\",\"size\":\"{size}\",\"seconds\":{best:e},\"threads\":{threads}}}"
    ))
}

/// Compares 64 entries of `r`, spread over the matrix, with sums written out here.
fn check_samples(x: ArrayView2<f64>, y: ArrayView2<f64>, r: &Array2<f64>) -> Result<(), String> {
    let (n, m) = (x.nrows(), y.nrows());
    if r.dim() != (n, m) {
        return Err(format!(
            "the result is {:?}, not {n}×{m}: it is not timed",
            r.dim()
        ));
    }
    for s in 0..64 {
        let (i, j) = (s * 7919 % n.max(1), s * 104_729 % m.max(1));
        if n == 0 || m == 0 {
            break;
        }
        let want: f64 = x
            .row(i)
            .iter()
            .zip(y.row(j))
            .map(|(a, b)| (a - b).abs())
            .sum();
        let got = r[(i, j)];
        if (got - want).abs() > 1e-9 * (1.0 + want.abs()) {
            return Err(format!(
                "r[{i}, {j}] is {got}, expected {want}: a wrong result is not timed (run \
                 `cargo test -p parallel --test blocked`)"
            ));
        }
    }
    Ok(())
}
