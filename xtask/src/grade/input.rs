//! Submissions as given: a directory (a copy of the workspace, or just its `exercises/`), a git
//! repository (bare, or a `.git` directory), or a `.tar.gz`/`.tgz`/`.zip` archive. Each is
//! opened into a directory whose `exercises/NN-name/src/` the grader then takes.
//!
//! A directory is graded as it is on disk, `.git` or not (that is what `grade` with no argument
//! does with the current workspace); to grade a repository's last commit, give its `.git`.
//!
//! Every submission may be hostile: names are made safe (`names`), archives are unpacked here
//! under caps, their links recorded and never created (`archive`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::cargo::excerpt;
use crate::process::capture;

mod archive;
mod names;

pub use archive::{Caps, Link, unpack_zip};
pub use names::{Named, fnv1a, names};

/// How long cloning one submission may take.
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
    /// The links an archive held, never created: (where, relative to the unpack root, which
    /// is `scratch`; the target as the archive gives it). The caller refuses a lab whose
    /// `src/` is at, under or above one. Empty for directories and repositories, whose trees
    /// the caller checks itself.
    pub links: Vec<Link>,
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

/// Opens the submission at `path`, unpacking (within `caps`) or cloning into `scratch`
/// (emptied first) where needed, and finds its labs. `labs` are the course's lab directories.
pub fn open(
    path: &Path,
    kind: Kind,
    scratch: &Path,
    labs: &[String],
    caps: Caps,
) -> Result<Opened, String> {
    let (root, commit, links) = match kind {
        Kind::Directory => (path.to_path_buf(), None, Vec::new()),
        Kind::Git => {
            empty(scratch)?;
            let (clone, commit) = clone(path, scratch)?;
            (clone, commit, Vec::new())
        }
        Kind::TarGz => {
            empty(scratch)?;
            let links = archive::unpack_tar_gz(path, scratch, caps)?;
            (scratch.to_path_buf(), None, links)
        }
        Kind::Zip => {
            empty(scratch)?;
            let links = archive::unpack_zip(path, scratch, caps)?;
            (scratch.to_path_buf(), None, links)
        }
    };
    let exercises = find_exercises(&root, labs, 3)?.ok_or_else(|| {
        format!(
            "no exercises/ directory in it (nor a lab directory such as {})",
            labs.first().map(String::as_str).unwrap_or("01-name")
        )
    })?;
    Ok(Opened {
        exercises,
        commit,
        links,
    })
}

/// Makes `scratch` an empty directory.
fn empty(scratch: &Path) -> Result<(), String> {
    let _ = fs::remove_dir_all(scratch);
    fs::create_dir_all(scratch)
        .map_err(|error| format!("cannot create {}: {error}", scratch.display()))
}

/// Clones the repository at `path` into `scratch/clone` (its last commit only): where, and
/// the commit.
fn clone(path: &Path, scratch: &Path) -> Result<(PathBuf, Option<String>), String> {
    let absolute = fs::canonicalize(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
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
    let commit = run(head, "git rev-parse HEAD")
        .ok()
        .map(|out| out.trim().to_string());
    Ok((clone, commit))
}

/// Runs git, with a time limit; its stdout, or why it failed.
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
/// A folder that cannot be listed is an error: a folder left out could make another look like
/// the only one.
fn find_exercises(dir: &Path, labs: &[String], depth: usize) -> Result<Option<PathBuf>, String> {
    let exercises = dir.join("exercises");
    if exercises.is_dir() {
        return Ok(Some(exercises));
    }
    if labs.iter().any(|lab| dir.join(lab).is_dir()) {
        return Ok(Some(dir.to_path_buf()));
    }
    if depth == 0 {
        return Ok(None);
    }
    let unreadable = |error: std::io::Error| {
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        format!("its folder `{name}` cannot be read: {error}")
    };
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // The entry's own type: a link to a folder is not a folder.
        if entry.file_type().map_err(unreadable)?.is_dir()
            && !name.starts_with('.')
            && name != "__MACOSX"
        {
            folders.push(entry.path());
        }
    }
    match folders.as_slice() {
        [only] => find_exercises(only, labs, depth - 1),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_unpacks_an_archive_finds_its_labs_and_records_its_links() {
        use std::io::Write;

        let folder = tempfile::Builder::new()
            .prefix("xi-open-")
            .tempdir()
            .unwrap();
        let top = folder.path();
        let (tar_gz, zip) = (top.join("hand-in.tar.gz"), top.join("hand-in.zip"));
        let source = b"pub fn f() {}";

        let gz =
            flate2::write::GzEncoder::new(fs::File::create(&tar_gz).unwrap(), Default::default());
        let mut tar = tar::Builder::new(gz);
        let mut header = tar::Header::new_gnu();
        header.set_size(source.len() as u64);
        header.set_mode(0o644);
        tar.append_data(
            &mut header,
            "hand-in/exercises/01-a/src/lib.rs",
            &source[..],
        )
        .unwrap();
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        tar.append_link(&mut header, "hand-in/exercises/01-a/src/up", "/etc")
            .unwrap();
        tar.into_inner().unwrap().finish().unwrap();

        let mut writer = zip::ZipWriter::new(fs::File::create(&zip).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        writer
            .start_file("hand-in/exercises/01-a/src/lib.rs", options)
            .unwrap();
        writer.write_all(source).unwrap();
        writer
            .add_symlink("hand-in/exercises/01-a/src/up", "/etc", options)
            .unwrap();
        writer.finish().unwrap();

        let labs = ["01-a".to_string()];
        for (path, kind) in [(&tar_gz, Kind::TarGz), (&zip, Kind::Zip)] {
            assert_eq!(classify(path).unwrap(), kind);
            let scratch = top.join("scratch");
            let opened = open(path, kind, &scratch, &labs, Caps::DEFAULT).unwrap();
            assert_eq!(opened.exercises, scratch.join("hand-in/exercises"));
            let src = opened.exercises.join("01-a/src");
            assert_eq!(fs::read(src.join("lib.rs")).unwrap(), source);
            assert!(
                fs::symlink_metadata(src.join("up")).is_err(),
                "a link was made"
            );
            let link = PathBuf::from("hand-in/exercises/01-a/src/up");
            assert_eq!(opened.links, [(link, PathBuf::from("/etc"))]);

            let caps = Caps {
                max_entries: 1,
                ..Caps::DEFAULT
            };
            let why = open(path, kind, &scratch, &labs, caps).unwrap_err();
            assert!(why.contains("more than 1 entries"), "{why}");
        }
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
