//! Grading the speed of the kernels whose speed counts (lab.toml `[speed.EXERCISE]`), against
//! the reference solution's kernel on the same machine, in the same sandbox.
//!
//! Correct first: an exercise whose tests do not all pass is not timed and earns no speed
//! points. Then, in two phases:
//!
//! 1. In the worker, after the lab's tests ran, the student's speed probe (the lab's bench
//!    target, given code around the student's kernel) is built in the sandbox like the tests
//!    (`Worker::build_probe`, within the lab's time limit) and its executable copied out to
//!    `<work>/speed/<id>/<lab>/<bench>`: the result is `pending`. The reference's probe was
//!    built the same way from the course's solution during the warm-up, and kept in
//!    `<work>/reference/<lab>/<bench>`, a folder no sandbox ever sees (`warm.rs`).
//! 2. After every worker has finished, so that the machine is otherwise idle, each pending
//!    probe is timed ([`time_pending`]), one exercise after the other: the reference's and the
//!    student's probes run turn about (reference, student, reference, ...), `rounds` times
//!    each, each run a fresh process in a sandbox that holds only that executable (read-only)
//!    and a private `/tmp`: the reference never sees student files, nor the student's run the
//!    reference. Each run prints its best of [`INNER`] timed calls; each side keeps its best
//!    run. The ratio is the reference's best ÷ the student's (1: as fast as the reference),
//!    scored by `SpeedToml::points_at`.
//!
//! Noise is part of the design: the spread (the larger of the two sides' median ÷ best − 1)
//! and the load (`/proc/loadavg`, 1 minute) are recorded with every result; a series whose
//! spread exceeds [`MAX_SPREAD`] is measured again with twice the rounds, and one still over
//! is `noisy`: unscored (0 of 0, the gradebook's status says so), never silently scored.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};

use super::course::{Course, CourseLab};
use super::model::{LabGrade, SpeedGrade, SpeedStatus, SubmissionGrade, first_line, round};
use super::progress::Progress;
use super::python::PythonPart;
use super::run::TestLimits;
use super::sandbox::{Dirs, Sandbox};
use crate::process;
use crate::workspace::SpeedToml;
use course::speed::json_number;

/// The most spread a series may have and be scored: median ÷ best − 1 of either side. Timing
/// on an idle machine, a kernel's runs agree within a few per cent; past 10 % something else
/// is running (or the CPU's clock moves), and a ratio from such runs could move a grade by
/// more than the noise the scale tolerates.
pub const MAX_SPREAD: f64 = 0.10;

/// Timed calls per probe process (`--inner`); the probe prints the best.
pub const INNER: usize = 3;

/// Runs of each side per series, by default (`grade --speed-rounds`).
pub const DEFAULT_ROUNDS: usize = 5;

/// Which probe runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Reference,
    Student,
}

/// The order of one series: reference, student, reference, student, ..., `rounds` of each, so
/// that a change in the machine's state (its clock, another process) falls on both sides.
pub fn plan(rounds: usize) -> Vec<Side> {
    (0..rounds.max(1))
        .flat_map(|_| [Side::Reference, Side::Student])
        .collect()
}

pub fn best(times: &[f64]) -> f64 {
    times.iter().copied().fold(f64::INFINITY, f64::min)
}

pub fn median(times: &[f64]) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Median ÷ best − 1: 0 when every run agrees.
pub fn spread(times: &[f64]) -> f64 {
    median(times) / best(times) - 1.0
}

/// One series' times, each side's runs in order, and the load before it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub reference: Vec<f64>,
    pub student: Vec<f64>,
    pub load: Option<f64>,
}

impl Series {
    /// The larger of the two sides' spreads.
    pub fn spread(&self) -> f64 {
        spread(&self.reference).max(spread(&self.student))
    }

    /// The reference's best ÷ the student's.
    pub fn ratio(&self) -> f64 {
        best(&self.reference) / best(&self.student)
    }
}

/// Runs one series of `rounds` per side in [`plan`]'s order; the first run that fails stops
/// it, with its side and why.
fn series(
    rounds: usize,
    run: &mut dyn FnMut(Side) -> Result<f64, String>,
    load: Option<f64>,
) -> Result<Series, (Side, String)> {
    let mut series = Series {
        load,
        ..Series::default()
    };
    for side in plan(rounds) {
        let seconds = run(side).map_err(|why| (side, why))?;
        match side {
            Side::Reference => series.reference.push(seconds),
            Side::Student => series.student.push(seconds),
        }
    }
    Ok(series)
}

/// Times one exercise and scores it: a series of `rounds`; when its spread is over
/// [`MAX_SPREAD`], one more of twice the rounds, which is scored if it is under, else the
/// result is `noisy` and unscored. `run` runs one side's probe once (its seconds, or why it
/// failed); `load` reads the machine's load before each series.
pub fn measure(
    exercise: &str,
    speed: &SpeedToml,
    rounds: usize,
    run: &mut dyn FnMut(Side) -> Result<f64, String>,
    load: &mut dyn FnMut() -> Option<f64>,
) -> SpeedGrade {
    let mut grade = SpeedGrade::pending(exercise, speed);
    let mut rounds = rounds.max(1);
    let mut measured = series(rounds, run, load());
    if let Ok(first) = &measured
        && first.spread() > MAX_SPREAD
    {
        rounds *= 2;
        measured = series(rounds, run, load());
    }
    grade.rounds = rounds;
    let series = match measured {
        Ok(series) => series,
        Err((Side::Student, why)) => {
            grade.status = SpeedStatus::Failed;
            grade.reason = Some(format!("your speed probe failed: {why}"));
            return grade;
        }
        Err((Side::Reference, why)) => {
            grade.status = SpeedStatus::Error;
            grade.max = 0.0;
            grade.reason = Some(format!(
                "the reference's speed probe failed on the grading machine (not your loss: \
                 unscored): {why}"
            ));
            return grade;
        }
    };
    let spread = series.spread();
    grade.reference_seconds = Some(best(&series.reference));
    grade.student_seconds = Some(best(&series.student));
    grade.ratio = Some(series.ratio());
    grade.spread = Some(spread);
    grade.load = series.load;
    if spread > MAX_SPREAD {
        grade.status = SpeedStatus::Noisy;
        grade.max = 0.0;
        grade.reason = Some(format!(
            "the runs spread by {:.0} % (over {:.0} %) even with {rounds} runs of each side \
             (load {}): unscored, not zero; the instructor reruns it on an idle machine",
            spread * 100.0,
            MAX_SPREAD * 100.0,
            series
                .load
                .map_or("unknown".into(), |load| format!("{load:.2}"))
        ));
        return grade;
    }
    grade.status = SpeedStatus::Timed;
    grade.points = round(speed.points_at(series.ratio()));
    grade.reason = None;
    grade
}

impl SpeedGrade {
    /// Built, to be timed (0 of the exercise's points until then).
    pub fn pending(exercise: &str, speed: &SpeedToml) -> SpeedGrade {
        SpeedGrade {
            exercise: exercise.to_string(),
            against: match speed.kernel_alone {
                Some(_) => "the given kernel alone, called from Rust with no Python".into(),
                None => super::model::reference_kernel(),
            },
            size: speed.size.clone(),
            reference_seconds: None,
            student_seconds: None,
            ratio: None,
            spread: None,
            load: None,
            rounds: 0,
            points: 0.0,
            max: speed.points,
            status: SpeedStatus::Pending,
            reason: None,
        }
    }

    /// Not timed (0 of the exercise's points), and why.
    pub fn not_timed(exercise: &str, speed: &SpeedToml, why: &str) -> SpeedGrade {
        SpeedGrade {
            status: SpeedStatus::NotTimed,
            reason: Some(format!("not timed: {why}")),
            ..SpeedGrade::pending(exercise, speed)
        }
    }

    /// The probe could not be built or run (0 of the exercise's points), and why.
    pub fn failed(exercise: &str, speed: &SpeedToml, why: &str) -> SpeedGrade {
        SpeedGrade {
            status: SpeedStatus::Failed,
            reason: Some(why.to_string()),
            ..SpeedGrade::pending(exercise, speed)
        }
    }
}

/// Why `exercise` is not timed, from the lab's test results; None when every test of it
/// that counts passed.
/// The Python exercise's tests are its crate's: their targets are `<dir>/<test file>`.
pub fn not_correct(lab: &LabGrade, exercise: &str) -> Option<String> {
    use super::model::TestOutcome::{Ignored, Passed, Voided};
    let python = format!("{exercise}/");
    let tests: Vec<_> = lab
        .tests
        .iter()
        .filter(|test| test.target == exercise || test.target.starts_with(&python))
        .filter(|test| !matches!(test.outcome, Ignored | Voided))
        .collect();
    let failing = tests.iter().filter(|test| test.outcome != Passed).count();
    let rerun = match tests.first() {
        Some(test) if test.target != exercise => {
            format!("pytest on exercises/{}/{exercise}/tests", lab.lab)
        }
        _ => format!("cargo test -p {} --test {exercise}", lab.package),
    };
    match (tests.len(), failing) {
        (0, _) => Some(format!(
            "the exercise has no test that counts (tests/{exercise}.rs)"
        )),
        (_, 0) => None,
        (n, k) => Some(format!(
            "its tests do not all pass ({k} of {n} do not): correct first ({rerun})"
        )),
    }
}

/// The lab's points and maximum from its tests and speed results: an unscored speed result
/// counts neither way (its `max` is 0).
pub fn settle(lab: &mut LabGrade) {
    let tests: f64 = lab.tests.iter().map(|test| test.points).sum();
    let speed: f64 = lab.speed.iter().map(|speed| speed.points).sum();
    let tests_max: f64 = lab.tests.iter().map(|test| test.max).sum();
    let speed_max: f64 = lab.speed.iter().map(|speed| speed.max).sum();
    lab.points = round(tests + speed);
    lab.max = round(tests_max + speed_max);
}

/// The lab's Python crate when `exercise` is its Python exercise (the module, timed from
/// Python: the student's side of phase 2 is the built wheel and the course's script).
pub fn module_exercise<'l>(lab: &'l CourseLab, exercise: &str) -> Option<&'l PythonPart> {
    lab.python.as_ref().filter(|part| part.dir == exercise)
}

/// The bench the reference's side runs: the Rust exercise's own probe, built from the
/// solution; for the Python exercise, its crate's given kernel timed alone (`kernel_alone`).
pub fn reference_bench(speed: &SpeedToml) -> &str {
    speed.kernel_alone.as_deref().unwrap_or(&speed.bench)
}

/// Where a submission's probe waits for phase 2: `<work>/speed/<id>/<lab>/<bench>` (for the
/// Python exercise, the student's wheel).
pub fn student_probe(work: &Path, id: &str, lab: &str, bench: &str) -> PathBuf {
    work.join("speed").join(id).join(lab).join(bench)
}

/// Where the reference's probe is kept: `<work>/reference/<lab>/<bench>`. Never inside a
/// sandbox that runs student code.
pub fn reference_probe(work: &Path, lab: &str, bench: &str) -> PathBuf {
    work.join("reference").join(lab).join(bench)
}

/// The 1-minute load average, from `/proc/loadavg`.
pub fn load_average() -> Option<f64> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Phase 2: times every pending speed result of `submissions`, one after the other, and
/// settles the labs' and submissions' points.
pub fn time_pending(
    course: &Course,
    work: &Path,
    sandbox: &Sandbox,
    limits: TestLimits,
    rounds: usize,
    progress: &Progress,
    submissions: &mut [SubmissionGrade],
) {
    let prober = Prober {
        sandbox,
        dir: work.join("speed-run"),
        limits,
        course,
    };
    for submission in submissions.iter_mut() {
        for lab in &mut submission.labs {
            let Some(course_lab) = course.labs.iter().find(|l| l.name == lab.lab) else {
                continue;
            };
            for result in &mut lab.speed {
                if result.status != SpeedStatus::Pending {
                    continue;
                }
                let Some(speed) = course_lab.speed.get(&result.exercise) else {
                    continue;
                };
                progress.note(&format!(
                    "Timing {} {} {} against the reference ({rounds} runs each)...",
                    submission.id, lab.lab, result.exercise
                ));
                let student = student_probe(work, &submission.id, &lab.lab, &speed.bench);
                *result = prober.time(work, course_lab, &result.exercise, speed, &student, rounds);
            }
            settle(lab);
        }
        submission.points = round(submission.labs.iter().map(|lab| lab.points).sum());
        if !submission.labs.is_empty() {
            submission.max = round(submission.labs.iter().map(|lab| lab.max).sum());
        }
    }
    let _ = fs::remove_dir_all(work.join("speed"));
    let _ = fs::remove_dir_all(&prober.dir);
}

/// Runs the probes of phase 2, each in a sandbox of its own.
struct Prober<'a> {
    sandbox: &'a Sandbox,
    /// `<work>/speed-run`: a folder per side, emptied before each run.
    dir: PathBuf,
    limits: TestLimits,
    /// For the Python exercise's side: the course's probe script and its `.venv`.
    course: &'a Course,
}

/// A side's probe, staged in its folder's `bin/`: an executable, or (the Python exercise) the
/// course's script with the student's wheel unpacked beside it, run by the course's Python.
enum Staged {
    Exe(PathBuf),
    Module(module::Module),
}

impl Staged {
    fn command(&self) -> Command {
        match self {
            Staged::Exe(exe) => Command::new(exe),
            Staged::Module(module) => module.command(),
        }
    }
}

impl Prober<'_> {
    /// Times `exercise` of `lab`: the reference's probe against the student's at `student`.
    fn time(
        &self,
        work: &Path,
        lab: &CourseLab,
        exercise: &str,
        speed: &SpeedToml,
        student: &Path,
        rounds: usize,
    ) -> SpeedGrade {
        let reference = reference_probe(work, &lab.name, reference_bench(speed));
        let error = |why: String| SpeedGrade {
            status: SpeedStatus::Error,
            max: 0.0,
            reason: Some(format!("{why} (the grader's problem, not yours: unscored)")),
            ..SpeedGrade::pending(exercise, speed)
        };
        if !reference.is_file() {
            return error(format!(
                "no reference probe at {} (does the course have a solution of {}?)",
                reference.display(),
                lab.name
            ));
        }
        if !student.is_file() {
            return error(format!("your probe is missing from {}", student.display()));
        }
        let reference = self.stage(Side::Reference, &reference).map(Staged::Exe);
        let student = match module_exercise(lab, exercise) {
            Some(part) => {
                let bin = self.side_dir(Side::Student).join("bin");
                module::stage(self.course, &lab.name, part, speed, student, &bin)
                    .map(Staged::Module)
            }
            None => self.stage(Side::Student, student).map(Staged::Exe),
        };
        let (reference, student) = match (reference, student) {
            (Ok(reference), Ok(student)) => (reference, student),
            (Err(why), _) | (_, Err(why)) => {
                return error(format!("could not stage the probes: {why:#}"));
            }
        };
        let mut run = |side: Side| {
            let staged = match side {
                Side::Reference => &reference,
                Side::Student => &student,
            };
            self.run_once(side, staged, speed)
        };
        measure(exercise, speed, rounds, &mut run, &mut load_average)
    }

    /// The side's folder: `bin/` holding only a copy of `exe` (its own, made afresh), read-only
    /// inside the sandbox. Returns the copy.
    fn stage(&self, side: Side, exe: &Path) -> Result<PathBuf> {
        let bin = self.side_dir(side).join("bin");
        if bin.exists() {
            fs::remove_dir_all(&bin)?;
        }
        fs::create_dir_all(&bin)?;
        let name = exe.file_name().context("a probe has a file name")?;
        let copy = bin.join(name);
        fs::copy(exe, &copy).with_context(|| format!("copying {}", exe.display()))?;
        fs::set_permissions(&copy, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
        Ok(copy)
    }

    fn side_dir(&self, side: Side) -> PathBuf {
        self.dir.join(match side {
            Side::Reference => "reference",
            Side::Student => "student",
        })
    }

    /// One run of a side's probe (staged) at the exercise's size: the seconds it printed.
    fn run_once(&self, side: Side, staged: &Staged, speed: &SpeedToml) -> Result<f64, String> {
        let dir = self.side_dir(side);
        let (tmp, out) = (dir.join("tmp"), dir.join("out"));
        for folder in [&tmp, &out] {
            if folder.exists() {
                fs::remove_dir_all(folder).map_err(|e| format!("emptying a folder: {e}"))?;
            }
        }
        let bin = dir.join("bin");
        let bin = bin.as_path();
        let dirs = Dirs {
            workspace: bin,
            target: &out,
            tmp: &tmp,
        };
        self.sandbox
            .prepare(&dirs)
            .map_err(|e| format!("preparing the sandbox: {e:#}"))?;
        let mut command = staged.command();
        command
            .args(["--size", &speed.size, "--inner", &INNER.to_string()])
            .current_dir(bin);
        let wrapped = self
            .sandbox
            .wrap(&command, &dirs, self.limits.with_cpu_time(), None);
        let started = Instant::now();
        let out = process::capture(wrapped, self.limits.time)
            .map_err(|e| format!("could not start it: {e:#}"))?;
        let wall = started.elapsed().as_secs_f64();
        judge_run(&out, wall, &speed.size, self.limits.time.as_secs())
    }
}

/// The seconds a probe's run printed, or why the run does not count: killed at the time
/// limit, exited with failure (its stderr's first line), no `"seconds"`, another size, or a
/// time that the run's own wall-clock time contradicts (the best of [`INNER`] timed calls
/// cannot be longer than a third of the whole process).
pub fn judge_run(
    out: &process::Captured,
    wall: f64,
    size: &str,
    limit_s: u64,
) -> Result<f64, String> {
    if out.timed_out {
        return Err(format!(
            "it ran past the time limit of {limit_s} s (killed)"
        ));
    }
    if !out.status.is_some_and(|status| status.success()) {
        let said = first_line(&out.stderr);
        let status = out
            .status
            .map_or("no status".to_string(), |status| status.to_string());
        return Err(match said.is_empty() {
            true => format!("it exited with {status}"),
            false => format!("it exited with {status}: {said}"),
        });
    }
    let line = out
        .stdout
        .lines()
        .rev()
        .find(|line| line.contains("\"seconds\""))
        .unwrap_or("");
    let seconds = json_number(line, "seconds")
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
        .ok_or_else(|| {
            format!(
                "it printed no time (\"seconds\"): {}",
                first_line(&out.stdout)
            )
        })?;
    if !line.contains(&format!("\"size\":\"{size}\"")) {
        return Err(format!("it did not time the size {size}: {line}"));
    }
    if seconds * INNER as f64 > wall {
        return Err(format!(
            "it claims {seconds:e} s per call, {INNER} calls, in a process that lasted \
             {wall:.3} s: not a measurement"
        ));
    }
    Ok(seconds)
}

mod module;
#[cfg(test)]
mod tests;
