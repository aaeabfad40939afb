//! The out-of-core run: a stack of fields on disk several times larger than
//! the memory the run may use, averaged over the days a block of rows at a
//! time. Prints the time, the read throughput and the peak memory.
//!
//! ```sh
//! cargo run --release -p taskgraph-solution --example out_of_core -- \
//!     [--dir target/outofcore] [--days 4] [--rows 5760] [--cols 11520] [--block 64] [--threads N] [--json]
//! # the same under a 512 MiB cap on the address space: it still runs
//! (ulimit -v 524288; cargo run --release ...)
//! ```
//!
//! The defaults are 4 of the original's 5760 × 11520 daily fields: 2.1 GB on
//! disk (the stack is kept for the next run; `--clean` removes it). With `--json`, each run's
//! time as a cell line, and the peak memory as a note, for `cargo xtask bench --book`.

use std::path::PathBuf;
use std::time::Instant;

use taskgraph_solution::npy::{NpyField, peak_rss_bytes, write_stack};
use taskgraph_solution::outofcore::stack_mean;

struct Args {
    dir: PathBuf,
    days: usize,
    rows: usize,
    cols: usize,
    block: usize,
    threads: usize,
    clean: bool,
    json: bool,
}

fn args() -> Args {
    let mut args = Args {
        dir: PathBuf::from("target/outofcore"),
        days: 4,
        rows: 5760,
        cols: 11520,
        block: 64,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        clean: false,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        let number = |text: String| {
            text.parse::<usize>()
                .unwrap_or_else(|_| panic!("not a number: {text}"))
        };
        match flag.as_str() {
            "--dir" => args.dir = PathBuf::from(value()),
            "--days" => args.days = number(value()),
            "--rows" => args.rows = number(value()),
            "--cols" => args.cols = number(value()),
            "--block" => args.block = number(value()),
            "--threads" => args.threads = number(value()),
            "--clean" => args.clean = true,
            "--json" => args.json = true,
            other => panic!("unknown flag {other}: see the example's header"),
        }
    }
    args
}

fn main() {
    let args = args();
    let shape = (args.rows, args.cols);
    let paths: Vec<PathBuf> = (0..args.days)
        .map(|day| args.dir.join(format!("day-{day:02}.npy")))
        .collect();
    let ready = paths
        .iter()
        .all(|p| NpyField::open(p).is_ok_and(|f| f.shape == shape));
    if !ready {
        let started = Instant::now();
        println!(
            "writing {} fields of {}×{} to {} ...",
            args.days,
            args.rows,
            args.cols,
            args.dir.display()
        );
        write_stack(&args.dir, args.days, shape).unwrap_or_else(|e| panic!("{e}"));
        println!("  written in {:.1} s", started.elapsed().as_secs_f64());
    }
    let out = args.dir.join("mean.npy");
    // Cold or warm, the page cache decides: say which this run is, by reading twice.
    for pass in ["first", "second"] {
        let started = Instant::now();
        let report =
            stack_mean(&paths, &out, args.block, args.threads).unwrap_or_else(|e| panic!("{e}"));
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{pass} run: {} days of {}×{} ({:.2} GB) in {} blocks of {} rows on {} threads: \
             {seconds:.2} s, {:.2} GB/s read, peak memory so far {:.0} MiB",
            report.days,
            report.shape.0,
            report.shape.1,
            report.bytes_read as f64 / 1e9,
            report.blocks,
            args.block,
            args.threads,
            report.bytes_read as f64 / seconds / 1e9,
            peak_rss_bytes() as f64 / (1 << 20) as f64,
        );
        if args.json {
            let table = format!(
                "The mean of {} days of {}x{} ({:.2} GB) on {} threads",
                report.days,
                report.shape.0,
                report.shape.1,
                report.bytes_read as f64 / 1e9,
                args.threads
            );
            let row = format!("{} rows per block ({} blocks)", args.block, report.blocks);
            let column = format!("{pass} run");
            println!(
                "{}",
                support::cells::line(&table, &row, &column, &[seconds])
            );
        }
    }
    if args.json {
        let note = format!(
            "{} rows per block: peak memory (RSS) {:.0} MiB.",
            args.block,
            peak_rss_bytes() as f64 / (1 << 20) as f64
        );
        println!("{}", support::cells::note(&note));
    }
    if args.clean {
        let _ = std::fs::remove_dir_all(&args.dir);
    }
}
