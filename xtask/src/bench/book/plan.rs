//! What `cargo xtask bench --book` measures: every measured table of the book, each with the
//! sources that fill it (a criterion bench in some builds, a program's JSON lines), and the
//! file names it writes. Pure data and naming, so that it can be tested without measuring.

use std::path::{Path, PathBuf};

use super::super::floor::Floor;
use super::criterion::Config;

/// The default build, 4 KiB pages: what `cargo bench` measures with no setting.
pub const DEFAULT: Config = Config {
    label: "default build",
    native: false,
    huge_pages: false,
};
pub const DEFAULT_HUGE: Config = Config {
    label: "default build, huge pages",
    native: false,
    huge_pages: true,
};
pub const NATIVE: Config = Config {
    label: "native build",
    native: true,
    huge_pages: false,
};
pub const NATIVE_HUGE: Config = Config {
    label: "native build, huge pages",
    native: true,
    huge_pages: true,
};

/// How a criterion bench's samples become cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Layout {
    /// One table per criterion group (a size), one column per config.
    TablePerGroup,
    /// One table per config, one column per group (the sizes side by side).
    TablePerConfig,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Source {
    Criterion {
        package: &'static str,
        bench: &'static str,
        /// criterion's filter: a prefix of the groups the page shows.
        filter: &'static str,
        /// With `--quick`: the smallest group only.
        quick_filter: &'static str,
        /// With `--quick`: the bench's own size knob, if it has one.
        quick_env: &'static [(&'static str, &'static str)],
        configs: &'static [Config],
        layout: Layout,
        /// criterion's own options for this bench (a shorter `--measurement-time` where the
        /// table has many cells), outside `--quick`.
        criterion_args: &'static [&'static str],
    },
    /// A solution's example that prints cell lines (`--json`).
    RustExample {
        package: &'static str,
        example: &'static str,
        args: &'static [&'static str],
        quick_args: &'static [&'static str],
        /// Built with `-C target-cpu=native` (in its own target dir), else the default build.
        native: bool,
        /// It runs a Python peer itself: the venv is filled from these pins and its Python
        /// passed as `--python`.
        python: Option<&'static str>,
    },
    /// Exercise 7's MPI program (`--time N M D REPEATS`), under `mpirun -np` each rank count;
    /// it prints the best of REPEATS for the ranks and for the serial kernel in rank 0.
    Mpi {
        package: &'static str,
        bin: &'static str,
        ranks: &'static [usize],
        sizes: &'static [&'static str],
        quick_sizes: &'static [&'static str],
        repeats: usize,
    },
    /// Lab 4's out-of-core example, once per block size, each run in a fresh process under a
    /// 512 MiB cap on its address space, after dropping the page cache where allowed; its
    /// first pass reads from disk (cold), its second from the page cache (warm).
    OutOfCore {
        blocks: &'static [usize],
        /// `--days --rows --cols`: the original's fields, or small ones with `--quick`.
        shape: &'static [&'static str],
        quick_shape: &'static [&'static str],
    },
    /// A Python script of a solution that prints cell lines (`--json`), run in the venv.
    Python {
        script: &'static str,
        requirements: &'static str,
        args: &'static [&'static str],
        quick_args: &'static [&'static str],
        quick_env: &'static [(&'static str, &'static str)],
    },
}

/// One generated include file and what fills it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// The file stem: `measured/<name>.md`, `measured/data/<name>.json`.
    pub name: &'static str,
    /// The chapter pages that include it, under book/src/labs/.
    pub pages: &'static [&'static str],
    /// What one cell is, for the sentence above the tables.
    pub method: &'static str,
    pub sources: &'static [Source],
    /// Interleaved rounds of every source (one with `--quick`).
    pub rounds: usize,
    /// The operation's floor from the header's limits, where its work is known exactly
    /// (a floor row, and each cell's fraction of it).
    pub floor: Option<Floor>,
}

/// The comparisons with Python and the scaling study keep their own commands and formats;
/// `--book` runs them in the same run and heads their files with the same machine header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Comparison {
    /// `bench --compare python --lab LAB`: the lab's Python peers against its Rust variants.
    Python { lab: &'static str },
    /// Lab 6's extension called from Python (`ffi_peers.py`).
    FfiPeers,
    /// Lab 3's scaling study (`bench --scaling`).
    Scaling,
}

impl Comparison {
    /// The stem of the file it writes: `measured/<name>.md`.
    pub fn name(&self) -> &'static str {
        match self {
            Comparison::Python { lab } => lab,
            Comparison::FfiPeers => "06-ffi",
            Comparison::Scaling => "03-parallel-scaling",
        }
    }
}

pub const COMPARISONS: &[Comparison] = &[
    Comparison::Python {
        lab: "02-vectorization",
    },
    Comparison::Python { lab: "03-parallel" },
    Comparison::FfiPeers,
    Comparison::Scaling,
];

pub const MEASUREMENTS: &[Measurement] = &[
    Measurement {
        name: "01-strides-transpose",
        pages: &["01-strides/measured.md"],
        method: "Lab 1's bench `transpose` (the reference functions of `views.rs`) with the \
                 system's 4 KiB pages and with huge pages (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), \
                 and the NumPy cells of `transpose_numpy.py` on the same matrix; seconds per call.",
        sources: &[
            Source::Criterion {
                package: "strides-solution",
                bench: "transpose",
                filter: "transpose_",
                quick_filter: "transpose_",
                quick_env: &[("STRIDES_BENCH_N", "1000")],
                configs: &[DEFAULT, DEFAULT_HUGE],
                layout: Layout::TablePerGroup,
                criterion_args: &[],
            },
            Source::Python {
                script: "solutions/01-strides/python/transpose_numpy.py",
                requirements: "solutions/03-parallel/python/requirements.txt",
                args: &["--json"],
                quick_args: &["--json"],
                quick_env: &[("STRIDES_BENCH_N", "1000")],
            },
        ],
        rounds: 2,
        floor: None,
    },
    Measurement {
        name: "02-vectorization-edm",
        pages: &["02-vectorization/measured-edm.md"],
        method: "Lab 2's bench `edm`, every variant at the course's sizes, in the native and the \
                 default build, each with 4 KiB and with huge pages; 10 samples of criterion in 2 s \
                 per benchmark and round (its default is 5 s: 39 benchmarks times four builds); \
                 seconds per call.",
        sources: &[Source::Criterion {
            package: "vectorization-solution",
            bench: "edm",
            filter: "edm_",
            quick_filter: "edm_500x500x500",
            quick_env: &[],
            configs: &[NATIVE, NATIVE_HUGE, DEFAULT, DEFAULT_HUGE],
            layout: Layout::TablePerConfig,
            criterion_args: &["--measurement-time", "2"],
        }],
        rounds: 2,
        floor: Some(Floor::SqEuclidean),
    },
    Measurement {
        name: "02-vectorization-matmul",
        pages: &["02-vectorization/measured-matmul.md"],
        method: "Lab 2's bench `edm`, group `matmul_250x300x250`: the five matrix products of \
                 exercise 6, default and native build; seconds per call.",
        sources: &[Source::Criterion {
            package: "vectorization-solution",
            bench: "edm",
            filter: "matmul_",
            quick_filter: "matmul_",
            quick_env: &[],
            configs: &[DEFAULT, NATIVE],
            layout: Layout::TablePerGroup,
            criterion_args: &[],
        }],
        rounds: 3,
        floor: Some(Floor::MatMul),
    },
    Measurement {
        name: "02-vectorization-paths",
        pages: &["02-vectorization/measured-edm.md"],
        method: "Lab 2's example `edm_paths`, default build: the reference kernel (the trick in the \
                 kernel, row norms included, and the direct kernel) into a reused output, on \
                 each instruction path this CPU has, chosen by hand instead of at run time; \
                 seconds per call.",
        sources: &[Source::RustExample {
            package: "vectorization-solution",
            example: "edm_paths",
            args: &["--json"],
            quick_args: &["--json", "--runs", "1", "--sizes", "200x200x50"],
            native: false,
            python: None,
        }],
        rounds: 3,
        floor: Some(Floor::SqEuclidean),
    },
    Measurement {
        name: "02-vectorization-gemm",
        pages: &["02-vectorization/measured-matmul.md"],
        method: "Lab 2's example `gemm_libraries`, default build: the trick's product x·yᵀ at the \
                 course's sizes (n×m×d: x is n×d, y is m×d) by matrixmultiply (what ndarray's \
                 `dot` calls), faer and OpenBLAS, each into one reused output; seconds per call.",
        sources: &[Source::RustExample {
            package: "vectorization-solution",
            example: "gemm_libraries",
            args: &["--json"],
            quick_args: &["--json", "--runs", "1", "--sizes", "200x200x50"],
            native: false,
            python: None,
        }],
        rounds: 3,
        floor: Some(Floor::SqEuclidean),
    },
    Measurement {
        name: "03-parallel-cityblock",
        pages: &["03-parallel/measured.md"],
        method: "Lab 3's bench `cityblock`, every variant at the course's sizes on rayon's global \
                 pool (every core), in the native and the default build; seconds per call.",
        sources: &[Source::Criterion {
            package: "parallel-solution",
            bench: "cityblock",
            filter: "cityblock_",
            quick_filter: "cityblock_500x500x500",
            quick_env: &[],
            configs: &[NATIVE, DEFAULT],
            layout: Layout::TablePerConfig,
            criterion_args: &[],
        }],
        rounds: 2,
        floor: Some(Floor::Cityblock),
    },
    Measurement {
        name: "03-parallel-paths",
        pages: &["03-parallel/measured.md"],
        method: "Lab 3's example `cityblock_paths`, default build: the blocked Cityblock kernel on each \
                 instruction path this CPU has, chosen by hand instead of at run time; seconds \
                 per call.",
        sources: &[Source::RustExample {
            package: "parallel-solution",
            example: "cityblock_paths",
            args: &["--json"],
            quick_args: &["--json", "--runs", "1", "--sizes", "200x200x50"],
            native: false,
            python: None,
        }],
        rounds: 3,
        floor: Some(Floor::Cityblock),
    },
    Measurement {
        name: "03-parallel-limits",
        pages: &["03-parallel/measured.md"],
        method: "Lab 3's example `limits`, default build: the blocked kernel's tiles alone, on the \
                 instruction set it picks at run time, with their panels in cache (scaled to the \
                 work of 5000×5000×50 on every thread), and a fresh 5000×5000 result written \
                 once; seconds per run.",
        sources: &[Source::RustExample {
            package: "parallel-solution",
            example: "limits",
            args: &["--json"],
            quick_args: &["--json"],
            native: false,
            python: None,
        }],
        rounds: 3,
        floor: None,
    },
    Measurement {
        name: "04-taskgraph-compare",
        pages: &[
            "04-taskgraph/measured-overhead.md",
            "04-taskgraph/measured-chunked.md",
        ],
        method: "Lab 4's comparison command: the scheduler's cost per task against \
                 `dask.delayed`'s (`python/dask_overhead.py`, best of its repeats, per round: \
                 build is making the graph, compute is running it on a pool started \
                 beforehand), and the chunked Cityblock graph against lab 3's kernel (best of 3 \
                 calls per round); seconds.",
        sources: &[Source::RustExample {
            package: "taskgraph-solution",
            example: "compare_taskgraph",
            args: &["--json", "--rounds", "5"],
            quick_args: &["--json", "--rounds", "1", "--sizes", "100,1000"],
            native: false,
            python: Some("solutions/04-taskgraph/python/requirements.txt"),
        }],
        rounds: 1,
        floor: None,
    },
    Measurement {
        name: "04-taskgraph-graph",
        pages: &["04-taskgraph/measured-chunked.md"],
        method: "Lab 4's bench `graph`, group `cityblock 2000x2000x50`: the kernels nested in \
                 the chunked graph, default build; seconds per call.",
        sources: &[Source::Criterion {
            package: "taskgraph-solution",
            bench: "graph",
            filter: "cityblock 2000x2000x50",
            quick_filter: "cityblock 2000x2000x50/serial kernel, one thread",
            quick_env: &[],
            configs: &[DEFAULT],
            layout: Layout::TablePerGroup,
            criterion_args: &[],
        }],
        rounds: 2,
        floor: None,
    },
    Measurement {
        name: "04-taskgraph-mean",
        pages: &["04-taskgraph/blocked.md"],
        method: "Lab 4's bench `graph`, group `mean of 4000x2500`: the mean of 10⁷ numbers made \
                 and summed by the tasks, in 10 000, 100 and 1 chunks, on every core, default \
                 build; seconds per call.",
        sources: &[Source::Criterion {
            package: "taskgraph-solution",
            bench: "graph",
            filter: "mean of",
            quick_filter: "mean of",
            quick_env: &[],
            configs: &[DEFAULT],
            layout: Layout::TablePerGroup,
            criterion_args: &[],
        }],
        rounds: 2,
        floor: None,
    },
    Measurement {
        name: "04-taskgraph-mpi",
        pages: &["04-taskgraph/measured-mpi.md"],
        method: "Exercise 7's program under `mpirun -np 1` and `-np 2`, each rank a process with \
                 one thread; each sample is the best of 5 runs of the program (`--time`), the \
                 serial kernel timed in rank 0's process after them.",
        sources: &[Source::Mpi {
            package: "taskgraph-solution",
            bin: "taskgraph-solution-mpi",
            ranks: &[1, 2],
            sizes: &["2000x2000x50", "4000x4000x50"],
            quick_sizes: &["500x500x50"],
            repeats: 5,
        }],
        rounds: 4,
        floor: None,
    },
    Measurement {
        name: "04-taskgraph-outofcore",
        pages: &["04-taskgraph/measured-outofcore.md"],
        method: "Lab 4's example `out_of_core`: the mean of the original's fields, a block of \
                 rows at a time, the process's address space capped at 512 MiB (`ulimit -v`); \
                 the first run after dropping the page cache (cold, where the run may drop it: \
                 see the notes), the second with the files in the cache (warm); seconds.",
        sources: &[Source::OutOfCore {
            blocks: &[16, 64, 256],
            shape: &["--days", "4", "--rows", "5760", "--cols", "11520"],
            quick_shape: &["--days", "2", "--rows", "576", "--cols", "1152"],
        }],
        rounds: 2,
        floor: None,
    },
    Measurement {
        name: "04-taskgraph-processes",
        pages: &["04-taskgraph/measured-processes.md"],
        method: "The original's threads-vs-processes notebook: one call of the pure-Python (and \
                 the Rust) double loop, then `tasks` calls on threads and on processes; the \
                 Python side also times what a `processes` run is made of (see the notes).",
        sources: &[
            Source::RustExample {
                package: "taskgraph-solution",
                example: "threads_vs_processes",
                args: &["--json", "--n", "1000", "--tasks", "4", "--repeats", "3"],
                quick_args: &["--json", "--n", "200", "--tasks", "4", "--repeats", "1"],
                native: false,
                python: None,
            },
            Source::Python {
                script: "solutions/04-taskgraph/python/threads_vs_processes.py",
                requirements: "solutions/04-taskgraph/python/requirements.txt",
                args: &["--json", "--n", "1000", "--tasks", "4", "--repeats", "3"],
                quick_args: &["--json", "--n", "200", "--tasks", "4", "--repeats", "1"],
                quick_env: &[],
            },
        ],
        rounds: 2,
        floor: None,
    },
    Measurement {
        name: "06-ffi-kernels",
        pages: &["06-ffi/measured-kernels.md"],
        method: "Lab 6's bench `ffi`: the C and Fortran kernels called from Rust (built by \
                 `build.rs` without `-march=native`, so the default build only), OpenMP on every \
                 core; seconds per call.",
        sources: &[Source::Criterion {
            package: "ffi-solution",
            bench: "ffi",
            filter: "cityblock_",
            quick_filter: "cityblock_2000x2000x50",
            quick_env: &[],
            configs: &[DEFAULT],
            layout: Layout::TablePerConfig,
            criterion_args: &[],
        }],
        rounds: 2,
        floor: None,
    },
];

/// Where a run writes: the book's measured/ directory, or target/compare/quick/ for `--quick`
/// (a smoke run never overwrites the book).
#[derive(Debug, Clone, PartialEq)]
pub struct Files {
    pub tables: PathBuf,
    pub data: PathBuf,
    /// criterion's output, one fresh directory per run.
    pub criterion: PathBuf,
}

impl Files {
    pub fn new(root: &Path, quick: bool) -> Files {
        let tables = match quick {
            true => root.join("target/compare/quick"),
            false => root.join("book/src/labs/measured"),
        };
        Files {
            data: tables.join("data"),
            tables,
            criterion: root.join("target/compare/criterion"),
        }
    }

    pub fn table(&self, name: &str) -> PathBuf {
        self.tables.join(format!("{name}.md"))
    }

    pub fn data(&self, name: &str) -> PathBuf {
        self.data.join(format!("{name}.json"))
    }

    /// The machine header's own data: the probe's runs.
    pub fn machine(&self) -> PathBuf {
        self.data.join("machine.json")
    }

    /// criterion's home for one config of one measurement in one round.
    pub fn criterion_home(&self, name: &str, config: &Config, round: usize) -> PathBuf {
        self.criterion
            .join(name)
            .join(format!("{}-round{round}", slug(config.label)))
    }
}

/// `default build, huge pages` → `default-build-huge-pages`.
pub fn slug(label: &str) -> String {
    let mut slug = String::new();
    for c in label.chars() {
        match c.is_ascii_alphanumeric() {
            true => slug.push(c.to_ascii_lowercase()),
            false if !slug.ends_with('-') && !slug.is_empty() => slug.push('-'),
            false => {}
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// What one run measures: measurements first, then comparisons.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub measurements: Vec<&'static Measurement>,
    pub comparisons: Vec<Comparison>,
}

/// What `--only` picks: everything when none is given; each name picks the file of exactly that
/// name if there is one (`03-parallel` is lab 3's comparison with Python, not every file of lab
/// 3), else every file whose name starts with it (`04`).
pub fn select(only: &[String]) -> anyhow::Result<Selection> {
    let picked = |name: &str| {
        only.is_empty()
            || only.iter().any(|o| match is_a_name(o) {
                true => name == o,
                false => name.starts_with(o.as_str()),
            })
    };
    let selection = Selection {
        measurements: MEASUREMENTS.iter().filter(|m| picked(m.name)).collect(),
        comparisons: COMPARISONS
            .iter()
            .copied()
            .filter(|c| picked(c.name()))
            .collect(),
    };
    if selection.measurements.is_empty() && selection.comparisons.is_empty() {
        anyhow::bail!(
            "no measurement matches {only:?}: there are {}",
            names().join(", ")
        );
    }
    Ok(selection)
}

fn names() -> Vec<&'static str> {
    let measured = MEASUREMENTS.iter().map(|m| m.name);
    measured
        .chain(COMPARISONS.iter().map(|c| c.name()))
        .collect()
}

fn is_a_name(text: &str) -> bool {
    names().contains(&text)
}
