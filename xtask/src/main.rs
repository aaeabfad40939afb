//! Instructor and maintainer commands for the labs. Run `cargo xtask --help`.
//!
//! - `cargo xtask progress`, `hint`, `watch`, `speed`: the students' commands, forwarded to the `course`
//!   crate (which is all the handout ships: there, `cargo xtask` runs it directly).
//! - `cargo xtask check`: everything CI checks (listed in book/src/instructors.md).
//! - `cargo xtask book`: build the book with the pinned mdbook tools.
//! - `cargo xtask handout OUTDIR`: the tree a student receives (no solutions).
//! - `cargo xtask grade [SUBMISSION ...]`: grade students' work; gradebook and feedback.
//! - `cargo xtask bench --compare python`: the labs' Rust against the course's Python, measured.
//! - `cargo xtask bench --scaling`: lab 3's kernels at 1, 2, … threads, as the ULHPC table.
//! - `cargo xtask bench --book`: every measured table of the book in one run (`--redraw`: from
//!   the committed data).
//! - `cargo xtask gpu-test`: lab 5 on a machine with an NVIDIA GPU: GPU tests, benches, CuPy.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};

mod artifacts;
mod bench;
mod book;
mod check;
mod gpu_test;
mod grade;
mod handout;
mod html;
mod lint;
mod report;

// The modules the students' commands share with the instructor's, from the `course` crate,
// under the names the rest of xtask uses (`crate::workspace`, `crate::cargo`, ...).
use course::{cargo, hint, libtest, process, testrun, ui, workspace};

/// `cargo xtask grade`'s subcommands.
#[derive(Subcommand)]
enum GradeCommand {
    /// Join the gradebooks of `grade --shard K/N` runs into one, and write every output
    /// (gradebook.csv, gradebook-long.csv, gradebook.json, honesty.md, feedback/) from it.
    Merge {
        /// The --out directories of the shards, each holding a gradebook.json.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Where to write the merged outputs [default: target/grades]
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

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
    /// Run every lab's tests against your exercises and show what to do next
    /// (the students' command: `cargo xtask progress --help`).
    #[command(disable_help_flag = true)]
    Progress {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// Show a hint for the first exercise you have not finished, or for the one you name
    /// (the students' command: `cargo xtask hint --help`).
    #[command(disable_help_flag = true)]
    Hint {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// Rerun your current exercise's tests each time you save a file of its lab
    /// (the students' command: `cargo xtask watch --help`).
    #[command(disable_help_flag = true)]
    Watch {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// Time your kernels whose speed is part of the task against this machine's limit
    /// (the students' command: `cargo xtask speed --help`).
    #[command(disable_help_flag = true)]
    Speed {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
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
    /// Build the book's two editions into book/build/student and book/build/reference
    /// (installing mdbook 0.5.4 and mdbook-katex 0.10.0 if needed).
    Book {
        /// Print only the path of one edition's index.html (for
        /// `xdg-open "$(cargo xtask book --open-path)"`).
        #[arg(long)]
        open_path: bool,
        /// The edition `--open-path` prints: the student edition (no solutions) or the
        /// reference edition (with the solution walkthroughs).
        #[arg(long, value_enum, default_value_t = EditionArg::Student)]
        edition: EditionArg,
        /// Then render every page in headless Chromium and check the layout (the step of
        /// `cargo xtask check` that does so): no sideways page, opaque and legible SVGs.
        #[arg(long, conflicts_with = "open_path")]
        layout: bool,
    },
    /// Grade submissions with the instructor's tests: a gradebook (CSV, JSON) and a feedback
    /// report per student. Only students' `exercises/*/src/**` (and a lab's Python crate's
    /// `src/**`, lab.toml `[python]`) are taken.
    #[command(args_conflicts_with_subcommands = true)]
    Grade(GradeArgs),
    /// Write the student handout to OUTDIR: the labs, hints, the students' commands (course/)
    /// and the built book; no solutions, no xtask.
    Handout {
        /// Where to write it (e.g. dist/handout, which git ignores).
        outdir: PathBuf,
        /// Leave the book out (faster; students then have no offline book).
        #[arg(long)]
        no_book: bool,
        /// Also ship the reference edition of the book, with the solution walkthroughs, as
        /// book/reference/ (for releasing after a deadline).
        #[arg(long, conflicts_with = "no_book")]
        reference: bool,
        /// Update a handout made earlier in OUTDIR (everything else in it is removed, except
        /// target/ and .git/).
        #[arg(long)]
        force: bool,
    },
    /// Lab 5 on a machine with an NVIDIA GPU: the tests that need one (every kernel against
    /// the CPU reference), the GPU benchmarks, then the CuPy peers on the same GPU.
    GpuTest {
        /// Small sizes: a smoke run of the benchmarks and the peers.
        #[arg(long)]
        quick: bool,
        /// Instead: build the test and bench executables into this directory, with a run.sh,
        /// for a GPU machine that has no Rust toolchain.
        #[arg(long)]
        bundle: Option<PathBuf>,
    },
    /// Time a lab's Rust solutions against the original course's Python, side by side, or
    /// (--scaling) lab 3's kernels at 1, 2, … threads: tables and charts for the book
    /// (book/src/labs/measured/, book/src/labs/img/).
    Bench(BenchArgs),
}

/// `cargo xtask grade`'s options (or its `merge` subcommand).
#[derive(Args)]
struct GradeArgs {
    #[command(subcommand)]
    command: Option<GradeCommand>,
    /// Directories (a copy of the workspace, or its exercises/), git repositories (bare,
    /// or a `.git` directory: its last commit) and .tar.gz/.zip archives; none: this
    /// workspace as it is.
    submissions: Vec<PathBuf>,
    /// Where to write gradebook.csv, gradebook-long.csv, gradebook.json, honesty.md and
    /// feedback/ [default: target/grades]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Scratch space for the graders' workspaces and builds, kept between runs so that the
    /// dependencies compile once; never inside the course tree [default: a directory in
    /// the system temporary directory, one per course]
    #[arg(long)]
    work: Option<PathBuf>,
    /// Submissions graded at once [default: the number of cores]
    #[arg(long)]
    jobs: Option<usize>,
    /// Seconds one lab of one submission may take, build and tests; what is left unrun
    /// then scores nothing.
    #[arg(long, default_value_t = 600)]
    timeout: u64,
    /// Seconds one test may run before it is killed (each test runs alone, so a loop
    /// costs only the tests that call it).
    #[arg(long, default_value_t = 20)]
    test_timeout: u64,
    /// GiB of memory one test process may allocate.
    #[arg(long, default_value_t = 4)]
    memory_limit: u64,
    /// MiB one file written by a test may hold.
    #[arg(long, default_value_t = 1024)]
    file_size_limit: u64,
    /// Processes and threads the tests running at one time may have.
    #[arg(long, default_value_t = 2048)]
    process_limit: u64,
    /// Run student code without the sandbox, as you, unconfined (only for code you trust;
    /// the gradebook records it). Without this, grading refuses where bubblewrap cannot
    /// start.
    #[arg(long)]
    unsandboxed: bool,
    /// Count for no one the tests this machine cannot run fairly (those the course's own
    /// solution fails here, e.g. for want of NVRTC or gfortran, and those of a lab feature
    /// whose tool is missing), instead of refusing to grade; the gradebook lists them.
    #[arg(long)]
    void_missing_tools: bool,
    /// Only these labs: a number (`1`), directory (`01-strides`) or package (`strides`).
    #[arg(long = "lab")]
    labs: Vec<String>,
    /// The instructor's tree whose tests grade [default: this workspace]
    #[arg(long)]
    course: Option<PathBuf>,
    /// Grade only the K-th of N parts of the submissions (e.g. `3/8`), so that N machines
    /// share a class; every part gets the same list. Join them with `grade merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<grade::shard::Shard>,
    /// Runs of each side (the reference's kernel, the student's, turn about) when timing the
    /// exercises whose speed counts (lab.toml `[speed]`); a series spread by over 10 % is
    /// measured again with twice as many.
    #[arg(long, default_value_t = grade::DEFAULT_SPEED_ROUNDS)]
    speed_rounds: usize,
}

/// `cargo xtask bench`'s options.
#[derive(Args)]
struct BenchArgs {
    /// What to compare with: the course's own Python (NumPy, numexpr, SciPy, numba),
    /// run from a venv in .venv that this creates and fills on first use.
    #[arg(long, value_enum, default_value = "python", conflicts_with = "scaling")]
    compare: Peer,
    /// Instead of comparing: a scaling study of lab 3, like the ULHPC notebook's table.
    /// Its blocked and par_rows kernels at 1 to `cores` threads, then 2× and 4× the cores
    /// (oversubscribed), the thread counts of a row one after the other, each in its own rayon
    /// pool; a table per kernel (times, speed-up, efficiency) and a speed-up chart. The full
    /// grid is cut to about 10 minutes.
    #[arg(long)]
    scaling: bool,
    /// Instead: every measured table and chart of the book, in one run on this machine, each
    /// headed by the machine and its measured limits (peak FMA rate, write bandwidth); the raw
    /// data goes to book/src/labs/measured/data/. With --quick: small sizes, into
    /// target/compare/quick/.
    #[arg(long, conflicts_with_all = ["scaling", "labs", "sizes", "redraw"])]
    book: bool,
    /// Instead: render every table of --book again from its committed data, measuring nothing.
    #[arg(long, conflicts_with_all = ["scaling", "labs", "sizes"])]
    redraw: bool,
    /// With --book: only these files of book/src/labs/measured/: a whole name picks that file
    /// (`03-parallel` is lab 3's comparison with Python, `03-parallel-scaling` its scaling
    /// study), anything else every file whose name starts with it (`04`).
    #[arg(long, requires = "book")]
    only: Vec<String>,
    /// Only these labs: a number (`2`), directory (`02-vectorization`) or package
    /// (`vectorization`); default: every lab with Python peers.
    #[arg(long = "lab", conflicts_with = "scaling")]
    labs: Vec<String>,
    /// Problem sizes n×m×d, e.g. `2000x2000x50,5000x5000x50`; default: the lab's (with
    /// --scaling: the study's, n = m from 500 to 10000 at d = 500, and 5000×5000×50).
    #[arg(long)]
    sizes: Option<String>,
    /// Interleaved rounds (Python, Rust baseline, Rust native); the best of each counts.
    #[arg(long, default_value_t = 5, conflicts_with = "scaling")]
    repeats: usize,
    /// Threads on both sides [default: the number of cores]
    #[arg(long, conflicts_with = "scaling")]
    threads: Option<usize>,
    /// Timed calls per variant within each process, after its warm-up call
    /// (the first timed call after the warm-up is sometimes an outlier)
    /// [default: 2; with --scaling, per cell: 3]
    #[arg(long)]
    inner: Option<usize>,
    /// A smoke run: small sizes, one round (with --scaling: threads 1, cores and 2×
    /// cores); writes to target/compare/quick/, not the book.
    #[arg(long)]
    quick: bool,
}

/// An edition of the book, on the command line.
#[derive(Clone, Copy, ValueEnum)]
enum EditionArg {
    Student,
    Reference,
}

impl From<EditionArg> for book::Edition {
    fn from(edition: EditionArg) -> Self {
        match edition {
            EditionArg::Student => book::Edition::Student,
            EditionArg::Reference => book::Edition::Reference,
        }
    }
}

/// What `bench` compares the Rust solutions with.
#[derive(Clone, Copy, ValueEnum)]
enum Peer {
    Python,
}

fn main() -> ExitCode {
    // Errors are for people: the message and its causes, no backtrace.
    run(Cli::parse()).unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}

/// Runs one of the students' commands, as `cargo xtask` does in the handout.
fn forward(command: &str, args: Vec<OsString>) -> ExitCode {
    course::cli::run(std::iter::once(OsString::from(command)).chain(args))
}

/// Runs the command line's command; `Ok(FAILURE)` when it ran and found problems.
fn run(cli: Cli) -> Result<ExitCode> {
    let root = workspace::root();
    match cli.command {
        Command::Progress { args } => Ok(forward("progress", args)),
        Command::Hint { args } => Ok(forward("hint", args)),
        Command::Watch { args } => Ok(forward("watch", args)),
        Command::Speed { args } => Ok(forward("speed", args)),
        Command::Check {
            labs,
            skip_book,
            timeout,
        } => {
            handout::require_instructor_tree(&root, "check")?;
            let options = check::Options {
                labs,
                skip_book,
                timeout: Duration::from_secs(timeout),
            };
            Ok(exit_code(check::run(&root, &options)?))
        }
        Command::GpuTest { quick, bundle } => Ok(exit_code(gpu_test::run(
            &root,
            &gpu_test::Options { quick, bundle },
        )?)),
        Command::Book {
            open_path,
            edition,
            layout,
        } => build_book(&root, open_path, edition, layout),
        Command::Grade(args) => grade(&root, args),
        Command::Handout {
            outdir,
            no_book,
            reference,
            force,
        } => {
            let options = handout::Options {
                book: !no_book,
                reference,
                force,
            };
            handout::run(&root, &outdir, &options)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => bench(&root, args),
    }
}

/// Success when a command that checks something found everything right.
fn exit_code(passed: bool) -> ExitCode {
    match passed {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    }
}

/// `cargo xtask book`: builds both editions and says where they are; in the handout, whose
/// book comes built, only says where it is.
fn build_book(root: &Path, open_path: bool, edition: EditionArg, layout: bool) -> Result<ExitCode> {
    if handout::is_handout(root) {
        let index = handout::built_book(root)?;
        match open_path {
            true => println!("{}", index.display()),
            false => println!("The book is built: open {}", index.display()),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let built = book::build(root)?;
    if open_path {
        println!("{}", built.index(edition.into()).display());
    } else {
        println!(
            "The book is built, in two editions:\n  student (no solutions):  {}\n  \
             reference (solutions):   {}",
            built.student.display(),
            built.reference.display()
        );
    }
    if layout {
        let rows = [report::Row {
            step: "the book in a browser".into(),
            tally: check::book_layout(root)?,
        }];
        report::print_summary(&rows);
        let (_, failed) = report::totals(&rows);
        return Ok(if failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask grade`: grades the submissions, or merges the gradebooks of shards.
fn grade(root: &Path, args: GradeArgs) -> Result<ExitCode> {
    if let Some(GradeCommand::Merge { dirs, out }) = args.command {
        let out = out.unwrap_or_else(|| root.join("target/grades"));
        grade::merge::run(&dirs, &out)?;
        return Ok(ExitCode::SUCCESS);
    }
    handout::require_instructor_tree(root, "grade")?;
    if args
        .submissions
        .first()
        .is_some_and(|first| first.as_os_str() == "merge" && !first.exists())
    {
        anyhow::bail!(
            "`merge` is a subcommand only right after `grade`, before any option: \
             `cargo xtask grade merge DIR... --out OUT`"
        );
    }
    grade::run(root, args.into())?;
    Ok(ExitCode::SUCCESS)
}

impl From<GradeArgs> for grade::Args {
    fn from(args: GradeArgs) -> Self {
        grade::Args {
            course: args.course,
            submissions: args.submissions,
            out: args.out,
            work: args.work,
            jobs: args.jobs,
            timeout: Duration::from_secs(args.timeout),
            test_timeout: Duration::from_secs(args.test_timeout),
            test_resources: grade::ResourceLimits {
                memory: args.memory_limit << 30,
                file_size: args.file_size_limit << 20,
                processes: args.process_limit,
                cpu: None,
            },
            unsandboxed: args.unsandboxed,
            labs: args.labs,
            shard: args.shard,
            void_missing_tools: args.void_missing_tools,
            speed_rounds: args.speed_rounds,
        }
    }
}

/// `cargo xtask bench`: the comparison with the course's Python, or lab 3's scaling study.
fn bench(root: &Path, args: BenchArgs) -> Result<ExitCode> {
    handout::require_instructor_tree(root, "bench")?;
    let BenchArgs {
        compare: Peer::Python,
        scaling,
        book,
        redraw,
        only,
        labs,
        sizes,
        repeats,
        threads,
        inner,
        quick,
    } = args;
    if redraw {
        bench::book::redraw(root, quick)?;
        return Ok(ExitCode::SUCCESS);
    }
    if book {
        bench::book::run(root, &bench::book::Options { quick, only })?;
        return Ok(ExitCode::SUCCESS);
    }
    if scaling {
        let options = bench::scaling::Options {
            sizes,
            inner: inner.unwrap_or(bench::scaling::DEFAULT_INNER),
            quick,
        };
        bench::scaling::run(root, &options)?;
        return Ok(ExitCode::SUCCESS);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let options = bench::Options {
        labs,
        sizes,
        repeats,
        threads: threads.unwrap_or(cores),
        inner: inner.unwrap_or(bench::DEFAULT_INNER),
        quick,
        limits: None,
    };
    bench::run(root, &options)?;
    Ok(ExitCode::SUCCESS)
}
