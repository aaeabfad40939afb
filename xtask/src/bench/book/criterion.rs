//! Driving a lab's criterion bench and reading its samples back: criterion writes every
//! benchmark's raw samples (`<CRITERION_HOME>/<group>/<id>/new/sample.json`, iteration counts
//! and total times) and its names (`benchmark.json`); each run gets a fresh CRITERION_HOME so
//! nothing stale is read.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::super::{RUST_MALLOC, THREAD_VARIABLES, binaries};
use crate::cargo;

/// One build and environment the bench runs in: a column of the table (or a table).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub label: &'static str,
    /// `-C target-cpu=native`, in the native build's own target dir.
    pub native: bool,
    /// `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`: huge pages for the large allocations.
    pub huge_pages: bool,
}

/// The samples of one benchmark of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    pub group: String,
    /// The function id within the group (`direct`, `reused_buffer/strided_copy`).
    pub id: String,
    /// Seconds per iteration, one per criterion sample.
    pub seconds: Vec<f64>,
}

#[derive(Deserialize)]
struct BenchmarkJson {
    full_id: String,
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
}

#[derive(Deserialize)]
struct SampleJson {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// `cargo bench -p package --bench bench -- filter [extra…]` in `config`; `env` is added (a
/// bench's own size knob). Returns every benchmark's samples.
#[allow(clippy::too_many_arguments)]
pub fn run(
    root: &Path,
    package: &str,
    bench: &str,
    filter: &str,
    extra: &[&str],
    env: &[(&str, String)],
    config: Config,
    home: &Path,
) -> Result<Vec<Samples>> {
    if home.exists() {
        fs::remove_dir_all(home).with_context(|| format!("clearing {}", home.display()))?;
    }
    fs::create_dir_all(home)?;
    let mut command = cargo::command(root);
    command
        .args(["bench", "--package", package, "--bench", bench, "--"])
        .arg(filter)
        .args(["--noplot"])
        .args(extra)
        .env("CRITERION_HOME", home)
        .stderr(Stdio::inherit());
    // Every thread knob at the number of cores, as the header says.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for variable in THREAD_VARIABLES {
        command.env(variable, cores.to_string());
    }
    for (key, value) in env {
        command.env(key, value);
    }
    if config.native {
        command
            .env("CARGO_TARGET_DIR", root.join(binaries::NATIVE_TARGET_DIR))
            .env("RUSTFLAGS", "-C target-cpu=native")
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
    }
    if config.huge_pages {
        command.env(RUST_MALLOC.0, RUST_MALLOC.1);
    }
    println!(
        "  {} ({}): cargo bench -p {package} --bench {bench} -- {filter}",
        config.label,
        home.display()
    );
    let out = command
        .output()
        .with_context(|| format!("could not run cargo bench for {package}"))?;
    if !out.status.success() {
        bail!(
            "cargo bench -p {package} --bench {bench} failed ({})",
            out.status
        );
    }
    read(home, &String::from_utf8_lossy(&out.stdout))
}

/// Every benchmark under a CRITERION_HOME, in the order the bench ran them (the order its
/// report `stdout` names them in; unnamed ones last, by name).
pub fn read(home: &Path, stdout: &str) -> Result<Vec<Samples>> {
    let mut found = Vec::new();
    for dir in new_dirs(home)? {
        let names: BenchmarkJson = read_json(&dir.join("benchmark.json"))?;
        let sample: SampleJson = read_json(&dir.join("sample.json"))?;
        let id = match (names.function_id, names.value_str) {
            (Some(function), Some(value)) => format!("{function}/{value}"),
            (Some(function), None) => function,
            (None, Some(value)) => value,
            (None, None) => String::new(),
        };
        let ran_at = first_line_naming(stdout, &names.full_id).unwrap_or(usize::MAX);
        found.push((
            ran_at,
            Samples {
                group: names.group_id,
                id,
                seconds: per_iteration(&sample.iters, &sample.times),
            },
        ));
    }
    found.sort_by(|(a_at, a), (b_at, b)| (a_at, &a.group, &a.id).cmp(&(b_at, &b.group, &b.id)));
    Ok(found.into_iter().map(|(_, samples)| samples).collect())
}

/// The first line of criterion's report that names `id` (as a whole word: `…/trick` is not
/// `…/trick_checked`).
pub fn first_line_naming(stdout: &str, id: &str) -> Option<usize> {
    stdout.lines().position(|line| {
        let line = line.trim_start();
        let line = line.strip_prefix("Benchmarking ").unwrap_or(line);
        line.strip_prefix(id)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ':']))
    })
}

/// Seconds per iteration of each sample (criterion records nanoseconds per sample).
pub fn per_iteration(iters: &[f64], times_ns: &[f64]) -> Vec<f64> {
    iters
        .iter()
        .zip(times_ns)
        .filter(|(iters, _)| **iters > 0.0)
        .map(|(iters, ns)| ns / iters / 1e9)
        .collect()
}

/// The `new/` directories (one per benchmark) under `home`, at any depth.
fn new_dirs(home: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![home.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|name| name == "new")
                && path.join("sample.json").is_file()
            {
                found.push(path);
            } else {
                pending.push(path);
            }
        }
    }
    Ok(found)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}
