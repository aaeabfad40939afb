//! `cargo xtask` in the student handout: `progress`, `hint` and `watch` (see `--help`).

use std::process::ExitCode;

fn main() -> ExitCode {
    course::cli::run(std::env::args_os().skip(1))
}
