//! The speed probes of the exercises whose speed counts (lab.toml `[speed]`): each lab's
//! `benches/speed.rs` names its kernel and its distance, and this does the rest. The command
//! line is `--size NxMxD [--inner K]` (cargo's own `--bench` is ignored); the output is one
//! JSON line, `{"exercise":…,"size":…,"seconds":<best of K>,"threads":…}`, that `cargo xtask
//! speed` (students) and `cargo xtask grade` (against the reference) read.
//!
//! Before it times anything, the probe compares 64 entries of the kernel's result, spread over
//! the matrix, with the distance computed here: a fast kernel that is wrong at the timed size
//! is reported (exit status 1), never timed.

use std::fmt::Display;
use std::process::ExitCode;
use std::time::Instant;

use ndarray::{Array2, ArrayView1, ArrayView2};

use crate::testing::random_points;

/// How long a kernel runs untimed before its timed calls, at least one call (the speed probes,
/// `compare`'s comparisons, and `course_peers.py` and `peers_harness.py` on the Python side).
/// One call was not enough for the small sizes: in a fresh process the first several
/// 500×500×500 calls of a 2 ms kernel ran twice as slow (the threads and the CPU settle), and
/// the medians of the rounds spread by up to 50 %.
pub const WARMUP_SECONDS: f64 = 0.2;
/// Entries of the result checked before timing.
const CHECKED: usize = 64;

/// One exercise's probe: its name, its kernel, the distance of one pair of points (the
/// reference for the check), and the command that runs its tests (named when the check fails).
pub struct Probe<K, E>
where
    K: Fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, E>,
{
    pub exercise: &'static str,
    pub kernel: K,
    pub distance: fn(ArrayView1<f64>, ArrayView1<f64>) -> f64,
    pub tests: &'static str,
}

impl<K, E> Probe<K, E>
where
    K: Fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, E>,
    E: Display,
{
    /// The bench's `main`: runs the probe on the process's arguments, prints its JSON line or
    /// its error.
    pub fn main(&self) -> ExitCode {
        let args: Vec<String> = std::env::args().collect();
        match self.run(&args) {
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

    /// Parses the arguments, checks, times, and returns the JSON line.
    pub fn run(&self, args: &[String]) -> Result<String, String> {
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
        let call = || (self.kernel)(x.view(), y.view()).map_err(|error| error.to_string());
        self.check(x.view(), y.view(), &call()?)?;
        let started = Instant::now();
        while started.elapsed().as_secs_f64() < WARMUP_SECONDS {
            drop(call()?);
        }
        let mut best = f64::INFINITY;
        for _ in 0..inner.max(1) {
            let started = Instant::now();
            let r = call()?;
            best = best.min(started.elapsed().as_secs_f64());
            drop(r);
        }
        let threads = std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        Ok(format!(
            "{{\"exercise\":\"{}\",\"size\":\"{size}\",\"seconds\":{best:e},\"threads\":{threads}}}",
            self.exercise
        ))
    }

    /// Compares [`CHECKED`] entries of `r`, spread over the matrix, with `distance`.
    fn check(&self, x: ArrayView2<f64>, y: ArrayView2<f64>, r: &Array2<f64>) -> Result<(), String> {
        let (n, m) = (x.nrows(), y.nrows());
        if r.dim() != (n, m) {
            return Err(format!(
                "the result is {:?}, not {n}×{m}: not timed",
                r.dim()
            ));
        }
        if n == 0 || m == 0 {
            return Ok(());
        }
        for s in 0..CHECKED {
            let (i, j) = (s * 7919 % n, s * 104_729 % m);
            let (got, want) = (r[(i, j)], (self.distance)(x.row(i), y.row(j)));
            // A NaN fails too: it is never within the tolerance.
            let close = (got - want).abs() <= 1e-9 * (1.0 + want.abs());
            if !close {
                return Err(format!(
                    "r[{i}, {j}] is {got}, expected {want}: a wrong result is not timed (run \
                     `{}`)",
                    self.tests
                ));
            }
        }
        Ok(())
    }
}

/// Σₖ |aₖ − bₖ|.
pub fn cityblock(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q).abs()).sum()
}

/// Σₖ (aₖ − bₖ)².
pub fn sq_euclidean(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn plain(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<Array2<f64>, String> {
        Ok(Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
            cityblock(x.row(i), y.row(j))
        }))
    }

    fn wrong(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<Array2<f64>, String> {
        Ok(plain(x, y)? * 1.001)
    }

    #[test]
    fn a_right_kernel_is_timed_and_a_wrong_one_is_not() {
        let probe = Probe {
            exercise: "blocked",
            kernel: plain,
            distance: cityblock,
            tests: "cargo test",
        };
        let line = probe
            .run(&args("speed --size 30x20x4 --inner 2 --bench"))
            .unwrap();
        assert!(
            line.starts_with(r#"{"exercise":"blocked","size":"30x20x4","seconds":"#),
            "{line}"
        );
        let wrong = Probe {
            exercise: "blocked",
            kernel: wrong,
            distance: cityblock,
            tests: "cargo test",
        };
        let error = wrong.run(&args("speed --size 30x20x4")).unwrap_err();
        assert!(
            error.contains("a wrong result is not timed (run `cargo test`)"),
            "{error}"
        );
        assert!(probe.run(&args("speed --size 30x20")).is_err());
        assert!(probe.run(&args("speed")).is_err());
    }
}
