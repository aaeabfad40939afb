//! The original course's Python, timed beside the student's kernel: `support/python/
//! course_peers.py` (NumPy, SciPy's cdist, numba), one process per round, each variant
//! warmed up and then timed as the Rust probe is. Optional: without Python or a package,
//! a peer is skipped, and says what to install.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::json_number;
use crate::floor::Work;
use crate::workspace::SpeedToml;

/// The script, relative to the workspace's root.
const SCRIPT: &str = "support/python/course_peers.py";

/// The peers' times over the rounds, by label, in the order they first came; and the peers
/// skipped, with why.
#[derive(Debug, Default)]
pub struct Series {
    pub times: Vec<(String, Vec<f64>)>,
    pub skipped: BTreeMap<String, String>,
}

impl Series {
    /// Adds one round's output of the script.
    pub fn add(&mut self, stdout: &str) {
        for line in stdout.lines().filter(|line| line.starts_with('{')) {
            let label = json_string(line, "label")
                .or_else(|| json_string(line, "variant"))
                .unwrap_or_default();
            if let Some(why) = json_string(line, "skipped") {
                self.skipped.insert(label, why);
            } else if let Some(seconds) = json_number(line, "seconds") {
                match self.times.iter_mut().find(|(known, _)| *known == label) {
                    Some((_, times)) => times.push(seconds),
                    None => self.times.push((label, vec![seconds])),
                }
            }
        }
    }
}

/// The Python to run the peers with: the workspace's `.venv`, else `python3` on PATH; None
/// without either.
pub fn python(root: &Path) -> Option<PathBuf> {
    let venv = root.join(".venv/bin/python");
    if venv.is_file() {
        return Some(venv);
    }
    crate::workspace::find_on_path("python3")
}

/// One round of the peers of `speed`'s arithmetic, at its size: the script's output.
pub fn run(root: &Path, python: &Path, speed: &SpeedToml) -> Result<String> {
    let work = match speed.work {
        Work::Cityblock => "cityblock",
        Work::SqEuclidean => "sqeuclidean",
        Work::MatMul => return Ok(String::new()),
    };
    let output = Command::new(python)
        .current_dir(root)
        .args([SCRIPT, work, &speed.size, "--inner", "3"])
        .output()
        .with_context(|| format!("running {} {SCRIPT}", python.display()))?;
    if !output.status.success() {
        bail!(
            "the Python peers ({SCRIPT}) failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The string after `"field": ` in a JSON line (no escapes inside).
fn json_string(line: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\":");
    let rest = line[line.find(&key)? + key.len()..].trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_the_rounds_of_each_peer_and_what_was_skipped() {
        let mut series = Series::default();
        let round = "{\"variant\": \"scipy_cdist\", \"label\": \"SciPy cdist\", \"seconds\": 0.25}\n\
                     {\"variant\": \"numba_parallel\", \"label\": \"numba prange rows\", \
                     \"skipped\": \"no numba (pip install numba)\"}\n";
        series.add(round);
        series.add(&round.replace("0.25", "0.5"));
        assert_eq!(series.times, [("SciPy cdist".to_string(), vec![0.25, 0.5])]);
        assert_eq!(
            series.skipped["numba prange rows"],
            "no numba (pip install numba)"
        );
    }
}
