//! Finds CUDA's libraries and compiles the kernels with NVRTC (given code): to
//! PTX, the GPU's portable assembly, and to cubins, machine code for one real
//! architecture (NVRTC runs ptxas for those, which checks the architecture's
//! limits and reports each kernel's registers and shared memory; no GPU needed).
//!
//! cudarc (`dynamic-loading`) opens libnvrtc and libcublas by name, as
//! `libnvrtc.so.13` then `libnvrtc.so.12`, ..., from the system's library
//! path, and panics when none loads. This module asks first and, when the
//! system path has none, looks in the usual folders (CUDA_HOME, /usr/local/cuda,
//! the repository's `.venv`, where `pip install nvidia-cuda-nvrtc-cu12` puts
//! NVRTC) and loads the library from there by its full path. The dynamic
//! loader then hands cudarc that same library when it asks by name, because
//! the name matches the library's SONAME.
//!
//! Set `GPU_NO_NVRTC=1` to act as if NVRTC were missing: the tests that need it
//! then report themselves skipped, with how to install it ([`nvrtc_or_skip`]).

use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cudarc::nvrtc::{CompileError, CompileOptions, Ptx, sys};

use crate::error::{GpuError, NVRTC_HIDDEN};
use crate::kernels::KernelFile;

#[path = "cubin.rs"]
mod cubin;
#[path = "kernel_code.rs"]
mod kernel_code;
pub use cubin::{
    CHECKED_ARCHS, KernelResources, check_limits, compile_cubin, parse_resources, resources,
};
pub use kernel_code::{Image, KernelCode, load_with_fallback};

/// `Ok(())` when NVRTC can be loaded (and is loaded), `Err(GpuError::NoNvrtc)`
/// when it cannot. The answer is computed once.
pub fn nvrtc_available() -> Result<(), GpuError> {
    static ANSWER: OnceLock<Result<(), GpuError>> = OnceLock::new();
    ANSWER
        .get_or_init(|| {
            // SAFETY: `is_culib_present` loads and drops libnvrtc, running its
            // initialisers, which are NVIDIA's and meant to run in any process.
            let present = || unsafe { cudarc::nvrtc::sys::is_culib_present() };
            if std::env::var_os(NVRTC_HIDDEN).is_some_and(|v| !v.is_empty() && v != "0") {
                Err(GpuError::NoNvrtc {
                    searched: Vec::new(),
                    hidden: true,
                })
            } else if present() || (preload(&["nvrtc"]) && present()) {
                Ok(())
            } else {
                Err(GpuError::NoNvrtc {
                    searched: search_dirs()
                        .iter()
                        .map(|d| d.display().to_string())
                        .collect(),
                    hidden: false,
                })
            }
        })
        .clone()
}

/// Whether NVRTC can be loaded. When not, prints the line that marks the
/// calling test skipped, with why and how to install it on this system, and
/// the test returns at once, before it compiles any kernel of the exercise:
/// `if !nvrtc_or_skip() { return; }`.
pub fn nvrtc_or_skip() -> bool {
    match nvrtc_available() {
        Ok(()) => true,
        Err(error) => {
            support::platform::skip(error);
            false
        }
    }
}

/// `Ok(())` when cuBLAS can be loaded, `Err(GpuError::NoCublas)` when not.
pub fn cublas_available() -> Result<(), GpuError> {
    static ANSWER: OnceLock<Result<(), GpuError>> = OnceLock::new();
    ANSWER
        .get_or_init(|| {
            // SAFETY: as for NVRTC: loads and drops NVIDIA's libcublas.
            let present = || unsafe { cudarc::cublas::sys::is_culib_present() };
            // libcublas needs libcublasLt: load that first, from the same place.
            if present() || (preload(&["cublasLt", "cublas"]) && present()) {
                Ok(())
            } else {
                Err(GpuError::NoCublas)
            }
        })
        .clone()
}

/// The folders searched for CUDA's libraries, besides the system's path.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for var in ["CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"] {
        if let Some(root) = std::env::var_os(var) {
            dirs.push(Path::new(&root).join("lib64"));
            dirs.push(Path::new(&root).join("lib"));
        }
    }
    dirs.push(PathBuf::from("/usr/local/cuda/lib64"));
    dirs.push(PathBuf::from("/usr/local/cuda/targets/x86_64-linux/lib"));
    // The PyPI wheels put the libraries in <venv>/lib/python3.*/site-packages/nvidia.
    // Which venvs: an active one, then a `.venv` in any folder above this crate (the
    // repository's) or above the current directory (a copy of the crate, as in
    // `cargo xtask grade`'s scratch workspaces).
    let mut venvs: Vec<PathBuf> = std::env::var_os("VIRTUAL_ENV")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    let here = std::env::current_dir().unwrap_or_default();
    for start in [Path::new(env!("CARGO_MANIFEST_DIR")), here.as_path()] {
        venvs.extend(
            start
                .ancestors()
                .map(|dir| dir.join(".venv"))
                .filter(|venv| venv.is_dir()),
        );
    }
    for venv in venvs {
        let Ok(entries) = std::fs::read_dir(venv.join("lib")) else {
            continue;
        };
        for python in entries.flatten() {
            let nvidia = python.path().join("site-packages").join("nvidia");
            for package in ["cuda_nvrtc", "cublas", "cu13", "cu12"] {
                dirs.push(nvidia.join(package).join("lib"));
            }
        }
    }
    dirs.retain(|dir| dir.is_dir());
    dirs
}

/// Loads, from the first folder that has them, the libraries named (in
/// order: dependencies first), under the file names cudarc asks for. Returns
/// whether all were loaded. They stay loaded for the life of the process.
fn preload(libraries: &[&str]) -> bool {
    for dir in search_dirs() {
        let paths: Vec<PathBuf> = libraries
            .iter()
            .filter_map(|library| {
                cudarc::get_lib_name_candidates(library)
                    .into_iter()
                    .map(|name| dir.join(name))
                    .find(|path| path.is_file())
            })
            .collect();
        if paths.len() == libraries.len() && paths.iter().all(|path| dlopen_global(path)) {
            return true;
        }
    }
    false
}

/// `dlopen`s a library by its full path and never closes it.
fn dlopen_global(path: &Path) -> bool {
    let Some(c_path) = path.to_str().and_then(|p| CString::new(p).ok()) else {
        return false;
    };
    // SAFETY: `c_path` is a NUL-terminated path. Loading runs the library's
    // initialisers: it is one of NVIDIA's CUDA libraries, found in a CUDA
    // folder, meant to be loaded by any CUDA program. The handle is never
    // closed, so the library stays mapped while cudarc uses it.
    let handle = unsafe { libc::dlopen(c_path.as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
    !handle.is_null()
}

/// Compiles a kernel file to PTX with NVRTC, for the GPU architecture `arch`
/// (e.g. `"sm_90"`; `None`: NVRTC's default, which any newer GPU can run).
pub fn compile(file: &KernelFile, arch: Option<&'static str>) -> Result<Ptx, GpuError> {
    nvrtc_available()?;
    let options = CompileOptions {
        arch,
        name: Some(file.path.to_string()),
        ..Default::default()
    };
    cudarc::nvrtc::compile_ptx_with_opts(file.source, options).map_err(|error| match error {
        // A real architecture (`sm_XY`) runs ptxas too, and its errors are typed apart.
        CompileError::CompileError { log, .. } => {
            refused(file, arch, log.to_string_lossy().trim().to_string())
        }
        other => GpuError::Compile {
            file: file.path.to_string(),
            log: other.to_string(),
        },
    })
}

/// The PTX of a kernel file as text: the GPU's assembly, before the driver
/// turns it into machine code for the GPU at hand.
pub fn ptx_text(file: &KernelFile) -> Result<String, GpuError> {
    Ok(compile(file, None)?.to_src())
}

/// NVRTC's version, e.g. (12, 9): ptxas's figures (registers, spills) depend on it.
pub fn version() -> Result<(i32, i32), GpuError> {
    nvrtc_available()?;
    let (mut major, mut minor) = (0, 0);
    // SAFETY: NVRTC is loaded (checked above); both pointers are valid places for an int.
    let status = unsafe { sys::nvrtcVersion(&mut major, &mut minor) };
    status.result().map_err(|error| GpuError::Compile {
        file: "(none)".into(),
        log: format!("NVRTC could not tell its version: {error}"),
    })?;
    Ok((major, minor))
}

/// The error for a file NVRTC refused, from its log: [`GpuError::Ptxas`] when
/// ptxas (which runs for a real architecture) complained, [`GpuError::Compile`]
/// when NVRTC's C++ front end did.
fn refused(file: &KernelFile, arch: Option<&str>, log: String) -> GpuError {
    match arch {
        Some(arch) if ptxas_failed(&log) => GpuError::Ptxas {
            file: file.path.to_string(),
            arch: arch.to_string(),
            log,
        },
        _ => GpuError::Compile {
            file: file.path.to_string(),
            log,
        },
    }
}

/// Whether NVRTC's log holds an error of ptxas's (not of the C++ front end's).
fn ptxas_failed(log: &str) -> bool {
    log.lines()
        .any(|line| line.starts_with("ptxas error") || line.starts_with("ptxas fatal"))
}

#[cfg(test)]
#[path = "nvrtc_tests.rs"]
mod tests;
