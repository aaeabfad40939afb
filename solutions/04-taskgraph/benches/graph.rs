extern crate taskgraph_solution as taskgraph;
include!("../../../exercises/04-taskgraph/benches/graph.rs");
