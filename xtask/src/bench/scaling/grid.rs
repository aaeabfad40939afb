//! Which cells the scaling study runs, and about how long they take: the estimate is what
//! keeps the full run under ten minutes on the course's 2-core VM.

use anyhow::Result;

use crate::bench::size::{self, Size};

/// The variants, in the order of the tables: the lab's fastest kernel, and its plain
/// parallel loop.
pub const VARIANTS: [&str; 2] = ["blocked", "par_rows"];

/// The ULHPC notebook's square case at its d = 500, and the course's 5000×5000×50. Keep in
/// step with `SIZES` in the example (a test checks).
pub const FULL_SIZES: &[&str] = &[
    "500x500x500",
    "1000x1000x500",
    "2000x2000x500",
    "4000x4000x500",
    "6000x6000x500",
    "10000x10000x500",
    "5000x5000x50",
];

pub const QUICK_SIZES: &[&str] = &["200x200x50", "400x400x50"];

/// par_rows is several times slower than blocked (5.6–8.8× in the study of 2026-12-02, Xeon):
/// above this much work (n·m·d) it would
/// take most of the run's time. Keep in step with the example's `PAR_ROWS_MAX_WORK`.
pub const PAR_ROWS_MAX_WORK: usize = 2_000_000_000;

/// Pair-coordinates (n·m·d) per second per core, native build, measured on the course VM.
pub fn rate(variant: &str) -> f64 {
    match variant {
        "blocked" => 9e9,
        _ => 1e9,
    }
}

/// The most the full grid may be estimated to take; larger sizes are dropped until it fits.
pub const FULL_RUN_BUDGET_SECONDS: f64 = 600.0;

/// Timed calls per cell after its warm-up call, unless `--inner` says otherwise (best of 5: a
/// shared VM's noise is mostly slow calls).
pub const DEFAULT_INNER: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// In the order of the tables' rows.
    pub sizes: Vec<Size>,
    /// Ascending, without repeats.
    pub threads: Vec<usize>,
    pub inner: usize,
    pub par_rows_max_work: usize,
}

impl Grid {
    /// The grid for `--sizes` (or the full or quick default) on `cores` cores.
    pub fn new(sizes: Option<&str>, quick: bool, inner: usize, cores: usize) -> Result<Grid> {
        let default = if quick { QUICK_SIZES } else { FULL_SIZES };
        let sizes = size::parse_list(&sizes.map_or_else(|| default.join(","), str::to_string))?;
        Ok(Grid {
            sizes,
            threads: if quick {
                quick_threads(cores)
            } else {
                full_threads(cores)
            },
            inner: inner.max(1),
            par_rows_max_work: PAR_ROWS_MAX_WORK,
        })
    }

    /// Whether `variant` runs at `size`.
    pub fn runs(&self, variant: &str, size: Size) -> bool {
        variant != "par_rows" || size.work() <= self.par_rows_max_work
    }

    /// Seconds of computing: for every cell, a warm-up and `inner` calls, at the variant's rate
    /// on min(threads, cores) cores (oversubscribed threads only take turns).
    pub fn estimate_seconds(&self, cores: usize) -> f64 {
        let calls = (1 + self.inner) as f64;
        let mut seconds = 0.0;
        for variant in VARIANTS {
            for &size in self.sizes.iter().filter(|&&s| self.runs(variant, s)) {
                for &threads in &self.threads {
                    let busy = threads.min(cores).max(1) as f64;
                    seconds += calls * size.work() as f64 / (rate(variant) * busy);
                }
            }
        }
        seconds
    }

    /// Drops the largest sizes until the estimate fits `budget` (one size always stays);
    /// returns what it dropped.
    pub fn fit(&mut self, cores: usize, budget: f64) -> Vec<Size> {
        let mut dropped = Vec::new();
        while self.sizes.len() > 1 && self.estimate_seconds(cores) > budget {
            let largest = (0..self.sizes.len())
                .max_by_key(|&i| self.sizes[i].work())
                .expect("sizes is not empty");
            dropped.push(self.sizes.remove(largest));
        }
        dropped
    }
}

/// 1 to the core count, then 2× and 4× oversubscribed: 1, 2, 4, 8 on two cores.
pub fn full_threads(cores: usize) -> Vec<usize> {
    let cores = cores.max(1);
    let mut threads: Vec<usize> = (1..=cores).chain([2 * cores, 4 * cores]).collect();
    threads.dedup();
    threads
}

/// 1, the core count and 2× oversubscribed: enough to see each regime once.
pub fn quick_threads(cores: usize) -> Vec<usize> {
    let cores = cores.max(1);
    let mut threads = vec![1, cores, 2 * cores];
    threads.dedup();
    threads
}
