//! Exercise 7's MPI program, driven under `mpirun`: its `--time` line (a given file, printed
//! for people) read back into cells: the ranks' best time and the serial kernel's.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use super::cells::Found;
use crate::cargo;

/// Builds the program with its `mpi` feature, release; returns the executable.
pub fn build(root: &Path, package: &str, bin: &str) -> Result<PathBuf> {
    let mut command = cargo::command(root);
    command
        .args([
            "build",
            "--release",
            "--package",
            package,
            "--features",
            "mpi",
        ])
        .args(["--bin", bin])
        .arg("--message-format=json-render-diagnostics")
        .stderr(Stdio::inherit());
    let out = cargo::output(&mut command)?;
    if !out.status.success() {
        bail!("could not build {bin} (needs Open MPI's mpicc and libclang)");
    }
    crate::artifacts::executables(&String::from_utf8_lossy(&out.stdout))
        .into_iter()
        .find(|exe| exe.name == bin)
        .map(|exe| exe.path)
        .with_context(|| format!("cargo built no executable {bin}"))
}

/// `mpirun -np ranks exe --time n m d repeats`; as root, Open MPI must be told it may run.
pub fn command(exe: &Path, ranks: usize, size: &str, repeats: usize) -> Command {
    let mut command = Command::new("mpirun");
    command
        .args(["--oversubscribe", "-np", &ranks.to_string()])
        .arg(exe)
        .arg("--time")
        .args(size.split('x'))
        .arg(repeats.to_string())
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    command
}

/// Reads `2000x2000x50: 2 ranks 66.2 ms, serial kernel 107.0 ms, speed-up 1.61` into a cell
/// for the ranks and one for the serial kernel (the table: one row per rank count).
pub fn parse(stdout: &str, size: &str) -> Result<Vec<Found>> {
    let line = stdout
        .lines()
        .find(|line| line.starts_with(&format!("{size}:")))
        .with_context(|| format!("no `{size}:` line from the MPI program:\n{stdout}"))?;
    let number_before = |unit: &str| -> Result<f64> {
        let (head, _) = line
            .split_once(unit)
            .with_context(|| format!("no `{unit}` in `{line}`"))?;
        let word = head.split_whitespace().last().unwrap_or_default();
        word.parse::<f64>()
            .with_context(|| format!("`{word}` in `{line}` is not a number"))
    };
    let ranks = number_before(" ranks")? as usize;
    let ranks_ms = number_before(" ms, serial")?;
    let serial_ms = line
        .split("serial kernel")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|word| word.parse::<f64>().ok())
        .with_context(|| format!("no serial kernel time in `{line}`"))?;
    let cell = |row: String, ms: f64| Found {
        table: "Cityblock by MPI ranks".into(),
        row,
        column: size.into(),
        seconds: vec![ms / 1e3],
    };
    // The serial kernel first: the row the ranks are read against.
    Ok(vec![
        cell(
            "the serial kernel, in rank 0's process after the runs".into(),
            serial_ms,
        ),
        cell(format!("{ranks} rank(s)"), ranks_ms),
    ])
}
