//! Build one crate's tests with cargo, then run each test executable ourselves: per-test
//! results on stable Rust, and a crashed or hanging test costs only its own executable.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::cargo;
use crate::libtest::{self, TestResult};
use crate::workspace::Crate;

/// The results of one test executable: for a shared test, one exercise (`tests/views.rs`).
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

/// `integration_only` keeps the shared tests (`tests/*.rs`) and skips the lib's unit tests.
pub fn build_and_run(
    root: &Path,
    krate: &Crate,
    integration_only: bool,
    timeout: Duration,
) -> Result<Tests> {
    let mut args = vec!["test".to_string(), "--no-run".to_string()];
    args.extend(krate.cargo_args());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let build = cargo::build_json(root, &args)?;
    if !build.success {
        return Ok(Tests::DoesNotCompile(build.first_error(&krate.manifest())));
    }
    let mut ran = Vec::new();
    for exe in build.tests_of(&krate.manifest()) {
        if integration_only && !exe.is_integration_test() {
            continue;
        }
        ran.push(TargetResults {
            results: libtest::run_tests(&exe, &krate.dir, timeout)?,
            target: exe.target,
        });
    }
    Ok(Tests::Ran(ran))
}
