//! What a process pool costs that threads do not (lab 3, exercise 4): the
//! ULHPC notebook's `multiprocessing.Pool.map` done in Rust, against the same
//! kernel on threads.
//!
//! The parent starts one worker process per core (this program again, with
//! `--worker`), sends each its chunk of rows of x and the whole of y through
//! a pipe, and reads its rows of the result back. The workers run the blocked
//! kernel on one thread each. Threads run the same kernel on the same data,
//! reading x and y where they are and writing the result in place.
//!
//! ```sh
//! RUSTFLAGS="-C target-cpu=native" cargo run --release -p parallel-solution --example process_pool
//! ```

use std::io::{Read, Write};
use std::num::NonZeroUsize;
use std::process::{Command, Stdio};
use std::time::Instant;

use ndarray::{Array2, ArrayView2, s};
use parallel_solution::blocked::cityblock_blocked;
use parallel_solution::pool::in_pool;
use parallel_solution::scoped::row_ranges;
use parallel_solution::testing::random_points;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().nth(1).as_deref() == Some("--worker") {
        return worker();
    }
    let cores = std::thread::available_parallelism()?;
    println!("{} workers; best of 5 calls after a warm-up, ms", cores);
    println!("| n×m×d | threads | processes | of which in the workers |");
    println!("|---|---:|---:|---:|");
    for (n, m, d) in [(500, 500, 500), (2000, 2000, 50), (5000, 5000, 50)] {
        let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
        let threads = best(|| {
            let t = Instant::now();
            in_pool(cores, || cityblock_blocked(x.view(), y.view()))
                .expect("a pool")
                .expect("same d");
            (t.elapsed().as_secs_f64(), 0.0)
        });
        let mut reference = None;
        let processes = best(|| {
            let t = Instant::now();
            let (r, busy) = on_processes(x.view(), y.view(), cores).expect("workers");
            let elapsed = t.elapsed().as_secs_f64();
            reference.get_or_insert_with(|| cityblock_blocked(x.view(), y.view()).expect("same d"));
            assert!(
                Some(&r) == reference.as_ref(),
                "the processes' result differs"
            );
            (elapsed, busy)
        });
        println!(
            "| {n}×{m}×{d} | {:.1} | {:.1} | {:.1} |",
            threads.0 * 1e3,
            processes.0 * 1e3,
            processes.1 * 1e3
        );
    }
    Ok(())
}

/// One warm-up call, then the best of 5 (time, and the slowest worker's own compute time).
fn best(mut call: impl FnMut() -> (f64, f64)) -> (f64, f64) {
    call();
    (0..5)
        .map(|_| call())
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("5 calls")
}

/// The process pool: start the workers, send, compute, receive, assemble.
fn on_processes(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    workers: NonZeroUsize,
) -> std::io::Result<(Array2<f64>, f64)> {
    let me = std::env::current_exe()?;
    let ranges = row_ranges(x.nrows(), workers);
    let mut children = Vec::new();
    for range in &ranges {
        let mut child = Command::new(&me)
            .arg("--worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let mut stdin = child.stdin.take().expect("piped");
        let chunk = x.slice(s![range.clone(), ..]).to_owned();
        let y = y.to_owned();
        // Write from a thread: a worker only reads all its input before it answers,
        // but the pipe holds 64 KiB, so the parent must not block on one worker.
        let writer = std::thread::spawn(move || -> std::io::Result<()> {
            send(&mut stdin, chunk.view())?;
            send(&mut stdin, y.view())
        });
        children.push((child, writer));
    }
    let mut out = Array2::zeros((x.nrows(), y.nrows()));
    let mut slowest = 0.0f64;
    for ((mut child, writer), range) in children.into_iter().zip(ranges) {
        let mut stdout = child.stdout.take().expect("piped");
        let (rows, busy) = receive(&mut stdout)?;
        slowest = slowest.max(busy);
        out.slice_mut(s![range, ..]).assign(&rows);
        writer.join().expect("writer")?;
        child.wait()?;
    }
    Ok((out, slowest))
}

/// The worker: read x's rows and y, compute on one thread, send the rows back
/// with the seconds the computation took.
fn worker() -> Result<(), Box<dyn std::error::Error>> {
    let (mut stdin, mut stdout) = (std::io::stdin().lock(), std::io::stdout().lock());
    let (x, _) = receive(&mut stdin)?;
    let (y, _) = receive(&mut stdin)?;
    let t = Instant::now();
    let r = in_pool(NonZeroUsize::MIN, || cityblock_blocked(x.view(), y.view()))??;
    let busy = t.elapsed().as_secs_f64();
    send_timed(&mut stdout, r.view(), busy)?;
    Ok(())
}

/// Wire format: rows, columns (u64), seconds (f64), then the values, all little-endian.
fn send(to: &mut impl Write, a: ArrayView2<'_, f64>) -> std::io::Result<()> {
    send_timed(to, a, 0.0)
}

fn send_timed(to: &mut impl Write, a: ArrayView2<'_, f64>, seconds: f64) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(24 + 8 * a.len());
    bytes.extend((a.nrows() as u64).to_le_bytes());
    bytes.extend((a.ncols() as u64).to_le_bytes());
    bytes.extend(seconds.to_le_bytes());
    for v in a.iter() {
        bytes.extend(v.to_le_bytes());
    }
    to.write_all(&bytes)?;
    to.flush()
}

fn receive(from: &mut impl Read) -> std::io::Result<(Array2<f64>, f64)> {
    let mut header = [0u8; 24];
    from.read_exact(&mut header)?;
    let word = |i: usize| u64::from_le_bytes(header[8 * i..8 * i + 8].try_into().expect("8 bytes"));
    let (rows, cols) = (word(0) as usize, word(1) as usize);
    let seconds = f64::from_bits(word(2));
    let mut bytes = vec![0u8; 8 * rows * cols];
    from.read_exact(&mut bytes)?;
    let values = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
        .collect();
    let a = Array2::from_shape_vec((rows, cols), values).map_err(std::io::Error::other)?;
    Ok((a, seconds))
}
