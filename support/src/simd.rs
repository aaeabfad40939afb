//! Which vector instructions a kernel runs with, chosen at run time.
//!
//! A default build targets the x86-64 baseline (SSE2: two f64 per vector
//! register, no fused multiply-add), because the binary must run on any
//! x86-64 CPU. The fast kernels of labs 2, 3 and 6 are therefore compiled
//! several times, once per [`Simd`] path (`#[target_feature]` functions around
//! one generic body), and [`Simd::detect`] asks the CPU, once per call, which
//! of them it can run. A build with `-C target-cpu=native` gets the same
//! speed; a default build no longer needs that flag.

/// Which instructions a kernel runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Simd {
    /// What the crate was compiled for: SSE2 on a default x86-64 build.
    Baseline,
    /// AVX2 and FMA (four f64 per register), chosen at run time on a CPU
    /// that has them.
    Avx2,
    /// AVX-512 (eight f64 per register), chosen at run time on a CPU that
    /// has AVX512F and FMA.
    Avx512,
}

impl Simd {
    // ANCHOR: detect
    /// The best path this CPU supports.
    pub fn detect() -> Simd {
        [Simd::Avx512, Simd::Avx2]
            .into_iter()
            .find(|path| path.supported())
            .unwrap_or(Simd::Baseline)
    }

    /// Whether this CPU has the instructions of the path.
    pub fn supported(self) -> bool {
        match self {
            Simd::Baseline => true,
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512 => {
                std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }
    // ANCHOR_END: detect

    /// Every path this CPU supports, the baseline first.
    pub fn available() -> Vec<Simd> {
        [Simd::Baseline, Simd::Avx2, Simd::Avx512]
            .into_iter()
            .filter(|path| path.supported())
            .collect()
    }

    /// `"avx512"`, `"avx2"`, or the baseline's name (`"sse2"` on x86-64).
    pub fn name(self) -> &'static str {
        match self {
            Simd::Avx512 => "avx512",
            Simd::Avx2 => "avx2",
            Simd::Baseline if cfg!(target_feature = "avx2") => "avx2 (compiled in)",
            Simd::Baseline if cfg!(target_arch = "x86_64") => "sse2",
            Simd::Baseline => "baseline",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Simd;

    #[test]
    fn the_detected_path_is_available_and_the_baseline_always_is() {
        let available = Simd::available();
        assert_eq!(available.first(), Some(&Simd::Baseline));
        assert!(available.contains(&Simd::detect()));
    }
}
