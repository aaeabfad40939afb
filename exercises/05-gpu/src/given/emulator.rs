//! Runs the lab's kernels on the CPU (given code), so that the tests check
//! them on any machine. build.rs compiles `src/cuda/*.cu` with a C++ compiler
//! and `emu/cuda_emu.hpp`, a stand-in for the CUDA C they use: each thread of
//! a block is an OS thread, `__syncthreads` a barrier. It checks what a
//! kernel computes, not how fast: run it on a GPU for that.
//!
//! It is hostile on purpose, so that a kernel that works only by luck fails
//! here and not later on a GPU:
//! - every input ends where memory stops (guard pages): a read past its end is
//!   an error that names the buffer, the element and the thread;
//! - every output starts filled with a marker, with a marked guard zone past
//!   its end: an element left unwritten, or a write past the end, is an error;
//! - `__shared__` arrays are full of NaN when each block starts (a GPU leaves
//!   them uninitialised): a result computed from shared memory the block never
//!   wrote is an error;
//! - blocks run one at a time in an order shuffled from a seed (a GPU
//!   promises no order), and so do the threads of a block, one at a time
//!   from one `__syncthreads()` to the next;
//! - every launch runs twice, the second time with each block's threads in
//!   the reverse order: a correct kernel gives the same bits both times, and
//!   a race between its threads (a missing `__syncthreads()`) is reported as
//!   one, with the first element where the two runs differ;
//! - a NaN in an output that no input held is an error that says where it
//!   came from (each marker above is a NaN of its own, which arithmetic
//!   passes on).
//!
//! Each launch prints its seed (shown when a test fails);
//! `GPU_EMU_SEED=<seed>` replays it exactly. (A wild pointer far outside
//! every buffer is reported too, as a fault at its address.)

use std::os::raw::c_int;

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::dim::Dim2;
use crate::error::GpuError;
use crate::kernels::Pairwise;
use crate::launch::{self, LaunchShape};

#[path = "emulator_checks.rs"]
mod checks;
#[path = "guard_pages.rs"]
mod guard_pages;
#[path = "emulator_outputs.rs"]
mod outputs;
use checks::{EmuLaunch, Launch, guard_for};
use outputs::Guarded;

type Pairwise6 =
    unsafe extern "C" fn(*mut EmuLaunch, *const f64, *const f64, *mut f64, u64, u64, u64) -> c_int;
type Gemv5 =
    unsafe extern "C" fn(*mut EmuLaunch, *const f64, *const f64, *mut f64, u64, u64) -> c_int;

// The C entry points of emu/launchers.cpp, one per kernel.
unsafe extern "C" {
    fn emu_cityblock_naive(
        launch: *mut EmuLaunch,
        x: *const f64,
        y: *const f64,
        r: *mut f64,
        n: u64,
        m: u64,
        d: u64,
    ) -> c_int;
    fn emu_sqeuclidean_naive(
        launch: *mut EmuLaunch,
        x: *const f64,
        y: *const f64,
        r: *mut f64,
        n: u64,
        m: u64,
        d: u64,
    ) -> c_int;
    fn emu_cityblock_tiled(
        launch: *mut EmuLaunch,
        x: *const f64,
        y: *const f64,
        r: *mut f64,
        n: u64,
        m: u64,
        d: u64,
    ) -> c_int;
    fn emu_row_sq_norms(
        launch: *mut EmuLaunch,
        a: *const f64,
        out: *mut f64,
        rows: u64,
        d: u64,
    ) -> c_int;
    fn emu_sqeuclidean_epilogue(
        launch: *mut EmuLaunch,
        xx: *const f64,
        yy: *const f64,
        r: *mut f64,
        n: u64,
        m: u64,
        take_sqrt: c_int,
    ) -> c_int;
    fn emu_gemv_row_major(
        launch: *mut EmuLaunch,
        a: *const f64,
        v: *const f64,
        y: *mut f64,
        rows: u64,
        cols: u64,
    ) -> c_int;
    fn emu_probe(
        launch: *mut EmuLaunch,
        blocks_x: *mut u32,
        blocks_y: *mut u32,
        shared_at_start: *mut u64,
    ) -> c_int;
    fn emu_race_probe(launch: *mut EmuLaunch, out: *mut f64, barrier: c_int) -> c_int;
    fn emu_gemv_col_major(
        launch: *mut EmuLaunch,
        a: *const f64,
        v: *const f64,
        y: *mut f64,
        rows: u64,
        cols: u64,
    ) -> c_int;
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
    let mut launch = Launch::new(kernel.name(), &shape)?;
    let guard = guard_for(&shape, d);
    let xs = launch.input("x", x.iter().copied(), n * d, d, guard)?;
    let ys = launch.input("y", y.iter().copied(), m * d, d, guard)?;
    let entry: Pairwise6 = match kernel {
        Pairwise::CityblockNaive => emu_cityblock_naive,
        Pairwise::SqeuclideanNaive => emu_sqeuclidean_naive,
        Pairwise::CityblockTiled => emu_cityblock_tiled,
    };
    let output = || Guarded::marked(n * m, guard);
    let r = launch.run_twice(&[&xs, &ys], output, m, "r", |raw, r| {
        // SAFETY: the buffers hold n·d, m·d and n·m elements plus a guard
        // zone (inaccessible pages past the inputs, which the emulator's
        // fault handler turns into an error) larger than any index the
        // launch's threads compute from n, m and d with a missing or wrong
        // bounds check; they outlive the call, which joins every thread
        // before it returns.
        unsafe {
            entry(
                raw,
                xs.as_ptr(),
                ys.as_ptr(),
                r,
                n as u64,
                m as u64,
                d as u64,
            )
        }
    })?;
    Ok(Array2::from_shape_vec((n, m), r).expect("n·m elements"))
}

/// Runs `row_sq_norms` on the CPU: `out[i] = Σₖ a[i, k]²`.
pub fn row_sq_norms(a: ArrayView2<f64>) -> Result<Array1<f64>, GpuError> {
    let (rows, d) = a.dim();
    let shape = launch::row_norms(rows)?;
    if shape.is_empty() {
        return Ok(Array1::zeros(rows));
    }
    let mut launch = Launch::new("row_sq_norms", &shape)?;
    let guard = guard_for(&shape, d);
    let input = launch.input("a", a.iter().copied(), rows * d, d, guard)?;
    let output = || Guarded::marked(rows, guard);
    let out = launch.run_twice(&[&input], output, 0, "out", |raw, out| {
        // SAFETY: as in `pairwise`: rows·d and rows elements plus guard zones.
        unsafe { emu_row_sq_norms(raw, input.as_ptr(), out, rows as u64, d as u64) }
    })?;
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
    let mut launch = Launch::new("sqeuclidean_epilogue", &shape)?;
    let guard = guard_for(&shape, 1);
    let xs = launch.input("xx", xx.iter().copied(), n, 0, guard)?;
    let ys = launch.input("yy", yy.iter().copied(), m, 0, guard)?;
    // r holds g when the kernel starts, as cuBLAS leaves it.
    let output = || Guarded::copy_of(g.iter().copied(), n * m, guard);
    let r = launch.run_twice(&[&xs, &ys], output, m, "r", |raw, r| {
        // SAFETY: as in `pairwise`: n, m and n·m elements plus guard zones.
        unsafe {
            emu_sqeuclidean_epilogue(
                raw,
                xs.as_ptr(),
                ys.as_ptr(),
                r,
                n as u64,
                m as u64,
                c_int::from(take_sqrt),
            )
        }
    })?;
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
    let mut launch = Launch::new(layout.gemv_kernel(), &shape)?;
    let guard = guard_for(&shape, cols);
    // Rows of A as laid out: `cols` long in row-major order, `rows` long in column-major.
    let row_len = match layout {
        Layout::RowMajor => cols,
        Layout::ColMajor => rows,
    };
    let elements = launch.input("a", layout.elements(a), rows * cols, row_len, guard)?;
    let vs = launch.input("v", v.iter().copied(), cols, 0, guard)?;
    let entry: Gemv5 = match layout {
        Layout::RowMajor => emu_gemv_row_major,
        Layout::ColMajor => emu_gemv_col_major,
    };
    let output = || Guarded::marked(rows, guard);
    let y = launch.run_twice(&[&elements, &vs], output, 0, "y", |raw, y| {
        // SAFETY: as in `pairwise`: rows·cols, cols and rows elements plus guard zones.
        unsafe {
            entry(
                raw,
                elements.as_ptr(),
                vs.as_ptr(),
                y,
                rows as u64,
                cols as u64,
            )
        }
    })?;
    Ok(Array1::from_vec(y))
}

/// What the emulator did with each block of a launch of an idle kernel: the
/// block, in the order it ran, and the bits its `__shared__` variable held
/// when it started. For the emulator's own tests: every block once, in an
/// order shuffled from `seed`, and never what an earlier block left in
/// shared memory.
pub fn probe(grid: Dim2, block: Dim2, seed: u64) -> Result<Vec<(Dim2, u64)>, GpuError> {
    let shape = LaunchShape { grid, block };
    let blocks = grid.count() as usize;
    let mut launch = Launch::with_seed("probe", &shape, seed);
    let (mut xs, mut ys, mut bits) = (vec![0; blocks], vec![0; blocks], vec![0; blocks]);
    // SAFETY: one element per block in each array; the probe's thread (0, 0)
    // of each block writes the next one, blocks run one at a time, and the
    // call joins every thread before it returns.
    let code = unsafe {
        emu_probe(
            launch.raw(),
            xs.as_mut_ptr(),
            ys.as_mut_ptr(),
            bits.as_mut_ptr(),
        )
    };
    launch.finish(code)?;
    Ok(xs
        .into_iter()
        .zip(ys)
        .zip(bits)
        .map(|((x, y), bits)| (Dim2::new(x, y), bits))
        .collect())
}

/// What the threads of one block of `block` threads read, each from the next
/// thread's element of a `__shared__` array that every thread writes its
/// number to, with a `__syncthreads()` between the writes and the reads when
/// `barrier`. For the emulator's own tests: with the barrier, thread t reads
/// t + 1 (thread 0 for the last); without it, the emulator reports a race.
pub fn race_probe(block: Dim2, barrier: bool) -> Result<Vec<f64>, GpuError> {
    let shape = LaunchShape {
        grid: Dim2::new(1, 1),
        block,
    };
    let threads = block.count() as usize;
    let mut launch = Launch::with_seed("race_probe", &shape, 0);
    let output = || Guarded::marked(threads, 0);
    launch.run_twice(&[], output, 0, "out", |raw, out| {
        // SAFETY: one element of `out` per thread of the one block; the call
        // joins every thread before it returns.
        unsafe { emu_race_probe(raw, out, c_int::from(barrier)) }
    })
}
