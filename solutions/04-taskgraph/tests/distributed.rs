// The shared tests of lab 4, run against the solution.
extern crate taskgraph_solution as taskgraph;
#[path = "../../../exercises/04-taskgraph/tests/distributed.rs"]
mod shared;
