use std::path::PathBuf;

use super::file::parse;
use super::*;
use crate::workspace::{Crate, LabToml};

const GOOD: &str = "<!-- for maintainers -->\n\n#### Hint 1: The idea\n\nLook at `reversed_axes`.\n\n\
                    ```sh\n# a shell comment, not a heading\n#### Hint 9: not a heading either\n```\n\n\
                    #### Hint 2: Closer\n\nSwap the strides.\n\n";

#[test]
fn parses_hints_in_order_skipping_the_preamble_and_code_blocks() {
    let hints = parse(GOOD).unwrap();
    assert_eq!(hints.len(), 2);
    assert_eq!((hints[0].number, hints[0].title.as_str()), (1, "The idea"));
    assert!(hints[0].body.starts_with("Look at `reversed_axes`."));
    assert!(
        hints[0].body.ends_with("```"),
        "the code block belongs to hint 1: {:?}",
        hints[0].body
    );
    assert_eq!(hints[1].body, "Swap the strides.");
}

#[test]
fn refuses_malformed_hint_files_naming_the_line() {
    let cases = [
        ("just text\n", "no hint in it"),
        (
            "## Hint 1: Wrong level\n\ntext\n",
            "line 1: hint headings are level 4",
        ),
        ("#### Hint 1 no colon\n\ntext\n", "`#### Hint N: title`"),
        (
            "#### Hint 1: a\n\nx\n\n#### Hint 3: b\n\ny\n",
            "line 5: this should be hint 2",
        ),
        ("#### Hint 1:   \n\nx\n", "hint 1 has no title"),
        (
            "#### Hint 1: a\n\n\n#### Hint 2: b\n\ny\n",
            "hint 1 (`a`) has no text",
        ),
    ];
    for (text, expected) in cases {
        let error = parse(text).unwrap_err();
        assert!(error.contains(expected), "{text:?}: `{error}`");
    }
}

fn lab() -> Lab {
    let stub = Crate {
        dir: PathBuf::from("/nowhere/exercises/01-strides"),
        package: "strides".into(),
        lib: "strides".into(),
        features: Vec::new(),
    };
    Lab {
        name: "01-strides".into(),
        stub,
        solution: None,
        meta: LabToml {
            exercises: vec!["strided_view".into(), "views".into()],
            ..LabToml::default()
        },
    }
}

#[test]
fn exercises_are_named_by_test_file_stem_and_unknown_ones_listed() {
    let lab = lab();
    let command = "cargo xtask hint strides";
    assert_eq!(known_exercise(&lab, "views", command).unwrap(), "views");
    assert_eq!(
        known_exercise(&lab, "tests/views.rs", command).unwrap(),
        "views"
    );
    let error = known_exercise(&lab, "view", command)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("strided_view, views") && error.contains("cargo xtask hint strides"),
        "{error}"
    );
}

#[test]
fn a_hint_ends_with_the_command_for_the_next_one() {
    let lab = lab();
    let hints = parse(GOOD).unwrap();
    let command = "cargo xtask hint strides";
    let first = render(&lab, "views", &hints[0], 2, command);
    assert!(
        first.starts_with("Hint 1 of 2 for `views`: The idea"),
        "{first}"
    );
    assert!(
        first.contains("Next hint: cargo xtask hint strides views 2"),
        "{first}"
    );
    let last = render(&lab, "views", &hints[1], 2, command);
    assert!(last.contains("That was the last hint"), "{last}");
    assert!(
        last.contains("cargo test -p strides --test views"),
        "{last}"
    );
}
