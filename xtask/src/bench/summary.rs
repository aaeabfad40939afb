//! The best, the median and the spread of a set of timings: one computation for `--book`'s
//! cells (criterion's samples, a program's runs) and the comparisons' rounds.

/// Best, median and spread of a cell's samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub best: f64,
    pub median: f64,
    /// (worst − best) / median: how much the samples disagree.
    pub spread: f64,
    pub samples: usize,
}

pub fn summarize(seconds: &[f64]) -> Option<Summary> {
    let mut sorted: Vec<f64> = seconds.iter().copied().filter(|s| s.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    Some(Summary {
        best: sorted[0],
        median,
        spread: (sorted[n - 1] - sorted[0]) / median,
        samples: n,
    })
}
