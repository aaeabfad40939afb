// The shared tests of lab 2, run against the solution.
extern crate vectorization_solution as vectorization;
#[path = "../../../exercises/02-vectorization/tests/broadcast.rs"]
mod shared;
