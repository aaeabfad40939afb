//! A lab's check examples (lab.toml `check_examples`): examples of its solution that `check`
//! runs, printing their output into the check's own, for what a test cannot show in CI's log
//! (lab 5's `kernel_resources`: each kernel's registers, spills and shared memory on sm_80 and
//! sm_90, from ptxas). Each example is one check, passed when it exits successfully; what it
//! wrote to stderr says what failed. The same step runs each speed probe of the lab (lab.toml
//! `[speed]`) once on the solution, at a small size: the probe that `cargo xtask speed` and
//! `grade` time must build and print its time.

use std::path::Path;

use anyhow::Result;

use crate::cargo;
use crate::report::Tally;
use crate::ui::Ui;
use crate::workspace::Lab;

/// Runs each of the lab's check examples, built with its solution's features, and prints what
/// each wrote to stdout (above the spinner, in a terminal).
pub fn check(root: &Path, lab: &Lab, ui: &Ui) -> Result<Tally> {
    let mut tally = Tally::default();
    let Some(solution) = &lab.solution else {
        return Ok(tally);
    };
    for example in &lab.meta.check_examples {
        // --quiet: cargo's build lines would bury the example's output in CI's log.
        let mut args = vec!["run", "--quiet", "--example", example.as_str()];
        let package = solution.cargo_args();
        args.extend(package.iter().map(String::as_str));
        let out = cargo::output(cargo::command(root).args(&args))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        ui.suspend(|| print!("{stdout}"));
        tally.check(out.status.success(), || {
            failure(
                &solution.package,
                example,
                &String::from_utf8_lossy(&out.stderr),
            )
        });
    }
    for (exercise, speed) in &lab.meta.speed {
        // The Python exercise: here its given kernel timed alone, from the exercise's own
        // crate; its module's probe runs in the Python step, once the solution's is built.
        let python = lab.meta.python_exercise().filter(|dir| dir == exercise);
        let (krate, bench) = match (python, &speed.kernel_alone) {
            (Some(dir), Some(alone)) => (
                crate::workspace::read_crate(&root.join("exercises").join(&lab.name).join(dir))?,
                alone,
            ),
            _ => (solution.clone(), &speed.bench),
        };
        let mut command = cargo::command(root);
        command.args(["bench", "--quiet", "-p", &krate.package]);
        command.args(crate::workspace::student_feature_args(&krate)?);
        command.args(["--bench", bench, "--", "--size", "64x64x9", "--inner", "1"]);
        let out = cargo::output(&mut command)?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        tally.check(
            out.status.success() && stdout.contains("\"seconds\":"),
            || {
                format!(
                    "the speed probe of `{exercise}` (`cargo bench -p {} --bench {bench}`) did not \
                 print its time:\n{stdout}{}",
                    krate.package,
                    cargo::excerpt(&String::from_utf8_lossy(&out.stderr), 30)
                )
            },
        );
    }
    Ok(tally)
}

/// The failure of an example that exited with failure: the command to rerun it, and its
/// stderr (the example's errors, or cargo's when it did not build).
fn failure(package: &str, example: &str, stderr: &str) -> String {
    let stderr = match stderr.trim().is_empty() {
        true => "(nothing on stderr)".to_string(),
        false => cargo::excerpt(stderr, 40),
    };
    format!(
        "`cargo run -p {package} --example {example}` failed (lab.toml `check_examples`):\n\
         {stderr}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_names_the_command_and_keeps_the_example_s_errors() {
        let stderr = "error: ptxas could not compile src/cuda/k.cu for sm_90 ...\n";
        let message = failure("gpu-solution", "kernel_resources", stderr);
        assert!(
            message.starts_with("`cargo run -p gpu-solution --example kernel_resources` failed"),
            "{message}"
        );
        assert!(message.contains("src/cuda/k.cu for sm_90"), "{message}");
        assert!(failure("p", "e", "  \n").ends_with("(nothing on stderr)"));
    }
}
