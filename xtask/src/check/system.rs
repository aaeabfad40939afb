//! The Debian packages `cargo xtask check` needs, installed before anything else runs, so that
//! the README's two commands pass on a fresh Debian machine.
//!
//! The labs' tools come from their lab.toml (`[features.NAME]` and `[tools.NAME]`, `tool = "..."`,
//! whose Debian packages the course's table of tools gives: support/platform);
//! the instructor's own tools are listed here. As root, or with password-less sudo, `check`
//! installs what is missing with apt-get; otherwise it stops at the start and prints the one
//! command to run. Without dpkg (not Debian) it installs nothing: the lab's tools step then
//! names each missing tool.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::workspace::Lab;

/// The instructor's tools that no lab declares, each with why `check` needs it.
const COURSE_PACKAGES: [(&str, &str); 5] = [
    // Debian's python3 has no venv module of its own: `check` creates .venv with it.
    (
        "python3-venv",
        "creating .venv for the labs' Python packages",
    ),
    // `cargo xtask grade` runs student code in a bubblewrap sandbox, and strace witnesses how
    // each test process ended: the grader's own tests run both.
    ("bubblewrap", "the grader's sandbox"),
    ("strace", "the grader's witness of each test process"),
    // The browser step renders the built book in headless Chromium.
    ("chromium", "the book's layout check in a real browser"),
    // Lab 2's GEMM comparison loads OpenBLAS at run time (`bench --book`, `bench --compare`).
    (
        "libopenblas0-pthread",
        "lab 2's comparison of GEMM libraries",
    ),
];

/// A Debian package and why the course needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub why: String,
}

/// Every Debian package `check` needs for `labs`: the course's, then each lab's tools'.
pub fn needed(labs: &[Lab]) -> Vec<Package> {
    let mut packages: Vec<Package> = COURSE_PACKAGES
        .iter()
        .map(|(name, why)| Package {
            name: name.to_string(),
            why: why.to_string(),
        })
        .collect();
    for lab in labs {
        for (tool, system) in lab.meta.system_tools() {
            for name in system.debian_packages() {
                if !packages.iter().any(|known| known.name == *name) {
                    packages.push(Package {
                        name: name.to_string(),
                        why: format!("lab {}: {tool}", lab.name),
                    });
                }
            }
        }
    }
    packages
}

/// Installs the packages `labs` need that are missing, when this user can; otherwise an error
/// that gives the one command to run. Does nothing where dpkg is not (not Debian).
pub fn ensure(labs: &[Lab]) -> Result<()> {
    if !crate::workspace::on_path("dpkg-query") {
        println!(
            "check: not a Debian system (no dpkg-query): install the labs' tools yourself; \
             each lab's tools step names what is missing"
        );
        return Ok(());
    }
    let missing = missing(&needed(labs))?;
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|p| p.name.as_str()).collect();
    let listing: Vec<String> = missing
        .iter()
        .map(|p| format!("  {}: {}", p.name, p.why))
        .collect();
    let Some(sudo) = privilege() else {
        bail!(
            "check needs these Debian packages:\n{}\nrun, then check again:\n  sudo apt-get \
             install -y {}",
            listing.join("\n"),
            names.join(" ")
        );
    };
    println!("check: installing Debian packages:\n{}", listing.join("\n"));
    apt_get(sudo, &["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&names);
    apt_get(sudo, &install)?;
    let still = missing_names(&names)?;
    if !still.is_empty() {
        bail!(
            "apt-get ran, yet these packages are not installed: {}",
            still.join(" ")
        );
    }
    Ok(())
}

/// The packages of `packages` that dpkg does not list as installed.
fn missing(packages: &[Package]) -> Result<Vec<Package>> {
    let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
    let missing = missing_names(&names)?;
    Ok(packages
        .iter()
        .filter(|p| missing.contains(&p.name))
        .cloned()
        .collect())
}

/// Which of `names` are not installed, asking dpkg about all of them at once.
fn missing_names(names: &[&str]) -> Result<Vec<String>> {
    // Unknown packages make dpkg-query exit non-zero, yet it still prints the known ones.
    let output = Command::new("dpkg-query")
        .args(["--show", "--showformat=${Package} ${db:Status-Status}\\n"])
        .args(names)
        .output()
        .context("running dpkg-query")?;
    let listed = String::from_utf8_lossy(&output.stdout);
    Ok(names
        .iter()
        .filter(|name| !is_installed(&listed, name))
        .map(|name| name.to_string())
        .collect())
}

/// Whether dpkg-query's `<package> <status>` lines say `name` is installed.
fn is_installed(listed: &str, name: &str) -> bool {
    listed.lines().any(|line| {
        // Multi-arch packages are listed as `name:arch`.
        let mut words = line.split_whitespace();
        let package = words.next().unwrap_or("");
        let bare = package.split(':').next().unwrap_or("");
        bare == name && words.next() == Some("installed")
    })
}

/// How apt-get can run here: directly as root, through password-less sudo, or not at all.
#[derive(Debug, Clone, Copy)]
enum Sudo {
    No,
    Yes,
}

fn privilege() -> Option<Sudo> {
    if crate::grade::sandbox::user_id() == 0 {
        return Some(Sudo::No);
    }
    let sudo_works = Command::new("sudo")
        .args(["--non-interactive", "true"])
        .status()
        .is_ok_and(|status| status.success());
    sudo_works.then_some(Sudo::Yes)
}

fn apt_get(sudo: Sudo, args: &[&str]) -> Result<()> {
    let mut command = match sudo {
        Sudo::No => Command::new("apt-get"),
        Sudo::Yes => {
            let mut command = Command::new("sudo");
            command.args(["--non-interactive", "apt-get"]);
            command
        }
    };
    let status = command
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("running apt-get")?;
    if !status.success() {
        bail!("`apt-get {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_status_lines_are_read_per_package_and_architecture() {
        let listed = "gfortran installed\nlibfoo:amd64 installed\nbar not-installed\n";
        assert!(is_installed(listed, "gfortran"));
        assert!(is_installed(listed, "libfoo"));
        assert!(!is_installed(listed, "bar"), "listed but not installed");
        assert!(!is_installed(listed, "gfortran-12"), "a longer name");
        assert!(!is_installed(listed, "absent"));
    }

    #[test]
    fn every_lab_tool_and_the_course_tools_are_needed_once() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let labs = crate::workspace::discover(&root).expect("the course's labs");
        let names: Vec<String> = needed(&labs).into_iter().map(|p| p.name).collect();
        for wanted in ["gfortran", "libopenmpi-dev", "libclang-dev", "bubblewrap"] {
            assert!(names.iter().any(|n| n == wanted), "{wanted} in {names:?}");
        }
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "no package twice: {names:?}");
    }

    #[test]
    fn an_unknown_package_is_missing() {
        if !crate::workspace::on_path("dpkg-query") {
            println!("skipped: no dpkg-query (not a Debian system)");
            return;
        }
        let missing = missing_names(&["no-such-package-in-debian"]).expect("dpkg-query runs");
        assert_eq!(missing, ["no-such-package-in-debian"]);
    }
}
