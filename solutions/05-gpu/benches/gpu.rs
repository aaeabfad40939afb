extern crate gpu_solution as gpu;
include!("../../../exercises/05-gpu/benches/gpu.rs");
