//! Exercise 3: the original course's first dask notebook, as graphs. Its
//! functions sleep to stand for real work; here the pause is a parameter,
//! milliseconds in the tests instead of the notebook's 2 s. (solution)

use std::thread::sleep;
use std::time::Duration;

use crate::graph::{Delayed, Graph};

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

// ANCHOR: square_square_add
/// `add(square(1), square(2))` as a graph: two independent squares, then
/// their sum, 5. Run one after the other it takes 3 pauses; as a graph, 2.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// use taskgraph_solution::Graph;
/// use taskgraph_solution::sleepy::square_square_add;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut graph = Graph::new();
/// let total = square_square_add(&mut graph, Duration::ZERO);
/// assert_eq!(graph.len(), 3); // nothing ran yet
/// assert_eq!(*graph.compute(total)?, 5);
/// # Ok(())
/// # }
/// ```
pub fn square_square_add(graph: &mut Graph, pause: Duration) -> Delayed<u64> {
    let x = graph.delayed("square(1)", move || square(1, pause));
    let y = graph.delayed("square(2)", move || square(2, pause));
    graph.delayed2("add", x, y, move |&x, &y| add(x, y, pause))
}
// ANCHOR_END: square_square_add

// ANCHOR: sum_of_squares
/// Σ i² for i < n, lazily: the squares are tasks, and so is the sum, which
/// must wait for all of them (285 for n = 10). `sum` does no sleeping: it is
/// a task only because its inputs are.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// use taskgraph_solution::Graph;
/// use taskgraph_solution::sleepy::sum_of_squares;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut graph = Graph::new();
/// let total = sum_of_squares(&mut graph, 10, Duration::ZERO);
/// assert_eq!(*graph.compute(total)?, 285);
/// # Ok(())
/// # }
/// ```
pub fn sum_of_squares(graph: &mut Graph, n: u64, pause: Duration) -> Delayed<u64> {
    let squares: Vec<Delayed<u64>> = (0..n)
        .map(|i| graph.delayed(&format!("square({i})"), move || square(i, pause)))
        .collect();
    graph.delayed_all("sum", &squares, |values| values.iter().copied().sum())
}
// ANCHOR_END: sum_of_squares

// ANCHOR: branchy_sum
/// The notebook's loop with a branch, lazily: `square(i)` for even i,
/// `add(i, i)` for odd i, then the sum (170 for n = 10). The branch is on
/// the loop's `i`, known while the graph is built, so it picks which task to
/// add; a branch on a task's *value* would have to go inside a task.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// use taskgraph_solution::Graph;
/// use taskgraph_solution::sleepy::branchy_sum;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut graph = Graph::new();
/// let total = branchy_sum(&mut graph, 10, Duration::ZERO);
/// assert_eq!(*graph.compute(total)?, 170);
/// # Ok(())
/// # }
/// ```
pub fn branchy_sum(graph: &mut Graph, n: u64, pause: Duration) -> Delayed<u64> {
    let terms: Vec<Delayed<u64>> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                graph.delayed(&format!("square({i})"), move || square(i, pause))
            } else {
                graph.delayed(&format!("add({i}, {i})"), move || add(i, i, pause))
            }
        })
        .collect();
    graph.delayed_all("sum", &terms, |values| values.iter().copied().sum())
}
// ANCHOR_END: branchy_sum
