//! What several test files of lab 4 share (not a test file itself: cargo
//! builds only the files directly in `tests/` as tests).
//!
//! Tasks that must run at the same time prove it by meeting at a
//! [`Rendezvous`], not by sleeping: no test depends on how fast the machine is.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// How long a task waits at a rendezvous for the others before it fails:
/// only a run that cannot get there at all waits this long (a running worker
/// picks up a ready task in microseconds), and it ends well before the 20 s a
/// test may take when graded, so the failure comes with its message.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// A meeting point for `expected` tasks: each waits there until all of them
/// have arrived, so their being there together does not depend on timing.
/// Tasks that arrive once all have met pass straight through.
/// `std::sync::Barrier` would wait forever for a task that never comes; this
/// gives up after [`DEADLINE`] with a message.
pub struct Rendezvous {
    expected: usize,
    arrived: Mutex<usize>,
    all_here: Condvar,
}

impl Rendezvous {
    /// A rendezvous that `expected` tasks must reach together.
    pub fn new(expected: usize) -> Rendezvous {
        Rendezvous {
            expected,
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
        }
    }

    /// Arrives, then waits for the others; panics (inside the task, so the
    /// run ends with an error naming it) when they do not all come.
    pub fn meet(&self, task: &str) {
        // A poisoned lock only means another task failed here: its count is still right.
        let mut arrived = self.arrived.lock().unwrap_or_else(|p| p.into_inner());
        *arrived += 1;
        self.all_here.notify_all();
        let (arrived, _) = self
            .all_here
            .wait_timeout_while(arrived, DEADLINE, |arrived| *arrived < self.expected)
            .unwrap_or_else(|p| p.into_inner());
        assert!(
            *arrived >= self.expected,
            "{task} waited {DEADLINE:?} for {} tasks, all ready and with a worker each, to be \
             running at the same time, but only {} started: ready tasks do not run concurrently",
            self.expected,
            *arrived
        );
    }
}
