//! The warm-up, once per course and machine (cached in `<work>/course.json`): the instructor's
//! stubs built and run (the dependencies compiled, the tests listed and weighed), the course's
//! own solution run in a scratch directory of its own (`calibrate`: what this machine cannot
//! run fairly), the build cache sealed (`seal`) and shared with the other workers.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::course::{Course, CourseLab};
use super::model::{self, TestInfo, round};
use super::progress::Progress;
use super::run::Planned;
use super::sandbox::Sandbox;
use super::scratch::{self, Build, Worker};
use super::{Options, python, seal};
use crate::libtest::Outcome;

/// How long the warm-up (the instructor's stubs, dependencies included) may take per lab.
const WARM_UP_LIMIT: Duration = Duration::from_secs(3600);

/// The tests of `lab` that count for no one on this machine, with why: those its solution
/// fails here (`calibrate`), and each system tool that is missing (`tool:NAME`).
pub(super) fn voided(lab: &CourseLab, prepared: &Prepared) -> BTreeMap<String, String> {
    let mut voided = prepared.voided.get(&lab.name).cloned().unwrap_or_default();
    for (feature, why) in &lab.missing_tools {
        voided.insert(format!("tool:{feature}"), why.clone());
    }
    voided
}

/// What the warm-up found, cached in `<work>/course.json` for runs with the same course key.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Prepared {
    pub(super) key: String,
    /// The course's lockfile pruned to the labs' dependencies.
    pub(super) lock: String,
    /// The tests of each lab, in the order they ran, and what each is worth.
    pub(super) tests: BTreeMap<String, Vec<TestInfo>>,
    pub(super) worth: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per lab, the tests the solution fails on this machine, with why (`calibrate`).
    pub(super) voided: BTreeMap<String, BTreeMap<String, String>>,
}

impl Prepared {
    pub(super) fn max(&self, lab: &CourseLab) -> f64 {
        round(self.worth[&lab.name].values().sum())
    }
}

/// Warms up the workers' target directories and lists the tests, unless a previous run did
/// it for the same course key.
pub(super) fn prepare(
    course: &Course,
    work: &Path,
    workers: usize,
    cargo_jobs: usize,
    sandbox: &Sandbox,
    options: &Options,
    progress: &Progress,
) -> Result<Prepared> {
    // Sandboxed or not, the target directories belong to different users.
    let key = format!(
        "{}-sandbox-{}-sealed-{}-{:?}",
        course.key()?,
        sandbox.is_on(),
        sandbox.seals(),
        scratch::BUILD_SETTINGS
    );
    let cache = work.join("course.json");
    let marker = |index: usize| work.join(format!("worker-{index}")).join("prepared");
    let is_warm = |index: usize| {
        let worker = Worker::new(work, index, cargo_jobs, sandbox);
        worker.target.is_dir() && fs::read_to_string(marker(index)).is_ok_and(|k| k == key)
    };
    let cached = fs::read_to_string(&cache)
        .ok()
        .and_then(|text| serde_json::from_str::<Prepared>(&text).ok())
        .filter(|prepared| prepared.key == key && is_warm(0));
    let prepared = match cached {
        Some(prepared) => prepared,
        None => {
            progress.note("Warming up: building the course's stubs and their dependencies ...");
            let started = Instant::now();
            // Nothing else runs yet: all cores to it.
            let cores = thread::available_parallelism().map_or(1, |n| n.get());
            let worker = Worker::new(work, 0, cores, sandbox);
            // The cache of another course or toolchain: its dependencies are rebuilt where
            // they changed, as the sandbox's user, and sealed again after.
            seal::unseal(&worker.target)?;
            let prepared = warm_up(course, &worker, key.clone(), options)?;
            fs::write(&cache, serde_json::to_string_pretty(&prepared)?)?;
            fs::write(marker(0), &key)?;
            let seconds = started.elapsed().as_secs_f64();
            progress.note(&format!("Warmed up in {seconds:.1} s."));
            prepared
        }
    };
    for index in 1..workers {
        if !is_warm(index) {
            let worker = Worker::new(work, index, cargo_jobs, sandbox);
            fs::create_dir_all(&worker.dir)?;
            let first = Worker::new(work, 0, cargo_jobs, sandbox);
            scratch::copy_target(&first.target, &worker.target)?;
            fs::write(marker(index), &key)?;
        }
    }
    Ok(prepared)
}

/// Builds and runs the instructor's stubs in worker 0: the dependencies get compiled (outside
/// any student's time limit), and each lab's tests are listed. A stub that does not build
/// here is the course's problem: grading stops.
fn warm_up(course: &Course, worker: &Worker, key: String, options: &Options) -> Result<Prepared> {
    let course_lock = course
        .files
        .get(Path::new("Cargo.lock"))
        .cloned()
        .unwrap_or_default();
    worker.sync(course, &course_lock, &BTreeMap::new())?;
    let lock = worker.fetch(WARM_UP_LIMIT)?;
    let mut tests = BTreeMap::new();
    for lab in &course.labs {
        let listed = list_tests(course, worker, lab, options)?;
        check_weights_name_tests(lab, &listed)?;
        tests.insert(lab.name.clone(), listed);
    }
    let voided = calibrate(course, worker, &lock, &tests, options)?;
    if worker.sandbox.seals() {
        seal_target(course, worker)?;
    }
    let mut worth = BTreeMap::new();
    for lab in &course.labs {
        let voided = &voided[&lab.name];
        let worth_of = model::worth(&lab.grading, &tests[&lab.name], voided);
        worth.insert(lab.name.clone(), worth_of);
    }
    Ok(Prepared {
        key,
        lock: String::from_utf8_lossy(&lock).into_owned(),
        tests,
        worth,
        voided,
    })
}

/// Builds the lab's stubs and runs their tests (which lists them, and tells the ignored
/// ones), in the order students do them, then the Python crate's pytest tests, in the order
/// pytest ran them.
fn list_tests(
    course: &Course,
    worker: &Worker,
    lab: &CourseLab,
    options: &Options,
) -> Result<Vec<TestInfo>> {
    let exes = match worker.build(lab, WARM_UP_LIMIT)? {
        Build::Built(exes) => exes,
        Build::DoesNotCompile(error) => bail!(
            "the course's own exercises/{} does not build in the scratch workspace {} \
             (`cargo test -p {} --no-run`): fix the course first:\n{error}",
            lab.name,
            worker.ws.display(),
            lab.package
        ),
        Build::TimedOut => bail!("building the course's exercises/{} timed out", lab.name),
    };
    let deadline = Instant::now() + WARM_UP_LIMIT;
    let limits = options.test_limits();
    let mut planned = Vec::new();
    for exe in &exes {
        for name in worker.list(lab, exe, limits)? {
            planned.push(Planned { exe, name });
        }
    }
    let results = worker.run_tests(lab, &planned, limits, deadline)?;
    let mut listed: Vec<TestInfo> = results
        .into_iter()
        .zip(&planned)
        .map(|(result, test)| TestInfo {
            ignored: match result.outcome {
                Outcome::Ignored(reason) => Some(reason),
                _ => None,
            },
            id: result.id,
            target: test.exe.target.clone(),
            name: result.name,
            rerun: None,
        })
        .collect();
    // In the order students do them, as `progress` shows them.
    listed.sort_by_key(|test| {
        let rank = lab.exercises.iter().position(|e| *e == test.target);
        (rank.unwrap_or(usize::MAX), test.target.clone())
    });
    if let Some(part) = &lab.python {
        listed.extend(python::list(
            course,
            worker,
            lab,
            part,
            options,
            WARM_UP_LIMIT,
        )?);
    }
    Ok(listed)
}

/// Every test lab.toml's `[grading.weights]` names is one of the lab's tests.
fn check_weights_name_tests(lab: &CourseLab, listed: &[TestInfo]) -> Result<()> {
    let unknown: Vec<&String> = lab
        .grading
        .weights
        .keys()
        .filter(|id| !listed.iter().any(|test| &test.id == *id))
        .collect();
    if let Some(id) = unknown.first() {
        let ids: Vec<&str> = listed.iter().map(|test| test.id.as_str()).collect();
        bail!(
            "exercises/{}/lab.toml [grading.weights] names `{id}`, which is not a test: \
             fix the id (`<test file stem>::<test name>`, or `<dir>/<test file stem>::<test \
             name>` for the pytest tests of a [python] crate); the tests are: {}",
            lab.name,
            ids.join(", ")
        );
    }
    Ok(())
}

/// Forgets the fingerprints of the labs' own crates (each submission builds its own) and
/// seals worker 0's target folder: only the compiled dependencies are kept, out of student
/// code's reach (see [`seal`]).
fn seal_target(course: &Course, worker: &Worker) -> Result<()> {
    for lab in &course.labs {
        scratch::forget_builds(&worker.target.join("debug"), &lab.package)?;
        if let Some(part) = &lab.python {
            let release = worker.target.join("python").join("release");
            scratch::forget_builds(&release, &part.package)?;
        }
    }
    seal::seal(&worker.target)
}

/// The tests the instructor's own solution does not pass on this machine (test id → why, per
/// lab): they would charge students for the machine (a missing NVRTC, gfortran, NumPy), so
/// `grade` stops on them unless told to count them for no one. The solved labs are built and
/// run in a scratch directory of their own (`<work>/calibration`, removed after), so that
/// nothing compiled from the solutions is ever in a worker's target directory.
fn calibrate(
    course: &Course,
    first: &Worker,
    lock: &[u8],
    tests: &BTreeMap<String, Vec<TestInfo>>,
    options: &Options,
) -> Result<BTreeMap<String, BTreeMap<String, String>>> {
    let work = first.dir.parent().unwrap_or(&first.dir);
    let worker = Worker::at(work.join("calibration"), first.cargo_jobs, &first.sandbox);
    if worker.dir.exists() {
        fs::remove_dir_all(&worker.dir)?;
    }
    fs::create_dir_all(&worker.dir)?;
    scratch::copy_target(&first.target, &worker.target)?;
    let mut voided = BTreeMap::new();
    for lab in &course.labs {
        let mut failing = BTreeMap::new();
        if let Some(files) = course.solved.get(&lab.name) {
            let src = worker.dir.join("solved").join(&lab.name);
            scratch::write_files(&src, files)?;
            let rel = Path::new("exercises").join(&lab.name).join("src");
            worker.sync(course, lock, &BTreeMap::from([(rel, src.as_path())]))?;
            let planned_tests: Vec<&TestInfo> = tests[&lab.name]
                .iter()
                .filter(|test| test.ignored.is_none())
                .collect();
            match worker.build(lab, WARM_UP_LIMIT)? {
                Build::Built(exes) => {
                    let planned: Vec<Planned> = planned_tests
                        .iter()
                        .filter_map(|test| {
                            let exe = exes.iter().find(|exe| exe.target == test.target)?;
                            let name = test.name.clone();
                            Some(Planned { exe, name })
                        })
                        .collect();
                    let deadline = Instant::now() + WARM_UP_LIMIT;
                    let limits = options.test_limits();
                    for result in worker.run_tests(lab, &planned, limits, deadline)? {
                        if let Outcome::Failed { message, .. } = result.outcome {
                            let why = model::first_line(&worker.tidy(&message)).to_string();
                            failing.insert(result.id, why);
                        }
                    }
                }
                Build::DoesNotCompile(error) => {
                    let why = format!(
                        "the reference solution does not build here: {}",
                        model::first_line(&error)
                    );
                    for test in planned_tests {
                        failing.insert(test.id.clone(), why.clone());
                    }
                }
                Build::TimedOut => bail!("building the solution of {} timed out", lab.name),
            }
        }
        voided.insert(lab.name.clone(), failing);
    }
    fs::remove_dir_all(&worker.dir)
        .with_context(|| format!("removing {}", worker.dir.display()))?;
    Ok(voided)
}
