//! Grading one submission in one worker: open it, take each lab's sources, build and run the
//! lab's tests (Rust, and Python where the lab has a `[python]` part), score each test by the
//! warm-up's weights, and say why whatever was not `ok` was not.

use std::any::Any;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::course::{self, CourseLab};
use super::input::{self, Named};
use super::model::{self, *};
use super::progress::Progress;
use super::run::Planned;
use super::scratch::{Build, Probe, Worker};
use super::speed;
use super::warm::Prepared;
use super::{Course, Options, honesty};
use crate::libtest::{self, Outcome};
use crate::workspace::SpeedToml;

/// What the Rust crate of a lab gave.
enum RustPart {
    /// The outcome of each test that reported, by id.
    Ran(BTreeMap<String, Outcome>),
    /// Nothing ran: the lab's status and why.
    NotBuilt(LabStatus, String),
}

/// Grades submissions in one worker.
pub(super) struct Grader<'a> {
    pub(super) course: &'a Course,
    pub(super) prepared: &'a Prepared,
    pub(super) worker: &'a Worker,
    pub(super) worker_index: usize,
    pub(super) options: &'a Options,
    pub(super) progress: &'a Progress,
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
    pub(super) fn failed(
        &self,
        named: &Named,
        path: &Path,
        panic: &(dyn Any + Send),
    ) -> SubmissionGrade {
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

    pub(super) fn submission(&self, named: &Named, path: &Path, scratch: &Path) -> SubmissionGrade {
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
                    let graded = self.lab(lab, &named.id, &opened, scratch);
                    let mut result = graded.unwrap_or_else(|error| {
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
    fn lab(
        &self,
        lab: &CourseLab,
        id: &str,
        opened: &input::Opened,
        scratch: &Path,
    ) -> Result<LabGrade> {
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
                let mut grade = self.score(lab, results, out_of_time, problem);
                self.speed_probes(lab, id, &mut grade, deadline)?;
                return Ok(grade);
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
            // The module does not depend on the Rust crate: its speed counts all the same.
            for (exercise, speed) in &lab.speed {
                if speed::module_exercise(lab, exercise).is_some() {
                    let result = self.speed_probe(lab, id, &grade, exercise, speed, deadline)?;
                    if let Some(slot) = grade.speed.iter_mut().find(|s| s.exercise == *exercise) {
                        *slot = result;
                    }
                }
            }
            speed::settle(&mut grade);
        }
        Ok(grade)
    }

    /// Phase 1 of the speed grading (`speed.rs`): for each exercise of `lab` whose speed
    /// counts and whose tests all passed, builds the student's probe in the sandbox (within
    /// the lab's `deadline`) and copies it out for phase 2 (`pending`); the others are not
    /// timed, or failed, with why.
    fn speed_probes(
        &self,
        lab: &CourseLab,
        id: &str,
        grade: &mut LabGrade,
        deadline: Instant,
    ) -> Result<()> {
        for (exercise, speed) in &lab.speed {
            let result = self.speed_probe(lab, id, grade, exercise, speed, deadline)?;
            grade.speed.push(result);
        }
        speed::settle(grade);
        Ok(())
    }

    /// One exercise's result of phase 1: pending (its probe built and copied out for phase 2),
    /// not timed (its tests), or failed (its probe).
    fn speed_probe(
        &self,
        lab: &CourseLab,
        id: &str,
        grade: &LabGrade,
        exercise: &str,
        speed: &SpeedToml,
        deadline: Instant,
    ) -> Result<SpeedGrade> {
        if let Some(why) = speed::not_correct(grade, exercise) {
            return Ok(SpeedGrade::not_timed(exercise, speed, &why));
        }
        let failed = |why: &str| Ok(SpeedGrade::failed(exercise, speed, why));
        let built = if speed::module_exercise(lab, exercise).is_some() {
            // The module: the wheel its tests just ran on is the student's side.
            match self.worker.built_wheel()? {
                Some(wheel) => wheel,
                None => return failed("no wheel was built"),
            }
        } else {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.worker.build_probe(lab, &speed.bench, left)? {
                _ if left.is_zero() => {
                    return failed("the lab's time limit ran out before its speed probe was built");
                }
                Probe::Built(exe) => exe,
                Probe::DoesNotCompile(error) => {
                    return failed(&format!(
                        "the speed probe (benches/{}.rs) does not build: {}",
                        speed.bench,
                        model::first_line(&error)
                    ));
                }
                Probe::TimedOut => {
                    return failed(
                        "the speed probe's build did not finish within the lab's time limit",
                    );
                }
            }
        };
        let work = self.worker.dir.parent().unwrap_or(&self.worker.dir);
        let to = speed::student_probe(work, id, &lab.name, &speed.bench);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(&built, &to).with_context(|| format!("copying {}", built.display()))?;
        Ok(SpeedGrade::pending(exercise, speed))
    }

    /// Makes the scratch workspace hold the instructor's files and, at `rel` (a source
    /// directory, relative to the workspace), the submission's `src`; else the lab's status
    /// (`refused` for what the copy refuses, a grader error otherwise) and why.
    pub(super) fn sync(&self, rel: PathBuf, src: &Path) -> Result<(), (LabStatus, String)> {
        let shown = rel.display().to_string();
        let sources = BTreeMap::from([(rel, src)]);
        let synced = self
            .worker
            .sync(self.course, self.prepared.lock.as_bytes(), &sources);
        synced.map_err(|error| {
            let error = format!("{error:#}");
            let status = match error.starts_with("refused:") {
                true => LabStatus::Refused,
                false => LabStatus::Error,
            };
            (status, format!("could not take {shown}: {error}"))
        })
    }

    /// The submission's source directory `rel` (relative to `exercises/`: `<lab>/src`), if it
    /// may be taken: no link at, above or inside it in an archive, no link for it or for a
    /// folder above it up to `exercises/`, and a folder. Else the lab's status and why.
    pub(super) fn take(
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
        if let Err((status, why)) = self.sync(rel, &src) {
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
            speed: Vec::new(),
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
        let why = format!("the lab's status is `{}`", status.words());
        let speed = lab
            .speed
            .iter()
            .map(|(exercise, speed)| SpeedGrade::not_timed(exercise, speed, &why))
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
            speed,
        }
    }
}

pub(super) fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0).round() / 1000.0
}
