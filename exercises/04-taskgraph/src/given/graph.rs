//! The task graph itself (given code): tasks with names, dependencies and a
//! function each, built lazily like `dask.delayed`, then computed by
//! [`crate::scheduler`]. Nothing runs while the graph is built.
//!
//! Two layers. [`Graph::task`] is the raw one, dask's dict of tasks: ids, any
//! dependencies (even ones that make a cycle, which `compute` then reports),
//! values of any type. [`Graph::delayed`] and its siblings are the typed one:
//! a [`Delayed<T>`] is a promise of a `T`, and the functions receive their
//! dependencies' values with their types.

use std::any::{Any, type_name};
use std::marker::PhantomData;
use std::sync::Arc;

use crate::error::GraphError;
use crate::scheduler::{self, Trace};

/// A task's result, shared with every task that depends on it.
pub type Value = Arc<dyn Any + Send + Sync>;

/// A task's function: its dependencies' values in, its value out.
pub type TaskFn = Arc<dyn Fn(&[Value]) -> Value + Send + Sync>;

/// One node of the graph.
#[derive(Clone)]
pub struct Task {
    /// A name for messages and pictures (several tasks may share one).
    pub name: String,
    /// The ids of the tasks whose values this one needs, in argument order.
    pub deps: Vec<usize>,
    /// What it computes.
    pub run: TaskFn,
}

/// A lazy task graph.
#[derive(Clone, Default)]
pub struct Graph {
    tasks: Vec<Task>,
}

/// The promise of a `T`: task `id` of a graph, once computed.
#[derive(Debug)]
pub struct Delayed<T> {
    /// The task's id in its graph.
    pub id: usize,
    _value: PhantomData<fn() -> T>,
}

impl<T> Clone for Delayed<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Delayed<T> {}

impl<T> Delayed<T> {
    fn new(id: usize) -> Self {
        Delayed {
            id,
            _value: PhantomData,
        }
    }
}

/// A dependency's value, with the type its `Delayed` promised.
fn typed<A: 'static>(value: &Value) -> &A {
    value
        .downcast_ref::<A>()
        .expect("a Delayed<A> is only made for a task that returns an A")
}

/// A pool of `threads` threads (at least 1) for one compute.
fn pool(threads: usize) -> Result<rayon::ThreadPool, GraphError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("taskgraph-{i}"))
        .build()
        .map_err(|error| GraphError::Pool(error.to_string()))
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// How many tasks it has.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Its tasks, in the order they were added (a task's id is its index).
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// The tasks' names, by id.
    pub fn names(&self) -> Vec<&str> {
        self.tasks.iter().map(|task| task.name.as_str()).collect()
    }

    /// The tasks' dependencies, by id.
    pub fn deps(&self) -> Vec<Vec<usize>> {
        self.tasks.iter().map(|task| task.deps.clone()).collect()
    }

    /// Adds a raw task; returns its id. The dependencies are not checked
    /// here: an unknown id or a cycle is reported by `compute`.
    pub fn task(
        &mut self,
        name: &str,
        deps: Vec<usize>,
        run: impl Fn(&[Value]) -> Value + Send + Sync + 'static,
    ) -> usize {
        self.tasks.push(Task {
            name: name.to_string(),
            deps,
            run: Arc::new(run),
        });
        self.tasks.len() - 1
    }

    /// A task with no dependencies: `dask.delayed(f)()`.
    pub fn delayed<T: Send + Sync + 'static>(
        &mut self,
        name: &str,
        f: impl Fn() -> T + Send + Sync + 'static,
    ) -> Delayed<T> {
        Delayed::new(self.task(name, vec![], move |_| Arc::new(f()) as Value))
    }

    /// A task of one dependency: `dask.delayed(f)(a)`.
    pub fn delayed1<A: 'static, T: Send + Sync + 'static>(
        &mut self,
        name: &str,
        a: Delayed<A>,
        f: impl Fn(&A) -> T + Send + Sync + 'static,
    ) -> Delayed<T> {
        Delayed::new(self.task(name, vec![a.id], move |values| {
            Arc::new(f(typed(&values[0]))) as Value
        }))
    }

    /// A task of two dependencies: `dask.delayed(f)(a, b)`.
    pub fn delayed2<A: 'static, B: 'static, T: Send + Sync + 'static>(
        &mut self,
        name: &str,
        a: Delayed<A>,
        b: Delayed<B>,
        f: impl Fn(&A, &B) -> T + Send + Sync + 'static,
    ) -> Delayed<T> {
        Delayed::new(self.task(name, vec![a.id, b.id], move |values| {
            Arc::new(f(typed(&values[0]), typed(&values[1]))) as Value
        }))
    }

    /// A task of a list of dependencies: `dask.delayed(f)([a, b, ...])`.
    pub fn delayed_all<A: 'static, T: Send + Sync + 'static>(
        &mut self,
        name: &str,
        deps: &[Delayed<A>],
        f: impl Fn(&[&A]) -> T + Send + Sync + 'static,
    ) -> Delayed<T> {
        let ids = deps.iter().map(|d| d.id).collect();
        Delayed::new(self.task(name, ids, move |values| {
            let args: Vec<&A> = values.iter().map(typed).collect();
            Arc::new(f(&args)) as Value
        }))
    }

    /// Computes `target` and what it needs, on a new pool with as many
    /// threads as rayon's global pool: each task once, independent tasks at
    /// the same time.
    pub fn compute<T: Send + Sync + 'static>(
        &self,
        target: Delayed<T>,
    ) -> Result<Arc<T>, GraphError> {
        let pool_threads = rayon::current_num_threads();
        Ok(self.compute_traced(target, pool_threads)?.0)
    }

    /// Computes `target` on a pool of `threads` threads of its own, and
    /// returns with the value the trace of the run: which task ran when.
    pub fn compute_traced<T: Send + Sync + 'static>(
        &self,
        target: Delayed<T>,
        threads: usize,
    ) -> Result<(Arc<T>, Trace), GraphError> {
        self.compute_in(target, &pool(threads)?)
    }

    /// Computes `target` on `pool`, a pool built once for many computes
    /// (starting threads costs more than running a small task).
    pub fn compute_in<T: Send + Sync + 'static>(
        &self,
        target: Delayed<T>,
        pool: &rayon::ThreadPool,
    ) -> Result<(Arc<T>, Trace), GraphError> {
        let (mut values, trace) = scheduler::execute(self, &[target.id], pool)?;
        let value = values.pop().expect("one value per target");
        let value = value.downcast::<T>().map_err(|_| GraphError::WrongType {
            task: self.tasks[target.id].name.clone(),
            expected: type_name::<T>(),
        })?;
        Ok((value, trace))
    }

    /// Computes the raw tasks `targets` on a pool of `threads` threads.
    pub fn compute_raw(
        &self,
        targets: &[usize],
        threads: usize,
    ) -> Result<(Vec<Value>, Trace), GraphError> {
        scheduler::execute(self, targets, &pool(threads)?)
    }

    /// The graph in Graphviz's DOT language, left to right (dask's
    /// `visualize(rankdir='LR')`): `dot -Tsvg` draws it.
    pub fn to_dot(&self) -> String {
        crate::order::to_dot(&self.names(), &self.deps())
    }
}
