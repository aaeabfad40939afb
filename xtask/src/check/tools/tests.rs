use super::*;

/// Labs 1 and 6 as `doctests` sees them: (package, directory from the root).
fn solutions() -> Vec<(String, String)> {
    [
        ("strides-solution", "solutions/01-strides"),
        ("ffi-solution", "solutions/06-ffi"),
    ]
    .map(|(package, dir)| (package.to_string(), dir.to_string()))
    .to_vec()
}

/// What `cargo test --doc` printed for two doctests of lab 1, a `no_run` one of lab 6 and
/// one of lab 6's nested Python extension crate.
const PASSING: &str = "
running 2 tests
test solutions/01-strides/src/views.rs - views::transpose (line 17) ... ok
test solutions/01-strides/src/views.rs - views::flatten (line 40) ... ok

test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s

all doctests ran in 0.52s; merged doctests compilation took 0.50s

running 2 tests
test solutions/06-ffi/src/c_kernel.rs - c_kernel::c_dims (line 30) - compile ... ok
test solutions/06-ffi/python/src/lib.rs - distances (line 8) ... ok

test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s
";

#[test]
fn doctest_names_with_spaces_are_read_whole() {
    let results = doctest_results(PASSING);
    assert_eq!(results.len(), 4, "{results:?}");
    assert_eq!(
        results[0],
        (
            "solutions/01-strides/src/views.rs - views::transpose (line 17)".to_string(),
            Line::Ok
        )
    );
    assert_eq!(
        results[2].0,
        "solutions/06-ffi/src/c_kernel.rs - c_kernel::c_dims (line 30) - compile"
    );
}

#[test]
fn every_doctest_counts_and_each_solution_gets_its_count() {
    let tally = judge_doctests(PASSING, "", true, &solutions());
    assert_eq!(tally.passed, 4);
    assert!(tally.failures.is_empty(), "{:?}", tally.failures);
    // The Python crate's doctest is not lab 6's own.
    assert_eq!(
        tally.notes,
        ["doctests run: strides-solution 2, ffi-solution 1"]
    );
}

#[test]
fn a_solution_without_doctests_fails_with_the_fix() {
    let stdout = "
running 1 test
test solutions/01-strides/src/views.rs - views::transpose (line 17) ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s

running 1 test
test solutions/06-ffi/src/fortran.rs - fortran::cityblock_fortran (line 9) ... ignored

test result: ok. 0 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s
";
    let tally = judge_doctests(stdout, "", true, &solutions());
    assert_eq!(tally.passed, 1);
    assert_eq!(tally.failures.len(), 1, "{:?}", tally.failures);
    let failure = &tally.failures[0];
    assert!(
        failure.contains("`ffi-solution` ran no doctest"),
        "{failure}"
    );
    assert!(failure.contains("# Examples"), "{failure}");
    assert!(failure.contains("solutions/06-ffi/src/"), "{failure}");
}

#[test]
fn a_failing_doctest_is_named_with_its_panic() {
    let stdout = "
running 2 tests
test solutions/01-strides/src/views.rs - views::transpose (line 17) ... FAILED
test solutions/01-strides/src/views.rs - views::flatten (line 40) ... ok

failures:

---- solutions/01-strides/src/views.rs - views::transpose (line 17) stdout ----
Test executable failed (exit status: 101).

stderr:

thread 'main' (4242) panicked at /tmp/rustdoctestAbC123/doctest_bundle_2024.rs:9:1:
assertion `left == right` failed
  left: [1, 3]
 right: [3, 1]
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    solutions/01-strides/src/views.rs - views::transpose (line 17)

test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s
";
    let tally = judge_doctests(stdout, "error: doctest failed", false, &solutions());
    assert_eq!(tally.passed, 1);
    // One failure, the doctest's: no "ran no doctest" for lab 6, whose run is not proof.
    assert_eq!(tally.failures.len(), 1, "{:?}", tally.failures);
    let failure = &tally.failures[0];
    assert!(
        failure.starts_with(
            "doctest `solutions/01-strides/src/views.rs - views::transpose (line 17)` fails"
        ),
        "{failure}"
    );
    assert!(failure.contains("left: [1, 3]"), "{failure}");
}

#[test]
fn a_run_that_fails_before_any_doctest_reports_cargo() {
    let stderr = "error[E0425]: cannot find value `x` in this scope\n";
    let tally = judge_doctests("", stderr, false, &solutions());
    assert_eq!(tally.passed, 0);
    assert_eq!(tally.failures.len(), 1, "{:?}", tally.failures);
    assert!(
        tally.failures[0].starts_with("`cargo test --doc` failed"),
        "{:?}",
        tally.failures
    );
}
