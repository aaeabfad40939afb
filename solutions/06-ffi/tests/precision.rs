// The shared tests of lab 6, run against the solution.
extern crate ffi_solution as ffi;
#[path = "../../../exercises/06-ffi/tests/precision.rs"]
mod shared;
