//! The typed errors of lab 4 (given code). Every message names the task (or
//! the shapes) and says what to do.

use std::fmt;

/// Why a graph could not be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// A task depends on a task id the graph does not have.
    UnknownDependency {
        /// The task that names it.
        task: String,
        /// The id it names.
        dependency: usize,
        /// How many tasks the graph has (ids are 0 .. tasks).
        tasks: usize,
    },
    /// The dependencies go round in a circle: no task of the cycle can start.
    Cycle {
        /// The tasks on the cycle, each depending on the next, the last on the first.
        tasks: Vec<String>,
    },
    /// A task panicked; the graph stopped scheduling new tasks.
    TaskPanicked {
        /// The task.
        task: String,
        /// Its panic message.
        message: String,
    },
    /// A task's result is not of the type the caller asked for.
    WrongType {
        /// The task.
        task: String,
        /// The type asked for.
        expected: &'static str,
    },
    /// x and y do not have the same number of columns.
    ShapeMismatch {
        /// x's shape.
        x: (usize, usize),
        /// y's shape.
        y: (usize, usize),
    },
    /// A split into 0 chunks.
    ZeroChunks,
    /// The thread pool could not be built.
    Pool(String),
    /// Reading or writing a file failed.
    Io {
        /// The file.
        path: String,
        /// What the system said.
        message: String,
    },
    /// A file is not the array it should be (not a 2-D C-order f64 `.npy`, or
    /// a field of another shape than the stack's first).
    BadField {
        /// The file.
        path: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A message of more elements than an MPI count or displacement (a C
    /// `int`) can hold.
    TooLargeForMpi {
        /// Rows of the block (or before it, for a displacement).
        rows: usize,
        /// Values per row.
        width: usize,
    },
    /// Rank 0, which holds the input of a collective, was given none.
    NoRootInput,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::UnknownDependency {
                task,
                dependency,
                tasks,
            } => write!(
                f,
                "task `{task}` depends on task {dependency}, but the graph has only {tasks} tasks \
                 (ids 0 to {}): a dependency must be an id the graph returned",
                tasks.saturating_sub(1)
            ),
            GraphError::Cycle { tasks } => write!(
                f,
                "the graph has a cycle, {} → {}: each of these tasks waits for the next, so none \
                 can start. A task graph must be acyclic (a DAG)",
                tasks.join(" → "),
                tasks.first().map_or("", String::as_str)
            ),
            GraphError::TaskPanicked { task, message } => write!(
                f,
                "task `{task}` panicked: {message}. The tasks already running finished; no new \
                 task was started"
            ),
            GraphError::WrongType { task, expected } => write!(
                f,
                "task `{task}` did not return a {expected}: ask for the type its function returns"
            ),
            GraphError::ShapeMismatch { x, y } => write!(
                f,
                "x is {}×{} and y is {}×{}: both need the same number of columns, {} ≠ {}",
                x.0, x.1, y.0, y.1, x.1, y.1
            ),
            GraphError::ZeroChunks => {
                write!(f, "a split into 0 chunks: ask for at least one chunk")
            }
            GraphError::Pool(why) => write!(f, "could not build the thread pool: {why}"),
            GraphError::Io { path, message } => write!(f, "{path}: {message}"),
            GraphError::BadField { path, problem } => write!(f, "{path}: {problem}"),
            GraphError::TooLargeForMpi { rows, width } => write!(
                f,
                "{rows} rows of {width} values are {} elements, more than an MPI count (a C \
                 int) holds, {}: use more ranks, or send the block in pieces",
                (*rows as u128) * (*width as u128),
                i32::MAX
            ),
            GraphError::NoRootInput => write!(
                f,
                "rank 0 was given no x and y: the root rank holds the input, pass Some((x, y)) \
                 there (the other ranks pass None)"
            ),
        }
    }
}

impl std::error::Error for GraphError {}
