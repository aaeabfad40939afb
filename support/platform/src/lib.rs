//! Which system a student's machine runs, and the command that installs each tool the labs
//! need there: the one place for that advice. The labs' tests read it through
//! `support::platform`; lab 6's build script and the students' commands (`course`) take this
//! crate directly; `cargo xtask check` installs the Debian packages listed here.
//!
//! The platforms: Debian and Ubuntu (apt-get), Fedora and RHEL (dnf), macOS with Homebrew,
//! and Windows through WSL, whose distribution is Ubuntu unless its user chose another. Where
//! the system is none of these, or cannot be told, the advice names every platform's command.
//!
//! A test that needs a tool the machine lacks prints a line [`SKIP_PREFIX`] + why + how to
//! install it ([`skip`]) and returns, before it calls any student code: the course's tools
//! report it as skipped, never as passing.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// How a test says it could not check what it claims: a line of its output that starts with
/// this, followed by the reason. `cargo xtask progress` and `check` read it (course's libtest).
pub const SKIP_PREFIX: &str = "skipped: ";

/// Marks the calling test skipped: prints [`SKIP_PREFIX`] and `reason` (which says what is
/// missing and how to install it) on one line. The test then returns.
pub fn skip(reason: impl fmt::Display) {
    println!("{SKIP_PREFIX}{reason}");
}

/// Whether `program` is an executable file in one of PATH's directories.
pub fn on_path(program: &str) -> bool {
    find_on_path(program).is_some()
}

/// The first executable file named `program` in PATH's directories.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(file: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(file)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(file: &Path) -> bool {
    file.is_file()
}

/// A system the course gives install commands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Debian, Ubuntu and their derivatives: apt-get.
    Debian,
    /// Fedora, RHEL and their derivatives: dnf.
    Fedora,
    /// macOS, with Homebrew.
    MacOs,
    /// Windows Subsystem for Linux running Ubuntu (WSL's default): apt-get.
    Wsl,
    /// Any other system, or one that cannot be told: every platform's command is given.
    Other,
}

impl Platform {
    /// The system this process runs on: macOS by the target it was built for; on Linux, the
    /// distribution's family from os-release (`ID`, `ID_LIKE`), and WSL when the kernel's
    /// release names Microsoft.
    pub fn detect() -> Platform {
        if cfg!(target_os = "macos") {
            return Platform::MacOs;
        }
        if !cfg!(target_os = "linux") {
            return Platform::Other;
        }
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let os_release = read("/etc/os-release").or_else(|| read("/usr/lib/os-release"));
        let kernel = read("/proc/sys/kernel/osrelease").or_else(|| read("/proc/version"));
        Platform::of_linux(os_release.as_deref(), kernel.as_deref())
    }

    /// A Linux system's platform, from its os-release file and its kernel's release (None:
    /// unreadable).
    pub fn of_linux(os_release: Option<&str>, kernel: Option<&str>) -> Platform {
        let wsl = kernel.is_some_and(|text| text.to_ascii_lowercase().contains("microsoft"));
        match (os_release.map(family), wsl) {
            (Some(Family::Fedora), _) => Platform::Fedora,
            // WSL's distribution is Ubuntu unless its user installed another.
            (Some(Family::Debian) | None, true) => Platform::Wsl,
            (Some(Family::Debian), false) => Platform::Debian,
            (Some(Family::Unknown), _) | (None, false) => Platform::Other,
        }
    }

    /// Its package manager; None for [`Platform::Other`].
    pub fn manager(self) -> Option<Manager> {
        match self {
            Platform::Debian | Platform::Wsl => Some(Manager::Apt),
            Platform::Fedora => Some(Manager::Dnf),
            Platform::MacOs => Some(Manager::Brew),
            Platform::Other => None,
        }
    }

    /// How advice names it: `Debian/Ubuntu`, `Ubuntu on WSL`, ...
    pub fn label(self) -> &'static str {
        match self {
            Platform::Debian => "Debian/Ubuntu",
            Platform::Fedora => "Fedora/RHEL",
            Platform::MacOs => "macOS with Homebrew",
            Platform::Wsl => "Ubuntu on WSL",
            Platform::Other => "any system",
        }
    }
}

/// A distribution's family, as os-release's `ID` and `ID_LIKE` name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Debian,
    Fedora,
    Unknown,
}

fn family(os_release: &str) -> Family {
    let words: Vec<String> = os_release
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once('=')?;
            matches!(key.trim(), "ID" | "ID_LIKE").then(|| value.trim().trim_matches(['"', '\'']))
        })
        .flat_map(str::split_whitespace)
        .map(str::to_ascii_lowercase)
        .collect();
    let any = |names: &[&str]| words.iter().any(|word| names.contains(&word.as_str()));
    if any(&["debian", "ubuntu"]) {
        Family::Debian
    } else if any(&["fedora", "rhel", "centos"]) {
        Family::Fedora
    } else {
        Family::Unknown
    }
}

/// A package manager, and how it installs packages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manager {
    /// Debian's and Ubuntu's (and WSL's Ubuntu's).
    Apt,
    /// Fedora's and RHEL's.
    Dnf,
    /// Homebrew, on macOS.
    Brew,
}

impl Manager {
    pub const ALL: [Manager; 3] = [Manager::Apt, Manager::Dnf, Manager::Brew];

    /// The command that installs `packages`.
    pub fn command(self, packages: &[&str]) -> String {
        let packages = packages.join(" ");
        match self {
            Manager::Apt => format!("sudo apt-get install {packages}"),
            Manager::Dnf => format!("sudo dnf install {packages}"),
            Manager::Brew => format!("brew install {packages}"),
        }
    }

    /// How advice that names every platform's command names this one's.
    fn label(self) -> &'static str {
        match self {
            Manager::Apt => "Debian/Ubuntu/WSL",
            Manager::Dnf => "Fedora/RHEL",
            Manager::Brew => "macOS with Homebrew",
        }
    }
}

/// A tool the labs need from the system's package manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// GNU Fortran, for lab 6's Fortran kernels.
    Gfortran,
    /// OpenMP for the C compiler, for lab 6's C kernel on several threads.
    OpenMp,
    /// Open MPI (and libclang, which the `mpi` crate's bindings are generated with), for
    /// lab 4's exercise on MPI ranks.
    OpenMpi,
    /// Python with its `venv` module, for `.venv` (NumPy, lab 5's NVRTC, lab 6's maturin).
    PythonVenv,
}

impl Tool {
    pub const ALL: [Tool; 4] = [
        Tool::Gfortran,
        Tool::OpenMp,
        Tool::OpenMpi,
        Tool::PythonVenv,
    ];

    /// Its name in a lab's lab.toml (`tool = "gfortran"`).
    pub fn name(self) -> &'static str {
        match self {
            Tool::Gfortran => "gfortran",
            Tool::OpenMp => "openmp",
            Tool::OpenMpi => "open-mpi",
            Tool::PythonVenv => "python-venv",
        }
    }

    /// The program on PATH that shows it is installed; None for what is not a program.
    pub fn program(self) -> Option<&'static str> {
        match self {
            Tool::Gfortran => Some("gfortran"),
            Tool::OpenMpi => Some("mpicc"),
            Tool::OpenMp | Tool::PythonVenv => None,
        }
    }

    /// The packages that install it with `manager`.
    pub fn packages(self, manager: Manager) -> &'static [&'static str] {
        use Manager::{Apt, Brew, Dnf};
        match (self, manager) {
            (Tool::Gfortran, Apt) => &["gfortran"],
            (Tool::Gfortran, Dnf) => &["gcc-gfortran"],
            (Tool::Gfortran, Brew) => &["gcc"],
            (Tool::OpenMp, Apt) => &["libomp-dev"],
            (Tool::OpenMp, Dnf) => &["libomp-devel"],
            (Tool::OpenMp, Brew) => &["libomp"],
            (Tool::OpenMpi, Apt) => &["libopenmpi-dev", "openmpi-bin", "libclang-dev"],
            (Tool::OpenMpi, Dnf) => &["openmpi-devel", "clang-devel"],
            (Tool::OpenMpi, Brew) => &["open-mpi"],
            (Tool::PythonVenv, Apt) => &["python3-venv"],
            (Tool::PythonVenv, Dnf) => &["python3"],
            (Tool::PythonVenv, Brew) => &["python"],
        }
    }

    /// What follows the command, where something must: ", ..." on the same line.
    fn note(self, manager: Manager) -> &'static str {
        match (self, manager) {
            (Tool::Gfortran, Manager::Brew) => ", whose gcc brings gfortran",
            // Fedora installs Open MPI off PATH, as an environment module.
            (Tool::OpenMpi, Manager::Dnf) => {
                ", then `module load mpi/openmpi-$(uname -m)` to put mpicc on PATH"
            }
            _ => "",
        }
    }

    /// How to install it on `platform`, e.g. ``Debian/Ubuntu: `sudo apt-get install gfortran` ``
    /// (one line, no parentheses: callers put it in theirs);
    /// on [`Platform::Other`], every platform's command.
    pub fn install(self, platform: Platform) -> String {
        let one = |label: &str, manager: Manager| {
            let command = manager.command(self.packages(manager));
            format!("{label}: `{command}`{}", self.note(manager))
        };
        match platform.manager() {
            Some(manager) => one(platform.label(), manager),
            None => every(|manager| one(manager.label(), manager)),
        }
    }

    /// [`Tool::install`] for the system this runs on.
    pub fn install_here(self) -> String {
        self.install(Platform::detect())
    }
}

/// The one advice per package manager, joined.
fn every(advice: impl Fn(Manager) -> String) -> String {
    Manager::ALL.map(advice).join("; ")
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Tool::ALL`]'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownTool(pub String);

impl fmt::Display for UnknownTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Tool::ALL.iter().map(|tool| tool.name()).collect();
        write!(
            f,
            "`{}` is not a tool the course knows how to install; the tools are: {}",
            self.0,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownTool {}

impl FromStr for Tool {
    type Err = UnknownTool;

    fn from_str(name: &str) -> Result<Tool, UnknownTool> {
        Tool::ALL
            .into_iter()
            .find(|tool| tool.name() == name)
            .ok_or_else(|| UnknownTool(name.to_string()))
    }
}

/// How to put the packages of a pip requirements file (`requirements`, a path from the
/// repository's root, e.g. `exercises/04-taskgraph/requirements.txt`) into the repository's
/// `.venv` on `platform`, where the labs' tests look for them.
pub fn venv_install(requirements: &str, platform: Platform) -> String {
    let pip = format!(
        "from the repository's root, `python3 -m venv .venv && .venv/bin/pip install -r \
         {requirements}`"
    );
    let python = |manager: Manager| manager.command(Tool::PythonVenv.packages(manager));
    match platform.manager() {
        Some(manager) => format!("{}: `{}`, then {pip}", platform.label(), python(manager)),
        None => format!(
            "Python with its venv module ({}), then {pip}",
            every(|manager| format!("{}: `{}`", manager.label(), python(manager)))
        ),
    }
}

/// [`venv_install`] for the system this runs on.
pub fn venv_install_here(requirements: &str) -> String {
    venv_install(requirements, Platform::detect())
}

#[cfg(test)]
mod tests;
