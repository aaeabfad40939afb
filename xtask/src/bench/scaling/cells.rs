//! The example's output: one JSON line per (variant, size, threads) cell, and an `info` line.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::bench::size::Size;

/// One cell of the study, as the example timed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub variant: String,
    pub size: Size,
    pub threads: usize,
    /// Best of the timed calls, after the warm-up call.
    pub seconds: f64,
    /// Σ r_ij; None when the example printed a non-finite value.
    pub checksum: Option<f64>,
}

#[derive(Debug, Default)]
pub struct Output {
    pub cells: Vec<Cell>,
    pub info: Map<String, Value>,
    /// Lines that were not JSON: shown, not fatal.
    pub other_lines: Vec<String>,
}

#[derive(Deserialize)]
struct Line {
    info: Option<Map<String, Value>>,
    variant: Option<String>,
    n: Option<usize>,
    m: Option<usize>,
    d: Option<usize>,
    threads: Option<usize>,
    seconds: Option<f64>,
    checksum: Option<f64>,
}

/// Parses the example's stdout; a JSON line that is neither a cell nor info is an error (the
/// two sides' formats drifted apart).
pub fn parse(stdout: &str) -> Result<Output> {
    let mut output = Output::default();
    for text in stdout.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Ok(line) = serde_json::from_str::<Line>(text) else {
            output.other_lines.push(text.to_string());
            continue;
        };
        if let Some(info) = line.info {
            output.info.extend(info);
            continue;
        }
        let (Some(variant), Some(n), Some(m), Some(d), Some(threads), Some(seconds)) = (
            line.variant,
            line.n,
            line.m,
            line.d,
            line.threads,
            line.seconds,
        ) else {
            bail!("a cell needs variant, n, m, d, threads and seconds: {text}");
        };
        output.cells.push(Cell {
            variant,
            size: Size { n, m, d },
            threads,
            seconds,
            checksum: line.checksum,
        });
    }
    Ok(output)
}

/// Every cell of a size must give the same Σ r_ij, whatever the variant and thread count
/// (both kernels add each pair's coordinates in order, so they agree to rounding of the
/// checksum's own sum at most). One line per cell that does not.
pub fn disagreements(cells: &[Cell]) -> Vec<String> {
    const RTOL: f64 = 1e-12;
    let mut first: BTreeMap<Size, &Cell> = BTreeMap::new();
    let mut problems = Vec::new();
    for cell in cells {
        let Some(sum) = cell.checksum else {
            problems.push(format!(
                "{} at {}, {} thread(s): no finite checksum",
                cell.variant,
                cell.size.pretty(),
                cell.threads
            ));
            continue;
        };
        let reference = *first.entry(cell.size).or_insert(cell);
        let expected = reference
            .checksum
            .expect("only cells with a checksum are kept");
        if (sum - expected).abs() > RTOL * expected.abs() {
            problems.push(format!(
                "{} at {}, {} thread(s): checksum {sum:e}, but {} at {} thread(s) gave {expected:e}",
                cell.variant,
                cell.size.pretty(),
                cell.threads,
                reference.variant,
                reference.threads
            ));
        }
    }
    problems
}

/// The best time of each (variant, size, threads) cell (a cell appears once per run).
pub fn best(cells: &[Cell]) -> BTreeMap<(String, Size, usize), f64> {
    let mut best: BTreeMap<(String, Size, usize), f64> = BTreeMap::new();
    for cell in cells {
        let key = (cell.variant.clone(), cell.size, cell.threads);
        let seconds = best.entry(key).or_insert(f64::INFINITY);
        *seconds = seconds.min(cell.seconds);
    }
    best
}
