//! What every lab's `examples/compare` shares (labs 2 and 3 include this
//! file): the command line, reading the .npy data, timing, and the JSON
//! fields xtask reads. Each lab's main.rs keeps only its variants.

use std::path::PathBuf;
use std::time::Instant;

use ndarray::{Array2, ArrayView2};

use crate::npy;

pub struct Args {
    pub dir: PathBuf,
    pub sizes: Vec<String>,
    pub inner: usize,
    pub side: String,
    /// Only these variants (all when empty).
    pub variants: Vec<String>,
}

impl Args {
    pub fn wants(&self, variant: &str) -> bool {
        self.variants.is_empty() || self.variants.iter().any(|v| v == variant)
    }
}

/// `--dir DIR --sizes NxMxD,... [--inner N] [--side NAME] [--variants a,b]`;
/// `known` are the lab's variant names.
pub fn parse_args(known: &[&str]) -> Result<Args, String> {
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

pub fn parse_size(size: &str) -> Result<(usize, usize, usize), String> {
    let parts: Vec<usize> = size.split('x').filter_map(|p| p.parse().ok()).collect();
    match parts[..] {
        [n, m, d] => Ok((n, m, d)),
        _ => Err(format!("size `{size}`: expected NxMxD, e.g. 2000x2000x50")),
    }
}

/// Times one full-size warm-up call, then the best of `inner` calls:
/// (best seconds, warm-up seconds).
pub fn time<E>(inner: usize, mut call: impl FnMut() -> Result<(), E>) -> Result<(f64, f64), E> {
    let started = Instant::now();
    call()?;
    let warmup = started.elapsed().as_secs_f64();
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

/// What this binary was compiled for and runs with: the "forgot -march" lesson.
pub fn print_info(side: &str) {
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

/// Rust's shortest round-trip form is valid JSON for finite numbers.
pub fn json_number(value: f64) -> String {
    match value.is_finite() {
        true => format!("{value:?}"),
        false => "null".into(),
    }
}
