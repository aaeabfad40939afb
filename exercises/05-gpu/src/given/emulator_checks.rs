//! The emulator's side of a launch that is not the kernel (given code): the
//! inputs with their guard pages, the seed of the block order, the two runs of
//! each launch, and turning what they left behind into a result or an error
//! that says what the kernel did wrong. See [`crate::emulator`].

use std::hash::{BuildHasher, Hasher};
use std::os::raw::c_int;

use crate::error::GpuError;
use crate::launch::LaunchShape;

use super::guard_pages::GuardPaged;
use super::outputs::Guarded;

/// The environment variable that fixes the order of the blocks.
pub(super) const SEED_VARIABLE: &str = "GPU_EMU_SEED";

/// A launch as `emu/runtime.hpp`'s `EmuLaunch` reads it: the shape, the seed
/// of the block order and which run it is in, where a thread faulted out.
#[repr(C)]
pub(super) struct EmuLaunch {
    grid_x: u32,
    grid_y: u32,
    block_x: u32,
    block_y: u32,
    seed: u64,
    fault_address: u64,
    fault_block_x: u32,
    fault_block_y: u32,
    fault_thread_x: u32,
    fault_thread_y: u32,
    /// Not 0 in the second run: each block's threads take their turns from
    /// the last to the first.
    reversed: u32,
}

/// One launch of one kernel: its shape, and the order of its blocks.
pub(super) struct Launch {
    kernel: &'static str,
    raw: EmuLaunch,
}

impl Launch {
    /// A launch of `shape`, its blocks in an order from `GPU_EMU_SEED` or, by
    /// default, a fresh random seed. Prints the seed: the test harness shows
    /// it when the test fails.
    pub(super) fn new(kernel: &'static str, shape: &LaunchShape) -> Result<Launch, GpuError> {
        let seed = match std::env::var(SEED_VARIABLE) {
            Ok(text) => text.trim().parse().map_err(|_| GpuError::Emulator {
                kernel: kernel.to_string(),
                problem: format!(
                    "{SEED_VARIABLE}={text:?} is not a seed: give a whole number, or unset it"
                ),
            })?,
            Err(_) => std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish(),
        };
        eprintln!(
            "emulator: {kernel}, {} blocks of {} threads, in the order of seed {seed}, run \
             twice ({SEED_VARIABLE}={seed} replays it)",
            shape.grid, shape.block
        );
        Ok(Launch::with_seed(kernel, shape, seed))
    }

    /// A launch of `shape`, its blocks in the order of `seed`.
    pub(super) fn with_seed(kernel: &'static str, shape: &LaunchShape, seed: u64) -> Launch {
        Launch {
            kernel,
            raw: EmuLaunch {
                grid_x: shape.grid.x,
                grid_y: shape.grid.y,
                block_x: shape.block.x,
                block_y: shape.block.y,
                seed,
                fault_address: 0,
                fault_block_x: 0,
                fault_block_y: 0,
                fault_thread_x: 0,
                fault_thread_y: 0,
                reversed: 0,
            },
        }
    }

    /// What the C entry point takes and fills in.
    pub(super) fn raw(&mut self) -> *mut EmuLaunch {
        &mut self.raw
    }

    /// Runs the kernel twice on the same inputs, into a fresh `output()`
    /// each time (`cols` columns, 0 for a vector): `kernel` calls its C
    /// entry point with the launch and the output. The threads of each block
    /// take their turns (from one barrier to the next) first to last, then
    /// last to first: a correct kernel leaves the same bits both times, a
    /// race between the threads does not. Then checks the launch's status,
    /// the two runs against each other, and the output: see
    /// [`Guarded::check`]. Returns the output's values.
    pub(super) fn run_twice(
        &mut self,
        inputs: &[&Input],
        output: impl Fn() -> Guarded,
        cols: usize,
        name: &str,
        mut kernel: impl FnMut(*mut EmuLaunch, *mut f64) -> c_int,
    ) -> Result<Vec<f64>, GpuError> {
        let runs = [false, true].map(|reversed| {
            self.raw.reversed = u32::from(reversed);
            let mut out = output();
            let code = kernel(&mut self.raw, out.data.as_mut_ptr());
            (code, out)
        });
        self.raw.reversed = 0;
        let [(first_code, first), (second_code, second)] = &runs;
        self.status(*first_code, inputs)
            .map_err(|problem| self.error(problem))?;
        self.status(*second_code, inputs).map_err(|problem| {
            self.error(format!(
                "{problem}. This happened in the second of two runs only, whose threads took \
                 their turns in the reverse order: what the threads do depends on a race \
                 between them (a missing __syncthreads()?)"
            ))
        })?;
        if let Some(at) = first.first_difference(second) {
            return Err(self.error(format!(
                "two runs of {kernel} on the same input gave different results ({}): a race. \
                 The emulator runs the threads of a block one at a time, from one \
                 __syncthreads() to the next, first to last and then, in a second run, last \
                 to first: a thread that reads what another thread writes with no barrier in \
                 between sees the write in one run and not in the other. Is a \
                 `__syncthreads()` missing between writing shared memory and reading it, or \
                 between reading it and overwriting it (with the next tile, or the next step of \
                 a sum)? Or does an index run past the thread's own part of a shared array, \
                 into another's?",
                first.difference(second, at, cols, name),
                kernel = self.kernel
            )));
        }
        let inputs_nan_free = inputs.iter().all(|input| input.nan_free);
        first
            .check(cols, name, inputs_nan_free)
            .map_err(|problem| self.error(problem))?;
        let [(_, first), _] = runs;
        Ok(first.into_values())
    }

    /// After a launch with no output to check (the emulator's probe): its
    /// status.
    pub(super) fn finish(&self, code: c_int) -> Result<(), GpuError> {
        self.status(code, &[])
            .map_err(|problem| self.error(problem))
    }

    /// The error for what a launch of this kernel did wrong.
    fn error(&self, problem: String) -> GpuError {
        GpuError::Emulator {
            kernel: self.kernel.to_string(),
            problem: format!(
                "{problem} (seed {seed}: {SEED_VARIABLE}={seed} replays this launch exactly)",
                seed = self.raw.seed
            ),
        }
    }

    /// The launch's status, as the problem to report.
    fn status(&self, code: c_int, inputs: &[&Input]) -> Result<(), String> {
        Err(match code {
            0 => return Ok(()),
            1 => "some threads of a block reached __syncthreads() after others had returned \
                  (or the other way round). On a GPU that hangs or corrupts results: every \
                  thread of a block must reach every __syncthreads(); put the bounds guard \
                  around the loads and the final store instead of returning early"
                .to_string(),
            3 => format!(
                "its .cu file did not compile for the emulator; the compiler's messages are \
                 among the warnings of `cargo build -p {}` (or `cargo test`)",
                env!("CARGO_PKG_NAME")
            ),
            4 => self.fault(inputs),
            _ => "a thread threw a C++ exception".to_string(),
        })
    }

    /// What a thread that faulted touched, in words.
    fn fault(&self, inputs: &[&Input]) -> String {
        let raw = &self.raw;
        let thread = format!(
            "thread ({}, {}) of block ({}, {})",
            raw.fault_thread_x, raw.fault_thread_y, raw.fault_block_x, raw.fault_block_y
        );
        let address = usize::try_from(raw.fault_address).unwrap_or(usize::MAX);
        for input in inputs {
            if let Some(past) = input.buffer.elements_past_end(address) {
                return input.read_past_end(&thread, past);
            }
            if let Some(before) = input.buffer.elements_before_start(address) {
                return format!(
                    "{thread} read before the start of {name}: it read {name}[-{before}] (as \
                     a flat index): an index below 0, from a subtraction done in signed \
                     arithmetic. On a GPU such a read returns garbage or stops the kernel with \
                     an illegal address",
                    name = input.name
                );
            }
        }
        format!(
            "{thread} touched memory outside every buffer, at address {address:#x}: an index \
             computed wrongly (an unsigned index that went below 0 wraps around to a huge \
             one), or a pointer that is not one of the kernel's arguments"
        )
    }
}

impl Launch {
    /// A copy of `values` (`len` of them, rows of `row_len`, 0 for a
    /// vector), as the kernel's input `name`, with guard pages for `guard`
    /// elements past its end.
    pub(super) fn input(
        &self,
        name: &'static str,
        values: impl IntoIterator<Item = f64>,
        len: usize,
        row_len: usize,
        guard: usize,
    ) -> Result<Input, GpuError> {
        let mut nan_free = true;
        let values = values
            .into_iter()
            .inspect(|value| nan_free &= !value.is_nan());
        let buffer = GuardPaged::copy_of(values, len, guard).ok_or_else(|| GpuError::Emulator {
            kernel: self.kernel.to_string(),
            problem: format!("the system refused memory for {name} ({len} doubles)"),
        })?;
        Ok(Input {
            name,
            row_len,
            buffer,
            nan_free,
        })
    }
}

/// An input of a kernel, in guard-paged memory: reading past its end faults.
pub(super) struct Input {
    name: &'static str,
    /// Elements per row, to name the row a read past the end went to (0 for
    /// a vector).
    row_len: usize,
    buffer: GuardPaged,
    /// Whether its values hold no NaN (then none may come out).
    nan_free: bool,
}

impl Input {
    /// The first element, for the kernel.
    pub(super) fn as_ptr(&self) -> *const f64 {
        self.buffer.as_ptr()
    }

    fn read_past_end(&self, thread: &str, past: usize) -> String {
        let len = self.buffer.len();
        let (name, element) = (self.name, len + past);
        let which = match (
            element.checked_div(self.row_len),
            element.checked_rem(self.row_len),
        ) {
            (Some(row), Some(col)) => format!(
                "{name}[{row}, {col}], but {name} is {}×{}",
                len / self.row_len,
                self.row_len
            ),
            _ => format!("{name}[{element}], but {name} has {len} elements"),
        };
        format!(
            "{thread} read past the end of {name}: it read {which}. The last blocks stick out \
             past the edges of the data, and their threads must not load what is not there: \
             guard every load (as well as the store) with the bounds check, and use 0 where \
             a row or column does not exist. (Or a loop over a row ran past its end, k up to \
             d rather than below it: inside the buffer that reads the next row, silently, and \
             only the last row shows here.) On a GPU such a read returns garbage or stops the \
             kernel with an illegal address"
        )
    }
}

/// How far past the end a kernel of this launch may read or write by
/// mistake: every thread of the grid, times 4 elements (the tiled kernel's
/// outputs per thread), times the row length. Generous, and small in tests.
pub(super) fn guard_for(shape: &LaunchShape, row_len: usize) -> usize {
    let (tx, ty) = shape.threads();
    (tx as usize + 1) * (ty as usize + 1) * 16 + 4 * (tx as usize + ty as usize) * (row_len + 1)
}
