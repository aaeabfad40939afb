//! How `Gpu::new` hands a kernel file to the driver (given code): a cubin for
//! the GPU's architecture first, PTX (which the driver compiles) as the
//! fallback, and the record of which it was.

use std::fmt;

use cudarc::nvrtc::Ptx;

use super::{compile, compile_cubin};
use crate::error::GpuError;
use crate::kernels::KernelFile;

/// A kernel file's code, as it is handed to the driver.
#[derive(Debug)]
pub enum Image {
    /// Machine code for the GPU's architecture: the driver loads it as it is.
    Cubin(Vec<u8>),
    /// PTX: the driver compiles it (its JIT) while it loads it.
    Ptx(Ptx),
}

impl Image {
    /// cudarc's type for either, which `CudaContext::load_module` takes.
    pub fn into_ptx(self) -> Ptx {
        match self {
            Image::Cubin(bytes) => Ptx::from_binary(bytes),
            Image::Ptx(ptx) => ptx,
        }
    }
}

/// Loads a kernel file with `load` (the driver's `load_module`) for a GPU of
/// architecture `arch`: as a cubin, or, when NVRTC cannot make it or the driver
/// refuses it, as PTX for NVRTC's default architecture, which the driver compiles
/// itself. Returns what `load` made and, after a fallback, why (naming the file).
///
/// The cubin comes first because a driver older than NVRTC refuses NVRTC's PTX
/// (CUDA_ERROR_UNSUPPORTED_PTX_VERSION) but loads its cubins (of the same CUDA
/// major version), and because the driver then has nothing left to compile.
pub fn load_with_fallback<M, E: fmt::Display>(
    file: &KernelFile,
    arch: &str,
    mut load: impl FnMut(Image) -> Result<M, E>,
) -> Result<(M, Option<String>), GpuError> {
    let (why, cubin_error) = match compile_cubin(file, arch) {
        Ok(cubin) => match load(Image::Cubin(cubin)) {
            Ok(module) => return Ok((module, None)),
            Err(error) => (
                format!("the driver refused its cubin for {arch}: {error}"),
                None,
            ),
        },
        Err(error) => (format!("no cubin for {arch}: {error}"), Some(error)),
    };
    // The PTX the tests check, which any GPU newer than NVRTC's default can run.
    let ptx = compile(file, None)?;
    match (load(Image::Ptx(ptx)), cubin_error) {
        (Ok(module), _) => Ok((module, Some(format!("{}: {why}", file.path)))),
        // The driver's compile hit the limit ptxas refused: ptxas's message says which.
        (Err(_), Some(ptxas @ GpuError::Ptxas { .. })) => Err(ptxas),
        (Err(error), _) => Err(GpuError::Cuda {
            during: format!("loading {} as PTX, after {why}", file.path),
            message: error.to_string(),
        }),
    }
}

/// How `Gpu::new` handed the kernels to the driver: what [`crate::Gpu::code`] says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KernelCode {
    /// Every kernel file as a cubin for the GPU's architecture, made by NVRTC: the
    /// driver compiled nothing.
    Cubin {
        /// The architecture, e.g. `sm_90`.
        arch: String,
    },
    /// Some kernel files as PTX, which the driver compiled while loading them,
    /// because their cubins could not be made or loaded.
    Ptx {
        /// The GPU's architecture, e.g. `sm_90`.
        arch: String,
        /// Per file that fell back, the file and why.
        because: Vec<String>,
    },
}

impl KernelCode {
    /// The code for a GPU of architecture `arch`, given the fallbacks of
    /// [`load_with_fallback`] (none: every file loaded as a cubin).
    pub fn new(arch: &str, fallbacks: Vec<String>) -> KernelCode {
        match fallbacks.is_empty() {
            true => KernelCode::Cubin { arch: arch.into() },
            false => KernelCode::Ptx {
                arch: arch.into(),
                because: fallbacks,
            },
        }
    }
}

impl fmt::Display for KernelCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KernelCode::Cubin { arch } => write!(f, "cubin for {arch}"),
            KernelCode::Ptx { arch, because } => write!(
                f,
                "PTX, compiled by the driver for {arch} (because {})",
                because.join("; ")
            ),
        }
    }
}
