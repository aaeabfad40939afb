//! The `check` step "exercises are staged": exercise k's tests pass once exercises 1..k are
//! solved, whatever the state of the later ones. A student who did the first k exercises must
//! see them pass, never wait on a test that secretly needs exercise k + 2.
//!
//! The proof builds the handout's tree (no solutions; in `target/xtask/staging/ws/`) and, for
//! each lab and each k, writes the files of exercises 1..k (lab.toml `[exercise_files]`) from
//! `solutions/` (each with the solution's own submodule directory, if it has one), the others
//! from the stubs, then builds and runs exercise k's test file there. The last k, all files from
//! the solution, also proves that `[exercise_files]` names every file the solution needs.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cargo;
use crate::handout;
use crate::libtest::{self, Outcome};
use crate::report::Tally;
use crate::workspace::target_dir;
use crate::workspace::{self, Lab};

/// Where the staged trees are built: `ws/` and its own `target/`. Not the instructor's target
/// directory: cargo names a member's build after its path inside its workspace, and judges it
/// fresh by the mtimes of the files it was built from, so a staged `exercises/01-strides`
/// would reuse the instructor's stub build instead of compiling the solution's files.
pub fn dir(root: &Path) -> PathBuf {
    target_dir(root).join("xtask/staging")
}

/// Runs the step for `labs` (the instructor's labs `check` was asked about).
pub fn check(root: &Path, labs: &[Lab], timeout: Duration) -> Result<Tally> {
    let mut tally = Tally::default();
    let out = dir(root).join("ws");
    let target = dir(root).join("target");
    handout::sync(&handout::plan(root)?, &out)?;
    link_venv(root, &out)?;
    let staged_labs = workspace::discover(&out)?;
    for lab in labs {
        let Some(staged) = staged_labs.iter().find(|s| s.name == lab.name) else {
            continue;
        };
        if lab.meta.exercise_files.is_empty() {
            // The structure lint asks for the table; nothing to prove without it.
            continue;
        }
        // After the last k every exercise is solved: the tree the mutants are put into.
        let result = stage_lab(root, staged, &target, timeout, &mut tally)
            .and_then(|()| super::mutants::check(root, staged, &target, timeout, &mut tally));
        // Whatever happened, leave the stubs as the handout has them.
        restore(root, staged)?;
        result?;
    }
    Ok(tally)
}

fn stage_lab(
    root: &Path,
    lab: &Lab,
    target: &Path,
    timeout: Duration,
    tally: &mut Tally,
) -> Result<()> {
    let exercises = &lab.meta.exercises;
    for (k, exercise) in exercises.iter().enumerate() {
        for (j, other) in exercises.iter().enumerate() {
            let side = if j <= k { "solutions" } else { "exercises" };
            for file in lab.meta.exercise_files.get(other).into_iter().flatten() {
                let from = root.join(side).join(&lab.name).join(file);
                let to = lab.stub.dir.join(file);
                copy_if_changed(&from, &to)?;
                if side == "solutions" {
                    copy_module_dir(&from, &to)?;
                }
            }
        }
        let solved = format!(
            "exercises 1..{} solved ({})",
            k + 1,
            exercises[..=k].join(", ")
        );
        let build = build_test_file(lab, exercise, target)?;
        if !build.success {
            tally.fail(format!(
                "{}: with {solved} and the rest stubs, exercise `{exercise}`'s tests do not \
                 compile: list the files it needs under its exercise in exercises/{}/lab.toml \
                 [exercise_files]\n{}",
                lab.name,
                lab.name,
                build.first_error(&lab.stub.manifest())
            ));
            continue;
        }
        for exe in build
            .tests_of(&lab.stub.manifest())
            .iter()
            .filter(|exe| &exe.target == exercise)
        {
            for test in libtest::run_tests(exe, &lab.stub.dir, timeout)? {
                match &test.outcome {
                    Outcome::Passed => tally.pass(),
                    Outcome::Ignored(why) => tally.note(format!("ignored {}: {why}", test.id)),
                    Outcome::Failed { message, .. } => tally.fail(format!(
                        "{}: exercise `{exercise}` is not staged: with {solved} and the rest \
                         stubs, `{}` fails: {}\n  fix: a test may only need its own and earlier \
                         exercises: move it into the test file of the exercise whose code it \
                         needs, or list the file it needs under its exercise in \
                         exercises/{}/lab.toml [exercise_files]",
                        lab.name,
                        test.id,
                        crate::report::indent_after_first(message),
                        lab.name
                    )),
                }
            }
        }
    }
    Ok(())
}

/// Builds the staged lab's test file `test` (`cargo test --no-run --test TEST`) into the staging
/// target directory.
pub(super) fn build_test_file(lab: &Lab, test: &str, target: &Path) -> Result<cargo::Build> {
    let mut args = vec!["test".to_string(), "--no-run".to_string()];
    args.extend(lab.stub.cargo_args());
    args.extend(["--test".to_string(), test.to_string()]);
    args.extend(["--target-dir".to_string(), target.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cargo::build_json(&lab.stub.dir, &args)
}

/// The tests that compare with NumPy look for `<workspace>/.venv`, before they run the
/// exercise's code: a copy of the tree (staged, or the handout) shares the instructor's, so
/// they run there as they do in the instructor's tree.
pub(crate) fn link_venv(root: &Path, out: &Path) -> Result<()> {
    let venv = root.join(".venv");
    let link = out.join(".venv");
    if venv.is_dir() && fs::read_link(&link).ok().as_deref() != Some(venv.as_path()) {
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(&venv, &link)
            .with_context(|| format!("linking {} to {}", link.display(), venv.display()))?;
    }
    Ok(())
}

/// Puts the instructor's stubs back into the staged lab.
fn restore(root: &Path, lab: &Lab) -> Result<()> {
    for file in lab.meta.exercise_files.values().flatten() {
        copy_if_changed(
            &root.join("exercises").join(&lab.name).join(file),
            &lab.stub.dir.join(file),
        )?;
    }
    Ok(())
}

/// A solution's file may have submodules of its own that the stub lacks (`src/blocked.rs` and
/// `src/blocked/avx512.rs`, the reference's explicit AVX-512 tile): they belong to the file and
/// travel with it. A stub that does not declare them leaves them unused.
fn copy_module_dir(from: &Path, to: &Path) -> Result<()> {
    let (Some(from_dir), Some(to_dir)) = (module_dir(from), module_dir(to)) else {
        return Ok(());
    };
    if !from_dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&from_dir) {
        let entry = entry.with_context(|| format!("listing {}", from_dir.display()))?;
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&from_dir)?;
            copy_if_changed(entry.path(), &to_dir.join(relative))?;
        }
    }
    Ok(())
}

/// `src/blocked/` for `src/blocked.rs`; none for a file that is not a Rust module.
fn module_dir(file: &Path) -> Option<PathBuf> {
    (file.extension()? == "rs").then(|| file.with_extension(""))
}

/// Writes only when the content differs, so that cargo rebuilds only what changed.
fn copy_if_changed(from: &Path, to: &Path) -> Result<()> {
    let bytes = fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    if fs::read(to).ok().as_deref() != Some(bytes.as_slice()) {
        fs::create_dir_all(to.parent().unwrap_or(to))?;
        fs::write(to, bytes).with_context(|| format!("writing {}", to.display()))?;
    }
    Ok(())
}
