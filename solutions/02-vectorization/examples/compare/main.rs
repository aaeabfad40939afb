//! The Rust side of `cargo xtask bench --compare python` (lab 2): the
//! solution's variants, timed as `python/edm_peers.py` times the course's
//! Python, on the same data (the .npy files it wrote), one JSON line each.
//!
//! ```sh
//! cargo run --release -p vectorization-solution --example compare -- \
//!     --dir target/compare/data --sizes 2000x2000x50 [--inner N] [--side NAME]
//! ```
//!
//! Per size and variant: one full-size warm-up call (first touch of fresh
//! memory is slow on these VMs), then the best of `--inner` timed calls.
//! Threads: RAYON_NUM_THREADS and MATMUL_NUM_THREADS, set by xtask.

use std::process::ExitCode;

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Zip};
use vectorization_solution::broadcast::{sq_euclidean_broadcast, sq_euclidean_broadcast_einsum};
use vectorization_solution::direct::{sq_euclidean_direct, sq_euclidean_direct_into};
use vectorization_solution::pages::zeroed_matrix;
use vectorization_solution::trick::{
    row_sq_norms, sq_euclidean_trick, sq_euclidean_trick_checked, sq_euclidean_trick_fused_kernel,
    sq_euclidean_trick_fused_kernel_into, sq_euclidean_trick_fused_tail,
};
use vectorization_solution::{DimensionMismatch, IntoError};

// The trick's product by faer and by OpenBLAS, as example `gemm_libraries` times them alone.
#[path = "../gemm_libraries/libraries.rs"]
mod libraries;
use libraries::Gemm;

// The command line, data, timing and JSON fields: one harness for every lab's comparison.
use support::compare::{self as harness, Args, measure, print_measurement, summary, time};

type Variant = fn(ArrayView2<f64>, ArrayView2<f64>) -> Result<Array2<f64>, DimensionMismatch>;
type IntoVariant =
    fn(ArrayView2<f64>, ArrayView2<f64>, ArrayViewMut2<f64>) -> Result<(), IntoError>;

/// (name, function, allocates (n, m, d) temporaries).
const VARIANTS: [(&str, Variant, bool); 7] = [
    ("broadcast", sq_euclidean_broadcast, true),
    ("broadcast_einsum", sq_euclidean_broadcast_einsum, true),
    ("trick", sq_euclidean_trick, false),
    ("trick_fused_tail", sq_euclidean_trick_fused_tail, false),
    ("trick_fused_kernel", sq_euclidean_trick_fused_kernel, false),
    ("trick_checked", sq_euclidean_trick_checked, false),
    ("direct", sq_euclidean_direct, false),
];

/// The kernels writing into a reused output (NumPy's `out=`).
const INTO_VARIANTS: [(&str, IntoVariant); 2] = [
    (
        "trick_fused_kernel_into",
        sq_euclidean_trick_fused_kernel_into,
    ),
    ("direct_into", sq_euclidean_direct_into),
];

/// The fused-tail trick with its product by another library than ndarray's
/// matrixmultiply: (name, library). OpenBLAS is skipped where it is missing.
fn library_variants() -> Vec<(&'static str, Gemm)> {
    let (libraries, missing) = Gemm::available();
    if let Some(why) = missing {
        eprintln!("skipped trick_openblas: {why}");
    }
    let named = libraries.into_iter().filter_map(|library| match library {
        Gemm::Matrixmultiply => None, // that is `trick_fused_tail`
        Gemm::Faer => Some(("trick_faer", library)),
        Gemm::OpenBlas(_) => Some(("trick_openblas", library)),
    });
    let named: Vec<_> = named.collect();
    for (name, library) in &named {
        eprintln!("{name}: the product by {}", library.name());
    }
    named
}
const LIBRARY_VARIANTS: [&str; 2] = ["trick_faer", "trick_openblas"];

/// The broadcast variants are skipped above this many bytes per temporary,
/// as on the Python side.
const MAX_TEMPORARY_BYTES: usize = 2 << 30;
/// edm_peers.py's seed; part of the data files' names.
const SEED: u32 = 699;

fn main() -> ExitCode {
    // SAFETY: the first statement of main: no other thread exists yet.
    unsafe { libraries::let_openblas_threads_sleep() };
    let known: Vec<&str> = VARIANTS
        .iter()
        .map(|(name, ..)| *name)
        .chain(INTO_VARIANTS.iter().map(|(name, _)| *name))
        .chain(LIBRARY_VARIANTS)
        .collect();
    harness::main(&known, run)
}

fn run(args: &Args) -> Result<(), String> {
    harness::print_info(&args.side);
    // Load OpenBLAS (and start its threads) only for a run that times it.
    let library_variants = match LIBRARY_VARIANTS.iter().any(|name| args.wants(name)) {
        true => library_variants(),
        false => Vec::new(),
    };
    for size in &args.sizes {
        let (n, m, d) = harness::parse_size(size)?;
        let (x, y) = harness::load(args, "edm", SEED, size)?;
        for (name, variant, broadcasts) in VARIANTS {
            if !args.wants(name)
                || (broadcasts && n * m * d * size_of::<f64>() > MAX_TEMPORARY_BYTES)
            {
                continue;
            }
            let fields = measure(variant, x.view(), y.view(), args.inner)
                .map_err(|error| format!("{name} at {size}: {error}"))?;
            print_measurement(args, name, size, &fields);
        }
        for (name, variant) in INTO_VARIANTS {
            if !args.wants(name) {
                continue;
            }
            let fields = measure_into(variant, x.view(), y.view(), args.inner)
                .map_err(|error| format!("{name} at {size}: {error}"))?;
            print_measurement(args, name, size, &fields);
        }
        for (name, library) in &library_variants {
            if !args.wants(name) {
                continue;
            }
            let variant =
                |x: ArrayView2<f64>, y: ArrayView2<f64>| trick_fused_tail_with(library, x, y);
            let fields = measure(variant, x.view(), y.view(), args.inner)
                .map_err(|error| format!("{name} at {size}: {error}"))?;
            print_measurement(args, name, size, &fields);
        }
    }
    Ok(())
}

/// `sq_euclidean_trick_fused_tail` with its product `x · yᵀ` by `library`.
fn trick_fused_tail_with(
    library: &Gemm,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    support::dims::check_dims(x.dim(), y.dim())?;
    let (x2, y2) = (row_sq_norms(x), row_sq_norms(y));
    let mut r = zeroed_matrix(x.nrows(), y.nrows());
    library.product_into(x, y, r.view_mut());
    Zip::from(r.rows_mut())
        .and(&x2)
        .par_for_each(|row, &x_norm| {
            Zip::from(row).and(&y2).for_each(|v, &y_norm| {
                *v = (x_norm + y_norm - 2.0 * *v).max(0.0);
            });
        });
    Ok(r)
}

/// The same for a variant that writes into one output array, allocated once
/// (the warm-up call pays its first touch) and reused by every timed call.
fn measure_into(
    variant: IntoVariant,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    inner: usize,
) -> Result<String, IntoError> {
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    let (best, warmup) = time(inner, || variant(x, y, out.view_mut()))?;
    Ok(summary(best, warmup, out.view()))
}
