//! Build one crate's tests with cargo, then run each test executable ourselves: per-test
//! results on stable Rust, and a crashed or hanging test costs only its own executable.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::cargo::{self, TestExe};
use crate::libtest::{self, TestResult};
use crate::workspace::{self, Crate};

/// The results of one test executable: for a shared test, one exercise (`tests/views.rs`).
#[derive(Debug)]
pub struct TargetResults {
    /// The target name: the test file's stem for an integration test.
    pub target: String,
    pub results: Vec<TestResult>,
}

pub enum Tests {
    /// The crate or its tests do not compile: the first compiler error.
    DoesNotCompile(String),
    Ran(Vec<TargetResults>),
}

/// What `cargo test --no-run` left: the test executables, or the first compiler error.
pub enum Built {
    DoesNotCompile(String),
    Executables(Vec<TestExe>),
}

/// `integration_only` keeps the shared tests (`tests/*.rs`) and skips the lib's unit tests.
pub fn build_and_run(
    root: &Path,
    krate: &Crate,
    integration_only: bool,
    timeout: Duration,
) -> Result<Tests> {
    let built = build(root, krate, integration_only, &krate.cargo_args())?;
    run_all(krate, built, timeout)
}

/// The students' run (`progress`, `hint`, `watch`): the shared tests only, built without the
/// lab's `bench` feature, so that criterion and its plotting never compile for them (see
/// [`workspace::student_feature_args`]).
pub fn student_build_and_run(root: &Path, krate: &Crate, timeout: Duration) -> Result<Tests> {
    let built = student_build(root, krate)?;
    run_all(krate, built, timeout)
}

/// The shared tests' executables, built the students' way (see [`student_build_and_run`]).
pub fn student_build(root: &Path, krate: &Crate) -> Result<Built> {
    let mut args = krate.cargo_args();
    args.extend(workspace::student_feature_args(krate)?);
    build(root, krate, true, &args)
}

/// Runs `cargo test --no-run ARGS` and keeps `krate`'s test executables.
fn build(root: &Path, krate: &Crate, integration_only: bool, args: &[String]) -> Result<Built> {
    let mut all = vec!["test", "--no-run"];
    all.extend(args.iter().map(String::as_str));
    let build = cargo::build_json(root, &all)?;
    if !build.success {
        return Ok(Built::DoesNotCompile(build.first_error(&krate.manifest())));
    }
    let exes = build
        .tests_of(&krate.manifest())
        .into_iter()
        .filter(|exe| !integration_only || exe.is_integration_test())
        .collect();
    Ok(Built::Executables(exes))
}

/// Runs every executable of `built`, one after the other.
fn run_all(krate: &Crate, built: Built, timeout: Duration) -> Result<Tests> {
    let exes = match built {
        Built::DoesNotCompile(error) => return Ok(Tests::DoesNotCompile(error)),
        Built::Executables(exes) => exes,
    };
    let mut ran = Vec::new();
    for exe in exes {
        ran.push(run_one(krate, &exe, timeout)?);
    }
    Ok(Tests::Ran(ran))
}

/// The results of one test executable of `krate`.
pub fn run_one(krate: &Crate, exe: &TestExe, timeout: Duration) -> Result<TargetResults> {
    Ok(TargetResults {
        results: libtest::run_tests(exe, &krate.dir, timeout)?,
        target: exe.target.clone(),
    })
}
