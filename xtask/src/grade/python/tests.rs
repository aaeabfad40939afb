//! The Python part: its pure pieces, and the real course's lab 6 graded end to end.

use std::env;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;
use crate::grade::model::SpeedStatus;
use crate::grade::tests::{find, lab, message, options, scratch, test};
use crate::grade::{Gradebook, LabStatus, ResourceLimits, TestOutcome, grade, write_outputs};

fn part() -> PythonPart {
    PythonPart {
        dir: "python".into(),
        module_env: "FFI_LAB_MODULE".into(),
        package: "ffi-py".into(),
        lib_path: "src/lib.rs".into(),
    }
}

#[test]
fn python_tests_are_told_from_rust_tests_by_their_target() {
    let part = part();
    assert!(part.owns("python/test_distances"));
    assert!(!part.owns("c_kernel"));
    assert!(!part.owns("python"));
    assert!(!part.owns("pythonic/test_x"));
    assert_eq!(
        part.rerun("06-ffi", "test_x", "test_it['a b']"),
        ".venv/bin/maturin develop --release -m exercises/06-ffi/python/Cargo.toml && \
         .venv/bin/python -m pytest \
         'exercises/06-ffi/python/tests/test_x.py::test_it['\\''a b'\\'']'"
    );
}

#[test]
fn a_test_listed_twice_keeps_its_worst_outcome() {
    // A test whose teardown fails is reported twice: passed, then with an error.
    let xml = r#"<testsuite>
<testcase classname="tests.test_a" name="test_torn" />
<testcase classname="tests.test_a" name="test_torn"><error message="teardown failed">e</error></testcase>
<testcase classname="tests.test_a" name="test_ok" />
<testcase classname="tests.test_b" name="test_skip"><skipped message="no GPU">s</skipped></testcase>
</testsuite>"#;
    let got = outcomes(&part(), xml);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        [
            "python/test_a::test_ok",
            "python/test_a::test_torn",
            "python/test_b::test_skip"
        ]
    );
    assert!(matches!(
        &got["python/test_a::test_torn"],
        Outcome::Failed { message, .. } if message == "teardown failed"
    ));
    assert_eq!(got["python/test_a::test_ok"], Outcome::Passed);
    assert_eq!(
        got["python/test_b::test_skip"],
        Outcome::Ignored("no GPU".into())
    );
}

#[test]
fn a_report_that_is_a_link_is_not_read() {
    let temp = scratch("python-report");
    let dir = temp.path();
    let secret = dir.join("secret");
    fs::write(&secret, "<testcase classname=\"t.test_a\" name=\"x\" />").unwrap();
    let report = dir.join(REPORT);
    std::os::unix::fs::symlink(&secret, &report).unwrap();
    assert_eq!(read_report(&report), None);
    fs::remove_file(&report).unwrap();
    fs::write(&report, "<testsuite/>").unwrap();
    assert_eq!(read_report(&report).as_deref(), Some("<testsuite/>"));
    temp.close().unwrap();
}

/// The course this crate belongs to.
fn real_course() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the course root")
        .to_path_buf()
}

/// A submission of lab 6: its `src/` (the stub, with the solution's files for the Rust
/// exercises when `solved`), and its Python crate's `src/` (the stub's, or `python`: the
/// files the stub has, written by the function from the stub's and the solution's).
fn lab_6(dir: &Path, solved: bool, python: Option<&dyn Fn(&str) -> String>) {
    let root = real_course();
    // Recursive: a lab's src/ holds its given files in src/given/.
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let to = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &to);
            } else {
                fs::copy(entry.path(), to).unwrap();
            }
        }
    }
    let src = dir.join("exercises/06-ffi/src");
    copy(&root.join("exercises/06-ffi/src"), &src);
    if solved {
        for file in ["c_kernel.rs", "fortran.rs", "precision.rs"] {
            fs::copy(root.join("solutions/06-ffi/src").join(file), src.join(file)).unwrap();
        }
    }
    let python_src = dir.join("exercises/06-ffi/python/src");
    copy(&root.join("exercises/06-ffi/python/src"), &python_src);
    if let Some(edit) = python {
        let solution = fs::read_to_string(root.join("solutions/06-ffi/python/src/lib.rs")).unwrap();
        fs::write(python_src.join("lib.rs"), edit(&solution)).unwrap();
    }
}

/// The solution's `lib.rs` as the exercise's crate has it: the module named `ffi_lab`, and the
/// kernel the exercise's given one (`src/given/kernel.rs`) rather than the solution's own.
fn as_exercise(solution: &str) -> String {
    let lines: Vec<&str> = solution
        .lines()
        .flat_map(|line| match line {
            "pub mod kernel;" => vec!["#[path = \"given/kernel.rs\"]", line],
            _ => vec![line],
        })
        .collect();
    lines.join("\n").replace("ffi_lab_solution", "ffi_lab") + "\n"
}

/// The real lab 6, graded with `--lab 6` in a work directory kept between runs (the second
/// run is warm: lab 6's dependencies, pyo3's release build included, are compiled once).
/// Needs the course's `.venv` with lab 6's requirements (maturin, pytest, NumPy, SciPy), as
/// `cargo xtask check` makes it.
#[test]
fn the_real_lab_6_grades_its_python_exercise() {
    let root = real_course();
    let requirements = "exercises/06-ffi/python/requirements.txt";
    assert!(
        root.join(".venv/bin/maturin").is_file(),
        "grading lab 6's Python exercise needs the course's .venv with maturin and pytest: \
         run `cargo xtask check`, or `python3 -m venv .venv && .venv/bin/python -m pip \
         install -r {requirements}`"
    );
    let temp = scratch("python-lab-6");
    let given = temp.path();
    let submissions = lab_6_submissions(given);
    let gradebook = grade_real_lab_6(&root, &submissions);
    let (python, rust_max) = check_python_tests_listed(&gradebook);
    check_solved(&gradebook, python[0]);
    check_stubs(&gradebook);
    check_broken(&gradebook, &python, rust_max);
    check_lab_6_feedback(&gradebook, &given.join("out"), python.len());
    temp.close().unwrap();
}

/// Three submissions of lab 6 in `given`: solved, the stubs, and one whose Python crate does
/// not compile (its Rust exercises solved).
fn lab_6_submissions(given: &Path) -> Vec<PathBuf> {
    lab_6(&given.join("solved"), true, Some(&as_exercise));
    lab_6(&given.join("stubs"), false, None);
    // A Python crate that does not compile; the Rust exercises solved.
    let broken = |solution: &str| {
        as_exercise(solution).replace(
            "distance_matrix(x, y, kernel::cityblock)",
            "distance_matrix(x, y, kernel::cityblock, 1)",
        )
    };
    lab_6(&given.join("broken"), true, Some(&broken));
    ["solved", "stubs", "broken"]
        .iter()
        .map(|name| given.join(name))
        .collect()
}

/// `submissions` graded on the course at `root`, lab 6 only, in the shared work directory.
fn grade_real_lab_6(root: &Path, submissions: &[PathBuf]) -> Gradebook {
    let user = super::super::sandbox::user_id();
    let work = env::temp_dir().join(format!("xtask-grade-{user}-real-lab-6"));
    // The warm-up's list of tests is made again by this build of the grader; the compiled
    // dependencies are kept.
    let _ = fs::remove_file(work.join("course.json"));
    let options = Options {
        jobs: 1,
        labs: vec!["6".into()],
        lab_timeout: Duration::from_secs(600),
        test_timeout: Duration::from_secs(20),
        test_resources: ResourceLimits {
            memory: 4 << 30,
            file_size: 1 << 30,
            processes: 2048,
            cpu: None,
        },
        ..options(&work)
    };
    grade(root, submissions, &options).unwrap()
}

/// Whether a test of lab 6 is one of its Python tests.
fn is_python(id: &str) -> bool {
    id.starts_with("python/")
}

/// The Python tests are graded as tests of the lab, one point each: their ids, and the
/// points of the lab's Rust tests.
fn check_python_tests_listed(gradebook: &Gradebook) -> (Vec<&str>, f64) {
    let info = &gradebook.labs[0];
    assert_eq!((gradebook.labs.len(), info.name.as_str()), (1, "06-ffi"));
    let solved = lab(find(gradebook, "solved"), "06-ffi");
    let python: Vec<&str> = solved
        .tests
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| is_python(id))
        .collect();
    assert!(python.len() >= 20, "{python:?}");
    assert!(
        python
            .contains(&"python/test_distances::test_matches_cdist_on_c_ordered_arrays[cityblock]")
    );
    assert!(python.contains(&"python/test_boundary::test_gil_is_released_while_computing"));
    // One point each: the lab's maximum grows by as many, and by the module's speed points.
    let rust_max: f64 = solved
        .tests
        .iter()
        .filter(|t| !is_python(&t.id))
        .map(|t| t.max)
        .sum();
    assert_eq!(info.max, rust_max + python.len() as f64 + 2.0);
    (python, rust_max)
}

/// Solved: every Python test passes, and says (the first, `python_test`) how to run it again.
fn check_solved(gradebook: &Gradebook, python_test: &str) {
    let solved = lab(find(gradebook, "solved"), "06-ffi");
    assert_eq!(solved.status, LabStatus::Ok, "{solved:#?}");
    assert!(
        solved.tests.iter().all(|t| t.points == t.max),
        "{solved:#?}"
    );
    // The module was timed, against the given kernel alone, in the real sandbox (how fast is
    // the machine's business: no figure is asserted, only that both sides were measured).
    let [speed] = &solved.speed[..] else {
        panic!("one speed result: {solved:#?}")
    };
    assert!(
        matches!(speed.status, SpeedStatus::Timed | SpeedStatus::Noisy),
        "{speed:#?}"
    );
    assert!(
        speed.against.contains("the given kernel alone"),
        "{speed:#?}"
    );
    assert!(
        speed.reference_seconds.is_some() && speed.student_seconds.is_some(),
        "{speed:#?}"
    );
    let one = test(solved, python_test);
    assert!(
        one.rerun
            .as_deref()
            .is_some_and(|rerun| rerun.contains(".venv/bin/python -m pytest")),
        "{one:?}"
    );
}

/// The stubs: every Python test fails, with the stub's own message.
fn check_stubs(gradebook: &Gradebook) {
    let stubs = lab(find(gradebook, "stubs"), "06-ffi");
    assert_eq!(stubs.points, 0.0, "{stubs:#?}");
    let cdist = test(
        stubs,
        "python/test_distances::test_matches_cdist_on_c_ordered_arrays[cityblock]",
    );
    assert_eq!(cdist.outcome, TestOutcome::Failed);
    assert!(message(cdist).contains("not yet implemented"), "{cdist:?}");
}

/// A Python crate that does not compile costs the `python` tests, not the Rust ones (worth
/// `rust_max`); the error is the compiler's, with the paths the student knows.
fn check_broken(gradebook: &Gradebook, python: &[&str], rust_max: f64) {
    let broken = lab(find(gradebook, "broken"), "06-ffi");
    assert_eq!(broken.status, LabStatus::DoesNotCompile, "{broken:#?}");
    assert_eq!(broken.points, rust_max, "{broken:#?}");
    let reason = broken.reason.as_deref().unwrap_or_default();
    assert!(
        reason.contains("exercises/06-ffi/python/src/lib.rs:"),
        "{reason}"
    );
    assert!(reason.contains("error[E0061]"), "{reason}");
    assert!(
        !reason.contains("worker-") && !reason.contains("maturin failed"),
        "{reason}"
    );
    for id in python {
        let t = test(broken, id);
        assert_eq!(t.outcome, TestOutcome::NotRun, "{t:?}");
        assert!(message(t).contains("error[E0061]"), "{t:?}");
    }
}

/// The feedback written to `out`: the broken crate's Python tests (`python_tests` of them)
/// not run, and not blamed on cargo's build; the stubs' rerun by pytest.
fn check_lab_6_feedback(gradebook: &Gradebook, out: &Path, python_tests: usize) {
    write_outputs(gradebook, out).unwrap();
    let feedback = fs::read_to_string(out.join("feedback/broken.md")).unwrap();
    assert!(
        feedback.contains(&format!("### {python_tests} tests not run")),
        "{feedback}"
    );
    assert!(
        !feedback.contains("Reproduce: `cargo test -p ffi --no-run`"),
        "{feedback}"
    );
    let feedback = fs::read_to_string(out.join("feedback/stubs.md")).unwrap();
    assert!(
        feedback.contains(
            "Reproduce: `.venv/bin/maturin develop --release -m exercises/06-ffi/python/\
             Cargo.toml && .venv/bin/python -m pytest 'exercises/06-ffi/python/tests/\
             test_distances.py::test_matches_cdist_on_c_ordered_arrays[cityblock]'`"
        ),
        "{feedback}"
    );
}
