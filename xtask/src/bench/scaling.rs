//! `cargo xtask bench --scaling`: lab 3's Cityblock kernels at 1 to `cores` threads and
//! oversubscribed (2× and 4× the cores), as the ULHPC notebook's scaling table. One process
//! (the example `scaling`, native build) runs every cell: for each size and variant, each thread
//! count one after the other (so that a drifting machine shifts rows, not columns), each in a
//! rayon pool of that many threads: a warm-up call, then the best of `--inner` calls. Every cell's
//! Σ r_ij is checked against the others of its size before any time counts.
//!
//! Writes `book/src/labs/measured/03-parallel-scaling.md` (a table per variant),
//! `book/src/labs/img/03-parallel-scaling.svg` (the speed-ups) and the raw JSON lines under
//! `target/compare/`; with `--quick`, a tiny grid, and the table and chart go to
//! `target/compare/quick/` instead.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Result, bail};

use super::peers::{PARALLEL, Side};
use super::size::Size;
use super::{RUST_MALLOC, binaries, machine, output_dirs, write};
use grid::{FULL_RUN_BUDGET_SECONDS, Grid, VARIANTS};
use header::format_seconds;
use table::{Report, Study};

mod cells;
mod chart;
mod grid;
mod header;
mod table;

#[cfg(test)]
mod tests;

pub use grid::DEFAULT_INNER;

/// The example of `parallel-solution` that runs the cells.
const EXAMPLE: &str = "scaling";
/// The stem of the table's, the chart's and the raw lines' file names.
const STEM: &str = "03-parallel-scaling";

pub struct Options {
    /// `--sizes`: instead of the full (or quick) grid's sizes; never cut to fit the budget.
    pub sizes: Option<String>,
    pub inner: usize,
    pub quick: bool,
}

/// Runs the study: the grid, every cell in one process, their agreement, then the tables
/// and the chart.
pub fn run(root: &Path, options: &Options) -> Result<()> {
    let started = Instant::now();
    let machine = machine::describe(root);
    let cores = machine.cores;
    let plan = Plan::new(options, cores)?;
    let measured = run_cells(root, &plan.grid)?;
    let quick = if options.quick { "-quick" } else { "" };
    let raw = root.join(format!("target/compare/{STEM}{quick}.jsonl"));
    write(&raw, &super::json_lines(&measured.stdout))?;
    let output = cells::parse(&measured.stdout)?;
    for line in &output.other_lines {
        println!("  (not JSON, ignored) {line}");
    }
    let problems = cells::disagreements(&output.cells);
    if !problems.is_empty() {
        bail!(
            "the cells disagree (raw results in {}):\n  {}",
            raw.display(),
            problems.join("\n  ")
        );
    }
    write_report(root, options, &machine, &plan, &measured, &output)?;
    println!("Raw JSON lines: {}", raw.display());
    println!(
        "bench: {} cells agree, {:.0} s in all",
        output.cells.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The grid the study runs, the sizes cut to fit the budget, and its estimated time.
struct Plan {
    grid: Grid,
    dropped: Option<Vec<Size>>,
    estimate: f64,
}

impl Plan {
    /// The grid of the options; says what it will run and what was dropped.
    fn new(options: &Options, cores: usize) -> Result<Plan> {
        let sizes = options.sizes.as_deref();
        let mut grid = Grid::new(sizes, options.quick, options.inner, cores)?;
        // Only the default full grid is cut: sizes given by hand run as asked.
        let dropped =
            (sizes.is_none() && !options.quick).then(|| grid.fit(cores, FULL_RUN_BUDGET_SECONDS));
        let estimate = grid.estimate_seconds(cores);
        let size_list: Vec<String> = grid.sizes.iter().map(Size::to_string).collect();
        let threads: Vec<String> = grid.threads.iter().map(usize::to_string).collect();
        println!(
            "Scaling study of lab 3: sizes {}, threads {}, best of {} after a warm-up; about {} \
             of computing on {cores} cores",
            size_list.join(","),
            threads.join(","),
            grid.inner,
            format_seconds(estimate)
        );
        if let Some(dropped) = dropped.as_deref().filter(|d| !d.is_empty()) {
            let dropped: Vec<String> = dropped.iter().map(Size::pretty).collect();
            println!(
                "Dropped {} to keep the estimate within {}",
                dropped.join(", "),
                format_seconds(FULL_RUN_BUDGET_SECONDS)
            );
        }
        Ok(Plan {
            grid,
            dropped,
            estimate,
        })
    }
}

/// What the cells' process printed, how long it took, and the machine's load around it.
struct Measured {
    stdout: String,
    seconds: f64,
    load_before: Option<f64>,
    load_after: Option<f64>,
}

/// Builds the example and runs every cell of `grid` in it.
fn run_cells(root: &Path, grid: &Grid) -> Result<Measured> {
    let size_list: Vec<String> = grid.sizes.iter().map(Size::to_string).collect();
    let threads: Vec<String> = grid.threads.iter().map(usize::to_string).collect();
    let exe = binaries::build_example(root, PARALLEL.package, EXAMPLE, Side::RustNative)?;
    let mut command = Command::new(&exe);
    command
        .args(["--sizes", &size_list.join(",")])
        .args(["--threads", &threads.join(",")])
        .args(["--inner", &grid.inner.to_string()])
        .args(["--par-rows-max-work", &grid.par_rows_max_work.to_string()])
        .env(RUST_MALLOC.0, RUST_MALLOC.1)
        .current_dir(root);
    let load_before = machine::load_average();
    let clock = Instant::now();
    let stdout = super::run_to_end(command)?;
    Ok(Measured {
        stdout,
        seconds: clock.elapsed().as_secs_f64(),
        load_before,
        load_after: machine::load_average(),
    })
}

/// Writes the tables (and prints them) and the chart.
fn write_report(
    root: &Path,
    options: &Options,
    machine: &machine::Machine,
    plan: &Plan,
    measured: &Measured,
    output: &cells::Output,
) -> Result<()> {
    let (grid, cores) = (&plan.grid, machine.cores);
    let study = Study {
        sizes: grid.sizes.clone(),
        threads: grid.threads.clone(),
        cores,
        seconds: cells::best(&output.cells),
    };
    let report = Report {
        study: &study,
        variants: &VARIANTS,
        command: header::command_line(options, grid),
        method: header::method(grid, cores),
        context: header::context_lines(
            machine,
            &output.info,
            measured.load_before,
            measured.load_after,
        ),
        notes: header::notes(
            grid,
            cores,
            plan.dropped.as_deref(),
            plan.estimate,
            measured.seconds,
        ),
    };
    let markdown = table::markdown(&report);
    let (table_dir, chart_dir) = output_dirs(root, options.quick);
    let table_path = table_dir.join(format!("{STEM}.md"));
    write(&table_path, &markdown)?;
    let chart_path = chart_dir.join(format!("{STEM}.svg"));
    std::fs::create_dir_all(&chart_dir)?;
    let title = format!("Lab 3, Cityblock: speed-up over 1 thread on {cores} cores");
    chart::write_svg(&chart_path, &title, &study, &VARIANTS)?;

    println!("\n{markdown}");
    println!("Wrote {}", table_path.display());
    println!("Wrote {}", chart_path.display());
    Ok(())
}
