//! Running a lab's tests for the grader: every test alone in its own sandboxed process
//! (nextest's model), judged on positive evidence of its own pass (`libtest::judge_alone`).
//! A loop, a crash or a limit costs that test alone; the lab's deadline bounds the whole.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::course::CourseLab;
use super::sandbox::{Dirs, Limits};
use super::scratch::Worker;
use super::witness;
use crate::cargo::TestExe;
use crate::libtest::{self, Ending, Outcome, TestResult};
use crate::process;

/// One test to run: its executable and libtest name.
pub struct Planned<'a> {
    pub exe: &'a TestExe,
    pub name: String,
}

/// What each test process may use.
#[derive(Debug, Clone, Copy)]
pub struct TestLimits {
    /// Wall-clock time for one test process.
    pub time: Duration,
    /// Memory, file size and process count (`sandbox::Limits`; its CPU time is derived from
    /// `time`).
    pub resources: Limits,
}

impl Worker {
    /// The tests `exe` holds (`--list`, run in the sandbox like everything built from a
    /// submission).
    pub fn list(&self, lab: &CourseLab, exe: &TestExe, limits: TestLimits) -> Result<Vec<String>> {
        let command = libtest::test_command(exe, &self.lab_dir(lab), &["--list"]);
        let out = self.sandboxed(&command, 0, limits, None)?;
        let captured = process::capture(out, limits.time)?;
        Ok(captured
            .stdout
            .lines()
            .filter_map(|line| line.strip_suffix(": test"))
            .map(str::to_owned)
            .collect())
    }

    /// Runs each of `tests` alone, `self.cargo_jobs` at a time, none past `deadline`; one
    /// result per test, in the order given.
    pub fn run_tests(
        &self,
        lab: &CourseLab,
        tests: &[Planned],
        limits: TestLimits,
        deadline: Instant,
    ) -> Result<Vec<TestResult>> {
        let next = AtomicUsize::new(0);
        let results: Mutex<BTreeMap<usize, Outcome>> = Mutex::new(BTreeMap::new());
        let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
        thread::scope(|scope| {
            for slot in 0..self.cargo_jobs.max(1) {
                let (next, results, failure) = (&next, &results, &failure);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(test) = tests.get(i) else { break };
                        match self.run_one(lab, test, slot, limits, deadline) {
                            Ok(outcome) => {
                                lock(results).insert(i, outcome);
                            }
                            Err(error) => {
                                lock(failure).get_or_insert(error);
                                break;
                            }
                        }
                    }
                });
            }
        });
        if let Some(error) = lock(&failure).take() {
            return Err(error);
        }
        let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok(tests
            .iter()
            .enumerate()
            .map(|(i, test)| {
                // A solution's shim wraps the shared file in `mod shared`: the same test, same id.
                let short = test.name.strip_prefix("shared::").unwrap_or(&test.name);
                TestResult {
                    id: format!("{}::{short}", test.exe.target),
                    name: test.name.clone(),
                    outcome: results.remove(&i).unwrap_or_else(not_run),
                }
            })
            .collect())
    }

    /// One test, alone, in the sandbox's temporary directory of `slot` (emptied first).
    fn run_one(
        &self,
        lab: &CourseLab,
        test: &Planned,
        slot: usize,
        limits: TestLimits,
        deadline: Instant,
    ) -> Result<Outcome> {
        let time = limits
            .time
            .min(deadline.saturating_duration_since(Instant::now()));
        if time.is_zero() {
            return Ok(not_run());
        }
        let args = libtest::alone_args(&test.name);
        let command = libtest::test_command(test.exe, &self.lab_dir(lab), &args);
        let limits = TestLimits { time, ..limits };
        let record = self.dir.join("witness").join(format!("slot-{slot}"));
        fs::create_dir_all(self.dir.join("witness"))?;
        let _ = fs::remove_file(&record);
        let sandboxed = self.sandboxed(&command, slot, limits, Some(&record))?;
        let run = process::capture(sandboxed, time)?;
        // Without a witness (`--unsandboxed` on a machine without strace), the output alone.
        let ending = match &self.sandbox.witness {
            None => Ending::Unwatched,
            Some(_) => match witness::ended_from_main_thread(&record, &test.exe.path) {
                Some(true) => Ending::MainThread,
                Some(false) => Ending::OtherThread,
                None => Ending::Unrecorded,
            },
        };
        let evidence = libtest::Evidence {
            memory_limit: Some(limits.resources.memory),
            ending,
        };
        Ok(libtest::judge_alone(&test.name, &run, time, evidence))
    }

    /// `command` wrapped in the sandbox, with the private temporary directory of `slot`
    /// (emptied) and `limits` (CPU time: the wall-clock limit on every core).
    fn sandboxed(
        &self,
        command: &std::process::Command,
        slot: usize,
        limits: TestLimits,
        record: Option<&Path>,
    ) -> Result<std::process::Command> {
        let tmp = self.dir.join("tmp").join(format!("slot-{slot}"));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).with_context(|| format!("emptying {}", tmp.display()))?;
        }
        let dirs = Dirs {
            workspace: &self.ws,
            target: &self.target,
            tmp: &tmp,
        };
        self.sandbox.prepare(&dirs)?;
        let cores = thread::available_parallelism().map_or(1, |n| n.get()) as u32;
        let resources = Limits {
            cpu: Some(limits.time * cores + Duration::from_secs(1)),
            ..limits.resources
        };
        Ok(self.sandbox.wrap(command, &dirs, resources, record))
    }
}

fn not_run() -> Outcome {
    Outcome::Failed {
        message: format!(
            "{} the lab's time limit ran out before it could run",
            libtest::NOT_RUN
        ),
        location: None,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
