// The shared tests of lab 1, run against the solution.
extern crate strides_solution as strides;
#[path = "../../../exercises/01-strides/tests/views.rs"]
mod shared;
