//! `cargo xtask bench --compare python`: a lab's Rust solutions against the original course's
//! Python (NumPy, numexpr, SciPy, numba, dask, multiprocessing) and C kernels, side by side
//! on one machine (book/src/setup.md, "Benchmarking on a small, shared machine"): the same
//! data, the same thread count, interleaved rounds, best of each after a full-size warm-up.
//! Every variant's result is checked against the reference before any time counts.
//!
//! Writes `book/src/labs/measured/<lab>.md` (the table the lab's chapter includes),
//! `book/src/labs/img/<lab>-compare.svg` (the chart) and the raw JSON lines under
//! `target/compare/`. With `--quick` everything goes to `target/compare/quick/` instead: a
//! smoke run never overwrites the book's measurements.
//!
//! `--scaling` runs lab 3's scaling study instead (threads, not languages): [`scaling`].
//! `--book` runs every measurement of the book in one run, these two included: [`book`].

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use crate::{process, workspace};
use peers::{LabPeers, Side};
use record::Record;
use size::Size;

mod agree;
mod binaries;
pub mod book;
mod chart;
mod floor;
mod header;
mod machine;
mod peers;
mod record;
pub mod scaling;
mod size;
mod summary;
mod table;
pub mod venv;

#[cfg(test)]
mod tests;

pub struct Options {
    pub labs: Vec<String>,
    pub sizes: Option<String>,
    pub repeats: usize,
    pub threads: usize,
    pub inner: usize,
    pub quick: bool,
    /// The machine's measured limits (from `--book`'s probe): the table then gives each
    /// variant's fraction of the floor, in a lab whose peers name one.
    pub limits: Option<floor::Limits>,
}

/// Every thread-count knob either side reads: rayon and matrixmultiply (Rust); OpenMP,
/// OpenBLAS, MKL, numexpr and numba (Python).
const THREAD_VARIABLES: [&str; 8] = [
    "RAYON_NUM_THREADS",
    "MATMUL_NUM_THREADS",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "NUMEXPR_MAX_THREADS",
    "NUMBA_NUM_THREADS",
];

/// Huge pages for the Rust processes' large allocations: NumPy asks for them itself (madvise),
/// glibc's malloc only with this tunable, and lab 1 measured a five-fold difference on 200 MB
/// of fresh memory.
const RUST_MALLOC: (&str, &str) = ("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");

/// Timed calls per variant within each process, unless `--inner` says otherwise.
pub const DEFAULT_INNER: usize = 2;

/// Longer than any process of a full run takes; a hung one is killed.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(30 * 60);

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let labs = workspace::select(workspace::discover(root)?, &options.labs)?;
    let (chosen, without): (Vec<_>, Vec<_>) = labs
        .iter()
        .partition(|lab| peers::for_lab(&lab.name).is_some());
    if (!options.labs.is_empty() && !without.is_empty()) || chosen.is_empty() {
        let have: Vec<&str> = peers::ALL.iter().map(|p| p.lab).collect();
        let names: Vec<&str> = without.iter().map(|lab| lab.name.as_str()).collect();
        bail!(
            "no Python peers for {}: the labs with peers are {} (xtask/src/bench/peers.rs)",
            names.join(", "),
            have.join(", ")
        );
    }
    for lab in chosen {
        let peers = peers::for_lab(&lab.name).expect("partitioned on it");
        compare(root, peers, options)?;
    }
    Ok(())
}

/// Where one lab's comparison writes.
struct Paths {
    data: PathBuf,
    raw: PathBuf,
    table: PathBuf,
    chart: PathBuf,
}

impl Paths {
    fn new(root: &Path, lab: &str, quick: bool) -> Paths {
        let compare = root.join("target").join("compare");
        let (table_dir, chart_dir) = output_dirs(root, quick);
        Paths {
            data: compare.join("data"),
            raw: compare.join(format!("{lab}{}.jsonl", if quick { "-quick" } else { "" })),
            table: table_dir.join(format!("{lab}.md")),
            chart: chart_dir.join(format!("{lab}-compare.svg")),
        }
    }
}

/// Where the tables and the charts go: the book's directories, or target/compare/quick/ for
/// a smoke run (which must never overwrite the book's measurements).
fn output_dirs(root: &Path, quick: bool) -> (PathBuf, PathBuf) {
    match quick {
        true => {
            let quick = root.join("target/compare/quick");
            (quick.clone(), quick)
        }
        false => (
            root.join("book/src/labs/measured"),
            root.join("book/src/labs/img"),
        ),
    }
}

/// One lab's comparison: plan, data and executables, interleaved rounds, agreement, then the
/// table and the chart.
fn compare(root: &Path, peers: &LabPeers, options: &Options) -> Result<()> {
    let started = Instant::now();
    let plan = Plan::new(peers, options)?;
    let paths = Paths::new(root, peers.lab, options.quick);
    println!(
        "Comparing lab {} with Python: sizes {}, {} round(s), {} thread(s)",
        peers.lab, plan.size_list, plan.repeats, plan.threads
    );
    let sides = Sides::prepare(root, peers, &paths, &plan, options.inner.max(1))?;
    let measured = measure(&sides, &plan)?;
    fs::create_dir_all(paths.raw.parent().expect("under target/compare"))?;
    fs::write(&paths.raw, &measured.raw)
        .with_context(|| format!("writing {}", paths.raw.display()))?;
    let problems = agree::disagreements(
        &measured.records,
        peers.reference,
        agree::Tolerance::DEFAULT,
    );
    if !problems.is_empty() {
        bail!(
            "the variants disagree (raw results in {}):\n  {}",
            paths.raw.display(),
            problems.join("\n  ")
        );
    }
    write_report(root, peers, options, &plan, &paths, &measured)?;
    println!("Raw JSON lines: {}", paths.raw.display());
    println!(
        "bench: {} measurements agree, {:.0} s in all",
        measured.records.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What one comparison runs: its sizes (the option's, or the lab's), rounds and threads.
struct Plan {
    sizes: Vec<Size>,
    /// The sizes as the sides' `--sizes` argument takes them.
    size_list: String,
    repeats: usize,
    threads: usize,
}

impl Plan {
    fn new(peers: &LabPeers, options: &Options) -> Result<Plan> {
        let sizes = match (&options.sizes, options.quick) {
            (Some(text), _) => size::parse_list(text)?,
            (None, quick) => size::parse_list(
                &(if quick {
                    peers.quick_sizes
                } else {
                    peers.sizes
                })
                .join(","),
            )?,
        };
        let size_list = sizes
            .iter()
            .map(Size::to_string)
            .collect::<Vec<_>>()
            .join(",");
        Ok(Plan {
            sizes,
            size_list,
            repeats: if options.quick {
                1
            } else {
                options.repeats.max(1)
            },
            threads: options.threads.max(1),
        })
    }
}

/// The three sides, ready to run: the venv's Python and the lab's script, the two Rust
/// executables, and the data both read.
struct Sides<'a> {
    root: &'a Path,
    python: PathBuf,
    script: PathBuf,
    baseline: PathBuf,
    native: PathBuf,
    data_dir: String,
    size_list: &'a str,
    inner: String,
    threads: usize,
}

impl<'a> Sides<'a> {
    /// Fills the venv, has the Python side write the data (once per size; both sides read
    /// the same files), and builds both Rust executables.
    fn prepare(
        root: &'a Path,
        peers: &LabPeers,
        paths: &Paths,
        plan: &'a Plan,
        inner: usize,
    ) -> Result<Sides<'a>> {
        let python = venv::ensure(root, &root.join(peers.requirements))?;
        let script = root.join(peers.script);
        let data_dir = paths.data.to_string_lossy().into_owned();
        let status = Command::new(&python)
            .arg(&script)
            .args(["data", "--dir", &data_dir, "--sizes", &plan.size_list])
            .status()
            .with_context(|| format!("could not run {}", script.display()))?;
        if !status.success() {
            bail!("{} could not write the data ({status})", peers.script);
        }
        Ok(Sides {
            root,
            baseline: binaries::build(root, peers, Side::RustBaseline)?,
            native: binaries::build(root, peers, Side::RustNative)?,
            python,
            script,
            data_dir,
            size_list: &plan.size_list,
            inner: inner.to_string(),
            threads: plan.threads,
        })
    }

    /// The command that runs one side over every size, with every thread knob set.
    fn command(&self, side: Side) -> Command {
        let mut command = match side {
            Side::Python => {
                let mut command = Command::new(&self.python);
                command.arg(&self.script).arg("run");
                command
            }
            Side::RustBaseline | Side::RustNative => {
                let exe = if side == Side::RustNative {
                    &self.native
                } else {
                    &self.baseline
                };
                let mut command = Command::new(exe);
                command
                    .args(["--side", side.key()])
                    .env(RUST_MALLOC.0, RUST_MALLOC.1);
                command
            }
        };
        command
            .args([
                "--dir",
                &self.data_dir,
                "--sizes",
                self.size_list,
                "--inner",
                &self.inner,
            ])
            .current_dir(self.root);
        for variable in THREAD_VARIABLES {
            command.env(variable, self.threads.to_string());
        }
        command
    }

    /// The Python side's `info` command: the versions and settings of its libraries.
    fn info_command(&self) -> Command {
        let mut command = Command::new(&self.python);
        command.arg(&self.script).arg("info");
        command
    }
}

/// What the rounds gave: every record, the sides' info, the raw JSON lines, and the load of
/// the machine before and after.
struct Measured {
    records: Vec<Record>,
    info: BTreeMap<Side, Map<String, Value>>,
    raw: String,
    load_before: Option<f64>,
    load_after: Option<f64>,
}

/// Runs the rounds, each side once per round, in order.
fn measure(sides: &Sides, plan: &Plan) -> Result<Measured> {
    let repeats = plan.repeats;
    let mut info = run_side(sides.info_command())?.info;
    let load_before = machine::load_average();
    let mut records: Vec<Record> = Vec::new();
    let mut raw = String::new();
    for round in 1..=repeats {
        let mut line = format!("round {round}/{repeats}:");
        for side in Side::ALL {
            let clock = Instant::now();
            let output = run_side(sides.command(side))
                .with_context(|| format!("round {round}, {} side", side.label()))?;
            line += &format!(" {} {:.1} s;", side.label(), clock.elapsed().as_secs_f64());
            raw += &output.raw;
            records.extend(output.records);
            for (side, found) in output.info {
                info.entry(side).or_default().extend(found);
            }
        }
        println!("{}", line.trim_end_matches(';'));
    }
    Ok(Measured {
        records,
        info,
        raw,
        load_before,
        load_after: machine::load_average(),
    })
}

/// Writes the table (and prints it) and the chart at the size the lab compares ratios at.
fn write_report(
    root: &Path,
    peers: &LabPeers,
    options: &Options,
    plan: &Plan,
    paths: &Paths,
    measured: &Measured,
) -> Result<()> {
    let Plan {
        sizes,
        size_list,
        repeats,
        threads,
    } = plan;
    let (repeats, threads) = (*repeats, *threads);
    let best = record::best_of(&measured.records);
    let ratio_size = peers
        .ratio_size
        .parse::<Size>()
        .ok()
        .filter(|size| sizes.contains(size))
        .or_else(|| sizes.iter().copied().max_by_key(Size::work))
        .expect("at least one size");

    let report = table::Report {
        peers,
        sizes,
        best: &best,
        ratio_size,
        command: header::command_line(peers, options, size_list, repeats, threads),
        method: format!(
            "The {}, for {}: the same .npy files on both sides. {repeats} interleaved round(s) \
             (the Python process, then the Rust baseline and native processes); each process \
             warms each variant up (a full-size call, then more calls until 0.2 s have passed), \
             then times {} call(s). {threads} thread(s) on both sides.",
            peers.what,
            peers.data,
            options.inner.max(1)
        ),
        floor: (options.limits.zip(peers.floor))
            .and_then(|(limits, floor)| Some((floor, floor.seconds(ratio_size, limits)?))),
        context: header::context_lines(
            root,
            peers,
            &measured.info,
            threads,
            measured.load_before,
            measured.load_after,
        ),
        notes: header::jit_note(peers, &best, sizes).into_iter().collect(),
    };
    let markdown = table::markdown(&report);
    write(&paths.table, &markdown)?;
    let bars: Vec<chart::Bar> = table::rows(&report)
        .into_iter()
        .filter_map(|row| {
            let at = sizes.iter().position(|&s| s == ratio_size)?;
            Some(chart::Bar {
                side: row.side,
                label: row.label.to_string(),
                seconds: row.seconds[at]?,
            })
        })
        .collect();
    fs::create_dir_all(paths.chart.parent().expect("a directory"))?;
    let title = format!(
        "{}, {}, {threads} thread(s): best of {repeats}",
        peers.what.split(" r_ij").next().unwrap_or(peers.what),
        ratio_size.pretty()
    );
    chart::write_svg(&paths.chart, &title, &bars)?;

    println!("\n{markdown}");
    println!("Wrote {}", paths.table.display());
    println!("Wrote {}", paths.chart.display());
    Ok(())
}

/// What a side printed: its records and info, and the raw JSON lines for target/compare.
struct SideOutput {
    records: Vec<Record>,
    info: BTreeMap<Side, Map<String, Value>>,
    raw: String,
}

fn run_side(command: Command) -> Result<SideOutput> {
    let stdout = run_to_end(command)?;
    let parsed = record::parse(&stdout)?;
    for line in &parsed.other_lines {
        println!("  (not JSON, ignored) {line}");
    }
    let raw = json_lines(&stdout);
    Ok(SideOutput {
        records: parsed.records,
        info: parsed.info,
        raw,
    })
}

/// Runs a measuring process to its end (at most PROCESS_TIMEOUT); its stdout.
fn run_to_end(command: Command) -> Result<String> {
    let program = format!("{command:?}");
    let captured = process::capture(command, PROCESS_TIMEOUT)?;
    if captured.timed_out {
        bail!(
            "{program} ran past {} s and was killed",
            PROCESS_TIMEOUT.as_secs()
        );
    }
    if !captured.status.is_some_and(|s| s.success()) {
        bail!(
            "{program} failed:\n{}",
            crate::cargo::excerpt(&captured.stderr, 30)
        );
    }
    Ok(captured.stdout)
}

/// The JSON lines of a process's stdout, for the raw files under target/compare.
fn json_lines(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|line| line.trim_start().starts_with('{'))
        .map(|line| format!("{line}\n"))
        .collect()
}

fn write(path: &Path, text: &str) -> Result<()> {
    fs::create_dir_all(path.parent().expect("a file in a directory"))?;
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
