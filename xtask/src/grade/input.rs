//! Submissions as given: a directory (a copy of the workspace, or just its `exercises/`), a git
//! repository (bare, or a `.git` directory), or a `.tar.gz`/`.tgz`/`.zip` archive. Each is
//! opened into a directory whose `exercises/NN-name/src/` the grader then takes.
//!
//! A directory is graded as it is on disk, `.git` or not (that is what `grade` with no argument
//! does with the current workspace); to grade a repository's last commit, give its `.git`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::cargo::excerpt;
use crate::process::capture;

/// How long unpacking or cloning one submission may take.
const OPEN_LIMIT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Directory,
    Git,
    TarGz,
    Zip,
}

/// A submission opened: where its labs are.
#[derive(Debug)]
pub struct Opened {
    /// The directory holding the lab directories (`exercises/` or what stands for it).
    pub exercises: PathBuf,
    pub commit: Option<String>,
}

/// What `path` is, or why it cannot be graded.
pub fn classify(path: &Path) -> Result<Kind, String> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let metadata = fs::metadata(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => format!("{} does not exist", path.display()),
        _ => format!("cannot read {}: {error}", path.display()),
    })?;
    if metadata.is_dir() {
        let bare = ["HEAD", "objects", "refs"]
            .iter()
            .all(|part| path.join(part).exists());
        return Ok(if bare { Kind::Git } else { Kind::Directory });
    }
    let lower = name.to_lowercase();
    if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
        Ok(Kind::TarGz)
    } else if lower.ends_with(".zip") {
        Ok(Kind::Zip)
    } else {
        Err(format!(
            "{name} is not a directory, a git repository, or a .tar.gz/.zip archive"
        ))
    }
}

/// Names for the gradebook and the feedback files: from each path's last component (an
/// archive's without its extension, `exercises` or `.git` by their parent's), made
/// filesystem-safe, and unique (`-2`, `-3`, ... on repeats).
pub fn names(paths: &[PathBuf]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    paths
        .iter()
        .map(|path| {
            let base = safe(&base_name(path));
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.to_lowercase()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            name
        })
        .collect()
}

fn base_name(path: &Path) -> String {
    let path = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut parts = path
        .iter()
        .rev()
        .map(|part| part.to_string_lossy().into_owned());
    let mut name = parts.next().unwrap_or_default();
    if name == ".git" || name == "exercises" {
        name = parts.next().unwrap_or(name);
    }
    for suffix in [".tar.gz", ".tgz", ".zip", ".git"] {
        let cut = name.len().saturating_sub(suffix.len());
        if name.len() > suffix.len() && name[cut..].eq_ignore_ascii_case(suffix) {
            name.truncate(cut);
            break;
        }
    }
    name
}

/// Letters, digits, `.`, `_` and `-`; anything else becomes `_`.
fn safe(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| match c.is_ascii_alphanumeric() || "._-".contains(c) {
            true => c,
            false => '_',
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    match safe.is_empty() {
        true => "submission".into(),
        false => safe.into(),
    }
}

/// Opens the submission at `path`, unpacking or cloning into `scratch` (emptied first) where
/// needed, and finds its labs. `labs` are the course's lab directories.
pub fn open(path: &Path, kind: Kind, scratch: &Path, labs: &[String]) -> Result<Opened, String> {
    let mut commit = None;
    let root = match kind {
        Kind::Directory => path.to_path_buf(),
        Kind::Git | Kind::TarGz | Kind::Zip => {
            let _ = fs::remove_dir_all(scratch);
            fs::create_dir_all(scratch)
                .map_err(|error| format!("cannot create {}: {error}", scratch.display()))?;
            let absolute = fs::canonicalize(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            match kind {
                Kind::Git => {
                    let clone = scratch.join("clone");
                    let mut git = Command::new("git");
                    git.arg("clone")
                        .args(["--quiet", "--depth", "1", "--no-tags"])
                        .arg(format!("file://{}", absolute.display()))
                        .arg(&clone)
                        .env("GIT_TERMINAL_PROMPT", "0");
                    run(git, "git clone")?;
                    let mut head = Command::new("git");
                    head.arg("-C").arg(&clone).args(["rev-parse", "HEAD"]);
                    commit = run(head, "git rev-parse HEAD")
                        .ok()
                        .map(|out| out.trim().to_string());
                    clone
                }
                Kind::TarGz => {
                    let mut tar = Command::new("tar");
                    tar.arg("-xzf")
                        .arg(&absolute)
                        .arg("-C")
                        .arg(scratch)
                        .arg("--no-same-owner");
                    run(tar, "tar")?;
                    scratch.to_path_buf()
                }
                Kind::Zip => {
                    // Python's zipfile strips absolute paths and `..` and writes no symlinks;
                    // the course needs Python anyway (the comparisons with the original).
                    let mut python = Command::new("python3");
                    python
                        .args(["-m", "zipfile", "-e"])
                        .arg(&absolute)
                        .arg(scratch);
                    run(python, "python3 -m zipfile")?;
                    scratch.to_path_buf()
                }
                Kind::Directory => unreachable!(),
            }
        }
    };
    let exercises = find_exercises(&root, labs, 3).ok_or_else(|| {
        format!(
            "no exercises/ directory in it (nor a lab directory such as {})",
            labs.first().map(String::as_str).unwrap_or("01-name")
        )
    })?;
    Ok(Opened { exercises, commit })
}

/// Runs a tool to unpack or clone, with a time limit; its stdout, or why it failed.
fn run(command: Command, what: &str) -> Result<String, String> {
    let out = capture(command, OPEN_LIMIT).map_err(|error| format!("{error:#}"))?;
    match out.status {
        Some(status) if status.success() => Ok(out.stdout),
        Some(status) => Err(format!(
            "{what} failed ({status}): {}",
            excerpt(out.stderr.trim(), 5)
        )),
        None => Err(format!(
            "{what} did not finish within {} s",
            OPEN_LIMIT.as_secs()
        )),
    }
}

/// The directory with the labs: `dir/exercises`, or `dir` itself when it holds lab
/// directories, or the same in the only folder inside (archives often wrap everything in one).
fn find_exercises(dir: &Path, labs: &[String], depth: usize) -> Option<PathBuf> {
    let exercises = dir.join("exercises");
    if exercises.is_dir() {
        return Some(exercises);
    }
    if labs.iter().any(|lab| dir.join(lab).is_dir()) {
        return Some(dir.to_path_buf());
    }
    if depth == 0 {
        return None;
    }
    let folders: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            !name.starts_with('.') && name != "__MACOSX"
        })
        .map(|entry| entry.path())
        .collect();
    match folders.as_slice() {
        [only] => find_exercises(only, labs, depth - 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_unique_and_say_who() {
        let paths: Vec<PathBuf> = [
            "/nowhere/alice.tar.gz",
            "/nowhere/x/Alice.zip",
            "/nowhere/bob/exercises",
            "/nowhere/carol/.git",
            "/nowhere/dave.git",
            "/nowhere/Émile O'Brien",
            "/nowhere/.hidden",
            "/nowhere/alice",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(
            names(&paths),
            [
                "alice",
                "Alice-2",
                "bob",
                "carol",
                "dave",
                "_mile_O_Brien",
                "hidden",
                "alice-3"
            ]
        );
    }

    #[test]
    fn classify_says_why_it_cannot_grade() {
        let missing = classify(Path::new("/nowhere/at/all")).unwrap_err();
        assert!(missing.contains("does not exist"), "{missing}");
        let file = std::env::current_exe().unwrap();
        let error = classify(&file).unwrap_err();
        assert!(error.contains("not a directory"), "{error}");
        assert_eq!(classify(Path::new(".")).unwrap(), Kind::Directory);
    }
}
