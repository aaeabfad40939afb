//! Running a lab's tests for the grader: every test alone in its own sandboxed process
//! (nextest's model), judged on positive evidence of its own pass (`libtest::judge_alone`).
//! A loop, a crash or a limit costs that test alone; the lab's deadline bounds the whole.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;

use super::course::CourseLab;
use super::sandbox::Limits;
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

impl TestLimits {
    /// The resources, with a CPU-time limit of the wall-clock limit on every core (a backstop:
    /// the wall clock kills first).
    pub fn with_cpu_time(&self) -> Limits {
        let cores = thread::available_parallelism().map_or(1, |n| n.get()) as u32;
        Limits {
            cpu: Some(self.time * cores + Duration::from_secs(1)),
            ..self.resources
        }
    }
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
            .filter_map(libtest::listed_test)
            .collect())
    }

    /// Runs `tests`, `self.cargo_jobs` processes at a time, none past `deadline`; one result
    /// per test, in the order given. First each test executable runs its planned tests in one
    /// process (`libtest::judge_batch` keeps only what that run proves: every pass, when
    /// libtest itself ended the process with success); every test left undecided then runs
    /// alone (`libtest::judge_alone`), so a loop or a crash costs only the tests that cause it,
    /// and every failure is the test's own.
    pub fn run_tests(
        &self,
        lab: &CourseLab,
        tests: &[Planned],
        limits: TestLimits,
        deadline: Instant,
    ) -> Result<Vec<TestResult>> {
        let mut exes: Vec<&TestExe> = tests.iter().map(|test| test.exe).collect();
        exes.sort_by(|a, b| a.path.cmp(&b.path));
        exes.dedup_by(|a, b| a.path == b.path);
        let mut decided: BTreeMap<(PathBuf, String), Outcome> = BTreeMap::new();
        if self.sandbox.witness.is_some() {
            let batches = self.parallel(&exes, |exe, slot| {
                let names: Vec<&str> = tests
                    .iter()
                    .filter(|test| test.exe.path == exe.path)
                    .map(|test| test.name.as_str())
                    .collect();
                self.run_batch(lab, exe, &names, slot, limits, deadline)
            })?;
            for (exe, verdicts) in exes.iter().zip(batches) {
                for (name, outcome) in verdicts {
                    decided.insert((exe.path.clone(), name), outcome);
                }
            }
        }
        let undecided: Vec<&Planned> = tests
            .iter()
            .filter(|test| !decided.contains_key(&(test.exe.path.clone(), test.name.clone())))
            .collect();
        let alone = self.parallel(&undecided, |test, slot| {
            self.run_one(lab, test, slot, limits, deadline)
        })?;
        for (test, outcome) in undecided.iter().zip(alone) {
            decided.insert((test.exe.path.clone(), test.name.clone()), outcome);
        }
        Ok(tests
            .iter()
            .map(|test| {
                // A solution's shim wraps the shared file in `mod shared`: the same test, same id.
                let short = test.name.strip_prefix("shared::").unwrap_or(&test.name);
                let key = (test.exe.path.clone(), test.name.clone());
                TestResult {
                    id: format!("{}::{short}", test.exe.target),
                    name: test.name.clone(),
                    outcome: decided.remove(&key).unwrap_or_else(not_run),
                }
            })
            .collect())
    }

    /// `run` on each of `items`, `self.cargo_jobs` at a time (each in its own slot: its
    /// temporary directory and witness record), results in the order of `items`.
    fn parallel<T: Sync, R: Send>(
        &self,
        items: &[T],
        run: impl Fn(&T, usize) -> Result<R> + Sync,
    ) -> Result<Vec<R>> {
        let next = AtomicUsize::new(0);
        let results: Mutex<BTreeMap<usize, R>> = Mutex::new(BTreeMap::new());
        let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
        thread::scope(|scope| {
            for slot in 0..self.cargo_jobs.max(1) {
                let (next, results, failure, run) = (&next, &results, &failure, &run);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(item) = items.get(i) else { break };
                        match run(item, slot) {
                            Ok(result) => {
                                lock(results).insert(i, result);
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
        let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok(results.into_values().collect())
    }

    /// The planned tests `names` of `exe` in one process, within one test's time limit (and
    /// half the lab's time left): the verdicts that run proves (`libtest::judge_batch`); the
    /// others are left to run alone.
    fn run_batch(
        &self,
        lab: &CourseLab,
        exe: &TestExe,
        names: &[&str],
        slot: usize,
        limits: TestLimits,
        deadline: Instant,
    ) -> Result<BTreeMap<String, Outcome>> {
        // Half of what is left at most: a loop in the batch must leave time to find it alone.
        let left = deadline.saturating_duration_since(Instant::now());
        let time = limits.time.min(left / 2);
        if time.is_zero() {
            return Ok(BTreeMap::new());
        }
        // As many threads as `cargo test` would use: tests that sleep or wait (lab 4's task
        // graphs) overlap, and a worker's cores are the machine's when the others are building.
        let cores = thread::available_parallelism().map_or(1, |n| n.get());
        let threads = format!("--test-threads={cores}");
        let mut args = vec!["--exact", &threads, "--color=never", "--show-output"];
        args.extend(names);
        let command = libtest::test_command(exe, &self.lab_dir(lab), &args);
        let (run, ending) =
            self.watched(&command, &exe.path, slot, TestLimits { time, ..limits })?;
        let evidence = libtest::Evidence {
            memory_limit: Some(limits.resources.memory),
            ending,
        };
        Ok(libtest::judge_batch(names, &run, evidence))
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
        let (run, ending) = self.watched(&command, &test.exe.path, slot, limits)?;
        let evidence = libtest::Evidence {
            memory_limit: Some(limits.resources.memory),
            ending,
        };
        Ok(libtest::judge_alone(&test.name, &run, time, evidence))
    }

    /// Runs `command` (a test executable, `exe`) in the sandbox in `slot`, watched by the
    /// witness: what it printed, and how it ended.
    fn watched(
        &self,
        command: &std::process::Command,
        exe: &Path,
        slot: usize,
        limits: TestLimits,
    ) -> Result<(process::Captured, Ending)> {
        // A folder of its own per slot, root's alone: strace writes there from inside the
        // sandbox, where the test (another user) cannot.
        let folder = self.dir.join("witness").join(format!("slot-{slot}"));
        if folder.is_file() {
            // An older grader's record, kept in a reused work directory.
            fs::remove_file(&folder)?;
        }
        fs::create_dir_all(&folder)?;
        fs::set_permissions(&folder, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
        let record = folder.join("record");
        let _ = fs::remove_file(&record);
        let sandboxed = self.sandboxed(command, slot, limits, Some(&record))?;
        let run = process::capture(sandboxed, limits.time)?;
        // Without a witness (`--unsandboxed` on a machine without strace), the output alone.
        let ending = match &self.sandbox.witness {
            None => Ending::Unwatched,
            Some(_) => match witness::ended_from_main_thread(&record, exe) {
                Some(true) => Ending::MainThread,
                Some(false) => Ending::OtherThread,
                None => Ending::Unrecorded,
            },
        };
        Ok((run, ending))
    }

    /// `command` in the sandbox, with the private temporary directory of `slot` (emptied) and
    /// `limits`.
    fn sandboxed(
        &self,
        command: &std::process::Command,
        slot: usize,
        limits: TestLimits,
        record: Option<&Path>,
    ) -> Result<std::process::Command> {
        let tmp = self.fresh_tmp(&format!("slot-{slot}"))?;
        self.in_sandbox(command, &tmp, limits.with_cpu_time(), record)
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
