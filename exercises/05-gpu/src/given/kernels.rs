//! The lab's CUDA C kernels, as source text (given code). You write them in
//! `src/cuda/*.cu`; this module embeds each file in the crate, and says which
//! kernels it defines and how they are launched. The same source is compiled
//! two ways: by NVRTC to PTX for the GPU ([`crate::nvrtc`]), and by the C++
//! compiler for the CPU emulator that the tests run ([`crate::emulator`]).

use crate::error::GpuError;
use crate::launch::{self, LaunchShape};

/// One `src/cuda/*.cu` file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelFile {
    /// Its path in the crate, e.g. `src/cuda/cityblock_naive.cu`.
    pub path: &'static str,
    /// Its text.
    pub source: &'static str,
    /// The `extern "C" __global__` functions it defines.
    pub kernels: &'static [&'static str],
}

macro_rules! kernel_file {
    ($name:literal, [$($kernel:literal),+]) => {
        KernelFile {
            path: concat!("src/cuda/", $name, ".cu"),
            source: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/cuda/", $name, ".cu")),
            kernels: &[$($kernel),+],
        }
    };
}

/// One thread per r[i, j], L1 distance.
pub const CITYBLOCK_NAIVE: KernelFile = kernel_file!("cityblock_naive", ["cityblock_naive"]);
/// One thread per r[i, j], squared L2 distance.
pub const SQEUCLIDEAN_NAIVE: KernelFile = kernel_file!("sqeuclidean_naive", ["sqeuclidean_naive"]);
/// A 64 × 64 tile of r per block, through shared memory and registers.
pub const CITYBLOCK_TILED: KernelFile = kernel_file!("cityblock_tiled", ["cityblock_tiled"]);
/// The row norms and the fused epilogue around cuBLAS's GEMM.
pub const TRICK: KernelFile = kernel_file!("trick", ["row_sq_norms", "sqeuclidean_epilogue"]);
/// y = A v with one thread per row, for a row-major and a column-major A.
pub const GEMV: KernelFile = kernel_file!("gemv", ["gemv_row_major", "gemv_col_major"]);

/// Every kernel file, in the order of the exercises.
pub const ALL: [KernelFile; 5] = [
    CITYBLOCK_NAIVE,
    SQEUCLIDEAN_NAIVE,
    CITYBLOCK_TILED,
    TRICK,
    GEMV,
];

/// The kernels with the signature `(x, y, r, n, m, d)`: r = dist(x, y), n × m.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pairwise {
    /// `cityblock_naive`: one thread per output.
    CityblockNaive,
    /// `sqeuclidean_naive`: one thread per output.
    SqeuclideanNaive,
    /// `cityblock_tiled`: a 64 × 64 tile per block.
    CityblockTiled,
}

impl Pairwise {
    /// All of them.
    pub const ALL: [Pairwise; 3] = [
        Pairwise::CityblockNaive,
        Pairwise::SqeuclideanNaive,
        Pairwise::CityblockTiled,
    ];

    /// The kernel's name in its `.cu` file.
    pub fn name(self) -> &'static str {
        match self {
            Pairwise::CityblockNaive => "cityblock_naive",
            Pairwise::SqeuclideanNaive => "sqeuclidean_naive",
            Pairwise::CityblockTiled => "cityblock_tiled",
        }
    }

    /// The file that defines it.
    pub fn file(self) -> KernelFile {
        match self {
            Pairwise::CityblockNaive => CITYBLOCK_NAIVE,
            Pairwise::SqeuclideanNaive => SQEUCLIDEAN_NAIVE,
            Pairwise::CityblockTiled => CITYBLOCK_TILED,
        }
    }

    /// Its launch for an n × m output.
    pub fn launch(self, n: usize, m: usize) -> Result<LaunchShape, GpuError> {
        match self {
            Pairwise::CityblockNaive | Pairwise::SqeuclideanNaive => launch::per_element(n, m),
            Pairwise::CityblockTiled => launch::tiled(n, m),
        }
    }

    /// Whether it computes Cityblock (else squared Euclidean) distances.
    pub fn is_cityblock(self) -> bool {
        self != Pairwise::SqeuclideanNaive
    }
}
