//! The structure lint's rules for hints, for one lab: every exercise has a hints file with at
//! least one well-formed hint, no hints file names an exercise that does not exist, and the
//! lab's chapter folds in each exercise's hints (so that the book and `cargo xtask hint` agree).

use std::fs;
use std::path::{Component, Path};

use super::file;
use crate::lint::rel;
use crate::report::Tally;
use crate::workspace::{self, rust_files};

pub fn check(root: &Path, lab: &str, tally: &mut Tally) {
    let stub_dir = root.join("exercises").join(lab);
    // A lab.toml that does not parse is reported by its own rule; the test files still tell
    // which exercises there are.
    let meta = workspace::read_lab_toml(&stub_dir.join("lab.toml")).ok();
    let mut exercises = meta
        .as_ref()
        .map(|meta| meta.exercises.clone())
        .unwrap_or_default();
    if exercises.is_empty() {
        exercises = rust_files(&stub_dir.join("tests"))
            .iter()
            .filter_map(|f| Some(f.file_stem()?.to_string_lossy().into_owned()))
            .collect();
    }
    let package = workspace::read_crate(&stub_dir).map_or(lab.to_string(), |c| c.package);
    let chapter = meta
        .as_ref()
        .map(|meta| Path::new("book/src").join(&meta.chapter))
        .filter(|chapter| root.join(chapter).is_file());

    for exercise in &exercises {
        let path = file::path(&stub_dir, exercise);
        let shown = rel(root, &path);
        if !path.is_file() {
            tally.fail(format!(
                "{shown} is missing: write 2 to 4 progressive hints for exercise `{exercise}`, from \
                 a nudge to nearly the answer (never the solution's code), each under a heading \
                 `{}N: a short title`; exercises/01-strides/hints/ has examples",
                file::HEADING
            ));
            continue;
        }
        match file::read(&path) {
            Ok(_) => tally.pass(),
            Err(why) => tally.fail(format!("{shown}: {why}")),
        }
        if let Some(chapter) = &chapter {
            let text = fs::read_to_string(root.join(chapter)).unwrap_or_default();
            let target = format!("exercises/{lab}/hints/{exercise}.md");
            let included = text
                .lines()
                .any(|line| line.contains("{{#include") && line.contains(&target));
            tally.check(included, || {
                format!(
                    "{} does not fold in the hints of `{exercise}`: add this block to the \
                     exercise's section, so that the book shows what `cargo xtask hint` shows:\n\n\
                     {}",
                    chapter.display(),
                    details_block(chapter, &target, &package, exercise)
                )
            });
        }
    }

    for path in files_with_extension(&stub_dir.join("hints"), "md") {
        let stem = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        tally.check(exercises.contains(&stem), || {
            format!(
                "{} names no exercise of lab {lab} (its exercises are: {}): name a hints file \
                 after the test file it helps with (tests/<exercise>.rs), or delete it",
                rel(root, &path),
                exercises.join(", ")
            )
        });
    }
}

/// The `<details>` block that folds a hints file into the chapter at `chapter` (relative to
/// the workspace root); `target` is the hints file, also relative to the root.
pub fn details_block(chapter: &Path, target: &str, package: &str, exercise: &str) -> String {
    let depth = chapter.parent().map_or(0, |dir| {
        dir.components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .count()
    });
    format!(
        "<details>\n<summary>Hints: <code>cargo xtask hint {package} {exercise}</code></summary>\n\n\
         {{{{#include {}{target}}}}}\n\n</details>",
        "../".repeat(depth)
    )
}

/// The files directly in `dir` with extension `ext`, sorted; none when `dir` is missing.
fn files_with_extension(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}
