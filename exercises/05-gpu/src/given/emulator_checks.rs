//! The emulator's side of a launch that is not the kernel (given code): the
//! buffers with their guard zones, the seed of the block order, and turning
//! what the launch left behind into a result or an error that says what the
//! kernel did wrong. See [`crate::emulator`].

use std::hash::{BuildHasher, Hasher};
use std::os::raw::c_int;

use crate::error::GpuError;
use crate::launch::LaunchShape;

use super::guard_pages::GuardPaged;

/// The marker in outputs (elements not yet written, and their guard zone): a
/// NaN with a payload no arithmetic produces.
const MARK: u64 = 0x7ff8_dead_beef_0001;
/// The marker in the guard zone of a buffer the kernel reads and writes (the
/// epilogue's r). A different one: a kernel that reads past its end and
/// writes what it computed from it must not look like one that wrote nothing.
const INPUT_MARK: u64 = 0x7ff8_dead_beef_0002;
/// What `__shared__` arrays hold when a block starts (emu/runtime.cpp's
/// SHARED_POISON). A result computed from it is a NaN with the same payload.
const SHARED_POISON: u64 = 0x7ff4_0000_7fa0_0000;
/// The bits arithmetic may change in a NaN it passes on: the sign, and the
/// "quiet" bit that turns a signalling NaN into a quiet one.
const NAN_SIGN_AND_QUIET: u64 = 0x8008_0000_0000_0000;

/// The environment variable that fixes the order of the blocks.
pub(super) const SEED_VARIABLE: &str = "GPU_EMU_SEED";

/// A launch as `emu/runtime.hpp`'s `EmuLaunch` reads it: the shape and the
/// seed of the block order in, where a thread faulted out.
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
            "emulator: {kernel}, {} blocks of {} threads, in the order of seed {seed} \
             ({SEED_VARIABLE}={seed} replays that order of the blocks)",
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
            },
        }
    }

    /// What the C entry point takes and fills in.
    pub(super) fn raw(&mut self) -> *mut EmuLaunch {
        &mut self.raw
    }

    /// After the launch: its status, no read past an input, the output
    /// (`cols` columns, 0 for a vector) all written, nothing past its end and
    /// nothing computed from uninitialised shared memory. Returns the
    /// output's values, without the guard zone.
    pub(super) fn finish(
        &self,
        code: c_int,
        inputs: &[&Input],
        mut out: Guarded,
        cols: usize,
        name: &str,
    ) -> Result<Vec<f64>, GpuError> {
        self.status(code, inputs)
            .and_then(|()| out.check(cols, name))
            .map_err(|problem| GpuError::Emulator {
                kernel: self.kernel.to_string(),
                problem: format!(
                    "{problem} (its blocks ran in the order of seed {seed}: \
                     {SEED_VARIABLE}={seed} replays that order; the threads within a block \
                     still interleave as the OS schedules them, so a failure that changes from \
                     run to run under the same seed is a race between them)",
                    seed = self.raw.seed
                ),
            })?;
        out.data.truncate(out.len);
        Ok(out.data)
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
        let buffer = GuardPaged::copy_of(values, len, guard).ok_or_else(|| GpuError::Emulator {
            kernel: self.kernel.to_string(),
            problem: format!("the system refused memory for {name} ({len} doubles)"),
        })?;
        Ok(Input {
            name,
            row_len,
            buffer,
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
             a row or column does not exist. On a GPU such a read returns garbage or stops \
             the kernel with an illegal address"
        )
    }
}

/// An output buffer with a guard zone of `guard` marked elements past its end.
pub(super) struct Guarded {
    pub(super) data: Vec<f64>,
    len: usize,
    /// The guard zone's marker.
    mark: u64,
}

impl Guarded {
    /// A copy of `values`, then the guard zone: an output the kernel updates
    /// in place.
    pub(super) fn copy_of(
        values: impl IntoIterator<Item = f64>,
        len: usize,
        guard: usize,
    ) -> Guarded {
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
    pub(super) fn marked(len: usize, guard: usize) -> Guarded {
        Guarded {
            data: vec![f64::from_bits(MARK); len + guard],
            len,
            mark: MARK,
        }
    }

    fn values(&self) -> &[f64] {
        &self.data[..self.len]
    }

    /// Checks the output (`cols` columns, 0 for a vector) after a launch:
    /// nothing past its end, everything written, nothing computed from shared
    /// memory the block never wrote.
    fn check(&self, cols: usize, name: &str) -> Result<(), String> {
        // `cols` is 0 for a vector.
        let element = |at: usize| match (at.checked_div(cols), at.checked_rem(cols)) {
            (Some(row), Some(col)) => format!("{name}[{row}, {col}]"),
            _ => format!("{name}[{at}]"),
        };
        let guard = &self.data[self.len..];
        if let Some(past) = guard.iter().position(|value| value.to_bits() != self.mark) {
            return Err(format!(
                "it wrote past the end of {name} ({} elements), at element {} of the buffer: \
                 a thread outside the output wrote anyway. The last blocks stick out past the \
                 edges: guard the store with the bounds check (i < n && j < m)",
                self.len,
                self.len + past
            ));
        }
        let values = self.values();
        if let Some(first) = values.iter().position(|value| value.to_bits() == MARK) {
            return Err(format!(
                "it never wrote {} (element {first} of {}): every element needs a thread that \
                 stores it. Is the kernel still a TODO? Does every element have a thread whose \
                 indices (from blockIdx, blockDim and threadIdx) reach it, and does the store's \
                 guard let it through?",
                element(first),
                self.len
            ));
        }
        let poisoned = |value: &f64| {
            value.to_bits() | NAN_SIGN_AND_QUIET == SHARED_POISON | NAN_SIGN_AND_QUIET
        };
        if let Some(first) = values.iter().position(poisoned) {
            return Err(format!(
                "{} is NaN, computed from __shared__ memory read before any thread of its block \
                 had written it: on a GPU shared memory starts uninitialised in every block (the \
                 emulator fills it with NaN). Either nothing writes that element (a tile's \
                 padding must be written too, as 0 where a row or column does not exist), or the \
                 write and the read have no __syncthreads() between them",
                element(first)
            ));
        }
        Ok(())
    }
}

/// How far past the end a kernel of this launch may read or write by
/// mistake: every thread of the grid, times 4 elements (the tiled kernel's
/// outputs per thread), times the row length. Generous, and small in tests.
pub(super) fn guard_for(shape: &LaunchShape, row_len: usize) -> usize {
    let (tx, ty) = shape.threads();
    (tx as usize + 1) * (ty as usize + 1) * 16 + 4 * (tx as usize + ty as usize) * (row_len + 1)
}
