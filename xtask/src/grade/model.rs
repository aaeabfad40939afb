//! The gradebook: what `grade` found for every submission, lab and test, and how it scores.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::workspace::Grading;

/// Everything a grading run found; `gradebook.json` is this, serialised.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gradebook {
    /// The labs graded, in order, with what each is worth.
    pub labs: Vec<LabInfo>,
    /// The most points a submission can get.
    pub max: f64,
    /// One per submission given, in the order given, whatever happened to it.
    pub submissions: Vec<SubmissionGrade>,
}

impl Gradebook {
    /// How many submissions have `status`.
    pub fn count(&self, status: SubmissionStatus) -> usize {
        self.submissions
            .iter()
            .filter(|s| s.status == status)
            .count()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabInfo {
    /// The lab's directory, e.g. `01-strides`.
    pub name: String,
    pub package: String,
    pub title: String,
    pub max: f64,
    /// Tests that count for no one in this run (test id → why): the instructor's machine
    /// lacks what they need (`grade --void-missing-tools`). Never a student's loss.
    #[serde(default)]
    pub voided: BTreeMap<String, String>,
}

/// How a submission's code was run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sandboxing {
    /// Every build and test ran in the bubblewrap sandbox (`grade/sandbox.rs`).
    Sandboxed,
    /// `grade --unsandboxed`: student code ran as the instructor, unconfined.
    Unsandboxed,
}

/// A source pattern with no place in an exercise, for the instructor's honesty report: not a
/// verdict (it costs no points), a place to look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The file, as the student knows it: `exercises/01-strides/src/layout.rs`.
    pub file: String,
    /// 1-based; 0 when the finding is about the whole file.
    pub line: usize,
    /// A short, stable name of the pattern: `process::exit`, `#[path]`, `std::net`, ...
    pub pattern: String,
    /// Why it has no place in an exercise.
    pub why: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// Read and graded (each lab has its own status).
    Graded,
    /// Not a readable directory, repository or archive, or no `exercises/` in it.
    Unreadable,
    /// The grader itself failed on it (a bug in xtask: the reason says where).
    Error,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubmissionGrade {
    /// ASCII, filesystem-safe, unique in the gradebook and the same in every run and shard:
    /// the feedback file's name and the key `grade merge` joins on.
    pub id: String,
    /// The submission's name as given (its last path component, lossily decoded when it is
    /// not UTF-8): what people read.
    pub name: String,
    /// The path as given.
    pub source: String,
    pub status: SubmissionStatus,
    /// Why it is unreadable.
    pub reason: Option<String>,
    /// The commit graded, for a git repository.
    pub commit: Option<String>,
    pub points: f64,
    pub max: f64,
    pub labs: Vec<LabGrade>,
    pub seconds: f64,
    /// Whether its code ran in the sandbox.
    pub sandbox: Sandboxing,
    /// For the instructor only (never in the student's feedback).
    #[serde(default)]
    pub honesty: Vec<Finding>,
}

impl SubmissionGrade {
    /// `ok`, or what went wrong, short: the gradebook's `status` column.
    pub fn summary(&self) -> String {
        let reason = first_line(self.reason.as_deref().unwrap_or(""));
        match self.status {
            SubmissionStatus::Unreadable => return format!("unreadable: {reason}"),
            SubmissionStatus::Error => return format!("grader error: {reason}"),
            SubmissionStatus::Graded => {}
        }
        let mut problems: Vec<String> = self
            .labs
            .iter()
            .filter(|lab| lab.status != LabStatus::Ok)
            .map(|lab| format!("{}: {}", lab.lab, lab.status.words()))
            .collect();
        // Unscored is not zero: the instructor reruns these (the maximum leaves them out).
        problems.extend(self.labs.iter().flat_map(|lab| {
            lab.unscored_speed().map(move |speed| {
                format!(
                    "{} speed of {}: {}",
                    lab.lab,
                    speed.exercise,
                    speed.status.words()
                )
            })
        }));
        match problems.is_empty() {
            true => "ok".into(),
            false => problems.join("; "),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabStatus {
    /// Built, and every test ran (passing or not).
    Ok,
    /// The lab or its tests do not compile: no test ran.
    DoesNotCompile,
    /// A test, the build, or the lab as a whole ran out of time and was killed.
    TimedOut,
    /// A test process died (stack overflow, abort, signal), or exceeded the memory limit.
    Crashed,
    /// The submission has no `src/` for this lab.
    Missing,
    /// What the submission holds for this lab was refused (a symbolic link, too large): the
    /// reason names it.
    Refused,
    /// The grader could not grade it (the reason says why).
    Error,
}

impl LabStatus {
    pub fn words(self) -> &'static str {
        match self {
            LabStatus::Ok => "ok",
            LabStatus::DoesNotCompile => "does not compile",
            LabStatus::TimedOut => "timed out",
            LabStatus::Crashed => "crashed",
            LabStatus::Missing => "missing",
            LabStatus::Refused => "refused",
            LabStatus::Error => "grader error",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabGrade {
    pub lab: String,
    pub package: String,
    pub status: LabStatus,
    /// Why the status is not `ok`: the first compiler error, the test that timed out, ...
    pub reason: Option<String>,
    pub points: f64,
    pub max: f64,
    pub seconds: f64,
    pub tests: Vec<TestGrade>,
    /// The exercises whose speed counts (lab.toml `[speed]`), each timed against the
    /// reference solution's kernel (`grade/speed.rs`); their points are in the lab's.
    #[serde(default)]
    pub speed: Vec<SpeedGrade>,
}

impl LabGrade {
    /// The speed results that score nothing either way (`noisy`, `error`): the lab's
    /// points and maximum leave them out, and the gradebook's status says so.
    pub fn unscored_speed(&self) -> impl Iterator<Item = &SpeedGrade> {
        self.speed.iter().filter(|speed| !speed.status.is_scored())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpeedStatus {
    /// Timed against the reference: `points` from the ratio.
    Timed,
    /// Not timed: the exercise's tests do not all pass, or the lab did not build (0 points,
    /// of its `max`).
    NotTimed,
    /// The student's probe failed (did not build, exited with failure, timed out, printed
    /// no time): 0 points, of its `max`.
    Failed,
    /// Still too noisy after the re-measurement: unscored (0 of 0), to rerun on an idle
    /// machine.
    Noisy,
    /// The reference's probe failed, or the grader did: unscored (0 of 0), not the student's
    /// loss.
    Error,
    /// Built, waiting for the timing phase; never in a finished gradebook.
    Pending,
}

impl SpeedStatus {
    pub fn words(self) -> &'static str {
        match self {
            SpeedStatus::Timed => "timed",
            SpeedStatus::NotTimed => "not timed",
            SpeedStatus::Failed => "failed",
            SpeedStatus::Noisy => "noisy, unscored",
            SpeedStatus::Error => "grader error, unscored",
            SpeedStatus::Pending => "pending",
        }
    }

    /// Whether it counts: its points of its `max` (0 of the exercise's points included).
    pub fn is_scored(self) -> bool {
        !matches!(self, SpeedStatus::Noisy | SpeedStatus::Error)
    }
}

/// One exercise's speed against the reference solution's kernel (for the Python exercise,
/// the given kernel alone), on the grading machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedGrade {
    /// The exercise (its test file's stem), as in lab.toml `[speed.EXERCISE]`.
    pub exercise: String,
    /// What the student's side was timed against, in words (`reference_seconds` is its time).
    #[serde(default = "reference_kernel")]
    pub against: String,
    /// The size it was timed at, `NxMxD`.
    pub size: String,
    /// The best time of each side's runs, in seconds (None: not measured).
    pub reference_seconds: Option<f64>,
    pub student_seconds: Option<f64>,
    /// The reference's best time ÷ the student's: 1 is as fast as the reference.
    pub ratio: Option<f64>,
    /// The larger of the two sides' median ÷ best − 1: how far the runs disagreed.
    pub spread: Option<f64>,
    /// The machine's 1-minute load average (`/proc/loadavg`) before the series scored.
    pub load: Option<f64>,
    /// Runs of each side in the series scored (the re-measurement's, when there was one).
    pub rounds: usize,
    pub points: f64,
    /// The exercise's speed points; 0 when unscored (`noisy`, `error`).
    pub max: f64,
    pub status: SpeedStatus,
    /// Why it was not timed, how it failed, or why it is unscored.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestOutcome {
    Passed,
    Failed,
    /// `#[ignore = "reason"]`: counts neither for nor against.
    Ignored,
    TimedOut,
    Crashed,
    /// Killed at the memory limit (the message names it).
    OutOfMemory,
    /// The lab did not compile, or its time ran out first.
    NotRun,
    /// Counts for no one: the instructor's machine lacks what it needs (see `LabInfo::voided`).
    Voided,
}

impl TestOutcome {
    pub fn words(self) -> &'static str {
        match self {
            TestOutcome::Passed => "passed",
            TestOutcome::Failed => "failed",
            TestOutcome::Ignored => "ignored",
            TestOutcome::TimedOut => "timed out",
            TestOutcome::Crashed => "crashed",
            TestOutcome::OutOfMemory => "exceeded the memory limit",
            TestOutcome::NotRun => "not run",
            TestOutcome::Voided => "voided",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestGrade {
    /// `<test file stem>::<test name>`, as in lab.toml's weights.
    pub id: String,
    /// The test file's stem: `cargo test -p LAB --test TARGET`.
    pub target: String,
    /// The libtest name: `-- --exact NAME`.
    pub name: String,
    pub outcome: TestOutcome,
    /// The first panic message, the reason for ignoring, or why it did not run.
    pub message: Option<String>,
    /// Where it panicked, relative to the workspace root.
    pub location: Option<String>,
    pub points: f64,
    pub max: f64,
    /// The command that runs it again, for a test that is not a cargo test (a lab's pytest
    /// tests); None: `cargo test -p PACKAGE --test TARGET -- --exact NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rerun: Option<String>,
}

/// A test of the course, as the instructor's stub build lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestInfo {
    pub id: String,
    pub target: String,
    pub name: String,
    /// The reason, for an `#[ignore]`d test.
    pub ignored: Option<String>,
    /// As in [`TestGrade::rerun`].
    #[serde(default)]
    pub rerun: Option<String>,
}

/// What each test is worth: `grading.points` (default: the sum of the weights) split over
/// the tests that are neither ignored nor voided, by weight (default 1).
pub fn worth(
    grading: &Grading,
    tests: &[TestInfo],
    voided: &BTreeMap<String, String>,
) -> BTreeMap<String, f64> {
    let weight = |test: &TestInfo| match test.ignored.is_some() || voided.contains_key(&test.id) {
        true => 0.0,
        false => grading.weights.get(&test.id).copied().unwrap_or(1.0),
    };
    let total: f64 = tests.iter().map(weight).sum();
    let lab = grading.points.unwrap_or(total);
    tests
        .iter()
        .map(|test| {
            let share = match total > 0.0 {
                true => lab * weight(test) / total,
                false => 0.0,
            };
            (test.id.clone(), round(share))
        })
        .collect()
}

/// Points to a millionth, so that 1.5 + 1.5 + 3 is exactly 6 in the gradebook.
pub fn round(points: f64) -> f64 {
    (points * 1e6).round() / 1e6
}

/// `3`, `1.5`, `3.33`: points for people.
pub fn show(points: f64) -> String {
    let text = format!("{points:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

/// What a Rust exercise's speed is timed against (and what gradebooks written before
/// `against` existed timed against).
pub fn reference_kernel() -> String {
    "the reference solution's kernel".into()
}
