extern crate parallel_solution as parallel;
include!("../../../exercises/03-parallel/benches/speed.rs");
