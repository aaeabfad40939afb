//! A lab's Python exercise on the student's side (lab.toml `[python]`; lab 6: the pyo3 crate
//! `exercises/06-ffi/python`): `progress` and `hint` build the student's module into the
//! workspace's `.venv` with maturin, run the crate's pytest tests on it, and read the results
//! per test from pytest's JUnit report, as they read libtest's for a Rust exercise.
//!
//! Without the venv (or without maturin, pytest, NumPy or SciPy in it) the exercise is
//! skipped, saying how to set it up: never failed, never passed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cargo::{cargo_error, excerpt};
use crate::junit::parse_junit;
use crate::libtest::{Outcome, TestResult};
use crate::process;
use crate::testrun::TargetResults;
use crate::workspace::{Crate, Lab, PythonToml};

/// How long the module's build may take: the first one compiles pyo3, NumPy's bindings and
/// rayon in release mode, minutes on a laptop. A build is not a test (`--timeout`).
const BUILD_LIMIT: Duration = Duration::from_secs(30 * 60);

/// What running the Python exercise gave.
#[derive(Debug)]
pub enum PythonTests {
    /// The venv or a package is missing: why, and the commands that set it up.
    Skipped(String),
    /// maturin could not build the module: the first error.
    DoesNotCompile(String),
    /// pytest ran: one result per test, the exercise named as lab.toml's `[python] dir`.
    Ran(TargetResults),
}

/// The lab's Python exercise, where its files are.
pub struct PythonExercise<'a> {
    pub lab: &'a Lab,
    pub python: &'a PythonToml,
}

impl<'a> PythonExercise<'a> {
    /// The lab's Python exercise, if it has one.
    pub fn of(lab: &'a Lab) -> Option<PythonExercise<'a>> {
        let python = lab.meta.python.as_ref()?;
        Some(PythonExercise { lab, python })
    }

    /// The exercise's name, as `hint` and `progress` show it: the crate's directory.
    pub fn name(&self) -> &str {
        &self.python.dir
    }

    /// The extension's crate, as cargo knows it.
    pub fn krate(&self, root: &Path) -> Result<Crate> {
        crate::workspace::read_crate(&root.join(self.dir()))
    }

    /// The crate's directory, relative to the workspace root.
    pub fn dir(&self) -> String {
        format!("exercises/{}/{}", self.lab.name, self.python.dir)
    }

    /// The commands that make the venv with everything the exercise needs.
    pub fn setup_command(&self) -> String {
        format!(
            "python3 -m venv .venv && .venv/bin/python -m pip install -r {}/requirements.txt",
            self.dir()
        )
    }

    /// Build the module, then run its tests: all, or the one whose id
    /// (`<file stem>::<test name>`) is given.
    pub fn iterate_command(&self, test_id: Option<&str>) -> String {
        pytest_command(&self.dir(), test_id.and_then(|id| id.split_once("::")))
    }

    /// Builds the student's module into `<root>/.venv` and runs the tests on it.
    pub fn build_and_test(&self, root: &Path, timeout: Duration) -> Result<PythonTests> {
        let venv = root.join(".venv");
        if let Some(why) = missing_packages(&venv) {
            let requirements = format!("{}/requirements.txt", self.dir());
            return Ok(PythonTests::Skipped(format!(
                "{why}; {}",
                platform::venv_install_here(&requirements)
            )));
        }
        if let Some(error) = self.develop(root, &venv)? {
            return Ok(PythonTests::DoesNotCompile(error));
        }
        self.pytest(root, &venv, timeout)
    }

    /// `maturin develop --release` into the venv; the first error when it fails.
    fn develop(&self, root: &Path, venv: &Path) -> Result<Option<String>> {
        let manifest = root.join(self.dir()).join("Cargo.toml");
        let mut command = maturin(root, venv);
        command
            .args(["develop", "--release", "--manifest-path"])
            .arg(&manifest);
        let out = process::capture(command, BUILD_LIMIT)?;
        if out.status.is_some_and(|status| status.success()) {
            return Ok(None);
        }
        let text = format!("{}\n{}", out.stdout, out.stderr);
        let error = match out.timed_out {
            true => format!(
                "the build did not finish within {} s",
                BUILD_LIMIT.as_secs()
            ),
            false => cargo_error(&text),
        };
        Ok(Some(excerpt(&error, 30)))
    }

    /// The test files, in the students' order (lab.toml `[python] tests`), then the others.
    fn test_files(&self, root: &Path) -> Result<Vec<PathBuf>> {
        let mut files = crate::workspace::files_in(&root.join(self.dir()).join("tests"), "py")?;
        files.retain(|file| {
            file.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("test_"))
        });
        let rank = |file: &PathBuf| {
            let stem = file.file_stem().unwrap_or_default().to_string_lossy();
            self.python
                .tests
                .iter()
                .position(|listed| *listed == stem)
                .unwrap_or(usize::MAX)
        };
        files.sort_by_key(rank);
        Ok(files)
    }

    fn pytest(&self, root: &Path, venv: &Path, timeout: Duration) -> Result<PythonTests> {
        let report = report_path(root, self.name())?;
        let mut command = Command::new(venv.join("bin").join("python"));
        command
            .current_dir(root)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg(format!("--junitxml={}", report.display()))
            .args(self.test_files(root)?)
            // The tests import the student's module unless this names another.
            .env_remove(&self.python.module_env)
            .env("RUST_BACKTRACE", "0");
        let out = process::capture(command, timeout)?;
        let xml = fs::read_to_string(&report).unwrap_or_default();
        let results: Vec<TestResult> = parse_junit(&xml)
            .into_iter()
            .map(|case| TestResult {
                name: case.id.rsplit("::").next().unwrap_or(&case.id).to_string(),
                outcome: case.outcome,
                id: case.id,
            })
            .collect();
        if results.is_empty() {
            // No report: pytest itself failed (an import error at collection, a crash).
            let said = format!("{}{}", out.stdout, out.stderr);
            return Ok(PythonTests::Ran(TargetResults {
                target: self.name().to_string(),
                results: vec![TestResult {
                    id: format!("{}::pytest", self.name()),
                    name: "pytest".into(),
                    outcome: Outcome::Failed {
                        message: format!(
                            "pytest ran no test{}:\n{}",
                            if out.timed_out { " (timed out)" } else { "" },
                            excerpt(&said, 20)
                        ),
                        location: None,
                    },
                }],
            }));
        }
        Ok(PythonTests::Ran(TargetResults {
            target: self.name().to_string(),
            results,
        }))
    }
}

/// What builds the module of the crate at `dir` (relative to the workspace root) into
/// `.venv` and runs its tests: all, or one (`(file stem, test name)`). `progress`, `hint` and
/// the grader's feedback all say this.
pub fn pytest_command(dir: &str, test: Option<(&str, &str)>) -> String {
    let tests = match test {
        // pytest's node id, quoted for the shell: a parametrized name has brackets.
        Some((file, name)) => {
            let node = format!("{dir}/tests/{file}.py::{name}");
            format!("'{}'", node.replace('\'', r"'\''"))
        }
        None => format!("{dir}/tests"),
    };
    format!(
        ".venv/bin/maturin develop --release -m {dir}/Cargo.toml && \
         .venv/bin/python -m pytest {tests}"
    )
}

/// The venv's maturin, run from `root` for `venv`, building in `target/maturin`: maturin sets
/// PYO3_BUILD_EXTENSION_MODULE, which changes pyo3's build, and sharing `target/` with plain
/// cargo would rebuild pyo3 on every switch. (`progress` here, `check` in xtask.)
pub fn maturin(root: &Path, venv: &Path) -> Command {
    let mut command = Command::new(venv.join("bin").join("maturin"));
    command
        .current_dir(root)
        .env("VIRTUAL_ENV", venv)
        .env("CARGO_TARGET_DIR", root.join("target").join("maturin"))
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("PYO3_PYTHON");
    command
}

/// Why the venv cannot build and test a module (no venv, or no maturin, pytest, NumPy or
/// SciPy in it), if it cannot.
pub fn missing_packages(venv: &Path) -> Option<String> {
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        return Some("there is no .venv".into());
    }
    let imports = Command::new(&python)
        .args(["-c", "import numpy, scipy, pytest"])
        .output();
    let has_maturin = venv.join("bin").join("maturin").is_file();
    match imports {
        Ok(out) if out.status.success() && has_maturin => None,
        _ => Some(".venv lacks maturin, pytest, NumPy or SciPy".into()),
    }
}

/// Where pytest writes its report: under `target/`, which cargo already keeps out of git.
fn report_path(root: &Path, exercise: &str) -> Result<PathBuf> {
    let dir = root.join("target").join("course");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let report = dir.join(format!("pytest-{exercise}.xml"));
    // A stale report must never stand in for this run's.
    match fs::remove_file(&report) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("removing {}", report.display()))
        }
        _ => Ok(report),
    }
}

/// A lab 6 with a Python exercise whose test files go in `tests`' order, for tests.
#[cfg(test)]
pub(crate) fn test_lab(tests: &[&str]) -> Lab {
    let meta: crate::workspace::LabToml = toml::from_str(&format!(
        "title = \"FFI\"\nchapter = \"c.md\"\n[python]\ndir = \"python\"\n\
         module_env = \"M\"\ntests = {tests:?}\n"
    ))
    .unwrap();
    Lab {
        name: "06-ffi".into(),
        stub: Crate {
            dir: PathBuf::from("exercises/06-ffi"),
            package: "ffi".into(),
            lib: "ffi".into(),
            features: Vec::new(),
        },
        solution: None,
        meta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(tests: &[&str]) -> Lab {
        test_lab(tests)
    }

    /// A fresh, empty folder under the system's temporary one.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("course-python-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn without_a_venv_the_exercise_is_skipped_with_the_commands_that_set_it_up() {
        let lab = lab(&[]);
        let exercise = PythonExercise::of(&lab).unwrap();
        let root = scratch("no-venv");
        let tests = exercise
            .build_and_test(&root, Duration::from_secs(5))
            .unwrap();
        let PythonTests::Skipped(why) = tests else {
            panic!("not skipped: {tests:?}")
        };
        assert!(why.starts_with("there is no .venv"), "{why}");
        assert!(
            why.contains(
                "python3 -m venv .venv && .venv/bin/pip install -r \
                 exercises/06-ffi/python/requirements.txt"
            ),
            "{why}"
        );
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn one_test_is_rerun_by_its_quoted_node_id() {
        let lab = lab(&[]);
        let exercise = PythonExercise::of(&lab).unwrap();
        assert_eq!(
            exercise.iterate_command(Some("test_distances::test_ok[cityblock]")),
            ".venv/bin/maturin develop --release -m exercises/06-ffi/python/Cargo.toml && \
             .venv/bin/python -m pytest \
             'exercises/06-ffi/python/tests/test_distances.py::test_ok[cityblock]'"
        );
        assert!(
            exercise
                .iterate_command(None)
                .ends_with("pytest exercises/06-ffi/python/tests")
        );
        // A quote inside the node id stays inside the shell's quotes.
        assert!(
            pytest_command("p", Some(("test_x", "test_y[it's]")))
                .ends_with(r"pytest 'p/tests/test_x.py::test_y[it'\''s]'")
        );
    }

    #[test]
    fn test_files_run_in_the_listed_order_then_the_others_alphabetically() {
        let root = scratch("order");
        let tests = root.join("exercises/06-ffi/python/tests");
        fs::create_dir_all(&tests).unwrap();
        for file in [
            "conftest.py",
            "test_a.py",
            "test_b.py",
            "test_c.py",
            "helper.py",
        ] {
            fs::write(tests.join(file), "").unwrap();
        }
        let lab = lab(&["test_c", "test_a"]);
        let exercise = PythonExercise::of(&lab).unwrap();
        let names: Vec<String> = exercise
            .test_files(&root)
            .unwrap()
            .iter()
            .map(|file| file.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["test_c.py", "test_a.py", "test_b.py"]);
        fs::remove_dir_all(root).unwrap();
    }
}
