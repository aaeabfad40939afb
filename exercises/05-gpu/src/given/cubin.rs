//! Cubins: machine code for one real GPU architecture, compiled by NVRTC,
//! which runs ptxas for them (given code). ptxas checks the architecture's
//! limits and reports each kernel's registers, spills and shared memory, with
//! no GPU needed: the tests and `cargo xtask check` compile every kernel this
//! way for [`CHECKED_ARCHS`], so that a kernel over a limit fails there, not
//! in `Gpu::new` on the GPU machine.

use std::ffi::CString;

use cudarc::nvrtc::{result, sys};

use super::{nvrtc_available, refused};
use crate::error::GpuError;
use crate::kernels::KernelFile;

/// The real GPU architectures that the tests and `cargo xtask check` compile every
/// kernel for, on machines without a GPU: the A100's and the H100's. NVRTC's
/// default target is a virtual architecture, PTX only, for which ptxas never runs;
/// for these it does, and checks their limits, so that a kernel that asks for too
/// much fails there and not in `Gpu::new` on the GPU machine.
pub const CHECKED_ARCHS: [&str; 2] = ["sm_80", "sm_90"];

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
