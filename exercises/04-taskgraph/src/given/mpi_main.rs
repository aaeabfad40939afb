//! Exercise 7's program (given code), started on every rank by Open MPI; each
//! crate's `src/bin/mpi.rs` calls [`main`]:
//!
//! ```text
//! mpirun -np 2 target/debug/taskgraph-mpi x.npy y.npy r.npy
//!     rank 0 reads x and y, every rank computes its block of rows,
//!     rank 0 writes r = cityblock(x, y);
//! mpirun -np 2 target/release/taskgraph-mpi --time N M D [REPEATS]
//!     random N×D and M×D points; prints the best time of the distributed
//!     run and, on rank 0 alone, of the serial kernel.
//! ```

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use mpi::traits::{Communicator, CommunicatorCollectives};
use ndarray::Array2;

use crate::distributed::cityblock_mpi;
use crate::kernel::cityblock_serial;
use crate::npy::{read_array, write_array};

const USAGE: &str = "usage: mpirun -np N taskgraph-mpi X.npy Y.npy OUT.npy\n       \
                     mpirun -np N taskgraph-mpi --time N M D [REPEATS]";

/// The program: parses the arguments, runs on every rank, and says how it ended.
pub fn main() -> ExitCode {
    let Some(universe) = mpi::initialize() else {
        eprintln!("taskgraph-mpi: MPI was already initialised");
        return ExitCode::FAILURE;
    };
    let world = universe.world();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--time", n, m, d] => time(&world, [n, m, d, "5"]),
        ["--time", n, m, d, repeats] => time(&world, [n, m, d, repeats]),
        [x, y, out] if !x.starts_with('-') => files(&world, [x, y, out]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Every rank gets the same error from the collective; one says it.
            if world.rank() == 0 {
                eprintln!("taskgraph-mpi: {message}");
            }
            ExitCode::from(2)
        }
    }
}

/// Rank 0 reads x and y, everyone computes, rank 0 writes r.
fn files(world: &impl Communicator, [x, y, out]: [&str; 3]) -> Result<(), String> {
    let input = if world.rank() == 0 {
        // Only rank 0 reads: if it cannot, the others would wait for it
        // forever, so it stops them all.
        match (read_array(Path::new(x)), read_array(Path::new(y))) {
            (Ok(x), Ok(y)) => Some((x, y)),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("taskgraph-mpi: {e}");
                world.abort(2)
            }
        }
    } else {
        None
    };
    let views = input.as_ref().map(|(x, y)| (x.view(), y.view()));
    let r = cityblock_mpi(world, views).map_err(|e| e.to_string())?;
    match r {
        Some(r) => write_array(Path::new(out), r.view()).map_err(|e| e.to_string()),
        None => Ok(()),
    }
}

/// The best of `repeats` distributed runs, and of the serial kernel on rank 0.
fn time(world: &impl Communicator, args: [&str; 4]) -> Result<(), String> {
    let parsed: Vec<usize> = args
        .iter()
        .map(|a| {
            a.parse()
                .map_err(|_| format!("`{a}` is not a count\n{USAGE}"))
        })
        .collect::<Result<_, _>>()?;
    let [n, m, d, repeats] = parsed[..] else {
        unreachable!("four arguments")
    };
    let points = |rows: usize, seed: u64| {
        let mut state = seed;
        Array2::from_shape_simple_fn((rows, d), || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        })
    };
    let (x, y) = (points(n, 1), points(m, 2));
    let input = (world.rank() == 0).then(|| (x.view(), y.view()));
    let mut best = f64::INFINITY;
    for _ in 0..repeats.max(1) {
        world.barrier();
        let start = Instant::now();
        cityblock_mpi(world, input).map_err(|e| e.to_string())?;
        best = best.min(start.elapsed().as_secs_f64());
    }
    if world.rank() == 0 {
        let mut serial = f64::INFINITY;
        for _ in 0..repeats.max(1) {
            let start = Instant::now();
            std::hint::black_box(cityblock_serial(x.view(), y.view()));
            serial = serial.min(start.elapsed().as_secs_f64());
        }
        println!(
            "{n}x{m}x{d}: {} ranks {:.1} ms, serial kernel {:.1} ms, speed-up {:.2}",
            world.size(),
            best * 1e3,
            serial * 1e3,
            serial / best
        );
    }
    Ok(())
}
