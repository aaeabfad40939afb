//! The workspace-wide steps of `check`: doctests, xtask's own tests, clippy, rustfmt, rustdoc.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::cargo::{self, cargo_error};
use crate::libtest::{self, Line, Outcome};
use crate::report::Tally;
use crate::testrun::{self, Tests};
use crate::workspace::{self, Lab};

/// `-p a -p b ...` for the solutions of `labs`, with their Python extension crates (lab 6),
/// and their features.
fn solution_packages(labs: &[Lab]) -> Vec<String> {
    let mut crates = Vec::new();
    for lab in labs {
        let Some(solution) = &lab.solution else {
            continue;
        };
        crates.push(solution.clone());
        if let Some(python) = &lab.meta.python
            && let Ok(krate) = workspace::read_crate(&solution.dir.join(&python.dir))
        {
            crates.push(krate);
        }
    }
    let mut args: Vec<String> = crates
        .iter()
        .flat_map(|krate| ["--package".to_string(), krate.package.clone()])
        .collect();
    args.extend(workspace::features_arg(&crates));
    args
}

/// The solutions' doctests (the per-test runner skips them: cargo compiles them at run time).
/// Every lab's solution crate must run some: the public functions of its exercise files show
/// a runnable `# Examples` section, and a step that ran none would pass checking nothing.
pub fn doctests(root: &Path, labs: &[Lab]) -> Result<Tally> {
    let packages = solution_packages(labs);
    if packages.is_empty() {
        return Ok(Tally::default());
    }
    // --no-fail-fast: every package's doctests run, so one failure does not hide the others.
    let out = cargo::output(
        cargo::command(root)
            .args(["test", "--doc", "--no-fail-fast"])
            .args(packages)
            .env("RUST_BACKTRACE", "0"),
    )?;
    let solutions: Vec<(String, String)> = labs
        .iter()
        .filter_map(|lab| lab.solution.as_ref())
        .map(|krate| (krate.package.clone(), crate::lint::rel(root, &krate.dir)))
        .collect();
    Ok(judge_doctests(
        &String::from_utf8_lossy(&out.stdout),
        &String::from_utf8_lossy(&out.stderr),
        out.status.success(),
        &solutions,
    ))
}

/// The tally of a `cargo test --doc` run: a pass per doctest that passed, a failure per one
/// that failed, and a failure per solution crate, given as (package, directory from the
/// root), that ran none (when the run succeeded: after a failure the count proves nothing).
/// A note gives each crate's count.
fn judge_doctests(
    stdout: &str,
    stderr: &str,
    succeeded: bool,
    solutions: &[(String, String)],
) -> Tally {
    let mut tally = Tally::default();
    let parsed = libtest::parse(stdout);
    let results = doctest_results(stdout);
    for (name, line) in &results {
        match line {
            Line::Ok => tally.pass(),
            Line::Ignored(_) => {}
            Line::Failed => {
                let message = match parsed.failures.get(name) {
                    Some(Outcome::Failed { message, .. }) => message.as_str(),
                    _ => "failed",
                };
                tally.fail(format!("doctest `{name}` fails: {message}"));
            }
        }
    }
    if !succeeded && tally.failures.is_empty() {
        tally.fail(format!(
            "`cargo test --doc` failed:\n{}",
            cargo_error(stderr)
        ));
    }
    let mut counts = Vec::new();
    for (package, dir) in solutions {
        // Doctest names start with the file's path from the workspace root; `src/` keeps a
        // crate nested in the lab (lab 6's Python extension) out of the lab's count.
        let prefix = format!("{dir}/src/");
        let ran = results
            .iter()
            .filter(|(name, line)| name.starts_with(&prefix) && !matches!(line, Line::Ignored(_)))
            .count();
        counts.push(format!("{package} {ran}"));
        if ran == 0 && succeeded {
            tally.fail(format!(
                "`{package}` ran no doctest: give the public functions of its exercise files \
                 ({dir}/src/, lab.toml [exercise_files]) a `# Examples` section with a small \
                 runnable example"
            ));
        }
    }
    if !counts.is_empty() {
        tally.note(format!("doctests run: {}", counts.join(", ")));
    }
    tally
}

/// The `test NAME ... RESULT` lines of a doctest run. [`libtest::parse`] reads names without
/// spaces only (what it needs to split a test's own output from the line), and a doctest's
/// name has several: `test solutions/01-strides/src/views.rs - views::transpose (line 12) ...
/// ok`. Doctests capture their output, so their lines are whole.
fn doctest_results(stdout: &str) -> Vec<(String, Line)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (name, result) = line.strip_prefix("test ")?.rsplit_once(" ... ")?;
            let line = match result {
                "ok" => Line::Ok,
                "FAILED" => Line::Failed,
                _ => Line::Ignored(
                    result
                        .strip_prefix("ignored")?
                        .trim_start_matches(", ")
                        .into(),
                ),
            };
            Some((name.to_string(), line))
        })
        .collect()
}

/// The crates beside the labs that the course is made of, by directory: the labs' shared
/// helpers and their table of install commands, the students' commands and the instructors'.
/// `check` tests and lints them with the solutions.
pub const TOOL_CRATES: [&str; 4] = ["support", "support/platform", "course", "xtask"];

/// `--package NAME` for each tool crate in this tree.
fn tool_packages(root: &Path) -> Vec<String> {
    TOOL_CRATES
        .iter()
        .filter_map(|dir| workspace::read_crate(&root.join(dir)).ok())
        .flat_map(|krate| ["--package".to_string(), krate.package])
        .collect()
}

/// The tool crates' own tests, per test (a crate not in this tree is skipped).
pub fn tool_tests(root: &Path, timeout: Duration) -> Result<Tally> {
    let mut tally = Tally::default();
    for name in TOOL_CRATES {
        let dir = root.join(name);
        if !dir.join("Cargo.toml").is_file() {
            continue;
        }
        let mut krate = workspace::read_crate(&dir)?;
        if name == "support" {
            // The solutions' comparison harness is behind this feature, and has tests too.
            krate.features.push("compare".into());
        }
        match testrun::build_and_run(root, &krate, false, timeout)? {
            Tests::DoesNotCompile(error) => {
                tally.fail(format!("{name}'s tests do not compile:\n{error}"))
            }
            Tests::Ran(targets) => {
                for test in targets.iter().flat_map(|target| &target.results) {
                    match &test.outcome {
                        Outcome::Passed => tally.pass(),
                        Outcome::Ignored(reason) => {
                            tally.note(format!("ignored {name} {}: {reason}", test.id))
                        }
                        Outcome::Failed { message, location } => tally.fail(format!(
                            "{name} test `{}` fails: {message}\n  at {}",
                            test.id,
                            location.as_deref().unwrap_or("?")
                        )),
                    }
                }
            }
        }
    }
    Ok(tally)
}

/// One check: a cargo command succeeds; on failure, what it said and the fix.
fn tool_check(root: &Path, args: &[String], envs: &[(&str, String)], fix: &str) -> Result<Tally> {
    let mut command = cargo::command(root);
    command.args(args);
    for (key, value) in envs {
        command.env(key, value);
    }
    let out = cargo::output(&mut command)?;
    let mut tally = Tally::default();
    tally.check(out.status.success(), || {
        format!(
            "`cargo {}` failed: {fix}\n{}",
            args.join(" "),
            cargo_error(&String::from_utf8_lossy(&out.stderr))
        )
    });
    Ok(tally)
}

pub fn clippy(root: &Path, labs: &[Lab]) -> Result<Tally> {
    let mut args = vec!["clippy".to_string()];
    args.extend(solution_packages(labs));
    args.extend(tool_packages(root));
    args.extend(["--all-targets", "--", "-D", "warnings"].map(String::from));
    tool_check(
        root,
        &args,
        &[],
        "fix the lints shown (they are errors with -D warnings)",
    )
}

/// rustfmt on the whole workspace; the failure lists the files to format.
pub fn fmt(root: &Path) -> Result<Tally> {
    let out = cargo::output(cargo::command(root).args(["fmt", "--all", "--", "--check"]))?;
    let mut tally = Tally::default();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let files: BTreeSet<String> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("Diff in "))
        .filter_map(|rest| rest.split(':').next())
        .map(|file| crate::lint::rel(root, Path::new(file)))
        .collect();
    tally.check(out.status.success(), || {
        let what = if files.is_empty() {
            cargo_error(&String::from_utf8_lossy(&out.stderr))
        } else {
            files.into_iter().collect::<Vec<_>>().join("\n")
        };
        format!("not formatted: run `cargo fmt --all`\n{what}")
    });
    Ok(tally)
}

/// rustdoc warnings are errors: the docs are what students read first. The whole workspace,
/// or with `only_labs`, only `labs` (both crates) and xtask; with the labs' features (lab 4's MPI
/// code), so that their docs are checked too.
pub fn doc(root: &Path, labs: &[Lab], only_labs: bool) -> Result<Tally> {
    let mut args = vec!["doc".to_string(), "--no-deps".to_string()];
    if only_labs {
        for lab in labs {
            args.extend(lab.stub.cargo_args());
        }
        args.extend(solution_packages(labs));
        args.extend(tool_packages(root));
    } else {
        args.push("--workspace".into());
        let crates = labs
            .iter()
            .flat_map(|lab| std::iter::once(&lab.stub).chain(&lab.solution));
        args.extend(workspace::features_arg(crates));
    }
    let flags = std::env::var("RUSTDOCFLAGS").unwrap_or_default();
    let flags = format!("{flags} -D warnings").trim().to_string();
    tool_check(
        root,
        &args,
        &[("RUSTDOCFLAGS", flags)],
        "fix the doc comments (broken intra-doc links, unclosed HTML, bare URLs)",
    )
}

/// `cargo build --workspace --all-targets` prints no warning at all, cargo's own included (two
/// examples of the same name in two labs collide in target/debug/examples/, which only a
/// whole-workspace build reports). Cargo replays the warnings of crates it does not rebuild,
/// so a warm build still shows every one.
pub fn build_warnings(root: &Path, labs: &[Lab]) -> Result<Tally> {
    let mut args = vec![
        "build".to_string(),
        "--workspace".to_string(),
        "--all-targets".to_string(),
    ];
    let crates = labs
        .iter()
        .flat_map(|lab| std::iter::once(&lab.stub).chain(&lab.solution));
    args.extend(workspace::features_arg(crates));
    let out = cargo::output(cargo::command(root).args(&args))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("warning"))
        .collect();
    let mut tally = Tally::default();
    tally.check(out.status.success() && warnings.is_empty(), || {
        format!(
            "`cargo {}` {}: fix each one (rename a colliding target, remove what is unused)\n{}",
            args.join(" "),
            match out.status.success() {
                true => format!("printed {} warning(s)", warnings.len()),
                false => "failed".to_string(),
            },
            match warnings.is_empty() {
                true => cargo_error(&stderr),
                false => cargo::excerpt(&warnings.join("\n"), 30),
            }
        )
    });
    Ok(tally)
}

#[cfg(test)]
mod tests;
