//! Part of the staging step: the lab's tests catch bugs put in on purpose, and name their cause.
//! `solutions/<lab>/mutants.toml` lists bugs as text edits of the solution's student files (the
//! instructor's side only: never in the handout, since each is half an answer). With every
//! exercise solved in the staged tree, each mutant is applied in turn, its test file built and
//! run, and the mutant must make a test fail with the expected words in its message. A mutant
//! that passes shows a blind spot in the tests (or in lab 5's emulator); one that fails for
//! another reason shows a message that points students the wrong way.

use std::fs;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::cargo;
use crate::libtest::{self, Outcome};
use crate::report::Tally;
use crate::workspace::Lab;

/// `solutions/<lab>/mutants.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mutants {
    mutant: Vec<Mutant>,
}

/// One bug, as a text edit of one student file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mutant {
    /// The bug, in words.
    name: String,
    /// The student file, relative to the lab.
    file: String,
    /// Text that occurs exactly once in the solution's file...
    find: String,
    /// ...and what replaces it.
    replace: String,
    /// The test file (the exercise) that must catch it.
    test: String,
    /// Words that a failing test's message must contain.
    expect: String,
}

/// Runs the mutants of `lab` (staged, every exercise solved) when the solution lists some.
pub(super) fn check(
    root: &Path,
    lab: &Lab,
    target: &Path,
    timeout: Duration,
    tally: &mut Tally,
) -> Result<()> {
    let list = root.join("solutions").join(&lab.name).join("mutants.toml");
    if !list.is_file() {
        return Ok(());
    }
    let text = fs::read_to_string(&list).with_context(|| format!("reading {}", list.display()))?;
    let mutants: Mutants =
        toml::from_str(&text).with_context(|| format!("parsing {}", list.display()))?;
    for mutant in &mutants.mutant {
        let file = lab.stub.dir.join(&mutant.file);
        let original =
            fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        if original.matches(&mutant.find).count() != 1 {
            tally.fail(format!(
                "{}: mutant \"{}\": its `find` text must occur exactly once in \
                 solutions/{}/{}: update solutions/{}/mutants.toml to the solution's code",
                lab.name, mutant.name, lab.name, mutant.file, lab.name
            ));
            continue;
        }
        fs::write(&file, original.replacen(&mutant.find, &mutant.replace, 1))?;
        let caught = run_mutant(lab, mutant, target, timeout);
        // Whatever happened, the solution's text goes back before anything else runs.
        fs::write(&file, &original)?;
        match caught? {
            Ok(()) => tally.pass(),
            Err(problem) => tally.fail(format!(
                "{}: mutant \"{}\" ({} in {}): {problem}",
                lab.name, mutant.name, mutant.test, mutant.file
            )),
        }
    }
    Ok(())
}

/// Builds and runs the mutant's test file: `Ok(())` when a test fails with the expected words.
fn run_mutant(
    lab: &Lab,
    mutant: &Mutant,
    target: &Path,
    timeout: Duration,
) -> Result<Result<(), String>> {
    let build = super::staging::build_test_file(lab, &mutant.test, target)?;
    if !build.success {
        return Ok(Err(format!(
            "the mutant does not compile, so it tests nothing: make it a bug that compiles\n{}",
            build.first_error(&lab.stub.manifest())
        )));
    }
    let mut messages = Vec::new();
    for exe in build
        .tests_of(&lab.stub.manifest())
        .iter()
        .filter(|exe| exe.target == mutant.test)
    {
        for test in libtest::run_tests(exe, &lab.stub.dir, timeout)? {
            if let Outcome::Failed { message, .. } = test.outcome {
                if message.contains(&mutant.expect) {
                    return Ok(Ok(()));
                }
                messages.push(format!("{}: {message}", test.id));
            }
        }
    }
    Ok(Err(if messages.is_empty() {
        "every test passes with this bug in: the tests (or the emulator) cannot see it".to_string()
    } else {
        format!(
            "the tests fail, but none says \"{}\", the cause; they say:\n{}",
            mutant.expect,
            cargo::excerpt(&messages.join("\n"), 12)
        )
    }))
}
