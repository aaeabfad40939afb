//! The Python with NumPy that a few tests compare with (labs 3 and 4): `$NUMPY_PYTHON`, else
//! the repository's `.venv`. Where there is none, the test reports itself skipped, with how to
//! fill `.venv` on this system.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::platform::{skip, venv_install_here};

/// The Python that imports NumPy, checked by importing it. When there is none, prints the line
/// that marks the calling test skipped, with why and how to install the lab's `requirements`
/// (a pip file, from the repository's root), and returns None: the test returns at once,
/// before it runs any code of the exercise.
///
/// `let Some(python) = numpy_python("exercises/03-parallel/requirements.txt") else { return };`
pub fn numpy_python(requirements: &str) -> Option<PathBuf> {
    let how = format!(
        "{}, or set NUMPY_PYTHON to a Python that has NumPy",
        venv_install_here(requirements)
    );
    let python = match std::env::var_os("NUMPY_PYTHON") {
        Some(python) => PathBuf::from(python),
        None => {
            let venv = repository_venv().join("bin/python");
            if !venv.exists() {
                skip(format_args!(
                    "no .venv, so there is no NumPy to compare with: {how}"
                ));
                return None;
            }
            venv
        }
    };
    let imports = Command::new(&python).args(["-c", "import numpy"]).output();
    match imports {
        Ok(out) if out.status.success() => Some(python),
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let why = stderr.lines().last().unwrap_or("it failed");
            skip(format_args!(
                "{} cannot import numpy ({why}), so there is no NumPy to compare with: {how}",
                python.display()
            ));
            None
        }
        Err(error) => {
            skip(format_args!(
                "{} does not run ({error}), so there is no NumPy to compare with: {how}",
                python.display()
            ));
            None
        }
    }
}

/// `<repository>/.venv`: this crate is `<repository>/support`, in the instructor's tree, the
/// student handout and the grader's copies alike.
fn repository_venv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv")
}
