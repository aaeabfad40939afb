//! Instructor and maintainer commands for the labs. Run `cargo xtask --help`.
//!
//! - `cargo xtask progress`: the student's view: which exercises pass, and what to do next.
//! - `cargo xtask check`: everything CI checks (DESIGN.md §3).
//! - `cargo xtask book`: build the book with the pinned mdbook tools.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, Subcommand};

mod book;
mod cargo;
mod check;
mod html;
mod libtest;
mod lint;
mod process;
mod progress;
mod report;
mod testrun;
mod ui;
mod workspace;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Commands for the HPC-in-Rust labs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every lab's tests against your exercises and show what to do next.
    Progress {
        /// Only these labs: a number (`1`), directory (`01-strides`) or package (`strides`).
        #[arg(long = "lab")]
        labs: Vec<String>,
        /// Seconds one test executable may run before it is killed.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
    },
    /// The full check CI runs: solutions pass, stubs compile and fail, lints, docs, book.
    Check {
        /// Only these labs: a number (`1`), directory (`01-strides`) or package (`strides`).
        #[arg(long = "lab")]
        labs: Vec<String>,
        /// Skip building and scanning the book (faster inner loop).
        #[arg(long)]
        skip_book: bool,
        /// Seconds one test executable may run before it is killed.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
    },
    /// Build the book into book/build (installing mdbook 0.5.4 and mdbook-katex 0.10.0 if needed).
    Book {
        /// Print only the path of the built index.html (for `xdg-open "$(cargo xtask book --open-path)"`).
        #[arg(long)]
        open_path: bool,
    },
}

fn main() -> ExitCode {
    // Errors are for people: the message and its causes, no backtrace.
    run(Cli::parse()).unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = workspace::root();
    match cli.command {
        Command::Progress { labs, timeout } => {
            progress::run(&root, &labs, Duration::from_secs(timeout))?;
        }
        Command::Check {
            labs,
            skip_book,
            timeout,
        } => {
            let options = check::Options {
                labs,
                skip_book,
                timeout: Duration::from_secs(timeout),
            };
            if !check::run(&root, &options)? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Book { open_path } => {
            let index = book::build(&root)?;
            if open_path {
                println!("{}", index.display());
            } else {
                println!("The book is built: open {}", index.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
