//! The one machine header every generated file of `--book` starts with: CPU, cores, memory,
//! date, compiler, load, and the machine's measured limits (peak FMA rate, write bandwidth),
//! so that every time in the book sits beside what the machine could do.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::super::floor::Limits as FloorLimits;
use super::super::machine;
use super::data::summarize;

/// What the probe `support/examples/machine_limits.rs` printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    pub vector_unit: String,
    pub threads: usize,
    /// GFLOP/s of each run, all threads together.
    pub fma_gflops: Vec<f64>,
    /// Billions of Cityblock steps `s += |x − y|` per second in each run, all threads
    /// together; empty in files measured before the probe had it.
    #[serde(default)]
    pub cityblock_gsteps: Vec<f64>,
    pub write_bytes: u64,
    /// GB/s of each run.
    pub write_gbps: Vec<f64>,
}

/// The machine a run measured, as every generated file heads itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MachineHeader {
    /// `AMD EPYC … (family 25, model 1); avx2 yes, fma yes, avx512f no; 2 cores, 23 GiB`.
    pub machine: String,
    pub cores: usize,
    pub date: String,
    pub rustc: String,
    pub load_before: Option<f64>,
    pub limits: Limits,
    /// A `--quick` run: small sizes, not the book's numbers.
    pub quick: bool,
}

impl MachineHeader {
    pub fn describe(root: &Path, limits: Limits, quick: bool) -> MachineHeader {
        let found = machine::describe(root);
        MachineHeader {
            machine: found.summary(),
            cores: found.cores,
            date: machine::today(),
            rustc: found.rustc,
            load_before: machine::load_average(),
            limits,
            quick,
        }
    }

    /// Peak FMA rate (best run), GFLOP/s.
    pub fn peak_gflops(&self) -> f64 {
        summarize_best(&self.limits.fma_gflops)
    }

    /// Write bandwidth (best run), GB/s.
    pub fn write_gbps(&self) -> f64 {
        summarize_best(&self.limits.write_gbps)
    }

    /// Peak Cityblock step rate (best run), billions per second; NaN if not measured.
    pub fn cityblock_gsteps(&self) -> f64 {
        summarize_best(&self.limits.cityblock_gsteps)
    }

    /// The limits a floor is computed from.
    pub fn floor_limits(&self) -> FloorLimits {
        FloorLimits {
            peak_gflops: self.peak_gflops(),
            cityblock_gsteps: self.cityblock_gsteps(),
            write_gbps: self.write_gbps(),
        }
    }

    pub fn markdown(&self) -> String {
        let limits = &self.limits;
        let median = |runs: &[f64]| summarize(runs).map_or(f64::NAN, |s| s.median);
        let load = self
            .load_before
            .map_or("?".to_string(), |load| format!("{load:.2}"));
        let quick = match self.quick {
            true => "**A `--quick` run: small sizes, few samples; not the book's numbers.**\n\n",
            false => "",
        };
        let cityblock = match limits.cityblock_gsteps.is_empty() {
            true => String::new(),
            false => format!(
                ", peak Cityblock rate {:.1} G steps/s (a step: `s += |x − y|` on one lane; \
                 median {:.1})",
                self.cityblock_gsteps(),
                median(&limits.cityblock_gsteps)
            ),
        };
        format!(
            "{quick}Machine: {}. Measured {} with {}; load average (1 min) {load} at the start.\n\
             Its limits, measured by `support/examples/machine_limits.rs` on {} thread(s): peak \
             FMA rate {:.1} GFLOP/s ({} vectors; median {:.1}){cityblock}, write bandwidth \
             {:.1} GB/s (a {} MiB buffer written in order; median {:.1}).\n",
            self.machine,
            self.date,
            self.rustc,
            limits.threads,
            self.peak_gflops(),
            limits.vector_unit,
            median(&limits.fma_gflops),
            self.write_gbps(),
            limits.write_bytes >> 20,
            median(&limits.write_gbps),
        )
    }
}

fn summarize_best(runs: &[f64]) -> f64 {
    runs.iter().copied().fold(f64::NAN, f64::max)
}

/// Parses the probe's JSON line.
pub fn parse_limits(stdout: &str) -> Result<Limits> {
    let Some(line) = stdout
        .lines()
        .find(|line| line.contains("\"probe\":\"machine_limits\""))
    else {
        bail!("the probe machine_limits printed no result:\n{stdout}");
    };
    serde_json::from_str(line).context("reading machine_limits' JSON line")
}
