//! `cargo xtask progress`: the student's view. Runs each lab's shared tests against the
//! exercises, shows how far each exercise (test file) is, and what to do next. No state
//! file: everything comes from running the tests now.

use std::fs;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::cargo::excerpt;
use crate::libtest::{Outcome, TestResult};
use crate::python::{PythonExercise, PythonTests};
use crate::report::{indent_after_first, new_table};
use crate::testrun::{self, TargetResults, Tests};
use crate::ui::Ui;
use crate::workspace::{self, Lab};

pub fn run(root: &Path, filters: &[String], timeout: Duration) -> Result<()> {
    let labs = workspace::select(workspace::discover(root)?, filters)?;
    let steps = labs.len() + labs.iter().filter(|lab| lab.meta.python.is_some()).count();
    let mut ui = Ui::new(steps);
    let mut runs = Vec::new();
    for lab in &labs {
        ui.start(&format!("testing lab {}", lab.label()));
        // A lab that cannot be built or run is reported as such; the others still are.
        let tests = testrun::student_build_and_run(root, &lab.stub, timeout)
            .unwrap_or_else(|error| Tests::DoesNotCompile(format!("{error:#}")));
        let python = PythonExercise::of(lab).map(|exercise| {
            ui.start(&format!(
                "building and testing lab {}'s Python module (maturin, pytest)",
                lab.name
            ));
            exercise
                .build_and_test(root, timeout)
                .unwrap_or_else(|error| PythonTests::DoesNotCompile(format!("{error:#}")))
        });
        runs.push((lab, tests, python));
    }
    ui.done();

    let mut table = new_table(["lab", "exercise", "tests passing", "status"]);
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    // What the counts leave out, said after them.
    let mut uncounted: Vec<String> = Vec::new();
    let mut next_step: Option<String> = None;
    for (lab, tests, python) in &runs {
        match tests {
            Tests::DoesNotCompile(error) => {
                table.add_row(vec![
                    lab.label(),
                    "-".into(),
                    "-".into(),
                    "does not compile".into(),
                ]);
                next_step.get_or_insert_with(|| {
                    format!(
                        "make lab {} compile again; the first error:\n{}\n\nIterate with: cargo build -p {} --tests",
                        lab.name,
                        excerpt(error, 25),
                        lab.stub.package
                    )
                });
            }
            Tests::Ran(targets) if targets.is_empty() => {
                table.add_row(vec![
                    lab.label(),
                    "-".into(),
                    "-".into(),
                    "no tests yet".into(),
                ]);
            }
            Tests::Ran(targets) => {
                for target in in_order(lab, targets) {
                    let (ok, total, mut status) = exercise_status(target);
                    if ok < total && only_given_code_passes(lab, target) {
                        // Tests of given code ([stub_passes]) pass on the stub: not a start.
                        status = status.replacen("in progress", "to do", 1);
                    }
                    passed += ok;
                    failed += total - ok;
                    skipped += target.results.len() - total;
                    table.add_row(vec![
                        lab.label(),
                        target.target.clone(),
                        format!("{ok}/{total}"),
                        status,
                    ]);
                    if ok < total && next_step.is_none() {
                        next_step = Some(next_step_for(lab, target));
                    }
                }
            }
        }
        if let (Some(exercise), Some(python)) = (PythonExercise::of(lab), python) {
            let row = python_row(&exercise, python);
            passed += row.passed;
            failed += row.failed;
            match python {
                PythonTests::Ran(target) => {
                    skipped += target.results.len() - (row.passed + row.failed)
                }
                PythonTests::DoesNotCompile(_) => uncounted.push(format!(
                    "lab {}'s Python module does not compile: its tests are not counted",
                    lab.name
                )),
                PythonTests::Skipped(_) => uncounted.push(format!(
                    "lab {}'s Python exercise is skipped: its tests are not counted",
                    lab.name
                )),
            }
            table.add_row(vec![
                lab.label(),
                exercise.name().to_string(),
                row.tests,
                row.status,
            ]);
            if let Some(step) = row.next_step {
                next_step.get_or_insert(step);
            }
        }
    }
    println!("{table}");
    for line in missing_tools(&labs) {
        println!("\n{line}");
    }
    match next_step {
        Some(step) => println!("\nNext step: {step}"),
        None if skipped > 0 => println!(
            "\nEvery exercise passes, but {skipped} tests were skipped for want of a tool \
             (see the table): install it and run them too."
        ),
        None => println!("\nEvery exercise passes: well done."),
    }
    let mut summary = format!("progress: {passed} passed, {failed} failed");
    if skipped > 0 {
        summary += &format!(", {skipped} skipped");
    }
    if !uncounted.is_empty() {
        summary += &format!(" ({})", uncounted.join("; "));
    }
    println!("{summary}");
    Ok(())
}

/// Whether the tests of `target` that pass are only those that check given code (lab.toml's
/// `[stub_passes]`), which pass before the student wrote anything.
fn only_given_code_passes(lab: &Lab, target: &TargetResults) -> bool {
    target
        .results
        .iter()
        .filter(|test| test.outcome == Outcome::Passed)
        .all(|test| lab.meta.stub_passes.contains_key(&test.id))
}

/// A lab's exercises (test targets) in the order students do them (`lab.toml`'s `exercises`).
pub fn in_order<'t>(lab: &Lab, targets: &'t [TargetResults]) -> Vec<&'t TargetResults> {
    let mut targets: Vec<&TargetResults> = targets.iter().collect();
    targets.sort_by_key(|target| lab.exercise_rank(&target.target));
    targets
}

/// The first exercise, in the students' order, with a test still failing.
pub fn first_unfinished<'t>(lab: &Lab, targets: &'t [TargetResults]) -> Option<&'t TargetResults> {
    in_order(lab, targets).into_iter().find(|target| {
        let (ok, total, _) = exercise_status(target);
        ok < total
    })
}

/// Tests passing, tests counted (ignored ones are not), and a word for the student.
pub fn exercise_status(target: &TargetResults) -> (usize, usize, String) {
    let counted = || {
        target
            .results
            .iter()
            .filter(|t| !matches!(t.outcome, Outcome::Ignored(_)))
    };
    let total = counted().count();
    let ok = counted().filter(|t| t.outcome == Outcome::Passed).count();
    let skipped = target.results.len() - total;
    let mut status = match ok {
        _ if total == 0 => "nothing to run here".to_string(),
        _ if ok == total => "✓ done".to_string(),
        0 => "to do".to_string(),
        _ => "in progress".to_string(),
    };
    if skipped > 0 {
        // Say why: a missing GPU, tool or .venv is the student's to know, never a pass.
        let reasons: Vec<&str> = target
            .results
            .iter()
            .filter_map(|t| match &t.outcome {
                Outcome::Ignored(reason) if !reason.is_empty() => Some(reason.as_str()),
                _ => None,
            })
            .map(|reason| {
                reason
                    .strip_prefix(crate::libtest::SKIP_PREFIX)
                    .unwrap_or(reason)
            })
            .collect();
        // Each reason once: the tests that miss one tool all say the same.
        let mut unique: Vec<&str> = Vec::new();
        for reason in reasons {
            if !unique.contains(&reason) {
                unique.push(reason);
            }
        }
        let why = match unique.is_empty() {
            true => "needs hardware or a tool".to_string(),
            false => unique.join("; "),
        };
        status += &format!(" ({skipped} skipped: {why})");
    }
    (ok, total, status)
}

/// The first failing test in the order the file declares them (the order to read and solve
/// them in), its message, and the command to iterate with.
pub fn next_step_for(lab: &Lab, target: &TargetResults) -> String {
    let file = lab
        .stub
        .dir
        .join("tests")
        .join(format!("{}.rs", target.target));
    let source = fs::read_to_string(&file).unwrap_or_default();
    let position = |test: &TestResult| {
        let short = test.name.rsplit("::").next().unwrap_or(&test.name);
        source.find(&format!("fn {short}(")).unwrap_or(usize::MAX)
    };
    let first = target
        .results
        .iter()
        .filter(|t| matches!(t.outcome, Outcome::Failed { .. }))
        .min_by_key(|t| position(t));
    let Some(test) = first else {
        return String::new();
    };
    let Outcome::Failed { message, location } = &test.outcome else {
        unreachable!("filtered on failures")
    };
    let mut text = format!(
        "lab {}, exercise `{}` (exercises/{}/tests/{}.rs)\n  test `{}` fails:\n    {}",
        lab.name,
        target.target,
        lab.name,
        target.target,
        test.name,
        indent_after_first(message),
    );
    if let Some(at) = location {
        text += &format!("\n    at {at}");
    }
    let features = match lab.stub.features.as_slice() {
        [] => String::new(),
        features => format!(" --features {}", features.join(",")),
    };
    text += &format!(
        "\n  Iterate with: cargo test -p {}{features} --test {}",
        lab.stub.package, target.target
    );
    text
}

/// The Python exercise's line of the table, what it adds to the counts, and its next step.
struct PythonRow {
    tests: String,
    status: String,
    passed: usize,
    failed: usize,
    next_step: Option<String>,
}

fn python_row(exercise: &PythonExercise, python: &PythonTests) -> PythonRow {
    let lab = &exercise.lab.name;
    let name = exercise.name();
    let dir = exercise.dir();
    match python {
        PythonTests::Skipped(why) => PythonRow {
            tests: "-".into(),
            status: format!("skipped: {why}"),
            passed: 0,
            failed: 0,
            next_step: Some(format!(
                "lab {lab}, exercise `{name}` ({dir}/src/lib.rs): it needs the course's \
                 Python venv. From the workspace's root:\n  {}\n  Then iterate with: {}",
                exercise.setup_command(),
                exercise.iterate_command(None)
            )),
        },
        PythonTests::DoesNotCompile(error) => PythonRow {
            tests: "-".into(),
            status: "does not compile".into(),
            passed: 0,
            failed: 0,
            next_step: Some(format!(
                "make lab {lab}'s Python module compile again ({dir}/src/lib.rs); the first \
                 error:\n{error}\n\nIterate with: {}",
                exercise.iterate_command(None)
            )),
        },
        PythonTests::Ran(target) => {
            let (ok, total, status) = exercise_status(target);
            // pytest reports in file order, the order to read and solve the tests in.
            let first = target
                .results
                .iter()
                .find(|t| matches!(t.outcome, Outcome::Failed { .. }));
            let next_step = first.map(|test| {
                let message = match &test.outcome {
                    Outcome::Failed { message, .. } => message.as_str(),
                    _ => unreachable!("found among the failures"),
                };
                format!(
                    "lab {lab}, exercise `{name}` ({dir}/tests)\n  test `{}` fails:\n    {}\n  \
                     Iterate with: {}",
                    test.id,
                    indent_after_first(message),
                    exercise.iterate_command(Some(&test.id))
                )
            });
            PythonRow {
                tests: format!("{ok}/{total}"),
                status,
                passed: ok,
                failed: total - ok,
                next_step,
            }
        }
    }
}

/// What a lab's feature needs that is not installed here, and how to install it.
fn missing_tools(labs: &[Lab]) -> Vec<String> {
    let mut lines = Vec::new();
    for lab in labs {
        for (name, tool) in lab.meta.system_tools() {
            if !tool.installed() {
                lines.push(format!(
                    "lab {}: the tests that need `{name}` are skipped: `{}` is not installed \
                     ({})",
                    lab.name,
                    tool.needs(),
                    tool.install()
                ));
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests;
