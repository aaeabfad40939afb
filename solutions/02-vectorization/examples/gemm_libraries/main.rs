//! Which library should compute the trick's matrix product? `x · yᵀ` at the
//! course's sizes by matrixmultiply (what ndarray's `dot` calls), faer and
//! OpenBLAS (NumPy's library, loaded at run time when the machine has it),
//! each into one reused output; within a round each library is timed in turn,
//! `--runs` calls after a warm-up call.
//!
//! ```sh
//! cargo run --release -p vectorization-solution --example gemm_libraries [-- --json] [--runs N] [--sizes 500x500x500,...]
//! ```
//!
//! Threads: RAYON_NUM_THREADS (matrixmultiply's and faer's), MATMUL_NUM_THREADS
//! (matrixmultiply's) and OPENBLAS_NUM_THREADS; `cargo xtask bench --book`
//! sets them all. With `--json`, every timing as a cell line for it.

mod libraries;

use std::hint::black_box;

use libraries::Gemm;
use vectorization_solution::pages::zeroed_matrix;
use vectorization_solution::testing::{assert_allclose, random_points};

/// The course's sizes, n × m × d.
const SIZES: &str = "500x500x500,5000x5000x50,10000x10000x3";

const TABLE: &str = "The trick's product x·yᵀ by each library, into a reused output";

fn main() {
    // SAFETY: the first statement of main: no other thread exists yet.
    unsafe { libraries::let_openblas_threads_sleep() };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let runs = support::cells::count_arg(&args, "--runs", 5);
    let (libraries, missing) = Gemm::available();
    if let Some(why) = missing {
        eprintln!("skipped: {why}");
    }
    for [n, m, d] in support::cells::sizes_arg(&args, SIZES) {
        let size = format!("{n}x{m}x{d}");
        let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
        // On huge pages, as the kernels' own results are.
        let mut out = zeroed_matrix(n, m);
        let mut expected = zeroed_matrix(n, m);
        Gemm::Matrixmultiply.product_into(x.view(), y.view(), expected.view_mut());
        for library in &libraries {
            let call = || library.product_into(x.view(), y.view(), black_box(&mut out).view_mut());
            let seconds = support::cells::timed_runs(runs, call);
            // A fast wrong product is no result.
            assert_allclose(out.view(), expected.view(), 1e-12, 1e-9, "x·yᵀ");
            let best = seconds.iter().copied().fold(f64::INFINITY, f64::min);
            let name = library.name();
            println!("{size} {name}: {:.2} ms", best * 1e3);
            if json {
                println!("{}", support::cells::line(TABLE, &name, &size, &seconds));
            }
        }
    }
}
