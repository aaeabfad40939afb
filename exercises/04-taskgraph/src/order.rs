//! Exercise 1: the order of a graph, and its picture.
//!
//! Replace the `todo!()`s (marked `// TODO:`), then run
//! `cargo test -p taskgraph --test order`.
//!
//! Tasks are given by their dependencies: `deps[t]` lists the ids of the
//! tasks that task `t` needs. A task can run once all of them have.

use crate::error::GraphError;

// ANCHOR: check_deps
/// Checks that every dependency is the id of a task: `Err(UnknownDependency)`
/// for the first that is not.
pub fn check_deps(names: &[&str], deps: &[Vec<usize>]) -> Result<(), GraphError> {
    // TODO: for each task (its index in `deps`) and each of its dependencies, an id that is
    // not below deps.len() is Err(GraphError::UnknownDependency { task: its name, dependency,
    // tasks: deps.len() }).
    todo!(
        "check the dependencies of {} tasks named {names:?}",
        deps.len()
    )
}
// ANCHOR_END: check_deps

// ANCHOR: topological_order
/// Every task once, each after all its dependencies (Kahn's algorithm). Of
/// the tasks ready at a time, the smallest id goes first, so the order is
/// the same on every run. A cycle is `Err(GraphError::Cycle)`, with the
/// names of the tasks on one cycle.
pub fn topological_order(names: &[&str], deps: &[Vec<usize>]) -> Result<Vec<usize>, GraphError> {
    // TODO: check_deps first. Then Kahn's algorithm: count each task's dependencies
    // (`waiting`), start with the tasks that wait for none (smallest id first: a BTreeSet's
    // pop_first), and each time a task is placed, decrement the count of the tasks that need
    // it (`dependents`, given below), adding those that reach 0. Tasks left over are on or
    // behind a cycle: from one of them, follow a left-over dependency until a task repeats;
    // the tasks from its first visit on are the cycle (GraphError::Cycle with their names).
    todo!("order {} tasks named {names:?}", deps.len())
}
// ANCHOR_END: topological_order

/// `dependents[t]`: the tasks that need task `t` (a task needing t twice is
/// listed twice, as it counted t twice).
pub fn dependents(deps: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut dependents = vec![Vec::new(); deps.len()];
    for (task, needs) in deps.iter().enumerate() {
        for &d in needs {
            dependents[d].push(task);
        }
    }
    dependents
}

// ANCHOR: levels
/// The tasks by level: level 0 needs nothing, level k needs only tasks of
/// levels below k (and one of level k - 1). With enough workers each level
/// runs at once, so the number of levels is the shortest possible run, in
/// task durations: the critical path.
pub fn levels(names: &[&str], deps: &[Vec<usize>]) -> Result<Vec<Vec<usize>>, GraphError> {
    // TODO: in a topological order, a task's level is 0 without dependencies, else one more
    // than its highest dependency's. Group the ids by level, each group in ascending order.
    todo!("the levels of {} tasks named {names:?}", deps.len())
}
// ANCHOR_END: levels

// ANCHOR: to_dot
/// The graph in Graphviz's DOT language, drawn left to right: one node
/// `tN` per task, labelled with its name, and an edge from each dependency
/// to the task that needs it (data flows along the arrows).
pub fn to_dot(names: &[&str], deps: &[Vec<usize>]) -> String {
    // TODO: "digraph {", a `rankdir=LR;` line, then a line `  tN [label="name"];` per task
    // (a `"` in a name written as `\"`, and a `\` as `\\`), a line `  tD -> tN;` per
    // dependency D of task N, and "}". `use std::fmt::Write` lets `writeln!` write to a String.
    todo!("the DOT text of {} tasks named {names:?}", deps.len())
}
// ANCHOR_END: to_dot
