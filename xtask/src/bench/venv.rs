//! The Python side's environment: `<root>/.venv` (git ignores it), with the lab's pinned
//! packages. Created and filled on first use; later runs only check the versions.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Asks the venv's Python which versions of the named packages it has (None: not installed).
const INSTALLED_VERSIONS: &str = "\
import json, sys
from importlib.metadata import PackageNotFoundError, version
found = {}
for name in sys.argv[1:]:
    try:
        found[name] = version(name)
    except PackageNotFoundError:
        found[name] = None
print(json.dumps(found))
";

/// `name==version` pins from a requirements file; comments and blank lines skipped. Anything
/// looser than `==` is refused: the measured table must say what it measured.
pub fn parse_pins(text: &str) -> Result<Vec<(String, String)>> {
    let mut pins = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let Some((name, version)) = line.split_once("==") else {
            bail!("`{line}`: pin an exact version, `name==version`");
        };
        pins.push((name.trim().to_string(), version.trim().to_string()));
    }
    Ok(pins)
}

/// The pins whose installed version differs, as `name==wanted (have X)`.
pub fn missing(
    pins: &[(String, String)],
    installed: &BTreeMap<String, Option<String>>,
) -> Vec<String> {
    pins.iter()
        .filter_map(
            |(name, wanted)| match installed.get(name).cloned().flatten() {
                Some(have) if &have == wanted => None,
                Some(have) => Some(format!("{name}=={wanted} (have {have})")),
                None => Some(format!("{name}=={wanted}")),
            },
        )
        .collect()
}

/// The venv's python, with every pin of `requirements` installed.
pub fn ensure(root: &Path, requirements: &Path) -> Result<PathBuf> {
    let venv = root.join(".venv");
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        println!(
            "Creating the Python environment {} (python3 -m venv) ...",
            venv.display()
        );
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv)).context(
            "the Python side needs python3 with its venv module (Debian: apt-get install \
             python3-venv)",
        )?;
    }
    let text = fs::read_to_string(requirements)
        .with_context(|| format!("reading {}", requirements.display()))?;
    let pins = parse_pins(&text).with_context(|| format!("in {}", requirements.display()))?;
    let wanted = missing(&pins, &installed(&python, &pins)?);
    if wanted.is_empty() {
        println!(
            "Python environment: .venv has the {} pinned packages",
            pins.len()
        );
        return Ok(python);
    }
    println!(
        "Installing {} into .venv with pip (about a minute the first time) ...",
        wanted.join(", ")
    );
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(requirements))
    .context("pip could not install the pinned packages")?;
    let still = missing(&pins, &installed(&python, &pins)?);
    if !still.is_empty() {
        bail!("after pip install, .venv still lacks {}", still.join(", "));
    }
    Ok(python)
}

fn installed(python: &Path, pins: &[(String, String)]) -> Result<BTreeMap<String, Option<String>>> {
    let out = Command::new(python)
        .arg("-c")
        .arg(INSTALLED_VERSIONS)
        .args(pins.iter().map(|(name, _)| name))
        .output()
        .with_context(|| format!("could not run {}", python.display()))?;
    if !out.status.success() {
        bail!(
            "{} could not list its packages: {}",
            python.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    serde_json::from_slice(&out.stdout).context("reading the installed versions")
}

/// Runs a command with its output shown (pip's errors, venv's complaints).
fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("could not start {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}
