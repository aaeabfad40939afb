//! Running a child process with a time limit: student code may loop forever, start processes
//! of its own, or print without end.
//!
//! Each child runs in its own process group, and the whole group is killed when the child
//! exits or its time is up, so a test's own children die with it. What it prints is read on
//! threads (a chatty child never blocks on a full pipe) and kept bounded: the start and the
//! end of each stream, never more. Ctrl-C (or SIGTERM) on xtask kills the groups still running
//! before xtask dies, since children in their own group do not get the terminal's signal.

use std::collections::VecDeque;
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// How much of each output stream is kept: the first `head` bytes and the last `tail` bytes.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub head: usize,
    pub tail: usize,
}

impl Limits {
    /// Enough for a test run's result lines and failure sections, or a build's first errors
    /// and its closing messages; a print loop costs at most this much memory.
    pub const DEFAULT: Limits = Limits {
        head: 1 << 20,
        tail: 256 << 10,
    };
}

/// What a finished (or killed) process printed; `status` is None when it was killed.
pub struct Captured {
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

/// Gives `to` the working directory and the environment changes set on `from`: the same run
/// of another program (a wrapper around it).
pub fn copy_settings(from: &Command, to: &mut Command) {
    if let Some(dir) = from.get_current_dir() {
        to.current_dir(dir);
    }
    for (key, value) in from.get_envs() {
        match value {
            Some(value) => to.env(key, value),
            None => to.env_remove(key),
        };
    }
}

/// Runs `command`, capturing its output (bounded by [`Limits::DEFAULT`]), and kills its whole
/// process group once `timeout` has passed.
pub fn capture(command: Command, timeout: Duration) -> Result<Captured> {
    capture_with(command, timeout, Limits::DEFAULT)
}

/// [`capture`] with explicit output limits.
pub fn capture_with(mut command: Command, timeout: Duration, limits: Limits) -> Result<Captured> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    group::isolate(&mut command);
    let mut child = command
        .spawn()
        .with_context(|| format!("could not start {command:?}"))?;
    let group = group::Registered::new(&child);
    let stdout = Reader::spawn(child.stdout.take().map(|p| Box::new(p) as _), limits);
    let stderr = Reader::spawn(child.stderr.take().map(|p| Box::new(p) as _), limits);
    let deadline = Instant::now() + timeout;
    let timed_out = wait_until(&mut child, deadline)?;
    // Whether it finished or not, nothing it started may outlive it (the group id cannot be
    // reused while any of its members is alive, so this reaches only its own processes).
    group.kill(&mut child);
    let status = child.wait().context("waiting for a child process")?;
    drop(group);
    // The pipes close once every process holding them is gone; one that left the group
    // (`setsid`) may hold them open for ever: then take what was read so far.
    let grace = Instant::now() + Duration::from_secs(2);
    Ok(Captured {
        status: (!timed_out).then_some(status),
        stdout: stdout.finish(grace),
        stderr: stderr.finish(grace),
        timed_out,
    })
}

/// Waits for `child` to exit; true when `deadline` came first.
fn wait_until(child: &mut Child, deadline: Instant) -> Result<bool> {
    let mut pause = Duration::from_millis(1);
    loop {
        if child.try_wait()?.is_some() {
            return Ok(false);
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(true);
        }
        // Short pauses first: most children (a `--list`, a fresh build) are quick.
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(25));
    }
}

/// The start and the end of a stream, and how much was left out between them.
#[derive(Debug)]
struct Bounded {
    limits: Limits,
    head: Vec<u8>,
    tail: VecDeque<u8>,
    dropped: u64,
}

impl Bounded {
    fn new(limits: Limits) -> Bounded {
        Bounded {
            limits,
            head: Vec::new(),
            tail: VecDeque::new(),
            dropped: 0,
        }
    }

    fn push(&mut self, mut bytes: &[u8]) {
        let room = self.limits.head - self.head.len();
        let (first, rest) = bytes.split_at(room.min(bytes.len()));
        self.head.extend_from_slice(first);
        bytes = rest;
        if bytes.len() > self.limits.tail {
            let skip = bytes.len() - self.limits.tail;
            self.dropped += (skip + self.tail.len()) as u64;
            self.tail.clear();
            bytes = &bytes[skip..];
        }
        self.tail.extend(bytes);
        let excess = self.tail.len().saturating_sub(self.limits.tail);
        self.tail.drain(..excess);
        self.dropped += excess as u64;
    }

    fn text(&self) -> String {
        let mut bytes = self.head.clone();
        if self.dropped > 0 {
            bytes.extend_from_slice(
                format!("\n[... {} bytes of output left out ...]\n", self.dropped).as_bytes(),
            );
        }
        bytes.extend(self.tail.iter());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// A pipe read to its end on a thread, into a [`Bounded`] buffer.
struct Reader {
    buffer: Arc<Mutex<Bounded>>,
    thread: JoinHandle<()>,
}

impl Reader {
    fn spawn(pipe: Option<Box<dyn Read + Send>>, limits: Limits) -> Reader {
        let buffer = Arc::new(Mutex::new(Bounded::new(limits)));
        let shared = Arc::clone(&buffer);
        let thread = thread::spawn(move || {
            let Some(mut pipe) = pipe else { return };
            let mut chunk = vec![0; 64 * 1024];
            while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                shared
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push(&chunk[..n]);
            }
        });
        Reader { buffer, thread }
    }

    /// The text read by `deadline` (all of it, unless something still holds the pipe open).
    fn finish(self, deadline: Instant) -> String {
        while !self.thread.is_finished() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
        if self.thread.is_finished() {
            let _ = self.thread.join();
        }
        let buffer = self
            .buffer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        buffer.text()
    }
}

#[cfg(unix)]
mod group {
    //! Process groups: each child leads its own, killed whole with `kill(-pgid, SIGKILL)`.

    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command};
    use std::sync::Once;
    use std::sync::atomic::{AtomicI32, Ordering};

    /// The groups alive now, for the Ctrl-C handler (which may not take locks).
    static LIVE: [AtomicI32; 256] = [const { AtomicI32::new(0) }; 256];

    pub fn isolate(command: &mut Command) {
        static HANDLER: Once = Once::new();
        HANDLER.call_once(install_handler);
        command.process_group(0);
    }

    /// A child's group, listed in [`LIVE`] until dropped.
    pub struct Registered {
        pgid: i32,
        slot: Option<usize>,
    }

    impl Registered {
        pub fn new(child: &Child) -> Registered {
            let pgid = child.id() as i32;
            // With every slot taken, the group is still killed by `kill`, just not on Ctrl-C.
            let slot = LIVE.iter().position(|slot| {
                slot.compare_exchange(0, pgid, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
            });
            Registered { pgid, slot }
        }

        /// Kills every process of the group. Call it before reaping `child`: while the leader
        /// is a zombie or alive, the id is still this group's.
        pub fn kill(&self, child: &mut Child) {
            // SAFETY: kill(2) takes plain integers and touches no memory of ours; a negative
            // pid names the group this child leads (created by `process_group(0)`).
            unsafe {
                libc::kill(-self.pgid, libc::SIGKILL);
            }
            let _ = child.kill();
        }
    }

    impl Drop for Registered {
        fn drop(&mut self) {
            if let Some(slot) = self.slot {
                LIVE[slot].store(0, Ordering::SeqCst);
            }
        }
    }

    extern "C" fn on_signal(signal: libc::c_int) {
        for slot in &LIVE {
            let pgid = slot.load(Ordering::SeqCst);
            if pgid > 0 {
                // SAFETY: kill(2) is async-signal-safe and takes plain integers.
                unsafe {
                    libc::kill(-pgid, libc::SIGKILL);
                }
            }
        }
        // SAFETY: signal(2) and raise(3) are async-signal-safe; with the default action
        // restored, xtask dies of the signal it got, as it would have without this handler.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    fn install_handler() {
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: `on_signal` is an `extern "C" fn(c_int)` that only makes
            // async-signal-safe calls and reads atomics, as a signal handler must.
            unsafe {
                libc::signal(
                    signal,
                    on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t,
                );
            }
        }
    }
}

#[cfg(not(unix))]
mod group {
    //! Without process groups: only the child itself is killed.

    use std::process::{Child, Command};

    pub fn isolate(_command: &mut Command) {}

    pub struct Registered;

    impl Registered {
        pub fn new(_child: &Child) -> Registered {
            Registered
        }

        pub fn kill(&self, child: &mut Child) {
            let _ = child.kill();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn bounded_keeps_the_start_and_the_end() {
        let mut buffer = Bounded::new(Limits { head: 4, tail: 3 });
        buffer.push(b"abcdefg");
        buffer.push(b"hij");
        buffer.push(b"k");
        assert_eq!(buffer.dropped, 4);
        let text = buffer.text();
        assert!(text.starts_with("abcd\n[... 4 bytes"), "{text}");
        assert!(text.ends_with("...]\nijk"), "{text}");
        let mut small = Bounded::new(Limits { head: 4, tail: 3 });
        small.push(b"ab");
        assert_eq!(small.text(), "ab");
    }

    #[test]
    fn a_print_flood_is_cut_to_the_limits() {
        let limits = Limits {
            head: 1000,
            tail: 1000,
        };
        let script = "i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done";
        let run = capture_with(shell(script), Duration::from_secs(60), limits).unwrap();
        assert!(run.status.unwrap().success());
        assert!(run.stdout.len() < 2100, "{}", run.stdout.len());
        assert!(run.stdout.starts_with("line 0\n"));
        assert!(run.stdout.trim_end().ends_with("line 19999"));
        assert!(run.stdout.contains(" bytes of output left out ...]"));
    }

    #[cfg(unix)]
    #[test]
    fn a_timeout_kills_the_whole_process_group() {
        let started = Instant::now();
        // The grandchild holds the pipes: without the group kill, reading them would hang.
        let run = capture(
            shell("sleep 30 & echo started; wait"),
            Duration::from_millis(300),
        )
        .unwrap();
        assert!(run.timed_out && run.status.is_none());
        assert_eq!(run.stdout, "started\n");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[cfg(unix)]
    #[test]
    fn leftover_children_die_with_their_parent() {
        let started = Instant::now();
        let run = capture(shell("sleep 30 & echo done"), Duration::from_secs(20)).unwrap();
        assert!(!run.timed_out);
        assert_eq!(run.stdout, "done\n");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
