//! `cargo xtask grade [SUBMISSION ...]`: grades students' work with the instructor's tests,
//! treating every submission as hostile (book/src/instructors.md says it for instructors).
//!
//! For each submission (a directory, a git repository, a `.tar.gz` or `.zip`; none: this
//! workspace), only the students' source files (`exercises/*/src/**`, and the `src/**` of a
//! lab's Python crate, lab.toml `[python]`, graded by pytest: `python`) are taken (`input`),
//! into a scratch workspace made from the instructor's tree (`scratch`): tests, manifests,
//! build scripts, given files (`src/given/`) and the lockfile are always the instructor's. Every build and test runs in a
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

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

mod course;
mod grader;
mod honesty;
#[cfg(test)]
mod hostile_tests;
mod input;
mod listing;
pub mod merge;
mod model;
mod output;
mod progress;
mod python;
mod run;
pub(crate) mod sandbox;
mod scratch;
mod seal;
pub mod shard;
mod speed;
#[cfg(test)]
mod tests;
mod warm;
mod witness;

use course::Course;
use grader::Grader;
use input::Named;
pub use model::*;
pub use output::{print_table, write_outputs};
use progress::Progress;
use run::TestLimits;
pub use sandbox::Limits as ResourceLimits;
use sandbox::Sandbox;
use scratch::Worker;
pub use speed::DEFAULT_ROUNDS as DEFAULT_SPEED_ROUNDS;
use warm::{Prepared, prepare, voided};

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
    /// Runs of each side (reference, student) in a speed series (`speed.rs`).
    pub speed_rounds: usize,
}

/// Grades each of `submissions` against the course at `course` (the instructor's tree).
/// Every submission gets its row, whatever happened to it; an error here is the grader's or
/// the course's, never a student's.
pub fn grade(course: &Path, submissions: &[PathBuf], options: &Options) -> Result<Gradebook> {
    let (names, submissions) = this_shard(submissions, options);
    let sandbox = Sandbox::detect(course, options.unsandboxed)?;
    let course_root =
        fs::canonicalize(course).with_context(|| format!("reading {}", course.display()))?;
    let course = Course::load(course, &options.labs)?;
    let work = work_dir(&course_root, options)?;
    let inputs = work.join("inputs");
    // The speed probes waiting for phase 2: a run cut short leaves its own.
    for dir in [inputs.clone(), work.join("speed")] {
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
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
    let labs = lab_infos(&course, &prepared);
    refuse_unfair_tests(&labs, options)?;

    let batch = Batch::new(&names, &submissions, &inputs);
    thread::scope(|scope| {
        for index in 0..workers {
            let worker = Worker::new(&work, index, cargo_jobs, &sandbox);
            let (course, prepared, progress, batch) = (&course, &prepared, &progress, &batch);
            scope.spawn(move || {
                batch.work(&Grader {
                    course,
                    prepared,
                    worker: &worker,
                    worker_index: index,
                    options,
                    progress,
                })
            });
        }
    });
    let mut submissions = batch.into_grades();
    // Phase 2 of the speed grading: every worker has finished, the machine is otherwise idle.
    speed::time_pending(
        &course,
        &work,
        &sandbox,
        options.test_limits(),
        options.speed_rounds,
        &progress,
        &mut submissions,
    );
    progress.done();
    let _ = fs::remove_dir_all(&inputs);
    Ok(Gradebook {
        max: round(labs.iter().map(|lab| lab.max).sum()),
        labs,
        submissions,
    })
}

/// The names and paths of the submissions this run grades: all, or its shard's. The ids come
/// from the whole list, so that every shard gives a submission the same one.
fn this_shard(submissions: &[PathBuf], options: &Options) -> (Vec<Named>, Vec<PathBuf>) {
    let all = input::names(submissions);
    let chosen: Vec<usize> = match options.shard {
        Some(shard) => shard.select(&all.iter().map(|n| n.id.clone()).collect::<Vec<_>>()),
        None => (0..submissions.len()).collect(),
    };
    let names = chosen.iter().map(|&i| all[i].clone()).collect();
    let paths = chosen.iter().map(|&i| submissions[i].clone()).collect();
    (names, paths)
}

/// The work directory, created, as an absolute path; refused inside the course.
fn work_dir(course_root: &Path, options: &Options) -> Result<PathBuf> {
    fs::create_dir_all(&options.work)
        .with_context(|| format!("creating {}", options.work.display()))?;
    let work = fs::canonicalize(&options.work)?;
    if work.starts_with(course_root) {
        bail!(
            "the work directory {} is inside the course {}: student code built there could \
             reach the solutions (`#[path = \"../../..\"]`); give --work outside it (the \
             default is in the system's temporary directory)",
            work.display(),
            course_root.display()
        );
    }
    Ok(work)
}

/// Each lab's row of the gradebook: its points, and the tests voided on this machine.
fn lab_infos(course: &Course, prepared: &Prepared) -> Vec<LabInfo> {
    course
        .labs
        .iter()
        .map(|lab| LabInfo {
            name: lab.name.clone(),
            package: lab.package.clone(),
            title: lab.title.clone(),
            max: prepared.max(lab),
            voided: voided(lab, prepared),
        })
        .collect()
}

/// Refuses to grade when this machine cannot run some tests fairly, unless the options say
/// to count those for no one.
fn refuse_unfair_tests(labs: &[LabInfo], options: &Options) -> Result<()> {
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
    Ok(())
}

/// The submissions the workers share: each takes the next one not taken yet, and leaves its
/// grade in that submission's place.
struct Batch<'a> {
    names: &'a [Named],
    submissions: &'a [PathBuf],
    /// Where each submission's files are unpacked, one folder per id.
    inputs: &'a Path,
    next: AtomicUsize,
    results: Mutex<Vec<Option<SubmissionGrade>>>,
}

impl<'a> Batch<'a> {
    fn new(names: &'a [Named], submissions: &'a [PathBuf], inputs: &'a Path) -> Batch<'a> {
        Batch {
            names,
            submissions,
            inputs,
            next: AtomicUsize::new(0),
            results: Mutex::new(vec![None; submissions.len()]),
        }
    }

    /// Grades submissions with `grader` until none is left.
    fn work(&self, grader: &Grader) {
        loop {
            let i = self.next.fetch_add(1, Ordering::SeqCst);
            let Some(path) = self.submissions.get(i) else {
                grader.progress.working(grader.worker_index, "done");
                break;
            };
            let named = &self.names[i];
            let scratch = self.inputs.join(&named.id);
            // A bug of ours costs this submission's row, not the whole run.
            let grade = panic::catch_unwind(AssertUnwindSafe(|| {
                grader.submission(named, path, &scratch)
            }))
            .unwrap_or_else(|panic| grader.failed(named, path, &*panic));
            grader.progress.submission_done(&grade);
            self.results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(grade);
        }
    }

    /// Every submission's grade, in the order given.
    fn into_grades(self) -> Vec<SubmissionGrade> {
        self.results
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|grade| grade.expect("every submission was graded"))
            .collect()
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
    /// Runs of each side in a speed series (`--speed-rounds`).
    pub speed_rounds: usize,
}

/// The default work directory: outside the course tree (so nothing built there can reach the
/// solutions by a relative path), the same for every run on the same course (so the
/// dependencies stay compiled), one per course and user.
fn default_work(course: &Path) -> PathBuf {
    let course = fs::canonicalize(course).unwrap_or_else(|_| course.to_path_buf());
    let hash = input::fnv1a(course.as_os_str().as_encoded_bytes().iter().copied());
    let user = sandbox::user_id();
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
        speed_rounds: args.speed_rounds,
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
