//! Exercise 6: a fast Cityblock kernel.
//!
//! The plain loop computes one pair at a time: one chain of additions, each
//! waiting for the previous one, one value of x and one of y per step. The
//! blocked kernel computes a *tile* of MR points of x against NR points of y
//! at once: MR × NR independent sums, kept in vector registers, so the CPU
//! always has work that does not wait, and every value loaded from memory is
//! used MR or NR times.
//!
//! Around the tile, three levels of blocking:
//! - the operands are *packed* into panels: for each coordinate k, the MR
//!   (or NR) values a tile needs, side by side, so the tile reads memory in
//!   order;
//! - the columns (points of y) are processed in blocks whose panels fit in
//!   the L2 cache, and every row panel of x sweeps the whole block;
//! - the rows are split into tasks of `ROWS_PER_TASK` for rayon.
//!
//! Each sum still adds its coordinates in order, from k = 0: the results are
//! bit for bit those of [`crate::serial::cityblock_loops`].
//!
//! Tests: `cargo test -p parallel --test blocked`.

use ndarray::{Array2, ArrayView2, s};
use rayon::prelude::*;
use support::simd::Simd;

use crate::error::{DimensionMismatch, check_dims};

#[cfg(target_arch = "x86_64")]
pub mod avx512;
mod driver;

// For `examples/limits.rs`: the tiles of the path the kernel takes, with their panels in cache.
pub use driver::{task_on, tile_shape};

// ANCHOR: tile_shape
/// f64 lanes in one vector register of the CPU this crate is compiled for:
/// 4 with AVX2 (and with AVX-512: its 8-lane registers get their own tile,
/// in the `avx512` module), 2 with the x86-64 baseline (SSE2). Build with
/// `-C target-cpu=native` to use what your CPU has.
pub const LANES: usize = if cfg!(target_feature = "avx") { 4 } else { 2 };
/// Points of x per tile.
pub const MR: usize = 4;
/// Points of y per tile: two vectors, so MR × NR / LANES = 8 independent sums
/// in registers, more than the adder's latency × throughput needs.
pub const NR: usize = 2 * LANES;
// ANCHOR_END: tile_shape

/// Rows of the output per rayon task (a multiple of MR).
pub const ROWS_PER_TASK: usize = 64;
/// Bytes of packed y kept hot in L2 while a task sweeps its rows over them.
pub const Y_BLOCK_BYTES: usize = 256 * 1024;

// ANCHOR: metric
/// A distance computed coordinate by coordinate.
pub trait Metric {
    /// Adds coordinate k of a pair to its running sum.
    fn step(sum: f64, x: f64, y: f64) -> f64;
    /// The distance, from the finished sum.
    fn finish(sum: f64) -> f64;
}

/// Σ_k |x_k − y_k|.
pub struct Cityblock;

impl Metric for Cityblock {
    #[inline(always)]
    fn step(sum: f64, x: f64, y: f64) -> f64 {
        sum + (x - y).abs()
    }

    #[inline(always)]
    fn finish(sum: f64) -> f64 {
        sum
    }
}

/// √(Σ_k (x_k − y_k)²).
pub struct Euclidean;

impl Metric for Euclidean {
    #[inline(always)]
    fn step(sum: f64, x: f64, y: f64) -> f64 {
        let diff = x - y;
        sum + diff * diff
    }
    #[inline(always)]
    fn finish(sum: f64) -> f64 {
        sum.sqrt()
    }
}
// ANCHOR_END: metric

/// A metric with the 8-lane step of the explicit AVX-512 tile (every metric
/// of this file has one).
#[cfg(target_arch = "x86_64")]
pub use avx512::SimdMetric;

/// Off x86-64 there is no AVX-512 tile: every metric qualifies.
#[cfg(not(target_arch = "x86_64"))]
pub trait SimdMetric: Metric {}
#[cfg(not(target_arch = "x86_64"))]
impl<M: Metric> SimdMetric for M {}

// ANCHOR: tile
/// One MR × NR tile: `xp` holds MR values per coordinate, `yp` NR values per
/// coordinate (packed panels). The fixed-size accumulator array stays in
/// registers, and the innermost loop over NR values becomes NR / LANES
/// vector instructions.
///
/// # Examples
///
/// One coordinate (d = 1): the tile holds the distance of every x value to
/// every y value.
///
/// ```
/// use parallel_solution::blocked::{Cityblock, MR, NR, tile};
///
/// let xp: Vec<f64> = (0..MR).map(|r| r as f64).collect();
/// let yp: Vec<f64> = (0..NR).map(|c| c as f64).collect();
/// let sums = tile::<Cityblock>(&xp, &yp);
/// assert_eq!(sums[3][1], 2.0); // |3 - 1|
/// assert_eq!(sums[0][NR - 1], (NR - 1) as f64);
/// ```
#[inline(always)]
pub fn tile<M: Metric>(xp: &[f64], yp: &[f64]) -> [[f64; NR]; MR] {
    tile_of_width::<M, NR>(xp, yp)
}

/// [`tile`] with TC points of y: `NR` in the baseline task, 8 in the AVX2 one.
#[inline(always)]
fn tile_of_width<M: Metric, const TC: usize>(xp: &[f64], yp: &[f64]) -> [[f64; TC]; MR] {
    let mut sums = [[0.0; TC]; MR];
    for (xk, yk) in xp.chunks_exact(MR).zip(yp.chunks_exact(TC)) {
        for (row, &xv) in sums.iter_mut().zip(xk) {
            for (s, &yv) in row.iter_mut().zip(yk) {
                *s = M::step(*s, xv, yv);
            }
        }
    }
    sums
}
// ANCHOR_END: tile

// ANCHOR: pack_panels
/// Packs the rows of `a` (len, d) into panels of W rows: panel p holds, for
/// each coordinate k, the W values `a[p * W + w, k]` side by side. The last
/// panel is padded with zeros (their results are computed and dropped).
///
/// # Examples
///
/// Three points with two coordinates, in panels of two points: the second
/// panel is padded with a zero point.
///
/// ```
/// use ndarray::array;
/// use parallel_solution::blocked::pack_panels;
///
/// let a = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// assert_eq!(pack_panels::<2>(a.view()), [1.0, 3.0, 2.0, 4.0, 5.0, 0.0, 6.0, 0.0]);
/// ```
pub fn pack_panels<const W: usize>(a: ArrayView2<'_, f64>) -> Vec<f64> {
    let mut packed = vec![0.0; a.nrows().div_ceil(W) * W * a.ncols()];
    pack_into::<W>(a, &mut packed);
    packed
}

/// [`pack_panels`] into a zeroed slice of the right length.
fn pack_into<const W: usize>(a: ArrayView2<'_, f64>, packed: &mut [f64]) {
    let (len, d) = a.dim();
    if d == 0 {
        return;
    }
    // One panel per rayon task: at d = 500 packing is a scattered copy of
    // several MB, worth both cores.
    packed
        .par_chunks_mut(W * d)
        .enumerate()
        .for_each(|(p, panel)| {
            let first = p * W;
            let rows = a.slice(s![first..len.min(first + W), ..]);
            for (slot, row) in rows.rows().into_iter().enumerate() {
                for (k, &v) in row.iter().enumerate() {
                    panel[k * W + slot] = v;
                }
            }
        });
}

/// Packed panels starting on a 64-byte boundary: a vector load of 8 doubles
/// from them never straddles two cache lines (on Intel CPUs such a split
/// load costs about twice a plain one).
struct AlignedPanels {
    buffer: Vec<f64>,
    start: usize,
    len: usize,
}

impl AlignedPanels {
    fn pack<const W: usize>(a: ArrayView2<'_, f64>) -> Self {
        let len = a.nrows().div_ceil(W) * W * a.ncols();
        // 7 spare values: some start within them is 64-byte aligned.
        let mut buffer = vec![0.0; len + 7];
        let start = buffer.as_ptr().align_offset(64).min(7);
        pack_into::<W>(a, &mut buffer[start..][..len]);
        Self { buffer, start, len }
    }

    fn as_slice(&self) -> &[f64] {
        &self.buffer[self.start..][..self.len]
    }
}
// ANCHOR_END: pack_panels

// ANCHOR: pairwise_blocked
/// The distance `M` between every row of x (n, d) and every row of y (m, d),
/// whose d's the caller has checked, in parallel over blocks of rows, on the
/// best path this CPU has.
pub fn pairwise_blocked<M: SimdMetric>(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Array2<f64> {
    pairwise_blocked_on::<M>(Simd::detect(), x, y)
}

/// The same on the path `simd` (the benchmarks run every path side by side).
/// Panics if this CPU cannot run it.
pub fn pairwise_blocked_on<M: SimdMetric>(
    simd: Simd,
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Array2<f64> {
    // The check that makes the `unsafe` calls of `drive` sound.
    assert!(simd.supported(), "this CPU cannot run the {simd:?} path");
    match simd {
        Simd::Baseline => driver::drive::<MR, NR>(x, y, driver::rows_baseline::<M>),
        #[cfg(target_arch = "x86_64")]
        Simd::Avx2 => driver::drive::<MR, { driver::AVX2_NR }>(x, y, driver::rows_avx2::<M>),
        #[cfg(target_arch = "x86_64")]
        Simd::Avx512 => {
            driver::drive::<{ avx512::MR }, { avx512::NR }>(x, y, driver::rows_avx512::<M>)
        }
        #[cfg(not(target_arch = "x86_64"))]
        _ => unreachable!("only the baseline is supported off x86-64"),
    }
}

/// Where a tile's results go: the output from the tile's first row and
/// column on, its row stride, and how many of its rows and columns lie inside
/// the matrix (fewer than the tile's at the ragged edges).
pub struct TileOut<'a> {
    pub out: &'a mut [f64],
    pub stride: usize,
    pub rows: usize,
    pub cols: usize,
}

impl TileOut<'_> {
    /// Stores the finished sums of the part of a tile inside the matrix.
    #[inline(always)]
    pub fn store<M: Metric, const TC: usize>(self, sums: &[[f64; TC]]) {
        for (r, sum_row) in sums.iter().enumerate().take(self.rows) {
            let out_row = &mut self.out[r * self.stride..][..self.cols];
            for (o, &s) in out_row.iter_mut().zip(sum_row) {
                *o = M::finish(s);
            }
        }
    }
}

// ANCHOR_END: pairwise_blocked

// ANCHOR: cityblock_blocked
/// Cityblock distances with the blocked kernel.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::blocked::cityblock_blocked;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(cityblock_blocked(x.view(), y.view())?, array![[0.0, 3.0], [7.0, 4.0]]);
/// assert!(cityblock_blocked(x.view(), array![[1.0]].view()).is_err());
/// # Ok(())
/// # }
/// ```
pub fn cityblock_blocked(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    Ok(pairwise_blocked::<Cityblock>(x, y))
}
// ANCHOR_END: cityblock_blocked

/// Euclidean distances (with the root) with the blocked kernel.
///
/// # Examples
///
/// ```
/// use ndarray::array;
/// use parallel_solution::blocked::euclidean_blocked;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// assert_eq!(euclidean_blocked(x.view(), y.view())?, array![[0.0, 3.0], [5.0, 4.0]]);
/// # Ok(())
/// # }
/// ```
pub fn euclidean_blocked(
    x: ArrayView2<'_, f64>,
    y: ArrayView2<'_, f64>,
) -> Result<Array2<f64>, DimensionMismatch> {
    check_dims(x.dim(), y.dim())?;
    Ok(pairwise_blocked::<Euclidean>(x, y))
}

/// Every path this CPU has gives the serial loops' bits: the test that covers
/// the paths the shared tests (which run the detected one) do not.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::serial::{cityblock_loops, euclidean_loops};
    use crate::testing::random_points;

    #[test]
    fn every_path_gives_the_bits_of_the_serial_loops() {
        // Ragged edges, one tile, several tasks and column blocks.
        for (n, m, d) in [(1, 1, 1), (9, 19, 5), (70, 45, 3), (130, 700, 50)] {
            let (x, y) = (random_points(n, d, 1), random_points(m, d, 2));
            let cityblock = cityblock_loops(x.view(), y.view()).expect("same d");
            let euclidean = euclidean_loops(x.view(), y.view()).expect("same d");
            for simd in Simd::available() {
                let shape = (n, m, d, simd.name());
                let got = pairwise_blocked_on::<Cityblock>(simd, x.view(), y.view());
                assert_eq!(got, cityblock, "Cityblock at {shape:?}");
                let got = pairwise_blocked_on::<Euclidean>(simd, x.view(), y.view());
                assert_eq!(got, euclidean, "Euclidean at {shape:?}");
            }
        }
    }
}
