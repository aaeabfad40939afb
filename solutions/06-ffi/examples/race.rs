//! The 2019 F2PY lab's data race, counted: the kernel of
//! `exercises/06-ffi/fortran/racy_cityblock.f90` (`!$OMP PARALLEL DO` without
//! `PRIVATE(tmp)`) run many times on 2 OpenMP threads, each result compared
//! with the fixed kernel's.
//!
//! Run: cargo run --release -p ffi-solution --example race [RUNS [N]]
//! (default: 200 runs of 200 × 200 points of 50 coordinates).
//!
//! How often it goes wrong depends on the machine, its load and the compiler:
//! a race gives no guarantee either way, which is why no test relies on it.
//! build.rs compiles the racy file at -O0; at -O1 and above gfortran keeps
//! `tmp` in a register and the race almost never shows, but it is still there.

use std::num::NonZeroUsize;
use std::process::ExitCode;

use ffi_solution::fortran::{cityblock_fortran, cityblock_fortran_racy, fortran_available};
use ffi_solution::openmp;
use ffi_solution::testing::random_points;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut arg = |default: usize| {
        args.next()
            .map_or(Some(default), |a| a.parse().ok().filter(|&v| v > 0))
    };
    let (Some(runs), Some(n)) = (arg(200), arg(200)) else {
        eprintln!("usage: race [RUNS [N]], both positive integers");
        return ExitCode::FAILURE;
    };
    if let Err(why) = fortran_available() {
        eprintln!("race: {why}");
        return ExitCode::FAILURE;
    }
    let d = 50;
    let (x, y) = (random_points(n, d, 1), random_points(n, d, 2));
    let right = cityblock_fortran(x.view(), y.view()).expect("valid inputs");

    for threads in [1, 2] {
        let threads = NonZeroUsize::new(threads).expect("positive");
        let (mut wrong_runs, mut wrong_entries, mut worst) = (0, 0, 0.0f64);
        openmp::with_threads(threads, || {
            for _ in 0..runs {
                let r = cityblock_fortran_racy(x.view(), y.view()).expect("valid inputs");
                let mut wrong = 0;
                for (a, b) in r.iter().zip(&right) {
                    if a != b {
                        wrong += 1;
                        worst = worst.max((a - b).abs() / b.abs().max(f64::MIN_POSITIVE));
                    }
                }
                wrong_entries += wrong;
                wrong_runs += usize::from(wrong > 0);
            }
        });
        println!(
            "racy kernel, {threads} OpenMP thread(s), {runs} runs of {n}x{n}x{d}: {wrong_runs} \
             runs wrong, {wrong_entries} of {} entries wrong in all, worst relative error {worst:.2e}",
            runs * n * n
        );
    }
    println!(
        "The fixed kernel (PRIVATE(tmp), fortran/cityblock.f90) gives the same bits on any \
         number of threads; see the test fortran_kernel_gives_the_same_result_on_one_and_two_threads."
    );
    ExitCode::SUCCESS
}
