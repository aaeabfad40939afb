//! Exercise 3: the original course's first dask notebook, as graphs. Its
//! functions sleep to stand for real work; here the pause is a parameter,
//! milliseconds in the tests instead of the notebook's 2 s.
//!
//! Replace the `todo!()`s (marked `// TODO:`), then run
//! `cargo test -p taskgraph --test sleepy`.

use std::thread::sleep;
use std::time::Duration;

use crate::graph::{Delayed, Graph};

// ANCHOR: square_add
/// n², after `pause` (the notebook's `square`).
pub fn square(n: u64, pause: Duration) -> u64 {
    sleep(pause);
    n * n
}

/// m + n, after `pause` (the notebook's `add`; its 2019 version returned
/// m * n, a bug).
pub fn add(m: u64, n: u64, pause: Duration) -> u64 {
    sleep(pause);
    m + n
}
// ANCHOR_END: square_add

// ANCHOR: square_square_add
/// `add(square(1), square(2))` as a graph: two independent squares, then
/// their sum, 5. Run one after the other it takes 3 pauses; as a graph, 2.
pub fn square_square_add(graph: &mut Graph, pause: Duration) -> Delayed<u64> {
    // TODO: two tasks without dependencies, `graph.delayed("square(1)", move || square(1,
    // pause))` and the same for 2, then `graph.delayed2("add", x, y, ...)` over them.
    let _ = (graph, pause);
    todo!("add(square(1), square(2)) as a graph")
}
// ANCHOR_END: square_square_add

// ANCHOR: sum_of_squares
/// Σ i² for i < n, lazily: the squares are tasks, and so is the sum, which
/// must wait for all of them (285 for n = 10). `sum` does no sleeping: it is
/// a task only because its inputs are.
pub fn sum_of_squares(graph: &mut Graph, n: u64, pause: Duration) -> Delayed<u64> {
    // TODO: a `delayed` square task per i < n, collected in a Vec, then one
    // `graph.delayed_all("sum", &squares, ...)` task that adds their values.
    let _ = (graph, pause);
    todo!("the sum of the squares of 0..{n} as a graph")
}
// ANCHOR_END: sum_of_squares

// ANCHOR: branchy_sum
/// The notebook's loop with a branch, lazily: `square(i)` for even i,
/// `add(i, i)` for odd i, then the sum (170 for n = 10). The branch is on
/// the loop's `i`, known while the graph is built, so it picks which task to
/// add; a branch on a task's *value* would have to go inside a task.
pub fn branchy_sum(graph: &mut Graph, n: u64, pause: Duration) -> Delayed<u64> {
    // TODO: as sum_of_squares, with a square task for even i and an add(i, i) task for
    // odd i (name them "square(i)" and "add(i, i)").
    let _ = (graph, pause);
    todo!("the loop with a branch over 0..{n} as a graph")
}
// ANCHOR_END: branchy_sum
