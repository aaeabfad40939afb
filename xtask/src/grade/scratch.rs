//! A worker's scratch workspace, `<work>/worker-K/ws`, and its target directory,
//! `<work>/worker-K/target`. Their paths stay the same from one submission (and one run) to the
//! next, so the dependencies compile once and only the lab crates rebuild for each student.
//!
//! Before each lab is built, the workspace is made to hold exactly the instructor's files,
//! that lab's `src/` (or its Python crate's) from the submission, and the instructor's stubs in
//! the other source directories:
//! edited or deleted tests, manifests or lockfiles change nothing, a file one student's code
//! wrote during its tests is gone for the next, and a `src/` that would stop cargo from even
//! loading the workspace costs only its own lab. Fresh copies get fresh mtimes, which is
//! what tells cargo to rebuild the lab.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::course::{Course, CourseLab, Files};
use super::listing;
use super::sandbox::{self, Dirs, Sandbox};
use super::seal;
use crate::cargo::{self, TestExe, excerpt};
use crate::process::{self, Limits};

/// A lab's `src/` may not hold more than this: it is source code.
const MAX_SRC_BYTES: u64 = 16 << 20;
const MAX_SRC_FILES: usize = 2000;

/// How the grader builds: part of the warm-up's cache key, since a sealed cache built another
/// way could not be rebuilt over. Each submission's lab crates are built from nothing
/// (`seal::reset`), and the grader shows panic messages and their locations, never a
/// debugger's view: no incremental state and no debug info to write and link (debug assertions
/// and overflow checks stay on, as in `cargo test`).
pub const BUILD_SETTINGS: [(&str, &str); 3] = [
    ("CARGO_INCREMENTAL", "0"),
    ("CARGO_PROFILE_DEV_DEBUG", "0"),
    ("CARGO_PROFILE_TEST_DEBUG", "0"),
];

pub struct Worker {
    pub dir: PathBuf,
    pub ws: PathBuf,
    pub target: PathBuf,
    /// `cargo --jobs`: the cores shared out between the workers (and how many of its tests
    /// run at once).
    pub cargo_jobs: usize,
    /// Where every build and test of student code runs.
    pub sandbox: Sandbox,
}

/// What building a lab's speed probe gave.
pub enum Probe {
    /// Its executable, in the worker's target directory.
    Built(PathBuf),
    /// The first compiler error (or cargo's).
    DoesNotCompile(String),
    TimedOut,
}

/// What building one lab's tests gave.
pub enum Build {
    Built(Vec<TestExe>),
    /// The first compiler error (or cargo's), with scratch paths made relative.
    DoesNotCompile(String),
    TimedOut,
}

impl Worker {
    pub fn new(work: &Path, index: usize, cargo_jobs: usize, sandbox: &Sandbox) -> Worker {
        Worker::at(work.join(format!("worker-{index}")), cargo_jobs, sandbox)
    }

    /// A worker whose directory is `dir`.
    pub fn at(dir: PathBuf, cargo_jobs: usize, sandbox: &Sandbox) -> Worker {
        Worker {
            ws: dir.join("ws"),
            target: dir.join("target"),
            dir,
            cargo_jobs,
            sandbox: sandbox.clone(),
        }
    }

    /// Makes the workspace hold the instructor's `files` (with `lock` as Cargo.lock), and in
    /// each source directory (`CourseLab::sources`) a copy of the submission's (`students`, by
    /// that directory) or else the stub.
    pub fn sync(
        &self,
        course: &Course,
        lock: &[u8],
        students: &BTreeMap<PathBuf, &Path>,
    ) -> Result<()> {
        let mut files: BTreeMap<&Path, &[u8]> = course
            .files
            .iter()
            .map(|(path, bytes)| (path.as_path(), bytes.as_slice()))
            .collect();
        files.insert(Path::new("Cargo.lock"), lock);
        let srcs: BTreeSet<PathBuf> = course
            .all_labs
            .iter()
            .flat_map(CourseLab::sources)
            .collect();
        fs::create_dir_all(&self.ws).with_context(|| format!("creating {}", self.ws.display()))?;
        prune(&self.ws, Path::new(""), &files, &srcs)?;
        // The course's .venv where the tests look for it (the sandbox binds what it points to).
        let venv = self.ws.join(".venv");
        if let Some(target) = &course.venv
            && fs::read_link(&venv).ok().as_ref() != Some(target)
        {
            let _ = fs::remove_file(&venv);
            std::os::unix::fs::symlink(target, &venv)
                .with_context(|| format!("linking {}", venv.display()))?;
        }
        for (path, bytes) in &files {
            let full = self.ws.join(path);
            if fs::read(&full).ok().as_deref() != Some(*bytes) {
                if full.is_dir() {
                    fs::remove_dir_all(&full)?;
                }
                if let Some(parent) = full.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(&full, bytes).with_context(|| format!("writing {}", full.display()))?;
            }
        }
        for lab in &course.all_labs {
            let stubs = [&course.stubs[&lab.name]]
                .into_iter()
                .chain(course.python_stubs.get(&lab.name));
            for (rel, stub) in lab.sources().into_iter().zip(stubs) {
                let src = self.ws.join(&rel);
                if src.exists() {
                    fs::remove_dir_all(&src)
                        .with_context(|| format!("emptying {}", src.display()))?;
                }
                match students.get(&rel) {
                    Some(from) => {
                        copy_src(from, &src)?;
                        restore_given(&src, stub)?;
                    }
                    None => write_files(&src, stub)?,
                }
            }
        }
        Ok(())
    }

    /// A cargo command in the scratch workspace, building into this worker's target.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut command = cargo::command(&self.ws);
        command
            .args(args)
            .env("CARGO_TARGET_DIR", &self.target)
            // Nothing to ask a person, and no colour codes in messages.
            .env("CARGO_TERM_COLOR", "never")
            .env("CARGO_TERM_PROGRESS_WHEN", "never")
            .envs(BUILD_SETTINGS);
        command
    }

    /// `cargo fetch`: downloads what the lockfile names (the only step that may need the
    /// network) and prunes the course's lockfile to the labs' dependencies, without which
    /// `--locked` would refuse it. Returns the pruned lockfile.
    pub fn fetch(&self, limit: Duration) -> Result<Vec<u8>> {
        let out = process::capture(self.cargo(&["fetch"]), limit)?;
        if !out.status.is_some_and(|status| status.success()) {
            bail!(
                "`cargo fetch` failed in the scratch workspace {}:\n{}",
                self.ws.display(),
                excerpt(&out.stderr, 20)
            );
        }
        fs::read(self.ws.join("Cargo.lock")).context("reading the scratch Cargo.lock")
    }

    /// Builds `lab`'s integration tests (only those: a student's unit tests are theirs) as
    /// `cargo test --no-run --frozen` would, killed at `limit`.
    pub fn build(&self, lab: &CourseLab, limit: Duration) -> Result<Build> {
        let jobs = self.cargo_jobs.to_string();
        let features = lab.features.join(",");
        let mut args = vec![
            "test",
            "--no-run",
            "--frozen",
            "--message-format=json",
            "--package",
            &lab.package,
            "--test",
            "*",
            "--jobs",
            &jobs,
        ];
        if !features.is_empty() {
            args.extend(["--features", &features]);
        }
        let manifest = self.lab_dir(lab).join("Cargo.toml");
        let build = match self.sandboxed_build(lab, &args, "debug", limit)? {
            Ok(build) => build,
            Err(None) => return Ok(Build::TimedOut),
            Err(Some(error)) => return Ok(Build::DoesNotCompile(error)),
        };
        let exes: Vec<TestExe> = build
            .tests_of(&manifest)
            .into_iter()
            .filter(TestExe::is_integration_test)
            .collect();
        Ok(Build::Built(exes))
    }

    /// Builds `lab`'s speed probe, the bench target `bench`, as `cargo bench --no-run` would
    /// (without the `bench` feature, as students build: `student_feature_args`), in the
    /// sandbox, killed at `limit`: its executable in this worker's target directory.
    pub fn build_probe(&self, lab: &CourseLab, bench: &str, limit: Duration) -> Result<Probe> {
        self.build_bench(lab, &self.lab_dir(lab), bench, limit)
    }

    /// [`Worker::build_probe`] for the bench target `bench` of the crate at `dir`: the lab's,
    /// or its Python crate's (the given kernel timed alone, `kernel_alone`).
    pub fn build_bench(
        &self,
        lab: &CourseLab,
        dir: &Path,
        bench: &str,
        limit: Duration,
    ) -> Result<Probe> {
        let jobs = self.cargo_jobs.to_string();
        let manifest = dir.join("Cargo.toml");
        let krate = crate::workspace::read_crate(dir)?;
        let mut features = crate::workspace::student_feature_args(&krate)?;
        if !lab.features.is_empty() && krate.package == lab.package {
            features.extend(["--features".to_string(), lab.features.join(",")]);
        }
        let mut args = vec![
            "bench",
            "--no-run",
            "--frozen",
            "--message-format=json",
            "--package",
            &krate.package,
            "--bench",
            bench,
            "--jobs",
            &jobs,
        ];
        args.extend(features.iter().map(String::as_str));
        let build = match self.sandboxed_build(lab, &args, "release", limit)? {
            Ok(build) => build,
            Err(None) => return Ok(Probe::TimedOut),
            Err(Some(error)) => return Ok(Probe::DoesNotCompile(error)),
        };
        let exe = build
            .tests_of(&manifest)
            .into_iter()
            .find(|exe| exe.target == bench && exe.kind.iter().any(|kind| kind == "bench"));
        match exe {
            Some(exe) => Ok(Probe::Built(exe.path)),
            None => Ok(Probe::DoesNotCompile(format!(
                "cargo built no bench target `{bench}` for {}",
                krate.package
            ))),
        }
    }

    /// Runs cargo with `args` (a build with `--message-format=json`) in the sandbox, killed
    /// at `limit`, after clearing what the last submission left: the sealed cache's additions
    /// and the lab's own builds under `profile` (`debug`, `release`). Its messages when it
    /// succeeded; else `None` when killed at the limit, or the first compiler error.
    fn sandboxed_build(
        &self,
        lab: &CourseLab,
        args: &[&str],
        profile: &str,
        limit: Duration,
    ) -> Result<Result<cargo::Build, Option<String>>> {
        if seal::is_sealed(&self.target) {
            // Nothing of the previous submission's build or tests is left to this one.
            seal::reset(&self.target)?;
        }
        forget_builds(&self.target.join(profile), &lab.package)?;
        // Results and errors come first, artifacts last: keep plenty of both ends.
        let limits = Limits {
            head: 4 << 20,
            tail: 4 << 20,
        };
        let tmp = self.fresh_tmp("build")?;
        let cargo = self.in_sandbox(&self.cargo(args), &tmp, sandbox::Limits::build(), None)?;
        let out = process::capture_with(cargo, limit, limits)?;
        if out.timed_out {
            return Ok(Err(None));
        }
        let mut build = cargo::parse_messages(&out.stdout);
        build.stderr = out.stderr;
        if !out.status.is_some_and(|status| status.success()) {
            let manifest = self.lab_dir(lab).join("Cargo.toml");
            let error = self.tidy(&build.first_error(&manifest));
            return Ok(Err(Some(excerpt(&error, 30))));
        }
        Ok(Ok(build))
    }

    /// The worker's temporary folder `tmp/<name>`, emptied: a sandboxed run's private `/tmp`.
    pub fn fresh_tmp(&self, name: &str) -> Result<PathBuf> {
        let tmp = self.dir.join("tmp").join(name);
        if tmp.exists() {
            fs::remove_dir_all(&tmp).with_context(|| format!("emptying {}", tmp.display()))?;
        }
        fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(tmp)
    }

    /// `command` wrapped in the sandbox over this worker's workspace and target directory,
    /// with `tmp` as its `/tmp` (see `fresh_tmp`), `limits`, and the witness writing to
    /// `record` when given.
    pub fn in_sandbox(
        &self,
        command: &Command,
        tmp: &Path,
        limits: sandbox::Limits,
        record: Option<&Path>,
    ) -> Result<Command> {
        let dirs = Dirs {
            workspace: &self.ws,
            target: &self.target,
            tmp,
        };
        self.sandbox.prepare(&dirs)?;
        Ok(self.sandbox.wrap(command, &dirs, limits, record))
    }

    pub fn lab_dir(&self, lab: &CourseLab) -> PathBuf {
        self.ws.join("exercises").join(&lab.name)
    }

    /// Messages as the student would see them in their own workspace: scratch paths made
    /// relative, thread ids gone (they change from run to run).
    pub fn tidy(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (path, short) in [(&self.ws, ""), (&self.target, "target/")] {
            let path = format!("{}/", path.display());
            text = text.replace(&path, short);
        }
        text = text.replace(&self.dir.display().to_string(), "<scratch>");
        if let Some(home) = std::env::var_os("HOME").filter(|home| home.len() > 1) {
            text = text.replace(&home.to_string_lossy().into_owned(), "~");
        }
        without_thread_ids(&text)
    }
}

/// Removes cargo's fingerprints of `package`'s crates in a profile's output directory
/// (`<profile>/.fingerprint/<package>-<hash>`), so that it rebuilds them whatever the mtimes
/// say: on a filesystem with coarse mtimes, a student's files copied in the second the last
/// build ended would look up to date.
pub fn forget_builds(profile: &Path, package: &str) -> Result<()> {
    let dir = profile.join(".fingerprint");
    let prefix = format!("{package}-");
    for entry in listing::entries(&dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_lab = name
            .strip_prefix(&prefix)
            .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
        if is_lab {
            fs::remove_dir_all(entry.path())
                .with_context(|| format!("removing {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// `thread 'x' (12345) panicked` → `thread 'x' panicked`.
pub fn without_thread_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("thread '") {
        let after_name = rest[at + 8..].find('\'').map(|end| at + 8 + end + 1);
        let Some(end) = after_name else { break };
        out.push_str(&rest[..end]);
        rest = &rest[end..];
        if let Some(id) = rest.strip_prefix(" (")
            && let Some(close) = id.find(')')
            && close > 0
            && id[..close].bytes().all(|b| b.is_ascii_digit())
        {
            rest = &id[close + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Removes from `dir` (the workspace at `rel`) whatever is not one of `files`, leaving the
/// labs' `src/` directories (rewritten whole by the caller).
fn prune(
    root: &Path,
    rel: &Path,
    files: &BTreeMap<&Path, &[u8]>,
    srcs: &BTreeSet<PathBuf>,
) -> Result<()> {
    for entry in fs::read_dir(root.join(rel))? {
        let entry = entry?;
        let path = rel.join(entry.file_name());
        let kind = entry.file_type()?;
        if srcs.contains(&path) || path == Path::new(".venv") {
            continue;
        }
        let wanted_dir = files.keys().any(|file| file.starts_with(&path))
            || srcs.iter().any(|src| src.starts_with(&path));
        if kind.is_dir() && wanted_dir {
            prune(root, &path, files, srcs)?;
        } else if kind.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else if !(kind.is_file() && files.contains_key(path.as_path())) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

pub fn write_files(dir: &Path, files: &Files) -> Result<()> {
    fs::create_dir_all(dir)?;
    for (path, bytes) in files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&full, bytes).with_context(|| format!("writing {}", full.display()))?;
    }
    Ok(())
}

/// The course's given files (`src/given/`, which students read but do not edit) replace
/// whatever the submission has there: edited, removed or added files alike.
fn restore_given(src: &Path, stub: &Files) -> Result<()> {
    let given = src.join(GIVEN);
    if given.exists() {
        fs::remove_dir_all(&given).with_context(|| format!("emptying {}", given.display()))?;
    }
    let files: Files = stub
        .iter()
        .filter(|(path, _)| path.starts_with(GIVEN))
        .map(|(path, bytes)| (path.clone(), bytes.clone()))
        .collect();
    write_files(src, &files)
}

/// The folder of a lab's `src/` that holds the course's given files.
const GIVEN: &str = "given";

/// Copies a submission's `src/`: regular files and folders only (a symbolic link is refused:
/// it could point at the solutions), within [`MAX_SRC_BYTES`] and [`MAX_SRC_FILES`].
fn copy_src(from: &Path, to: &Path) -> Result<()> {
    let (mut bytes, mut count) = (0_u64, 0_usize);
    let mut stack = vec![PathBuf::new()];
    fs::create_dir_all(to)?;
    while let Some(rel) = stack.pop() {
        for entry in fs::read_dir(from.join(&rel))? {
            let entry = entry?;
            let path = rel.join(entry.file_name());
            let kind = entry.file_type()?;
            count += 1;
            if count > MAX_SRC_FILES {
                bail!("refused: its src/ has more than {MAX_SRC_FILES} files");
            }
            if kind.is_symlink() {
                bail!(
                    "refused: src/{} is a symbolic link; only regular files and folders are \
                     taken from a submission",
                    path.display()
                );
            }
            if kind.is_dir() {
                fs::create_dir_all(to.join(&path))?;
                stack.push(path);
            } else if kind.is_file() {
                bytes += entry.metadata()?.len();
                if bytes > MAX_SRC_BYTES {
                    bail!(
                        "refused: its src/ holds more than {} MiB",
                        MAX_SRC_BYTES >> 20
                    );
                }
                fs::copy(entry.path(), to.join(&path))
                    .with_context(|| format!("copying {}", entry.path().display()))?;
            }
        }
    }
    Ok(())
}

/// `cp -a` of worker 0's scratch workspace for a new worker: the instructor's files with the
/// mtimes its warm-up built from, so that the copied target's fingerprints hold for them too
/// (`sync` rewrites only what differs). Where the copy fails, the new worker starts empty and
/// `sync` writes everything.
pub fn copy_workspace(from: &Path, to: &Path) -> Result<()> {
    copy_tree(from, to, "-a")
}

/// `cp -a`: a copy of a warm target directory, mtimes kept (cargo's freshness checks compare
/// them), for a new worker to start from instead of building the dependencies again. A sealed
/// one is hard-linked (`cp -al`): its files are read-only to student code, so every worker can
/// share them, and the compiled dependencies exist once on disk. Where the copy fails, the
/// worker builds its dependencies itself.
pub fn copy_target(from: &Path, to: &Path) -> Result<()> {
    let flags = match seal::is_sealed(from) {
        true => "-al",
        false => "-a",
    };
    copy_tree(from, to, flags)
}

/// `cp FLAGS from to` over whatever `to` held; nothing when `from` is not a directory. A copy
/// that fails is removed, not an error: the callers' workers then start from nothing.
fn copy_tree(from: &Path, to: &Path, flags: &str) -> Result<()> {
    if to.exists() {
        fs::remove_dir_all(to).with_context(|| format!("removing {}", to.display()))?;
    }
    if !from.is_dir() {
        return Ok(());
    }
    let status = Command::new("cp")
        .arg(flags)
        .arg(from)
        .arg(to)
        .status()
        .with_context(|| format!("running cp {flags}"))?;
    if !status.success() {
        let _ = fs::remove_dir_all(to);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_worker_s_workspace_keeps_the_mtimes_its_fingerprints_were_built_from() {
        let dir = std::env::temp_dir().join(format!("copy-workspace-{}", std::process::id()));
        let (from, to) = (dir.join("worker-0/ws"), dir.join("worker-1/ws"));
        fs::create_dir_all(from.join("support/src")).unwrap();
        let file = from.join("support/src/lib.rs");
        fs::write(&file, "pub fn f() {}\n").unwrap();
        // Built long ago: a fresh write would be newer than the sealed fingerprints.
        let built = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(built)
            .unwrap();
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        copy_workspace(&from, &to).unwrap();
        let copied = fs::metadata(to.join("support/src/lib.rs")).unwrap();
        assert_eq!(copied.modified().unwrap(), built);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn thread_ids_are_removed() {
        assert_eq!(
            without_thread_ids(
                "thread 'a::b' (12345) panicked at x\nthread 'c' (main) has\nthread 'd' (77)"
            ),
            "thread 'a::b' panicked at x\nthread 'c' (main) has\nthread 'd'"
        );
        assert_eq!(without_thread_ids("thread 'open"), "thread 'open");
    }

    #[test]
    fn given_files_are_the_courses_whatever_the_submission_did_to_them() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path();
        for (path, text) in [
            ("lib.rs", "student's lib"),
            ("given/error.rs", "edited by the student"),
            ("given/extra.rs", "added by the student"),
        ] {
            fs::create_dir_all(src.join(path).parent().unwrap()).unwrap();
            fs::write(src.join(path), text).unwrap();
        }
        let stub: Files = [
            ("lib.rs", "stub lib"),
            ("given/error.rs", "the course's"),
            ("given/mpi/main.rs", "the course's too"),
        ]
        .into_iter()
        .map(|(path, text)| (PathBuf::from(path), text.as_bytes().to_vec()))
        .collect();
        restore_given(src, &stub).unwrap();
        let read = |path: &str| fs::read_to_string(src.join(path)).ok();
        assert_eq!(read("lib.rs").as_deref(), Some("student's lib"));
        assert_eq!(read("given/error.rs").as_deref(), Some("the course's"));
        assert_eq!(
            read("given/mpi/main.rs").as_deref(),
            Some("the course's too")
        );
        assert_eq!(
            read("given/extra.rs"),
            None,
            "an added given file is removed"
        );
    }
}
