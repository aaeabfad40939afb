//! Exercise 2: the scheduler. It runs a graph's tasks on a rayon pool: a
//! task starts as soon as its dependencies are done, independent tasks run
//! at the same time, each task runs once, and a panic stops the run with an
//! error instead of taking the program down or hanging it. (solution)

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::time::Instant;

use rayon::{Scope, ThreadPool};

use crate::error::GraphError;
use crate::graph::{Graph, Value};
use crate::order;

pub use crate::trace::{Span, Trace};

/// The run's shared state.
struct State {
    /// Per task: how many of its dependencies are not done yet.
    waiting: Vec<usize>,
    /// Per task: its value once done.
    values: Vec<Option<Value>>,
    spans: Vec<Option<Span>>,
    /// The first panic; once set, no task starts.
    failed: Option<GraphError>,
}

/// What every task of a run reads.
struct Run<'g> {
    graph: &'g Graph,
    /// Per task: the tasks of this run that need it.
    dependents: Vec<Vec<usize>>,
    state: Mutex<State>,
}

// ANCHOR: execute
/// Computes `targets` and the tasks they need, on `pool`; returns their
/// values (in the order of `targets`) and the run's trace.
///
/// # Examples
///
/// ```
/// use taskgraph_solution::{Graph, GraphError};
/// use taskgraph_solution::scheduler::execute;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut graph = Graph::new();
/// let two = graph.delayed("two", || 2_u64);
/// let three = graph.delayed("three", || 3_u64);
/// let product = graph.delayed2("product", two, three, |a, b| a * b);
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
///
/// let (values, trace) = execute(&graph, &[product.id], &pool)?;
/// assert_eq!(values[0].downcast_ref::<u64>(), Some(&6));
/// assert!(trace.spans.iter().all(Option::is_some)); // each task ran
///
/// // A panic in a task is an error, not a crash.
/// let boom = graph.delayed("boom", || -> u64 { panic!("boom") });
/// let result = execute(&graph, &[boom.id], &pool);
/// assert!(matches!(result, Err(GraphError::TaskPanicked { .. })));
/// # Ok(())
/// # }
/// ```
pub fn execute(
    graph: &Graph,
    targets: &[usize],
    pool: &ThreadPool,
) -> Result<(Vec<Value>, Trace), GraphError> {
    let names = graph.names();
    let mut deps = graph.deps();
    order::check_deps(&names, &deps)?;
    for &target in targets {
        if target >= deps.len() {
            return Err(GraphError::UnknownDependency {
                task: "compute's target".into(),
                dependency: target,
                tasks: deps.len(),
            });
        }
    }
    // Only what the targets need: the others do not run, nor count as waiting.
    let needed = needed(&deps, targets);
    for (task, needs) in deps.iter_mut().enumerate() {
        if !needed[task] {
            needs.clear();
        }
    }
    order::topological_order(&names, &deps)?;

    let run = Run {
        graph,
        // From the pruned deps: only needed tasks are anyone's dependents.
        dependents: order::dependents(&deps),
        state: Mutex::new(State {
            waiting: deps.iter().map(Vec::len).collect(),
            values: vec![None; deps.len()],
            spans: vec![None; deps.len()],
            failed: None,
        }),
    };
    let ready: Vec<usize> = (0..deps.len())
        .filter(|&t| needed[t] && deps[t].is_empty())
        .collect();
    pool.scope(|scope| {
        for task in ready {
            let run = &run;
            scope.spawn(move |scope| run.task(scope, task));
        }
    });

    let state = run.state.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Some(error) = state.failed {
        return Err(error);
    }
    let values = targets
        .iter()
        .map(|&t| state.values[t].clone().expect("every needed task ran"))
        .collect();
    Ok((values, Trace { spans: state.spans }))
}
// ANCHOR_END: execute

/// Which tasks the targets need, themselves included.
fn needed(deps: &[Vec<usize>], targets: &[usize]) -> Vec<bool> {
    let mut needed = vec![false; deps.len()];
    let mut stack = targets.to_vec();
    while let Some(task) = stack.pop() {
        if !std::mem::replace(&mut needed[task], true) {
            stack.extend(&deps[task]);
        }
    }
    needed
}

impl<'g> Run<'g> {
    // ANCHOR: run_task
    /// Runs one ready task, then spawns the dependents it made ready.
    fn task<'s>(&'s self, scope: &Scope<'s>, task: usize) {
        let inputs: Vec<Value> = {
            let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            if state.failed.is_some() {
                return;
            }
            let spec = &self.graph.tasks()[task];
            spec.deps
                .iter()
                .map(|&d| state.values[d].clone().expect("a dependency is done"))
                .collect()
        };
        let spec = &self.graph.tasks()[task];
        let start = Instant::now();
        // The lock is not held while the task runs: others run meanwhile.
        let outcome = catch_unwind(AssertUnwindSafe(|| (spec.run)(&inputs)));
        let end = Instant::now();
        let worker = rayon::current_thread_index().unwrap_or(0);

        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.spans[task] = Some(Span { start, end, worker });
        match outcome {
            Ok(value) => state.values[task] = Some(value),
            Err(payload) => {
                state.failed.get_or_insert(GraphError::TaskPanicked {
                    task: spec.name.clone(),
                    message: panic_message(payload.as_ref()),
                });
                return;
            }
        }
        for &next in &self.dependents[task] {
            state.waiting[next] -= 1;
            if state.waiting[next] == 0 && state.failed.is_none() {
                scope.spawn(move |scope| self.task(scope, next));
            }
        }
    }
    // ANCHOR_END: run_task
}

/// A panic's message, when it is a string.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}
