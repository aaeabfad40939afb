use super::*;

/// Two labs in a temp directory, removed on drop: a stub and its solution each, sharing
/// nothing yet.
struct Tree {
    /// Held for its drop, which removes the tree.
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Tree {
    fn new(test: &str) -> Tree {
        let dir = tempfile::Builder::new()
            .prefix(&format!("xtask-sharing-{test}-"))
            .tempdir()
            .unwrap();
        let root = dir.path().to_path_buf();
        let tree = Tree { _dir: dir, root };
        for lab in ["01-one", "02-two"] {
            tree.write(
                &format!("exercises/{lab}/Cargo.toml"),
                "[package]\nname = \"stub\"\n",
            );
            tree.write(
                &format!("solutions/{lab}/Cargo.toml"),
                "[package]\nname = \"solution\"\n",
            );
            // Each lab's own function: the two labs share nothing.
            let f = format!("f{}", &lab[..2]);
            tree.write(
                &format!("exercises/{lab}/src/lib.rs"),
                &format!("pub fn {f}() {{\n    todo!()\n}}\n"),
            );
            tree.write(
                &format!("solutions/{lab}/src/lib.rs"),
                &format!("pub fn {f}() {{}}\n"),
            );
        }
        tree
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// The failures of the rule on the labs named in `only` (all when empty).
    fn failures(&self, only: &[&str]) -> Vec<String> {
        let only: Vec<String> = only.iter().map(|lab| lab.to_string()).collect();
        let mut tally = Tally::default();
        check(&self.root, &only, &mut tally);
        assert_eq!(tally.passed, 0, "the rule reports violations only");
        tally.failures
    }

    /// The one failure, which must mention every one of `words`.
    fn only_failure(&self, words: &[&str]) -> String {
        let failures = self.failures(&[]);
        assert_eq!(failures.len(), 1, "expected one failure: {failures:#?}");
        for word in words {
            assert!(
                failures[0].contains(word),
                "`{word}` not in: {}",
                failures[0]
            );
        }
        failures[0].clone()
    }
}

const SHIM: &str = "extern crate solution as stub;\n#[path = \"../../../exercises/01-one/tests/t.rs\"]\nmod shared;\n";

#[test]
fn given_files_shims_and_stubs_pass() {
    let tree = Tree::new("good");
    tree.write("exercises/01-one/src/given/error.rs", "pub struct E;\n");
    tree.write(
        "solutions/01-one/src/lib.rs",
        "#[path = \"../../../exercises/01-one/src/given/error.rs\"]\npub mod error;\n",
    );
    tree.write("exercises/01-one/tests/t.rs", "#[test]\nfn t() {}\n");
    tree.write("solutions/01-one/tests/t.rs", SHIM);
    tree.write("exercises/01-one/benches/b.rs", "fn main() {}\n");
    tree.write(
        "solutions/01-one/benches/b.rs",
        "include!(\"../../../exercises/01-one/benches/b.rs\");\n",
    );
    // Within one crate's tree, and files with no code, are free.
    tree.write("exercises/02-two/build.rs", "include!(\"native.rs\");\n");
    tree.write("exercises/02-two/src/empty.rs", "// nothing yet\n");
    tree.write("solutions/02-two/src/empty.rs", "// nothing yet\n");
    assert_eq!(tree.failures(&[]), Vec::<String>::new());
}

#[test]
fn a_byte_identical_twin_fails_naming_given() {
    let tree = Tree::new("twin");
    let text = "//! Given.\npub struct E;\n";
    tree.write("exercises/01-one/src/error.rs", text);
    tree.write("solutions/01-one/src/error.rs", text);
    tree.only_failure(&[
        "exercises/01-one/src/error.rs and solutions/01-one/src/error.rs are the same file",
        "move it to exercises/01-one/src/given/ and take it with #[path]",
    ]);
}

#[test]
fn a_path_into_another_lab_fails_naming_support() {
    let tree = Tree::new("cross");
    tree.write(
        "solutions/02-two/examples/e.rs",
        "// a comment may say #[path = \"../../01-one/src/x.rs\"]\n\
         #[path = \"../../../exercises/01-one/src/given/x.rs\"]\nmod x;\nfn main() {}\n",
    );
    tree.only_failure(&[
        "solutions/02-two/examples/e.rs:2",
        "reaches into lab 01-one",
        "move what both labs use to support/",
    ]);
}

#[test]
fn a_path_to_a_stub_file_that_is_not_given_fails() {
    let tree = Tree::new("not-given");
    tree.write(
        "solutions/01-one/src/lib.rs",
        "#[path = \"../../../exercises/01-one/src/error.rs\"]\npub mod error;\n",
    );
    tree.only_failure(&["solutions/01-one/src/lib.rs:1", "not given", "src/given/"]);
}

#[test]
fn an_include_from_the_stub_into_the_solution_fails() {
    let tree = Tree::new("into-solution");
    tree.write(
        "exercises/01-one/build.rs",
        "include!(\"../../solutions/01-one/native.rs\");\n",
    );
    tree.only_failure(&["exercises/01-one/build.rs:1", "students do not have"]);
}

#[test]
fn the_same_code_in_two_labs_fails_once_leading_comments_aside() {
    let tree = Tree::new("across");
    tree.write(
        "exercises/01-one/src/given/pages.rs",
        "//! Lab 1's.\npub fn zeroed() {}\n",
    );
    tree.write(
        "exercises/02-two/src/given/pages.rs",
        "//! Lab 2's.\n\npub fn zeroed() {}\n",
    );
    let failure = tree.only_failure(&["same code in two labs", "move it to support/"]);
    assert!(
        failure.contains("exercises/01-one/src/given/pages.rs"),
        "{failure}"
    );
    assert!(
        failure.contains("exercises/02-two/src/given/pages.rs"),
        "{failure}"
    );
    // Linting only another lab leaves the pair out.
    tree.write(
        "exercises/03-three/Cargo.toml",
        "[package]\nname = \"three\"\n",
    );
    assert_eq!(tree.failures(&["03-three"]), Vec::<String>::new());
}

#[test]
fn reaches_reads_literal_paths_only() {
    let text = "#[path = \"a.rs\"]\nmod a;\n// include!(\"no.rs\")\nconst S: &str = include_str!(\"s.txt\");\n\
                const C: &str = include_str!(concat!(env!(\"X\"), \"/y\"));\n";
    assert_eq!(reaches(text), vec![(1, "a.rs"), (4, "s.txt")]);
    assert_eq!(
        normalize(Path::new("/r/a/./b/../c.rs")),
        PathBuf::from("/r/a/c.rs")
    );
}
