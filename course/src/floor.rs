//! The least time an operation can take on a machine, from its measured limits (the probe
//! `support/examples/machine_limits.rs`): its arithmetic at the peak rate of that arithmetic
//! (FMAs, or Cityblock steps), plus one write of its n×m result at the write bandwidth, as if
//! the two did not overlap at all. A kernel's fraction of the floor (floor ÷ its time) says how
//! close it comes to what the machine can do. Used by `cargo xtask speed` (students) and by the
//! instructor's benchmark tables.

use serde::Deserialize;

/// The measured limits a floor is computed from (the best runs of the probe).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub peak_gflops: f64,
    /// Billions of Cityblock steps `s += |x − y|` per second (NaN where not measured).
    pub cityblock_gsteps: f64,
    pub write_gbps: f64,
}

/// The arithmetic of an operation, which says at which rate its work is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Work {
    /// Sizes `n×m×d`: the squared Euclidean distance matrix, one FMA (2 flops) per pair and
    /// coordinate, an n×m result.
    SqEuclidean,
    /// Sizes `n×k×m`: an (n, k) by (k, m) matrix product, 2·n·k·m flops, an n×m result.
    MatMul,
    /// Sizes `n×m×d`: the Cityblock distance matrix, one step `s += |x − y|` per pair and
    /// coordinate (no FMA), an n×m result.
    Cityblock,
}

impl Work {
    /// The floor of the operation at sizes `[a, b, c]` (`n×m×d`, or `n×k×m` for the product),
    /// in seconds; None without usable limits.
    pub fn floor_seconds(self, [a, b, c]: [usize; 3], limits: Limits) -> Option<f64> {
        let [a, b, c] = [a, b, c].map(|v| v as f64);
        // (work, its rate per second, entries of the result)
        let (work, rate, entries) = match self {
            Work::SqEuclidean => (2.0 * a * b * c, limits.peak_gflops, a * b),
            Work::MatMul => (2.0 * a * b * c, limits.peak_gflops, a * c),
            Work::Cityblock => (a * b * c, limits.cityblock_gsteps, a * b),
        };
        if !(rate > 0.0 && limits.write_gbps > 0.0) {
            return None;
        }
        Some(work / (rate * 1e9) + entries * 8.0 / (limits.write_gbps * 1e9))
    }

    /// The operation's work and the rate it is counted at, in words.
    pub fn described(self) -> &'static str {
        match self {
            Work::SqEuclidean => {
                "its 2·n·m·d flops (one FMA per pair and coordinate) at the peak FMA rate"
            }
            Work::MatMul => "its 2·n·k·m flops at the peak FMA rate",
            Work::Cityblock => {
                "its n·m·d steps `s += |x − y|` (one per pair and coordinate) at the peak \
                 Cityblock rate"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_is_the_work_at_its_rate_plus_one_write_of_the_result() {
        let limits = Limits {
            peak_gflops: 100.0,
            cityblock_gsteps: 40.0,
            write_gbps: 10.0,
        };
        // 1000×1000×50: 5·10⁷ steps at 4·10¹⁰/s, and 8 MB at 10 GB/s.
        let floor = Work::Cityblock.floor_seconds([1000, 1000, 50], limits);
        assert_eq!(floor, Some(5e7 / 4e10 + 8e6 / 1e10));
        // 10⁸ flops at 10¹¹/s, plus the same write.
        let floor = Work::SqEuclidean.floor_seconds([1000, 1000, 50], limits);
        assert_eq!(floor, Some(1e8 / 1e11 + 8e6 / 1e10));
        let unmeasured = Limits {
            cityblock_gsteps: f64::NAN,
            ..limits
        };
        assert_eq!(Work::Cityblock.floor_seconds([1, 1, 1], unmeasured), None);
    }
}
