use std::path::PathBuf;

use super::*;
use crate::libtest::{Outcome, SKIP_PREFIX, TestResult};
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
