//! Exercise 2: the scheduler (src/scheduler.rs).
//! Run: cargo test -p taskgraph --test scheduler
//!
//! No wall-clock assertions: what is checked is the structure of a run (which
//! tasks ran, how often, on which worker, in which order), from its trace.
//! That tasks run at the same time is shown by a rendezvous (see
//! [`common::Rendezvous`]): they can only all get there if they all run at once.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use taskgraph::scheduler::Trace;
use taskgraph::{Graph, GraphError, Value};

mod common;
use common::Rendezvous;

/// Whether task `a` started before task `b` ended, by the trace. (Not
/// `Trace::overlap`: two readings of the clock may be equal, and here a task
/// that waited for another at a rendezvous is known to overlap it.)
fn started_before_end_of(trace: &Trace, a: usize, b: usize) -> bool {
    match (trace.spans[a], trace.spans[b]) {
        (Some(a), Some(b)) => a.start <= b.end,
        _ => false,
    }
}

/// What tasks see of each other while they run, counted by the tasks
/// themselves (not read off the trace): how many are inside their function
/// now, the most there ever were, how many have finished, which tasks started
/// only once another had finished, and where each ran.
#[derive(Default)]
struct Running {
    now: AtomicUsize,
    most: AtomicUsize,
    finished: AtomicUsize,
    after_a_finish: Mutex<Vec<String>>,
    /// Per task, as rayon sees it: the index of its thread in a pool and how
    /// many threads that pool has, or `None` when it is on no pool at all.
    places: Mutex<Vec<Option<(usize, usize)>>>,
}

impl Running {
    /// Called by task `name` first thing.
    fn enter(&self, name: &str) {
        let place = rayon::current_thread_index().map(|i| (i, rayon::current_num_threads()));
        self.places
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(place);
        if self.finished.load(Ordering::SeqCst) > 0 {
            self.after_a_finish
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(name.to_string());
        }
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }

    /// Called by a task last thing.
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
        self.finished.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn values_flow_along_the_edges() {
    let mut g = Graph::new();
    let two = g.delayed("two", || 2_u64);
    let three = g.delayed("three", || 3_u64);
    let product = g.delayed2("mul", two, three, |a, b| a * b);
    let text = g.delayed1("show", product, |p| format!("{p}"));
    assert_eq!(*g.compute(product).unwrap_or_else(|e| panic!("{e}")), 6);
    assert_eq!(
        g.compute(text).unwrap_or_else(|e| panic!("{e}")).as_str(),
        "6"
    );
}

#[test]
fn independent_tasks_run_at_the_same_time() {
    // a and b each wait, before returning, until both are running.
    let rendezvous = Arc::new(Rendezvous::new(2));
    let mut g = Graph::new();
    let meets = Arc::clone(&rendezvous);
    let a = g.delayed("a", move || {
        meets.meet("a");
        1_u64
    });
    let meets = Arc::clone(&rendezvous);
    let b = g.delayed("b", move || {
        meets.meet("b");
        2_u64
    });
    let sum = g.delayed2("sum", a, b, |a, b| a + b);
    let (value, trace) = g.compute_traced(sum, 4).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(*value, 3);
    assert_eq!(trace.runs(), 3, "a, b and sum each ran: {trace:?}");
    let (span_a, span_b, span_sum) = (
        trace.spans[a.id].unwrap(),
        trace.spans[b.id].unwrap(),
        trace.spans[sum.id].unwrap(),
    );
    assert_ne!(
        span_a.worker, span_b.worker,
        "a and b ran at the same time, so on two workers of the pool: {trace:?}"
    );
    assert!(
        started_before_end_of(&trace, a.id, b.id) && started_before_end_of(&trace, b.id, a.id),
        "a and b ran at the same time, so each started before the other ended: {trace:?}"
    );
    assert!(
        span_sum.start >= span_a.end && span_sum.start >= span_b.end,
        "sum starts only once both of its inputs are done: {trace:?}"
    );
}

#[test]
fn each_task_runs_once_even_when_several_tasks_need_it() {
    let calls = Arc::new(AtomicUsize::new(0));
    let mut g = Graph::new();
    let counted = Arc::clone(&calls);
    let x = g.delayed("x", move || {
        counted.fetch_add(1, Ordering::SeqCst);
        10_u64
    });
    let doubled = g.delayed2("x + x", x, x, |a, b| a + b);
    let plus_one = g.delayed1("x + 1", x, |a| a + 1);
    let total = g.delayed2("total", doubled, plus_one, |a, b| a + b);
    assert_eq!(*g.compute(total).unwrap_or_else(|e| panic!("{e}")), 31);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "x feeds three arguments of two tasks, and runs once: its value is shared"
    );
}

#[test]
fn only_the_tasks_the_target_needs_run() {
    let mut g = Graph::new();
    let wanted = g.delayed("wanted", || 1_u64);
    let unrelated = g.delayed("unrelated", || -> u64 { panic!("this task is not needed") });
    let (_, trace) = g
        .compute_traced(wanted, 2)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        trace.spans[unrelated.id].is_none(),
        "a task no target needs does not run"
    );
    assert_eq!(trace.runs(), 1);
}

#[test]
fn more_tasks_than_workers_run_in_waves() {
    // The notebook's question 2: 24 calls on 24 threads take one pause, 25 take two.
    // Here 4 independent tasks on 3 workers: each waits, before returning, until 3 are
    // running. The first 3 can meet only if all 3 workers run them together; the fourth
    // finds them met and passes, once a worker is free for it.
    let workers = 3;
    let rendezvous = Arc::new(Rendezvous::new(workers));
    let running = Arc::new(Running::default());
    let mut g = Graph::new();
    let names: Vec<String> = (0..=workers).map(|i| format!("square({i})")).collect();
    let tasks: Vec<_> = (0..workers as u64 + 1)
        .zip(&names)
        .map(|(i, name)| {
            let (meets, running) = (Arc::clone(&rendezvous), Arc::clone(&running));
            let own_name = name.clone();
            g.delayed(name, move || {
                running.enter(&own_name);
                meets.meet(&own_name);
                running.leave();
                i * i
            })
        })
        .collect();
    let sum = g.delayed_all("sum", &tasks, |v| v.iter().copied().sum::<u64>());
    let (value, trace) = g
        .compute_traced(sum, workers)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(*value, 14);
    assert_eq!(
        trace.runs(),
        workers + 2,
        "the {} squares and the sum each ran: {trace:?}",
        workers + 1
    );
    let places = running
        .places
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    assert!(
        places
            .iter()
            .all(|p| p.is_some_and(|(_, size)| size == workers)),
        "every task runs on a thread of the pool it was given ({workers} threads), not on a \
         thread or pool of its own; (thread index, pool size) per task: {places:?}"
    );
    assert_eq!(
        running.most.load(Ordering::SeqCst),
        workers,
        "{} tasks on a pool of {workers} threads: {workers} of them run at once, never more",
        workers + 1
    );
    let late = running
        .after_a_finish
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    assert_eq!(
        late.len(),
        1,
        "one task waits for a free worker and starts only after another one finished, a \
         second wave; these started after a finish: {late:?}"
    );
    let late_id = tasks[names.iter().position(|n| *n == late[0]).unwrap()].id;
    let first_wave: Vec<usize> = tasks
        .iter()
        .map(|t| t.id)
        .filter(|&t| t != late_id)
        .collect();
    let first_end = first_wave
        .iter()
        .map(|&t| trace.spans[t].unwrap().end)
        .min()
        .unwrap();
    assert!(
        trace.spans[late_id].unwrap().start >= first_end,
        "the trace shows {} starting only after a task of the first wave ended: {trace:?}",
        late[0]
    );
    let workers_used: BTreeSet<usize> = first_wave
        .iter()
        .map(|&t| trace.spans[t].unwrap().worker)
        .collect();
    assert_eq!(
        workers_used.len(),
        workers,
        "the first wave's {workers} tasks ran together, so each on a worker of its own: {trace:?}"
    );
}

#[test]
fn a_panicking_task_is_an_error_naming_it_not_a_crash_or_a_hang() {
    let mut g = Graph::new();
    let fine = g.delayed("fine", || 1_u64);
    let broken = g.delayed1("broken", fine, |_| -> u64 { panic!("division by zero") });
    let after = g.delayed1("after", broken, |b| b + 1);
    match g.compute_traced(after, 2) {
        Err(GraphError::TaskPanicked { task, message }) => {
            assert_eq!(task, "broken");
            assert!(
                message.contains("division by zero"),
                "the panic's message: {message}"
            );
        }
        other => panic!("a panic inside a task must be Err(TaskPanicked), not {other:?}"),
    }
}

#[test]
fn a_cycle_or_an_unknown_dependency_is_an_error_not_a_hang() {
    let mut g = Graph::new();
    // Raw tasks: a needs b (id 1), b needs a (id 0).
    let a = g.task("a", vec![1], |_| Arc::new(0_u64) as Value);
    let _b = g.task("b", vec![0], |_| Arc::new(0_u64) as Value);
    assert!(
        matches!(g.compute_raw(&[a], 2), Err(GraphError::Cycle { .. })),
        "a cycle would wait forever: check before running"
    );
    let mut g = Graph::new();
    let c = g.task("c", vec![5], |_| Arc::new(0_u64) as Value);
    assert!(matches!(
        g.compute_raw(&[c], 2),
        Err(GraphError::UnknownDependency { dependency: 5, .. })
    ));
}

#[test]
fn raw_tasks_compute_values_of_any_type() {
    let mut g = Graph::new();
    let id = g.task("number", vec![], |_| Arc::new(5_u64) as Value);
    let (values, _) = g.compute_raw(&[id], 1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(values[0].downcast_ref::<u64>(), Some(&5));
}
