//! The GPU, ready for the lab's kernels (given code): a context, a stream,
//! every kernel compiled and loaded, cuBLAS, and buffers in the GPU's memory.
//! The exercises add methods to [`Gpu`] in their own modules (`host`, `blas`,
//! `transfers`).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use cudarc::cublas::CudaBlas;
use cudarc::driver::sys::{self, CUmemPool_attribute};
use cudarc::driver::{
    CudaContext, CudaFunction, CudaSlice, CudaStream, DriverError, LaunchConfig, result,
};
use ndarray::{Array1, Array2};

use crate::device::cuda_available;
use crate::error::GpuError;
use crate::kernels;
use crate::launch::LaunchShape;
use crate::nvrtc::{self, KernelCode};

/// A matrix in the GPU's memory, row-major. `data` holds at least rows·cols
/// doubles: one, never read, for an empty matrix (see `Gpu::alloc`).
pub struct DeviceMatrix {
    pub(crate) data: CudaSlice<f64>,
    pub(crate) rows: usize,
    pub(crate) cols: usize,
}

impl DeviceMatrix {
    /// (rows, columns).
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }
}

/// A vector in the GPU's memory. `data` holds at least `len` doubles: one,
/// never read, for an empty vector (see `Gpu::alloc`).
pub struct DeviceVector {
    pub(crate) data: CudaSlice<f64>,
    pub(crate) len: usize,
}

impl DeviceVector {
    /// Its length.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The GPU, ready to run the lab's kernels: a context on device 0, a stream
/// for the work, every kernel compiled and loaded, and cuBLAS when present.
pub struct Gpu {
    pub(crate) ctx: Arc<CudaContext>,
    pub(crate) stream: Arc<CudaStream>,
    functions: HashMap<&'static str, CudaFunction>,
    pub(crate) blas: Option<CudaBlas>,
    compile_time: Duration,
    code: KernelCode,
    name: String,
}

/// Wraps a driver error with what was being done.
pub(crate) fn cuda(during: impl Into<String>) -> impl FnOnce(DriverError) -> GpuError {
    let during = during.into();
    move |error| GpuError::Cuda {
        during,
        message: error.to_string(),
    }
}

impl Gpu {
    /// Opens GPU 0 and compiles every kernel for it. The compiling is the
    /// "first call" cost of a JIT (numba.cuda, CuPy's RawKernel): paid once,
    /// here, not in the calls you time; see [`Gpu::compile_time`].
    pub fn new() -> Result<Gpu, GpuError> {
        cuda_available()?;
        nvrtc::nvrtc_available()?;
        let count = CudaContext::device_count().map_err(cuda("counting the GPUs"))?;
        if count < 1 {
            return Err(GpuError::NoDevice);
        }
        let ctx = CudaContext::new(0).map_err(cuda("opening GPU 0"))?;
        keep_freed_memory_in_the_pool(&ctx)?;
        let stream = ctx.new_stream().map_err(cuda("creating a stream"))?;
        let name = ctx.name().map_err(cuda("asking the GPU's name"))?;
        let (major, minor) = ctx
            .compute_capability()
            .map_err(cuda("asking the compute capability"))?;
        let arch = arch_name(major, minor);

        // ANCHOR: compile_all
        let started = Instant::now();
        let mut functions = HashMap::new();
        let mut fallbacks = Vec::new();
        for file in kernels::ALL {
            // Machine code for this GPU (a cubin), else PTX for the driver to compile.
            let (module, fallback) =
                nvrtc::load_with_fallback(&file, arch, |image| ctx.load_module(image.into_ptx()))?;
            fallbacks.extend(fallback);
            for &kernel in file.kernels {
                let function = module
                    .load_function(kernel)
                    .map_err(cuda(format!("finding {kernel} in {}", file.path)))?;
                functions.insert(kernel, function);
            }
        }
        let compile_time = started.elapsed();
        let code = KernelCode::new(arch, fallbacks);
        // ANCHOR_END: compile_all

        let blas = match nvrtc::cublas_available() {
            Ok(()) => Some(
                CudaBlas::new(stream.clone()).map_err(|error| GpuError::Cuda {
                    during: "creating a cuBLAS handle".into(),
                    message: error.to_string(),
                })?,
            ),
            Err(_) => None,
        };
        Ok(Gpu {
            ctx,
            stream,
            functions,
            blas,
            compile_time,
            code,
            name,
        })
    }

    /// The GPU's name, e.g. "NVIDIA H100 80GB HBM3".
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How long compiling and loading every kernel took in [`Gpu::new`]: NVRTC's
    /// compile to a cubin (ptxas included) and the loading, and, only for files
    /// that fell back to PTX (see [`Gpu::code`]), the driver's compile of the PTX.
    pub fn compile_time(&self) -> Duration {
        self.compile_time
    }

    /// How the kernels reached the GPU: cubins for its architecture, or PTX that
    /// the driver compiled, and why. Prints as e.g. "cubin for sm_90".
    pub fn code(&self) -> &KernelCode {
        &self.code
    }

    /// The stream all of this GPU's work goes to, in order.
    pub fn stream(&self) -> &Arc<CudaStream> {
        &self.stream
    }

    /// Waits until all the work queued so far is done.
    pub fn synchronize(&self) -> Result<(), GpuError> {
        self.stream
            .synchronize()
            .map_err(cuda("waiting for the GPU"))
    }

    /// A loaded kernel, by its name in the `.cu` file.
    pub(crate) fn function(&self, name: &str) -> Result<&CudaFunction, GpuError> {
        self.functions.get(name).ok_or_else(|| GpuError::Cuda {
            during: format!("finding kernel {name}"),
            message: "no such kernel in kernels::ALL".into(),
        })
    }

    /// Room for `len` doubles on the GPU, zeroed: for a buffer that something
    /// may read before it is written, or that a copy fills (`upload`: the
    /// memset runs at the GPU's memory bandwidth, far faster than the copy
    /// over PCIe that follows it).
    ///
    /// It holds at least one element: an empty buffer is one double that
    /// nothing reads, so that no call ever asks the driver for 0 bytes, which
    /// `cuMemAlloc` refuses (`CUDA_ERROR_INVALID_VALUE`) and `cuMemAllocAsync`
    /// does not document. Its length is then `len.max(1)`: the length that
    /// counts is the matrix's rows·cols, or [`DeviceVector::len`].
    pub(crate) fn alloc(&self, len: usize) -> Result<CudaSlice<f64>, GpuError> {
        let len = len.max(1);
        self.stream
            .alloc_zeros(len)
            .map_err(cuda(format!("allocating {len} doubles")))
    }

    /// Room for `len` doubles on the GPU (at least one, as in [`Gpu::alloc`]),
    /// not initialised: no memset, for the outputs that a kernel or a GEMM
    /// with beta = 0 overwrites entirely. With the pool of
    /// `keep_freed_memory_in_the_pool`, a warm allocation costs next to nothing.
    ///
    /// # Safety
    ///
    /// Every element must be written (by work queued on this GPU's stream)
    /// before anything reads it. (Any bits are some `f64`, so a read of an
    /// unwritten element would not be undefined behaviour in Rust, but it
    /// would return whatever the memory held before: a wrong result.)
    pub(crate) unsafe fn alloc_uninit(&self, len: usize) -> Result<CudaSlice<f64>, GpuError> {
        let len = len.max(1);
        // SAFETY: the caller promises that every element is written before it is read.
        unsafe { self.stream.alloc(len) }.map_err(cuda(format!("allocating {len} doubles")))
    }

    /// A `rows` × `cols` matrix on the GPU, not initialised ([`Gpu::alloc_uninit`]): the
    /// output of a kernel or a GEMM that writes every element.
    ///
    /// # Safety
    ///
    /// As for [`Gpu::alloc_uninit`]: every element is written before anything reads it.
    pub(crate) unsafe fn alloc_matrix_uninit(
        &self,
        rows: usize,
        cols: usize,
    ) -> Result<DeviceMatrix, GpuError> {
        Ok(DeviceMatrix {
            // SAFETY: passed on to the caller, who makes the same promise.
            data: unsafe { self.alloc_uninit(rows * cols) }?,
            rows,
            cols,
        })
    }

    /// The bytes that the memory pool of the stream-ordered allocator
    /// (`cuMemAllocAsync`) holds now, in use or cached for reuse
    /// (`CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT`); `None` on a GPU without
    /// memory pools, where cudarc allocates with `cuMemAlloc`.
    pub fn pool_reserved_bytes(&self) -> Result<Option<u64>, GpuError> {
        if !self.ctx.has_async_alloc() {
            return Ok(None);
        }
        let pool = memory_pool(&self.ctx)?;
        let mut bytes: u64 = 0;
        // SAFETY: `pool` is the device's current pool, valid while the
        // context lives; RESERVED_MEM_CURRENT's value is a cuuint64_t (u64),
        // which `bytes` is.
        unsafe {
            result::mem_pool::get_attribute(
                pool,
                CUmemPool_attribute::CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT,
                (&raw mut bytes).cast(),
            )
        }
        .map_err(cuda("reading the memory pool's size"))?;
        Ok(Some(bytes))
    }

    /// Copies a matrix back from the GPU; waits for the work that writes it.
    pub fn download(&self, a: &DeviceMatrix) -> Result<Array2<f64>, GpuError> {
        let elements = if a.rows * a.cols == 0 {
            Vec::new()
        } else {
            self.stream
                .clone_dtoh(&a.data)
                .map_err(cuda(format!("copying a {}×{} matrix back", a.rows, a.cols)))?
        };
        self.synchronize()?;
        Ok(Array2::from_shape_vec((a.rows, a.cols), elements).expect("rows·cols elements"))
    }

    /// Copies a vector to the GPU.
    pub fn upload_vector(&self, v: &[f64]) -> Result<DeviceVector, GpuError> {
        let mut data = self.alloc(v.len())?;
        if !v.is_empty() {
            self.stream
                .memcpy_htod(v, &mut data)
                .map_err(cuda(format!("copying {} doubles to the GPU", v.len())))?;
        }
        Ok(DeviceVector { data, len: v.len() })
    }

    /// Copies a vector back from the GPU; waits for the work that writes it.
    pub fn download_vector(&self, v: &DeviceVector) -> Result<Array1<f64>, GpuError> {
        if v.is_empty() {
            return Ok(Array1::zeros(0));
        }
        let elements = self
            .stream
            .clone_dtoh(&v.data)
            .map_err(cuda(format!("copying {} doubles back", v.len())))?;
        self.synchronize()?;
        Ok(Array1::from_vec(elements))
    }
}

/// cudarc's launch configuration for a launch shape.
pub(crate) fn config(shape: LaunchShape) -> LaunchConfig {
    LaunchConfig {
        grid_dim: shape.grid.as_dim3(),
        block_dim: shape.block.as_dim3(),
        shared_mem_bytes: 0,
    }
}

/// The device's memory pool, the one `cuMemAllocAsync` (so cudarc's
/// `alloc`, and every buffer here) draws from: its current pool, which is its
/// default pool unless a program sets another (this one does not).
fn memory_pool(ctx: &CudaContext) -> Result<sys::CUmemoryPool, GpuError> {
    // SAFETY: cu_device is the device of a live context, as `get_mem_pool` requires.
    unsafe { result::device::get_mem_pool(ctx.cu_device()) }
        .map_err(cuda("finding the GPU's memory pool"))
}

/// Makes the memory pool keep what buffers free, instead of returning it to
/// the driver at the next synchronisation (its default release threshold is 0
/// bytes). Without this, every `synchronize` (each timed sample ends with one)
/// hands the pool's memory back, and the next sample's allocations grow the
/// pool again, mapping fresh memory inside the timed region. CuPy's memory
/// pool caches freed blocks the same way, so the two sides' allocations cost
/// alike: next to nothing once warm. Nothing to do without memory pools
/// (cudarc then uses `cuMemAlloc` and `cuMemFree`).
fn keep_freed_memory_in_the_pool(ctx: &CudaContext) -> Result<(), GpuError> {
    if !ctx.has_async_alloc() {
        return Ok(());
    }
    let pool = memory_pool(ctx)?;
    let mut threshold: u64 = u64::MAX;
    // SAFETY: `pool` is the device's current pool, valid while the context
    // lives; RELEASE_THRESHOLD's value is a cuuint64_t (u64), which
    // `threshold` is, and the driver only reads it.
    unsafe {
        result::mem_pool::set_attribute(
            pool,
            CUmemPool_attribute::CU_MEMPOOL_ATTR_RELEASE_THRESHOLD,
            (&raw mut threshold).cast(),
        )
    }
    .map_err(cuda("keeping freed memory in the GPU's memory pool"))
}

/// NVRTC's name for a GPU architecture, e.g. `sm_90` for compute capability
/// 9.0: the cubin is then machine code for exactly the GPU at hand.
fn arch_name(major: i32, minor: i32) -> &'static str {
    static NAMES: OnceLock<std::sync::Mutex<HashMap<(i32, i32), &'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    names
        .entry((major, minor))
        .or_insert_with(|| Box::leak(format!("sm_{major}{minor}").into_boxed_str()))
}
