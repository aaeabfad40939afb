//! The `check` step "a missing tool is skipped, never failed": the labs run as on a student's
//! laptop without each tool the course can do without (gfortran, OpenMP, NVRTC, Open MPI,
//! NumPy). CI has every tool, so each absence is simulated with the switch the lab reads
//! (`FFI_NO_FORTRAN`, `FFI_NO_OPENMP`: lab 6's build script; `GPU_NO_NVRTC`: lab 5's
//! nvrtc.rs; `NUMPY_PYTHON`: support::numpy) or with a PATH without the tool (Open MPI's
//! mpicc, lab 4 built without its `mpi` feature).
//!
//! Then, exercise by exercise: on the solution no test fails and the tests that need the tool
//! report themselves skipped, each with the command that installs it on this system (the
//! course's table, support/platform); on the stub the same tests are skipped too, never
//! failed, so each checks for its tool before it calls the student's code; and the status
//! `cargo xtask progress` prints for the exercise says so.
//!
//! Lab 6's build script reads its switches, so its crates are rebuilt for the simulation and
//! again by the next ordinary build.

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use platform::Tool;

use crate::cargo;
use crate::libtest::{self, Outcome, SKIP_PREFIX};
use crate::report::Tally;
use crate::testrun::TargetResults;
use crate::workspace::{Crate, Lab};
use course::progress::exercise_status;

/// A machine without one tool (or two that one build leaves out together).
struct Machine {
    /// What it lacks, as the failures name it.
    lacks: &'static str,
    /// The lab that needs it.
    lab: &'static str,
    /// Its exercises (test targets) that need it, each with the advice its skip lines must
    /// carry (one of them).
    targets: Vec<(&'static str, Vec<String>)>,
    /// Set for the build: a build script reads it.
    build_env: Vec<(OsString, OsString)>,
    /// Set for each test run.
    run_env: Vec<(OsString, OsString)>,
    /// Whether the lab's features (lab.toml `[features]`) are on, as where their tools are.
    features: bool,
}

/// The machines simulated here, with the install commands of this system.
fn machines() -> Vec<Machine> {
    let env = |pairs: &[(&str, OsString)]| -> Vec<(OsString, OsString)> {
        pairs
            .iter()
            .map(|(key, value)| (OsString::from(key), value.clone()))
            .collect()
    };
    let on = || OsString::from("1");
    let venv = |lab: &str| {
        vec![platform::venv_install_here(&format!(
            "exercises/{lab}/requirements.txt"
        ))]
    };
    // A Python that cannot import numpy: `false` fails whatever it is asked.
    let no_numpy = platform::find_on_path("false").map_or_else(|| "false".into(), OsString::from);
    vec![
        Machine {
            lacks: "gfortran and OpenMP",
            lab: "06-ffi",
            targets: vec![
                ("c_kernel", vec![Tool::OpenMp.install_here()]),
                ("fortran", vec![Tool::Gfortran.install_here()]),
                ("precision", vec![Tool::Gfortran.install_here()]),
            ],
            build_env: env(&[("FFI_NO_FORTRAN", on()), ("FFI_NO_OPENMP", on())]),
            run_env: Vec::new(),
            features: true,
        },
        Machine {
            lacks: "NVRTC",
            lab: "05-gpu",
            targets: ["naive", "tiled", "trick", "coalescing"]
                .map(|target| (target, venv("05-gpu")))
                .to_vec(),
            build_env: Vec::new(),
            run_env: env(&[("GPU_NO_NVRTC", on())]),
            features: true,
        },
        Machine {
            lacks: "Open MPI and NumPy",
            lab: "04-taskgraph",
            targets: vec![
                ("distributed", vec![Tool::OpenMpi.install_here()]),
                ("outofcore", venv("04-taskgraph")),
            ],
            build_env: Vec::new(),
            run_env: env(&[
                ("PATH", path_without("mpicc")),
                ("NUMPY_PYTHON", no_numpy.clone()),
            ]),
            features: false,
        },
        Machine {
            lacks: "NumPy",
            lab: "03-parallel",
            targets: vec![("mt19937", venv("03-parallel"))],
            build_env: Vec::new(),
            run_env: env(&[("NUMPY_PYTHON", no_numpy)]),
            features: true,
        },
    ]
}

/// PATH without the folders that hold `program`: the tests that look for it find nothing.
fn path_without(program: &str) -> OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<_> = std::env::split_paths(&path)
        .filter(|dir| !dir.join(program).exists())
        .collect();
    std::env::join_paths(kept).unwrap_or_default()
}

/// Runs the step for `labs` (those `check` was asked about).
pub fn check(root: &Path, labs: &[Lab], timeout: Duration) -> Result<Tally> {
    let mut tally = Tally::default();
    for machine in machines() {
        let Some(lab) = labs.iter().find(|lab| lab.name == machine.lab) else {
            continue;
        };
        let Some(solution) = &lab.solution else {
            continue;
        };
        let solution_runs = run(root, solution, &machine, timeout)?;
        let stub_runs = run(root, &lab.stub, &machine, timeout)?;
        match (solution_runs, stub_runs) {
            (Ok(solution), Ok(stub)) => judge(&machine, &solution, &stub, &mut tally),
            (Err(error), _) | (_, Err(error)) => tally.fail(format!(
                "without {}: lab {} does not build: {error}",
                machine.lacks, machine.lab
            )),
        }
    }
    Ok(tally)
}

/// Builds `krate`'s test targets of `machine` as that machine would, and runs them there; or
/// the first build error.
fn run(
    root: &Path,
    krate: &Crate,
    machine: &Machine,
    timeout: Duration,
) -> Result<Result<Vec<TargetResults>, String>> {
    let mut args = vec!["test".to_string(), "--no-run".to_string()];
    match machine.features {
        true => args.extend(krate.cargo_args()),
        false => args.extend(["--package".to_string(), krate.package.clone()]),
    }
    for (target, _) in &machine.targets {
        args.extend(["--test".to_string(), target.to_string()]);
    }
    args.push("--message-format=json".into());
    let out = cargo::output(
        cargo::command(root)
            .args(&args)
            .envs(machine.build_env.iter().cloned()),
    )?;
    let build = cargo::parse_messages(&out.stdout);
    if !out.status.success() {
        let mut build = build;
        build.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        return Ok(Err(format!(
            "`cargo {}`:\n{}",
            args.join(" "),
            build.first_error(&krate.manifest())
        )));
    }
    let mut runs = Vec::new();
    for mut exe in build.tests_of(&krate.manifest()) {
        exe.run_env = machine.run_env.clone();
        runs.push(TargetResults {
            results: libtest::run_tests(&exe, &krate.dir, timeout)?,
            target: exe.target,
        });
    }
    Ok(Ok(runs))
}

/// The results of `target` among `runs`.
fn find<'r>(runs: &'r [TargetResults], target: &str) -> Option<&'r TargetResults> {
    runs.iter().find(|run| run.target == target)
}

/// The skip reason of a test that skipped itself at run time (not an `#[ignore]`).
fn skip_reason(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Ignored(reason) => reason.strip_prefix(SKIP_PREFIX),
        _ => None,
    }
}

/// The verdict on one machine, from the solution's and the stub's results there.
fn judge(machine: &Machine, solution: &[TargetResults], stub: &[TargetResults], tally: &mut Tally) {
    let lacks = machine.lacks;
    for (target, advice) in &machine.targets {
        let advised = |reason: &str| {
            advice
                .iter()
                .any(|command| reason.contains(command.as_str()))
        };
        let (Some(on_solution), Some(on_stub)) = (find(solution, target), find(stub, target))
        else {
            tally.fail(format!(
                "without {lacks}: lab {}'s `{target}` tests did not run on both crates",
                machine.lab
            ));
            continue;
        };
        let mut skipped = Vec::new();
        for test in &on_solution.results {
            match (&test.outcome, skip_reason(&test.outcome)) {
                (Outcome::Failed { message, .. }, _) => tally.fail(format!(
                    "without {lacks}, the solution fails `{}`: {message}\n  a test that needs a \
                     missing tool must report itself skipped",
                    test.id
                )),
                (_, Some(reason)) => {
                    tally.check(advised(reason), || {
                        format!(
                            "without {lacks}, `{}` skips without the install command for this \
                             system ({}): {reason}",
                            test.id,
                            advice.join(" or ")
                        )
                    });
                    skipped.push(test.id.as_str());
                }
                _ => {}
            }
        }
        tally.check(!skipped.is_empty(), || {
            format!(
                "without {lacks}, no test of lab {}'s `{target}` skipped itself: the simulation \
                 did not take, or the tests no longer check for the tool",
                machine.lab
            )
        });
        // The ids are the same on both crates (the solution's shim module is left out).
        for id in skipped {
            let Some(test) = on_stub.results.iter().find(|test| test.id == id) else {
                tally.fail(format!("without {lacks}, the stub has no test `{id}`"));
                continue;
            };
            match skip_reason(&test.outcome) {
                Some(reason) if advised(reason) => tally.pass(),
                Some(reason) => tally.fail(format!(
                    "without {lacks}, the stub's `{id}` skips without the install command: \
                     {reason}"
                )),
                None => tally.fail(format!(
                    "without {lacks}, the stub's `{id}` {} where the solution's is skipped: the \
                     test must check for the tool before it calls the exercise's code",
                    match test.outcome {
                        Outcome::Failed { .. } => "fails",
                        _ => "is not skipped",
                    }
                )),
            }
        }
        let (_, _, status) = exercise_status(on_stub);
        tally.check(status.contains("skipped") && advised(&status), || {
            format!(
                "without {lacks}, `cargo xtask progress` says of lab {}'s `{target}` only \
                 \"{status}\": it should say which tests are skipped and how to install the tool",
                machine.lab
            )
        });
    }
}

#[cfg(test)]
mod tests;
