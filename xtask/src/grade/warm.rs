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
use super::scratch::{self, Build, Probe, Worker};
use super::{Options, python, seal, speed};
use crate::libtest::Outcome;
use crate::workspace::SpeedToml;

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
    /// What the lab is worth: its tests, and the speed points of its `[speed]` exercises.
    pub(super) fn max(&self, lab: &CourseLab) -> f64 {
        let speed: f64 = lab.speed.values().map(|speed| speed.points).sum();
        round(self.worth[&lab.name].values().sum::<f64>() + speed)
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
            // The reference's probes of another course key are rebuilt with the calibration.
            let references = work.join("reference");
            if references.exists() {
                fs::remove_dir_all(&references)
                    .with_context(|| format!("removing {}", references.display()))?;
            }
            let prepared = warm_up(course, &worker, key.clone(), options)?;
            fs::write(&cache, serde_json::to_string_pretty(&prepared)?)?;
            fs::write(marker(0), &key)?;
            let seconds = started.elapsed().as_secs_f64();
            progress.note(&format!("Warmed up in {seconds:.1} s."));
            prepared
        }
    };
    if missing_references(course, work) {
        // Kept across runs; rebuilt when missing, in a calibration folder of their own.
        let first = Worker::new(work, 0, cargo_jobs, sandbox);
        let worker = calibration_worker(&first)?;
        reference_probes(course, &worker, prepared.lock.as_bytes(), work)?;
        fs::remove_dir_all(&worker.dir)
            .with_context(|| format!("removing {}", worker.dir.display()))?;
    }
    for index in 1..workers {
        if !is_warm(index) {
            let worker = Worker::new(work, index, cargo_jobs, sandbox);
            fs::create_dir_all(&worker.dir)?;
            let first = Worker::new(work, 0, cargo_jobs, sandbox);
            // The workspace too, its mtimes kept: files written afresh would be newer than the
            // sealed fingerprints, and cargo would try to rebuild the shared crates (`support`)
            // into a cache it may not write.
            scratch::copy_workspace(&first.ws, &worker.ws)?;
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
        build_stub_probes(worker, lab)?;
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
        // The speed probes' (the bench profile's).
        scratch::forget_builds(&worker.target.join("release"), &lab.package)?;
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
    let worker = calibration_worker(first)?;
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
    reference_probes(course, &worker, lock, work)?;
    fs::remove_dir_all(&worker.dir)
        .with_context(|| format!("removing {}", worker.dir.display()))?;
    Ok(voided)
}

/// `<work>/calibration`, emptied, with a copy of `first`'s target directory: where the
/// solutions are built, never a worker's.
fn calibration_worker(first: &Worker) -> Result<Worker> {
    let work = first.dir.parent().unwrap_or(&first.dir);
    let worker = Worker::at(work.join("calibration"), first.cargo_jobs, &first.sandbox);
    if worker.dir.exists() {
        fs::remove_dir_all(&worker.dir)?;
    }
    fs::create_dir_all(&worker.dir)?;
    scratch::copy_target(&first.target, &worker.target)?;
    Ok(worker)
}

/// Builds the stubs' speed probes of `lab` (the warm-up's): their dependencies compile in
/// the bench profile once, outside any student's time limit, and a probe that does not build
/// on the stub is the course's problem.
fn build_stub_probes(worker: &Worker, lab: &CourseLab) -> Result<()> {
    for (exercise, speed) in &lab.speed {
        if speed::module_exercise(lab, exercise).is_some() {
            // The module's side is its wheel, built with its tests; its kernel alone is the
            // reference's, built from the course's own Python crate (`reference_probes`).
            continue;
        }
        match worker.build_probe(lab, &speed.bench, WARM_UP_LIMIT)? {
            Probe::Built(_) => {}
            Probe::DoesNotCompile(error) => bail!(
                "the speed probe of exercises/{}'s `{exercise}` (benches/{}.rs, lab.toml \
                 [speed.{exercise}]) does not build on the course's stubs: fix the course \
                 first:\n{error}",
                lab.name,
                speed.bench
            ),
            Probe::TimedOut => bail!("building the speed probe of {} timed out", lab.name),
        }
    }
    Ok(())
}

/// Whether a lab with a solution lacks one of its reference probes.
fn missing_references(course: &Course, work: &Path) -> bool {
    course.labs.iter().any(|lab| {
        course.solved.contains_key(&lab.name)
            && lab.speed.values().any(|speed| {
                let bench = speed::reference_bench(speed);
                !speed::reference_probe(work, &lab.name, bench).is_file()
            })
    })
}

/// The reference's speed probes that are missing, built from the course's solution in
/// `worker` (a calibration folder, never a worker's) the way a student's are built, and
/// copied to `<work>/reference/<lab>/<bench>`, which no sandbox sees. A probe that does not
/// build on the solution is the course's problem: grading stops.
fn reference_probes(course: &Course, worker: &Worker, lock: &[u8], work: &Path) -> Result<()> {
    for lab in &course.labs {
        let Some(files) = course.solved.get(&lab.name) else {
            continue;
        };
        let missing: Vec<(&String, &SpeedToml)> = lab
            .speed
            .iter()
            .filter(|(_, speed)| {
                let bench = speed::reference_bench(speed);
                !speed::reference_probe(work, &lab.name, bench).is_file()
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let src = worker.dir.join("solved").join(&lab.name);
        if src.exists() {
            fs::remove_dir_all(&src)?;
        }
        scratch::write_files(&src, files)?;
        let rel = Path::new("exercises").join(&lab.name).join("src");
        worker.sync(course, lock, &BTreeMap::from([(rel, src.as_path())]))?;
        for (exercise, speed) in missing {
            // The Python exercise's reference is its given kernel alone, from the course's own
            // Python crate (the stubs': the sync above replaced only the Rust crate's src).
            let bench = speed::reference_bench(speed);
            let built = match speed::module_exercise(lab, exercise) {
                Some(part) => {
                    let dir = worker.ws.join(part.crate_dir(&lab.name));
                    worker.build_bench(lab, &dir, bench, WARM_UP_LIMIT)?
                }
                None => worker.build_probe(lab, bench, WARM_UP_LIMIT)?,
            };
            let exe = match built {
                Probe::Built(exe) => exe,
                Probe::DoesNotCompile(error) => bail!(
                    "the speed probe of exercises/{}'s `{exercise}` does not build on the \
                     course's solution: fix the course first:\n{error}",
                    lab.name
                ),
                Probe::TimedOut => {
                    bail!(
                        "building the reference's speed probe of {} timed out",
                        lab.name
                    )
                }
            };
            let to = speed::reference_probe(work, &lab.name, bench);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
                // The grader's alone: no sandbox binds it, and no other user reads it.
                fs::set_permissions(
                    work.join("reference"),
                    std::os::unix::fs::PermissionsExt::from_mode(0o700),
                )?;
            }
            fs::copy(&exe, &to).with_context(|| format!("copying {}", exe.display()))?;
        }
    }
    Ok(())
}
