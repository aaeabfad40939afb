//! The typed errors of lab 5 (given code). Every message names the sizes that
//! were wrong and what to do about them.

use std::fmt;

use support::platform::{Platform, venv_install};

use crate::dim::{Axis, Dim2, MAX_THREADS_PER_BLOCK};

/// Why a launch geometry (or, later, a GPU call) was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GpuError {
    /// A block with 0 threads along an axis: it launches nothing.
    ZeroBlock {
        /// The axis whose block size is 0.
        axis: Axis,
    },
    /// A block with more than 1024 threads in all.
    BlockTooLarge {
        /// The block asked for.
        block: Dim2,
    },
    /// More blocks along an axis than CUDA allows (2³¹ - 1 along x, 65535 along y and z).
    GridTooLarge {
        /// The axis.
        axis: Axis,
        /// The elements to cover along it.
        n: usize,
        /// The threads per block along it.
        block: u32,
        /// The blocks that would take: ⌈n / block⌉.
        blocks: u64,
    },
    /// The CUDA driver library (libcuda) could not be loaded: no NVIDIA GPU,
    /// or no driver for it.
    NoCudaDriver,
    /// The driver loads but reports no CUDA device.
    NoDevice,
    /// NVRTC, CUDA's run-time compiler (libnvrtc), could not be loaded.
    NoNvrtc {
        /// The folders searched, besides the system's library path.
        searched: Vec<String>,
        /// NVRTC was not looked for: `GPU_NO_NVRTC` is set.
        hidden: bool,
    },
    /// cuBLAS (libcublas) could not be loaded.
    NoCublas,
    /// NVRTC refused a kernel's source.
    Compile {
        /// The kernel file, e.g. `src/cuda/cityblock_naive.cu`.
        file: String,
        /// NVRTC's log: the errors with their line numbers.
        log: String,
    },
    /// ptxas, which NVRTC runs to turn a kernel into machine code (a cubin) for a real GPU
    /// architecture, refused it: the kernel breaks one of that architecture's limits.
    Ptxas {
        /// The kernel file, e.g. `src/cuda/cityblock_tiled.cu`.
        file: String,
        /// The architecture, e.g. `sm_90`.
        arch: String,
        /// ptxas's log: its errors name the kernel and the limit.
        log: String,
    },
    /// A call into the CUDA driver (or cuBLAS) failed.
    Cuda {
        /// What was being done, e.g. "launching cityblock_naive".
        during: String,
        /// The driver's error.
        message: String,
    },
    /// x and y do not have the same number of columns (coordinates).
    ShapeMismatch {
        /// x's shape, (n, d).
        x: (usize, usize),
        /// y's shape, (m, d).
        y: (usize, usize),
    },
    /// A size too large for the 32-bit integers of an API (cuBLAS takes `int`).
    TooLarge {
        /// What is too large, e.g. "x's rows (n)".
        what: String,
        /// Its value.
        value: usize,
        /// The largest allowed.
        limit: usize,
    },
    /// The CPU emulator could not run a kernel the way a GPU would.
    Emulator {
        /// The kernel.
        kernel: String,
        /// What went wrong, and what to do about it.
        problem: String,
    },
}

impl fmt::Display for GpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GpuError::ZeroBlock { axis } => write!(
                f,
                "the block has 0 threads along {axis}, so the launch would run nothing: give \
                 every axis at least 1 thread (the usual choice is a multiple of the warp size, \
                 32, e.g. 256, or 16×16 in 2-D)"
            ),
            GpuError::BlockTooLarge { block } => write!(
                f,
                "a block of {block} = {} threads is more than CUDA's {MAX_THREADS_PER_BLOCK} \
                 threads per block: use a smaller block, e.g. 16×16 = 256 or 32×32 = 1024",
                block.count()
            ),
            GpuError::GridTooLarge {
                axis,
                n,
                block,
                blocks,
            } => write!(
                f,
                "{n} elements along {axis} in blocks of {block} threads need {blocks} blocks, \
                 more than CUDA's {} blocks along {axis}: use bigger blocks, put the long side \
                 on x (up to 2³¹ - 1 blocks), or let each thread loop over several elements (a \
                 grid-stride loop)",
                axis.max_blocks()
            ),
            GpuError::NoCudaDriver => write!(
                f,
                "no CUDA driver: the NVIDIA driver's library (libcuda.so on Linux, nvcuda.dll on \
                 Windows) could not be loaded, so there is no GPU to run on. Either this machine \
                 has no NVIDIA GPU or its driver is not installed (`nvidia-smi` should list the \
                 GPU). The GPU tests are `#[ignore = \"needs a CUDA GPU\"]`: run them on a \
                 machine with one, with `cargo test -p gpu -- --include-ignored` (on Windows, \
                 inside WSL, where NVIDIA's Windows driver brings CUDA); the rest of the lab, \
                 the kernels on the CPU emulator included, needs no GPU"
            ),
            GpuError::NoDevice => write!(
                f,
                "the CUDA driver loads but finds no GPU: `nvidia-smi` should list one; check \
                 CUDA_VISIBLE_DEVICES, which can hide them all"
            ),
            GpuError::NoNvrtc { hidden: true, .. } => write!(
                f,
                // Set on purpose (a laptop without NVRTC, simulated): unsetting it is the fix
                // where NVRTC is installed.
                "no NVRTC: {NVRTC_HIDDEN} is set, so NVRTC was not looked for (unset it to use \
                 the NVRTC this machine has.) {}",
                nvrtc_fix(Platform::detect())
            ),
            GpuError::NoNvrtc { searched, .. } => {
                write!(
                    f,
                    "no NVRTC: CUDA's run-time compiler (libnvrtc.so.13 or .12) is not on the \
                     library path"
                )?;
                match searched.as_slice() {
                    [] => write!(
                        f,
                        ", and there is no .venv with its wheel, no CUDA_HOME and no \
                         /usr/local/cuda to look in"
                    )?,
                    folders => write!(f, ", nor in {}", folders.join(", "))?,
                }
                write!(f, ". {}", nvrtc_fix(Platform::detect()))
            }
            GpuError::NoCublas => write!(
                f,
                "no cuBLAS: libcublas.so.13 or .12 is not on the library path nor in \
                 CUDA_HOME/lib64 (it comes with the CUDA toolkit, or from PyPI as \
                 nvidia-cublas-cu12)"
            ),
            GpuError::Compile { file, log } => write!(
                f,
                "NVRTC could not compile {file}; its log (line numbers are the file's):\n{log}"
            ),
            GpuError::Ptxas { file, arch, log } => write!(
                f,
                "ptxas could not compile {file} for {arch}, so a GPU of that architecture could \
                 not load it; usually a kernel asks for more than {arch} allows (static `__shared__` \
                 memory per block, registers per thread, ...). ptxas's log:\n{log}"
            ),
            GpuError::Cuda { during, message } => write!(f, "CUDA failed {during}: {message}"),
            GpuError::ShapeMismatch { x, y } => write!(
                f,
                "x is {}×{} and y is {}×{}: both need the same number of columns (the \
                 dimension d of the points), {} ≠ {}",
                x.0, x.1, y.0, y.1, x.1, y.1
            ),
            GpuError::TooLarge { what, value, limit } => write!(
                f,
                "{what} is {value}, more than {limit}, the largest the API takes: split the \
                 work into blocks of rows"
            ),
            GpuError::Emulator { kernel, problem } => {
                write!(f, "the CPU emulator ran {kernel}: {problem}")
            }
        }
    }
}

impl std::error::Error for GpuError {}

/// The variable that hides NVRTC, so that the tests run as on a machine without it (the
/// course's CI checks their skip messages that way).
pub const NVRTC_HIDDEN: &str = "GPU_NO_NVRTC";

/// Where lab 5's pip requirements are, from the repository's root: NVRTC's wheel.
pub const REQUIREMENTS: &str = "exercises/05-gpu/requirements.txt";

/// How to get NVRTC on `platform`: its PyPI wheel in the repository's `.venv`, or a CUDA
/// toolkit; neither exists for macOS.
pub fn nvrtc_fix(platform: Platform) -> String {
    match platform {
        Platform::MacOs => "NVRTC has no macOS build (neither the CUDA toolkit nor its PyPI \
                            wheel): on macOS the tests that compile the kernels to PTX are \
                            skipped; they run on Linux, or on Windows with WSL"
            .to_string(),
        _ => format!(
            "Get it from PyPI ({}), or, with a CUDA toolkit, set CUDA_HOME (e.g. /usr/local/cuda)",
            venv_install(REQUIREMENTS, platform)
        ),
    }
}
