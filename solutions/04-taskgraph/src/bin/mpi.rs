//! Exercise 7's program on every rank: exercises/04-taskgraph/src/given/mpi_main.rs.
fn main() -> std::process::ExitCode {
    taskgraph_solution::mpi_main::main()
}
