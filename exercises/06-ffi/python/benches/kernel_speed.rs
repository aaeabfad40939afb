// The given kernel alone, called from Rust with no Python in between (given code): the time
// your extension's `cityblock` is measured against (lab.toml `[speed.python]`). Everything
// your binding adds on top of it (checks, copies, the GIL) shows as the difference. One JSON
// line, as every speed probe prints (see `support::speed`); by hand:
//
//     cargo bench -p ffi-py --bench kernel_speed -- --size 2000x2000x3
//
// Threads: RAYON_NUM_THREADS, or every core.

use std::convert::Infallible;
use std::process::ExitCode;

use ffi_lab::kernel;
use support::speed::{Probe, cityblock};

fn main() -> ExitCode {
    Probe {
        exercise: "python",
        kernel: |x, y| Ok::<_, Infallible>(kernel::cityblock(x, y)),
        distance: cityblock,
        tests: "cargo test -p ffi-py",
    }
    .main()
}
