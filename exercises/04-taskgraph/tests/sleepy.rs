//! Exercise 3: the original's first dask notebook as graphs (src/sleepy.rs).
//! Run: cargo test -p taskgraph --test sleepy
//!
//! No wall-clock assertions. That independent tasks run at the same time is
//! shown by a rendezvous: the graph is run with every task that needs nothing
//! waiting, before its own work, until all such tasks are running (see
//! [`common::Rendezvous`]). They can only all get there together if the graph lets
//! them start together; the trace then shows the structure of the run.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use taskgraph::Graph;
use taskgraph::order::levels;
use taskgraph::scheduler::Trace;
use taskgraph::sleepy::{branchy_sum, square_square_add, sum_of_squares};

mod common;
use common::Rendezvous;

const NO_PAUSE: Duration = Duration::ZERO;

/// The tasks of `graph` that need no input, by id.
fn leaves(graph: &Graph) -> Vec<usize> {
    let deps = graph.deps();
    (0..graph.len()).filter(|&t| deps[t].is_empty()).collect()
}

/// Computes `target` of `graph` on `threads` threads, every task running its
/// own function, those without inputs after meeting at one rendezvous.
/// Returns the value and the trace.
fn compute_meeting(graph: &Graph, target: usize, threads: usize) -> (u64, Trace) {
    let rendezvous = Arc::new(Rendezvous::new(leaves(graph).len()));
    let mut meeting = Graph::new();
    // Same ids, names and inputs, in the same order.
    for task in graph.tasks() {
        let (name, run) = (task.name.clone(), Arc::clone(&task.run));
        let meets = task.deps.is_empty().then(|| Arc::clone(&rendezvous));
        meeting.task(&task.name, task.deps.clone(), move |inputs| {
            if let Some(rendezvous) = &meets {
                rendezvous.meet(&name);
            }
            run(inputs)
        });
    }
    let (values, trace) = meeting
        .compute_raw(&[target], threads)
        .unwrap_or_else(|e| panic!("{e}"));
    let value = *values[0]
        .downcast_ref::<u64>()
        .expect("the target computes a u64");
    (value, trace)
}

/// What the trace of a run must show: every task of `graph` ran; the tasks
/// without inputs ran on as many workers, each started before any of them
/// ended; every task started after its inputs ended.
fn assert_ran_together(graph: &Graph, trace: &Trace) {
    let names = graph.names();
    assert_eq!(trace.runs(), graph.len(), "every task runs: {trace:?}");
    let spans: Vec<_> = trace.spans.iter().map(|s| s.expect("ran")).collect();
    let leaves = leaves(graph);
    let workers: BTreeSet<usize> = leaves.iter().map(|&t| spans[t].worker).collect();
    assert_eq!(
        workers.len(),
        leaves.len(),
        "the {} tasks without inputs ran together, so each on a worker of its own",
        leaves.len()
    );
    for &a in &leaves {
        for &b in &leaves {
            assert!(
                spans[a].start <= spans[b].end,
                "{} started after {} ended",
                names[a],
                names[b]
            );
        }
    }
    for (task, deps) in graph.deps().iter().enumerate() {
        for &input in deps {
            assert!(
                spans[task].start >= spans[input].end,
                "{} started before its input {} ended",
                names[task],
                names[input]
            );
        }
    }
}

#[test]
fn square_square_add_is_three_tasks_in_two_levels() {
    let mut g = Graph::new();
    let z = square_square_add(&mut g, NO_PAUSE);
    assert_eq!(g.len(), 3, "square(1), square(2), add: three tasks");
    assert_eq!(
        levels(&g.names(), &g.deps()).map(|l| l.len()),
        Ok(2),
        "the squares do not depend on each other: two levels, so two pauses, not three"
    );
    assert_eq!(*g.compute(z).unwrap_or_else(|e| panic!("{e}")), 5);
    let squares: Vec<usize> = g.deps()[z.id].clone();
    assert_eq!(squares.len(), 2, "add takes the two squares");
    assert_eq!(leaves(&g), squares, "the squares need no input");
    let (value, trace) = compute_meeting(&g, z.id, 2);
    assert_eq!(value, 5);
    // On two threads the two squares run at the same time.
    assert_ran_together(&g, &trace);
}

#[test]
fn sum_of_squares_delays_every_square_and_the_sum() {
    let mut g = Graph::new();
    let y = sum_of_squares(&mut g, 10, NO_PAUSE);
    assert_eq!(
        *g.compute(y).unwrap_or_else(|e| panic!("{e}")),
        285,
        "0² + 1² + ... + 9²"
    );
    assert_eq!(g.len(), 11, "ten square tasks and one sum task");
    assert_eq!(
        g.deps()[y.id].len(),
        10,
        "the sum is a task whose inputs are the ten squares: delaying only the squares \
         would leave nothing to sum lazily"
    );
    let dot = g.to_dot();
    assert_eq!(
        dot.matches("->").count(),
        10,
        "ten edges into the sum:\n{dot}"
    );
}

#[test]
fn sum_of_squares_runs_its_squares_concurrently() {
    let mut g = Graph::new();
    let y = sum_of_squares(&mut g, 4, NO_PAUSE);
    assert_eq!(
        leaves(&g),
        g.deps()[y.id],
        "the four squares need no input, not even each other, and the sum needs them all"
    );
    // Four independent squares on four threads run all at once.
    let (value, trace) = compute_meeting(&g, y.id, 4);
    assert_eq!(value, 14);
    assert_ran_together(&g, &trace);
}

#[test]
fn branchy_sum_delays_both_branches() {
    let mut g = Graph::new();
    let y = branchy_sum(&mut g, 10, NO_PAUSE);
    assert_eq!(
        *g.compute(y).unwrap_or_else(|e| panic!("{e}")),
        170,
        "squares of 0, 2, 4, 6, 8 (120) plus i + i for 1, 3, 5, 7, 9 (50)"
    );
    assert_eq!(g.len(), 11);
    let names = g.names();
    assert_eq!(
        names.iter().filter(|n| n.starts_with("add")).count(),
        5,
        "the odd i are add tasks: {names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| n.starts_with("square")).count(),
        5,
        "the even i are square tasks: {names:?}"
    );
}
