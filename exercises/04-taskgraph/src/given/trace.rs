//! What a run of the scheduler did (given code): when each task ran, and on
//! which worker, so that tests can check concurrency from the structure of a
//! run rather than from wall-clock times.

use std::time::Instant;

/// When a task ran, and on which worker of the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// When it started.
    pub start: Instant,
    /// When it ended.
    pub end: Instant,
    /// The index of the pool's thread that ran it.
    pub worker: usize,
}

/// What a run did: a span for each task that ran, `None` for the others.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// By task id.
    pub spans: Vec<Option<Span>>,
}

impl Trace {
    /// How many tasks ran.
    pub fn runs(&self) -> usize {
        self.spans.iter().flatten().count()
    }

    /// Whether tasks `a` and `b` both ran and were running at the same time.
    pub fn overlap(&self, a: usize, b: usize) -> bool {
        match (self.spans[a], self.spans[b]) {
            (Some(a), Some(b)) => a.start < b.end && b.start < a.end,
            _ => false,
        }
    }

    /// The most tasks that were running at the same time.
    pub fn max_concurrency(&self) -> usize {
        let mut events: Vec<(Instant, i32)> = self
            .spans
            .iter()
            .flatten()
            .flat_map(|span| [(span.start, 1), (span.end, -1)])
            .collect();
        // At equal instants, ends before starts: touching is not overlapping.
        events.sort();
        let (mut now, mut most) = (0, 0);
        for (_, change) in events {
            now += change;
            most = most.max(now);
        }
        most as usize
    }
}
