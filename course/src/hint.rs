//! `cargo xtask hint <lab> [exercise] [n]`: progressive hints, kept beside each lab in
//! `exercises/NN-x/hints/<exercise>.md` (the same files the book folds into the chapter).
//!
//! With only the lab, the exercise is the first one whose tests do not all pass yet, found by
//! running the lab's tests the way `progress` does. There is no state file: without `n`, the
//! hint shown is the first, and the output ends with the command for the next one.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::cargo::excerpt;
use crate::progress;
use crate::python::{PythonExercise, PythonTests};
use crate::testrun::{self, Tests};
use crate::ui::Ui;
use crate::workspace::{self, Lab};

pub mod file;

pub use file::Hint;

#[derive(Debug, PartialEq)]
pub struct Args {
    /// A number (`1`), directory (`01-strides`), topic or package (`strides`).
    pub lab: String,
    pub exercise: Option<String>,
    /// 1-based.
    pub number: Option<usize>,
    /// For the test run that finds the first unfinished exercise.
    pub timeout: Duration,
}

pub fn run(root: &Path, args: &Args) -> Result<()> {
    let lab = one_lab(root, &args.lab)?;
    let command = format!("cargo xtask hint {}", lab.stub.package);
    let exercise = match &args.exercise {
        Some(exercise) => known_exercise(&lab, exercise, &command)?,
        None => match first_unfinished(root, &lab, &command, args.timeout)? {
            Some(exercise) => exercise,
            None => return Ok(()),
        },
    };
    let path = file::path(&lab.stub.dir, &exercise);
    if !path.is_file() {
        bail!(
            "exercise `{exercise}` of lab {} has no hints yet ({} is missing); its tests and \
             the lab's chapter in the book say what to do",
            lab.name,
            workspace::rel(root, &path)
        );
    }
    let hints = file::read(&path)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("reading {}", workspace::rel(root, &path)))?;
    let number = args.number.unwrap_or(1);
    let Some(hint) = number.checked_sub(1).and_then(|i| hints.get(i)) else {
        bail!(
            "exercise `{exercise}` of lab {} has {}, there is no hint {number}:\n{}\n\
             Show one with: {command} {exercise} <1-{}>",
            lab.name,
            match hints.len() {
                1 => "1 hint".to_string(),
                n => format!("{n} hints"),
            },
            listing(&hints),
            hints.len(),
        );
    };
    println!("{}", render(&lab, &exercise, hint, hints.len(), &command));
    Ok(())
}

/// The lab named by `filter`, as `--lab` elsewhere accepts it.
pub fn one_lab(root: &Path, filter: &str) -> Result<Lab> {
    let mut labs = workspace::select(workspace::discover(root)?, &[filter.to_string()])?;
    if labs.len() > 1 {
        let names: Vec<&str> = labs.iter().map(|lab| lab.name.as_str()).collect();
        bail!(
            "`{filter}` names several labs ({}): use the directory name",
            names.join(", ")
        );
    }
    Ok(labs.remove(0))
}

/// The lab's exercises in order: `lab.toml`'s list, else the test files' stems; then its
/// Python exercise, if it has one.
pub fn exercises(lab: &Lab) -> Result<Vec<String>> {
    workspace::exercises_of(Some(&lab.meta), &lab.stub.dir.join("tests"))
}

fn known_exercise(lab: &Lab, exercise: &str, command: &str) -> Result<String> {
    let known = exercises(lab)?;
    // `views.rs` or `tests/views.rs`, pasted from a test path, mean `views`.
    let stem = Path::new(exercise)
        .file_stem()
        .map_or(exercise.to_string(), |s| s.to_string_lossy().into_owned());
    if known.contains(&stem) {
        return Ok(stem);
    }
    bail!(
        "lab {} has no exercise `{exercise}`; its exercises, in order, are: {}\n\
         e.g. {command} {}",
        lab.name,
        known.join(", "),
        known.first().map_or("", String::as_str)
    )
}

/// Runs the lab's tests; the first exercise not finished yet, or None (and a word) when all pass.
fn first_unfinished(
    root: &Path,
    lab: &Lab,
    command: &str,
    timeout: Duration,
) -> Result<Option<String>> {
    let mut ui = Ui::new(1);
    ui.start(&format!(
        "testing lab {} to find your next exercise",
        lab.label()
    ));
    let tests = testrun::student_build_and_run(root, &lab.stub, timeout);
    ui.done();
    let known = exercises(lab)?.join(", ");
    let targets = match tests? {
        Tests::DoesNotCompile(error) => bail!(
            "lab {} does not compile, so which exercise you are on cannot be told; the first \
             error:\n{}\n\nAsk for an exercise's hints by name: {command} <exercise> \
             (exercises: {known})",
            lab.name,
            excerpt(&error, 25)
        ),
        Tests::Ran(targets) => targets,
    };
    if let Some(target) = progress::first_unfinished(lab, &targets) {
        let (ok, total, _) = progress::exercise_status(target);
        println!(
            "Lab {}: your next exercise is `{}` ({ok} of {total} tests pass).\n",
            lab.name, target.target
        );
        return Ok(Some(target.target.clone()));
    }
    // Every Rust exercise passes: the Python one, if the lab has it, comes last.
    if let Some(python) = PythonExercise::of(lab) {
        let mut ui = Ui::new(1);
        ui.start(&format!(
            "building and testing lab {}'s Python module (maturin, pytest)",
            lab.name
        ));
        let tests = python.build_and_test(root, timeout);
        ui.done();
        let unfinished = match tests? {
            PythonTests::Skipped(why) => Some(format!("skipped here: {why}")),
            PythonTests::DoesNotCompile(_) => Some("its module does not compile".to_string()),
            PythonTests::Ran(target) => {
                let (ok, total, _) = progress::exercise_status(&target);
                (ok < total).then(|| format!("{ok} of {total} tests pass"))
            }
        };
        if let Some(state) = unfinished {
            println!(
                "Lab {}: your next exercise is `{}` ({state}).\n",
                lab.name,
                python.name()
            );
            return Ok(Some(python.name().to_string()));
        }
    }
    println!(
        "Every exercise of lab {} passes: nothing left to hint at. The hints stay readable: \
         {command} <exercise> [n] (exercises: {known})",
        lab.name
    );
    Ok(None)
}

/// `  1. title` lines.
fn listing(hints: &[Hint]) -> String {
    hints
        .iter()
        .map(|hint| format!("  {}. {}", hint.number, hint.title))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The hint, then how to go on: the next hint, or the tests to run after the last one.
fn render(lab: &Lab, exercise: &str, hint: &Hint, count: usize, command: &str) -> String {
    let heading = format!(
        "Hint {} of {count} for `{exercise}`: {}",
        hint.number, hint.title
    );
    let rule = "─".repeat(heading.chars().count().min(72));
    let next = if hint.number < count {
        format!("Next hint: {command} {exercise} {}", hint.number + 1)
    } else {
        "That was the last hint; the lab's chapter in the book explains the ideas behind it."
            .to_string()
    };
    format!(
        "{heading}\n{rule}\n\n{}\n\n{rule}\n{next}\nRun the tests: {}",
        hint.body,
        test_command(lab, exercise)
    )
}

/// How to run an exercise's tests: its test file, or for the Python exercise, pytest on the
/// module that maturin builds from the student's crate.
fn test_command(lab: &Lab, exercise: &str) -> String {
    match PythonExercise::of(lab) {
        Some(python) if python.name() == exercise => python.iterate_command(None),
        _ => format!("cargo test -p {} --test {exercise}", lab.stub.package),
    }
}

#[cfg(test)]
mod tests;
