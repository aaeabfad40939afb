// The speed probe of exercise `blocked` (given code; lab.toml `[speed.blocked]`): times
// `cityblock_blocked` at one size and prints one JSON line (see `support::speed`). `cargo xtask
// speed parallel` runs it on your code, once its tests pass; by hand:
//
//     cargo bench -p parallel --no-default-features --bench speed -- --size 2000x2000x50
//
// Threads: RAYON_NUM_THREADS, or every core.

use std::process::ExitCode;

use parallel::blocked::cityblock_blocked;
use support::speed::{Probe, cityblock};

fn main() -> ExitCode {
    Probe {
        exercise: "blocked",
        kernel: cityblock_blocked,
        distance: cityblock,
        tests: "cargo test -p parallel --test blocked",
    }
    .main()
}
