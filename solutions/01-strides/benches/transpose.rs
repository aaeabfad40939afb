extern crate strides_solution as strides;
include!("../../../exercises/01-strides/benches/transpose.rs");
