use std::path::PathBuf;

use super::*;
use crate::libtest::{Outcome, SKIP_PREFIX, TestResult};
use crate::python::test_lab;
use crate::workspace::{Crate, LabToml};

fn test(name: &str, outcome: Outcome) -> TestResult {
    TestResult {
        id: format!("fortran::{name}"),
        name: name.into(),
        outcome,
    }
}

fn skipped(reason: &str) -> Outcome {
    Outcome::Ignored(format!("{SKIP_PREFIX}{reason}"))
}

#[test]
fn skipped_tests_count_neither_way_and_each_reason_is_said_once() {
    let failing = Outcome::Failed {
        message: "not yet".into(),
        location: None,
    };
    let target = TargetResults {
        target: "fortran".into(),
        results: vec![
            test("a", failing.clone()),
            test("b", skipped("no gfortran: install it")),
            test("c", skipped("no OpenMP: install it")),
            test("d", skipped("no gfortran: install it")),
            test("e", Outcome::Passed),
        ],
    };
    let (ok, total, status) = exercise_status(&target);
    assert_eq!(
        (ok, total),
        (1, 2),
        "a skipped test is neither passed nor failed"
    );
    assert_eq!(
        status,
        "in progress (3 skipped: no gfortran: install it; no OpenMP: install it)"
    );
}

#[test]
fn a_missing_tool_is_named_with_the_command_that_installs_it_here() {
    let meta: LabToml = toml::from_str(
        "title = \"FFI\"\nchapter = \"c.md\"\n\
         [tools.fortran]\ntool = \"gfortran\"\nneeds = \"no-such-compiler-anywhere\"\n",
    )
    .expect("a lab.toml");
    let krate = Crate {
        dir: PathBuf::new(),
        package: "ffi".into(),
        lib: "ffi".into(),
        features: Vec::new(),
    };
    let lab = Lab {
        name: "06-ffi".into(),
        stub: krate,
        solution: None,
        meta,
    };
    let lines = missing_tools(&[lab]);
    assert_eq!(
        lines,
        [format!(
            "lab 06-ffi: the tests that need `fortran` are skipped: `no-such-compiler-anywhere` \
             is not installed ({})",
            platform::Tool::Gfortran.install_here()
        )]
    );
}

#[test]
fn the_python_row_skips_without_a_venv_and_names_the_setup_as_the_next_step() {
    let lab = test_lab(&[]);
    let exercise = PythonExercise::of(&lab).unwrap();
    let row = python_row(
        &exercise,
        &PythonTests::Skipped("there is no .venv; …".into()),
    );
    assert_eq!((row.passed, row.failed), (0, 0), "skipped: neither way");
    assert_eq!(row.status, "skipped: there is no .venv; …");
    let step = row.next_step.unwrap();
    assert!(step.contains("python3 -m venv .venv"), "{step}");
    assert!(
        step.contains("Then iterate with: .venv/bin/maturin develop"),
        "{step}"
    );
}

#[test]
fn the_python_row_counts_each_test_and_points_at_the_first_failure() {
    let lab = test_lab(&[]);
    let exercise = PythonExercise::of(&lab).unwrap();
    let result = |id: &str, outcome| TestResult {
        id: id.into(),
        name: id.rsplit("::").next().unwrap().into(),
        outcome,
    };
    let failed = |message: &str| Outcome::Failed {
        message: message.into(),
        location: None,
    };
    let target = TargetResults {
        target: "python".into(),
        results: vec![
            result("test_distances::test_a", Outcome::Passed),
            result("test_distances::test_b[cityblock]", failed("first")),
            result("test_boundary::test_c", failed("second")),
            result("test_boundary::test_d", Outcome::Ignored("no GPU".into())),
        ],
    };
    let row = python_row(&exercise, &PythonTests::Ran(target));
    assert_eq!(row.tests, "1/3");
    assert_eq!((row.passed, row.failed), (1, 2));
    assert!(
        row.status.starts_with("in progress (1 skipped: no GPU)"),
        "{}",
        row.status
    );
    let step = row.next_step.unwrap();
    assert!(
        step.contains("test `test_distances::test_b[cityblock]` fails:\n    first"),
        "{step}"
    );
    assert!(
        step.ends_with(
            "pytest 'exercises/06-ffi/python/tests/test_distances.py::test_b[cityblock]'"
        ),
        "{step}"
    );
}

#[test]
fn tests_of_given_code_passing_on_the_stub_do_not_make_an_exercise_in_progress() {
    let mut lab = test_lab(&[]);
    lab.meta
        .stub_passes
        .insert("fortran::checks_the_emulator".into(), "given".into());
    let target = |outcomes: Vec<(&str, Outcome)>| TargetResults {
        target: "fortran".into(),
        results: outcomes
            .into_iter()
            .map(|(name, outcome)| test(name, outcome))
            .collect(),
    };
    let fresh = target(vec![
        ("checks_the_emulator", Outcome::Passed),
        (
            "yours",
            Outcome::Failed {
                message: "todo".into(),
                location: None,
            },
        ),
    ]);
    assert!(only_given_code_passes(&lab, &fresh));
    let started = target(vec![
        ("checks_the_emulator", Outcome::Passed),
        ("yours", Outcome::Passed),
        (
            "more",
            Outcome::Failed {
                message: "todo".into(),
                location: None,
            },
        ),
    ]);
    assert!(!only_given_code_passes(&lab, &started));
}
