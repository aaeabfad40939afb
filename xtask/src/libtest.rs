//! Per-test results on stable Rust: run a test executable ourselves (with a time limit) and
//! read libtest's plain output. `--format json` would be easier but needs nightly.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cargo::{TestExe, excerpt};
use crate::process::{Captured, capture};

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Passed,
    /// The panic message (what the test author wrote for the student) and where it panicked.
    Failed {
        message: String,
        location: Option<String>,
    },
    Ignored(String),
}

#[derive(Debug, Clone)]
pub struct TestResult {
    /// `<test-file-stem>::<libtest name>`, e.g. `views::transpose_swaps_strides_without_copying`.
    pub id: String,
    /// The libtest name, what `cargo test NAME` filters on.
    pub name: String,
    pub outcome: Outcome,
}

/// How the message of a test that never reported starts: it was killed at the time limit,
/// its process crashed, or it never ran because the time was up.
pub const TIMED_OUT: &str = "did not finish within";
pub const CRASHED: &str = "the test process crashed";
pub const NOT_RUN: &str = "not run:";

/// How a test that cannot check what it claims says so: a line of its captured output (stdout
/// or stderr) starting with this, followed by the reason (`skipped: no NumPy in .venv ...`).
/// Such a test passes in libtest's eyes; here it is ignored, with that reason: never counted as
/// passing. Only a passing test can be skipped: a failure stays a failure.
pub const SKIP_PREFIX: &str = "skipped: ";

/// `--show-output`: the captured output of passing tests too, where a skip is announced.
const RUN_ARGS: [&str; 3] = ["--test-threads=2", "--color=never", "--show-output"];

/// Lists the tests of `exe`, runs them, and returns one result per test. When the process
/// dies (a timeout, an abort, a stack overflow) before some tests reported, each of those is
/// run alone, so that the failure lands on the test that caused it.
pub fn run_tests(exe: &TestExe, package_dir: &Path, timeout: Duration) -> Result<Vec<TestResult>> {
    run_tests_within(exe, package_dir, timeout, None)
}

/// [`run_tests`], where nothing runs past `deadline`: each run's time limit is cut to what is
/// left, and a test that cannot start any more fails with a [`NOT_RUN`] message. With no time
/// left at all, no test is known: the result is empty.
pub fn run_tests_within(
    exe: &TestExe,
    package_dir: &Path,
    timeout: Duration,
    deadline: Option<Instant>,
) -> Result<Vec<TestResult>> {
    let limit = || {
        deadline.map_or(timeout, |end| {
            timeout.min(end.saturating_duration_since(Instant::now()))
        })
    };
    let list_limit = limit();
    if list_limit.is_zero() {
        return Ok(Vec::new());
    }
    let list = capture(test_command(exe, package_dir, &["--list"]), list_limit)?;
    let run_limit = limit();
    let run = capture(test_command(exe, package_dir, &RUN_ARGS), run_limit)?;
    let parsed = parse(&run.stdout);
    let mut names: Vec<String> = list.stdout.lines().filter_map(listed_test).collect();
    if names.is_empty() {
        // `--list` failed (a crash at startup?): fall back to whatever the run printed.
        names = parsed.lines.keys().cloned().collect();
    }
    let mut results = Vec::new();
    for name in names {
        let outcome = match decide(&name, &parsed) {
            Some(outcome) => outcome,
            None if limit().is_zero() => Outcome::Failed {
                message: format!("{NOT_RUN} the time limit ran out before it could run"),
                location: None,
            },
            None => {
                let args = [
                    "--exact",
                    name.as_str(),
                    "--test-threads=1",
                    "--color=never",
                    "--show-output",
                ];
                let alone_limit = limit();
                let alone = capture(test_command(exe, package_dir, &args), alone_limit)?;
                decide(&name, &parse(&alone.stdout)).unwrap_or_else(|| died(&alone, alone_limit))
            }
        };
        // A solution's shim wraps the shared file in `mod shared`: the same test, same id.
        let short = name.strip_prefix("shared::").unwrap_or(&name);
        results.push(TestResult {
            id: format!("{}::{short}", exe.target),
            name,
            outcome,
        });
    }
    Ok(results)
}

/// The outcome of `name` in a run, or None when the run ended before telling.
fn decide(name: &str, parsed: &Parsed) -> Option<Outcome> {
    let line = parsed.lines.get(name);
    let failed = parsed.failed.iter().any(|f| f == name) || line == Some(&Line::Failed);
    match line {
        Some(Line::Ignored(reason)) => Some(Outcome::Ignored(reason.clone())),
        // The panic message comes at the end of the run: without it, the run did not finish.
        _ if failed => parsed.failures.get(name).cloned().or_else(|| {
            parsed.finished.then(|| Outcome::Failed {
                message: "failed, without a message".into(),
                location: None,
            })
        }),
        Some(Line::Ok) => Some(passed(name, parsed)),
        // Its result line was garbled by a test's direct writes to stdout, but the run
        // finished and it is not in the failures list, so it passed.
        _ if parsed.finished => Some(passed(name, parsed)),
        _ => None,
    }
}

/// A passing test, or a skipped one (ignored with its reason) when its output said so.
fn passed(name: &str, parsed: &Parsed) -> Outcome {
    match parsed.skipped.get(name) {
        Some(reason) => Outcome::Ignored(format!("{SKIP_PREFIX}{reason}")),
        None => Outcome::Passed,
    }
}

/// Why a test run alone did not report.
fn died(run: &Captured, timeout: Duration) -> Outcome {
    let why = if run.timed_out {
        format!("{TIMED_OUT} {} s (killed)", seconds(timeout))
    } else {
        format!("{CRASHED} ({})", describe(run.status))
    };
    Outcome::Failed {
        message: format!("{why}\n{}", excerpt(&run.stderr, 10))
            .trim()
            .to_string(),
        location: None,
    }
}

fn test_command(exe: &TestExe, package_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(&exe.path);
    command.args(args).current_dir(package_dir);
    // What `cargo test` would set: tests may read these at run time, and dylibs built into
    // target/debug/deps must be found.
    command.env("CARGO_MANIFEST_DIR", package_dir);
    // The panic message teaches; a backtrace under it is noise (and slow).
    command.env("RUST_BACKTRACE", "0");
    if let Some(deps) = exe.path.parent() {
        let mut paths = vec![deps.to_path_buf()];
        paths.extend(deps.parent().map(Path::to_path_buf));
        paths.extend(std::env::split_paths(
            &std::env::var_os("LD_LIBRARY_PATH").unwrap_or_default(),
        ));
        if let Ok(joined) = std::env::join_paths(paths) {
            command.env("LD_LIBRARY_PATH", joined);
        }
    }
    command
}

/// `name: test` lines of `--list`.
fn listed_test(line: &str) -> Option<String> {
    line.strip_suffix(": test").map(str::to_owned)
}

/// `3` for three seconds, `0.5` for half a second.
pub fn seconds(duration: Duration) -> String {
    let text = format!("{:.1}", duration.as_secs_f64());
    text.strip_suffix(".0").unwrap_or(&text).to_string()
}

fn describe(status: Option<ExitStatus>) -> String {
    status.map_or_else(|| "no exit status".into(), |status| status.to_string())
}

/// A `test NAME ... RESULT` line's result.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Ok,
    Failed,
    Ignored(String),
}

/// What libtest printed, read leniently.
#[derive(Debug, Default)]
pub struct Parsed {
    pub lines: BTreeMap<String, Line>,
    /// Names in the closing `failures:` list (the authority on what failed).
    pub failed: Vec<String>,
    /// First panic of each failed test, from its `---- NAME stdout ----` section.
    pub failures: BTreeMap<String, Outcome>,
    /// The `test result:` line was reached.
    pub finished: bool,
    /// Tests whose captured output announced a skip ([`SKIP_PREFIX`]), with the reason.
    pub skipped: BTreeMap<String, String>,
}

pub fn parse(stdout: &str) -> Parsed {
    let mut parsed = Parsed::default();
    // A test that writes to stdout directly splits its own line: `test x ... ` + output + `ok`.
    let mut pending: Option<String> = None;
    let mut section: Option<(String, Vec<&str>)> = None;
    let mut in_failures_list = false;
    for line in stdout.lines() {
        if let Some(name) = section_header(line) {
            close_section(&mut parsed, section.take());
            section = Some((name.to_string(), Vec::new()));
            in_failures_list = false;
        } else if line == "failures:" || line.starts_with("test result:") {
            close_section(&mut parsed, section.take());
            in_failures_list = line == "failures:";
            parsed.finished |= line.starts_with("test result:");
        } else if let Some((_, lines)) = &mut section {
            lines.push(line);
        } else if in_failures_list && line.starts_with("    ") {
            parsed.failed.push(line.trim().to_string());
        } else if let Some((name, result)) = result_line(line) {
            match result_of(result) {
                Some(result) => {
                    parsed.lines.insert(name, result);
                }
                None => pending = Some(name),
            }
        } else if let Some(name) = pending.as_ref()
            && let Some(result) = result_of(line.trim())
        {
            parsed.lines.insert(name.clone(), result);
            pending = None;
        }
    }
    close_section(&mut parsed, section);
    parsed
}

/// `test NAME ... RESULT`, possibly after a test's own output that did not end its line
/// (`noisetest a ... ok`). Names have no spaces, except libtest's ` - should panic` suffix.
fn result_line(line: &str) -> Option<(String, &str)> {
    let (before, result) = line.split_once(" ... ")?;
    let before = before.trim_end_matches(" - should panic");
    let name = before.rsplit_once("test ")?.1;
    (!name.is_empty() && !name.contains(' ')).then(|| (name.to_string(), result))
}

fn result_of(text: &str) -> Option<Line> {
    match text {
        "ok" => Some(Line::Ok),
        "FAILED" => Some(Line::Failed),
        "ignored" => Some(Line::Ignored(String::new())),
        _ => text
            .strip_prefix("ignored, ")
            .map(|reason| Line::Ignored(reason.to_string())),
    }
}

fn section_header(line: &str) -> Option<&str> {
    line.strip_prefix("---- ")?.strip_suffix(" stdout ----")
}

fn close_section(parsed: &mut Parsed, section: Option<(String, Vec<&str>)>) {
    if let Some((name, lines)) = section {
        if let Some(reason) = lines
            .iter()
            .find_map(|line| line.trim().strip_prefix(SKIP_PREFIX))
        {
            parsed
                .skipped
                .insert(name.clone(), reason.trim().to_string());
        }
        parsed.failures.insert(name, panic_of(&lines));
    }
}

/// `thread 'x' (id) panicked at tests/views.rs:10:5:` then the message, up to the backtrace note.
/// Without a panic (`#[should_panic]` that did not), the section's text is the message.
fn panic_of(lines: &[&str]) -> Outcome {
    let Some(start) = lines
        .iter()
        .position(|line| line.starts_with("thread '") && line.contains(" panicked at "))
    else {
        return Outcome::Failed {
            message: excerpt(lines.join("\n").trim(), 15),
            location: None,
        };
    };
    // Recent Rust prints the thread id after the name: `thread 'x' (1234) panicked at ...`.
    let location = lines[start]
        .split_once(" panicked at ")
        .map(|(_, at)| tidy_location(at.trim_end_matches(':')));
    let message: Vec<&str> = lines[start + 1..]
        .iter()
        .take_while(|line| !line.starts_with("note: ") && !line.starts_with("stack backtrace:"))
        .copied()
        .collect();
    Outcome::Failed {
        message: excerpt(message.join("\n").trim(), 15),
        location,
    }
}

/// `solutions/x/tests/../../../exercises/x/tests/a.rs:3:5` → `exercises/x/tests/a.rs:3:5`:
/// a panic in a shared test, seen through the solution's shim.
fn tidy_location(location: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in location.split('/') {
        match part {
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            "." => {}
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests;
