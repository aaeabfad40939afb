//! The machine's measured limits, for the header of every table `cargo xtask bench --book`
//! writes: the peak rate of fused multiply-adds on `--threads` threads (the arithmetic of the
//! Euclidean kernels and of matrix products), the peak rate of Cityblock steps `s += |x − y|`
//! (a subtraction, an absolute value and an addition: lab 3's arithmetic, which has no FMA),
//! and the bandwidth of a large streaming write. Any kernel of the book is measured against
//! these: a time is "fast" only relative to what the machine can do.
//!
//! ```sh
//! cargo run --release -p support --example machine_limits -- [--threads 2] [--mib 1024] [--runs 5]
//! ```
//!
//! Prints one JSON line. The arithmetic loops use the widest vector unit the CPU has, detected
//! at run time (AVX-512, else AVX2 with FMA, else scalar), so the default build measures what a
//! native build could reach.

use std::hint::black_box;
use std::time::Instant;

/// Independent accumulators per thread: an FMA's latency (4 cycles) times the FMA units
/// (2 per core) is 8 chains in flight; 12 leaves a margin for a longer latency. A Cityblock
/// step is a chain of three instructions (9 cycles or so) per accumulator, three times the
/// work in flight: 12 chains keep two units busy there too.
const ACCUMULATORS: usize = 12;

/// Seconds one timed run of an arithmetic loop aims at, after a calibration.
const TARGET_SECONDS: f64 = 0.25;

/// The arithmetic a loop repeats on every accumulator.
#[derive(Clone, Copy)]
enum Op {
    /// `acc = acc · a + b`, one FMA: 2 flops per lane.
    Fma,
    /// `acc = |acc − a| + b`, one Cityblock step (its `|x − y|` added to a sum): values stay
    /// between 0 and 1, and no part of it can be hoisted out of the loop.
    AbsDiff,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str, default: usize| support::cells::count_arg(&args, flag, default);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = value("--threads", cores).max(1);
    let mib = value("--mib", 1024).max(1);
    let runs = value("--runs", 5).max(1);

    let unit = VectorUnit::detect();
    // An FMA is 2 flops; a Cityblock step is counted once (per pair and coordinate).
    let fma: Vec<f64> = lanes_per_second(unit, Op::Fma, threads, runs)
        .iter()
        .map(|rate| 2.0 * rate / 1e9)
        .collect();
    let steps: Vec<f64> = lanes_per_second(unit, Op::AbsDiff, threads, runs)
        .iter()
        .map(|rate| rate / 1e9)
        .collect();
    let write = write_gbps(threads, mib << 20, runs);
    println!(
        "{{\"probe\":\"machine_limits\",\"vector_unit\":\"{}\",\"lanes\":{},\"accumulators\":{ACCUMULATORS},\
         \"threads\":{threads},\"fma_gflops\":{},\"cityblock_gsteps\":{},\"write_bytes\":{},\"write_gbps\":{}}}",
        unit.name(),
        unit.lanes(),
        json_list(&fma),
        json_list(&steps),
        mib << 20,
        json_list(&write),
    );
}

fn json_list(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("{v:.3}")).collect();
    format!("[{}]", items.join(","))
}

#[derive(Clone, Copy)]
enum VectorUnit {
    Avx512,
    Avx2Fma,
    Scalar,
}

impl VectorUnit {
    fn detect() -> VectorUnit {
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx512f") {
                return VectorUnit::Avx512;
            }
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                return VectorUnit::Avx2Fma;
            }
        }
        VectorUnit::Scalar
    }

    fn name(self) -> &'static str {
        match self {
            VectorUnit::Avx512 => "avx512f",
            VectorUnit::Avx2Fma => "avx2+fma",
            VectorUnit::Scalar => "scalar",
        }
    }

    /// f64 lanes per instruction.
    fn lanes(self) -> usize {
        match self {
            VectorUnit::Avx512 => 8,
            VectorUnit::Avx2Fma => 4,
            VectorUnit::Scalar => 1,
        }
    }

    /// Runs `iterations` rounds of `op` on every accumulator; returns their sum (kept alive).
    fn run(self, op: Op, iterations: u64) -> f64 {
        match (self, op) {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: detect() chose this unit only where the CPU has the feature.
            (VectorUnit::Avx512, Op::Fma) => unsafe { x86::fma_avx512(iterations) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above.
            (VectorUnit::Avx512, Op::AbsDiff) => unsafe { x86::abs_diff_avx512(iterations) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above, avx2 and fma were detected.
            (VectorUnit::Avx2Fma, Op::Fma) => unsafe { x86::fma_avx2(iterations) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above.
            (VectorUnit::Avx2Fma, Op::AbsDiff) => unsafe { x86::abs_diff_avx2(iterations) },
            _ => scalar(op, iterations),
        }
    }
}

/// Without vector units. Without an FMA unit, `Op::Fma` is a multiply and an add, counted as
/// two flops as well.
fn scalar(op: Op, iterations: u64) -> f64 {
    let (a, b) = (black_box(0.999_999), black_box(1e-6));
    let acc = match op {
        Op::Fma => repeat(iterations, 0.0f64, |x| x * a + b),
        Op::AbsDiff => repeat(iterations, 0.0f64, |x| (x - a).abs() + b),
    };
    acc.iter().sum()
}

/// `step` on every accumulator, `iterations` times: independent chains, as many as there are
/// accumulators. Inlined into the `#[target_feature]` functions below, it is compiled for their
/// instructions (and so is the closure, which inherits them).
#[inline(always)]
fn repeat<V: Copy>(iterations: u64, zero: V, step: impl Fn(V) -> V) -> [V; ACCUMULATORS] {
    let mut acc = [zero; ACCUMULATORS];
    for _ in 0..iterations {
        for x in acc.iter_mut() {
            *x = step(*x);
        }
    }
    acc
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{ACCUMULATORS, repeat};
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx512f")]
    pub fn fma_avx512(iterations: u64) -> f64 {
        let (a, b) = (_mm512_set1_pd(0.999_999), _mm512_set1_pd(1e-6));
        sum_avx512(repeat(iterations, _mm512_setzero_pd(), |x| {
            _mm512_fmadd_pd(x, a, b)
        }))
    }

    /// The Cityblock tile's three instructions per step (lab 3's `avx512.rs`).
    #[target_feature(enable = "avx512f")]
    pub fn abs_diff_avx512(iterations: u64) -> f64 {
        let (a, b) = (_mm512_set1_pd(0.999_999), _mm512_set1_pd(1e-6));
        sum_avx512(repeat(iterations, _mm512_setzero_pd(), |x| {
            _mm512_add_pd(_mm512_abs_pd(_mm512_sub_pd(x, a)), b)
        }))
    }

    #[target_feature(enable = "avx512f")]
    fn sum_avx512(acc: [__m512d; ACCUMULATORS]) -> f64 {
        let sum = acc
            .iter()
            .fold(_mm512_setzero_pd(), |s, &x| _mm512_add_pd(s, x));
        _mm512_reduce_add_pd(sum)
    }

    #[target_feature(enable = "avx2,fma")]
    pub fn fma_avx2(iterations: u64) -> f64 {
        let (a, b) = (_mm256_set1_pd(0.999_999), _mm256_set1_pd(1e-6));
        sum_avx2(repeat(iterations, _mm256_setzero_pd(), |x| {
            _mm256_fmadd_pd(x, a, b)
        }))
    }

    /// The absolute value as AVX2 has it: the sign bit masked off (`andnot` with -0.0).
    #[target_feature(enable = "avx2")]
    pub fn abs_diff_avx2(iterations: u64) -> f64 {
        let (a, b) = (_mm256_set1_pd(0.999_999), _mm256_set1_pd(1e-6));
        let sign = _mm256_set1_pd(-0.0);
        sum_avx2(repeat(iterations, _mm256_setzero_pd(), |x| {
            _mm256_add_pd(_mm256_andnot_pd(sign, _mm256_sub_pd(x, a)), b)
        }))
    }

    #[target_feature(enable = "avx2")]
    fn sum_avx2(acc: [__m256d; ACCUMULATORS]) -> f64 {
        let mut lanes = [0.0; 4];
        for x in acc {
            let mut out = [0.0; 4];
            // SAFETY: `out` holds 4 f64, the width of the store.
            unsafe { _mm256_storeu_pd(out.as_mut_ptr(), x) };
            for (l, o) in lanes.iter_mut().zip(out) {
                *l += o;
            }
        }
        lanes.iter().sum()
    }
}

/// Lanes of `op` per second in each run (accumulators × lanes × iterations × threads), all
/// threads at once.
fn lanes_per_second(unit: VectorUnit, op: Op, threads: usize, runs: usize) -> Vec<f64> {
    // Calibrate on one thread: iterations for about TARGET_SECONDS.
    let probe = 1u64 << 20;
    let started = Instant::now();
    black_box(unit.run(op, black_box(probe)));
    let per_iteration = started.elapsed().as_secs_f64() / probe as f64;
    let iterations = ((TARGET_SECONDS / per_iteration) as u64).max(probe);
    let lanes = (iterations * (ACCUMULATORS * unit.lanes()) as u64 * threads as u64) as f64;
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::thread::scope(|scope| {
                for _ in 0..threads {
                    scope.spawn(|| black_box(unit.run(op, black_box(iterations))));
                }
            });
            lanes / started.elapsed().as_secs_f64()
        })
        .collect()
}

/// GB/s of each run: `bytes` written in order, split over the threads, into memory that was
/// touched once before (so page faults are not counted: that is the allocator's cost, not the
/// memory's).
fn write_gbps(threads: usize, bytes: usize, runs: usize) -> Vec<f64> {
    let mut buffer = vec![1.0f64; bytes / 8];
    let chunk = buffer.len().div_ceil(threads);
    (0..runs)
        .map(|run| {
            let started = Instant::now();
            std::thread::scope(|scope| {
                for part in buffer.chunks_mut(chunk) {
                    scope.spawn(move || part.fill(run as f64));
                }
            });
            let seconds = started.elapsed().as_secs_f64();
            black_box(&buffer);
            (buffer.len() * 8) as f64 / seconds / 1e9
        })
        .collect()
}
