//! The least time an operation can take on the machine that measured it, from the limits in
//! the file's header: its floating-point work at the peak FMA rate, plus one write of its result
//! at the write bandwidth, as if the two did not overlap at all. No kernel beats it; a kernel's
//! fraction of the floor (floor ÷ its median time) says how close it comes.

use super::header::MachineHeader;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Floor {
    /// A group named `…_NxMxD`: the squared Euclidean distance matrix, one FMA (2 flops) per
    /// pair and coordinate, an n×m result.
    SqEuclidean,
    /// A group named `…_NxKxM`: an (n, k) by (k, m) matrix product, 2·n·k·m flops, an n×m
    /// result.
    MatMul,
}

impl Floor {
    /// The floor of a group (`edm_5000x5000x50`) on the header's machine; None for a name
    /// without sizes.
    pub fn seconds(self, group: &str, header: &MachineHeader) -> Option<f64> {
        let sizes = group.rsplit('_').next()?;
        let dims: Vec<f64> = sizes
            .split('x')
            .map(|n| n.parse::<u64>().ok().map(|n| n as f64))
            .collect::<Option<_>>()?;
        let [a, b, c] = dims[..] else {
            return None;
        };
        let (flops, entries) = match self {
            Floor::SqEuclidean => (2.0 * a * b * c, a * b),
            Floor::MatMul => (2.0 * a * b * c, a * c),
        };
        let (gflops, gbps) = (header.peak_gflops(), header.write_gbps());
        if !(gflops > 0.0 && gbps > 0.0) {
            return None;
        }
        Some(flops / (gflops * 1e9) + entries * 8.0 / (gbps * 1e9))
    }

    /// The sentence under the method that says what the floor row is.
    pub fn explained(self) -> String {
        let work = match self {
            Floor::SqEuclidean => "its 2·n·m·d flops (one FMA per pair and coordinate)",
            Floor::MatMul => "its 2·n·k·m flops",
        };
        format!(
            "The floor row: the least time the header's limits allow, {work} at the peak FMA \
             rate plus one write of the n×m result (8 bytes an entry) at the write bandwidth; \
             \"% of the floor\" is the floor ÷ the cell's median. Above 100 %, a kernel wrote \
             faster than the bandwidth probe did at the start of the run: on a shared VM the \
             bandwidth varies from run to run (the header gives the probe's best and median)."
        )
    }
}
