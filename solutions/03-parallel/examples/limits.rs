//! The two costs the blocked kernel cannot go below, measured apart:
//! 1. the tiles alone, on the path the kernel takes on this CPU, their panels
//!    in cache (pair-coordinates per second, one thread): the arithmetic's
//!    limit;
//! 2. a fresh n × m result written once, in parallel: the memory's limit.
//!
//! ```sh
//! cargo run --release -p parallel-solution --example limits [-- --json]
//! ```
//!
//! With `--json`, every timing as a cell line for `cargo xtask bench --book`.
//!
//! The chapter's "limit of the machine" compares their sum with the kernel.

use std::hint::black_box;
use std::time::Instant;

use parallel_solution::blocked::{Cityblock, task_on, tile_shape};
use parallel_solution::pages::zeroed_matrix;
use rayon::prelude::*;
use support::simd::Simd;

/// `rounds` timings of `f`, in seconds.
fn timings(rounds: usize, mut f: impl FnMut()) -> Vec<f64> {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect()
}

fn best(seconds: &[f64]) -> f64 {
    seconds.iter().copied().fold(f64::INFINITY, f64::min)
}

/// A cell line for `cargo xtask bench --book`.
fn cell(row: &str, seconds: &[f64]) {
    println!(
        "{}",
        support::cells::line("The blocked kernel's two limits", row, "time", seconds)
    );
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    // 1. One x panel against 64 y panels at d = 50: 10 KB + 400 KB, in L1 and
    // L2, on the path the kernel takes here (its tile is tile_rows × tile_cols).
    let simd = Simd::detect();
    let (tile_rows, tile_cols) = tile_shape(simd);
    let (d, panels) = (50, 64);
    let xp: Vec<f64> = (0..tile_rows * d)
        .map(|i| (i as f64 * 0.37).sin())
        .collect();
    let yp: Vec<f64> = (0..tile_cols * panels * d)
        .map(|i| (i as f64 * 0.71).cos())
        .collect();
    let mut out = vec![0.0; tile_rows * tile_cols * panels];
    let sweeps = 2000;
    let tile_runs = timings(5, || {
        for _ in 0..sweeps {
            task_on::<Cityblock>(simd, black_box(&xp), &yp, d, &mut out);
            black_box(&out);
        }
    });
    let per_second = (sweeps * panels * tile_rows * tile_cols * d) as f64 / best(&tile_runs);
    println!(
        "tile {tile_rows}x{tile_cols} ({}), panels in cache, 1 thread: {:.1} G pair-coordinates/s",
        simd.name(),
        per_second / 1e9
    );

    // 2. A fresh 5000 × 5000 result, every value written once, on all threads.
    let (n, m) = (5000, 5000);
    let threads = rayon::current_num_threads();
    let write_runs = timings(5, || {
        let mut r = zeroed_matrix(n, m);
        let values = r.as_slice_mut().expect("row-major");
        values
            .par_chunks_mut(64 * m)
            .for_each(|rows| rows.fill(1.0));
        black_box(&r);
    });
    println!(
        "fresh {n}x{m} result written once, {threads} threads: {:.1} ms",
        best(&write_runs) * 1e3
    );
    let work = (n * m * 50) as f64;
    println!(
        "at {n}x{m}x50: the tiles alone on {threads} threads take at least {:.1} ms",
        work / per_second / threads as f64 * 1e3
    );
    if json {
        // Each tile run, scaled to the work of 5000x5000x50 on every thread.
        let scale = work / (sweeps * panels * tile_rows * tile_cols * d) as f64 / threads as f64;
        let tiles: Vec<f64> = tile_runs.iter().map(|s| s * scale).collect();
        cell(
            &format!(
                "the {tile_rows}x{tile_cols} tiles of {n}x{m}x50 alone, panels in cache, {threads} threads (from 1 thread's rate)"
            ),
            &tiles,
        );
        cell(
            &format!("a fresh {n}x{m} result written once, {threads} threads"),
            &write_runs,
        );
    }
}
