//! The least time an operation can take on the machine that measured it, from the machine's
//! measured limits (`support/examples/machine_limits.rs`): its floating-point work at the peak
//! rate of its arithmetic (FMAs, or Cityblock steps), plus one write of its result at the write
//! bandwidth, as if the two did not overlap at all. A kernel's fraction of the floor (floor ÷ its time) says how close it comes. Used by
//! `--book`'s tables and by the comparisons with Python that `--book` runs.

use super::size::Size;

pub use course::floor::Limits;
use course::floor::Work;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Floor {
    /// A group named `…_NxMxD`: the squared Euclidean distance matrix, one FMA (2 flops) per
    /// pair and coordinate, an n×m result.
    SqEuclidean,
    /// A group named `…_NxKxM`: an (n, k) by (k, m) matrix product, 2·n·k·m flops, an n×m
    /// result.
    MatMul,
    /// A group named `…_NxMxD`: the Cityblock distance matrix, one step `s += |x − y|` per
    /// pair and coordinate (no FMA), an n×m result.
    Cityblock,
}

impl Floor {
    /// The floor of an operation of sizes (a, b, c): `n×m×d` for the distance matrix, `n×k×m`
    /// for the product; None without usable limits.
    pub fn seconds(self, size: Size, limits: Limits) -> Option<f64> {
        self.work().floor_seconds([size.n, size.m, size.d], limits)
    }

    /// The arithmetic it counts (course's floor, which students' `speed` uses too).
    fn work(self) -> Work {
        match self {
            Floor::SqEuclidean => Work::SqEuclidean,
            Floor::MatMul => Work::MatMul,
            Floor::Cityblock => Work::Cityblock,
        }
    }

    /// The operation's work and the rate it is counted at, in words.
    pub fn described(self) -> &'static str {
        self.work().described()
    }

    /// The sentence under the method that says what the floor row is.
    pub fn explained(self) -> String {
        let work = self.described();
        format!(
            "The floor row: the least time the header's limits allow, {work} \
             plus one write of the n×m result (8 bytes an entry) at the write bandwidth; \
             \"% of the floor\" is the floor ÷ the cell's median. Above 100 %, a kernel wrote \
             its result faster than the probe's ordered `fill` did: the probe measures one \
             ordinary way of writing, not the most the memory takes (tiles that write several \
             rows at once can beat it, streaming stores that skip the caches more so), and on a \
             shared VM the bandwidth varies from run to run (the header gives the probe's best \
             and median)."
        )
    }
}

/// The size at the end of a criterion group's name: `edm_5000x5000x50` → 5000×5000×50.
pub fn sizes_of(group: &str) -> Option<Size> {
    group.rsplit('_').next()?.parse().ok()
}
