//! The student's side of the Python exercise's timing: the wheel their tests ran on, unpacked
//! into `bin/site`, and the course's own probe script (`<dir>/benches/<bench>.py`, from the
//! course's files, never the submission's) beside it, run by the course's Python with only
//! `bin/site` added to its path. The reference's side is the given kernel alone, a plain
//! executable (`kernel_alone`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::grade::course::Course;
use crate::grade::input;
use crate::grade::python::PythonPart;
use crate::workspace::SpeedToml;

/// The unpacked wheel's folder, inside `bin/`.
const SITE: &str = "site";

/// A staged module probe.
pub struct Module {
    python: PathBuf,
    script: PathBuf,
    site: PathBuf,
}

impl Module {
    /// `python <script>`, importing the student's module from `site` and nothing else new.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.python);
        command
            .arg(&self.script)
            .env("PYTHONPATH", &self.site)
            // `bin/` is read-only in the sandbox: no bytecode caches.
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("RUST_BACKTRACE", "0");
        command
    }
}

/// Empties `bin`, unpacks `wheel` into `bin/site` (as an archive from a submission is
/// unpacked: files and folders only, within the caps) and writes the course's script there.
pub fn stage(
    course: &Course,
    lab: &str,
    part: &PythonPart,
    speed: &SpeedToml,
    wheel: &Path,
    bin: &Path,
) -> Result<Module> {
    let Some(venv) = &course.venv else {
        bail!("the course has no .venv to run the Python probe with");
    };
    let rel = part
        .crate_dir(lab)
        .join("benches")
        .join(format!("{}.py", speed.bench));
    let Some(text) = course.files.get(&rel) else {
        bail!("the course has no {}", rel.display());
    };
    if bin.exists() {
        fs::remove_dir_all(bin).with_context(|| format!("emptying {}", bin.display()))?;
    }
    let site = bin.join(SITE);
    fs::create_dir_all(&site)?;
    input::unpack_zip(wheel, &site, input::Caps::DEFAULT)
        .map_err(|why| anyhow::anyhow!("unpacking your wheel: {why}"))?;
    let script = bin.join(format!("{}.py", speed.bench));
    fs::write(&script, text).with_context(|| format!("writing {}", script.display()))?;
    Ok(Module {
        python: venv.join("bin").join("python"),
        script,
        site,
    })
}
