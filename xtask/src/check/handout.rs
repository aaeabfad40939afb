//! The `check` step "the handout builds, its stubs fail test by test": make the handout (without
//! the book, which has its own step) in `target/xtask/handout/`, then prove in it that the
//! workspace and its Cargo.lock hold without `solutions/` and `xtask/`, that every lab's stub
//! compiles warning-free with each shared test failing (the stub check of the instructor's
//! tree, rerun there), and that `cargo xtask` there runs the students' commands (`course`):
//! `progress`, `hint` and `watch` work for the students, and nothing else is shipped.
//!
//! It lives under `check` (not `handout`): it uses the stub check, and `handout` stays a plain
//! writer of files that `check` depends on, never the other way round.
//!
//! The copy builds into the instructor's `target/` (a `.cargo/config.toml` beside it sets
//! `build.target-dir`, so the handout itself stays byte for byte what students get): the
//! registry dependencies are already built there, only the handout's own crates compile, and
//! files left unchanged since the last check keep their time stamps, so a warm rerun compiles
//! nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cargo::{self, cargo_error};
use crate::handout::{STUDENT_ALIAS, leaks, locked_packages, plan, settle_lock, sync};
use crate::report::Tally;
use crate::workspace::{self, Lab, target_dir};

/// Where the check keeps its handout: under target/, so `cargo clean` removes it.
pub fn dir(root: &Path) -> PathBuf {
    target_dir(root).join("xtask/handout")
}

/// Runs the step for `labs` (the labs `check` was asked about).
pub fn check(root: &Path, labs: &[Lab], timeout: Duration) -> Result<Tally> {
    let mut tally = Tally::default();
    let out = dir(root);
    let plan = plan(root)?;
    let leaked = leaks(&plan);
    tally.check(leaked.is_empty(), || {
        format!(
            "the handout would contain solution material: {} (fix the lists in xtask/src/handout.rs)",
            leaked.join(", ")
        )
    });
    sync(&plan, &out)?;
    share_target_dir(root, &out)?;
    // The stubs' NumPy tests must reach NumPy, or they skip instead of failing.
    super::staging::link_venv(root, &out)?;
    settle_lock(&out)?;
    tally.absorb(same_versions(root, &out)?);

    // The manifest and the pruned lock file resolve as they are.
    let metadata = cargo::output(cargo::command(&out).args([
        "metadata",
        "--format-version",
        "1",
        "--locked",
    ]))?;
    tally.check(metadata.status.success(), || {
        format!(
            "the handout's workspace does not resolve with its Cargo.lock (`cargo metadata \
             --locked` in {}): see xtask/src/handout/manifest.rs\n{}",
            out.display(),
            cargo_error(&String::from_utf8_lossy(&metadata.stderr))
        )
    });

    let wanted: Vec<&str> = labs.iter().map(|lab| lab.name.as_str()).collect();
    for lab in workspace::discover(&out)?
        .iter()
        .filter(|lab| wanted.contains(&lab.name.as_str()))
    {
        let stub = super::stub(&out, lab, timeout)?;
        tally.passed += stub.passed;
        tally.notes.extend(stub.notes);
        for failure in stub.failures {
            tally.fail(format!("in the handout ({}): {failure}", out.display()));
        }
    }

    tally.absorb(students_commands(&out));
    Ok(tally)
}

/// `.cargo/config.toml` in the directory above the handout, which cargo reads after the
/// handout's own: the handout builds into the instructor's target directory.
pub(crate) fn share_target_dir(root: &Path, out: &Path) -> Result<()> {
    let parent = out.parent().unwrap_or(out);
    let config = parent.join(".cargo/config.toml");
    let target = target_dir(root);
    let text = format!(
        "# Written by `cargo xtask check`: the handout checked in {} builds into the instructor's\n\
         # target directory, where the dependencies are already built.\n[build]\ntarget-dir = {}\n",
        out.display(),
        toml::Value::String(target.display().to_string())
    );
    if fs::read_to_string(&config).ok().as_deref() != Some(text.as_str()) {
        fs::create_dir_all(parent.join(".cargo"))?;
        fs::write(&config, text).with_context(|| format!("writing {}", config.display()))?;
    }
    Ok(())
}

/// Every package of the handout's settled Cargo.lock is locked in the instructor's, at the same
/// version from the same source: students build exactly what the course was checked with.
fn same_versions(root: &Path, out: &Path) -> Result<Tally> {
    let mut tally = Tally::default();
    let read = |dir: &Path| -> Result<std::collections::BTreeSet<String>> {
        let path = dir.join("Cargo.lock");
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        locked_packages(&text)
    };
    let (course, handout) = (read(root)?, read(out)?);
    let strays: Vec<&String> = handout.difference(&course).collect();
    tally.check(strays.is_empty(), || {
        format!(
            "the handout's Cargo.lock locks what the instructor's does not: {strays:?} (see \
             xtask/src/handout/manifest.rs)"
        )
    });
    Ok(tally)
}

/// The handout ships no xtask, and `cargo xtask` there runs the students' commands: the alias
/// names `course`, which compiles, and whose binary answers `--help` with `progress`.
fn students_commands(out: &Path) -> Tally {
    let mut tally = Tally::default();
    tally.check(!out.join("xtask").exists(), || {
        format!(
            "the handout in {} has an xtask/ directory: the grader, the benchmarks and the \
             book's tools are the instructor's (fix DIRS in xtask/src/handout.rs)",
            out.display()
        )
    });
    let config = fs::read_to_string(out.join(".cargo/config.toml")).unwrap_or_default();
    let alias = config.parse::<toml::Table>().ok().and_then(|config| {
        config
            .get("alias")?
            .get("xtask")?
            .as_str()
            .map(str::to_owned)
    });
    tally.check(alias.as_deref() == Some(STUDENT_ALIAS), || {
        format!(
            "the handout's .cargo/config.toml must alias `xtask = \"{STUDENT_ALIAS}\"` (got \
             {alias:?}): students type `cargo xtask progress`"
        )
    });
    let help = cargo::command(out)
        .args(["xtask", "--help"])
        .output()
        .map_err(|error| error.to_string());
    let (ok, said) = match &help {
        Ok(run) => (
            run.status.success() && String::from_utf8_lossy(&run.stdout).contains("progress"),
            cargo_error(&String::from_utf8_lossy(&run.stderr)),
        ),
        Err(error) => (false, error.clone()),
    };
    tally.check(ok, || {
        format!(
            "`cargo xtask --help` does not run the students' commands in the handout ({}): \
             `course` must build there, without solutions/ and xtask/\n{said}",
            out.display()
        )
    });
    tally
}
