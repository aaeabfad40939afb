//! The structure lint's rules for hints, for one lab: every exercise has a hints file with at
//! least one well-formed hint, no hints file names an exercise that does not exist, each
//! exercise's page folds its hints in (`{{#hints EXERCISE}}`, so that the book and
//! `cargo xtask hint` agree), and no hint gives the solution away: none shares a run of
//! [`MAX_SHARED_TOKENS`] tokens with the solution's own code (what the stub does not have).

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::book::leaks::trimmed_lines;
use crate::hint::file;
use crate::lint::{files_with_extensions, read_or_fail, rel};
use crate::report::Tally;
use crate::workspace::{self, LabToml, files_in};

/// A hint may quote the stub, name APIs and spell out a step in words; a run this long of the
/// solution's own tokens (identifiers, numbers, punctuation; whitespace and backticks aside) is
/// a line of its code.
pub const MAX_SHARED_TOKENS: usize = 12;

/// Lints the hints of lab `lab`: each exercise's file, its page's fold, stray files.
pub fn check(root: &Path, lab: &str, tally: &mut Tally) {
    let stub_dir = root.join("exercises").join(lab);
    // A lab.toml that does not parse is reported by its own rule; the test files still tell
    // which exercises there are.
    let meta = workspace::read_lab_toml(&stub_dir.join("lab.toml")).ok();
    let exercises = exercises_of(&stub_dir, meta.as_ref(), tally);
    let pages = meta.as_ref().and_then(|meta| pages_dir(root, meta));
    let solution = SolutionRuns::of(root, lab).unwrap_or_else(|error| {
        tally.fail(format!(
            "{error:#}: the solution of lab {lab} cannot be read to compare its hints with"
        ));
        SolutionRuns::default()
    });
    for exercise in &exercises {
        // An exercise without hints fails once, not again for its page not folding them in.
        let has_hints = file::path(&stub_dir, exercise).is_file();
        check_hints_file(root, &stub_dir, exercise, &solution, tally);
        if let (true, Some(pages)) = (has_hints, &pages) {
            check_page_folds_hints(root, pages, exercise, tally);
        }
    }
    check_no_stray_hints(root, &stub_dir, lab, &exercises, tally);
}

/// The lab's exercises: lab.toml's list, or else the stems of its test files; then its
/// Python exercise, if it has one.
fn exercises_of(stub_dir: &Path, meta: Option<&LabToml>, tally: &mut Tally) -> Vec<String> {
    super::listed(
        tally,
        workspace::exercises_of(meta, &stub_dir.join("tests")),
    )
}

/// Where the lab's pages are, relative to the root: beside its landing page (lab.toml
/// `chapter`, `labs/<lab>/index.md`); none when that folder does not exist.
fn pages_dir(root: &Path, meta: &LabToml) -> Option<PathBuf> {
    Path::new("book/src")
        .join(&meta.chapter)
        .parent()
        .map(Path::to_path_buf)
        .filter(|dir| root.join(dir).is_dir())
}

/// An exercise's hints file exists, reads as hints, and gives none of the solution away.
fn check_hints_file(
    root: &Path,
    stub_dir: &Path,
    exercise: &str,
    solution: &SolutionRuns,
    tally: &mut Tally,
) {
    let path = file::path(stub_dir, exercise);
    let shown = rel(root, &path);
    if !path.is_file() {
        return tally.fail(format!(
            "{shown} is missing: write 2 to 4 progressive hints for exercise `{exercise}`, from \
             a nudge to nearly the answer (never the solution's code), each under a heading \
             `{}N: a short title`; exercises/01-strides/hints/ has examples",
            file::HEADING
        ));
    }
    let hints = match file::read(&path) {
        Ok(hints) => hints,
        Err(why) => return tally.fail(format!("{shown}: {why}")),
    };
    tally.pass();
    for hint in &hints {
        let shared = solution.longest_shared(&format!("{}\n{}", hint.title, hint.body));
        tally.check(shared.is_none(), || {
            format!(
                "{shown}: hint {} gives the solution away: it shares a run of {} or \
                 more tokens with the solution's code: `{}`. Say the step in words, \
                 name the API, quote the stub's signature; never the solution's lines",
                hint.number,
                MAX_SHARED_TOKENS,
                shared.unwrap_or_default()
            )
        });
    }
}

/// The exercise's page (in `pages`, relative to the root) folds its hints in. A missing page
/// is the pages rule's failure.
fn check_page_folds_hints(root: &Path, pages: &Path, exercise: &str, tally: &mut Tally) {
    let page = pages.join(format!("{exercise}.md"));
    if !root.join(&page).is_file() {
        return;
    }
    let Some(text) = read_or_fail(tally, root, &root.join(&page)) else {
        return;
    };
    let directive = format!("{{{{#hints {exercise}}}}}");
    let folded = text.lines().any(|line| line.trim() == directive);
    tally.check(folded, || {
        format!(
            "{} does not fold in the hints of `{exercise}`: add `{directive}` on a line of \
             its own, so that the book shows them one per fold, as `cargo xtask hint` does",
            page.display()
        )
    });
}

/// Every hints file is named after an exercise of the lab.
fn check_no_stray_hints(
    root: &Path,
    stub_dir: &Path,
    lab: &str,
    exercises: &[String],
    tally: &mut Tally,
) {
    for path in super::listed(tally, files_in(&stub_dir.join("hints"), "md")) {
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

/// The solution's own code of a lab as runs of tokens, to compare hints with.
#[derive(Default)]
pub struct SolutionRuns {
    /// Every window of [`MAX_SHARED_TOKENS`] consecutive solution-only tokens, joined by spaces.
    windows: HashSet<String>,
}

impl SolutionRuns {
    /// From `solutions/<lab>/src`: the lines the lab's exercise crate does not also have,
    /// comments aside; a line the stub has too breaks a run (quoting the stub is fine). A file
    /// of either crate that cannot be read is an error naming it.
    pub fn of(root: &Path, lab: &str) -> anyhow::Result<SolutionRuns> {
        let known = trimmed_lines(&source_files(&root.join("exercises").join(lab))?)?;
        let mut windows = HashSet::new();
        for file in source_files(&root.join("solutions").join(lab).join("src"))? {
            let text =
                fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let mut run: Vec<String> = Vec::new();
            for line in text.lines().map(str::trim) {
                let comment = ["//", "/*", "*", "!"].iter().any(|c| line.starts_with(c));
                if comment || line.is_empty() || known.contains(line) {
                    add_windows(&mut windows, &run);
                    run.clear();
                } else {
                    run.extend(tokens(line));
                }
            }
            add_windows(&mut windows, &run);
        }
        Ok(SolutionRuns { windows })
    }

    /// The first run of [`MAX_SHARED_TOKENS`] tokens of `text` that the solution's code has.
    pub fn longest_shared(&self, text: &str) -> Option<String> {
        let tokens = tokens(text);
        tokens
            .windows(MAX_SHARED_TOKENS)
            .map(|window| window.join(" "))
            .find(|window| self.windows.contains(window))
    }
}

fn add_windows(windows: &mut HashSet<String>, run: &[String]) {
    for window in run.windows(MAX_SHARED_TOKENS) {
        windows.insert(window.join(" "));
    }
}

/// Identifiers and numbers as words, every other visible character alone; backticks (Markdown
/// code spans) and whitespace are not tokens.
pub fn tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        if !c.is_whitespace() && c != '`' {
            tokens.push(c.to_string());
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

/// Source files of a crate in the languages the labs use.
fn source_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    files_with_extensions(dir, &["rs", "cu", "c", "h", "f90"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_words_and_punctuation_without_backticks() {
        assert_eq!(
            tokens("`offset + s*(n - 1)`"),
            ["offset", "+", "s", "*", "(", "n", "-", "1", ")"]
        );
    }
}
