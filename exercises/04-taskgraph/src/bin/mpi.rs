//! Exercise 7's program on every rank: src/given/mpi_main.rs (given code).
fn main() -> std::process::ExitCode {
    taskgraph::mpi_main::main()
}
