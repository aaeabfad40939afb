//! Runs the lab's kernels on the CPU (given code), so that the tests check
//! them on any machine. build.rs compiles `src/cuda/*.cu` with a C++ compiler
//! and `emu/cuda_emu.hpp`, a stand-in for the CUDA C they use: each thread of
//! a block is an OS thread, `__syncthreads` a barrier. It checks what a
//! kernel computes, not how fast: run it on a GPU for that.
//!
//! The buffers get a guard zone past their end, filled with a marker value,
//! and the output starts filled with it too: a kernel that writes past the
//! end (a missing bounds guard) or leaves an element unwritten is reported as
//! an error, not as silent memory corruption. (A wild pointer far outside the
//! buffers still crashes the test, as it would crash a C program.)

use std::os::raw::c_int;

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::GpuError;
use crate::kernels::Pairwise;
use crate::launch::{self, LaunchShape};

/// A launch's shape as `emu/runtime.hpp`'s `EmuLaunch` reads it.
#[repr(C)]
struct EmuLaunch {
    grid_x: u32,
    grid_y: u32,
    block_x: u32,
    block_y: u32,
}

type Pairwise6 = unsafe extern "C" fn(
    *const EmuLaunch,
    *const f64,
    *const f64,
    *mut f64,
    u64,
    u64,
    u64,
) -> c_int;
type Gemv5 =
    unsafe extern "C" fn(*const EmuLaunch, *const f64, *const f64, *mut f64, u64, u64) -> c_int;

// The C entry points of emu/launchers.cpp, one per kernel.
unsafe extern "C" {
    fn emu_cityblock_naive(
        launch: *const EmuLaunch,
        x: *const f64,
        y: *const f64,
        r: *mut f64,
        n: u64,
        m: u64,
        d: u64,
    ) -> c_int;
    fn emu_sqeuclidean_naive(
        launch: *const EmuLaunch,
        x: *const f64,
        y: *const f64,
        r: *mut f64,
        n: u64,
        m: u64,
        d: u64,
    ) -> c_int;
    fn emu_cityblock_tiled(
        launch: *const EmuLaunch,
        x: *const f64,
        y: *const f64,
        r: *mut f64,
        n: u64,
        m: u64,
        d: u64,
    ) -> c_int;
    fn emu_row_sq_norms(
        launch: *const EmuLaunch,
        a: *const f64,
        out: *mut f64,
        rows: u64,
        d: u64,
    ) -> c_int;
    fn emu_sqeuclidean_epilogue(
        launch: *const EmuLaunch,
        xx: *const f64,
        yy: *const f64,
        r: *mut f64,
        n: u64,
        m: u64,
        take_sqrt: c_int,
    ) -> c_int;
    fn emu_gemv_row_major(
        launch: *const EmuLaunch,
        a: *const f64,
        v: *const f64,
        y: *mut f64,
        rows: u64,
        cols: u64,
    ) -> c_int;
    fn emu_gemv_col_major(
        launch: *const EmuLaunch,
        a: *const f64,
        v: *const f64,
        y: *mut f64,
        rows: u64,
        cols: u64,
    ) -> c_int;
}

/// The marker in outputs (elements not yet written, and their guard zone): a
/// NaN with a payload no arithmetic produces.
const MARK: u64 = 0x7ff8_dead_beef_0001;
/// The marker in the guard zones of inputs. A different one: a kernel that
/// reads past an input's end and writes what it computed from it must not
/// look like a kernel that wrote nothing.
const INPUT_MARK: u64 = 0x7ff8_dead_beef_0002;

/// A buffer with a guard zone of `guard` marked elements past its end.
struct Guarded {
    data: Vec<f64>,
    len: usize,
    /// The guard zone's marker.
    mark: u64,
}

impl Guarded {
    /// A copy of `values`, then the guard zone: an input, or an output the
    /// kernel updates in place.
    fn copy_of(values: impl IntoIterator<Item = f64>, len: usize, guard: usize) -> Guarded {
        let mut data: Vec<f64> = values.into_iter().collect();
        debug_assert_eq!(data.len(), len);
        data.resize(len + guard, f64::from_bits(INPUT_MARK));
        Guarded {
            data,
            len,
            mark: INPUT_MARK,
        }
    }

    /// `len` marked elements (an output nobody wrote yet), then the guard zone.
    fn marked(len: usize, guard: usize) -> Guarded {
        Guarded {
            data: vec![f64::from_bits(MARK); len + guard],
            len,
            mark: MARK,
        }
    }

    fn values(&self) -> &[f64] {
        &self.data[..self.len]
    }

    /// The first element of the guard zone that was overwritten.
    fn overrun(&self) -> Option<usize> {
        self.data[self.len..]
            .iter()
            .position(|value| value.to_bits() != self.mark)
    }

    /// The first element of the buffer itself that is still marked.
    fn first_unwritten(&self) -> Option<usize> {
        self.values()
            .iter()
            .position(|value| value.to_bits() == MARK)
    }
}

/// How far past the end a kernel of this launch may read or write by
/// mistake: every thread of the grid, times 4 elements (the tiled kernel's
/// outputs per thread), times the row length. Generous, and small in tests.
fn guard_for(shape: &LaunchShape, row_len: usize) -> usize {
    let (tx, ty) = shape.threads();
    (tx as usize + 1) * (ty as usize + 1) * 16 + 4 * (tx as usize + ty as usize) * (row_len + 1)
}

fn raw(shape: &LaunchShape) -> EmuLaunch {
    EmuLaunch {
        grid_x: shape.grid.x,
        grid_y: shape.grid.y,
        block_x: shape.block.x,
        block_y: shape.block.y,
    }
}

/// Turns the emulator's status into a Result.
fn status(kernel: &str, code: c_int) -> Result<(), GpuError> {
    let problem = match code {
        0 => return Ok(()),
        1 => "some threads of a block reached __syncthreads() after others had returned (or \
              the other way round). On a GPU that hangs or corrupts results: every thread of a \
              block must reach every __syncthreads(); put the bounds guard around the loads \
              and the final store instead of returning early"
            .to_string(),
        3 => format!(
            "its .cu file did not compile for the emulator; the compiler's messages are \
             among the warnings of `cargo build -p {}` (or `cargo test`)",
            env!("CARGO_PKG_NAME")
        ),
        _ => "a thread threw a C++ exception".to_string(),
    };
    Err(GpuError::Emulator {
        kernel: kernel.to_string(),
        problem,
    })
}

/// Checks an output (`cols` columns, 0 for a vector) after a launch: nothing
/// past its end, everything written.
fn check_output(kernel: &str, out: &Guarded, cols: usize, name: &str) -> Result<(), GpuError> {
    if let Some(past) = out.overrun() {
        return Err(GpuError::Emulator {
            kernel: kernel.to_string(),
            problem: format!(
                "it wrote past the end of {name} ({} elements), at element {} of the buffer: \
                 a thread outside the output wrote anyway. The last blocks stick out past the \
                 edges: guard the store with the bounds check (i < n && j < m)",
                out.len,
                out.len + past
            ),
        });
    }
    if let Some(first) = out.first_unwritten() {
        // `cols` is 0 for a vector.
        let element = match (first.checked_div(cols), first.checked_rem(cols)) {
            (Some(row), Some(col)) => format!("{name}[{row}, {col}]"),
            _ => format!("{name}[{first}]"),
        };
        return Err(GpuError::Emulator {
            kernel: kernel.to_string(),
            problem: format!(
                "it never wrote {element} (element {first} of {}): every element needs a \
                 thread that stores it. Is the kernel still a TODO? Does the global index use \
                 blockIdx * blockDim + threadIdx?",
                out.len
            ),
        });
    }
    Ok(())
}

fn check_inputs(kernel: &str, inputs: &[(&Guarded, &str)]) -> Result<(), GpuError> {
    for (buffer, name) in inputs {
        if buffer.overrun().is_some() {
            return Err(GpuError::Emulator {
                kernel: kernel.to_string(),
                problem: format!("it wrote past the end of its input {name}"),
            });
        }
    }
    Ok(())
}

/// After a launch: the kernel's status, no input overwritten past its end,
/// the output (`cols` columns, 0 for a vector) all written and nothing past
/// its end. Returns the output's values, without the guard zone.
fn finish(
    kernel: &str,
    code: c_int,
    inputs: &[(&Guarded, &str)],
    mut out: Guarded,
    cols: usize,
    name: &str,
) -> Result<Vec<f64>, GpuError> {
    status(kernel, code)?;
    check_inputs(kernel, inputs)?;
    check_output(kernel, &out, cols, name)?;
    out.data.truncate(out.len);
    Ok(out.data)
}

fn pairwise_shapes(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Result<(), GpuError> {
    if x.ncols() != y.ncols() {
        return Err(GpuError::ShapeMismatch {
            x: x.dim(),
            y: y.dim(),
        });
    }
    Ok(())
}

/// Runs a pairwise kernel on the CPU: r = dist(x, y), n × m.
pub fn pairwise(
    kernel: Pairwise,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<Array2<f64>, GpuError> {
    pairwise_shapes(x, y)?;
    let ((n, d), m) = (x.dim(), y.nrows());
    let shape = kernel.launch(n, m)?;
    if shape.is_empty() {
        return Ok(Array2::zeros((n, m)));
    }
    let guard = guard_for(&shape, d);
    let xs = Guarded::copy_of(x.iter().copied(), n * d, guard);
    let ys = Guarded::copy_of(y.iter().copied(), m * d, guard);
    let mut r = Guarded::marked(n * m, guard);
    let entry: Pairwise6 = match kernel {
        Pairwise::CityblockNaive => emu_cityblock_naive,
        Pairwise::SqeuclideanNaive => emu_sqeuclidean_naive,
        Pairwise::CityblockTiled => emu_cityblock_tiled,
    };
    // SAFETY: the buffers hold n·d, m·d and n·m elements plus a guard zone
    // larger than any index the launch's threads compute from n, m and d
    // with a missing or wrong bounds check; they outlive the call, which
    // joins every thread before it returns.
    let code = unsafe {
        entry(
            &raw(&shape),
            xs.data.as_ptr(),
            ys.data.as_ptr(),
            r.data.as_mut_ptr(),
            n as u64,
            m as u64,
            d as u64,
        )
    };
    let r = finish(kernel.name(), code, &[(&xs, "x"), (&ys, "y")], r, m, "r")?;
    Ok(Array2::from_shape_vec((n, m), r).expect("n·m elements"))
}

/// Runs `row_sq_norms` on the CPU: `out[i] = Σₖ a[i, k]²`.
pub fn row_sq_norms(a: ArrayView2<f64>) -> Result<Array1<f64>, GpuError> {
    let (rows, d) = a.dim();
    let shape = launch::row_norms(rows)?;
    if shape.is_empty() {
        return Ok(Array1::zeros(rows));
    }
    let guard = guard_for(&shape, d);
    let input = Guarded::copy_of(a.iter().copied(), rows * d, guard);
    let mut out = Guarded::marked(rows, guard);
    // SAFETY: as in `pairwise`: rows·d and rows elements plus guard zones.
    let code = unsafe {
        emu_row_sq_norms(
            &raw(&shape),
            input.data.as_ptr(),
            out.data.as_mut_ptr(),
            rows as u64,
            d as u64,
        )
    };
    let out = finish("row_sq_norms", code, &[(&input, "a")], out, 0, "out")?;
    Ok(Array1::from_vec(out))
}

/// Runs `sqeuclidean_epilogue` on the CPU: given g = -2 x·yᵀ, returns
/// `max(xx[i] + yy[j] + g[i, j], 0)`, its square root if `take_sqrt`.
pub fn sqeuclidean_epilogue(
    xx: ArrayView1<f64>,
    yy: ArrayView1<f64>,
    g: ArrayView2<f64>,
    take_sqrt: bool,
) -> Result<Array2<f64>, GpuError> {
    let (n, m) = g.dim();
    if xx.len() != n || yy.len() != m {
        return Err(GpuError::ShapeMismatch {
            x: (xx.len(), m),
            y: (yy.len(), n),
        });
    }
    let shape = launch::per_element(n, m)?;
    if shape.is_empty() {
        return Ok(Array2::zeros((n, m)));
    }
    let guard = guard_for(&shape, 1);
    let xs = Guarded::copy_of(xx.iter().copied(), n, guard);
    let ys = Guarded::copy_of(yy.iter().copied(), m, guard);
    let mut r = Guarded::copy_of(g.iter().copied(), n * m, guard);
    // SAFETY: as in `pairwise`: n, m and n·m elements plus guard zones.
    let code = unsafe {
        emu_sqeuclidean_epilogue(
            &raw(&shape),
            xs.data.as_ptr(),
            ys.data.as_ptr(),
            r.data.as_mut_ptr(),
            n as u64,
            m as u64,
            c_int::from(take_sqrt),
        )
    };
    let kernel = "sqeuclidean_epilogue";
    let r = finish(kernel, code, &[(&xs, "xx"), (&ys, "yy")], r, m, "r")?;
    Ok(Array2::from_shape_vec((n, m), r).expect("n·m elements"))
}

/// The memory layout of a matrix: which index varies fastest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// C order: a row's elements are consecutive.
    RowMajor,
    /// Fortran order: a column's elements are consecutive.
    ColMajor,
}

impl Layout {
    /// The kernel for y = A v with A in this layout.
    pub fn gemv_kernel(self) -> &'static str {
        match self {
            Layout::RowMajor => "gemv_row_major",
            Layout::ColMajor => "gemv_col_major",
        }
    }

    /// A's elements in this layout.
    pub fn elements(self, a: ArrayView2<f64>) -> Vec<f64> {
        match self {
            Layout::RowMajor => a.iter().copied().collect(),
            Layout::ColMajor => a.t().iter().copied().collect(),
        }
    }
}

/// Runs `gemv_row_major` or `gemv_col_major` on the CPU: y = A v, with A
/// stored in `layout`.
pub fn gemv(
    layout: Layout,
    a: ArrayView2<f64>,
    v: ArrayView1<f64>,
) -> Result<Array1<f64>, GpuError> {
    let (rows, cols) = a.dim();
    if v.len() != cols {
        return Err(GpuError::ShapeMismatch {
            x: (rows, cols),
            y: (v.len(), 1),
        });
    }
    let shape = launch::per_row(rows)?;
    if shape.is_empty() {
        return Ok(Array1::zeros(rows));
    }
    let guard = guard_for(&shape, cols);
    let elements = Guarded::copy_of(layout.elements(a), rows * cols, guard);
    let vs = Guarded::copy_of(v.iter().copied(), cols, guard);
    let mut y = Guarded::marked(rows, guard);
    let entry: Gemv5 = match layout {
        Layout::RowMajor => emu_gemv_row_major,
        Layout::ColMajor => emu_gemv_col_major,
    };
    // SAFETY: as in `pairwise`: rows·cols, cols and rows elements plus guard zones.
    let code = unsafe {
        entry(
            &raw(&shape),
            elements.data.as_ptr(),
            vs.data.as_ptr(),
            y.data.as_mut_ptr(),
            rows as u64,
            cols as u64,
        )
    };
    let kernel = layout.gemv_kernel();
    let y = finish(kernel, code, &[(&elements, "a"), (&vs, "v")], y, 0, "y")?;
    Ok(Array1::from_vec(y))
}
