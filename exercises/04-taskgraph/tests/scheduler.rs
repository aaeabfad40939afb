//! Exercise 2: the scheduler (src/scheduler.rs).
//! Run: cargo test -p taskgraph --test scheduler
//!
//! No wall-clock assertions: what is checked is the structure of a run (which
//! tasks ran, how often, which at the same time), from its trace.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::Duration;

use taskgraph::{Graph, GraphError, Value};

const PAUSE: Duration = Duration::from_millis(50);

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
    let mut g = Graph::new();
    let a = g.delayed("a", || {
        sleep(PAUSE);
        1_u64
    });
    let b = g.delayed("b", || {
        sleep(PAUSE);
        2_u64
    });
    let sum = g.delayed2("sum", a, b, |a, b| a + b);
    let (value, trace) = g.compute_traced(sum, 4).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(*value, 3);
    assert!(
        trace.overlap(a.id, b.id),
        "a and b need nothing: with 4 threads they must run at the same time (spawn every \
         ready task on the pool, do not run them one by one): {trace:?}"
    );
    let (span_a, span_b, span_sum) = (
        trace.spans[a.id].unwrap(),
        trace.spans[b.id].unwrap(),
        trace.spans[sum.id].unwrap(),
    );
    assert!(
        span_sum.start >= span_a.end && span_sum.start >= span_b.end,
        "sum starts only once both of its inputs are done"
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
    let workers = 3;
    let mut g = Graph::new();
    let tasks: Vec<_> = (0..workers as u64 + 1)
        .map(|i| {
            g.delayed(&format!("square({i})"), move || {
                sleep(PAUSE);
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
        trace.max_concurrency(),
        workers,
        "{} tasks on {workers} workers: at most {workers} run at once",
        workers + 1
    );
    let first_end = tasks
        .iter()
        .map(|t| trace.spans[t.id].unwrap().end)
        .min()
        .unwrap();
    let late = tasks
        .iter()
        .filter(|t| trace.spans[t.id].unwrap().start >= first_end)
        .count();
    assert_eq!(late, 1, "one task waits for a free worker: a second wave");
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
