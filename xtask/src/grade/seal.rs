//! The sealed build cache: the compiled dependencies, shared by every submission a worker
//! grades (and, hard-linked, by every worker), out of student code's reach.
//!
//! Student code runs with write access to the target directory (its build writes there), so
//! without a seal one submission's test could overwrite a dependency's `.rlib` and poison the
//! builds of every submission graded after it. After the warm-up, [`seal`] keeps only the
//! dependencies' artifacts (the lab crates' are removed: each submission builds its own) and
//! makes them root's and read-only, in folders with the sticky bit (like `/tmp`: the sandbox's
//! user may add files there, never change or remove root's). Before each build, [`reset`]
//! removes whatever is not root's: everything the previous submission's build and tests left.
//!
//! This needs the grader to be root, as on the grading machines (the sandbox then runs as an
//! unprivileged user); graded as any other user, the sandbox runs as that user and the cache
//! is not sealed (the instructors' chapter says so).

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

use super::listing::names;

/// Present (and root's) in a sealed target directory.
const MARK: &str = ".sealed";

pub fn is_sealed(target: &Path) -> bool {
    fs::symlink_metadata(target.join(MARK)).is_ok_and(|meta| meta.uid() == 0)
}

/// Seals `target`, whose lab crates' fingerprints are already forgotten: in each profile's
/// folder (`debug/`, maturin's `python/release/`), what a remaining fingerprint names is a
/// dependency, and only that is kept.
pub fn seal(target: &Path) -> Result<()> {
    let mut profiles: Vec<PathBuf> = Vec::new();
    for entry in WalkDir::new(target).max_depth(3) {
        let entry = entry?;
        if entry.file_name() == ".fingerprint"
            && entry.file_type().is_dir()
            && let Some(profile) = entry.path().parent()
        {
            profiles.push(profile.to_path_buf());
        }
    }
    for profile in &profiles {
        keep_dependencies(profile)?;
    }
    prune(target, &profiles)?;
    for entry in WalkDir::new(target).follow_links(false) {
        let entry = entry?;
        let path = entry.path();
        std::os::unix::fs::lchown(path, Some(0), Some(0))
            .with_context(|| format!("sealing {}", path.display()))?;
        let meta = entry.metadata()?;
        if meta.is_dir() {
            fs::set_permissions(path, fs::Permissions::from_mode(0o1777))?;
        } else if meta.is_file() {
            let mode = meta.permissions().mode() & 0o755;
            fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
        }
    }
    fs::write(
        target.join(MARK),
        "the dependencies' artifacts, read-only to student code\n",
    )?;
    fs::set_permissions(target.join(MARK), fs::Permissions::from_mode(0o644))?;
    Ok(())
}

/// In a profile's folder, keeps the dependencies' artifacts (their unit hash has a
/// fingerprint) and nothing else: not the lab crates', not their incremental state, not the
/// binaries and libraries cargo copies up, not the lock file.
fn keep_dependencies(profile: &Path) -> Result<()> {
    let units: BTreeSet<String> = names(&profile.join(".fingerprint"))?
        .iter()
        .filter_map(|name| unit_hash(name).map(str::to_owned))
        .collect();
    for folder in ["deps", "build"] {
        for name in names(&profile.join(folder))? {
            if !unit_hash(&name).is_some_and(|hash| units.contains(hash)) {
                remove(&profile.join(folder).join(name))?;
            }
        }
    }
    for name in names(profile)? {
        if !["deps", "build", ".fingerprint"].contains(&name.as_str()) {
            remove(&profile.join(name))?;
        }
    }
    Ok(())
}

/// Removes under `dir` what is neither on the way to a profile's folder nor cargo's own note
/// of the toolchain (`.rustc_info.json`, `CACHEDIR.TAG`).
fn prune(dir: &Path, profiles: &[PathBuf]) -> Result<()> {
    for name in names(dir)? {
        let path = dir.join(&name);
        if profiles.contains(&path) || name == ".rustc_info.json" || name == "CACHEDIR.TAG" {
            continue;
        }
        match profiles.iter().any(|profile| profile.starts_with(&path)) {
            true => prune(&path, profiles)?,
            false => remove(&path)?,
        }
    }
    Ok(())
}

/// Lifts the seal of `target` (if any), for a new warm-up to build in it.
pub fn unseal(target: &Path) -> Result<()> {
    match fs::remove_file(target.join(MARK)) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("unsealing {}", target.display()))
        }
        _ => Ok(()),
    }
}

/// Removes from a sealed `target` everything that is not root's: what the last build and its
/// tests made (whoever's code ran, it ran as the sandbox's user).
pub fn reset(target: &Path) -> Result<()> {
    let mut walk = WalkDir::new(target).follow_links(false).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry?;
        if entry.metadata()?.uid() != 0 {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            remove(entry.path())?;
        }
    }
    Ok(())
}

/// `<name>-<16 hex digits>[.ext]` → the hex digits: cargo's unit hash, the same in a unit's
/// fingerprint folder and in the names of its artifacts.
fn unit_hash(name: &str) -> Option<&str> {
    let stem = name.split('.').next()?;
    let (_, hash) = stem.rsplit_once('-')?;
    (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hash)
}

fn remove(path: &Path) -> Result<()> {
    let meta = fs::symlink_metadata(path)?;
    let removed = match meta.is_dir() {
        true => fs::remove_dir_all(path),
        false => fs::remove_file(path),
    };
    removed.with_context(|| format!("removing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_hashes_are_read_from_artifact_names() {
        assert_eq!(
            unit_hash("libndarray-0123456789abcdef.rlib"),
            Some("0123456789abcdef")
        );
        assert_eq!(
            unit_hash("build-script-build-0123456789abcdef"),
            Some("0123456789abcdef")
        );
        assert_eq!(unit_hash("taskgraph-mpi"), None);
        assert_eq!(unit_hash("strides-0123.d"), None);
    }
}
