// The bench body lives in the exercise crate; this shim runs it against the solution.
extern crate strides_solution as strides;
include!("../../../exercises/01-strides/benches/transpose.rs");
