//! The distance kernels behind the solution's extension. The exercise is
//! given a plain parallel loop (`exercises/06-ffi/python/src/given/kernel.rs`),
//! which gives the same results; this is the fast one.
//!
//! Pure Rust, no Python: the Cityblock and Euclidean distance matrices of x
//! (n, d) and y (m, d), in parallel on rayon, blocked as in lab 3's
//! `blocked.rs` (its portable tile: MR points of x against NR points of y at
//! once, the operands packed into panels, blocks of y kept in L2). The inputs
//! may have any strides: packing reads them once, in whatever layout they
//! come, so a Fortran-ordered or sliced NumPy array costs no extra copy.
//!
//! A wheel must run on any x86-64 CPU, so the crate is compiled for the
//! baseline (SSE2: two f64 per vector register). At run time,
//! [`Simd::detect`] asks the CPU what it has. With AVX2 and FMA, the same
//! driver runs compiled for them (four f64 per register, twice the tile
//! width): one `#[target_feature]` wrapper around an `#[inline(always)]`
//! generic body. With AVX-512, lab 3's explicit 512-bit tile runs (eight f64
//! per register; the compiler's own vectorisation of a 16-wide tile is
//! several times slower, as lab 3 found). All paths add the coordinates in
//! the same order, so they give the same results, bit for bit.

use ndarray::{Array2, ArrayView2, s};
use rayon::prelude::*;
// Fresh results on huge pages: a 200 MB result on 4 KiB pages costs 50 000
// page faults, as long as the arithmetic.
use support::pages;

// The metrics are lab 3's: a sum of coordinate steps, then its finish (no fused
// multiply-add in Euclidean's step, so the AVX2 + FMA path and the baseline round alike).
pub use parallel_solution::blocked::{Cityblock, Euclidean, Metric};

// Which path runs: detected once per call, shared with labs 2 and 3.
pub use support::simd::Simd;

/// The best path's name, for `ffi_lab_solution.simd()`.
pub fn simd_path() -> &'static str {
    Simd::detect().name()
}

/// Points of x per tile.
pub const MR: usize = 4;
/// Rows of the output per rayon task (a multiple of MR).
pub const ROWS_PER_TASK: usize = 64;
/// Bytes of packed y kept hot in L2 while a task sweeps its rows over them.
pub const Y_BLOCK_BYTES: usize = 256 * 1024;
/// Below this much work (n × m × d), one thread does it all: waking rayon's
/// threads costs tens of microseconds, more than computing a small matrix.
pub const SERIAL_WORK: usize = 1 << 15;

/// `f` on each `(index, chunk)` of `data`, on rayon's threads unless `serial`.
fn for_each_chunk<F>(data: &mut [f64], chunk: usize, serial: bool, f: F)
where
    F: Fn((usize, &mut [f64])) + Sync + Send,
{
    if serial {
        data.chunks_mut(chunk).enumerate().for_each(f);
    } else {
        data.par_chunks_mut(chunk).enumerate().for_each(f);
    }
}

/// The Cityblock distance matrix, on the best path for this CPU. Panics if x
/// and y have different numbers of columns (the caller checks).
pub fn cityblock(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Array2<f64> {
    pairwise::<Cityblock>(Simd::detect(), x, y)
}

/// The Euclidean distance matrix, on the best path for this CPU. Panics if x
/// and y have different numbers of columns (the caller checks).
pub fn euclidean(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Array2<f64> {
    pairwise::<Euclidean>(Simd::detect(), x, y)
}

// ANCHOR: pairwise
/// The distance `M` between every row of x (n, d) and every row of y (m, d),
/// on the path `simd`. Panics if the d's differ, or if `simd` is a path this
/// CPU lacks.
pub fn pairwise<M: Metric + Lanes8>(
    simd: Simd,
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Array2<f64> {
    assert_eq!(
        x.ncols(),
        y.ncols(),
        "x has shape {:?} and y has shape {:?}: they need the same number of columns",
        x.dim(),
        y.dim()
    );
    // The check that makes the `unsafe` calls of `drive` sound.
    assert!(simd.supported(), "this CPU cannot run the {simd:?} path");
    match simd {
        // Two f64 per SSE2 register: tiles of 4 × 4.
        Simd::Baseline => drive::<4>(x, y, rows_baseline::<M>),
        // Four f64 per AVX2 register: tiles of 4 × 8.
        Simd::Avx2 => drive::<8>(x, y, rows_avx2::<M>),
        // Eight f64 per AVX-512 register: tiles of 4 × 16.
        Simd::Avx512 => drive::<16>(x, y, rows_avx512::<M>),
    }
}

/// One rayon task: rows `first_row..` of the output, all columns.
pub struct Rows<'a> {
    xp: &'a [f64],
    yp: &'a [f64],
    d: usize,
    first_row: usize,
    out: &'a mut [f64],
    m: usize,
}

fn rows_baseline<M: Metric>(rows: Rows<'_>) {
    rows_body::<M, 4, Portable<M>>(rows)
}

/// # Safety
/// The CPU must have AVX2 and FMA (`Simd::Avx2.supported()`).
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2,fma"))]
unsafe fn rows_avx2<M: Metric>(rows: Rows<'_>) {
    // Inlined here, the body and its tile are compiled for AVX2 + FMA.
    rows_body::<M, 8, Portable<M>>(rows)
}

/// # Safety
/// The CPU must have AVX-512 (`Simd::Avx512.supported()`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn rows_avx512<M: Lanes8>(rows: Rows<'_>) {
    rows_body::<M, 16, Avx512<M>>(rows)
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn rows_avx512<M: Lanes8>(_rows: Rows<'_>) {
    unreachable!("Simd::Avx512 is detected only on x86-64")
}

/// Packs both operands, then runs `task` on blocks of `ROWS_PER_TASK` rows in
/// parallel. `task` is a function, not a closure: a closure's body would be
/// compiled for the baseline even when `task`'s is for AVX2.
fn drive<const NR: usize>(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
    task: unsafe fn(Rows<'_>),
) -> Array2<f64> {
    let ((n, d), m) = (x.dim(), y.nrows());
    let mut out = pages::zeroed_matrix(n, m);
    if n == 0 || m == 0 {
        return out;
    }
    let serial = n * m * d.max(1) < SERIAL_WORK;
    let (xp, yp) = (pack::<MR>(x, serial), pack::<NR>(y, serial));
    let data = out.as_slice_mut().expect("a fresh array is row-major");
    for_each_chunk(data, ROWS_PER_TASK * m, serial, |(t, out)| {
        let rows = Rows {
            xp: &xp,
            yp: &yp,
            d,
            first_row: t * ROWS_PER_TASK,
            out,
            m,
        };
        // SAFETY: `pairwise` passes `rows_avx2` or `rows_avx512` only after
        // checking that the CPU supports that path; `rows_baseline` needs nothing.
        unsafe { task(rows) }
    });
    out
}
// ANCHOR_END: pairwise

/// The tile a path runs.
trait Tile<const NR: usize> {
    /// # Safety
    /// The CPU must have the instructions the tile uses.
    unsafe fn sums(xp: &[f64], yp: &[f64]) -> [[f64; NR]; MR];
}

/// The portable tile, vectorised by the compiler for the features of the
/// function it is inlined into.
struct Portable<M>(std::marker::PhantomData<M>);

impl<M: Metric, const NR: usize> Tile<NR> for Portable<M> {
    #[inline(always)]
    unsafe fn sums(xp: &[f64], yp: &[f64]) -> [[f64; NR]; MR] {
        tile::<M, NR>(xp, yp)
    }
}

/// The explicit AVX-512 tile.
struct Avx512<M>(std::marker::PhantomData<M>);

#[cfg(target_arch = "x86_64")]
impl<M: Lanes8> Tile<16> for Avx512<M> {
    #[inline(always)]
    unsafe fn sums(xp: &[f64], yp: &[f64]) -> [[f64; 16]; MR] {
        // SAFETY: the caller's CPU has AVX-512 (this trait's contract).
        unsafe { tile_avx512::<M>(xp, yp) }
    }
}

/// The rows of one task, tile by tile, with tiles of `MR` × `NR`.
/// (`T` is a type, not a function value: a call through a function value
/// is not inlined, and the tile would run compiled for the baseline.)
#[inline(always)]
fn rows_body<M: Metric, const NR: usize, T: Tile<NR>>(rows: Rows<'_>) {
    let Rows {
        xp,
        yp,
        d,
        first_row,
        out,
        m,
    } = rows;
    let row_count = out.len() / m;
    // Enough panels of y to fill Y_BLOCK_BYTES, at least one.
    let cols_per_block = (Y_BLOCK_BYTES / (8 * d.max(1)) / NR).max(1) * NR;
    for col_block in (0..m).step_by(cols_per_block) {
        let block_end = m.min(col_block + cols_per_block);
        for i0 in (0..row_count).step_by(MR) {
            let x_panel = &xp[(first_row + i0) * d..][..MR * d];
            for j0 in (col_block..block_end).step_by(NR) {
                // SAFETY: T is the tile of the path this task was called on,
                // which `pairwise` checked the CPU has.
                let sums = unsafe { T::sums(x_panel, &yp[j0 * d..][..NR * d]) };
                let (tile_rows, tile_cols) = (MR.min(row_count - i0), NR.min(m - j0));
                for (r, sum_row) in sums.iter().enumerate().take(tile_rows) {
                    let out_row = &mut out[(i0 + r) * m + j0..][..tile_cols];
                    for (o, &s) in out_row.iter_mut().zip(sum_row) {
                        *o = M::finish(s);
                    }
                }
            }
        }
    }
}

// ANCHOR: tile
/// One MR × NR tile: `xp` holds MR values per coordinate, `yp` NR values per
/// coordinate (packed panels). The accumulators stay in registers; the loop
/// over NR values becomes NR / lanes vector instructions.
#[inline(always)]
fn tile<M: Metric, const NR: usize>(xp: &[f64], yp: &[f64]) -> [[f64; NR]; MR] {
    let mut sums = [[0.0; NR]; MR];
    for (xk, yk) in xp.chunks_exact(MR).zip(yp.chunks_exact(NR)) {
        for (row, &xv) in sums.iter_mut().zip(xk) {
            for (s, &yv) in row.iter_mut().zip(yk) {
                *s = M::step(*s, xv, yv);
            }
        }
    }
    sums
}
// ANCHOR_END: tile

/// [`Metric::step`] on 8 lanes of an AVX-512 register, operation for
/// operation (no fused multiply-add), for the AVX-512 tile.
#[cfg(target_arch = "x86_64")]
pub trait Lanes8: Metric {
    /// # Safety
    /// The CPU must have AVX-512; call it only from AVX-512 code, where it is inlined.
    unsafe fn step8(sum: __m512d, x: __m512d, y: __m512d) -> __m512d;
}

/// Off x86-64 there is no AVX-512 path: every metric qualifies.
#[cfg(not(target_arch = "x86_64"))]
pub trait Lanes8: Metric {}
#[cfg(not(target_arch = "x86_64"))]
impl<M: Metric> Lanes8 for M {}

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{
    __m512d, _mm512_abs_pd, _mm512_add_pd, _mm512_loadu_pd, _mm512_mul_pd, _mm512_set1_pd,
    _mm512_setzero_pd, _mm512_storeu_pd, _mm512_sub_pd,
};

#[cfg(target_arch = "x86_64")]
impl Lanes8 for Cityblock {
    #[inline(always)]
    unsafe fn step8(sum: __m512d, x: __m512d, y: __m512d) -> __m512d {
        // SAFETY: the caller runs on AVX-512.
        unsafe { _mm512_add_pd(sum, _mm512_abs_pd(_mm512_sub_pd(x, y))) }
    }
}

#[cfg(target_arch = "x86_64")]
impl Lanes8 for Euclidean {
    #[inline(always)]
    unsafe fn step8(sum: __m512d, x: __m512d, y: __m512d) -> __m512d {
        // SAFETY: the caller runs on AVX-512.
        unsafe {
            let diff = _mm512_sub_pd(x, y);
            _mm512_add_pd(sum, _mm512_mul_pd(diff, diff))
        }
    }
}

/// The MR × 16 tile with explicit AVX-512 instructions (lab 3's `avx512.rs`):
/// two 8-lane accumulators per row of the tile.
///
/// # Safety
/// The CPU must have AVX-512.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn tile_avx512<M: Lanes8>(xp: &[f64], yp: &[f64]) -> [[f64; 16]; MR] {
    let mut sums = [[0.0; 16]; MR];
    // SAFETY: the caller runs on AVX-512; each load reads a 16-value chunk
    // from `chunks_exact(16)` (8 at offset 0, 8 at offset 8), each store
    // writes 8 values into a 16-value row of `sums`.
    unsafe {
        let mut acc = [[_mm512_setzero_pd(); 2]; MR];
        for (xk, yk) in xp.chunks_exact(MR).zip(yp.chunks_exact(16)) {
            let y = [
                _mm512_loadu_pd(yk.as_ptr()),
                _mm512_loadu_pd(yk.as_ptr().add(8)),
            ];
            for (row, &xv) in acc.iter_mut().zip(xk) {
                let x = _mm512_set1_pd(xv);
                row[0] = M::step8(row[0], x, y[0]);
                row[1] = M::step8(row[1], x, y[1]);
            }
        }
        for (out, row) in sums.iter_mut().zip(&acc) {
            _mm512_storeu_pd(out.as_mut_ptr(), row[0]);
            _mm512_storeu_pd(out.as_mut_ptr().add(8), row[1]);
        }
    }
    sums
}

/// Packs the rows of `a` (len, d), in any layout, into panels of W rows:
/// panel p holds, for each coordinate k, the W values `a[p * W + w, k]` side
/// by side. The last panel is padded with zeros (their results are dropped).
pub fn pack_panels<const W: usize>(a: ArrayView2<'_, f64>) -> Vec<f64> {
    pack::<W>(a, false)
}

/// [`pack_panels`], one panel per rayon task unless `serial`.
fn pack<const W: usize>(a: ArrayView2<'_, f64>, serial: bool) -> Vec<f64> {
    let (len, d) = a.dim();
    let mut packed = vec![0.0; len.div_ceil(W) * W * d];
    if d == 0 {
        return packed;
    }
    for_each_chunk(&mut packed, W * d, serial, |(p, panel)| {
        let first = p * W;
        let rows = a.slice(s![first..len.min(first + W), ..]);
        for (slot, row) in rows.rows().into_iter().enumerate() {
            for (k, &v) in row.iter().enumerate() {
                panel[k * W + slot] = v;
            }
        }
    });
    packed
}
