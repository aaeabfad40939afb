//! The structure lint: both crates of a lab run the same tests, every lab has its chapter,
//! every exercise its hints, every book include resolves to an anchor, no `#[ignore]` without
//! a reason.

use std::fs;
use std::path::{Path, PathBuf};

use crate::report::Tally;
use crate::workspace::{self, rust_files};

mod exercise_files;
mod hints;
mod includes;
mod pages;
mod sharing;
mod speed;
pub use course::workspace::rel;
pub use includes::check_includes;

/// Lints the labs named in `only` (all when empty) plus the workspace-wide rules.
pub fn lint(root: &Path, only: &[String]) -> Tally {
    let mut tally = Tally::default();
    let exercises = listed(&mut tally, workspace::lab_dirs(root, "exercises"));
    let solutions = listed(&mut tally, workspace::lab_dirs(root, "solutions"));
    let wanted = |name: &String| only.is_empty() || only.contains(name);
    for name in exercises.iter().filter(|name| wanted(name)) {
        tally.check(solutions.contains(name), || {
            format!(
                "solutions/{name} is missing: every lab needs its solved twin, with a shim in \
                 solutions/{name}/tests/ for each exercises/{name}/tests/*.rs"
            )
        });
    }
    for name in solutions.iter().filter(|name| wanted(name)) {
        tally.check(exercises.contains(name), || {
            format!(
                "exercises/{name} is missing: write the student version of solutions/{name} \
                 (stubs and the shared tests), or remove the solution"
            )
        });
        if exercises.contains(name) {
            lint_lab(root, name, &mut tally);
        }
    }
    for side in ["exercises", "solutions"] {
        for name in listed(&mut tally, workspace::lab_dirs(root, side))
            .iter()
            .filter(|name| wanted(name))
        {
            check_ignores(root, &root.join(side).join(name), &mut tally);
        }
    }
    sharing::check(root, only, &mut tally);
    tally.absorb(check_includes(root));
    tally
}

fn lint_lab(root: &Path, name: &str, tally: &mut Tally) {
    let stub_dir = root.join("exercises").join(name);
    let (stub, solution) = match (
        workspace::read_crate(&stub_dir),
        workspace::read_crate(&root.join("solutions").join(name)),
    ) {
        (Ok(stub), Ok(solution)) => (stub, solution),
        (Err(error), _) | (_, Err(error)) => {
            return tally.fail(format!("{error:#}: fix the lab's Cargo.toml"));
        }
    };
    let shims = Shims {
        root,
        lab: name,
        line_1: format!("extern crate {} as {};", solution.lib, stub.lib),
    };
    for kind in [Kind::Tests, Kind::Benches] {
        for test in listed(tally, rust_files(&stub_dir.join(kind.dir()))) {
            let shim = solution.dir.join(kind.dir()).join(file_name(&test));
            tally.check(shim.is_file(), || {
                format!(
                    "missing shim {}: the solution does not run the shared {}; create it with:\n{}",
                    rel(root, &shim),
                    rel(root, &test),
                    shims.expected(kind, &file_name(&test)).join("\n")
                )
            });
        }
        for shim in listed(tally, rust_files(&solution.dir.join(kind.dir()))) {
            shims.check(kind, &shim, tally);
        }
    }
    check_lab_toml(root, name, tally);
    hints::check(root, name, tally);
}

fn check_lab_toml(root: &Path, name: &str, tally: &mut Tally) {
    let path = root.join("exercises").join(name).join("lab.toml");
    let meta = match workspace::read_lab_toml(&path) {
        Ok(meta) => meta,
        Err(error) => {
            return tally.fail(format!(
                "{error:#}: every lab needs exercises/{name}/lab.toml with `title` and `chapter`"
            ));
        }
    };
    let chapter = root.join("book/src").join(&meta.chapter);
    tally.check(chapter.is_file(), || {
        format!(
            "exercises/{name}/lab.toml: chapter `{}` does not exist under book/src: write it or fix `chapter`",
            meta.chapter
        )
    });
    if let Some(summary) = read_or_fail(tally, root, &root.join("book/src/SUMMARY.md")) {
        let linked = pages::summary_links(&summary).contains(&meta.chapter);
        tally.check(linked, || {
            format!(
                "book/src/SUMMARY.md does not link {}: add `- [{}]({})` under `# Labs`",
                meta.chapter, meta.title, meta.chapter
            )
        });
    }
    pages::check(root, name, &meta, tally);
    exercise_files::check(root, name, &meta, tally);
    speed::check(root, name, &meta, tally);
    if !meta.exercises.is_empty() {
        let tests = rust_files(&root.join("exercises").join(name).join("tests"));
        let files: Vec<String> = listed(tally, tests)
            .iter()
            .filter_map(|file| Some(file.file_stem()?.to_string_lossy().into_owned()))
            .collect();
        let mut listed = meta.exercises.clone();
        listed.sort();
        tally.check(listed == files, || {
            format!(
                "exercises/{name}/lab.toml: `exercises` must list each tests/*.rs stem once, in \
                 the order students do them; the test files are: {}",
                files.join(", ")
            )
        });
    }
    if let Some(python) = &meta.python {
        // `progress` runs the Python exercise's test files in this order: a name that matches
        // no file would silently fall back to the alphabet.
        let tests = root
            .join("exercises")
            .join(name)
            .join(&python.dir)
            .join("tests");
        for stem in &python.tests {
            tally.check(tests.join(format!("{stem}.py")).is_file(), || {
                format!(
                    "exercises/{name}/lab.toml: [python] tests names `{stem}`, but \
                     exercises/{name}/{}/tests/{stem}.py does not exist",
                    python.dir
                )
            });
        }
    }
    for (id, reason) in &meta.stub_passes {
        tally.check(!reason.trim().is_empty(), || {
            format!(
                "exercises/{name}/lab.toml: [stub_passes] `{id}` has no reason: write why this \
                 test must pass on the unfinished stub"
            )
        });
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Tests,
    Benches,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Tests => "tests",
            Kind::Benches => "benches",
        }
    }
}

/// What a lab's solution shims must say: the solution's lib under the stub's name, then the
/// shared file (`#[path]` module for tests, `include!` for benches, whose `main` must be at the root).
struct Shims<'a> {
    root: &'a Path,
    lab: &'a str,
    line_1: String,
}

impl Shims<'_> {
    fn expected(&self, kind: Kind, file: &str) -> Vec<String> {
        let shared = format!("../../../exercises/{}/{}/{file}", self.lab, kind.dir());
        match kind {
            Kind::Tests => vec![
                self.line_1.clone(),
                format!("#[path = \"{shared}\"]"),
                "mod shared;".into(),
            ],
            Kind::Benches => vec![self.line_1.clone(), format!("include!(\"{shared}\");")],
        }
    }

    fn check(&self, kind: Kind, shim: &Path, tally: &mut Tally) {
        let file = file_name(shim);
        let expected = self.expected(kind, &file);
        let Some(text) = read_or_fail(tally, self.root, shim) else {
            return;
        };
        // Comments and blank lines are free; the code lines must be exactly the shim.
        let code: Vec<String> = text
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .collect();
        let shim_name = rel(self.root, shim);
        let shared = self
            .root
            .join("exercises")
            .join(self.lab)
            .join(kind.dir())
            .join(&file);
        let why = if !code.iter().any(|line| line == &expected[0]) {
            format!(
                "{shim_name} must start with `{}`: the solution's lib under the stub's name, so the \
                 shared `use` lines compile against the solution",
                expected[0]
            )
        } else if code != expected {
            format!(
                "{shim_name} must be exactly the shim below, pointing at the shared file of the \
                 same name (tests belong in {}, shared by both crates):\n{}",
                rel(self.root, &shared),
                expected.join("\n")
            )
        } else if !shared.is_file() {
            format!(
                "{shim_name} points at {}, which does not exist: delete the shim or restore the file",
                rel(self.root, &shared)
            )
        } else {
            return tally.pass();
        };
        tally.fail(why);
    }
}

/// `#[ignore]` is for hardware only, and then says so: `#[ignore = "needs a CUDA GPU"]`.
fn check_ignores(root: &Path, dir: &Path, tally: &mut Tally) {
    for file in listed(tally, rust_files_under(dir)) {
        let Some(text) = read_or_fail(tally, root, &file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for (at, _) in code.match_indices("#[ignore") {
                let rest = code[at + "#[ignore".len()..].trim_start();
                tally.check(rest.starts_with('='), || {
                    format!(
                        "{}:{}: `#[ignore]` without a reason: write `#[ignore = \"needs a CUDA GPU\"]` \
                         for missing hardware, or remove it (no #[ignore] for pedagogy)",
                        rel(root, &file),
                        number + 1
                    )
                });
            }
        }
    }
}

/// Every `.rs` file under `dir`, skipping build output; see [`files_where`].
pub fn rust_files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    files_under(dir, "rs")
}

/// Every file with extension `ext` under `dir`; see [`files_where`].
pub fn files_under(dir: &Path, ext: &str) -> anyhow::Result<Vec<PathBuf>> {
    files_with_extensions(dir, &[ext])
}

/// Every file with one of `exts` under `dir`, in one walk; see [`files_where`].
pub fn files_with_extensions(dir: &Path, exts: &[&str]) -> anyhow::Result<Vec<PathBuf>> {
    files_where(dir, |path| {
        path.extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| exts.contains(&ext))
    })
}

/// Every file under `dir` that `keep` accepts, sorted, skipping `target` and hidden directories
/// (links followed, as a plain walk of the tree would). A missing `dir` has none; an entry that
/// cannot be read (an unreadable folder, a dangling link, a loop of links) is an error naming
/// it: a lint or a scan that skipped it would pass on files it never read.
pub fn files_where(dir: &Path, keep: impl Fn(&Path) -> bool) -> anyhow::Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0
                || !entry.file_type().is_dir()
                || (name != "target" && !name.starts_with('.'))
        });
    let mut found = Vec::new();
    for entry in walk {
        // walkdir's message names the entry and its cause already; as a source, the cause
        // would be said twice.
        let entry = entry.map_err(|error| anyhow::anyhow!("walking {}: {error}", dir.display()))?;
        if !entry.file_type().is_dir() && keep(entry.path()) {
            found.push(entry.into_path());
        }
    }
    found.sort();
    Ok(found)
}

/// The text of `path`, or none and a failure naming it (relative to `root`): an unreadable
/// file is never checked as if it were empty.
pub fn read_or_fail(tally: &mut Tally, root: &Path, path: &Path) -> Option<String> {
    fs::read_to_string(path)
        .map_err(|error| tally.fail(format!("{} cannot be read: {error}", rel(root, path))))
        .ok()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// A listing of files or directories, or none and a failure saying why it could not be read.
fn listed<T>(tally: &mut Tally, listing: anyhow::Result<Vec<T>>) -> Vec<T> {
    listing.unwrap_or_else(|error| {
        tally.fail(format!("{error:#}"));
        Vec::new()
    })
}

#[cfg(test)]
mod tests;
