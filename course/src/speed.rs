//! `cargo xtask speed [LAB]...`: how fast the student's kernels are, for the exercises whose
//! speed is part of the task (lab.toml `[speed.EXERCISE]`). Correct first: an exercise whose
//! tests do not all pass is not timed. Then its speed probe (a bench target of the lab, given
//! code) runs `rounds` times in fresh processes, and its best and median times are set against
//! this machine's floor: the least time its arithmetic and one write of its result allow, from
//! the limits `support`'s probe measures first (`machine_limits`), and against the original
//! course's Python (NumPy, SciPy's cdist, numba: `support/python/course_peers.py`), run turn
//! about with the kernel, round by round. No reference solution is needed: students see what
//! fraction of the machine their kernel uses, and how it compares with the course's Python.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::floor::{Limits, Work};
use crate::libtest::Outcome;
use crate::python::PythonExercise;
use crate::report::new_table;
use crate::testrun::{self, TargetResults, Tests};
use crate::workspace::{self, Crate, Lab, SpeedToml};

mod extension;
mod peers;

/// Timed calls per probe process; the probe keeps the best.
const INNER: usize = 3;

pub struct Args {
    pub labs: Vec<String>,
    /// Probe processes per exercise.
    pub rounds: usize,
    pub timeout: Duration,
}

pub fn run(root: &Path, args: &Args) -> Result<()> {
    let labs = workspace::select(workspace::discover(root)?, &args.labs)?;
    let timed: Vec<(&Lab, &String, &SpeedToml)> = labs
        .iter()
        .flat_map(|lab| {
            lab.meta
                .speed
                .iter()
                .map(move |(exercise, speed)| (lab, exercise, speed))
        })
        .collect();
    if timed.is_empty() {
        bail!(
            "no exercise of {} has its speed timed (lab.toml [speed]); try `cargo xtask speed` \
             for every lab",
            labs.iter()
                .map(|lab| lab.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // Measured once, when the first exercise is to be timed.
    let mut limits = None;
    let python = peers::python(root);
    let mut table = new_table(["exercise", "code", "time: best (median)", "verdict"]);
    for (lab, exercise, speed) in timed {
        let name = format!("{} {exercise} ({})", lab.name, speed.size);
        // The lab's Python exercise is a module, timed from Python (`extension.rs`).
        let module = PythonExercise::of(lab).filter(|python| python.name() == exercise);
        let not_correct = match &module {
            Some(python) => extension::failing_tests(root, python, args.timeout)?,
            None => failing_tests(root, lab, exercise, args.timeout)?,
        };
        if let Some(why) = not_correct {
            table.add_row(vec![
                name,
                "yours".into(),
                "-".into(),
                format!("not timed: {why}"),
            ]);
            continue;
        }
        eprintln!(
            "timing {name}: {} rounds of your kernel, then the course's Python...",
            args.rounds
        );
        // What the module is measured against: the given kernel alone, from Rust.
        let alone = match (&module, &speed.kernel_alone) {
            (Some(python), Some(bench)) => Some((python.krate(root)?, bench)),
            _ => None,
        };
        // Interleaved, round by round: a slow spell of the machine hits both sides.
        let (mut yours, mut series) = (Vec::new(), peers::Series::default());
        let mut kernel_alone = Vec::new();
        for _ in 0..args.rounds.max(1) {
            yours.push(match &module {
                Some(python) => extension::probe(root, python, speed)?,
                None => probe(root, &lab.stub, &speed.bench, speed)?,
            });
            if let Some((krate, bench)) = &alone {
                kernel_alone.push(probe(root, krate, bench, speed)?);
            }
            if let Some(python) = &python {
                series.add(&peers::run(root, python, speed)?);
            }
        }
        let (best, median) = best_and_median(&mut yours);
        let limits = match limits {
            Some(limits) => limits,
            None => *limits.insert(machine_limits(root)?),
        };
        let floor = speed.work.floor_seconds(speed.dims()?, limits);
        table.add_row(vec![
            name.clone(),
            "yours".into(),
            format!("{} ({})", ms(best), ms(median)),
            verdict(best, median, floor, speed.work),
        ]);
        if !kernel_alone.is_empty() {
            let (alone_best, alone_median) = best_and_median(&mut kernel_alone);
            table.add_row(vec![
                name.clone(),
                "the given kernel alone (Rust, no Python)".into(),
                format!("{} ({})", ms(alone_best), ms(alone_median)),
                extension::binding_cost(best, alone_best),
            ]);
        }
        for (label, mut times) in series.times {
            let (peer_best, peer_median) = best_and_median(&mut times);
            table.add_row(vec![
                name.clone(),
                format!("{label} (Python)"),
                format!("{} ({})", ms(peer_best), ms(peer_median)),
                against(median, peer_median),
            ]);
        }
        for (label, why) in series.skipped {
            table.add_row(vec![
                name.clone(),
                format!("{label} (Python)"),
                "-".into(),
                format!("skipped: {why}"),
            ]);
        }
        if python.is_none() {
            table.add_row(vec![
                name.clone(),
                "the course's Python".into(),
                "-".into(),
                "skipped: no Python (.venv/bin/python or python3)".into(),
            ]);
        }
    }
    println!("{table}");
    println!(
        "The floor is the least time this machine allows: the kernel's arithmetic at the peak \
         rate measured first, plus one write of its result at the measured write bandwidth. \
         Your kernel and the course's Python (NumPy, SciPy, numba from .venv) ran turn about, \
         round by round. On a busy or shared machine times vary: compare medians, and rerun."
    );
    Ok(())
}

/// `None` when every test of `exercise` passes; otherwise why it is not timed.
fn failing_tests(
    root: &Path,
    lab: &Lab,
    exercise: &str,
    timeout: Duration,
) -> Result<Option<String>> {
    let targets = match testrun::student_build_and_run(root, &lab.stub, timeout)? {
        Tests::DoesNotCompile(_) => {
            return Ok(Some(format!(
                "lab {} does not compile (cargo build -p {} --tests)",
                lab.name, lab.stub.package
            )));
        }
        Tests::Ran(targets) => targets,
    };
    let Some(target) = targets.iter().find(|target| target.target == exercise) else {
        return Ok(Some(format!("no test file tests/{exercise}.rs")));
    };
    let rerun = format!("cargo test -p {} --test {exercise}", lab.stub.package);
    Ok(failing(target, &rerun))
}

/// Why an exercise whose tests ran is not timed (how many fail, and `rerun`), or None when
/// none fails.
fn failing(target: &TargetResults, rerun: &str) -> Option<String> {
    let failed = target
        .results
        .iter()
        .filter(|test| matches!(test.outcome, Outcome::Failed { .. }))
        .count();
    (failed > 0).then(|| {
        format!(
            "{failed} of its {} tests fail; correct first ({rerun})",
            target.results.len()
        )
    })
}

/// One run of the speed probe `bench` of `krate` (the lab's, or its Python crate's): its best
/// time, in seconds.
fn probe(root: &Path, krate: &Crate, bench: &str, speed: &SpeedToml) -> Result<f64> {
    let mut command = crate::cargo::command(root);
    command.args(["bench", "-q", "-p", &krate.package]);
    command.args(workspace::student_feature_args(krate)?);
    command.args(["--bench", bench, "--", "--size", &speed.size, "--inner"]);
    command.arg(INNER.to_string());
    let output = crate::cargo::output(&mut command)?;
    probe_seconds(&output, &format!("`{bench}` of {}", krate.package))
}

/// The best time a speed probe (`what`) printed, or why there is none.
fn probe_seconds(output: &std::process::Output, what: &str) -> Result<f64> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "the speed probe {what} failed:\n{stdout}{}",
            crate::cargo::excerpt(&String::from_utf8_lossy(&output.stderr), 20)
        );
    }
    json_number(&stdout, "seconds")
        .with_context(|| format!("the speed probe printed no \"seconds\": {stdout}"))
}

/// This machine's limits, from `support`'s probe (best of its runs).
fn machine_limits(root: &Path) -> Result<Limits> {
    eprintln!("measuring this machine's limits (support's machine_limits, a few seconds)...");
    let mut command = crate::cargo::command(root);
    command.args([
        "run",
        "-q",
        "--release",
        "-p",
        "support",
        "--example",
        "machine_limits",
    ]);
    command.args(["--", "--runs", "3", "--mib", "256"]);
    let output = crate::cargo::output(&mut command)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "measuring the machine's limits failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let best = |field: &str| json_list_max(&stdout, field).unwrap_or(f64::NAN);
    Ok(Limits {
        peak_gflops: best("fma_gflops"),
        cityblock_gsteps: best("cityblock_gsteps"),
        write_gbps: best("write_gbps"),
    })
}

/// The best and the median of `times` (sorted in place; at least one).
fn best_and_median(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

/// Yours against a peer, by their medians.
fn against(yours: f64, peer: f64) -> String {
    if yours <= peer {
        format!("yours is {:.1}× faster (medians)", peer / yours)
    } else {
        format!("yours is {:.1}× slower (medians)", yours / peer)
    }
}

/// The verdict on a kernel's time against the machine's floor.
fn verdict(best: f64, median: f64, floor: Option<f64>, work: Work) -> String {
    let spread = median / best - 1.0;
    let noisy = if spread > 0.15 {
        format!(
            " (runs spread by {:.0} %: rerun on an idle machine)",
            spread * 100.0
        )
    } else {
        String::new()
    };
    let Some(floor) = floor else {
        return format!("no floor: the machine's limits could not be measured{noisy}");
    };
    let share = floor / median;
    let advice = match share {
        s if s >= 0.6 => "close to what this machine can do",
        s if s >= 0.25 => {
            "good; the rest is in the inner loop: look at the tile and what it keeps in registers"
        }
        s if s >= 0.05 => {
            "far from the limit: is the work split over every core, and blocked so that each load serves many outputs?"
        }
        _ => {
            "very far from the limit: is this the straightforward loop? Block it (see the chapter)"
        }
    };
    let arithmetic = match work {
        Work::Cityblock => "Cityblock steps",
        Work::SqEuclidean | Work::MatMul => "FMAs",
    };
    format!(
        "{:.0} % of this machine's limit ({} floor, {arithmetic}): {advice}{noisy}",
        share * 100.0,
        ms(floor)
    )
}

fn ms(seconds: f64) -> String {
    format!("{:.3} ms", seconds * 1e3)
}

/// The number after `"field":` in a JSON line (the probes' and `machine_limits`' lines: flat,
/// numbers unquoted).
pub fn json_number(text: &str, field: &str) -> Option<f64> {
    let at = text.find(&format!("\"{field}\":"))? + field.len() + 3;
    let rest = &text[at..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

/// The largest number of the list after `"field":` in a JSON line (`[1.5,2.0]`).
fn json_list_max(text: &str, field: &str) -> Option<f64> {
    let at = text.find(&format!("\"{field}\":["))? + field.len() + 4;
    let rest = &text[at..];
    let end = rest.find(']')?;
    rest[..end]
        .split(',')
        .filter_map(|value| value.trim().parse::<f64>().ok())
        .reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_probes_json_lines() {
        let line = r#"{"exercise":"blocked","size":"2000x2000x50","seconds":1.5e-2,"threads":2}"#;
        assert_eq!(json_number(line, "seconds"), Some(0.015));
        assert_eq!(json_number(line, "threads"), Some(2.0));
        assert_eq!(json_number(line, "missing"), None);
        let limits = r#"{"fma_gflops":[200.5,214.0],"write_gbps":[12.0],"x":1}"#;
        assert_eq!(json_list_max(limits, "fma_gflops"), Some(214.0));
        assert_eq!(json_list_max(limits, "write_gbps"), Some(12.0));
    }

    #[test]
    fn the_scale_gives_full_points_at_full_at_none_below_none_below_in_proportion_between() {
        let speed = SpeedToml {
            bench: "speed".into(),
            kernel_alone: None,
            size: "2000x2000x50".into(),
            work: Work::Cityblock,
            full_at: 0.5,
            none_below: 0.1,
            points: 2.0,
        };
        assert_eq!(speed.dims().unwrap(), [2000, 2000, 50]);
        assert_eq!(speed.points_at(1.3), 2.0, "faster than the reference");
        assert_eq!(speed.points_at(0.5), 2.0);
        let halfway = speed.points_at(0.3);
        assert!(
            (halfway - 1.0).abs() < 1e-12,
            "halfway between 0.1 and 0.5: {halfway}"
        );
        assert_eq!(speed.points_at(0.05), 0.0);
        assert_eq!(speed.points_at(f64::NAN), 0.0, "no measurement, no points");
    }

    #[test]
    fn the_verdict_gives_the_share_of_the_floor_and_flags_a_large_spread() {
        let close = verdict(1.0e-3, 1.05e-3, Some(0.8e-3), Work::Cityblock);
        assert!(close.starts_with("76 % of this machine's limit"), "{close}");
        assert!(
            close.contains("close to what this machine can do"),
            "{close}"
        );
        let slow = verdict(40e-3, 60e-3, Some(1e-3), Work::Cityblock);
        assert!(slow.contains("2 % of"), "{slow}");
        assert!(slow.contains("straightforward loop"), "{slow}");
        assert!(slow.contains("spread by 50 %"), "{slow}");
        assert!(verdict(1.0, 1.0, None, Work::Cityblock).starts_with("no floor"));
    }
}
