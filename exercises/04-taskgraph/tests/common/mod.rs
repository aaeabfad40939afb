//! What several test files of lab 4 share (not a test file itself: cargo
//! builds only the files directly in `tests/` as tests).
//!
//! Tasks that must run at the same time prove it by meeting at a
//! [`Rendezvous`], not by sleeping: no test depends on how fast the machine is.

use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long the tasks of a rendezvous may take to all get there, counted
/// from when it is made, just before the run: only a run that cannot get
/// there at all waits this long (a running worker picks up a ready task in
/// microseconds). It is one deadline for all of them, not one per task, so a
/// run that cannot meet fails in this time however many tasks wait in turn,
/// well before the 20 s a test may take when graded: the failure comes with
/// its message.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// A meeting point for `expected` tasks: each waits there until all of them
/// have arrived, so their being there together does not depend on timing.
/// Tasks that arrive once all have met pass straight through.
/// `std::sync::Barrier` would wait forever for a task that never comes; this
/// gives up at its deadline with a message.
pub struct Rendezvous {
    expected: usize,
    deadline: Instant,
    arrived: Mutex<usize>,
    all_here: Condvar,
}

impl Rendezvous {
    /// A rendezvous that `expected` tasks must reach together within
    /// [`DEADLINE`] from now.
    pub fn new(expected: usize) -> Rendezvous {
        Rendezvous {
            expected,
            deadline: Instant::now() + DEADLINE,
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
        }
    }

    /// Arrives, then waits for the others; panics (inside the task, so the
    /// run ends with an error naming it) when they do not all come in time.
    pub fn meet(&self, task: &str) {
        // A poisoned lock only means another task failed here: its count is still right.
        let mut arrived = self.arrived.lock().unwrap_or_else(|p| p.into_inner());
        *arrived += 1;
        self.all_here.notify_all();
        let left = self.deadline.saturating_duration_since(Instant::now());
        let (arrived, _) = self
            .all_here
            .wait_timeout_while(arrived, left, |arrived| *arrived < self.expected)
            .unwrap_or_else(|p| p.into_inner());
        assert!(
            *arrived >= self.expected,
            "{task} gave up after {DEADLINE:?} waiting for {} tasks, all ready and with a \
             worker each, to be running at the same time, but only {} started: ready tasks do \
             not run concurrently",
            self.expected,
            *arrived
        );
    }
}
