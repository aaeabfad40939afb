//! Exercise 1: the order of a graph, and its picture. (solution)
//!
//! Tasks are given by their dependencies: `deps[t]` lists the ids of the
//! tasks that task `t` needs. A task can run once all of them have.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::error::GraphError;

// ANCHOR: check_deps
/// Checks that every dependency is the id of a task: `Err(UnknownDependency)`
/// for the first that is not.
///
/// # Examples
///
/// ```
/// use taskgraph_solution::GraphError;
/// use taskgraph_solution::order::check_deps;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// check_deps(&["load", "sum"], &[vec![], vec![0]])?;
/// let unknown = check_deps(&["load", "sum"], &[vec![], vec![2]]);
/// assert!(matches!(unknown, Err(GraphError::UnknownDependency { dependency: 2, .. })));
/// # Ok(())
/// # }
/// ```
pub fn check_deps(names: &[&str], deps: &[Vec<usize>]) -> Result<(), GraphError> {
    for (task, needs) in deps.iter().enumerate() {
        if let Some(&dependency) = needs.iter().find(|&&d| d >= deps.len()) {
            return Err(GraphError::UnknownDependency {
                task: names[task].to_string(),
                dependency,
                tasks: deps.len(),
            });
        }
    }
    Ok(())
}
// ANCHOR_END: check_deps

// ANCHOR: topological_order
/// Every task once, each after all its dependencies (Kahn's algorithm). Of
/// the tasks ready at a time, the smallest id goes first, so the order is
/// the same on every run. A cycle is `Err(GraphError::Cycle)`, with the
/// names of the tasks on one cycle.
///
/// # Examples
///
/// ```
/// use taskgraph_solution::GraphError;
/// use taskgraph_solution::order::topological_order;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // "plot" needs "clean" and "load"; "clean" needs "load".
/// let names = ["clean", "load", "plot"];
/// assert_eq!(topological_order(&names, &[vec![1], vec![], vec![0, 1]])?, [1, 0, 2]);
///
/// let cycle = topological_order(&["a", "b"], &[vec![1], vec![0]]);
/// assert!(matches!(cycle, Err(GraphError::Cycle { .. })));
/// # Ok(())
/// # }
/// ```
pub fn topological_order(names: &[&str], deps: &[Vec<usize>]) -> Result<Vec<usize>, GraphError> {
    check_deps(names, deps)?;
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let dependents = dependents(deps);
    let mut ready: BTreeSet<usize> = (0..deps.len()).filter(|&t| waiting[t] == 0).collect();
    let mut order = Vec::with_capacity(deps.len());
    while let Some(task) = ready.pop_first() {
        order.push(task);
        for &next in &dependents[task] {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.insert(next);
            }
        }
    }
    if order.len() < deps.len() {
        let stuck = (0..deps.len())
            .find(|&t| waiting[t] > 0)
            .expect("a task is left");
        return Err(GraphError::Cycle {
            tasks: cycle_from(stuck, deps, &waiting)
                .into_iter()
                .map(|t| names[t].to_string())
                .collect(),
        });
    }
    Ok(order)
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

/// A cycle among the tasks Kahn's algorithm could not order: from `start`,
/// follow an unordered dependency until a task repeats.
fn cycle_from(start: usize, deps: &[Vec<usize>], waiting: &[usize]) -> Vec<usize> {
    let mut path = vec![start];
    let mut current = start;
    loop {
        current = *deps[current]
            .iter()
            .find(|&&d| waiting[d] > 0)
            .expect("an unordered task waits for an unordered task");
        if let Some(at) = path.iter().position(|&t| t == current) {
            return path.split_off(at);
        }
        path.push(current);
    }
}

// ANCHOR: levels
/// The tasks by level: level 0 needs nothing, level k needs only tasks of
/// levels below k (and one of level k - 1). With enough workers each level
/// runs at once, so the number of levels is the shortest possible run, in
/// task durations: the critical path.
///
/// # Examples
///
/// ```
/// use taskgraph_solution::order::levels;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // Two independent squares, their sum, and a last task on the sum.
/// let names = ["square(1)", "square(2)", "add", "print"];
/// let deps = [vec![], vec![], vec![0, 1], vec![2]];
/// assert_eq!(levels(&names, &deps)?, [vec![0, 1], vec![2], vec![3]]);
/// # Ok(())
/// # }
/// ```
pub fn levels(names: &[&str], deps: &[Vec<usize>]) -> Result<Vec<Vec<usize>>, GraphError> {
    let order = topological_order(names, deps)?;
    let mut level = vec![0; deps.len()];
    let mut levels: Vec<Vec<usize>> = Vec::new();
    for task in order {
        level[task] = deps[task].iter().map(|&d| level[d] + 1).max().unwrap_or(0);
        if levels.len() <= level[task] {
            levels.resize(level[task] + 1, Vec::new());
        }
        levels[level[task]].push(task);
    }
    for tasks in &mut levels {
        tasks.sort_unstable();
    }
    Ok(levels)
}
// ANCHOR_END: levels

// ANCHOR: to_dot
/// The graph in Graphviz's DOT language, drawn left to right: one node
/// `tN` per task, labelled with its name, and an edge from each dependency
/// to the task that needs it (data flows along the arrows).
///
/// # Examples
///
/// ```
/// use taskgraph_solution::order::to_dot;
///
/// let dot = to_dot(&["x", "y"], &[vec![], vec![0]]);
/// assert!(dot.starts_with("digraph {"));
/// assert!(dot.contains("t1 [label=\"y\"];"));
/// assert!(dot.contains("t0 -> t1;"));
/// ```
pub fn to_dot(names: &[&str], deps: &[Vec<usize>]) -> String {
    let mut dot = String::from("digraph {\n  rankdir=LR;\n  node [shape=box];\n");
    for (task, name) in names.iter().enumerate() {
        let label = name.replace('\\', "\\\\").replace('"', "\\\"");
        writeln!(dot, "  t{task} [label=\"{label}\"];").expect("writing to a String");
    }
    for (task, needs) in deps.iter().enumerate() {
        for d in needs {
            writeln!(dot, "  t{d} -> t{task};").expect("writing to a String");
        }
    }
    dot.push_str("}\n");
    dot
}
// ANCHOR_END: to_dot
