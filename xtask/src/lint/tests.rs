use super::*;

/// The exercise page's line folding in the hints of exercise `views`.
const HINTS: &str = "\n{{#hints views}}\n";

/// A small workspace in a temp directory, removed on drop.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// A lab that passes the lint: both crates, shims for a test and a bench, the chapter
    /// linked from SUMMARY.md and including an anchored region of the solution.
    fn good(test: &str) -> Fixture {
        let dir = tempfile::Builder::new()
            .prefix(&format!("xtask-lint-{test}-"))
            .tempdir()
            .unwrap();
        let fixture = Fixture { dir };
        let exercise_page = format!(
            "# Exercise 1\n\n```rust\n{{{{#include ../../../../solutions/01-demo/src/lib.rs:ravel}}}}\n```\n{HINTS}"
        );
        let files = [
            (
                "exercises/01-demo/Cargo.toml",
                "[package]\nname = \"demo\"\n",
            ),
            (
                "exercises/01-demo/lab.toml",
                "title = \"Demo\"\nchapter = \"labs/01-demo/index.md\"\nexercises = [\"views\"]\n[exercise_files]\nviews = [\"src/lib.rs\"]\n[stub_passes]\n\"views::trivial\" = \"checks a constant\"\n",
            ),
            (
                "exercises/01-demo/tests/views.rs",
                "#[test]\n#[ignore = \"needs a CUDA GPU\"]\nfn gpu() {}\n// a comment may say #[ignore]\n",
            ),
            ("exercises/01-demo/benches/speed.rs", "fn main() {}\n"),
            (
                "exercises/01-demo/src/lib.rs",
                "pub fn ravel() {\n    todo!(\"ravel\")\n}\n",
            ),
            (
                "solutions/01-demo/Cargo.toml",
                "[package]\nname = \"demo-solution\"\n",
            ),
            (
                "solutions/01-demo/src/lib.rs",
                "// ANCHOR: ravel\npub fn ravel() {}\n// ANCHOR_END: ravel\n",
            ),
            (
                "solutions/01-demo/tests/views.rs",
                "// Runs the shared tests against the solution.\nextern crate demo_solution as demo;\n\
                 #[path = \"../../../exercises/01-demo/tests/views.rs\"]\nmod shared;\n",
            ),
            (
                "solutions/01-demo/benches/speed.rs",
                "extern crate demo_solution as demo;\ninclude!(\"../../../exercises/01-demo/benches/speed.rs\");\n",
            ),
            (
                "book/src/SUMMARY.md",
                "# Summary\n\n# Labs\n\n- [Demo](labs/01-demo/index.md)\n  - [Views](labs/01-demo/views.md)\n  \
                 - [Measured](labs/01-demo/measured.md)\n  - [Take-away](labs/01-demo/takeaway.md)\n",
            ),
            (
                "exercises/01-demo/hints/views.md",
                "<!-- hints -->\n\n#### Hint 1: Look closer\n\nAt the strides.\n",
            ),
            ("book/src/labs/01-demo/index.md", "# Demo\n"),
            ("book/src/labs/01-demo/views.md", exercise_page.as_str()),
            ("book/src/labs/01-demo/measured.md", "# Measured\n"),
            ("book/src/labs/01-demo/takeaway.md", "# Take-away\n"),
        ];
        for (path, text) in files {
            fixture.write(path, text);
        }
        fixture
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn lint(&self) -> Tally {
        lint(self.root(), &[])
    }

    /// Lints and returns the single failure, which must mention every one of `words`.
    fn only_failure(&self, words: &[&str]) -> String {
        let tally = self.lint();
        assert_eq!(
            tally.failures.len(),
            1,
            "expected one failure: {:#?}",
            tally.failures
        );
        let failure = tally.failures[0].clone();
        for word in words {
            assert!(failure.contains(word), "`{word}` not in: {failure}");
        }
        failure
    }
}

#[test]
fn a_good_tree_passes() {
    let tally = Fixture::good("good").lint();
    assert!(tally.failures.is_empty(), "{:#?}", tally.failures);
    // pairing (2), shims (2 + 2), chapter, SUMMARY link, pages (landing, views, take-away,
    // measured, chapter is the landing), exercises order, stub_passes reason, hints file
    // well-formed, not the solution, on the exercise's page, named after an exercise, ignore,
    // includes (2), exercise files (entry, on both sides, named exercise)
    assert_eq!(tally.passed, 24);
}

#[test]
fn a_missing_shim_fails_and_shows_the_shim_to_write() {
    let fixture = Fixture::good("missing-shim");
    fixture.write("exercises/01-demo/tests/layout.rs", "#[test]\nfn t() {}\n");
    fixture.write(
        "exercises/01-demo/lab.toml",
        "title = \"Demo\"\nchapter = \"labs/01-demo/index.md\"\nexercises = [\"layout\", \"views\"]\n\
         [exercise_files]\nlayout = [\"src/layout.rs\"]\nviews = [\"src/lib.rs\"]\n",
    );
    fixture.write(
        "exercises/01-demo/hints/layout.md",
        "#### Hint 1: A\n\nB.\n",
    );
    fixture.write("book/src/labs/01-demo/layout.md", "{{#hints layout}}\n");
    fixture.write("exercises/01-demo/src/layout.rs", "");
    fixture.write("solutions/01-demo/src/layout.rs", "");
    fixture.write(
        "book/src/SUMMARY.md",
        "- [Demo](labs/01-demo/index.md)\n- [L](labs/01-demo/layout.md)\n\
         - [V](labs/01-demo/views.md)\n- [M](labs/01-demo/measured.md)\n\
         - [T](labs/01-demo/takeaway.md)\n",
    );
    fixture.only_failure(&[
        "missing shim solutions/01-demo/tests/layout.rs",
        "extern crate demo_solution as demo;",
        "#[path = \"../../../exercises/01-demo/tests/layout.rs\"]",
    ]);
}

#[test]
fn a_shim_with_the_wrong_path_fails() {
    let fixture = Fixture::good("wrong-path");
    fixture.write(
        "solutions/01-demo/tests/views.rs",
        "extern crate demo_solution as demo;\n#[path = \"../../../exercises/01-demo/tests/other.rs\"]\nmod shared;\n",
    );
    fixture.only_failure(&[
        "solutions/01-demo/tests/views.rs must be exactly the shim below",
        "#[path = \"../../../exercises/01-demo/tests/views.rs\"]",
    ]);
}

#[test]
fn a_shim_with_the_wrong_crate_alias_fails() {
    let fixture = Fixture::good("wrong-alias");
    fixture.write(
        "solutions/01-demo/benches/speed.rs",
        "extern crate demo_solution;\ninclude!(\"../../../exercises/01-demo/benches/speed.rs\");\n",
    );
    fixture.only_failure(&["must start with `extern crate demo_solution as demo;`"]);
}

#[test]
fn a_shim_without_its_shared_test_fails() {
    let fixture = Fixture::good("orphan-shim");
    fixture.write(
        "solutions/01-demo/tests/gone.rs",
        "extern crate demo_solution as demo;\n#[path = \"../../../exercises/01-demo/tests/gone.rs\"]\nmod shared;\n",
    );
    fixture.only_failure(&["exercises/01-demo/tests/gone.rs, which does not exist"]);
}

#[test]
fn ignore_without_a_reason_fails_with_its_line() {
    let fixture = Fixture::good("ignore");
    fixture.write(
        "solutions/01-demo/src/extra.rs",
        "\n#[test]\n#[ignore]\nfn slow() {}\n",
    );
    fixture.only_failure(&[
        "solutions/01-demo/src/extra.rs:3",
        "#[ignore = \"needs a CUDA GPU\"]",
    ]);
}

#[test]
fn a_missing_anchor_fails() {
    let fixture = Fixture::good("anchor");
    fixture.write("solutions/01-demo/src/lib.rs", "pub fn ravel() {}\n");
    fixture.only_failure(&[
        "book/src/labs/01-demo/views.md:4",
        "lacks: add `// ANCHOR: ravel`",
    ]);
}

#[test]
fn a_line_range_include_fails() {
    let fixture = Fixture::good("range");
    fixture.write(
        "book/src/labs/01-demo/views.md",
        &format!("{{{{#include ../../../../solutions/01-demo/src/lib.rs:1:2}}}}\n{HINTS}"),
    );
    fixture.only_failure(&["uses a line range", "ANCHOR: name"]);
}

#[test]
fn an_include_of_a_missing_file_fails() {
    let fixture = Fixture::good("include-missing");
    fixture.write(
        "book/src/labs/01-demo/views.md",
        &format!("{{{{#include ../nope.rs}}}}\n{HINTS}"),
    );
    fixture.only_failure(&["includes ../nope.rs, which does not exist"]);
}

#[test]
fn a_chapter_missing_from_summary_fails() {
    let fixture = Fixture::good("summary");
    fixture.write(
        "book/src/SUMMARY.md",
        "# Summary\n\n- [Views](labs/01-demo/views.md)\n- [M](labs/01-demo/measured.md)\n\
         - [T](labs/01-demo/takeaway.md)\n",
    );
    let tally = fixture.lint();
    assert_eq!(tally.failures.len(), 2, "{:#?}", tally.failures);
    assert!(tally.failures[0].contains("SUMMARY.md does not link labs/01-demo/index.md"));
    assert!(tally.failures[0].contains("- [Demo](labs/01-demo/index.md)"));
    assert!(tally.failures[1].contains("the landing page of lab 01-demo) is not listed"));
}

#[test]
fn a_lab_without_its_solution_fails() {
    let fixture = Fixture::good("unpaired");
    fixture.write(
        "exercises/02-next/Cargo.toml",
        "[package]\nname = \"next\"\n",
    );
    fixture.only_failure(&["solutions/02-next is missing"]);
}

#[test]
fn an_allow_listed_stub_pass_needs_a_reason() {
    let fixture = Fixture::good("reason");
    fixture.write(
        "exercises/01-demo/lab.toml",
        "title = \"Demo\"\nchapter = \"labs/01-demo/index.md\"\nexercises = [\"views\"]\n\
         [exercise_files]\nviews = [\"src/lib.rs\"]\n[stub_passes]\n\"views::x\" = \" \"\n",
    );
    fixture.only_failure(&["`views::x` has no reason"]);
}

#[test]
fn an_exercise_order_must_list_every_test_file() {
    let fixture = Fixture::good("order");
    fixture.write("exercises/01-demo/tests/layout.rs", "#[test]\nfn t() {}\n");
    fixture.write(
        "solutions/01-demo/tests/layout.rs",
        "extern crate demo_solution as demo;\n#[path = \"../../../exercises/01-demo/tests/layout.rs\"]\nmod shared;\n",
    );
    fixture.only_failure(&[
        "`exercises` must list each tests/*.rs stem",
        "layout, views",
    ]);
}

#[test]
fn an_exercise_without_hints_fails() {
    let fixture = Fixture::good("no-hints");
    fs::remove_file(fixture.root().join("exercises/01-demo/hints/views.md")).unwrap();
    fixture.write("book/src/labs/01-demo/views.md", "# Views\n");
    fixture.only_failure(&[
        "exercises/01-demo/hints/views.md is missing",
        "`#### Hint N: a short title`",
    ]);
}

#[test]
fn a_malformed_hints_file_fails_with_its_line() {
    let fixture = Fixture::good("bad-hints");
    fixture.write(
        "exercises/01-demo/hints/views.md",
        "#### Hint 1: A\n\nB.\n\n#### Hint 3: C\n\nD.\n",
    );
    fixture.only_failure(&["exercises/01-demo/hints/views.md: line 5: this should be hint 2"]);
}

#[test]
fn a_hints_file_for_no_exercise_fails() {
    let fixture = Fixture::good("stray-hints");
    fixture.write("exercises/01-demo/hints/veiws.md", "#### Hint 1: A\n\nB.\n");
    fixture.only_failure(&[
        "exercises/01-demo/hints/veiws.md names no exercise of lab 01-demo",
        "its exercises are: views",
    ]);
}

#[test]
fn hints_left_out_of_the_exercise_page_fail_with_the_line_to_add() {
    let fixture = Fixture::good("hints-not-in-book");
    fixture.write("book/src/labs/01-demo/views.md", "# Views\n");
    fixture.only_failure(&[
        "book/src/labs/01-demo/views.md does not fold in the hints of `views`",
        "{{#hints views}}",
    ]);
}

#[test]
fn a_hint_that_quotes_the_solution_fails() {
    let fixture = Fixture::good("hint-gives-away");
    fixture.write(
        "solutions/01-demo/src/lib.rs",
        "// ANCHOR: ravel\npub fn ravel() {}\n// ANCHOR_END: ravel\n\
         pub fn offset(o: isize, s: isize, n: usize) -> isize {\n    o + s * (n as isize - 1)\n}\n",
    );
    fixture.write(
        "exercises/01-demo/hints/views.md",
        "#### Hint 1: Look closer\n\nWrite `o + s * (n as isize - 1)` in `offset`.\n\n\
         #### Hint 2: The answer\n\n```rust\npub fn offset(o: isize, s: isize, n: usize) -> isize {\n```\n",
    );
    fixture.only_failure(&["hint 2 gives the solution away", "pub fn offset"]);
}

#[test]
fn a_lab_without_its_pages_fails_naming_each() {
    let fixture = Fixture::good("pages");
    fs::remove_file(fixture.root().join("book/src/labs/01-demo/takeaway.md")).unwrap();
    fixture.write(
        "book/src/SUMMARY.md",
        "# Summary\n\n- [Demo](labs/01-demo/index.md)\n  - [Views](labs/01-demo/views.md)\n",
    );
    let tally = fixture.lint();
    let failures = tally.failures.join("\n");
    assert!(
        failures.contains("takeaway.md (the take-away page of lab 01-demo) is missing"),
        "{failures}"
    );
    assert!(
        failures.contains("lab 01-demo has no measured page"),
        "{failures}"
    );
}

#[test]
fn a_stub_file_with_work_left_must_belong_to_an_exercise() {
    let fixture = Fixture::good("exercise-files");
    fixture.write(
        "exercises/01-demo/src/extra.rs",
        "pub fn f() {\n    todo!(\"f\")\n}\n",
    );
    fixture.only_failure(&["`src/extra.rs` holds a `todo!(` but no exercise lists it"]);
}

/// Lints and returns the failures, each of which must name `file`.
fn failures_naming(fixture: &Fixture, file: &str) -> Vec<String> {
    let failures = fixture.lint().failures;
    assert!(!failures.is_empty());
    for failure in &failures {
        assert!(failure.contains(file), "{failure}");
    }
    failures
}

#[test]
fn a_file_that_cannot_be_walked_or_read_fails_naming_it() {
    let fixture = Fixture::good("unreadable");
    // A dangling link: the walk cannot tell what it is, so it is not skipped.
    std::os::unix::fs::symlink(
        "nowhere",
        fixture.root().join("solutions/01-demo/src/gone.rs"),
    )
    .unwrap();
    failures_naming(&fixture, "solutions/01-demo/src/gone.rs");

    let fixture = Fixture::good("not-utf8");
    // Not text: read as empty, it would pass the `#[ignore]` rule unread.
    fs::write(
        fixture.root().join("solutions/01-demo/src/bytes.rs"),
        [0xff, 0xfe],
    )
    .unwrap();
    let failures = failures_naming(&fixture, "solutions/01-demo/src/bytes.rs");
    assert!(
        failures
            .iter()
            .any(|failure| failure.contains("cannot be read")),
        "{failures:#?}"
    );
}
