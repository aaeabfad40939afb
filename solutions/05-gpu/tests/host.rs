// The shared tests of lab 5, run against the solution.
extern crate gpu_solution as gpu;
#[path = "../../../exercises/05-gpu/tests/host.rs"]
mod shared;
