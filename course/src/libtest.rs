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
/// How the message of a test killed at the grader's memory limit starts.
pub const OUT_OF_MEMORY: &str = "exceeded the memory limit";

/// How a test that cannot check what it claims says so: a line of its captured output (stdout
/// or stderr) starting with this, followed by the reason (`skipped: no NumPy in .venv ...`).
/// Such a test passes in libtest's eyes; here it is ignored, with that reason: never counted as
/// passing. Only a passing test can be skipped: a failure stays a failure. The tests print it
/// with `support::platform::skip`, from the same constant.
pub const SKIP_PREFIX: &str = platform::SKIP_PREFIX;

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
                let alone_limit = limit();
                let command = test_command(exe, package_dir, &alone_args(&name));
                let alone = capture(command, alone_limit)?;
                judge_alone(&name, &alone, alone_limit, Evidence::default())
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
        // No result line of its own: undecided, even when the run printed a summary (a test
        // can print one and exit), so it is run alone and judged there (`judge_alone`).
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

/// The arguments that run test `name` alone: what [`judge_alone`] reads.
pub fn alone_args(name: &str) -> [&str; 5] {
    [
        "--exact",
        name,
        "--test-threads=1",
        "--color=never",
        "--show-output",
    ]
}

/// What the grader knows about a test run beyond its output.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence {
    /// The memory limit it ran under, to name it when an allocation failed.
    pub memory_limit: Option<u64>,
    /// How its process ended, as the grader's witness saw it (`grade/witness.rs`).
    pub ending: Ending,
}

/// Which thread ended a test process.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Ending {
    /// Nobody watched (`cargo xtask progress`, or grading without strace).
    #[default]
    Unwatched,
    /// libtest's main thread, as after a test that returned.
    MainThread,
    /// Another thread: an exit from inside the test.
    OtherThread,
    /// The witness has no record of the test executable ending.
    Unrecorded,
}

/// The verdict on test `name` run alone ([`alone_args`]), on positive evidence only: it
/// passed when its process exited with 0 after libtest reported this test `ok` and a summary
/// of exactly one test passed and none failed, and (when watched) ended from libtest's main
/// thread. Anything else fails, saying why: its panic, a limit it hit, a crash, or an exit
/// without its own result (which is how a forged pass looks: code that prints libtest's lines
/// and exits before the test returns).
pub fn judge_alone(name: &str, run: &Captured, limit: Duration, evidence: Evidence) -> Outcome {
    let fail = |message: String| Outcome::Failed {
        message: message.trim().to_string(),
        location: None,
    };
    if run.timed_out {
        let why = format!("{TIMED_OUT} {} s (killed)", seconds(limit));
        return fail(format!("{why}\n{}", excerpt(&run.stderr, 10)));
    }
    let parsed = parse(&run.stdout);
    let exited_ok = run.status.is_some_and(|status| status.success());
    let one_passed = parsed.summary
        == Some(Summary {
            passed: 1,
            failed: 0,
        });
    match parsed.lines.get(name) {
        Some(Line::Ignored(reason)) if exited_ok => return Outcome::Ignored(reason.clone()),
        Some(Line::Ok) if exited_ok && one_passed && parsed.lines.len() == 1 => {
            return match evidence.ending {
                Ending::Unwatched | Ending::MainThread => passed(name, &parsed),
                Ending::OtherThread => fail(format!(
                    "{CRASHED}: it printed libtest's pass and ended the process from inside \
                     the test (an exit on the test's thread, not libtest's): a test passes \
                     only when it returns"
                )),
                Ending::Unrecorded => fail(format!(
                    "{CRASHED}: the grader's witness (strace) has no record of this test \
                     process ending, so its pass is unproven (a grader problem: regrade)"
                )),
            };
        }
        _ => {}
    }
    if let Some(failure) = parsed.failures.get(name).filter(|_| parsed.finished) {
        return failure.clone();
    }
    let stderr = excerpt(&run.stderr, 10);
    if let Some(limit) = evidence.memory_limit
        && run.stderr.contains("memory allocation of")
    {
        return fail(format!(
            "{OUT_OF_MEMORY} ({}) (killed)\n{stderr}",
            gib(limit)
        ));
    }
    let why = match limit_signal(run.status) {
        Some(what) => format!("{CRASHED}: {what}"),
        None if exited_ok => format!(
            "{CRASHED}: it exited (status 0) before libtest reported this test's result, \
             so it did not pass: a test passes only when the test harness says so"
        ),
        None => format!("{CRASHED} ({})", describe(run.status)),
    };
    fail(format!("{why}\n{stderr}"))
}

/// What a run of several tests in one process proves on its own (the others are to be run
/// alone): every test libtest reported `ok` (or ignored) when libtest itself ended the process
/// with success, from its main thread as the witness saw it, since libtest exits with failure
/// whenever a test failed. Nothing else: a test that passed in a run that failed as a whole
/// is undecided (its `ok` line alone is not evidence), and so is a failure, which may be the
/// other tests' doing (two `mpirun`s racing for one session folder): it is judged alone.
pub fn judge_batch(
    names: &[&str],
    run: &Captured,
    evidence: Evidence,
) -> BTreeMap<String, Outcome> {
    let mut verdicts = BTreeMap::new();
    if run.timed_out {
        return verdicts;
    }
    let parsed = parse(&run.stdout);
    let succeeded = run.status.is_some_and(|status| status.success())
        && evidence.ending == Ending::MainThread
        && parsed.summary.is_some_and(|summary| summary.failed == 0);
    for name in names {
        let verdict = match parsed.lines.get(*name) {
            Some(Line::Ok) if succeeded => Some(passed(name, &parsed)),
            Some(Line::Ignored(reason)) if succeeded => Some(Outcome::Ignored(reason.clone())),
            _ => None,
        };
        if let Some(verdict) = verdict {
            verdicts.insert(name.to_string(), verdict);
        }
    }
    verdicts
}

/// `4 GiB`, `512 MiB`.
pub fn gib(bytes: u64) -> String {
    match bytes % (1 << 30) {
        0 => format!("{} GiB", bytes >> 30),
        _ => format!("{} MiB", bytes >> 20),
    }
}

/// The resource limit a signal death means, if any.
fn limit_signal(status: Option<ExitStatus>) -> Option<&'static str> {
    use std::os::unix::process::ExitStatusExt;
    match status?.signal()? {
        libc::SIGXCPU => Some("it used up its CPU-time limit (killed)"),
        libc::SIGXFSZ => Some("it wrote a file past the file-size limit (killed)"),
        _ => None,
    }
}

/// The process that runs tests of `exe` with `args`, as `cargo test` would.
pub fn test_command(exe: &TestExe, package_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(&exe.path);
    command.args(args).current_dir(package_dir);
    // What `cargo test` would set: tests may read these at run time, and dylibs built into
    // target/debug/deps must be found.
    command.env("CARGO_MANIFEST_DIR", package_dir);
    // The panic message teaches; a backtrace under it is noise (and slow).
    command.env("RUST_BACKTRACE", "0");
    command.envs(exe.run_env.iter().map(|(key, value)| (key, value)));
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
pub fn listed_test(line: &str) -> Option<String> {
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

/// `test result: ok. 1 passed; 0 failed; ...`: what libtest counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
}

impl Summary {
    fn parse(line: &str) -> Option<Summary> {
        let counts = line.split_once(". ")?.1;
        let count = |what: &str| {
            counts.split("; ").find_map(|part| {
                let (n, word) = part.split_once(' ')?;
                (word == what).then(|| n.parse().ok())?
            })
        };
        Some(Summary {
            passed: count("passed")?,
            failed: count("failed")?,
        })
    }
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
    /// Its counts.
    pub summary: Option<Summary>,
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
            if line.starts_with("test result:") {
                parsed.finished = true;
                parsed.summary = Summary::parse(line);
            }
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
            && let Some(result) = result_at_end(line.trim())
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

/// The result that ends a line of a test's own output: `#####ok` when the test wrote to
/// stdout without ending its line.
fn result_at_end(text: &str) -> Option<Line> {
    result_of(text).or_else(|| {
        ["ok", "FAILED", "ignored"]
            .into_iter()
            .find(|result| text.ends_with(result))
            .and_then(result_of)
    })
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
