//! Exercise 3: the original's first dask notebook as graphs (src/sleepy.rs).
//! Run: cargo test -p taskgraph --test sleepy

use std::time::Duration;

use taskgraph::Graph;
use taskgraph::order::levels;
use taskgraph::sleepy::{branchy_sum, square_square_add, sum_of_squares};

const PAUSE: Duration = Duration::from_millis(50);
const NO_PAUSE: Duration = Duration::ZERO;

#[test]
fn square_square_add_is_three_tasks_in_two_levels() {
    let mut g = Graph::new();
    let z = square_square_add(&mut g, PAUSE);
    assert_eq!(g.len(), 3, "square(1), square(2), add: three tasks");
    assert_eq!(
        levels(&g.names(), &g.deps()).map(|l| l.len()),
        Ok(2),
        "the squares do not depend on each other: two levels, so two pauses, not three"
    );
    let (value, trace) = g.compute_traced(z, 2).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(*value, 5);
    let squares: Vec<usize> = g.deps()[z.id].clone();
    assert_eq!(squares.len(), 2, "add takes the two squares");
    assert!(
        trace.overlap(squares[0], squares[1]),
        "on two threads the two squares run at the same time"
    );
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
    let y = sum_of_squares(&mut g, 4, PAUSE);
    let (value, trace) = g.compute_traced(y, 4).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(*value, 14);
    assert_eq!(
        trace.max_concurrency(),
        4,
        "four independent squares on four threads run all at once"
    );
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
