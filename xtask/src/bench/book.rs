//! `cargo xtask bench --book`: every measured table of the book, in one run, on the machine at
//! hand, each file headed by the same machine header (CPU, cores, memory, date, rustc, and the
//! machine's measured limits). `--redraw` renders every table again from the committed data
//! (`book/src/labs/measured/data/*.json`) without measuring; `--quick` runs the same pipeline
//! at small sizes into target/compare/quick/.
//!
//! The measurements are listed in [`plan`]: criterion benches (read back from criterion's own
//! sample files) and programs that print cell lines (`--json`), interleaved round by round.
//! The comparisons with Python and lab 3's scaling study run through their own modules, in
//! the same run, and get the same header.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::peers::Side;
use super::{RUST_MALLOC, THREAD_VARIABLES, binaries, run_to_end, venv, write};
use cells::{Found, Gathered};
use data::Dataset;
use header::MachineHeader;
use plan::{Comparison, Files, Layout, Measurement, Source};

mod cells;
mod criterion;
mod data;
mod header;
mod mpi;
mod plan;

#[cfg(test)]
mod tests;

pub struct Options {
    pub quick: bool,
    /// Only the measurements whose names start with one of these (`--only 04`).
    pub only: Vec<String>,
}

/// Measures everything (or `--only`), writing each include file and its data.
pub fn run(root: &Path, options: &Options) -> Result<()> {
    let started = Instant::now();
    let files = Files::new(root, options.quick);
    let chosen = plan::select(&options.only)?;
    let header = measure_limits(root, &files, options.quick)?;
    print!("{}", header.markdown());
    let mut timings = Vec::new();
    for measurement in chosen.measurements {
        let clock = Instant::now();
        println!(
            "\n== {} ({} round(s))",
            measurement.name,
            rounds(measurement, options)
        );
        let dataset = measure(root, &files, measurement, &header, options)?;
        save(&files, &dataset, measurement)?;
        timings.push((measurement.name.to_string(), clock.elapsed()));
    }
    for comparison in chosen.comparisons {
        let clock = Instant::now();
        println!("\n== {}", comparison.name());
        run_comparison(root, &files, &header, comparison, options.quick)?;
        timings.push((comparison.name().to_string(), clock.elapsed()));
    }
    println!(
        "\nbench --book: {:.0} s in all",
        started.elapsed().as_secs_f64()
    );
    for (name, took) in &timings {
        println!("  {name}: {:.0} s", took.as_secs_f64());
    }
    Ok(())
}

/// Renders every table again from the committed data, measuring nothing.
pub fn redraw(root: &Path, quick: bool) -> Result<()> {
    let files = Files::new(root, quick);
    let mut drawn = 0;
    for measurement in plan::MEASUREMENTS {
        let path = files.data(measurement.name);
        if !path.is_file() {
            // The page's include must resolve before the first run: say so instead of a table.
            write(&files.table(measurement.name), &data::placeholder())?;
            println!(
                "{}: no data yet ({}): wrote a placeholder",
                measurement.name,
                path.display()
            );
            continue;
        }
        let text = fs::read_to_string(&path)?;
        let dataset: Dataset =
            serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
        let markdown = dataset.markdown(measurement.floor);
        write(&files.table(&dataset.name), &markdown)?;
        drawn += 1;
    }
    println!(
        "bench --redraw: {drawn} table file(s) rendered from {}",
        files.data.display()
    );
    println!(
        "(The comparisons with Python and the scaling study render only when measured; their raw \
         lines are kept in {} as <name>.jsonl.)",
        files.data.display()
    );
    Ok(())
}

fn rounds(measurement: &Measurement, options: &Options) -> usize {
    if options.quick {
        1
    } else {
        measurement.rounds.max(1)
    }
}

/// Builds and runs the probe of the machine's limits on every core; keeps its runs.
fn measure_limits(root: &Path, files: &Files, quick: bool) -> Result<MachineHeader> {
    let exe = binaries::build_example(root, "support", "machine_limits", Side::RustBaseline)?;
    let mut command = Command::new(exe);
    if quick {
        command.args(["--mib", "256", "--runs", "3"]);
    }
    let limits = header::parse_limits(&run_to_end(command)?)?;
    let header = MachineHeader::describe(root, limits, quick);
    write(&files.machine(), &serde_json::to_string_pretty(&header)?)?;
    Ok(header)
}

/// Runs every source of a measurement, round after round, and gathers their cells.
fn measure(
    root: &Path,
    files: &Files,
    measurement: &Measurement,
    header: &MachineHeader,
    options: &Options,
) -> Result<Dataset> {
    let mut gathered = Gathered::default();
    let mut notes = Vec::new();
    let mut commands = Vec::new();
    for round in 1..=rounds(measurement, options) {
        for source in measurement.sources {
            let printed = run_source(root, files, measurement, source, round, options.quick)?;
            if round == 1 {
                commands.push(describe(source, options.quick));
                notes.extend(printed.notes);
            }
            for found in printed.cells {
                gathered.add(found);
            }
        }
    }
    let quick = if options.quick { " --quick" } else { "" };
    Ok(Dataset {
        name: measurement.name.to_string(),
        command: format!(
            "`cargo xtask bench --book{quick} --only {}`, which runs {}",
            measurement.name,
            commands.join("; ")
        ),
        method: measurement.method.to_string(),
        machine: header.clone(),
        tables: gathered.into_tables(),
        notes,
    })
}

/// The command a source runs, for the file's "reproduce" line.
fn describe(source: &Source, quick: bool) -> String {
    match *source {
        Source::Criterion {
            package,
            bench,
            filter,
            quick_filter,
            criterion_args,
            ..
        } => match quick {
            true => format!("`cargo bench -p {package} --bench {bench} -- '{quick_filter}'`"),
            false => format!(
                "`cargo bench -p {package} --bench {bench} -- '{filter}'{}`",
                criterion_args
                    .iter()
                    .map(|arg| format!(" {arg}"))
                    .collect::<String>()
            ),
        },
        Source::RustExample {
            package,
            example,
            args,
            quick_args,
            ..
        } => format!(
            "`cargo run --release -p {package} --example {example} -- {}`",
            (if quick { quick_args } else { args }).join(" ")
        ),
        Source::Mpi {
            bin,
            ranks,
            sizes,
            quick_sizes,
            repeats,
            ..
        } => {
            let sizes = if quick { quick_sizes } else { sizes };
            let ranks: Vec<String> = ranks.iter().map(usize::to_string).collect();
            format!(
                "`mpirun -np {} target/release/{bin} --time N M D {repeats}` for N×M×D in {}",
                ranks.join("|"),
                sizes.join(", ")
            )
        }
        Source::OutOfCore {
            blocks,
            shape,
            quick_shape,
        } => {
            let blocks: Vec<String> = blocks.iter().map(usize::to_string).collect();
            format!(
                "`(ulimit -v 524288; cargo run --release -p taskgraph-solution --example \
                 out_of_core -- {} --block B --json)` for B in {}, the page cache dropped before each",
                (if quick { quick_shape } else { shape }).join(" "),
                blocks.join(", ")
            )
        }
        Source::Python {
            script,
            args,
            quick_args,
            ..
        } => format!(
            "`.venv/bin/python {script} {}`",
            (if quick { quick_args } else { args }).join(" ")
        ),
    }
}

/// Longer than any one program of a full run takes.
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(30 * 60);

fn run_source(
    root: &Path,
    files: &Files,
    measurement: &Measurement,
    source: &Source,
    round: usize,
    quick: bool,
) -> Result<cells::Printed> {
    match *source {
        Source::Criterion {
            package,
            bench,
            filter,
            quick_filter,
            quick_env,
            configs,
            layout,
            criterion_args,
        } => {
            let mut printed = cells::Printed::default();
            let env: Vec<(&str, String)> = match quick {
                true => quick_env.iter().map(|&(k, v)| (k, v.to_string())).collect(),
                false => Vec::new(),
            };
            let (filter, extra): (&str, &[&str]) = match quick {
                true => (quick_filter, &["--quick"]),
                false => (filter, criterion_args),
            };
            for config in configs {
                let home = files.criterion_home(measurement.name, config, round);
                let samples =
                    criterion::run(root, package, bench, filter, extra, &env, *config, &home)?;
                if samples.is_empty() {
                    bail!("cargo bench -p {package} --bench {bench} -- {filter} ran nothing");
                }
                for sample in samples {
                    let (table, column) = match layout {
                        Layout::TablePerGroup => (sample.group, config.label.to_string()),
                        Layout::TablePerConfig => (config.label.to_string(), sample.group),
                    };
                    printed.cells.push(Found {
                        table,
                        row: sample.id,
                        column,
                        seconds: sample.seconds,
                    });
                }
            }
            Ok(printed)
        }
        Source::RustExample {
            package,
            example,
            args,
            quick_args,
            native,
            python,
        } => {
            let side = if native {
                Side::RustNative
            } else {
                Side::RustBaseline
            };
            let exe = binaries::build_example(root, package, example, side)?;
            let mut command = Command::new(exe);
            if let Some(requirements) = python {
                command
                    .arg("--python")
                    .arg(venv::ensure(root, &root.join(requirements))?);
            }
            command
                .args(if quick { quick_args } else { args })
                .env(RUST_MALLOC.0, RUST_MALLOC.1)
                .current_dir(root);
            run_program(command)
        }
        Source::Mpi {
            package,
            bin,
            ranks,
            sizes,
            quick_sizes,
            repeats,
        } => {
            let exe = mpi::build(root, package, bin)?;
            let mut printed = cells::Printed::default();
            for size in if quick { quick_sizes } else { sizes } {
                for &np in ranks {
                    let mut command = mpi::command(&exe, np, size, repeats);
                    command.current_dir(root);
                    let stdout = run_to_end(command)?;
                    printed.cells.extend(mpi::parse(&stdout, size)?);
                }
            }
            Ok(printed)
        }
        Source::OutOfCore {
            blocks,
            shape,
            quick_shape,
        } => {
            let exe = binaries::build_example(
                root,
                "taskgraph-solution",
                "out_of_core",
                Side::RustBaseline,
            )?;
            let mut printed = cells::Printed::default();
            for &block in blocks {
                // Not in a smoke run: it would slow everything else on the machine.
                let dropped = !quick && drop_page_cache();
                let mut command = Command::new("sh");
                command
                    .arg("-c")
                    .arg("ulimit -v 524288 && exec \"$@\"")
                    .arg("out_of_core")
                    .arg(&exe)
                    .args(if quick { quick_shape } else { shape })
                    .args(["--block", &block.to_string(), "--json"])
                    .current_dir(root);
                let mut found = run_program(command)?;
                if !dropped {
                    found.notes.push(format!(
                        "{block} rows per block: the page cache was not dropped (a `--quick` run, \
                         or not root), so the first run may be warm too."
                    ));
                }
                printed.cells.append(&mut found.cells);
                printed.notes.append(&mut found.notes);
            }
            Ok(printed)
        }
        Source::Python {
            script,
            requirements,
            args,
            quick_args,
            quick_env,
        } => {
            let python = venv::ensure(root, &root.join(requirements))?;
            let mut command = Command::new(python);
            command
                .arg(root.join(script))
                .args(if quick { quick_args } else { args })
                .current_dir(root);
            if quick {
                command.envs(quick_env.iter().copied());
            }
            run_program(command)
        }
    }
}

/// Drops the kernel's page cache (root only), so that the next read comes from the disk;
/// whether it could.
fn drop_page_cache() -> bool {
    let synced = Command::new("sync").status().is_ok_and(|s| s.success());
    synced && fs::write("/proc/sys/vm/drop_caches", "3").is_ok()
}

/// Runs a program that prints cell lines, every thread knob at the number of cores.
fn run_program(mut command: Command) -> Result<cells::Printed> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for variable in THREAD_VARIABLES {
        command.env(variable, cores.to_string());
    }
    let program = format!("{command:?}");
    let captured = course::process::capture(command, PROGRAM_TIMEOUT)?;
    if captured.timed_out || !captured.status.is_some_and(|s| s.success()) {
        bail!(
            "{program} failed:\n{}",
            course::cargo::excerpt(&captured.stderr, 30)
        );
    }
    let printed = cells::parse_lines(&captured.stdout)?;
    if printed.cells.is_empty() {
        bail!("{program} printed no cell lines (is `--json` given?)");
    }
    Ok(printed)
}

/// Writes a measurement's data (JSON) and its include file.
fn save(files: &Files, dataset: &Dataset, measurement: &Measurement) -> Result<()> {
    write(
        &files.data(&dataset.name),
        &serde_json::to_string_pretty(dataset)?,
    )?;
    let table = files.table(&dataset.name);
    write(&table, &dataset.markdown(measurement.floor))?;
    println!("Wrote {} and its data", table.display());
    Ok(())
}

/// A comparison with Python or the scaling study: its own table and chart, headed by this run's
/// machine header, its raw lines kept beside the data.
fn run_comparison(
    root: &Path,
    files: &Files,
    header: &MachineHeader,
    comparison: Comparison,
    quick: bool,
) -> Result<()> {
    let suffix = if quick { "-quick" } else { "" };
    let name = comparison.name();
    match comparison {
        Comparison::Python { lab } => {
            let options = super::Options {
                labs: vec![lab.to_string()],
                sizes: None,
                repeats: 5,
                threads: header.cores,
                inner: super::DEFAULT_INNER,
                quick,
                limits: Some(header.floor_limits()),
            };
            super::run(root, &options)?;
            keep_raw(root, files, &format!("{lab}{suffix}.jsonl"), lab)?;
            head_with_machine(&files.table(lab), header)
        }
        Comparison::FfiPeers => ffi_peers(root, files, header, quick),
        Comparison::Scaling => {
            let options = super::scaling::Options {
                sizes: None,
                inner: super::scaling::DEFAULT_INNER,
                quick,
            };
            super::scaling::run(root, &options)?;
            keep_raw(root, files, &format!("{name}{suffix}.jsonl"), name)?;
            head_with_machine(&files.table(name), header)
        }
    }
}

/// Lab 6's extension called from Python (`ffi_peers.py`): built into the venv with maturin,
/// then timed against SciPy and numba. It writes the book's table and chart itself
/// (`--write-book`), so a `--quick` run only proves that it runs, keeping its JSON lines.
fn ffi_peers(root: &Path, files: &Files, header: &MachineHeader, quick: bool) -> Result<()> {
    let venv = root.join(".venv");
    for requirements in [
        "exercises/06-ffi/python/requirements.txt",
        "solutions/03-parallel/python/requirements.txt",
    ] {
        venv::ensure(root, &root.join(requirements))?;
    }
    let mut develop = Command::new(venv.join("bin/maturin"));
    develop
        .args([
            "develop",
            "--release",
            "-m",
            "solutions/06-ffi/python/Cargo.toml",
        ])
        .current_dir(root)
        .env("VIRTUAL_ENV", &venv)
        // maturin's build differs from cargo's (PYO3_BUILD_EXTENSION_MODULE): its own dir,
        // as `cargo xtask check` keeps it.
        .env("CARGO_TARGET_DIR", root.join("target/maturin"))
        .env_remove("PYO3_PYTHON");
    run_to_end(develop).context("maturin develop of lab 6's extension")?;
    let mut command = Command::new(venv.join("bin/python"));
    command
        .arg("solutions/06-ffi/python/ffi_peers.py")
        .arg(if quick { "--quick" } else { "--write-book" })
        .current_dir(root);
    let stdout = run_to_end(command)?;
    write(
        &files.data.join("06-ffi.jsonl"),
        &super::json_lines(&stdout),
    )?;
    if !quick {
        head_with_machine(&files.table("06-ffi"), header)?;
    }
    Ok(())
}

/// Copies a comparison's raw JSON lines from target/compare/ next to the data.
fn keep_raw(root: &Path, files: &Files, raw: &str, name: &str) -> Result<()> {
    let from = root.join("target/compare").join(raw);
    let to = files.data.join(format!("{name}.jsonl"));
    fs::create_dir_all(&files.data)?;
    fs::copy(&from, &to).with_context(|| format!("copying {}", from.display()))?;
    Ok(())
}

/// Puts the shared machine header under a generated file's first line.
fn head_with_machine(table: &Path, header: &MachineHeader) -> Result<()> {
    let text = fs::read_to_string(table).with_context(|| format!("reading {}", table.display()))?;
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    write(table, &format!("{first}\n\n{}{rest}", header.markdown()))
}
