use super::*;

/// Real libtest output (Rust 1.95, `--test-threads=1`, backtraces on), trimmed.
const OUTPUT: &str = "
running 8 tests
test fails_with_message ... FAILED
test gpu ... ignored, needs a CUDA GPU
test passes ... ok
test plain_ignored ... ignored
test printing_then_fail ... FAILED
test prints_raw ... raw line
ok
test should_panic_no - should panic ... FAILED
test todo_stub ... FAILED

failures:

---- fails_with_message stdout ----

thread 'fails_with_message' (10926) panicked at t.rs:3:35:
assertion `left == right` failed: strides differ: did you copy?
  left: 1
 right: 2
stack backtrace:
   0: __rustc::rust_begin_unwind
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.

---- printing_then_fail stdout ----
captured print

thread 'printing_then_fail' (10928) panicked at t.rs:9:63:
boom
second line
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- should_panic_no stdout ----
note: test did not panic as expected at t.rs:8:28
---- todo_stub stdout ----

thread 'todo_stub' panicked at t.rs:4:26:
not yet implemented: return the strides of shape [2, 3]
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    fails_with_message
    printing_then_fail
    should_panic_no
    todo_stub

test result: FAILED. 2 passed; 4 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.11s
";

fn failure(parsed: &Parsed, name: &str) -> (String, Option<String>) {
    match &parsed.failures[name] {
        Outcome::Failed { message, location } => (message.clone(), location.clone()),
        other => panic!("{name}: expected a failure, got {other:?}"),
    }
}

#[test]
fn reads_ok_failed_and_ignored_with_reason() {
    let parsed = parse(OUTPUT);
    assert_eq!(parsed.lines["passes"], Line::Ok);
    assert_eq!(parsed.lines["fails_with_message"], Line::Failed);
    assert_eq!(
        parsed.lines["gpu"],
        Line::Ignored("needs a CUDA GPU".into())
    );
    assert_eq!(parsed.lines["plain_ignored"], Line::Ignored(String::new()));
    assert_eq!(parsed.lines["should_panic_no"], Line::Failed);
    assert!(parsed.finished);
    assert_eq!(
        parsed.failed,
        [
            "fails_with_message",
            "printing_then_fail",
            "should_panic_no",
            "todo_stub"
        ]
    );
}

#[test]
fn a_result_split_by_the_tests_own_output_is_joined() {
    assert_eq!(parse(OUTPUT).lines["prints_raw"], Line::Ok);
    let glued = parse("test a ... hello\nworld\nFAILED\ntest b ... ok\nnoisetest c ... ok\n");
    assert_eq!(glued.lines["a"], Line::Failed);
    assert_eq!(glued.lines["b"], Line::Ok);
    assert_eq!(
        glued.lines["c"],
        Line::Ok,
        "output without a newline before the line"
    );
}

#[test]
fn keeps_the_first_panic_message_and_its_location() {
    let parsed = parse(OUTPUT);
    let (message, location) = failure(&parsed, "fails_with_message");
    assert_eq!(
        message,
        "assertion `left == right` failed: strides differ: did you copy?\n  left: 1\n right: 2"
    );
    assert_eq!(location.as_deref(), Some("t.rs:3:35"));
    // Captured prints before the panic are not the message; multi-line messages are kept.
    assert_eq!(
        failure(&parsed, "printing_then_fail").0,
        "boom\nsecond line"
    );
    // An old-style thread line without the id works too.
    let (message, location) = failure(&parsed, "todo_stub");
    assert_eq!(
        message,
        "not yet implemented: return the strides of shape [2, 3]"
    );
    assert_eq!(location.as_deref(), Some("t.rs:4:26"));
}

#[test]
fn a_failure_without_a_panic_shows_the_section_text() {
    let (message, location) = failure(&parse(OUTPUT), "should_panic_no");
    assert_eq!(message, "note: test did not panic as expected at t.rs:8:28");
    assert_eq!(location, None);
}

#[test]
fn an_unfinished_run_is_not_finished() {
    let parsed = parse("running 2 tests\ntest a ... ok\n");
    assert!(!parsed.finished);
    assert_eq!(parsed.lines.len(), 1);
}

#[test]
fn list_lines_name_tests_only() {
    assert_eq!(listed_test("views::a: test").as_deref(), Some("views::a"));
    assert_eq!(listed_test("big: benchmark"), None);
    assert_eq!(listed_test("8 tests, 0 benchmarks"), None);
}

#[test]
fn a_failure_whose_message_never_came_is_undecided() {
    // The process was killed after printing FAILED, before the failures section.
    let parsed = parse("running 2 tests\ntest a ... FAILED\ntest b ... ok\n");
    assert_eq!(decide("a", &parsed), None);
    assert_eq!(decide("b", &parsed), Some(Outcome::Passed));
    assert_eq!(decide("c", &parsed), None);
    let finished = parse(OUTPUT);
    assert_eq!(
        decide("gpu", &finished),
        Some(Outcome::Ignored("needs a CUDA GPU".into()))
    );
    assert!(matches!(
        decide("todo_stub", &finished),
        Some(Outcome::Failed { .. })
    ));
}

#[test]
fn locations_through_a_shim_are_tidied() {
    assert_eq!(
        tidy_location("solutions/01-x/tests/../../../exercises/01-x/tests/a.rs:3:5"),
        "exercises/01-x/tests/a.rs:3:5"
    );
    assert_eq!(tidy_location("../up/a.rs:1:1"), "../up/a.rs:1:1");
}

#[test]
fn a_passing_test_that_announces_a_skip_is_ignored_with_its_reason() {
    // libtest with --show-output: the captured output of passing tests comes under `successes:`.
    let output = "
running 3 tests
test numpy ... ok
test plain ... ok
test fails ... FAILED

successes:

---- numpy stdout ----
skipped: no NumPy in .venv: run `cargo xtask check` once

---- plain stdout ----
skipped is only a word here

successes:
    numpy
    plain

failures:

---- fails stdout ----
skipped: this test failed anyway

thread 'fails' (7) panicked at t.rs:1:1:
boom

failures:
    fails

test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out
";
    let parsed = parse(output);
    assert_eq!(
        decide("numpy", &parsed),
        Some(Outcome::Ignored(
            "skipped: no NumPy in .venv: run `cargo xtask check` once".into()
        ))
    );
    assert_eq!(decide("plain", &parsed), Some(Outcome::Passed));
    assert!(matches!(
        decide("fails", &parsed),
        Some(Outcome::Failed { .. })
    ));
}

fn captured(stdout: &str, code: i32) -> Captured {
    use std::os::unix::process::ExitStatusExt;
    Captured {
        status: Some(ExitStatus::from_raw(code << 8)),
        stdout: stdout.to_string(),
        stderr: String::new(),
        timed_out: false,
    }
}

const BATCH_OK: &str = "running 2 tests\ntest a ... ok\ntest b ... ok\n\n\
                        test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n";

#[test]
fn a_batch_proves_its_passes_only_when_libtest_ended_it_with_success() {
    let watched = |ending| Evidence {
        memory_limit: None,
        ending,
    };
    let names = ["a", "b"];
    let proven = judge_batch(&names, &captured(BATCH_OK, 0), watched(Ending::MainThread));
    assert_eq!(proven.len(), 2);
    assert!(proven.values().all(|outcome| *outcome == Outcome::Passed));
    // The same lines, but the process ended from a test's thread (an exit inside a test), or
    // nobody watched: nothing is proven, every test runs alone.
    for ending in [Ending::OtherThread, Ending::Unrecorded, Ending::Unwatched] {
        let forged = judge_batch(&names, &captured(BATCH_OK, 0), watched(ending));
        assert!(forged.is_empty(), "{ending:?}: {forged:?}");
    }
    // A run that failed as a whole proves nothing: its passes and its failures run alone.
    let mixed = judge_batch(
        &["passes", "fails_with_message"],
        &captured(OUTPUT, 101),
        watched(Ending::MainThread),
    );
    assert!(mixed.is_empty(), "{mixed:?}");
}
