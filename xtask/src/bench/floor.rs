//! The least time an operation can take on the machine that measured it, from the machine's
//! measured limits (`support/examples/machine_limits.rs`): its floating-point work at the peak
//! rate of its arithmetic (FMAs, or Cityblock steps), plus one write of its result at the write
//! bandwidth, as if the two did not overlap at all. A kernel's fraction of the floor (floor ÷ its time) says how close it comes. Used by
//! `--book`'s tables and by the comparisons with Python that `--book` runs.

use super::size::Size;

/// The measured limits a floor is computed from (the best runs of the probe).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub peak_gflops: f64,
    /// Billions of Cityblock steps `s += |x − y|` per second (NaN where not measured).
    pub cityblock_gsteps: f64,
    pub write_gbps: f64,
}

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
        let [a, b, c] = [size.n, size.m, size.d].map(|v| v as f64);
        // (work, its rate per second, entries of the result)
        let (work, rate, entries) = match self {
            Floor::SqEuclidean => (2.0 * a * b * c, limits.peak_gflops, a * b),
            Floor::MatMul => (2.0 * a * b * c, limits.peak_gflops, a * c),
            Floor::Cityblock => (a * b * c, limits.cityblock_gsteps, a * b),
        };
        if !(rate > 0.0 && limits.write_gbps > 0.0) {
            return None;
        }
        Some(work / (rate * 1e9) + entries * 8.0 / (limits.write_gbps * 1e9))
    }

    /// The operation's work and the rate it is counted at, in words.
    pub fn work(self) -> &'static str {
        match self {
            Floor::SqEuclidean => {
                "its 2·n·m·d flops (one FMA per pair and coordinate) at the peak FMA rate"
            }
            Floor::MatMul => "its 2·n·k·m flops at the peak FMA rate",
            Floor::Cityblock => {
                "its n·m·d steps `s += |x − y|` (one per pair and coordinate) at the peak \
                 Cityblock rate"
            }
        }
    }

    /// The sentence under the method that says what the floor row is.
    pub fn explained(self) -> String {
        let work = self.work();
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
