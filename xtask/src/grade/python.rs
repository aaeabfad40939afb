//! A lab's Python extension (lab.toml `[python]`; lab 6: the pyo3 crate `exercises/06-ffi/python`),
//! graded beside the lab's Rust tests. The submission's `<lab>/<dir>/src/**` is taken under the
//! same rules as `src/` (regular files only, within the same caps), built in the sandbox by the
//! course's maturin (`maturin build --release` into the worker's target directory), and the
//! wheel unpacked into a directory of the sandbox's private `/tmp` that `PYTHONPATH` names. The
//! crate's pytest tests then run there, all in one pytest process (the tests share a module and
//! fixtures), with the variable that would name another module unset; pytest's JUnit report is
//! read back from the sandbox's `/tmp`.
//!
//! Each pytest test is a test of the lab, `<dir>/<file stem>::<test name>` (what lab.toml's
//! weights name), one point by default; the warm-up lists them by running the instructor's
//! stub, whose tests fail. Fail closed: a test scores only when the report lists it as passed.
//! A build that fails, a pytest that runs out of time or writes no report: every Python test
//! scores nothing, with the reason. The Python crate does not depend on the lab's Rust crate,
//! so either one failing costs only its own tests.
//!
//! What this cannot rule out: the student's extension runs inside the pytest process, so code
//! written to cheat can reach pytest itself, its report included, through the Python API. The
//! honesty report scans the Python crate's sources as well: read it.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::Options;
use super::course::{Course, CourseLab};
use super::grader::Grader;
use super::input;
use super::listing;
use super::model::{LabStatus, TestInfo};
use super::run::TestLimits;
use super::sandbox;
use super::scratch::{Worker, forget_builds};
use crate::cargo::{cargo_error, excerpt};
use crate::libtest::{self, Outcome};
use crate::process;
use crate::workspace::{self, PythonToml};
use course::junit::parse_junit;

/// The report pytest writes, in the sandbox's `/tmp`.
const REPORT: &str = "pytest.xml";
/// Where the wheel is unpacked, in the sandbox's `/tmp`.
const SITE: &str = "site";
/// A report larger than this is not pytest's (a few kB per test).
const MAX_REPORT_BYTES: u64 = 16 << 20;

/// A lab's Python extension crate, as grading sees it.
#[derive(Debug, Clone)]
pub struct PythonPart {
    /// The crate's directory inside the lab's (`python`): the student's sources are
    /// `<dir>/src`, the tests `<dir>/tests`, and the tests' ids start with `<dir>/`.
    pub dir: String,
    /// The variable that names the module the tests import (the solution's, in `check`):
    /// unset here, so that they import the student's.
    pub module_env: String,
    /// The crate's package name (its fingerprints in the target directory).
    pub package: String,
    /// The library's source file, relative to the crate: without it, nothing builds.
    pub lib_path: PathBuf,
}

impl PythonPart {
    /// The `[python]` table of the lab at `lab_dir`, with its crate's manifest.
    pub fn load(lab_dir: &Path, python: &PythonToml) -> Result<PythonPart> {
        let plain = Path::new(&python.dir)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain || python.dir.is_empty() || python.dir == "src" {
            bail!(
                "{}: [python] dir = {:?}: give the crate's directory inside the lab's",
                lab_dir.join("lab.toml").display(),
                python.dir
            );
        }
        let dir = lab_dir.join(&python.dir);
        let krate = workspace::read_crate(&dir)?;
        Ok(PythonPart {
            dir: python.dir.clone(),
            module_env: python.module_env.clone(),
            package: krate.package,
            lib_path: super::course::lib_path(&dir)?,
        })
    }

    /// The crate's directory, relative to the workspace root.
    pub fn crate_dir(&self, lab: &str) -> PathBuf {
        Path::new("exercises").join(lab).join(&self.dir)
    }

    /// The student's sources, relative to the workspace root.
    pub fn src(&self, lab: &str) -> PathBuf {
        self.crate_dir(lab).join("src")
    }

    /// Whether the test of this `target` is one of this crate's: theirs are `<dir>/<file>`,
    /// a Rust test's target is a file stem, without a `/`.
    pub fn owns(&self, target: &str) -> bool {
        target
            .strip_prefix(&self.dir)
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// What reruns one test in the student's workspace.
    fn rerun(&self, lab: &str, file: &str, name: &str) -> String {
        let dir = self.crate_dir(lab).display().to_string();
        course::python::pytest_command(&dir, Some((file, name)))
    }
}

/// What building the extension gave.
enum Built {
    Wheel(PathBuf),
    /// The first error, paths as the student knows them.
    DoesNotCompile(String),
    TimedOut,
}

/// What one pytest run gave.
struct Ran {
    /// The JUnit report; None when pytest wrote none (or something else stands there).
    report: Option<String>,
    timed_out: bool,
    status: String,
    /// The end of its output (from Python's fatal error, if any), for when there is no report.
    output: String,
}

impl Worker {
    /// maturin's target directory: apart from cargo's `debug/` (maturin sets
    /// PYO3_BUILD_EXTENSION_MODULE, which changes pyo3's build), inside the worker's target, so
    /// that the warm-up's dependencies are kept and copied with it.
    fn python_target(&self) -> PathBuf {
        self.target.join("python")
    }

    /// The wheel the last `build_python` left, if it left one.
    pub fn built_wheel(&self) -> Result<Option<PathBuf>> {
        let wheels = self.python_target().join("wheels");
        if !wheels.is_dir() {
            return Ok(None);
        }
        Ok(the_wheel(&wheel_files(&wheels)?).cloned())
    }

    /// `maturin build --release --frozen` of the lab's Python crate, in the sandbox. The
    /// interpreter is named by the venv's canonical path, the same for every worker, so that a
    /// copied target directory stays fresh.
    fn build_python(
        &self,
        lab: &CourseLab,
        part: &PythonPart,
        venv: &Path,
        limit: Duration,
    ) -> Result<Built> {
        let target = self.python_target();
        let wheels = target.join("wheels");
        if wheels.exists() {
            fs::remove_dir_all(&wheels)
                .with_context(|| format!("emptying {}", wheels.display()))?;
        }
        forget_builds(&target.join("release"), &part.package)?;
        let manifest = self.ws.join(part.crate_dir(&lab.name)).join("Cargo.toml");
        let jobs = self.cargo_jobs.to_string();
        let mut maturin = Command::new(venv.join("bin").join("maturin"));
        maturin
            .current_dir(&self.ws)
            .args(["build", "--release", "--frozen", "--auditwheel", "skip"])
            .args(["--jobs", &jobs, "--manifest-path"])
            .arg(&manifest)
            .arg("--target-dir")
            .arg(&target)
            .arg("--out")
            .arg(&wheels)
            .arg("--interpreter")
            .arg(venv.join("bin").join("python"))
            .env("CARGO_TERM_COLOR", "never")
            .env("CARGO_TERM_PROGRESS_WHEN", "never");
        let tmp = self.fresh_tmp("python-build")?;
        let wrapped = self.in_sandbox(&maturin, &tmp, sandbox::Limits::build(), None)?;
        let out = process::capture(wrapped, limit)?;
        if out.timed_out {
            return Ok(Built::TimedOut);
        }
        if !out.status.is_some_and(|status| status.success()) {
            let text = self.tidy(&format!("{}\n{}", out.stdout, out.stderr));
            let error = cargo_error(&text);
            // maturin's own last words repeat the cargo command, absolute paths and all.
            let error = match error.find("💥 maturin failed") {
                Some(at) if !error[..at].trim().is_empty() => error[..at].to_string(),
                _ => error,
            };
            return Ok(Built::DoesNotCompile(excerpt(&error, 30)));
        }
        let found = wheel_files(&wheels)?;
        match the_wheel(&found) {
            Some(wheel) => Ok(Built::Wheel(wheel.clone())),
            None => bail!(
                "`maturin build` of {} succeeded but left {} wheels in {}:\n{}",
                part.crate_dir(&lab.name).display(),
                found.len(),
                wheels.display(),
                excerpt(&out.stderr, 20)
            ),
        }
    }

    /// pytest on the crate's tests with `wheel` unpacked on `PYTHONPATH`, in the sandbox,
    /// killed at `limits.time`.
    fn pytest(
        &self,
        lab: &CourseLab,
        part: &PythonPart,
        wheel: &Path,
        limits: TestLimits,
    ) -> Result<Ran> {
        let tmp = self.fresh_tmp("python")?;
        let site = tmp.join(SITE);
        fs::create_dir_all(&site)?;
        // Unpacked as an archive from a submission is: files and folders only, within caps.
        input::unpack_zip(wheel, &site, input::Caps::DEFAULT)
            .map_err(|why| anyhow::anyhow!("unpacking {}: {why}", wheel.display()))?;
        // The sandbox's /tmp is `tmp`; without the sandbox, it is `tmp` itself.
        let inside = |name: &str| match self.sandbox.is_on() {
            true => Path::new("/tmp").join(name),
            false => tmp.join(name),
        };
        let mut command = Command::new(self.ws.join(".venv").join("bin").join("python"));
        command
            .current_dir(&self.ws)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg(format!("--junitxml={}", inside(REPORT).display()))
            .arg(self.ws.join(part.crate_dir(&lab.name)).join("tests"))
            .env("PYTHONPATH", inside(SITE))
            // The workspace is read-only: no bytecode caches beside the tests.
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("RUST_BACKTRACE", "0")
            .env_remove(&part.module_env);
        let wrapped = self.in_sandbox(&command, &tmp, limits.with_cpu_time(), None)?;
        let out = process::capture(wrapped, limits.time)?;
        let output = self.tidy(&format!("{}\n{}", out.stdout, out.stderr));
        let lines: Vec<&str> = output.trim_end().lines().collect();
        // A crash: Python's fault handler names the test where it happened, innermost first.
        let start = match lines
            .iter()
            .position(|l| l.starts_with("Fatal Python error"))
        {
            Some(fatal) => fatal,
            None => lines.len().saturating_sub(20),
        };
        let tail = excerpt(&lines[start..].join("\n"), 20);
        Ok(Ran {
            report: read_report(&tmp.join(REPORT)),
            timed_out: out.timed_out,
            status: match out.status {
                Some(status) => status.to_string(),
                None => "no exit status".into(),
            },
            output: tail,
        })
    }
}

/// The `.whl` entries of `wheels` (maturin's output folder), whatever they are.
fn wheel_files(wheels: &Path) -> Result<Vec<PathBuf>> {
    Ok(listing::paths(wheels)?
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .collect())
}

/// The wheel a build made: the only `.whl` entry, a regular file (a build's own code could
/// leave anything there).
fn the_wheel(found: &[PathBuf]) -> Option<&PathBuf> {
    match found {
        [wheel] if fs::symlink_metadata(wheel).is_ok_and(|m| m.is_file()) => Some(wheel),
        _ => None,
    }
}

/// The report pytest wrote: a regular file (never followed if the student's code made it a
/// link: the grader reads it outside the sandbox), of a sane size.
fn read_report(path: &Path) -> Option<String> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .ok()?;
    let metadata = file.metadata().ok()?;
    if !metadata.is_file() || metadata.len() > MAX_REPORT_BYTES {
        return None;
    }
    let mut text = String::new();
    file.take(MAX_REPORT_BYTES).read_to_string(&mut text).ok()?;
    Some(text)
}

/// The outcome of each test in a report, by id (`<dir>/<file>::<name>`). A test the report
/// lists twice (a failing teardown) keeps its worst outcome.
fn outcomes(part: &PythonPart, xml: &str) -> BTreeMap<String, Outcome> {
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    for case in parse_junit(xml) {
        let id = format!("{}/{}", part.dir, case.id);
        match outcomes.get(&id) {
            Some(Outcome::Failed { .. }) => {}
            Some(Outcome::Ignored(_)) if case.outcome == Outcome::Passed => {}
            _ => {
                outcomes.insert(id, case.outcome);
            }
        }
    }
    outcomes
}

/// The venv that builds and runs the Python tests, or why there is none.
fn venv(course: &Course, lab: &CourseLab) -> Result<PathBuf> {
    let missing = match &course.venv {
        None => "the course has no .venv".to_string(),
        Some(venv) => match ["maturin", "python"]
            .iter()
            .find(|tool| !venv.join("bin").join(tool).is_file())
        {
            Some(tool) => format!("{} has no bin/{tool}", venv.display()),
            None => return Ok(venv.clone()),
        },
    };
    bail!(
        "exercises/{}/lab.toml has a [python] table, and grading its pytest tests needs the \
         course's .venv with maturin and pytest, but {missing}: run `cargo xtask check` once, \
         or `python3 -m venv .venv && .venv/bin/python -m pip install -r \
         exercises/{}/{}/requirements.txt`",
        lab.name,
        lab.name,
        lab.python
            .as_ref()
            .map_or("python", |part| part.dir.as_str())
    )
}

/// The warm-up's part: builds the instructor's stub of the Python crate (its dependencies
/// with it) and lists its pytest tests, in the order pytest ran them. A stub that does not
/// build, or tests that pytest does not report, are the course's problem: grading stops.
pub fn list(
    course: &Course,
    worker: &Worker,
    lab: &CourseLab,
    part: &PythonPart,
    options: &Options,
    limit: Duration,
) -> Result<Vec<TestInfo>> {
    let venv = venv(course, lab)?;
    let crate_dir = part.crate_dir(&lab.name);
    let wheel = match worker.build_python(lab, part, &venv, limit)? {
        Built::Wheel(wheel) => wheel,
        Built::DoesNotCompile(error) => bail!(
            "the course's own {} does not build with maturin in the scratch workspace {}: fix \
             the course first:\n{error}",
            crate_dir.display(),
            worker.ws.display()
        ),
        Built::TimedOut => bail!("building the course's {} timed out", crate_dir.display()),
    };
    let limits = TestLimits {
        time: limit,
        resources: options.test_resources,
    };
    let ran = worker.pytest(lab, part, &wheel, limits)?;
    let cases = ran.report.as_deref().map(parse_junit).unwrap_or_default();
    if cases.is_empty() {
        bail!(
            "pytest reported no tests of the course's {} on its stub ({}{}):\n{}",
            crate_dir.display(),
            ran.status,
            if ran.timed_out { ", timed out" } else { "" },
            ran.output
        );
    }
    let mut listed: Vec<TestInfo> = Vec::new();
    for case in cases {
        let (file, name) = case.id.split_once("::").unwrap_or(("", &case.id));
        let id = format!("{}/{}", part.dir, case.id);
        if listed.iter().any(|test| test.id == id) {
            continue;
        }
        listed.push(TestInfo {
            ignored: match case.outcome {
                Outcome::Ignored(reason) => Some(reason),
                _ => None,
            },
            target: format!("{}/{file}", part.dir),
            rerun: Some(part.rerun(&lab.name, file, name)),
            name: name.to_string(),
            id,
        });
    }
    Ok(listed)
}

/// The outcomes of a submission's Python tests, and what went wrong with them as a whole
/// (the lab's status and reason, unless its Rust part has worse).
pub struct Graded {
    pub outcomes: BTreeMap<String, Outcome>,
    pub problem: Option<(LabStatus, String)>,
}

/// Python tests that failed as a whole: the lab's status and the reason, and each test's
/// outcome (None: not run, with the reason).
struct Failure {
    status: LabStatus,
    why: String,
    outcome: Option<Outcome>,
}

impl Failure {
    fn not_run(status: LabStatus, why: String) -> Failure {
        Failure {
            status,
            why,
            outcome: None,
        }
    }

    /// Every test ran and failed with `message` (pytest as a whole timed out or crashed).
    fn each_failed(status: LabStatus, why: String, message: String) -> Failure {
        Failure {
            status,
            why,
            outcome: Some(Outcome::Failed {
                message,
                location: None,
            }),
        }
    }
}

impl Grader<'_> {
    /// Builds and tests the Python crate of `lab` from the submission `opened` (unpacked into
    /// `scratch` if it was an archive), none of it past `deadline`. Never an error: what the
    /// grader could not do is every Python test's reason.
    pub(super) fn python(
        &self,
        lab: &CourseLab,
        part: &PythonPart,
        opened: &input::Opened,
        scratch: &Path,
        deadline: Instant,
    ) -> Graded {
        let tests: Vec<&TestInfo> = self.prepared.tests[&lab.name]
            .iter()
            .filter(|test| part.owns(&test.target) && test.ignored.is_none())
            .collect();
        let failure = match self.python_tests(lab, part, opened, scratch, deadline, &tests) {
            Ok(Ok(outcomes)) => {
                return Graded {
                    outcomes,
                    problem: None,
                };
            }
            Ok(Err(failure)) => failure,
            Err(error) => Failure::not_run(
                LabStatus::Error,
                format!("the grader could not run the Python tests: {error:#}"),
            ),
        };
        let outcome = failure.outcome.unwrap_or_else(|| Outcome::Failed {
            message: format!("{} {}", libtest::NOT_RUN, failure.why),
            location: None,
        });
        Graded {
            outcomes: tests
                .iter()
                .map(|test| (test.id.clone(), outcome.clone()))
                .collect(),
            problem: Some((failure.status, failure.why)),
        }
    }

    /// The outcome of each of `tests`, or how they failed as a whole: the submission's sources
    /// taken and synced, the extension built, pytest run, and its report scored.
    fn python_tests(
        &self,
        lab: &CourseLab,
        part: &PythonPart,
        opened: &input::Opened,
        scratch: &Path,
        deadline: Instant,
        tests: &[&TestInfo],
    ) -> Result<Result<BTreeMap<String, Outcome>, Failure>> {
        let src = match self.python_sources(lab, part, opened, scratch) {
            Ok(src) => src,
            Err(failure) => return Ok(Err(failure)),
        };
        let venv = venv(self.course, lab)?;
        if let Err((status, why)) = self.sync(part.src(&lab.name), &src) {
            return Ok(Err(Failure::not_run(status, why)));
        }
        let wheel = match self.python_wheel(lab, part, &venv, deadline)? {
            Ok(wheel) => wheel,
            Err(failure) => return Ok(Err(failure)),
        };
        let report = match self.pytest_report(lab, part, &wheel, deadline, tests.len())? {
            Ok(report) => report,
            Err(failure) => return Ok(Err(failure)),
        };
        Ok(Ok(scored(part, &report, tests)))
    }

    /// The submission's `src/` of the Python crate, taken into `scratch`; not taken, or without
    /// the library's source file (nothing would build), it fails as a whole.
    fn python_sources(
        &self,
        lab: &CourseLab,
        part: &PythonPart,
        opened: &input::Opened,
        scratch: &Path,
    ) -> Result<PathBuf, Failure> {
        let rel = Path::new(&lab.name).join(&part.dir).join("src");
        let src = self
            .take(opened, scratch, &rel)
            .map_err(|(status, why)| Failure::not_run(status, why))?;
        if let Ok(lib) = part.lib_path.strip_prefix("src")
            && !src.join(lib).is_file()
        {
            let why = format!(
                "{}/{} is missing from the submission",
                part.crate_dir(&lab.name).display(),
                part.lib_path.display()
            );
            return Err(Failure::not_run(LabStatus::DoesNotCompile, why));
        }
        Ok(src)
    }

    /// The wheel of the synced Python crate, built within what is left before `deadline`, or
    /// why there is none (it does not compile, or ran out of time).
    fn python_wheel(
        &self,
        lab: &CourseLab,
        part: &PythonPart,
        venv: &Path,
        deadline: Instant,
    ) -> Result<Result<PathBuf, Failure>> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            let why = "the lab's time limit ran out before the Python extension was built".into();
            return Ok(Err(Failure::not_run(LabStatus::TimedOut, why)));
        }
        let crate_dir = part.crate_dir(&lab.name);
        Ok(match self.worker.build_python(lab, part, venv, left)? {
            Built::Wheel(wheel) => Ok(wheel),
            Built::DoesNotCompile(error) => {
                let why = format!(
                    "the Python extension {} does not compile, so its tests did not run \
                     (reproduce: `.venv/bin/maturin build --release -m {}/Cargo.toml`):\n{error}",
                    crate_dir.display(),
                    crate_dir.display()
                );
                Err(Failure::not_run(LabStatus::DoesNotCompile, why))
            }
            Built::TimedOut => {
                let why = format!(
                    "the build of the Python extension {} did not finish within the lab's time \
                     limit of {} s (killed)",
                    crate_dir.display(),
                    libtest::seconds(self.options.lab_timeout)
                );
                Err(Failure::not_run(LabStatus::TimedOut, why))
            }
        })
    }

    /// pytest's report on the `count` Python tests with `wheel` installed, or why there is none
    /// (no time left, pytest killed at its limit, or no report written).
    fn pytest_report(
        &self,
        lab: &CourseLab,
        part: &PythonPart,
        wheel: &Path,
        deadline: Instant,
        count: usize,
    ) -> Result<Result<String, Failure>> {
        // One process for every test: each test's limit, once per test and once for pytest's
        // own start (the imports), within what is left of the lab's.
        let per_test = self.options.test_timeout;
        let time =
            (per_test * (count as u32 + 1)).min(deadline.saturating_duration_since(Instant::now()));
        if time.is_zero() {
            let why = "the lab's time limit ran out before the Python tests could run".into();
            return Ok(Err(Failure::not_run(LabStatus::TimedOut, why)));
        }
        let limits = TestLimits {
            time,
            resources: self.options.test_resources,
        };
        let ran = self.worker.pytest(lab, part, wheel, limits)?;
        if ran.timed_out {
            let limit = libtest::seconds(time);
            let why = format!(
                "pytest did not finish within {limit} s (killed): the Python tests run in one \
                 process, within {} s per test, so none of them counts",
                libtest::seconds(per_test)
            );
            let message = format!(
                "{} {limit} s (killed): pytest, which runs every Python test in one process, \
                 ran past its limit",
                libtest::TIMED_OUT
            );
            return Ok(Err(Failure::each_failed(LabStatus::TimedOut, why, message)));
        }
        let Some(report) = ran.report else {
            let why = format!(
                "pytest wrote no report ({}), so none of the Python tests counts; it said:\n{}",
                ran.status, ran.output
            );
            let message = format!("{}: {why}", libtest::CRASHED);
            return Ok(Err(Failure::each_failed(LabStatus::Crashed, why, message)));
        };
        Ok(Ok(report))
    }
}

/// The outcome of each of `tests` in pytest's `report`. Fail closed: a skipped test scores
/// nothing, and one the report does not list did not run.
fn scored(part: &PythonPart, report: &str, tests: &[&TestInfo]) -> BTreeMap<String, Outcome> {
    let mut reported = outcomes(part, report);
    tests
        .iter()
        .map(|test| {
            let outcome = match reported.remove(&test.id) {
                Some(Outcome::Ignored(reason)) => Outcome::Failed {
                    message: format!("skipped, which scores nothing: {reason}"),
                    location: None,
                },
                Some(outcome) => outcome,
                None => Outcome::Failed {
                    message: format!("{} pytest's report does not list it", libtest::NOT_RUN),
                    location: None,
                },
            };
            (test.id.clone(), outcome)
        })
        .collect()
}

#[cfg(test)]
mod tests;
