//! What every lab's `examples/compare*` shares (labs 2 and 3): the command
//! line, reading the .npy data, timing, and the JSON fields xtask reads. Each
//! lab's main.rs keeps only its variants.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use ndarray::{Array2, ArrayView2};

pub mod npy;

/// The command line of a comparison.
pub struct Args {
    /// Where the lab's Python script wrote the .npy data.
    pub dir: PathBuf,
    /// The sizes to run, each `NxMxD`.
    pub sizes: Vec<String>,
    /// Timed calls per size and variant (the best is kept), at least 1.
    pub inner: usize,
    /// The `side` field of every JSON line (`rust`, or a name for this build).
    pub side: String,
    /// Only these variants (all when empty).
    pub variants: Vec<String>,
}

impl Args {
    /// Whether `--variants` asks for `variant` (every variant when it is absent).
    pub fn wants(&self, variant: &str) -> bool {
        self.variants.is_empty() || self.variants.iter().any(|v| v == variant)
    }
}

/// `--dir DIR --sizes NxMxD,... [--inner N] [--side NAME] [--variants a,b]`;
/// `known` are the lab's variant names.
pub fn parse_args(known: &[&str]) -> Result<Args, String> {
    parse_words(known, std::env::args().skip(1))
}

/// [`parse_args`] of the given words (the command line without the program's name).
pub fn parse_words(
    known: &[&str],
    mut words: impl Iterator<Item = String>,
) -> Result<Args, String> {
    let mut args = Args {
        dir: PathBuf::from("target/compare/data"),
        sizes: vec![],
        inner: 1,
        side: "rust".into(),
        variants: vec![],
    };
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
                    "unknown argument `{flag}`; see the comment at the top of the example's main.rs"
                ));
            }
        }
    }
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

/// x and y of one size, from the files `{stem}_{size}_seed{seed}_{x,y}.npy`
/// that the lab's Python script wrote, checked against the size's shape.
pub fn load(
    args: &Args,
    stem: &str,
    seed: u32,
    size: &str,
) -> Result<(Array2<f64>, Array2<f64>), String> {
    let (n, m, d) = parse_size(size)?;
    let read = |which: &str| {
        npy::read_matrix(
            &args
                .dir
                .join(format!("{stem}_{size}_seed{seed}_{which}.npy")),
        )
    };
    let (x, y) = (read("x")?, read("y")?);
    if x.dim() != (n, d) || y.dim() != (m, d) {
        return Err(format!(
            "{size}: the files hold {:?} and {:?}",
            x.dim(),
            y.dim()
        ));
    }
    Ok((x, y))
}

/// A comparison example's `main`: its arguments read against the `known` variants, then
/// `run`; an error is printed and the process fails.
pub fn main(known: &[&str], run: impl FnOnce(&Args) -> Result<(), String>) -> ExitCode {
    match parse_args(known).and_then(|args| run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `NxMxD` as (n, m, d), none of them zero.
pub fn parse_size(size: &str) -> Result<(usize, usize, usize), String> {
    let parts: Vec<usize> = size.split('x').filter_map(|p| p.parse().ok()).collect();
    match parts[..] {
        [n, m, d] if n * m * d > 0 => Ok((n, m, d)),
        _ => Err(format!("size `{size}`: expected NxMxD, e.g. 2000x2000x50")),
    }
}

/// How long each variant warms up before its timed calls (the speed probes'
/// rule, [`crate::speed::WARMUP_SECONDS`], which says why).
pub use crate::speed::WARMUP_SECONDS;

/// Warms up (the first call timed: the first touch of fresh memory, a JIT's
/// compile; then more calls until [`WARMUP_SECONDS`] have passed), then the
/// best of `inner` calls: (best seconds, first call's seconds).
pub fn time<E>(inner: usize, mut call: impl FnMut() -> Result<(), E>) -> Result<(f64, f64), E> {
    let started = Instant::now();
    call()?;
    let warmup = started.elapsed().as_secs_f64();
    while started.elapsed().as_secs_f64() < WARMUP_SECONDS {
        call()?;
    }
    let mut best = f64::INFINITY;
    for _ in 0..inner {
        let started = Instant::now();
        call()?;
        best = best.min(started.elapsed().as_secs_f64());
    }
    Ok((best, warmup))
}

/// The JSON fields of one measurement of a variant that returns a fresh
/// result: seconds (best of `inner`), warmup_seconds, checksum and samples.
pub fn measure<E>(
    variant: impl Fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, E>,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    inner: usize,
) -> Result<String, E> {
    let mut last = None;
    let (best, warmup) = time(inner, || {
        drop(last.take()); // free the previous result first, as Python does
        last = Some(variant(x, y)?);
        Ok(())
    })?;
    Ok(summary(best, warmup, last.expect("called").view()))
}

/// The JSON fields of a finished measurement: the timings, the result's
/// checksum (the sum of its row sums) and three sample entries.
pub fn summary(best: f64, warmup: f64, r: ArrayView2<f64>) -> String {
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

/// One measurement's JSON line.
pub fn print_measurement(args: &Args, variant: &str, size: &str, fields: &str) {
    println!(
        r#"{{"side":"{}","variant":"{variant}","size":"{size}",{fields}}}"#,
        args.side
    );
}

/// The x86 vector extensions this build was compiled for (`-C target-cpu`, `-C
/// target-feature`): the whole workspace builds with the same flags, so the answer is the
/// caller's too.
pub fn target_features() -> Vec<&'static str> {
    [
        ("sse2", cfg!(target_feature = "sse2")),
        ("sse4.2", cfg!(target_feature = "sse4.2")),
        ("avx", cfg!(target_feature = "avx")),
        ("avx2", cfg!(target_feature = "avx2")),
        ("fma", cfg!(target_feature = "fma")),
        ("avx512f", cfg!(target_feature = "avx512f")),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect()
}

/// What this binary was compiled for and runs with: the "forgot -march" lesson.
pub fn print_info(side: &str) {
    let features = target_features();
    println!(
        r#"{{"side":"{side}","info":{{"target_features":"{}","rayon_threads":{},"optimized":{}}}}}"#,
        features.join(","),
        rayon::current_num_threads(),
        !cfg!(debug_assertions)
    );
}

/// Rust's shortest round-trip form is valid JSON for finite numbers.
pub fn json_number(value: f64) -> String {
    match value.is_finite() {
        true => format!("{value:?}"),
        false => "null".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn words(line: &str) -> impl Iterator<Item = String> {
        line.split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn the_command_line_sets_every_field() {
        let args = parse_words(
            &["loops", "direct"],
            words("--dir d --sizes 2x3x4,5x6x7 --inner 0 --side mine --variants direct"),
        )
        .unwrap();
        assert_eq!(args.dir, PathBuf::from("d"));
        assert_eq!(args.sizes, ["2x3x4", "5x6x7"]);
        assert_eq!(args.inner, 1, "at least one timed call");
        assert_eq!(args.side, "mine");
        assert!(args.wants("direct") && !args.wants("loops"));
    }

    #[test]
    fn bad_command_lines_say_what_is_wrong() {
        let error = |line: &str| parse_words(&["loops"], words(line)).err().unwrap();
        assert!(error("--variants nope --sizes 1x1x1").contains("unknown variant `nope`"));
        assert!(error("").contains("--sizes is required"));
        assert!(error("--dir").contains("--dir needs a value"));
        assert!(error("--frobnicate 1").contains("unknown argument `--frobnicate`"));
        assert_eq!(parse_size("2000x1000x50"), Ok((2000, 1000, 50)));
        assert!(parse_size("2000x1000").is_err());
    }

    #[test]
    fn the_summary_is_json_with_checksum_and_samples() {
        // Samples: the first entry, [n / 2, m / 3] and the last.
        let r = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
        assert_eq!(
            summary(0.5, 1.25, r.view()),
            r#""seconds":0.5,"warmup_seconds":1.25,"checksum":21.0,"samples":[1.0,5.0,6.0]"#
        );
        assert_eq!(json_number(f64::NAN), "null");
    }

    #[test]
    fn a_measurement_warms_up_for_warmup_seconds_then_times_the_best_calls() {
        let started = Instant::now();
        let mut calls = 0;
        let timed = time(3, || {
            calls += 1;
            Ok::<(), ()>(())
        });
        // The warm-up goes on until WARMUP_SECONDS have passed (a fast call is made many
        // times), then the 3 timed calls: no figure is asserted, only the order of things.
        assert!(started.elapsed().as_secs_f64() >= WARMUP_SECONDS);
        assert!(
            calls > 4,
            "the first call, more warm-up calls, then 3 timed ones: {calls}"
        );
        let (best, warmup) = timed.unwrap();
        assert!(best >= 0.0 && warmup >= 0.0);
        // An error stops it at once, warm-up or not.
        let mut calls = 0;
        let failed = time(3, || {
            calls += 1;
            Err::<(), _>("no")
        });
        assert_eq!((failed, calls), (Err("no"), 1));
    }
}
