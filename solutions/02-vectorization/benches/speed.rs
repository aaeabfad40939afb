extern crate vectorization_solution as vectorization;
include!("../../../exercises/02-vectorization/benches/speed.rs");
