//! `cargo xtask watch [lab]`: reruns the current exercise each time a file of the lab is saved,
//! like rustlings' watch mode. The current exercise is the one `hint` would pick: the first, in
//! the students' order, whose tests do not all pass. The exercises before it are rerun too (a
//! change may break them); those after it are not run at all.
//!
//! Ctrl-C stops it (the default action of the signal: nothing is left half-written).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use notify::{Event, RecursiveMode, Watcher};

use crate::cargo::{TestExe, excerpt};
use crate::hint;
use crate::progress::{exercise_status, next_step_for};
use crate::testrun::{self, Built, TargetResults};
use crate::ui::Ui;
use crate::workspace::{self, Lab};

/// The lab's directories whose files, saved, start a new run.
const WATCHED: [&str; 2] = ["src", "tests"];
/// Files that are sources (a lab's C, CUDA and Fortran kernels included); an editor's swap
/// and backup files, and what a test writes, are not.
const SOURCES: [&str; 8] = ["rs", "toml", "c", "h", "cu", "f90", "py", "pyi"];
/// Editors save in bursts (a temporary file, a rename, a chmod): a run starts after this long
/// without another event.
const QUIET: Duration = Duration::from_millis(200);

/// Where a run of a lab stands.
#[derive(Debug)]
pub enum Standing {
    /// The lab or its tests do not compile: the first error.
    DoesNotCompile(String),
    /// The current exercise, with its results; `done` exercises before it pass.
    Unfinished { current: TargetResults, done: usize },
    /// Every exercise passes.
    Finished { done: usize },
}

/// Runs the lab's test executables in the students' order until one is unfinished: that one is
/// the current exercise. `run` runs one executable (a test in unit tests runs no process).
pub fn standing(
    lab: &Lab,
    mut exes: Vec<TestExe>,
    mut run: impl FnMut(&TestExe) -> Result<TargetResults>,
) -> Result<Standing> {
    exes.sort_by_key(|exe| lab.exercise_rank(&exe.target));
    let mut done = 0;
    for exe in &exes {
        let results = run(exe)?;
        let (ok, total, _) = exercise_status(&results);
        if ok < total {
            return Ok(Standing::Unfinished {
                current: results,
                done,
            });
        }
        done += 1;
    }
    Ok(Standing::Finished { done })
}

/// Builds the lab's shared tests and finds where it stands (see [`standing`]).
fn test(root: &Path, lab: &Lab, timeout: Duration) -> Result<Standing> {
    let mut ui = Ui::new(1);
    ui.start(&format!("testing lab {}", lab.label()));
    let built = testrun::student_build(root, &lab.stub);
    let standing = built.and_then(|built| match built {
        Built::DoesNotCompile(error) => Ok(Standing::DoesNotCompile(error)),
        Built::Executables(exes) => {
            standing(lab, exes, |exe| testrun::run_one(&lab.stub, exe, timeout))
        }
    });
    ui.done();
    standing
}

/// The lab to watch when none is named: the first one not finished, with where it stands.
fn first_unfinished_lab(root: &Path, timeout: Duration) -> Result<(Lab, Standing)> {
    for lab in workspace::discover(root)? {
        let standing = test(root, &lab, timeout)?;
        if !matches!(standing, Standing::Finished { .. }) {
            return Ok((lab, standing));
        }
    }
    bail!(
        "every exercise of every lab passes: nothing left to watch. Watch one anyway with \
         `cargo xtask watch <lab>`"
    )
}

pub fn run(root: &Path, lab: Option<&str>, timeout: Duration) -> Result<()> {
    let (lab, mut standing) = match lab {
        Some(filter) => {
            let lab = hint::one_lab(root, filter)?;
            let standing = test(root, &lab, timeout)?;
            (lab, standing)
        }
        None => first_unfinished_lab(root, timeout)?,
    };
    let (sender, events) = channel();
    let mut watcher = notify::recommended_watcher(sender).context("starting the file watcher")?;
    let watched: Vec<PathBuf> = WATCHED
        .iter()
        .map(|dir| lab.stub.dir.join(dir))
        .filter(|dir| dir.is_dir())
        .collect();
    for dir in &watched {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .with_context(|| format!("watching {}", dir.display()))?;
    }
    let shown: Vec<String> = watched
        .iter()
        .map(|dir| workspace::rel(root, dir))
        .collect();
    let mut cause = None;
    for number in 1.. {
        println!("{}", header(&lab, number, cause.as_deref()));
        println!("{}", report(&lab, &standing));
        println!(
            "\nWatching {} for saved files; Ctrl-C to stop.",
            shown.join(" and ")
        );
        let saved = wait_for_save(&events)?;
        cause = Some(workspace::rel(root, &saved));
        standing = test(root, &lab, timeout)?;
    }
    Ok(())
}

/// The banner above each run, so that one run's output is told from the last one's.
pub fn header(lab: &Lab, number: usize, cause: Option<&str>) -> String {
    let why = cause.map_or(String::new(), |path| format!(", after {path} was saved"));
    let title = format!("watch: run {number} of lab {}{why}", lab.label());
    let rule = "═".repeat(title.chars().count().clamp(40, 72));
    format!("\n{rule}\n{title}\n{rule}")
}

/// What a run found, and what to do next.
pub fn report(lab: &Lab, standing: &Standing) -> String {
    match standing {
        Standing::DoesNotCompile(error) => format!(
            "Lab {} does not compile; the first error:\n{}",
            lab.name,
            excerpt(error, 25)
        ),
        Standing::Unfinished { current, done } => {
            let (ok, total, status) = exercise_status(current);
            let step = next_step_for(lab, current);
            let mut text = format!(
                "Exercise `{}`: {ok}/{total} tests pass ({status}); {done} exercise(s) before \
                 it done.",
                current.target
            );
            if !step.is_empty() {
                text += &format!("\n\nNext step: {step}");
            }
            text + &format!(
                "\nStuck? cargo xtask hint {} {}",
                lab.stub.package, current.target
            )
        }
        Standing::Finished { done } => format!(
            "Every exercise of lab {} passes ({done} of them): well done. See where you stand \
             with `cargo xtask progress`, or watch the next lab with `cargo xtask watch <lab>`.",
            lab.name
        ),
    }
}

/// Blocks until a source file under the watched directories is saved (and the burst of events
/// around it is over); returns it. A watcher error ends the watch, saying why.
fn wait_for_save(events: &Receiver<notify::Result<Event>>) -> Result<PathBuf> {
    loop {
        let event = events
            .recv()
            .context("the file watcher stopped")?
            .context("watching the lab's files")?;
        if let Some(path) = saved_source(&event) {
            while events.recv_timeout(QUIET).is_ok() {}
            return Ok(path);
        }
    }
}

/// The source file an event saved, created or removed, if it is one.
pub fn saved_source(event: &Event) -> Option<PathBuf> {
    let kind = event.kind;
    if !(kind.is_create() || kind.is_modify() || kind.is_remove()) {
        return None;
    }
    event.paths.iter().find(|path| is_source(path)).cloned()
}

fn is_source(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let extension = path.extension().unwrap_or_default().to_string_lossy();
    !name.starts_with('.') && SOURCES.contains(&extension.as_ref())
}

#[cfg(test)]
mod tests;
