//! The peers' output: one JSON line per measurement, and `info` lines (versions, build
//! features, thread counts). Both sides print the same fields, so one parser reads both.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::peers::Side;
use super::size::Size;
use super::summary::summarize;

/// One timed variant at one size, from one process.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub side: Side,
    pub variant: String,
    pub size: Size,
    /// Best of the process's timed calls, after its warm-up call.
    pub seconds: f64,
    /// The warm-up call: first touch of fresh memory, and a JIT's compile.
    pub warmup_seconds: Option<f64>,
    /// Σ r_ij (row sums, then their sum); None when the peer printed a non-finite value.
    pub checksum: Option<f64>,
    /// `r[0, 0]`, `r[n/2, m/3]`, `r[n-1, m-1]`.
    pub samples: Vec<Option<f64>>,
}

/// What one process printed.
#[derive(Debug, Default)]
pub struct Output {
    pub records: Vec<Record>,
    /// `info` objects merged per side (a later key wins).
    pub info: BTreeMap<Side, Map<String, Value>>,
    /// Lines that were not JSON (a library's stray print): shown, not fatal.
    pub other_lines: Vec<String>,
}

#[derive(Deserialize)]
struct Line {
    side: String,
    info: Option<Map<String, Value>>,
    variant: Option<String>,
    size: Option<String>,
    seconds: Option<f64>,
    warmup_seconds: Option<f64>,
    checksum: Option<f64>,
    #[serde(default)]
    samples: Vec<Option<f64>>,
}

/// Parses a process's stdout. A JSON line that is neither a record nor an info line is an
/// error: it means the two sides' formats drifted apart.
pub fn parse(stdout: &str) -> Result<Output> {
    let mut output = Output::default();
    for text in stdout.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Ok(line) = serde_json::from_str::<Line>(text) else {
            output.other_lines.push(text.to_string());
            continue;
        };
        let side = Side::from_key(&line.side)
            .with_context(|| format!("unknown side `{}` in {text}", line.side))?;
        if let Some(info) = line.info {
            output.info.entry(side).or_default().extend(info);
            continue;
        }
        let (Some(variant), Some(size), Some(seconds)) = (line.variant, line.size, line.seconds)
        else {
            bail!("a measurement needs variant, size and seconds: {text}");
        };
        output.records.push(Record {
            side,
            variant,
            size: size.parse()?,
            seconds,
            warmup_seconds: line.warmup_seconds,
            checksum: line.checksum,
            samples: line.samples,
        });
    }
    Ok(output)
}

/// The best and the median time of each (side, variant, size) over all rounds (each round's
/// time is the best of its process's calls), and the slowest warm-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Best {
    pub seconds: f64,
    /// The median of the rounds' times: how the typical round went, where `seconds` is the
    /// luckiest.
    pub median: f64,
    pub runs: usize,
    pub slowest_warmup: Option<f64>,
}

pub type Key = (Side, String, Size);

pub fn best_of(records: &[Record]) -> BTreeMap<Key, Best> {
    let mut runs: BTreeMap<Key, (Vec<f64>, Option<f64>)> = BTreeMap::new();
    for record in records {
        let key = (record.side, record.variant.clone(), record.size);
        let (times, slowest_warmup) = runs.entry(key).or_default();
        times.push(record.seconds);
        if let Some(warmup) = record.warmup_seconds {
            *slowest_warmup = Some(slowest_warmup.map_or(warmup, |w: f64| w.max(warmup)));
        }
    }
    runs.into_iter()
        .filter_map(|(key, (times, slowest_warmup))| {
            let summary = summarize(&times)?;
            let best = Best {
                seconds: summary.best,
                median: summary.median,
                runs: times.len(),
                slowest_warmup,
            };
            Some((key, best))
        })
        .collect()
}
