//! Every variant must compute the same matrix as the reference (NumPy's trick for lab 2,
//! SciPy's `cdist` for lab 3): its checksum and three sampled entries, within a relative
//! tolerance. A fast wrong answer is not a result.

use std::collections::BTreeSet;

use super::peers::Side;
use super::record::Record;

/// |a − b| ≤ rtol·|b| + atol, entry by entry; the checksum with `checksum_rtol` alone.
#[derive(Debug, Clone, Copy)]
pub struct Tolerance {
    pub checksum_rtol: f64,
    pub sample_rtol: f64,
    pub sample_atol: f64,
}

impl Tolerance {
    /// The trick loses a few digits to cancellation; 1e-9 is far above that for the course's
    /// data (uniform in `[0, 10)`) and far below any real bug.
    pub const DEFAULT: Tolerance = Tolerance {
        checksum_rtol: 1e-9,
        sample_rtol: 1e-9,
        sample_atol: 1e-9,
    };
}

/// One line per (side, variant, size) that disagrees with the reference, naming it; empty
/// when all agree.
pub fn disagreements(records: &[Record], reference: &str, tolerance: Tolerance) -> Vec<String> {
    let mut problems = Vec::new();
    let mut reported = BTreeSet::new();
    for record in records {
        let key = (record.side, record.variant.as_str(), record.size);
        if reported.contains(&key) {
            continue;
        }
        let Some(expected) = records
            .iter()
            .find(|r| r.side == Side::Python && r.variant == reference && r.size == record.size)
        else {
            problems.push(format!(
                "no `{reference}` result at {} to check `{}` ({}) against",
                record.size,
                record.variant,
                record.side.key()
            ));
            reported.insert(key);
            continue;
        };
        if let Some(why) = compare(record, expected, tolerance) {
            problems.push(format!(
                "`{}` ({}) at {} disagrees with `{reference}`: {why}",
                record.variant,
                record.side.key(),
                record.size
            ));
            reported.insert(key);
        }
    }
    problems
}

fn compare(actual: &Record, expected: &Record, tolerance: Tolerance) -> Option<String> {
    let close = |a: Option<f64>, b: Option<f64>, rtol: f64, atol: f64| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= rtol * b.abs() + atol,
        _ => false,
    };
    if !close(
        actual.checksum,
        expected.checksum,
        tolerance.checksum_rtol,
        0.0,
    ) {
        return Some(format!(
            "checksum {} vs {} (relative tolerance {:e})",
            show(actual.checksum),
            show(expected.checksum),
            tolerance.checksum_rtol
        ));
    }
    if actual.samples.len() != expected.samples.len() {
        return Some(format!(
            "{} samples vs {}",
            actual.samples.len(),
            expected.samples.len()
        ));
    }
    let entries = ["r[0,0]", "r[n/2,m/3]", "r[n-1,m-1]"];
    for (index, (&a, &b)) in actual.samples.iter().zip(&expected.samples).enumerate() {
        if !close(a, b, tolerance.sample_rtol, tolerance.sample_atol) {
            return Some(format!(
                "{} = {} vs {}",
                entries.get(index).unwrap_or(&"sample"),
                show(a),
                show(b)
            ));
        }
    }
    None
}

fn show(value: Option<f64>) -> String {
    value.map_or("not a finite number".into(), |v| format!("{v:e}"))
}
