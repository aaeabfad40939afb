use super::*;

const PAGE: &str = "\
# Exercise 1

Build it.

<!-- reference -->
{{#include ../../../../solutions/01-x/src/a.rs:body}}
<!-- /reference -->

<!-- student -->
Once your tests pass: `cargo bench -p x`.
<!-- /student -->
The end.
";

fn resolve(root: &Path, text: &str, edition: Edition) -> Result<String, String> {
    let path = root.join("book/src/labs/01-x/exercise.md");
    Page {
        root,
        path: &path,
        lab: Some("01-x".into()),
    }
    .resolve(text, edition)
}

#[test]
fn each_edition_keeps_its_regions_and_drops_the_other() {
    let root = Path::new("/course");
    let student = resolve(root, PAGE, Edition::Student).unwrap();
    assert!(!student.contains("solutions"), "{student}");
    assert!(student.contains("cargo bench -p x"));
    assert!(!student.contains("<!--"), "markers are removed: {student}");
    let reference = resolve(root, PAGE, Edition::Reference).unwrap();
    assert!(
        reference.contains("{{#include /course/solutions/01-x/src/a.rs:body}}"),
        "the include path is made absolute: {reference}"
    );
    assert!(!reference.contains("cargo bench -p x"));
    assert!(reference.contains("Build it.") && reference.contains("The end."));
}

#[test]
fn unbalanced_markers_are_errors_naming_the_line() {
    let root = Path::new("/course");
    let unclosed = resolve(root, "a\n<!-- reference -->\nb\n", Edition::Student).unwrap_err();
    assert!(unclosed.contains("line 2"), "{unclosed}");
    let nested = "<!-- reference -->\n<!-- student -->\n<!-- /student -->\n<!-- /reference -->\n";
    let error = resolve(root, nested, Edition::Reference).unwrap_err();
    assert!(
        error.contains("line 2") && error.contains("do not nest"),
        "{error}"
    );
    let stray = resolve(root, "<!-- /student -->\n", Edition::Student).unwrap_err();
    assert!(stray.contains("never opened"), "{stray}");
}

#[test]
fn hints_are_folded_one_per_details() {
    let temp = tempfile::Builder::new()
        .prefix("xtask-edition-")
        .tempdir()
        .unwrap();
    let root = temp.path();
    let hints = root.join("exercises/01-x/hints");
    fs::create_dir_all(&hints).unwrap();
    fs::write(
        hints.join("views.md"),
        "<!-- for maintainers -->\n\n#### Hint 1: Look <here>\n\nFirst.\n\n#### Hint 2: Closer\n\nSecond.\n",
    )
    .unwrap();
    let text = resolve(root, "Stuck?\n\n{{#hints views}}\n", Edition::Student).unwrap();
    assert_eq!(text.matches("<details>").count(), 2, "{text}");
    assert!(text.contains("<summary>Hint 1 of 2: Look &lt;here&gt;</summary>\n\nFirst."));
    assert!(text.contains("<summary>Hint 2 of 2: Closer</summary>\n\nSecond."));
    assert!(!text.contains("maintainers"));
    let missing = resolve(root, "{{#hints nope}}\n", Edition::Student).unwrap_err();
    assert!(
        missing.contains("exercises/01-x/hints/nope.md"),
        "{missing}"
    );
}

#[test]
fn pages_know_their_lab_from_their_directory() {
    let src = Path::new("/c/book/src");
    assert_eq!(
        lab_of(src, &src.join("labs/01-strides/views.md")).as_deref(),
        Some("01-strides")
    );
    assert_eq!(
        lab_of(src, &src.join("labs/measured/x.md")).as_deref(),
        Some("measured")
    );
    assert_eq!(lab_of(src, &src.join("labs/01-strides.md")), None);
    assert_eq!(lab_of(src, &src.join("setup.md")), None);
}

#[test]
fn markers_in_code_blocks_and_escaped_includes_are_left_as_written() {
    let root = Path::new("/course");
    let page = "```markdown\n<!-- reference -->\n\\{{#include ../x.rs:a}}\n<!-- /reference -->\n```\n\
                Text \\{{#include ../../y.rs}}.\n";
    for edition in Edition::ALL {
        let text = resolve(root, page, edition).unwrap();
        assert!(
            text.contains("<!-- reference -->\n\\{{#include ../x.rs:a}}"),
            "{text}"
        );
        assert!(text.contains("Text \\{{#include ../../y.rs}}."), "{text}");
    }
}
