//! A problem size `n×m×d`: n points against m points in d dimensions, written `NxMxD` on the
//! command line, in file names and in the peers' JSON lines.

use std::fmt;
use std::str::FromStr;

use anyhow::{Context, Result, bail};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Size {
    pub n: usize,
    pub m: usize,
    pub d: usize,
}

impl Size {
    /// The work: n·m·d coordinate differences (what decides which size is "largest").
    pub fn work(&self) -> usize {
        self.n * self.m * self.d
    }

    /// `5000×5000×50`, for people.
    pub fn pretty(&self) -> String {
        format!("{}×{}×{}", self.n, self.m, self.d)
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}x{}", self.n, self.m, self.d)
    }
}

impl FromStr for Size {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Size> {
        let parts: Vec<&str> = text.trim().split(['x', '×']).collect();
        let [n, m, d] = parts[..] else {
            bail!("size `{text}`: expected NxMxD, e.g. 5000x5000x50");
        };
        let number = |part: &str| {
            part.parse::<usize>()
                .ok()
                .filter(|&v| v > 0)
                .with_context(|| format!("size `{text}`: `{part}` is not a positive integer"))
        };
        Ok(Size {
            n: number(n)?,
            m: number(m)?,
            d: number(d)?,
        })
    }
}

/// `2000x2000x50,5000x5000x50` → the sizes, in order, without repeats.
pub fn parse_list(text: &str) -> Result<Vec<Size>> {
    let mut sizes: Vec<Size> = Vec::new();
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        let size: Size = part.parse()?;
        if !sizes.contains(&size) {
            sizes.push(size);
        }
    }
    if sizes.is_empty() {
        bail!("no sizes in `{text}`: give e.g. --sizes 2000x2000x50,5000x5000x50");
    }
    Ok(sizes)
}
