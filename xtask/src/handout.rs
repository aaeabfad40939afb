//! `cargo xtask handout OUTDIR`: the tree a student receives.
//!
//! - the labs (`exercises/`, with their tests, benches and hints), `course/` (the students'
//!   commands: `progress`, `hint`, `watch`) and `support/` when the course has it (the labs'
//!   shared crate); never `xtask/` (grading, benchmarks, the book: the instructor's);
//! - the workspace files: Cargo.toml with the members in those directories (default members:
//!   the labs, so that `cargo test` runs the student's labs), Cargo.lock without the packages
//!   of the solutions and of xtask, `.cargo/config.toml` whose `xtask` alias runs `course`
//!   (students type `cargo xtask progress` as in the book), and a README written for students;
//! - the book's student edition, built (no solution code: `check` proves it), and with
//!   `--reference` the reference edition too, as `book/reference/`.
//!
//! Never in it: `solutions/`, `book/` sources, `.ci/`, `.git/`, build output. The top-level
//! entries are an allow-list, so a new directory stays out until someone decides otherwise.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::workspace;

mod manifest;

pub use manifest::{
    STUDENT_ALIAS, locked_packages, prune_lock, student_cargo_config, student_manifest,
};

/// Directories copied whole (minus build output and hidden entries), those the tree has:
/// `support/` is the labs' shared crate, where the course has one.
const DIRS: [&str; 3] = ["exercises", "course", "support"];
/// Top-level files copied as they are, when the tree has them.
const ROOT_FILES: [&str; 8] = [
    ".gitignore",
    "rust-toolchain",
    "rust-toolchain.toml",
    "rustfmt.toml",
    ".rustfmt.toml",
    "clippy.toml",
    "LICENSE-MIT",
    "LICENSE-APACHE",
];
/// Names never copied, at any depth: build output and caches.
const JUNK: [&str; 4] = ["target", "__pycache__", ".pytest_cache", "node_modules"];

/// The student README: a note, the instructor README's introduction, then the students' part.
const README_TEMPLATE: &str = include_str!("handout/README.md");

pub struct Options {
    /// Build the book's student edition and ship its HTML as `book/`.
    pub book: bool,
    /// Also ship the reference edition, with the solutions' code, as `book/reference/`.
    pub reference: bool,
    /// Update an existing handout in place.
    pub force: bool,
}

/// The instructor's tree has the solved labs in `solutions/`; the handout does not.
pub fn is_handout(root: &Path) -> bool {
    !root.join("solutions").is_dir()
}

/// Fails with a clear message when `command` runs in the student handout.
pub fn require_instructor_tree(root: &Path, command: &str) -> Result<()> {
    if is_handout(root) {
        bail!(
            "`cargo xtask {command}` needs the instructor's tree, with the solved labs in \
             solutions/; this is the student handout, which has none. Here, run \
             `cargo xtask progress` (where you stand), `cargo xtask hint <lab>` (a hint for \
             your next exercise) and `cargo xtask watch` (your exercise's tests on each save)"
        );
    }
    Ok(())
}

/// In the handout, the built book that replaces `cargo xtask book`.
pub fn built_book(root: &Path) -> Result<PathBuf> {
    let index = root.join("book/index.html");
    if !index.is_file() {
        bail!(
            "this is the student handout: it ships the book built, as book/index.html, but that \
             file is missing (the handout was made with --no-book); ask your instructor"
        );
    }
    Ok(index)
}

/// One file of the handout.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Copied from this path.
    Copy(PathBuf),
    /// Written with this text.
    Text(String),
}

/// Every file of the handout, by its path relative to the handout's root.
pub type Plan = BTreeMap<PathBuf, Content>;

/// The top-level directories of `DIRS` that the tree at `root` has.
pub fn shipped_dirs(root: &Path) -> Vec<&'static str> {
    DIRS.into_iter()
        .filter(|dir| root.join(dir).is_dir())
        .collect()
}

/// The handout's files, except the book (see `add_book`).
pub fn plan(root: &Path) -> Result<Plan> {
    let mut plan = Plan::new();
    let shipped = shipped_dirs(root);
    for dir in &shipped {
        for file in all_files(&root.join(dir))? {
            let relative = file.strip_prefix(root).expect("walked under root");
            plan.insert(relative.to_path_buf(), Content::Copy(file.clone()));
        }
    }
    for name in ROOT_FILES {
        let file = root.join(name);
        if file.is_file() {
            plan.insert(PathBuf::from(name), Content::Copy(file));
        }
    }
    let read =
        |name: &str| fs::read_to_string(root.join(name)).with_context(|| format!("reading {name}"));
    let is_crate = |dir: &str| root.join(dir).join("Cargo.toml").is_file();
    plan.insert(
        "Cargo.toml".into(),
        Content::Text(student_manifest(&read("Cargo.toml")?, &shipped, is_crate)?),
    );
    let config = root.join(".cargo/config.toml");
    let config = match config.is_file() {
        true => Some(read(".cargo/config.toml")?),
        false => None,
    };
    plan.insert(
        ".cargo/config.toml".into(),
        Content::Text(student_cargo_config(config.as_deref())?),
    );
    if root.join("Cargo.lock").is_file() {
        let kept = shipped_packages(&plan)?;
        plan.insert(
            "Cargo.lock".into(),
            Content::Text(prune_lock(&read("Cargo.lock")?, &kept)?),
        );
    }
    plan.insert(
        "README.md".into(),
        Content::Text(readme(&read("README.md")?)),
    );
    Ok(plan)
}

/// The packages of the crates the plan ships (every Cargo.toml copied into it): the local
/// packages of the handout's Cargo.lock.
fn shipped_packages(plan: &Plan) -> Result<BTreeSet<String>> {
    let mut packages = BTreeSet::new();
    for (relative, content) in plan {
        let Content::Copy(source) = content else {
            continue;
        };
        if relative
            .file_name()
            .is_some_and(|name| name == "Cargo.toml")
        {
            let dir = source.parent().expect("a file has a directory");
            packages.insert(workspace::read_crate(dir)?.package);
        }
    }
    Ok(packages)
}

/// Lets cargo finish the handout's Cargo.lock (written by `prune_lock`): resolving the workspace
/// offline, it drops the dependency edges only the instructor's packages' features needed, and
/// changes no version (the lock pins them, and offline nothing newer can be found).
pub fn settle_lock(out: &Path) -> Result<()> {
    if !out.join("Cargo.lock").is_file() {
        return Ok(());
    }
    let metadata = crate::cargo::output(
        crate::cargo::command(out)
            .args(["metadata", "--format-version", "1", "--offline"])
            .stdout(std::process::Stdio::null()),
    )?;
    if !metadata.status.success() {
        bail!(
            "cargo could not settle the handout's Cargo.lock in {} (`cargo metadata --offline`; \
             build the instructor's tree once, so that every locked crate is in cargo's cache):\n{}",
            out.display(),
            crate::cargo::cargo_error(&String::from_utf8_lossy(&metadata.stderr))
        );
    }
    Ok(())
}

/// Adds a built edition of the book (`book/build/<edition>/**`) under `under` in the handout.
pub fn add_book(plan: &mut Plan, build: &Path, under: &Path) -> Result<()> {
    for file in all_files(build)? {
        let relative = file.strip_prefix(build).expect("walked under build");
        plan.insert(under.join(relative), Content::Copy(file.clone()));
    }
    Ok(())
}

/// The student README: the note under the title, the introduction of `readme` (up to its
/// first `## ` section, the lab table included), then the template's sections for students.
pub fn readme(readme: &str) -> String {
    let (title, rest) = readme.split_once('\n').unwrap_or((readme, ""));
    let intro_end = rest.find("\n## ").map_or(rest.len(), |at| at + 1);
    let intro = rest[..intro_end].trim();
    let (note, sections) = README_TEMPLATE
        .split_once("<!-- INTRO -->")
        .expect("the README template has an <!-- INTRO --> marker");
    format!(
        "{title}\n\n{}\n\n{intro}\n\n{}\n",
        note.trim(),
        sections.trim()
    )
}

/// The paths of the files under `dir`, sorted, without build output or hidden entries. Any
/// entry that cannot be read is an error: a handout missing files must not look complete.
fn all_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0
                || !(name.starts_with('.')
                    || JUNK.contains(&name.as_ref())
                    || name.ends_with(".profraw"))
        });
    for entry in walk {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.file_type().is_file() {
            found.push(entry.into_path());
        }
    }
    found.sort();
    Ok(found)
}

/// What `sync` did.
#[derive(Debug, Default)]
pub struct Synced {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Makes `out` hold exactly `plan`: writes the files whose content differs (unchanged files keep
/// their modification time, so cargo does not rebuild them) and removes the others, except
/// `target/` (build output) and `.git/` (an instructor may push the handout to a repository).
pub fn sync(plan: &Plan, out: &Path) -> Result<Synced> {
    let mut synced = Synced::default();
    for (relative, content) in plan {
        let target = out.join(relative);
        let bytes = match content {
            Content::Copy(source) => {
                fs::read(source).with_context(|| format!("reading {}", source.display()))?
            }
            Content::Text(text) => text.clone().into_bytes(),
        };
        if fs::read(&target).is_ok_and(|existing| existing == bytes) {
            synced.unchanged += 1;
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&target, &bytes).with_context(|| format!("writing {}", target.display()))?;
        if let Content::Copy(source) = content {
            // Keep the executable bit of scripts.
            if let Ok(meta) = fs::metadata(source) {
                let _ = fs::set_permissions(&target, meta.permissions());
            }
        }
        synced.written += 1;
    }
    // Never through a symbolic link (walkdir does not follow them): a link to a directory is
    // removed, not emptied.
    let kept = |entry: &walkdir::DirEntry| {
        let relative = entry.path().strip_prefix(out).unwrap_or(entry.path());
        relative != Path::new("target") && relative != Path::new(".git")
    };
    for entry in walkdir::WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .filter_entry(kept)
    {
        let entry = entry.with_context(|| format!("reading {}", out.display()))?;
        let relative = entry.path().strip_prefix(out).unwrap_or(entry.path());
        if !entry.file_type().is_dir() && !plan.contains_key(relative) {
            fs::remove_file(entry.path())
                .with_context(|| format!("removing {}", entry.path().display()))?;
            synced.removed += 1;
        }
    }
    remove_empty_dirs(out)?;
    Ok(synced)
}

/// Removes the empty directories under `out` (a lab or the book that went away), deepest
/// first; `out` itself, `target/` and `.git/` stay.
fn remove_empty_dirs(out: &Path) -> Result<()> {
    let kept = |entry: &walkdir::DirEntry| {
        let relative = entry.path().strip_prefix(out).unwrap_or(entry.path());
        relative != Path::new("target") && relative != Path::new(".git")
    };
    let walk = walkdir::WalkDir::new(out).min_depth(1).contents_first(true);
    for entry in walk.into_iter().filter_entry(kept) {
        let entry = entry.with_context(|| format!("reading {}", out.display()))?;
        if entry.file_type().is_dir() {
            // Fails, as it should, when the directory is not empty.
            let _ = fs::remove_dir(entry.path());
        }
    }
    Ok(())
}

/// `cargo xtask handout OUTDIR`.
pub fn run(root: &Path, out: &Path, options: &Options) -> Result<()> {
    require_instructor_tree(root, "handout")?;
    let out = absolute(out)?;
    check_destination(root, &out, options.force)?;
    let mut plan = plan(root)?;
    let before = plan.len();
    if options.book {
        add_built_book(root, &mut plan, options.reference)?;
    }
    let book_files = plan.len() - before;
    let leaks = leaks(&plan);
    if !leaks.is_empty() {
        bail!(
            "the handout would contain solution material: {}",
            leaks.join(", ")
        );
    }
    let synced = sync(&plan, &out)?;
    settle_lock(&out)?;
    print_summary(root, &out, &plan, &synced, book_files, options.reference)
}

/// `out` may take the handout: outside the course, and empty or (with `force`) a handout made
/// earlier, whose contents are replaced.
fn check_destination(root: &Path, out: &Path, force: bool) -> Result<()> {
    if root.starts_with(out) || DIRS.iter().any(|dir| out.starts_with(root.join(dir))) {
        bail!(
            "{} would overwrite the course itself: pick a directory outside exercises/, course/ \
             and support/, e.g. dist/handout (ignored by git) or /tmp/handout",
            out.display()
        );
    }
    let non_empty = fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some());
    if !non_empty {
        return Ok(());
    }
    let looks_like_a_handout =
        out.join("Cargo.toml").is_file() && out.join("exercises").is_dir() && is_handout(out);
    match (force, looks_like_a_handout) {
        (false, _) => bail!(
            "{} is not empty: pass --force to update a handout made earlier (its files are \
             replaced, everything else in it is removed, except target/ and .git/)",
            out.display()
        ),
        (true, false) => bail!(
            "{} is not empty and does not look like a handout (Cargo.toml and exercises/, \
             no solutions/): refusing to replace its contents; pick another directory",
            out.display()
        ),
        (true, true) => Ok(()),
    }
}

/// Builds the student edition into the plan as book/, and the reference edition as
/// book/reference/ when asked.
fn add_built_book(root: &Path, plan: &mut Plan, reference: bool) -> Result<()> {
    use crate::book::{Edition, build_edition, ensure_tools};
    ensure_tools(root)?;
    let student = build_edition(root, Edition::Student)?;
    add_book(plan, student.parent().unwrap_or(root), Path::new("book"))?;
    if reference {
        let reference = build_edition(root, Edition::Reference)?;
        add_book(
            plan,
            reference.parent().unwrap_or(root),
            Path::new("book/reference"),
        )?;
    }
    Ok(())
}

/// What was written where, and how to try it.
fn print_summary(
    root: &Path,
    out: &Path,
    plan: &Plan,
    synced: &Synced,
    book_files: usize,
    reference: bool,
) -> Result<()> {
    let labs: Vec<String> = workspace::lab_dirs(root, "exercises")?;
    println!(
        "The student handout is in {}: {} files ({} written, {} unchanged, {} removed).",
        out.display(),
        plan.len(),
        synced.written,
        synced.unchanged,
        synced.removed
    );
    println!("  labs: {}", labs.join(", "));
    match book_files {
        0 => println!("  book: left out (--no-book)"),
        n if reference => println!(
            "  book: built HTML, {n} files: book/index.html (student edition) and \
             book/reference/index.html (reference edition, with the solutions)"
        ),
        n => println!("  book: the student edition, built HTML, {n} files: book/index.html"),
    }
    println!(
        "Try it: cd {} && cargo xtask progress && cargo test -p {}",
        out.display(),
        workspace::discover(root)?
            .first()
            .map_or("<lab>".to_string(), |lab| lab.stub.package.clone())
    );
    Ok(())
}

/// Paths of the plan that would leak the instructor's material: anything under a `solutions`
/// directory. (The student edition of the book is proven free of solution code by `check`;
/// the reference edition is only added on request.)
pub fn leaks(plan: &Plan) -> Vec<String> {
    plan.keys()
        .filter(|path| {
            path.components()
                .any(|c| matches!(c, Component::Normal(name) if name == "solutions"))
        })
        .map(|path| path.display().to_string())
        .collect()
}

fn absolute(path: &Path) -> Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    Ok(std::env::current_dir()
        .context("reading the current directory")?
        .join(path))
}

#[cfg(test)]
mod tests;
