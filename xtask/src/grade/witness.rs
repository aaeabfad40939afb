//! A witness outside the test process: how it ended.
//!
//! Code inside a test process can print anything libtest prints, so its output alone cannot
//! prove a pass: a test that prints `test x ... ok` and a summary of one passed test, then calls
//! `process::exit(0)`, looks like a pass. What it cannot fake from the test's own thread is
//! *which thread ended the process*: libtest ends it from the main thread, after the test
//! returned; an exit inside the test comes from the test's thread. `strace`, run by the grader
//! outside the sandbox (its record is out of the test's reach), records the `execve` of the test
//! executable and each `exit_group`, with the thread id that made it.
//!
//! Where the sandbox runs as a user of its own (the grader is root), strace runs inside it as
//! its root, starts the test as that user and traces that one process, its main thread only:
//! nothing a test does can reach the record, and a test that starts thousands of threads (lab
//! 5's CPU emulator) costs nothing more. Elsewhere it runs outside and follows every process
//! (`-f`), with `--seccomp-bpf` so that it stops only on those two system calls.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `strace`, when installed.
#[derive(Debug, Clone)]
pub struct Witness {
    strace: PathBuf,
}

impl Witness {
    pub fn detect() -> Option<Witness> {
        let strace = crate::workspace::find_on_path("strace")?;
        Some(Witness { strace })
    }

    /// The arguments that make strace trace what it starts, into `record`.
    fn options(&self, record: &Path) -> Vec<std::ffi::OsString> {
        let mut options: Vec<std::ffi::OsString> = ["-qq", "-s", "4096"]
            .into_iter()
            .chain(["-e", "trace=execve,exit_group", "-e", "signal=none", "-o"])
            .map(Into::into)
            .collect();
        options.push(record.into());
        options
    }

    /// strace inside the sandbox, as its root, starting `program` as `user` and tracing only
    /// that process's main thread (no `-f`: following every thread a test starts costs
    /// seconds, and an exit from another thread shows as no exit at all). Its record goes to
    /// a folder only root can write, which the test, as `user`, cannot reach.
    pub fn inside(&self, record: &Path, user: &str) -> Vec<std::ffi::OsString> {
        let mut args = vec![self.strace.clone().into_os_string()];
        args.extend(self.options(record));
        args.extend(["-u".into(), user.into(), "--".into()]);
        args
    }

    /// `command` (the sandbox around a test), traced from outside into `record`, following
    /// every process and thread (`-f`): for a sandbox that runs as the grader's own user, where
    /// strace inside could not keep its record from the test.
    pub fn around(&self, command: &Command, record: &Path) -> Command {
        let mut traced = Command::new(&self.strace);
        traced
            .args(["-f", "--seccomp-bpf"])
            .args(self.options(record))
            .arg("--")
            .arg(command.get_program())
            .args(command.get_args());
        crate::process::copy_settings(command, &mut traced);
        traced
    }
}

/// From a record: did the process that executed `exe` end from its own main thread? None when
/// the record does not say (no such `execve`: it never started, or the record is unreadable).
pub fn ended_from_main_thread(record: &Path, exe: &Path) -> Option<bool> {
    let text = fs::read_to_string(record).ok()?;
    let started = format!("execve(\"{}\"", exe.display());
    // `PID execve("/path", [...], ...) = 0`: the last successful one of the executable; a
    // record of one process only (strace without `-f`) has no PID column.
    let execve = text
        .lines()
        .rfind(|line| line.contains(&started) && line.trim_end().ends_with("= 0"))?;
    if execve.starts_with("execve(") {
        return Some(text.lines().any(|line| line.starts_with("exit_group(")));
    }
    let pid = execve.split_whitespace().next()?;
    // strace pads the pid column (`4989  exit_group(0)`): compare fields, not text.
    Some(text.lines().any(|line| {
        let mut fields = line.split_whitespace();
        fields.next() == Some(pid)
            && fields
                .next()
                .is_some_and(|call| call.starts_with("exit_group("))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_threads_exit_is_told_from_a_test_threads() {
        let dir = tempfile::Builder::new()
            .prefix("xtask-witness-")
            .tempdir()
            .unwrap();
        let record = dir.path().join("record");
        let exe = Path::new("/scratch/target/debug/deps/sums-0123");
        let honest = "100 execve(\"/usr/bin/bwrap\", [\"bwrap\"], 0x1 /* 3 vars */) = 0\n\
                      102 execve(\"/scratch/target/debug/deps/sums-0123\", [\"x\"], 0x2) = 0\n\
                      102  exit_group(0)                     = ?\n\
                      100 exit_group(0)                     = ?\n";
        fs::write(&record, honest).unwrap();
        assert_eq!(ended_from_main_thread(&record, exe), Some(true));
        let forged = honest.replace("102  exit_group", "104  exit_group");
        fs::write(&record, forged).unwrap();
        assert_eq!(ended_from_main_thread(&record, exe), Some(false));
        fs::write(&record, "100 execve(\"/usr/bin/bwrap\", [], 0x1) = 0\n").unwrap();
        assert_eq!(ended_from_main_thread(&record, exe), None);
    }
}
