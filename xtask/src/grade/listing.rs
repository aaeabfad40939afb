//! Listing a folder the grader made or owns (a target directory, a venv, the wheels' folder):
//! an entry that cannot be read is an error, never an entry silently left out, which would
//! make a partial listing look whole (a seal that keeps too little, a calibration key that
//! misses a package).

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The entries of `dir`, none when it does not exist (cargo makes `build/` only when a crate
/// has a build script). Any other failure to list it, or to read one entry, is an error.
pub fn entries(dir: &Path) -> Result<Vec<fs::DirEntry>> {
    let listing = match fs::read_dir(dir) {
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        listing => listing.with_context(|| format!("listing {}", dir.display()))?,
    };
    listing
        .map(|entry| entry.with_context(|| format!("listing {}", dir.display())))
        .collect()
}

/// The names of the entries of `dir` (see [`entries`]), as text.
pub fn names(dir: &Path) -> Result<Vec<String>> {
    Ok(entries(dir)?
        .iter()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect())
}

/// The paths of the entries of `dir` (see [`entries`]).
pub fn paths(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(entries(dir)?.iter().map(fs::DirEntry::path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_is_empty_and_an_unlistable_one_an_error() {
        let folder = tempfile::Builder::new()
            .prefix("xtask-listing-")
            .tempdir()
            .unwrap();
        let dir = folder.path();
        fs::write(dir.join("a"), "").unwrap();
        fs::create_dir(dir.join("b")).unwrap();
        let mut names = names(dir).unwrap();
        names.sort();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(paths(&dir.join("b")).unwrap(), Vec::<PathBuf>::new());
        assert!(entries(&dir.join("missing")).unwrap().is_empty());
        // A file is not a folder: listing it fails, whoever runs the test (root too).
        let error = format!("{:#}", entries(&dir.join("a")).unwrap_err());
        assert!(error.contains("listing"), "{error}");
    }
}
