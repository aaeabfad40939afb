//! `cargo xtask grade [SUBMISSION ...]`: grades students' work with the instructor's tests,
//! treating every submission as hostile (book/src/instructors.md says it for instructors).
//!
//! For each submission (a directory, a git repository, a `.tar.gz` or `.zip`; none: this
//! workspace), only the students' source files (`exercises/*/src/**`, and the `src/**` of a
//! lab's Python crate, lab.toml `[python]`, graded by pytest: `python`) are taken (`input`),
//! into a scratch workspace made from the instructor's tree (`scratch`): tests, manifests,
//! build scripts and the lockfile are always the instructor's. Every build and test runs in a
//! bubblewrap sandbox (`sandbox`); each test runs alone and passes only on evidence of its own
//! pass, its end watched from outside by strace (`run`, `witness`). A lab that does not
//! compile, crashes or loops costs only that lab; a looping test costs only itself.
//!
//! The warm-up (`prepare`) builds the instructor's stubs, which lists the tests and what each
//! is worth (lab.toml `[grading]`), and the course's own solution (`calibrate`), whose failures
//! on this machine would charge students for it: grading stops on them unless told to void
//! them. It then seals the build cache (`seal`), which the workers share.
//!
//! Outputs (`output`): `gradebook.csv`, `gradebook-long.csv`, `gradebook.json`,
//! `honesty.md` (the instructor's, from `honesty`), `feedback/<id>.md`. `--shard K/N` grades a
//! share of the class and `grade merge` joins the shards (`shard`, `merge`).

use std::any::Any;
use std::collections::BTreeMap;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::libtest::{self, Outcome};

mod course;
mod honesty;
#[cfg(test)]
mod hostile_tests;
mod input;
pub mod merge;
mod model;
mod output;
mod progress;
mod python;
mod run;
mod sandbox;
mod scratch;
mod seal;
pub mod shard;
#[cfg(test)]
mod tests;
mod witness;

use course::{Course, CourseLab};
use input::Named;
pub use model::*;
pub use output::{print_table, write_outputs};
use progress::Progress;
use run::{Planned, TestLimits};
pub use sandbox::Limits as ResourceLimits;
use sandbox::Sandbox;
use scratch::{Build, Worker};

pub struct Options {
    /// Scratch space: the workers' workspaces and target directories, unpacked submissions.
    pub work: PathBuf,
    /// How many submissions are graded at once.
    pub jobs: usize,
    /// Wall-clock limit for one lab of one submission: build and tests.
    pub lab_timeout: Duration,
    /// Wall-clock limit for one test process (within the lab's).
    pub test_timeout: Duration,
    /// Memory, file size and process count of one test process.
    pub test_resources: sandbox::Limits,
    /// Run student code without the sandbox (as the instructor, unconfined).
    pub unsandboxed: bool,
    /// What an archive may unpack to.
    pub archive_caps: input::Caps,
    /// Grade only this shard's part of the submissions (`--shard K/N`).
    pub shard: Option<shard::Shard>,
    /// Count the tests this machine cannot run fairly for no one, instead of refusing to grade.
    pub void_missing_tools: bool,
    /// Only these labs (`1`, `01-strides`, `strides`); all when empty.
    pub labs: Vec<String>,
    /// Show progress on the terminal (or as lines in a log).
    pub progress: bool,
}

/// How long the warm-up (the instructor's stubs, dependencies included) may take per lab.
const WARM_UP_LIMIT: Duration = Duration::from_secs(3600);

/// Grades each of `submissions` against the course at `course` (the instructor's tree).
/// Every submission gets its row, whatever happened to it; an error here is the grader's or
/// the course's, never a student's.
pub fn grade(course: &Path, submissions: &[PathBuf], options: &Options) -> Result<Gradebook> {
    // The ids come from the whole list, so that every shard gives a submission the same one.
    let all = input::names(submissions);
    let chosen: Vec<usize> = match options.shard {
        Some(shard) => shard.select(&all.iter().map(|n| n.id.clone()).collect::<Vec<_>>()),
        None => (0..submissions.len()).collect(),
    };
    let names: Vec<Named> = chosen.iter().map(|&i| all[i].clone()).collect();
    let submissions: Vec<PathBuf> = chosen.iter().map(|&i| submissions[i].clone()).collect();
    let submissions = &submissions[..];
    let sandbox = Sandbox::detect(course, options.unsandboxed)?;
    let course_root =
        fs::canonicalize(course).with_context(|| format!("reading {}", course.display()))?;
    let course = Course::load(course, &options.labs)?;
    fs::create_dir_all(&options.work)
        .with_context(|| format!("creating {}", options.work.display()))?;
    let work = fs::canonicalize(&options.work)?;
    if work.starts_with(&course_root) {
        bail!(
            "the work directory {} is inside the course {}: student code built there could \
             reach the solutions (`#[path = \"../../..\"]`); give --work outside it (the \
             default is in the system's temporary directory)",
            work.display(),
            course_root.display()
        );
    }
    let inputs = work.join("inputs");
    if inputs.exists() {
        fs::remove_dir_all(&inputs).with_context(|| format!("removing {}", inputs.display()))?;
    }

    let workers = options.jobs.clamp(1, submissions.len().max(1));
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let cargo_jobs = (cores / workers).max(1);
    let progress = Progress::new(
        options.progress,
        submissions.len(),
        course.labs.len(),
        workers,
    );
    let prepared = prepare(
        &course, &work, workers, cargo_jobs, &sandbox, options, &progress,
    )?;
    let labs: Vec<LabInfo> = course
        .labs
        .iter()
        .map(|lab| LabInfo {
            name: lab.name.clone(),
            package: lab.package.clone(),
            title: lab.title.clone(),
            max: prepared.max(lab),
            voided: voided(lab, &prepared),
        })
        .collect();
    let problems: Vec<String> = labs
        .iter()
        .flat_map(|lab| {
            let name = &lab.name;
            lab.voided
                .iter()
                .map(move |(id, why)| format!("{name} `{id}`: {why}"))
        })
        .collect();
    if !problems.is_empty() && !options.void_missing_tools {
        bail!(
            "this machine cannot grade every test fairly: the course's own solution fails \
             these here, or they need a tool that is missing, so students would lose their \
             points to the machine:\n  {}\nInstall what they need (the messages say what; \
             `cargo xtask check` installs the labs' Python requirements), or grade with \
             --void-missing-tools to count them for no one (the gradebook lists them).",
            problems.join("\n  ")
        );
    }

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<SubmissionGrade>>> = Mutex::new(vec![None; submissions.len()]);
    thread::scope(|scope| {
        for index in 0..workers {
            let worker = Worker::new(&work, index, cargo_jobs, &sandbox);
            let (course, prepared, progress, next, results, names, inputs) = (
                &course, &prepared, &progress, &next, &results, &names, &inputs,
            );
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(path) = submissions.get(i) else {
                        progress.working(index, "done");
                        break;
                    };
                    let grader = Grader {
                        course,
                        prepared,
                        worker: &worker,
                        worker_index: index,
                        options,
                        progress,
                    };
                    let named = &names[i];
                    let scratch = inputs.join(&named.id);
                    // A bug of ours costs this submission's row, not the whole run.
                    let grade = panic::catch_unwind(AssertUnwindSafe(|| {
                        grader.submission(named, path, &scratch)
                    }))
                    .unwrap_or_else(|panic| grader.failed(named, path, &*panic));
                    progress.submission_done(&grade);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(grade);
                }
            });
        }
    });
    progress.done();
    let submissions = results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|grade| grade.expect("every submission was graded"))
        .collect();
    let _ = fs::remove_dir_all(&inputs);
    Ok(Gradebook {
        max: round(labs.iter().map(|lab| lab.max).sum()),
        labs,
        submissions,
    })
}

/// The tests of `lab` that count for no one on this machine, with why: those its solution
/// fails here (`calibrate`), and each feature whose tool is missing (`feature:NAME`).
fn voided(lab: &CourseLab, prepared: &Prepared) -> BTreeMap<String, String> {
    let mut voided = prepared.voided.get(&lab.name).cloned().unwrap_or_default();
    for (feature, why) in &lab.missing_features {
        voided.insert(format!("feature:{feature}"), why.clone());
    }
    voided
}

/// What the warm-up found, cached in `<work>/course.json` for runs with the same course key.
#[derive(Debug, Serialize, Deserialize)]
struct Prepared {
    key: String,
    /// The course's lockfile pruned to the labs' dependencies.
    lock: String,
    /// The tests of each lab, in the order they ran, and what each is worth.
    tests: BTreeMap<String, Vec<TestInfo>>,
    worth: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per lab, the tests the solution fails on this machine, with why (`calibrate`).
    voided: BTreeMap<String, BTreeMap<String, String>>,
}

impl Prepared {
    fn max(&self, lab: &CourseLab) -> f64 {
        round(self.worth[&lab.name].values().sum())
    }
}

/// Warms up the workers' target directories and lists the tests, unless a previous run did
/// it for the same course key.
fn prepare(
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
        course.key(),
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
        // The Python crate's pytest tests last, in the order pytest ran them.
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
        tests.insert(lab.name.clone(), listed);
    }
    let voided = calibrate(course, worker, &lock, &tests, options)?;
    if worker.sandbox.seals() {
        for lab in &course.labs {
            scratch::forget_builds(&worker.target.join("debug"), &lab.package)?;
            if let Some(part) = &lab.python {
                let release = worker.target.join("python").join("release");
                scratch::forget_builds(&release, &part.package)?;
            }
        }
        seal::seal(&worker.target)?;
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

/// What the Rust crate of a lab gave.
enum RustPart {
    /// The outcome of each test that reported, by id.
    Ran(BTreeMap<String, Outcome>),
    /// Nothing ran: the lab's status and why.
    NotBuilt(LabStatus, String),
}

/// Grades submissions in one worker.
struct Grader<'a> {
    course: &'a Course,
    prepared: &'a Prepared,
    worker: &'a Worker,
    worker_index: usize,
    options: &'a Options,
    progress: &'a Progress,
}

impl Grader<'_> {
    fn empty(&self, named: &Named, path: &Path) -> SubmissionGrade {
        let max = self.course.labs.iter().map(|lab| self.prepared.max(lab));
        SubmissionGrade {
            id: named.id.clone(),
            name: named.name.clone(),
            source: path.display().to_string(),
            status: SubmissionStatus::Graded,
            reason: None,
            commit: None,
            points: 0.0,
            max: round(max.sum()),
            labs: Vec::new(),
            seconds: 0.0,
            sandbox: match self.worker.sandbox.is_on() {
                true => Sandboxing::Sandboxed,
                false => Sandboxing::Unsandboxed,
            },
            honesty: Vec::new(),
        }
    }

    /// The row of a submission on which the grader panicked.
    fn failed(&self, named: &Named, path: &Path, panic: &(dyn Any + Send)) -> SubmissionGrade {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("a panic");
        let mut grade = self.empty(named, path);
        grade.status = SubmissionStatus::Error;
        grade.reason = Some(format!("the grader panicked: {message}"));
        grade
    }

    fn submission(&self, named: &Named, path: &Path, scratch: &Path) -> SubmissionGrade {
        let started = Instant::now();
        let mut grade = self.empty(named, path);
        let name = &named.id;
        self.progress
            .working(self.worker_index, &format!("{name}: opening"));
        let lab_names: Vec<String> = self.course.labs.iter().map(|l| l.name.clone()).collect();
        let caps = self.options.archive_caps;
        let opened = input::classify(path)
            .and_then(|kind| input::open(path, kind, scratch, &lab_names, caps));
        match opened {
            Err(reason) => {
                grade.status = SubmissionStatus::Unreadable;
                for lab in &self.course.labs {
                    let why = "not graded: the submission could not be read";
                    grade
                        .labs
                        .push(self.not_built(lab, LabStatus::Missing, why));
                    self.progress.lab_done();
                }
                grade.reason = Some(reason);
            }
            Ok(opened) => {
                grade.commit = opened.commit.clone();
                for lab in &self.course.labs {
                    self.progress
                        .working(self.worker_index, &format!("{name}: {}", lab.name));
                    let lab_started = Instant::now();
                    let mut result = self.lab(lab, &opened, scratch).unwrap_or_else(|error| {
                        let why = format!("{error:#}");
                        self.not_built(lab, LabStatus::Error, &why)
                    });
                    result.seconds = millis(lab_started.elapsed());
                    if !matches!(result.status, LabStatus::Missing | LabStatus::Refused) {
                        grade.honesty.extend(self.honesty(lab, &opened, scratch));
                    }
                    grade.labs.push(result);
                    self.progress.lab_done();
                }
            }
        }
        if scratch.exists() {
            let _ = fs::remove_dir_all(scratch);
        }
        grade.points = round(grade.labs.iter().map(|lab| lab.points).sum());
        grade.seconds = millis(started.elapsed());
        grade
    }

    /// Builds and tests one lab of a submission (`opened`, unpacked into `scratch` if it was an
    /// archive): its Rust crate, then its Python crate if it has one, both within the lab's
    /// time limit. Neither depends on the other: one that does not build costs only its tests.
    fn lab(&self, lab: &CourseLab, opened: &input::Opened, scratch: &Path) -> Result<LabGrade> {
        let deadline = Instant::now() + self.options.lab_timeout;
        let rust = self.rust(lab, opened, scratch, deadline)?;
        let python = lab
            .python
            .as_ref()
            .map(|part| self.python(lab, part, opened, scratch, deadline));
        let out_of_time = Instant::now() >= deadline;
        let (mut results, problem) = match python {
            Some(graded) => (graded.outcomes, graded.problem),
            None => (BTreeMap::new(), None),
        };
        for test in &self.prepared.tests[&lab.name] {
            if let Some(reason) = &test.ignored {
                results.insert(test.id.clone(), Outcome::Ignored(reason.clone()));
            }
        }
        let (status, why) = match rust {
            RustPart::Ran(outcomes) => {
                results.extend(outcomes);
                return Ok(self.score(lab, results, out_of_time, problem));
            }
            RustPart::NotBuilt(status, why) => (status, why),
        };
        // Nothing of the Rust crate ran; its Python crate's tests count as they went.
        let mut grade = self.not_built(lab, status, &why);
        if let Some(part) = &lab.python {
            let worth = &self.prepared.worth[&lab.name];
            for (test, graded) in self.prepared.tests[&lab.name].iter().zip(&mut grade.tests) {
                if part.owns(&test.target) {
                    let max = worth.get(&test.id).copied().unwrap_or(0.0);
                    *graded = self.test_grade(test, max, results.remove(&test.id), out_of_time);
                }
            }
            grade.points = round(grade.tests.iter().map(|test| test.points).sum());
        }
        Ok(grade)
    }

    /// The submission's source directory `rel` (relative to `exercises/`: `<lab>/src`), if it
    /// may be taken: no link at, above or inside it in an archive, no link for it or for a
    /// folder above it up to `exercises/`, and a folder. Else the lab's status and why.
    fn take(
        &self,
        opened: &input::Opened,
        scratch: &Path,
        rel: &Path,
    ) -> Result<PathBuf, (LabStatus, String)> {
        let src = opened.exercises.join(rel);
        // An archive's links were never created: one at, above or inside the sources is
        // refused by name rather than found missing.
        let in_archive = src.strip_prefix(scratch).unwrap_or(&src);
        if let Some((link, target)) = opened
            .links
            .iter()
            .find(|(link, _)| link.starts_with(in_archive) || in_archive.starts_with(link))
        {
            let why = format!(
                "refused: {} in the archive is a symbolic link (to {}); only regular files \
                 and folders are taken from a submission",
                link.display(),
                target.display()
            );
            return Err((LabStatus::Refused, why));
        }
        let (mut path, mut name) = (opened.exercises.clone(), PathBuf::from("exercises"));
        for part in [Path::new("")].into_iter().chain(rel.iter().map(Path::new)) {
            path.push(part);
            name.push(part);
            if path.is_symlink() {
                let why = format!(
                    "refused: {} is a symbolic link; only regular files and folders are taken \
                     from a submission",
                    name.display()
                );
                return Err((LabStatus::Refused, why));
            }
        }
        if !src.is_dir() {
            let why = format!("the submission has no {}", name.display());
            return Err((LabStatus::Missing, why));
        }
        Ok(src)
    }

    /// The lab's Rust crate: built, and each of its tests run.
    fn rust(
        &self,
        lab: &CourseLab,
        opened: &input::Opened,
        scratch: &Path,
        deadline: Instant,
    ) -> Result<RustPart> {
        let src = match self.take(opened, scratch, &Path::new(&lab.name).join("src")) {
            Ok(src) => src,
            Err((status, why)) => return Ok(RustPart::NotBuilt(status, why)),
        };
        let dir = opened.exercises.join(&lab.name);
        if lab.lib_path.starts_with("src") && !dir.join(&lab.lib_path).is_file() {
            let why = format!(
                "exercises/{}/{} is missing from the submission",
                lab.name,
                lab.lib_path.display()
            );
            return Ok(RustPart::NotBuilt(LabStatus::DoesNotCompile, why));
        }
        let rel = Path::new("exercises").join(&lab.name).join("src");
        let sources = BTreeMap::from([(rel, src.as_path())]);
        if let Err(error) = self
            .worker
            .sync(self.course, self.prepared.lock.as_bytes(), &sources)
        {
            let error = format!("{error:#}");
            let status = match error.starts_with("refused:") {
                true => LabStatus::Refused,
                false => LabStatus::Error,
            };
            let why = format!("could not take exercises/{}/src: {error}", lab.name);
            return Ok(RustPart::NotBuilt(status, why));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let exes = match self.worker.build(lab, left)? {
            Build::Built(exes) => exes,
            Build::DoesNotCompile(error) => {
                return Ok(RustPart::NotBuilt(LabStatus::DoesNotCompile, error));
            }
            Build::TimedOut => {
                let why = format!(
                    "the build did not finish within the lab's time limit of {} s (killed)",
                    libtest::seconds(self.options.lab_timeout)
                );
                return Ok(RustPart::NotBuilt(LabStatus::TimedOut, why));
            }
        };
        // The instructor's list of tests (the warm-up's), each run alone: what a student's
        // build prints about its tests is not evidence.
        let voided = &self.prepared.voided[&lab.name];
        let planned: Vec<Planned> = self.prepared.tests[&lab.name]
            .iter()
            .filter(|test| test.ignored.is_none() && !voided.contains_key(&test.id))
            .filter_map(|test| {
                let exe = exes.iter().find(|exe| exe.target == test.target)?;
                Some(Planned {
                    exe,
                    name: test.name.clone(),
                })
            })
            .collect();
        let limits = self.options.test_limits();
        let mut results = BTreeMap::new();
        for result in self.worker.run_tests(lab, &planned, limits, deadline)? {
            results.insert(result.id, result.outcome);
        }
        Ok(RustPart::Ran(results))
    }

    /// Scores the outcomes of a lab's tests (by id); the tests that did not report are
    /// `not run`. `python`: what went wrong with the lab's Python tests as a whole.
    fn score(
        &self,
        lab: &CourseLab,
        mut results: BTreeMap<String, Outcome>,
        out_of_time: bool,
        python: Option<(LabStatus, String)>,
    ) -> LabGrade {
        let worth = &self.prepared.worth[&lab.name];
        let voided = &self.prepared.voided[&lab.name];
        let tests: Vec<TestGrade> = self.prepared.tests[&lab.name]
            .iter()
            .map(|test| match voided.get(&test.id) {
                Some(why) => self.voided_test(test, why),
                None => {
                    let max = worth.get(&test.id).copied().unwrap_or(0.0);
                    self.test_grade(test, max, results.remove(&test.id), out_of_time)
                }
            })
            .collect();
        let (status, reason) = self.lab_status(lab, &tests, out_of_time, python);
        LabGrade {
            lab: lab.name.clone(),
            package: lab.package.clone(),
            status,
            reason,
            points: round(tests.iter().map(|test| test.points).sum()),
            max: self.prepared.max(lab),
            seconds: 0.0,
            tests,
        }
    }

    /// One test's grade, from its outcome (None: it did not report), worth `max`.
    fn test_grade(
        &self,
        test: &TestInfo,
        max: f64,
        result: Option<Outcome>,
        out_of_time: bool,
    ) -> TestGrade {
        let (outcome, message, location) = match result {
            Some(Outcome::Passed) => (TestOutcome::Passed, None, None),
            Some(Outcome::Ignored(reason)) => (TestOutcome::Ignored, Some(reason), None),
            Some(Outcome::Failed { message, location }) => {
                let message = self.worker.tidy(&message);
                let outcome = if message.starts_with(libtest::TIMED_OUT) {
                    TestOutcome::TimedOut
                } else if message.starts_with(libtest::OUT_OF_MEMORY) {
                    TestOutcome::OutOfMemory
                } else if message.starts_with(libtest::CRASHED) {
                    TestOutcome::Crashed
                } else if message.starts_with(libtest::NOT_RUN) {
                    TestOutcome::NotRun
                } else {
                    TestOutcome::Failed
                };
                (
                    outcome,
                    Some(message),
                    location.map(|at| self.worker.tidy(&at)),
                )
            }
            None => {
                let why = match out_of_time {
                    true => "not run: the lab's time limit ran out first",
                    false => "not run: its test executable did not report it",
                };
                (TestOutcome::NotRun, Some(why.to_string()), None)
            }
        };
        let points = match outcome {
            TestOutcome::Passed => max,
            _ => 0.0,
        };
        TestGrade {
            id: test.id.clone(),
            target: test.target.clone(),
            name: test.name.clone(),
            outcome,
            message,
            location,
            points,
            max: if outcome == TestOutcome::Ignored {
                0.0
            } else {
                max
            },
            rerun: test.rerun.clone(),
        }
    }

    /// A timeout outranks a crash; each names the first test it hit. The lab's Python tests
    /// run in one process, and what went wrong with them as a whole (`python`) comes next.
    fn lab_status(
        &self,
        lab: &CourseLab,
        tests: &[TestGrade],
        out_of_time: bool,
        python: Option<(LabStatus, String)>,
    ) -> (LabStatus, Option<String>) {
        let rust = |test: &&TestGrade| lab.python.as_ref().is_none_or(|p| !p.owns(&test.target));
        let with = |outcome: TestOutcome| -> Vec<&TestGrade> {
            tests
                .iter()
                .filter(rust)
                .filter(|test| test.outcome == outcome)
                .collect()
        };
        let more = |n: usize| match n {
            0 | 1 => String::new(),
            2 => " (and 1 more test)".to_string(),
            n => format!(" (and {} more tests)", n - 1),
        };
        let limit = libtest::seconds(self.options.lab_timeout);
        let timed_out = with(TestOutcome::TimedOut);
        let not_run: Vec<&TestGrade> = tests
            .iter()
            .filter(|test| test.outcome == TestOutcome::NotRun)
            .collect();
        if let Some(first) = timed_out.first() {
            let message = first.message.as_deref().unwrap_or_default();
            let why = format!(
                "`{}` {}{}",
                first.id,
                model::first_line(message),
                more(timed_out.len())
            );
            return (LabStatus::TimedOut, Some(why));
        }
        if out_of_time && !not_run.is_empty() {
            let why = format!(
                "the lab's time limit of {limit} s ran out with {} tests not run",
                not_run.len()
            );
            return (LabStatus::TimedOut, Some(why));
        }
        let crashed = with(TestOutcome::Crashed);
        if let Some(first) = crashed.first() {
            let message = first.message.as_deref().unwrap_or_default();
            let what = if message.contains("overflowed its stack") {
                "stack overflow".to_string()
            } else {
                model::first_line(message)
                    .trim_start_matches(libtest::CRASHED)
                    .trim()
                    .to_string()
            };
            let why = format!("`{}` crashed: {what}{}", first.id, more(crashed.len()));
            return (LabStatus::Crashed, Some(why));
        }
        if let Some((status, why)) = python {
            return (status, Some(why));
        }
        if let Some(first) = not_run.first() {
            let why = format!(
                "`{}` {}",
                first.id,
                first.message.as_deref().unwrap_or_default()
            );
            return (LabStatus::Error, Some(why));
        }
        (LabStatus::Ok, None)
    }

    /// The instructor's honesty report on the lab's sources in the submission (its Python
    /// crate's included): patterns that have no place in an exercise (`honesty.rs`), beyond
    /// what the stub itself holds.
    fn honesty(&self, lab: &CourseLab, opened: &input::Opened, scratch: &Path) -> Vec<Finding> {
        let mut findings = Vec::new();
        let python = lab.python.as_ref().map(|part| {
            let rel = Path::new(&lab.name).join(&part.dir).join("src");
            (rel, &self.course.python_stubs[&lab.name])
        });
        let rust = (
            Path::new(&lab.name).join("src"),
            &self.course.stubs[&lab.name],
        );
        for (rel, stub) in [rust].into_iter().chain(python) {
            let Ok(src) = self.take(opened, scratch, &rel) else {
                continue;
            };
            if let Ok(files) = course::read_tree(&src, &|_| true) {
                let shown = Path::new("exercises").join(&rel);
                let shown = shown.to_string_lossy();
                findings.extend(honesty::scan_dir(&shown, &files, stub));
            }
        }
        findings
    }

    /// A test that counts for no one on this machine (see `calibrate`), not run.
    fn voided_test(&self, test: &TestInfo, why: &str) -> TestGrade {
        TestGrade {
            id: test.id.clone(),
            target: test.target.clone(),
            name: test.name.clone(),
            outcome: TestOutcome::Voided,
            message: Some(format!(
                "counts for no one: the grader's machine cannot run it ({why})"
            )),
            location: None,
            points: 0.0,
            max: 0.0,
            rerun: test.rerun.clone(),
        }
    }

    /// A lab none of whose tests ran: each is `not run`, with the lab's reason.
    fn not_built(&self, lab: &CourseLab, status: LabStatus, reason: &str) -> LabGrade {
        let worth = &self.prepared.worth[&lab.name];
        let voided = &self.prepared.voided[&lab.name];
        let tests = self.prepared.tests[&lab.name]
            .iter()
            .map(|test| match voided.get(&test.id) {
                Some(why) => self.voided_test(test, why),
                None => TestGrade {
                    id: test.id.clone(),
                    target: test.target.clone(),
                    name: test.name.clone(),
                    outcome: match &test.ignored {
                        Some(_) => TestOutcome::Ignored,
                        None => TestOutcome::NotRun,
                    },
                    message: test.ignored.clone(),
                    location: None,
                    points: 0.0,
                    max: worth.get(&test.id).copied().unwrap_or(0.0),
                    rerun: test.rerun.clone(),
                },
            })
            .collect();
        LabGrade {
            lab: lab.name.clone(),
            package: lab.package.clone(),
            status,
            reason: Some(reason.to_string()),
            points: 0.0,
            max: self.prepared.max(lab),
            seconds: 0.0,
            tests,
        }
    }
}

impl Options {
    fn test_limits(&self) -> TestLimits {
        TestLimits {
            time: self.test_timeout,
            resources: self.test_resources,
        }
    }
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0).round() / 1000.0
}

/// `cargo xtask grade`'s arguments.
pub struct Args {
    /// The instructor's tree; default: this workspace.
    pub course: Option<PathBuf>,
    pub submissions: Vec<PathBuf>,
    pub out: Option<PathBuf>,
    pub work: Option<PathBuf>,
    pub jobs: Option<usize>,
    pub timeout: Duration,
    pub test_timeout: Duration,
    pub test_resources: sandbox::Limits,
    pub unsandboxed: bool,
    pub labs: Vec<String>,
    pub shard: Option<shard::Shard>,
    pub void_missing_tools: bool,
}

/// The default work directory: outside the course tree (so nothing built there can reach the
/// solutions by a relative path), the same for every run on the same course (so the
/// dependencies stay compiled), one per course and user.
fn default_work(course: &Path) -> PathBuf {
    let course = fs::canonicalize(course).unwrap_or_else(|_| course.to_path_buf());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in course.as_os_str().as_encoded_bytes() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
    }
    // SAFETY: geteuid(2) takes nothing and cannot fail.
    let user = unsafe { libc::geteuid() };
    std::env::temp_dir().join(format!("xtask-grade-{user}-{hash:016x}"))
}

/// `cargo xtask grade`: grades, writes the gradebook and feedback, prints the table.
pub fn run(workspace: &Path, args: Args) -> Result<()> {
    let root = args.course.as_deref().unwrap_or(workspace);
    let submissions = match args.submissions.is_empty() {
        true => vec![root.to_path_buf()],
        false => args.submissions,
    };
    let options = Options {
        work: args.work.unwrap_or_else(|| default_work(root)),
        jobs: args
            .jobs
            .unwrap_or_else(|| thread::available_parallelism().map_or(1, |n| n.get())),
        lab_timeout: args.timeout,
        test_timeout: args.test_timeout,
        labs: args.labs,
        progress: true,
        test_resources: args.test_resources,
        unsandboxed: args.unsandboxed,
        archive_caps: input::Caps::DEFAULT,
        shard: args.shard,
        void_missing_tools: args.void_missing_tools,
    };
    let started = Instant::now();
    let gradebook = grade(root, &submissions, &options)?;
    let out = args.out.unwrap_or_else(|| workspace.join("target/grades"));
    write_outputs(&gradebook, &out)?;
    print_table(&gradebook);
    let count = |status| gradebook.count(status);
    println!(
        "\nWrote {} into {} ({} feedback files).",
        output::WRITTEN,
        out.display(),
        gradebook.submissions.len()
    );
    if let Some(shard) = args.shard {
        println!(
            "Shard {shard}: {} of the {} submissions; join the shards with \
             `cargo xtask grade merge`.",
            gradebook.submissions.len(),
            submissions.len()
        );
    }
    println!(
        "grade: {} graded, {} unreadable, {} grader errors, in {:.1} s",
        count(SubmissionStatus::Graded),
        count(SubmissionStatus::Unreadable),
        count(SubmissionStatus::Error),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
