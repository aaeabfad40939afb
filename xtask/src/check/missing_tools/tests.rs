use super::*;
use crate::libtest::TestResult;

const ADVICE: &str = "Debian/Ubuntu: `sudo apt-get install gfortran`";

fn machine() -> Machine {
    Machine {
        lacks: "gfortran",
        lab: "06-ffi",
        targets: vec![("fortran", vec![ADVICE.to_string()])],
        build_env: Vec::new(),
        run_env: Vec::new(),
        features: true,
    }
}

fn results(outcomes: Vec<(&str, Outcome)>) -> Vec<TargetResults> {
    let results = outcomes
        .into_iter()
        .map(|(name, outcome)| TestResult {
            id: format!("fortran::{name}"),
            name: name.to_string(),
            outcome,
        })
        .collect();
    vec![TargetResults {
        target: "fortran".into(),
        results,
    }]
}

fn skipped(reason: &str) -> Outcome {
    Outcome::Ignored(format!("{SKIP_PREFIX}{reason}"))
}

fn failed() -> Outcome {
    Outcome::Failed {
        message: "not yet implemented".into(),
        location: None,
    }
}

fn verdict(solution: Vec<(&str, Outcome)>, stub: Vec<(&str, Outcome)>) -> Tally {
    let mut tally = Tally::default();
    judge(&machine(), &results(solution), &results(stub), &mut tally);
    tally
}

#[test]
fn skipped_on_both_crates_with_the_install_command_passes() {
    let reason = format!("gfortran was missing: install it ({ADVICE})");
    let tally = verdict(
        vec![("view", Outcome::Passed), ("kernel", skipped(&reason))],
        vec![("view", failed()), ("kernel", skipped(&reason))],
    );
    assert!(tally.failures.is_empty(), "{:?}", tally.failures);
    assert!(
        tally.passed >= 3,
        "the skip, the stub's skip, progress's status"
    );
}

#[test]
fn a_stub_test_that_fails_where_the_solution_skips_checks_too_late() {
    let reason = format!("gfortran was missing: install it ({ADVICE})");
    let tally = verdict(
        vec![("kernel", skipped(&reason))],
        vec![("kernel", failed())],
    );
    assert!(
        tally
            .failures
            .iter()
            .any(|f| f.contains("`fortran::kernel` fails") && f.contains("before it calls")),
        "{:?}",
        tally.failures
    );
}

#[test]
fn a_skip_without_the_install_command_or_a_failure_on_the_solution_fails() {
    let tally = verdict(
        vec![
            ("kernel", skipped("gfortran was missing")),
            ("other", failed()),
        ],
        vec![
            ("kernel", skipped("gfortran was missing")),
            ("other", failed()),
        ],
    );
    let failures = tally.failures.join("\n");
    assert!(
        failures.contains("without the install command"),
        "{failures}"
    );
    assert!(
        failures.contains("the solution fails `fortran::other`"),
        "{failures}"
    );
}

#[test]
fn a_simulation_where_nothing_skips_did_not_take() {
    let tally = verdict(
        vec![("kernel", Outcome::Passed)],
        vec![("kernel", failed())],
    );
    assert!(
        tally.failures.iter().any(|f| f.contains("did not take")),
        "{:?}",
        tally.failures
    );
}

#[test]
fn an_ignore_attribute_is_not_a_skip() {
    assert_eq!(
        skip_reason(&Outcome::Ignored("needs a CUDA GPU".into())),
        None
    );
    assert_eq!(skip_reason(&skipped("no NVRTC")), Some("no NVRTC"));
}

#[test]
fn the_path_without_a_program_keeps_every_other_folder() {
    let Some(sh) = platform::find_on_path("sh") else {
        println!("skipped: no sh on PATH to hide");
        return;
    };
    let hidden = path_without("sh");
    let dirs: Vec<_> = std::env::split_paths(&hidden).collect();
    assert!(!dirs.contains(&sh.parent().unwrap().to_path_buf()));
    let before = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).count();
    let with_sh = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|dir| dir.join("sh").exists())
        .count();
    assert_eq!(dirs.len(), before - with_sh);
}
