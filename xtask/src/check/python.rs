//! A lab's Python extension (lab 6: `exercises/06-ffi/python`, `solutions/06-ffi/python`):
//! both modules built into `<root>/.venv` with maturin; the shared pytest tests pass on the
//! solution's module and fail, test by test, on the stub's; the solution crate's Rust tests
//! pass; and the solution's wheel installs into a fresh venv and computes what NumPy does.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::libtest::Outcome;
use crate::process;
use crate::report::Tally;
use crate::testrun::{self, Tests};
use crate::workspace::{self, Crate, Lab, PythonToml};
use anyhow::{Context, Result};
use course::junit::{Case, parse_junit};

/// How long one maturin build may take. A build is not a test: `--timeout` (one test
/// executable's limit) is far too short for a release build of pyo3, ndarray and rayon from
/// nothing on a busy two-core machine.
const BUILD_LIMIT: Duration = Duration::from_secs(30 * 60);

/// Creates `<root>/.venv` if needed and installs the lab's pinned requirements into it
/// (maturin, pytest, NumPy, SciPy), as `cargo xtask bench` does for its peers: after a
/// fresh clone, `cargo xtask check` needs nothing but python3 with its venv module.
pub fn ensure_venv(root: &Path, lab: &Lab, python: &PythonToml) -> Result<()> {
    let requirements = root
        .join("exercises")
        .join(&lab.name)
        .join(&python.dir)
        .join("requirements.txt");
    crate::bench::venv::ensure(root, &requirements).map(|_| ())
}

/// The lab's extension crates, the venv's tools, and what to run when they are missing.
struct Setup {
    stub: Crate,
    solution: Option<Crate>,
    tests: PathBuf,
    requirements: String,
    venv: PathBuf,
}

impl Setup {
    fn python(&self) -> PathBuf {
        self.venv.join("bin").join("python")
    }

    fn fix(&self) -> String {
        format!(
            "run `cargo xtask check` (it makes .venv), or: `python3 -m venv .venv && .venv/bin/python -m pip install -r {}`",
            self.requirements
        )
    }
}

/// The whole step for one lab.
pub fn check(root: &Path, lab: &Lab, python: &PythonToml, timeout: Duration) -> Result<Tally> {
    let mut tally = Tally::default();
    let exercise = root.join("exercises").join(&lab.name).join(&python.dir);
    let setup = Setup {
        stub: workspace::read_crate(&exercise)?,
        solution: lab
            .solution
            .as_ref()
            .map(|s| workspace::read_crate(&s.dir.join(&python.dir)))
            .transpose()?,
        tests: exercise.join("tests"),
        requirements: format!("exercises/{}/{}/requirements.txt", lab.name, python.dir),
        venv: root.join(".venv"),
    };
    // The tools: maturin's binary, and the modules the tests import.
    if course::python::missing_packages(&setup.venv).is_some() {
        tally.fail(format!(
            "{} lacks maturin, pytest, scipy or numpy (or does not exist): {}",
            setup.venv.display(),
            setup.fix()
        ));
        return Ok(tally);
    }

    if let Some(solution) = &setup.solution {
        solution_passes(root, &setup, solution, python, timeout, &mut tally)?;
        speed_probe(root, lab, &setup, solution, timeout, &mut tally)?;
        rust_tests(root, solution, timeout, &mut tally)?;
        wheel(root, &setup, solution, timeout, &mut tally)?;
    }
    stub_fails(root, &setup, python, timeout, &mut tally)?;
    Ok(tally)
}

/// `maturin develop --release` of `krate` into the venv (in `target/maturin`, as `progress`
/// builds: [`course::python::maturin`]); the error when it fails.
fn develop(root: &Path, setup: &Setup, krate: &Crate) -> Result<Option<String>> {
    let mut command = course::python::maturin(root, &setup.venv);
    command
        .args(["develop", "--release", "-m"])
        .arg(krate.manifest());
    let out = process::capture(command, BUILD_LIMIT)?;
    if out.status.is_some_and(|s| s.success()) {
        return Ok(None);
    }
    Ok(Some(format!(
        "`maturin develop --release -m {}` failed{}:\n{}",
        rel(root, &krate.manifest()),
        if out.timed_out { " (timed out)" } else { "" },
        crate::cargo::excerpt(&format!("{}{}", out.stdout, out.stderr), 30)
    )))
}

/// pytest on the shared tests with `module_env` naming `module`; the per-test results, or why
/// there are none.
fn pytest(
    root: &Path,
    setup: &Setup,
    python: &PythonToml,
    module: &str,
    timeout: Duration,
) -> Result<std::result::Result<Vec<Case>, String>> {
    // A folder of its own, removed when dropped: pytest writes the report there.
    let folder = tempfile::Builder::new()
        .prefix(&format!("xtask-pytest-{module}-"))
        .tempdir()
        .context("creating a folder for pytest's report")?;
    let report = folder.path().join("report.xml");
    let mut command = Command::new(setup.python());
    command
        .current_dir(root)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(format!("--junitxml={}", report.display()))
        .arg(&setup.tests)
        .env(&python.module_env, module)
        .env("RUST_BACKTRACE", "0");
    let out = process::capture(command, timeout)?;
    let xml = fs::read_to_string(&report).unwrap_or_default();
    let cases = parse_junit(&xml);
    if cases.is_empty() {
        return Ok(Err(format!(
            "pytest ran no tests{}:\n{}",
            if out.timed_out { " (timed out)" } else { "" },
            crate::cargo::excerpt(&format!("{}{}", out.stdout, out.stderr), 30)
        )));
    }
    Ok(Ok(cases))
}

fn solution_passes(
    root: &Path,
    setup: &Setup,
    solution: &Crate,
    python: &PythonToml,
    timeout: Duration,
    tally: &mut Tally,
) -> Result<()> {
    if let Some(error) = develop(root, setup, solution)? {
        tally.fail(format!("the solution's extension does not build: {error}"));
        return Ok(());
    }
    let cases = match pytest(root, setup, python, &solution.lib, timeout)? {
        Ok(cases) => cases,
        Err(why) => {
            tally.fail(format!("on {}: {why}", solution.lib));
            return Ok(());
        }
    };
    for case in cases {
        match case.outcome {
            Outcome::Passed => tally.pass(),
            Outcome::Ignored(reason) => tally.note(format!("skipped {}: {reason}", case.id)),
            Outcome::Failed { message, .. } => tally.fail(format!(
                "solution module {} fails pytest `{}`: {message}\n  rerun: {}={} \
                 .venv/bin/python -m pytest {} -k '{}'",
                solution.lib,
                case.id,
                python.module_env,
                solution.lib,
                rel(root, &setup.tests),
                case.id.split("::").last().unwrap_or_default()
            )),
        }
    }
    Ok(())
}

fn stub_fails(
    root: &Path,
    setup: &Setup,
    python: &PythonToml,
    timeout: Duration,
    tally: &mut Tally,
) -> Result<()> {
    let stub = &setup.stub;
    if let Some(error) = develop(root, setup, stub)? {
        tally.fail(format!(
            "the stub's extension does not build: keep its API identical to the solution's, \
             bodies `todo!(...)`: {error}"
        ));
        return Ok(());
    }
    let cases = match pytest(root, setup, python, &stub.lib, timeout)? {
        Ok(cases) => cases,
        Err(why) => {
            tally.fail(format!("on {}: {why}", stub.lib));
            return Ok(());
        }
    };
    for case in cases {
        match case.outcome {
            Outcome::Failed { .. } => tally.pass(),
            Outcome::Ignored(reason) => tally.note(format!("skipped {}: {reason}", case.id)),
            Outcome::Passed => tally.fail(format!(
                "pytest `{}` passes on the stub module {}: a test that passes on the stub checks \
                 nothing; make the stub `todo!()` or make the test call what the student writes",
                case.id, stub.lib
            )),
        }
    }
    Ok(())
}

/// The module's speed probe (lab.toml `[speed.<dir>]`, a script of the crate's `benches/`)
/// on the solution's module, just installed: it prints its time at a small size, as `cargo
/// xtask speed` and `grade` will have it do on a student's.
fn speed_probe(
    root: &Path,
    lab: &Lab,
    setup: &Setup,
    solution: &Crate,
    timeout: Duration,
    tally: &mut Tally,
) -> Result<()> {
    let dir = lab.meta.python_exercise().unwrap_or_default();
    let Some(speed) = lab.meta.speed.get(&dir) else {
        return Ok(());
    };
    let script = setup
        .stub
        .dir
        .join("benches")
        .join(format!("{}.py", speed.bench));
    let mut command = Command::new(setup.python());
    command.current_dir(root).arg(&script).args([
        "--size",
        "64x64x9",
        "--inner",
        "1",
        "--module",
        &solution.lib,
    ]);
    let out = process::capture(command, timeout)?;
    tally.check(
        out.status.is_some_and(|s| s.success()) && out.stdout.contains("\"seconds\":"),
        || {
            format!(
                "the speed probe {} did not print its time on {}:\n{}{}",
                rel(root, &script),
                solution.lib,
                out.stdout,
                crate::cargo::excerpt(&out.stderr, 20)
            )
        },
    );
    Ok(())
}

/// The solution crate's own Rust tests (the kernel, without Python).
fn rust_tests(root: &Path, solution: &Crate, timeout: Duration, tally: &mut Tally) -> Result<()> {
    let package = &solution.package;
    match testrun::build_and_run(root, solution, false, timeout)? {
        Tests::DoesNotCompile(error) => tally.fail(format!(
            "the tests of {package} do not compile (`cargo test -p {package} --no-run`):\n{error}"
        )),
        Tests::Ran(targets) => {
            for target in &targets {
                for test in &target.results {
                    match &test.outcome {
                        Outcome::Passed => tally.pass(),
                        Outcome::Ignored(reason) => {
                            tally.note(format!("ignored {}: {reason}", test.id))
                        }
                        Outcome::Failed { message, .. } => tally.fail(format!(
                            "{package} fails `{}`: {message}\n  rerun: cargo test -p {package} \
                             --test {} -- --exact {}",
                            test.id, target.target, test.name
                        )),
                    }
                }
            }
        }
    }
    Ok(())
}

/// Checks a built wheel in a fresh venv: it imports from there, and one call agrees with NumPy.
const WHEEL_CHECK: &str = "\
import sys, numpy as np
module = __import__(sys.argv[1])
assert module.__file__.startswith(sys.prefix), f'imported {module.__file__}, not from {sys.prefix}'
rng = np.random.default_rng(0)
x, y = rng.random((40, 7)), np.asfortranarray(rng.random((30, 7)))
want = np.abs(x[:, None, :] - y[None, :, :]).sum(axis=-1)
got = module.cityblock(x, y)
assert np.allclose(got, want, rtol=1e-12, atol=1e-12), 'cityblock differs from NumPy'
print(module.__name__, 'from the wheel:', module.simd())
";

/// `maturin build --release` of the solution, then `pip install` of its wheel (and numpy) into
/// a fresh venv, and [`WHEEL_CHECK`] there.
fn wheel(
    root: &Path,
    setup: &Setup,
    solution: &Crate,
    timeout: Duration,
    tally: &mut Tally,
) -> Result<()> {
    let build_command = format!(
        ".venv/bin/maturin build --release -m {} -o target/wheels",
        rel(root, &solution.manifest())
    );
    let wheel = match build_wheel(root, setup, solution)? {
        Ok(wheel) => wheel,
        Err(why) => {
            tally.fail(format!("`{build_command}` {why}"));
            return Ok(());
        }
    };
    // Removed when dropped, whatever the check's outcome.
    let folder = tempfile::Builder::new()
        .prefix("xtask-wheel-venv-")
        .tempdir()
        .context("creating a folder for a fresh venv")?;
    let result = try_wheel(root, setup, solution, &wheel, folder.path(), timeout);
    drop(folder);
    match result.context("checking the wheel")? {
        Ok(said) => {
            tally.pass();
            tally.note(format!("wheel {}: {said}", rel(root, &wheel)));
        }
        Err(why) => tally.fail(format!(
            "{why}\n  reproduce: {build_command}, then pip install the wheel into a new venv"
        )),
    }
    Ok(())
}

/// Builds the solution's wheel into target/wheels; its path, or why there is none (what
/// follows the build command in the failure).
fn build_wheel(
    root: &Path,
    setup: &Setup,
    solution: &Crate,
) -> Result<std::result::Result<PathBuf, String>> {
    let mut command = course::python::maturin(root, &setup.venv);
    command
        .args(["build", "--release", "-m"])
        .arg(solution.manifest())
        .arg("-o")
        .arg(root.join("target").join("wheels"));
    let out = process::capture(command, BUILD_LIMIT)?;
    if !out.status.is_some_and(|s| s.success()) {
        return Ok(Err(format!(
            "failed:\n{}",
            crate::cargo::excerpt(&format!("{}{}", out.stdout, out.stderr), 30)
        )));
    }
    // maturin prints the wheel's path ("Built wheel for CPython 3.11 to <path>").
    let text = format!("{}\n{}", out.stdout, out.stderr);
    let wheel = text
        .split_whitespace()
        .filter(|word| word.ends_with(".whl"))
        .map(PathBuf::from)
        .next_back()
        .filter(|path| path.is_file());
    Ok(wheel.ok_or_else(|| format!("named no wheel file:\n{text}")))
}

/// Installs `wheel` (and the pinned numpy) into a new venv in `fresh` and runs
/// [`WHEEL_CHECK`] there: what it printed, or why it failed.
fn try_wheel(
    root: &Path,
    setup: &Setup,
    solution: &Crate,
    wheel: &Path,
    fresh: &Path,
    timeout: Duration,
) -> Result<std::result::Result<String, String>> {
    let mut venv = Command::new("python3");
    venv.args(["-m", "venv"]).arg(fresh);
    let out = process::capture(venv, timeout)?;
    if !out.status.is_some_and(|s| s.success()) {
        return Ok(Err(format!("`python3 -m venv` failed: {}", out.stderr)));
    }
    let python = fresh.join("bin").join("python");
    let numpy = pinned(
        &fs::read_to_string(root.join(&setup.requirements))?,
        "numpy",
    );
    let mut pip = Command::new(&python);
    pip.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ])
    .arg(wheel)
    .arg(numpy.map_or("numpy".to_string(), |v| format!("numpy=={v}")));
    let out = process::capture(pip, timeout)?;
    if !out.status.is_some_and(|s| s.success()) {
        return Ok(Err(format!(
            "`pip install {}` into a fresh venv failed:\n{}",
            wheel.display(),
            crate::cargo::excerpt(&out.stderr, 20)
        )));
    }
    let mut run = Command::new(&python);
    run.current_dir(std::env::temp_dir())
        .args(["-c", WHEEL_CHECK, &solution.lib]);
    let out = process::capture(run, timeout)?;
    if !out.status.is_some_and(|s| s.success()) {
        return Ok(Err(format!(
            "the installed wheel does not work:\n{}",
            crate::cargo::excerpt(&out.stderr, 20)
        )));
    }
    Ok(Ok(out.stdout.trim().to_string()))
}

/// The version `name==version` pins in a requirements file.
fn pinned(requirements: &str, name: &str) -> Option<String> {
    requirements.lines().find_map(|line| {
        let line = line.split('#').next()?.trim();
        let (n, v) = line.split_once("==")?;
        (n.trim() == name).then(|| v.trim().to_string())
    })
}

fn rel(root: &Path, path: &Path) -> String {
    crate::lint::rel(root, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_read_from_requirements() {
        let text = "# c\nmaturin==1.16.0\nnumpy == 2.4.6  # note\n";
        assert_eq!(pinned(text, "numpy").as_deref(), Some("2.4.6"));
        assert_eq!(pinned(text, "scipy"), None);
    }
}
