// The shared tests of lab 3, run against the solution.
extern crate parallel_solution as parallel;
#[path = "../../../exercises/03-parallel/tests/mt19937.rs"]
mod shared;
