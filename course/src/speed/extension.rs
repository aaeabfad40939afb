//! The lab's Python exercise (lab 6's extension module), timed: correct first (its pytest
//! tests, on the module built from the student's crate into `.venv`), then its given Python
//! probe (`<dir>/benches/<bench>.py`) runs on that module, and the given kernel alone, timed
//! from Rust (`kernel_alone`), shows what the binding adds.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::python::{PythonExercise, PythonTests};
use crate::workspace::SpeedToml;

/// `None` when the module builds and every pytest test passes; otherwise why it is not timed.
pub fn failing_tests(
    root: &Path,
    python: &PythonExercise,
    timeout: Duration,
) -> Result<Option<String>> {
    let rerun = python.iterate_command(None);
    Ok(match python.build_and_test(root, timeout)? {
        PythonTests::Skipped(why) => Some(format!("skipped: {why}")),
        PythonTests::DoesNotCompile(_) => Some(format!("the module does not compile ({rerun})")),
        PythonTests::Ran(target) => super::failing(&target, &rerun),
    })
}

/// One run of the exercise's Python probe on the module in `.venv` (which `failing_tests`
/// just built): its best time, in seconds.
pub fn probe(root: &Path, python: &PythonExercise, speed: &SpeedToml) -> Result<f64> {
    let script = Path::new(&python.dir())
        .join("benches")
        .join(format!("{}.py", speed.bench));
    let interpreter = root.join(".venv").join("bin").join("python");
    let output = Command::new(&interpreter)
        .current_dir(root)
        .arg(&script)
        .args(["--size", &speed.size, "--inner", &super::INNER.to_string()])
        .output()
        .with_context(|| format!("running {} {}", interpreter.display(), script.display()))?;
    super::probe_seconds(&output, &script.display().to_string())
}

/// What the binding adds to the kernel: the module's best time against the kernel's alone.
pub fn binding_cost(module: f64, kernel_alone: f64) -> String {
    let extra = module / kernel_alone - 1.0;
    let verdict = match extra {
        e if e <= 0.1 => "your binding costs next to nothing: no copy, the kernel does the work",
        e if e <= 0.5 => {
            "your binding costs something: is the result copied, or an input converted?"
        }
        _ => {
            "your binding costs more than the kernel: does it call the given kernel (every \
             core), with no copies, conversions or Python objects per element?"
        }
    };
    match extra {
        // Under half a per cent is the timer's noise, not the binding's cost.
        e if e < 0.005 => format!("yours is as fast (bests): {verdict}"),
        e => format!("yours takes {:.0} % longer (bests): {verdict}", e * 100.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binding_s_cost_is_the_module_s_time_over_the_kernel_s_alone() {
        let free = binding_cost(10.5e-3, 10e-3);
        assert!(free.starts_with("yours takes 5 % longer"), "{free}");
        assert!(free.contains("next to nothing"), "{free}");
        assert!(binding_cost(13e-3, 10e-3).contains("is the result copied"));
        assert!(binding_cost(40e-3, 10e-3).contains("300 % longer"));
        assert!(binding_cost(9e-3, 10e-3).starts_with("yours is as fast"));
    }
}
