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

use std::ffi::CString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cudarc::nvrtc::{CompileError, CompileOptions, Ptx, result, sys};

use crate::error::GpuError;
use crate::kernels::KernelFile;

/// `Ok(())` when NVRTC can be loaded (and is loaded), `Err(GpuError::NoNvrtc)`
/// when it cannot. The answer is computed once.
pub fn nvrtc_available() -> Result<(), GpuError> {
    static ANSWER: OnceLock<Result<(), GpuError>> = OnceLock::new();
    ANSWER
        .get_or_init(|| {
            // SAFETY: `is_culib_present` loads and drops libnvrtc, running its
            // initialisers, which are NVIDIA's and meant to run in any process.
            let present = || unsafe { cudarc::nvrtc::sys::is_culib_present() };
            if present() || (preload(&["nvrtc"]) && present()) {
                Ok(())
            } else {
                Err(GpuError::NoNvrtc {
                    searched: search_dirs()
                        .iter()
                        .map(|d| d.display().to_string())
                        .collect(),
                })
            }
        })
        .clone()
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

/// The real GPU architectures that the tests and `cargo xtask check` compile every
/// kernel for, on machines without a GPU: the A100's and the H100's. NVRTC's
/// default target is a virtual architecture, PTX only, for which ptxas never runs;
/// for these it does, and checks their limits, so that a kernel that asks for too
/// much fails there and not in `Gpu::new` on the GPU machine.
pub const CHECKED_ARCHS: [&str; 2] = ["sm_80", "sm_90"];

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

/// Compiles a kernel file to a cubin: machine code for the real architecture
/// `arch` (e.g. `"sm_90"`), which the driver loads as it is, compiling nothing.
/// NVRTC runs ptxas for it, with no GPU needed: a kernel over one of the
/// architecture's limits is [`GpuError::Ptxas`].
pub fn compile_cubin(file: &KernelFile, arch: &str) -> Result<Vec<u8>, GpuError> {
    Ok(cubin_and_log(file, arch, &[])?.0)
}

/// Compiles a kernel file to a cubin for each of [`CHECKED_ARCHS`], as `Gpu::new`
/// does for the GPU at hand: `Ok` when ptxas accepts it for all of them, else the
/// first refusal ([`GpuError::Ptxas`] names the file, the architecture and why).
pub fn check_limits(file: &KernelFile) -> Result<(), GpuError> {
    CHECKED_ARCHS
        .iter()
        .try_for_each(|arch| compile_cubin(file, arch).map(drop))
}

/// What ptxas reports for one kernel compiled for one architecture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KernelResources {
    /// The kernel's name.
    pub kernel: String,
    /// Registers per thread: an SM has 65536, so they bound the threads it holds at once.
    pub registers: u64,
    /// Bytes per thread spilled to local memory (DRAM, through the caches) when the
    /// kernel needs more registers than it may have: 0 is what a hot loop wants.
    pub spill_stores: u64,
    /// Bytes per thread read back from those spills.
    pub spill_loads: u64,
    /// Static `__shared__` memory per block, in bytes.
    pub shared_bytes: u64,
    /// The stack frame per thread, in bytes (local arrays and spills live there).
    pub stack_bytes: u64,
}

/// Compiles a kernel file for `arch` with ptxas's report on (`-v`) and reads each
/// kernel's registers, spills and shared memory from it.
pub fn resources(file: &KernelFile, arch: &str) -> Result<Vec<KernelResources>, GpuError> {
    match cubin_and_log(file, arch, &["--ptxas-options=-v"]) {
        Ok((_, log)) => Ok(parse_resources(&log)),
        // With -v, NVRTC 12.9 leaves ptxas's errors out of its log (the info lines
        // stay): compiling again without it gives the error that says what is wrong.
        Err(verbose) => Err(compile_cubin(file, arch).err().unwrap_or(verbose)),
    }
}

/// Each kernel's resources from ptxas's verbose log, in the log's order. A kernel
/// reads, in NVRTC 12.9:
///
/// ```text
/// ptxas info    : Compiling entry function 'cityblock_tiled' for 'sm_90'
/// ptxas info    : Function properties for cityblock_tiled
/// ptxas         .     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
/// ptxas info    : Used 72 registers, used 1 barriers, 8320 bytes smem
/// ```
///
/// A value ptxas leaves out (no `smem` without shared memory) is 0. The properties
/// of a device function that was not inlined are reported too; they are skipped.
pub fn parse_resources(log: &str) -> Vec<KernelResources> {
    let mut kernels: Vec<KernelResources> = Vec::new();
    // The function the next "bytes stack frame" line is about: a kernel or not.
    let mut properties_of = String::new();
    for message in log.lines().filter_map(ptxas_message) {
        if let Some(rest) = message.strip_prefix("Compiling entry function '") {
            let name = rest.split('\'').next().unwrap_or(rest);
            kernels.push(KernelResources {
                kernel: name.to_string(),
                ..Default::default()
            });
        } else if let Some(name) = message.strip_prefix("Function properties for ") {
            properties_of = name.trim().to_string();
        } else if message.contains("bytes stack frame") {
            if let Some(kernel) = kernels.iter_mut().rfind(|k| k.kernel == properties_of) {
                kernel.stack_bytes = amount(message, "stack frame");
                kernel.spill_stores = amount(message, "spill stores");
                kernel.spill_loads = amount(message, "spill loads");
            }
        } else if message.starts_with("Used ") {
            // About the entry function being compiled: the last one announced.
            if let Some(kernel) = kernels.last_mut() {
                kernel.registers = amount(message, "registers");
                kernel.shared_bytes = amount(message, "smem");
            }
        }
    }
    kernels
}

/// The message of a line of ptxas's report (`ptxas info    : MESSAGE` or
/// `ptxas         .     MESSAGE`); `None` for another line.
fn ptxas_message(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("ptxas")?.trim_start();
    let rest = rest.strip_prefix("info").unwrap_or(rest).trim_start();
    let message = rest.strip_prefix(':').or_else(|| rest.strip_prefix('.'))?;
    Some(message.trim())
}

/// The number before `unit` in ptxas's comma-separated fields, e.g. 8320 for
/// `"smem"` in "Used 72 registers, used 1 barriers, 8320 bytes smem"; 0 if absent.
fn amount(fields: &str, unit: &str) -> u64 {
    fields
        .split(',')
        .find_map(|field| {
            // "Used 72 registers", "8320 bytes smem": the one word that is a number.
            let words = field.trim().strip_suffix(unit)?;
            words.split_whitespace().find_map(|word| word.parse().ok())
        })
        .unwrap_or(0)
}

/// Compiles a kernel file for the real architecture `arch`, with NVRTC's `extra`
/// options: the cubin and NVRTC's log (ptxas's report when `-v` is among them).
fn cubin_and_log(
    file: &KernelFile,
    arch: &str,
    extra: &[&str],
) -> Result<(Vec<u8>, String), GpuError> {
    nvrtc_available()?;
    if !arch.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        // cudarc panics on an option with a NUL byte; NVRTC would refuse the rest.
        return Err(GpuError::Compile {
            file: file.path.to_string(),
            log: format!("`{arch}` is not an architecture's name, such as sm_90"),
        });
    }
    let program = Program::new(file)?;
    let mut options = vec![format!("--gpu-architecture={arch}")];
    options.extend(extra.iter().map(|option| option.to_string()));
    let log = program
        .compile(&options)
        .map_err(|log| refused(file, Some(arch), log))?;
    let no_cubin = |why: String| GpuError::Compile {
        file: file.path.to_string(),
        log: format!("NVRTC compiled it for {arch} but gave no cubin: {why}"),
    };
    let cubin = program
        .cubin()
        .map_err(|error| no_cubin(error.to_string()))?;
    if cubin.is_empty() {
        // NVRTC makes a cubin for a real architecture (sm_XY) only.
        return Err(no_cubin(format!("{arch} is not a real architecture")));
    }
    Ok((cubin, log))
}

/// One kernel file as an NVRTC program, destroyed when dropped. cudarc's own
/// wrapper gives PTX only; this one gives the cubin and the log of a success too.
struct Program {
    handle: sys::nvrtcProgram,
    // NVRTC may keep pointers to the source and the name until the program is destroyed.
    _source: CString,
    _name: CString,
}

impl Program {
    fn new(file: &KernelFile) -> Result<Program, GpuError> {
        let refused = |log: String| GpuError::Compile {
            file: file.path.to_string(),
            log,
        };
        let source = CString::new(file.source)
            .map_err(|_| refused("the file has a NUL byte, which no C source may".into()))?;
        let name = CString::new(file.path)
            .map_err(|_| refused("the file's path has a NUL byte".into()))?;
        let handle = result::create_program(&source, Some(&name))
            .map_err(|error| refused(format!("NVRTC could not create a program: {error}")))?;
        Ok(Program {
            handle,
            _source: source,
            _name: name,
        })
    }

    /// Compiles the program; its log either way (`Err` when NVRTC refused it).
    fn compile(&self, options: &[String]) -> Result<String, String> {
        // SAFETY: `handle` comes from `create_program` and is destroyed only by `drop`.
        // The options hold no NUL byte (cudarc would panic on one): `cubin_and_log`
        // checked the architecture, and the other options are this module's.
        let compiled = unsafe { result::compile_program(self.handle, options) };
        let log = self.log();
        compiled
            .map(|()| log.clone())
            .map_err(|error| match log.is_empty() {
                true => format!("NVRTC failed with {error} and no log"),
                false => log,
            })
    }

    /// NVRTC's log of the last compile, trimmed; empty when it has none.
    fn log(&self) -> String {
        // SAFETY: `handle` comes from `create_program` and is destroyed only by `drop`.
        match unsafe { result::get_program_log(self.handle) } {
            Ok(chars) => {
                // c_char is i8 or u8 by platform: the bytes as they are, up to the NUL.
                let bytes: Vec<u8> = chars
                    .iter()
                    .take_while(|&&c| c != 0)
                    .map(|&c| c as u8)
                    .collect();
                String::from_utf8_lossy(&bytes).trim().to_string()
            }
            Err(error) => format!("(NVRTC gave no log: {error})"),
        }
    }

    /// The cubin of a compile for a real architecture; empty for a virtual one.
    fn cubin(&self) -> Result<Vec<u8>, result::NvrtcError> {
        let mut size = 0usize;
        // SAFETY: `handle` is a live program (see `compile`); `size` is a valid place
        // for NVRTC to write the cubin's size to.
        unsafe { sys::nvrtcGetCUBINSize(self.handle, &mut size) }.result()?;
        let mut cubin = vec![0u8; size];
        if size > 0 {
            // SAFETY: `handle` is a live program; `cubin` has room for the `size` bytes
            // NVRTC writes.
            unsafe { sys::nvrtcGetCUBIN(self.handle, cubin.as_mut_ptr().cast()) }.result()?;
        }
        Ok(cubin)
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        // SAFETY: `handle` comes from `create_program` and is destroyed here only, once.
        // A failure could only leak the program, and there is no one to tell: ignored.
        let _ = unsafe { result::destroy_program(self.handle) };
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// 65,600 bytes of static shared memory: over the 48 KiB (0xc000) a block may have
    /// statically on every architecture, so ptxas refuses it; PTX does not care.
    const TOO_MUCH_SHARED: KernelFile = KernelFile {
        path: "tests/too_much_shared.cu",
        source: r#"
extern "C" __global__ void too_much_shared(double *out) {
    __shared__ double tile[8200];
    tile[threadIdx.x] = threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = tile[(threadIdx.x + 1) % 8200];
}
"#,
        kernels: &["too_much_shared"],
    };

    /// 512 bytes of shared memory and a barrier: within every limit.
    const SMALL: KernelFile = KernelFile {
        path: "tests/small.cu",
        source: r#"
extern "C" __global__ void small(double *out) {
    __shared__ double tile[64];
    tile[threadIdx.x] = threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = tile[63 - threadIdx.x];
}
"#,
        kernels: &["small"],
    };

    /// The message of the [`GpuError::Ptxas`] that `result` must be, for
    /// `TOO_MUCH_SHARED` and `arch`.
    fn ptxas_error(result: Result<impl fmt::Debug, GpuError>, arch: &str) -> String {
        let error = result.expect_err("ptxas must refuse 65,600 bytes of static shared memory");
        assert!(
            matches!(&error, GpuError::Ptxas { file, arch: at, .. }
                if file == TOO_MUCH_SHARED.path && at == arch),
            "expected GpuError::Ptxas for {} and {arch}, got {error:?}",
            TOO_MUCH_SHARED.path
        );
        error.to_string()
    }

    #[test]
    fn too_much_static_shared_memory_is_a_ptxas_error_naming_the_file_and_the_architecture() {
        // What CI compiled before: PTX for NVRTC's default, with no ptxas to object.
        assert!(compile(&TOO_MUCH_SHARED, None).is_ok());
        ptxas_error(check_limits(&TOO_MUCH_SHARED), CHECKED_ARCHS[0]);
        for arch in CHECKED_ARCHS {
            let message = ptxas_error(compile_cubin(&TOO_MUCH_SHARED, arch), arch);
            for needle in [TOO_MUCH_SHARED.path, arch, "too much shared data"] {
                assert!(message.contains(needle), "no `{needle}` in: {message}");
            }
        }
    }

    #[test]
    fn resources_keeps_ptxas_s_error_though_its_verbose_log_drops_it() {
        let message = ptxas_error(resources(&TOO_MUCH_SHARED, "sm_90"), "sm_90");
        assert!(message.contains("too much shared data"), "{message}");
    }

    #[test]
    fn a_c_error_is_a_compile_error_even_for_a_real_architecture() {
        const BROKEN: KernelFile = KernelFile {
            path: "tests/broken.cu",
            source: "extern \"C\" __global__ void broken(double *out) { out[0] = nope; }",
            kernels: &["broken"],
        };
        match compile_cubin(&BROKEN, "sm_90") {
            Err(GpuError::Compile { file, log }) => {
                assert_eq!(file, BROKEN.path);
                assert!(log.contains("nope"), "{log}");
            }
            other => panic!("expected GpuError::Compile, got {other:?}"),
        }
    }

    #[test]
    fn a_kernel_within_the_limits_compiles_to_an_elf_cubin_with_its_resources() {
        for arch in CHECKED_ARCHS {
            let cubin = compile_cubin(&SMALL, arch).unwrap_or_else(|error| panic!("{error}"));
            assert!(cubin.starts_with(b"\x7fELF"), "a cubin is an ELF file");
            let found = resources(&SMALL, arch).unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(found.len(), 1, "{found:?}");
            let small = &found[0];
            assert_eq!((small.kernel.as_str(), small.shared_bytes), ("small", 512));
            assert_eq!((small.spill_stores, small.spill_loads), (0, 0));
            assert!((1..=255).contains(&small.registers), "{small:?}");
        }
    }

    #[test]
    fn the_verbose_log_is_read_per_kernel_skipping_device_functions() {
        let log = "\
ptxas info    : 0 bytes gmem
ptxas info    : Compiling entry function 'first' for 'sm_80'
ptxas info    : Function properties for first
ptxas         .     16 bytes stack frame, 8 bytes spill stores, 4 bytes spill loads
ptxas info    : Function properties for helper
ptxas         .     96 bytes stack frame, 96 bytes spill stores, 96 bytes spill loads
ptxas info    : Used 255 registers, used 1 barriers, 8320 bytes smem, 360 bytes cmem[0]
ptxas info    : Compile time = 1.000 ms
ptxas info    : Compiling entry function 'second' for 'sm_80'
ptxas info    : Function properties for second
ptxas         .     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
ptxas info    : Used 20 registers, used 0 barriers, 360 bytes cmem[0]
";
        let first = KernelResources {
            kernel: "first".into(),
            registers: 255,
            spill_stores: 8,
            spill_loads: 4,
            shared_bytes: 8320,
            stack_bytes: 16,
        };
        let second = KernelResources {
            kernel: "second".into(),
            registers: 20,
            ..Default::default()
        };
        assert_eq!(parse_resources(log), [first, second]);
        assert_eq!(parse_resources("nvrtc: error: something else"), []);
    }

    #[test]
    fn a_cubin_is_loaded_first_and_then_nothing_falls_back() {
        let (kind, fallback) = load_with_fallback(&SMALL, "sm_90", |image| match image {
            Image::Cubin(_) => Ok::<_, String>("cubin"),
            Image::Ptx(_) => Ok("ptx"),
        })
        .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!((kind, fallback), ("cubin", None));
        assert_eq!(
            KernelCode::new("sm_90", vec![]).to_string(),
            "cubin for sm_90"
        );
    }

    #[test]
    fn a_cubin_the_driver_refuses_falls_back_to_ptx_and_says_why() {
        let (ptx, fallback) = load_with_fallback(&SMALL, "sm_90", |image| match image {
            Image::Cubin(_) => Err("CUDA_ERROR_NO_BINARY_FOR_GPU".to_string()),
            Image::Ptx(ptx) => Ok(ptx.to_src()),
        })
        .unwrap_or_else(|error| panic!("{error}"));
        assert!(ptx.contains(".entry small"), "{ptx}");
        let fallback = fallback.expect("a fallback, with its reason");
        for needle in [SMALL.path, "sm_90", "CUDA_ERROR_NO_BINARY_FOR_GPU"] {
            assert!(fallback.contains(needle), "no `{needle}` in: {fallback}");
        }
        let code = KernelCode::new("sm_90", vec![fallback]).to_string();
        assert!(
            code.starts_with("PTX, compiled by the driver for sm_90 (because "),
            "{code}"
        );
    }

    #[test]
    fn an_architecture_nvrtc_does_not_know_falls_back_to_ptx() {
        let (kind, fallback) = load_with_fallback(&SMALL, "sm_1", |image| match image {
            Image::Cubin(_) => Ok::<_, String>("cubin"),
            Image::Ptx(_) => Ok("ptx"),
        })
        .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(kind, "ptx");
        assert!(fallback.is_some_and(|why| why.contains("no cubin for sm_1")));
    }

    #[test]
    fn when_the_ptx_fails_too_ptxas_s_error_is_the_answer() {
        let mut tried = Vec::new();
        let error = load_with_fallback(&TOO_MUCH_SHARED, "sm_90", |image| {
            tried.push(matches!(image, Image::Ptx(_)));
            Err::<(), _>("CUDA_ERROR_INVALID_PTX")
        })
        .map(drop);
        ptxas_error(error, "sm_90");
        assert_eq!(
            tried,
            [true],
            "no cubin to load; the PTX was tried, and refused"
        );
    }
}
