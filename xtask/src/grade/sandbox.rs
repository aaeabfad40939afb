//! The sandbox every build and test of student code runs in: bubblewrap (`bwrap`, Debian's
//! `bubblewrap`, the sandbox Flatpak uses), wrapped around the command the grader would have run.
//!
//! Inside, the process sees only what grading needs, at the same paths as outside (so cargo's
//! absolute paths and the feedback's messages stay what they were):
//! - the system (`/usr`, `/etc`, the `/lib*` links), read-only;
//! - the toolchain and cargo's home (registry sources included), read-only;
//! - the worker's scratch workspace, read-only: tests, manifests and the student's `src/` are
//!   there to be compiled and read, never changed;
//! - the worker's target directory, read-write (the only place a build writes);
//! - a private `/tmp` and `/dev/shm` (directories of the worker, emptied before each test);
//! - the course's `.venv` and the Python it was made from, read-only (NumPy comparisons, NVRTC).
//!
//! Nothing else of the machine: not the course tree (the solutions), not the other workers or
//! submissions, not the instructor's home. It has a network namespace of its own (a loopback
//! of its own, nothing outside, not even the host's 127.0.0.1) and a PID namespace that ends
//! with it: every process a test starts, in its own session or not, dies with the test.
//!
//! Run as root (the grading machines), the sandbox drops to an unprivileged user id
//! ([`SANDBOX_UID`]) with `setpriv`, because the kernel never applies the process-count limit
//! to root; run as anyone else, bwrap's user namespace does the same job.
//!
//! Per process, resource limits (`setrlimit`, inherited by every descendant): memory (the data
//! segment: what it can allocate and write), file size, process count and CPU time.

use std::ffi::OsString;
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::listing;
use super::seal;
use super::witness::Witness;
use crate::{process, workspace};

/// The unprivileged user the sandbox runs as when the grader is root: `nobody` on Debian.
pub const SANDBOX_UID: u32 = 65534;
const SANDBOX_USER: &str = "nobody";

/// What one sandboxed process may use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Bytes of memory it may allocate (`RLIMIT_DATA`: heap, anonymous and private writable
    /// mappings). Not the address space: glibc's per-thread arenas and CUDA reserve far more
    /// address space than they ever touch, and a limit on it would fail honest multithreaded
    /// tests on a machine with many cores.
    pub memory: u64,
    /// Bytes any one file it writes may hold (`RLIMIT_FSIZE`).
    pub file_size: u64,
    /// Processes and threads of the sandbox's user (`RLIMIT_NPROC`): a fork bomb stops here.
    pub processes: u64,
    /// CPU seconds (`RLIMIT_CPU`), summed over its threads; None: no limit.
    pub cpu: Option<Duration>,
}

impl Limits {
    /// For the builds: rustc needs room, and there is no student code running (build scripts
    /// and proc macros are the instructor's), but const evaluation is the student's.
    pub fn build() -> Limits {
        Limits {
            memory: 8 << 30,
            file_size: 4 << 30,
            processes: 4096,
            cpu: None,
        }
    }
}

/// How student code runs, and who watches how its tests end.
#[derive(Debug, Clone)]
pub struct Sandbox {
    pub kind: Kind,
    /// Records how each test process ended ([`Witness`]); None: strace is not installed.
    pub witness: Option<Witness>,
}

#[derive(Debug, Clone)]
pub enum Kind {
    /// In bubblewrap, as described above.
    Bwrap(Bwrap),
    /// `grade --unsandboxed`: as the instructor, with the resource limits only.
    Off,
}

#[derive(Debug, Clone)]
pub struct Bwrap {
    program: PathBuf,
    /// Read-only binds beyond the system: toolchain, cargo home, the course's `.venv`, ...
    read_only: Vec<PathBuf>,
    /// Whether to drop from root to [`SANDBOX_UID`] inside.
    drop_root: bool,
    /// GPU device nodes to pass through (`/dev/nvidia*`), for lab 5 on a GPU machine.
    devices: Vec<PathBuf>,
}

/// The directories of one sandboxed run.
pub struct Dirs<'a> {
    /// Read-only inside: the scratch workspace.
    pub workspace: &'a Path,
    /// Read-write inside: the target directory.
    pub target: &'a Path,
    /// Private `/tmp` (and, under it, what becomes `/dev/shm`): emptied by the caller.
    pub tmp: &'a Path,
}

impl Sandbox {
    /// The sandbox of this machine, proven to start; or, with `unsandboxed`, none. Without it
    /// and without a working bwrap, the error says what to install.
    pub fn detect(course: &Path, unsandboxed: bool) -> Result<Sandbox> {
        let witness = Witness::detect();
        if unsandboxed {
            return Ok(Sandbox {
                kind: Kind::Off,
                witness,
            });
        }
        if witness.is_none() {
            bail!(
                "grading needs strace, the witness of how each test process ends (a test that \
                 prints libtest's lines and exits must not pass): install it (Debian/Ubuntu: \
                 apt install strace)"
            );
        }
        let Some(program) = workspace::find_on_path("bwrap") else {
            bail!(
                "the sandbox for student code is bubblewrap, and `bwrap` is not installed: \
                 install it (Debian/Ubuntu: apt install bubblewrap; Fedora: dnf install \
                 bubblewrap), or grade with --unsandboxed (student code then runs as you, \
                 unconfined: only for code you trust)"
            );
        };
        let bwrap = Bwrap {
            program,
            read_only: read_only_binds(course),
            drop_root: is_root(),
            devices: gpu_devices()?,
        };
        bwrap.prove()?;
        Ok(Sandbox {
            kind: Kind::Bwrap(bwrap),
            witness,
        })
    }

    pub fn is_on(&self) -> bool {
        matches!(self.kind, Kind::Bwrap(_))
    }

    /// Gets `dirs` ready for the sandbox's user (it writes the target and the temporary
    /// directory; the rest it only reads).
    pub fn prepare(&self, dirs: &Dirs) -> Result<()> {
        for dir in [dirs.target, dirs.tmp] {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        fs::create_dir_all(dirs.tmp.join(".shm"))?;
        if self.seals() {
            give_to_sandbox_user(dirs.tmp)?;
            // A sealed target stays root's (`seal.rs`); before the seal, the warm-up's build
            // writes it all as the sandbox's user.
            if !seal::is_sealed(dirs.target) {
                give_to_sandbox_user(dirs.target)?;
            }
        }
        Ok(())
    }

    /// Whether the build cache can be sealed against student code: the sandbox runs as a user
    /// of its own (the grader is root).
    pub fn seals(&self) -> bool {
        matches!(&self.kind, Kind::Bwrap(bwrap) if bwrap.drop_root)
    }

    /// `command`, to run in the sandbox over `dirs`, within `limits`. Its program, arguments,
    /// working directory and the variables set on it are kept; nothing else of the grader's
    /// environment goes in but what a toolchain needs (`PATH`, `CARGO_HOME`, ...). With a
    /// `record`, the witness watches it from outside and writes there.
    pub fn wrap(
        &self,
        command: &Command,
        dirs: &Dirs,
        limits: Limits,
        record: Option<&Path>,
    ) -> Command {
        let mut wrapped = match &self.kind {
            Kind::Off => {
                let mut plain = Command::new(command.get_program());
                plain.args(command.get_args());
                process::copy_settings(command, &mut plain);
                plain.env("TMPDIR", dirs.tmp);
                plain
            }
            Kind::Bwrap(bwrap) if bwrap.drop_root => {
                let inside = self.witness.as_ref().zip(record);
                bwrap.wrap(command, dirs, inside)
            }
            Kind::Bwrap(bwrap) => bwrap.wrap(command, dirs, None),
        };
        if let (Some(witness), Some(record)) = (&self.witness, record)
            && !self.seals()
        {
            wrapped = witness.around(&wrapped, record);
        }
        set_limits(&mut wrapped, limits);
        wrapped
    }
}

impl Bwrap {
    /// bwrap around `command`; with a `witness` (only when dropping root), strace inside
    /// watches it, writing to the record's folder (root's alone), bound at `/witness`.
    fn wrap(&self, command: &Command, dirs: &Dirs, witness: Option<(&Witness, &Path)>) -> Command {
        let mut bwrap = Command::new(&self.program);
        self.namespaces(&mut bwrap);
        self.system_binds(&mut bwrap);
        self.work_binds(&mut bwrap, dirs);
        let record = witness.and_then(|(_, record)| Some((record.parent()?, record.file_name()?)));
        if let Some((folder, _)) = record {
            option(&mut bwrap, "--bind", folder, Path::new("/witness"));
        }
        if let Some(dir) = command.get_current_dir() {
            bwrap.arg("--chdir").arg(dir);
        }
        let set = command
            .get_envs()
            .filter_map(|(key, value)| Some((key.to_os_string(), value?.to_os_string())));
        for (key, value) in base_environment().into_iter().chain(set) {
            bwrap.arg("--setenv").arg(key).arg(value);
        }
        bwrap.arg("--");
        if let (Some((witness, _)), Some((_, name))) = (witness, record) {
            let inside = Path::new("/witness").join(name);
            bwrap.args(witness.inside(&inside, SANDBOX_USER));
        } else if self.drop_root {
            let id = SANDBOX_UID.to_string();
            bwrap.args([
                "setpriv",
                "--reuid",
                &id,
                "--regid",
                &id,
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--",
            ]);
        }
        bwrap.arg(command.get_program()).args(command.get_args());
        bwrap
    }

    /// Namespaces: everything but the user namespace when root (bwrap is privileged then,
    /// and `setpriv` drops to an unprivileged user); bwrap makes one otherwise.
    fn namespaces(&self, bwrap: &mut Command) {
        bwrap.args([
            "--unshare-pid",
            "--unshare-net",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
        ]);
        if self.drop_root {
            // For `setpriv` to change to the sandbox's user; it drops them all after.
            bwrap.args(["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]);
        } else {
            bwrap.arg("--unshare-user");
        }
        bwrap.args(["--die-with-parent", "--new-session", "--clearenv"]);
    }

    /// The system, read-only: programs and libraries, /proc, /dev (and the GPU's devices),
    /// /sys.
    fn system_binds(&self, bwrap: &mut Command) {
        bwrap.args(["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]);
        for top in [
            "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt",
        ] {
            let path = Path::new(top);
            match fs::read_link(path) {
                Ok(target) => option(bwrap, "--symlink", &target, path),
                Err(_) if path.is_dir() => option(bwrap, "--ro-bind", path, path),
                Err(_) => {}
            }
        }
        bwrap.args(["--proc", "/proc", "--dev", "/dev"]);
        for device in &self.devices {
            option(bwrap, "--dev-bind", device, device);
        }
        // Read-only: hwloc (Open MPI's topology) and CUDA read the machine's description.
        bwrap.args(["--ro-bind", "/sys", "/sys"]);
    }

    /// The folders of the work: a private /tmp and /dev/shm, the read-only toolchain and
    /// workspace, the writable target folder.
    fn work_binds(&self, bwrap: &mut Command, dirs: &Dirs) {
        // The private /tmp first: the binds below may lie under the host's /tmp (the default
        // work directory does), and a later mount on /tmp would hide them.
        option(bwrap, "--bind", dirs.tmp, Path::new("/tmp"));
        option(
            bwrap,
            "--bind",
            &dirs.tmp.join(".shm"),
            Path::new("/dev/shm"),
        );
        // bwrap makes the missing folders above a mount point (`/root` above `/root/.cargo`)
        // private to root: open them, so that the sandbox's user can get through.
        let above = [dirs.workspace, dirs.target]
            .into_iter()
            .chain(self.read_only.iter().map(PathBuf::as_path))
            .flat_map(|path| path.ancestors().skip(1))
            .filter(|dir| !matches!(dir.to_str(), Some("/" | "/tmp" | "")));
        let mut folders: Vec<&Path> = above.collect();
        folders.sort();
        folders.dedup();
        for folder in folders {
            bwrap.args(["--perms", "0755", "--dir"]).arg(folder);
        }
        for path in &self.read_only {
            option(bwrap, "--ro-bind", path, path);
        }
        option(bwrap, "--ro-bind", dirs.workspace, dirs.workspace);
        option(bwrap, "--bind", dirs.target, dirs.target);
    }

    /// Starts `true` in the sandbox: bwrap may be installed and still refused (no user
    /// namespaces for this user, a container without the privileges).
    fn prove(&self) -> Result<()> {
        // One folder per probe (several gradings may start at once in one process: tests),
        // removed when dropped. Its mode stays what `create_dir_all` gave the pid-named folder
        // it replaces (tempfile's default is 0700), so the probe meets the permissions it did.
        let folder = tempfile::Builder::new()
            .prefix("xtask-sandbox-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .tempdir()
            .context("creating a folder for the sandbox's probe")?;
        let scratch = folder.path();
        let dirs = Dirs {
            workspace: &scratch.join("ws"),
            target: &scratch.join("target"),
            tmp: &scratch.join("tmp"),
        };
        fs::create_dir_all(dirs.workspace)?;
        let sandbox = Sandbox {
            kind: Kind::Bwrap(self.clone()),
            witness: None,
        };
        sandbox.prepare(&dirs)?;
        let mut probe = Command::new("true");
        probe.current_dir(dirs.workspace);
        let out = sandbox.wrap(&probe, &dirs, Limits::build(), None).output();
        drop(folder);
        match out {
            Ok(out) if out.status.success() => Ok(()),
            Ok(out) => bail!(
                "bubblewrap is installed ({}) but the sandbox does not start here ({}): {}\n\
                 Grade on a machine where it does (user namespaces allowed, or as root), or \
                 with --unsandboxed (student code then runs as you, unconfined)",
                self.program.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            Err(error) => bail!("could not start {}: {error}", self.program.display()),
        }
    }
}

/// `--flag FROM TO`.
fn option(bwrap: &mut Command, flag: &str, from: &Path, to: &Path) {
    bwrap.arg(flag).arg(from).arg(to);
}

/// What a toolchain needs in an empty environment. `HOME` is the private `/tmp`: nothing of
/// the instructor's home is inside.
fn base_environment() -> Vec<(OsString, OsString)> {
    let home = home();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".cargo")));
    let mut path = Vec::new();
    if let Some(cargo_home) = &cargo_home {
        path.push(cargo_home.join("bin"));
    }
    path.extend(["/usr/local/bin", "/usr/bin", "/bin"].map(PathBuf::from));
    let mut env: Vec<(OsString, OsString)> = vec![
        (
            "PATH".into(),
            std::env::join_paths(path).unwrap_or_default(),
        ),
        ("HOME".into(), "/tmp".into()),
        ("TMPDIR".into(), "/tmp".into()),
        ("LANG".into(), "C.UTF-8".into()),
    ];
    if let Some(cargo_home) = cargo_home {
        env.push(("CARGO_HOME".into(), cargo_home.into()));
    }
    if let Some(rustup_home) = rustup_home() {
        env.push(("RUSTUP_HOME".into(), rustup_home.into()));
    }
    // The toolchain the grader itself was started with (`cargo +1.95 xtask`), and where it is.
    for key in ["RUSTUP_TOOLCHAIN", "CARGO", "RUSTC"] {
        if let Some(value) = std::env::var_os(key) {
            env.push((key.into(), value));
        }
    }
    env
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(PathBuf::from)
}

fn rustup_home() -> Option<PathBuf> {
    std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".rustup")))
        .filter(|dir| dir.is_dir())
}

/// The toolchain, cargo's home, and the course's `.venv` with the Python it was made from:
/// each that exists, canonical (a bind of a link would bind what it points to anyway).
fn read_only_binds(course: &Path) -> Vec<PathBuf> {
    let mut binds = Vec::new();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".cargo")));
    binds.extend(cargo_home);
    binds.extend(rustup_home());
    // A toolchain outside both (`CARGO`/`RUSTC` pointing elsewhere): its install prefix.
    for key in ["CARGO", "RUSTC"] {
        if let Some(program) = std::env::var_os(key).map(PathBuf::from)
            && let Some(prefix) = program.parent().and_then(Path::parent)
            && !prefix.starts_with("/usr")
        {
            binds.push(prefix.to_path_buf());
        }
    }
    let venv = course.join(".venv");
    if venv.is_dir() {
        binds.push(venv.clone());
        binds.extend(python_prefix(&venv));
    }
    let mut binds: Vec<PathBuf> = binds
        .into_iter()
        .filter_map(|path| fs::canonicalize(path).ok())
        .filter(|path| !path.starts_with("/usr"))
        .collect();
    binds.sort();
    // A bind inside another is redundant; bwrap would also mount over it in the wrong order.
    let mut kept: Vec<PathBuf> = Vec::new();
    for path in binds {
        if !kept.iter().any(|outer| path.starts_with(outer)) {
            kept.push(path);
        }
    }
    kept
}

/// The installation a venv's interpreter comes from (`home = /x/bin` in `pyvenv.cfg` → `/x`).
fn python_prefix(venv: &Path) -> Option<PathBuf> {
    let config = fs::read_to_string(venv.join("pyvenv.cfg")).ok()?;
    let home = config.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        (key.trim() == "home").then(|| PathBuf::from(value.trim()))
    })?;
    home.parent().map(Path::to_path_buf)
}

/// The NVIDIA devices the sandbox shows (`/dev/nvidia*`). A `/dev` that cannot be listed is an
/// error: GPU tests would fail for want of a device, as if the students' code were wrong.
fn gpu_devices() -> Result<Vec<PathBuf>> {
    let mut devices: Vec<PathBuf> = listing::entries(Path::new("/dev"))?
        .iter()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("nvidia"))
        .map(|entry| entry.path())
        .collect();
    devices.sort();
    Ok(devices)
}

fn is_root() -> bool {
    user_id() == 0
}

/// The grader's effective user id.
pub fn user_id() -> u32 {
    // SAFETY: geteuid(2) takes nothing and cannot fail.
    unsafe { libc::geteuid() }
}

/// Makes `dir` and everything under it the sandbox user's (a target directory that a
/// previous, unsandboxed run left owned by root; what the grader wrote there since).
fn give_to_sandbox_user(dir: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry?;
        if entry.metadata()?.uid() != SANDBOX_UID {
            std::os::unix::fs::lchown(entry.path(), Some(SANDBOX_UID), Some(SANDBOX_UID))
                .with_context(|| {
                    format!("giving {} to the sandbox user", entry.path().display())
                })?;
        }
    }
    Ok(())
}

/// Applies `limits` to the child between fork and exec: bwrap, the sandboxed process and all
/// their descendants inherit them.
fn set_limits(command: &mut Command, limits: Limits) {
    let cpu = limits.cpu.map(|cpu| cpu.as_secs().max(1));
    let set = move || {
        // A soft CPU limit under the hard one: SIGXCPU (which says why) before SIGKILL.
        // Never above the limit already in force (only root may raise a hard limit).
        let limit_to = |resource, soft: u64, hard: u64| {
            let mut now = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            // SAFETY: getrlimit(2) writes the struct we pass; async-signal-safe.
            if unsafe { libc::getrlimit(resource, &mut now) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let hard = hard.min(now.rlim_max);
            let rlimit = libc::rlimit {
                rlim_cur: soft.min(hard),
                rlim_max: hard,
            };
            // SAFETY: setrlimit(2) reads the struct we pass and is async-signal-safe, as
            // required between fork and exec.
            match unsafe { libc::setrlimit(resource, &rlimit) } {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        };
        let limit = |resource, value: u64| limit_to(resource, value, value);
        limit(libc::RLIMIT_DATA, limits.memory)?;
        limit(libc::RLIMIT_FSIZE, limits.file_size)?;
        limit(libc::RLIMIT_NPROC, limits.processes)?;
        if let Some(cpu) = cpu {
            limit_to(libc::RLIMIT_CPU, cpu, cpu + 1)?;
        }
        Ok(())
    };
    // SAFETY: the closure only calls setrlimit(2), which is async-signal-safe, and allocates
    // nothing.
    unsafe {
        command.pre_exec(set);
    }
}
