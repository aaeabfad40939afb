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
//! `--seccomp-bpf` stops the process only on those two system calls: the cost is a few
//! milliseconds per test.

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
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join("strace"))
            .find(|candidate| candidate.is_file())
            .map(|strace| Witness { strace })
    }

    /// `command` (the sandbox around a test), traced into `record`.
    pub fn around(&self, command: &Command, record: &Path) -> Command {
        let mut traced = Command::new(&self.strace);
        traced
            // Paths in full (`-s`): the executable is recognised by its path.
            .args(["-f", "--seccomp-bpf", "-qq", "-s", "4096"])
            .args(["-e", "trace=execve,exit_group"])
            .args(["-e", "signal=none", "-o"])
            .arg(record)
            .arg("--")
            .arg(command.get_program())
            .args(command.get_args());
        if let Some(dir) = command.get_current_dir() {
            traced.current_dir(dir);
        }
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => traced.env(key, value),
                None => traced.env_remove(key),
            };
        }
        traced
    }
}

/// From a record: did the process that executed `exe` end from its own main thread? None when
/// the record does not say (no such `execve`: it never started, or the record is unreadable).
pub fn ended_from_main_thread(record: &Path, exe: &Path) -> Option<bool> {
    let text = fs::read_to_string(record).ok()?;
    let started = format!("execve(\"{}\"", exe.display());
    // `PID execve("/path", [...], ...) = 0`: the last successful one of the executable.
    let pid = text
        .lines()
        .filter(|line| line.contains(&started) && line.trim_end().ends_with("= 0"))
        .filter_map(|line| line.split_whitespace().next())
        .next_back()?;
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
        let dir = std::env::temp_dir().join(format!("xtask-witness-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let record = dir.join("record");
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
        fs::remove_dir_all(&dir).unwrap();
    }
}
