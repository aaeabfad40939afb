// The speed probe of exercise `direct` (given code; lab.toml `[speed.direct]`): times
// `sq_euclidean_direct`, the register-blocked kernel, at one size and prints one JSON line (see
// `support::speed`). `cargo xtask speed vectorization` runs it on your code, once its tests
// pass; by hand:
//
//     cargo bench -p vectorization --no-default-features --bench speed -- --size 2000x2000x50
//
// Threads: RAYON_NUM_THREADS, or every core.

use std::process::ExitCode;

use support::speed::{Probe, sq_euclidean};
use vectorization::direct::sq_euclidean_direct;

fn main() -> ExitCode {
    Probe {
        exercise: "direct",
        kernel: sq_euclidean_direct,
        distance: sq_euclidean,
        tests: "cargo test -p vectorization --test direct",
    }
    .main()
}
