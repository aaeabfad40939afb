//! The outputs of an emulated launch (given code): marked before the kernel
//! runs, so that what it left tells what it did. Every NaN the emulator puts
//! in memory carries its own payload, which arithmetic passes on: a NaN in a
//! result names where it was read. See [`crate::emulator`].

use super::guard_pages::BEFORE_START;

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

/// Where a NaN in an output came from, told by its payload.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nan {
    /// The output's own marker: never written (or computed from an element
    /// of the output that was not written yet).
    Unwritten,
    /// Past the end of a buffer the kernel reads and writes.
    PastEnd,
    /// Before the start of an input.
    BeforeStart,
    /// `__shared__` memory its block never wrote.
    Shared,
    /// None of the emulator's: the arithmetic made it (or an input held it).
    Other,
}

impl Nan {
    fn of(value: f64) -> Option<Nan> {
        let carries =
            |marker: u64| value.to_bits() | NAN_SIGN_AND_QUIET == marker | NAN_SIGN_AND_QUIET;
        value.is_nan().then(|| {
            if carries(MARK) {
                Nan::Unwritten
            } else if carries(INPUT_MARK) {
                Nan::PastEnd
            } else if carries(BEFORE_START) {
                Nan::BeforeStart
            } else if carries(SHARED_POISON) {
                Nan::Shared
            } else {
                Nan::Other
            }
        })
    }
}

/// An output buffer with a guard zone of `guard` marked elements past its end.
pub(super) struct Guarded {
    pub(super) data: Vec<f64>,
    len: usize,
    /// The guard zone's marker.
    mark: u64,
    /// Whether the values it started with hold no NaN.
    nan_free: bool,
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
        let nan_free = !data.iter().any(|value| value.is_nan());
        data.resize(len + guard, f64::from_bits(INPUT_MARK));
        Guarded {
            data,
            len,
            mark: INPUT_MARK,
            nan_free,
        }
    }

    /// `len` marked elements (an output nobody wrote yet), then the guard zone.
    pub(super) fn marked(len: usize, guard: usize) -> Guarded {
        Guarded {
            data: vec![f64::from_bits(MARK); len + guard],
            len,
            mark: MARK,
            nan_free: true,
        }
    }

    /// The values, without the guard zone.
    pub(super) fn into_values(mut self) -> Vec<f64> {
        self.data.truncate(self.len);
        self.data
    }

    /// Checks the output (`cols` columns, 0 for a vector) after a launch:
    /// nothing past its end, everything written, and no NaN the inputs did
    /// not hold (`inputs_nan_free`), each kind named with its likely cause.
    pub(super) fn check(
        &self,
        cols: usize,
        name: &str,
        inputs_nan_free: bool,
    ) -> Result<(), String> {
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
        let values = &self.data[..self.len];
        let element = |at| element(name, cols, self.len, at);
        let nan = |kind| {
            values
                .iter()
                .position(|&value| Nan::of(value) == Some(kind))
        };
        // The kinds in order of how much they say: an element never written explains itself.
        if let Some(first) = nan(Nan::Unwritten) {
            return Err(format!(
                "it never wrote {} (element {first} of {}): every element needs a thread that \
                 stores it. Is the kernel still a TODO? Does every element have a thread whose \
                 indices (from blockIdx, blockDim and threadIdx) reach it, and does the store's \
                 guard let it through? (Or the value stored came from an element of {name} \
                 that nothing had written yet: an output starts uninitialised, so sum in a \
                 register and store once.)",
                element(first),
                self.len
            ));
        }
        if let Some(first) = nan(Nan::Shared) {
            return Err(format!(
                "{} is NaN, computed from __shared__ memory read before any thread of its block \
                 had written it: on a GPU shared memory starts uninitialised in every block (the \
                 emulator fills it with NaN). Either nothing writes that element (a tile's \
                 padding must be written too, as 0 where a row or column does not exist), or the \
                 write and the read have no __syncthreads() between them (a race)",
                element(first)
            ));
        }
        if let Some(first) = nan(Nan::PastEnd) {
            return Err(format!(
                "{} is NaN, computed from a value read past the end of {name} (the emulator \
                 marks what lies past the end of a buffer the kernel reads and updates): guard \
                 the read with the bounds check, as well as the store. On a GPU such a read \
                 returns garbage or stops the kernel with an illegal address",
                element(first)
            ));
        }
        if let Some(first) = nan(Nan::BeforeStart) {
            return Err(format!(
                "{} is NaN, computed from a value read before the first element of an input \
                 (the emulator marks what lies there): an index below 0, from a subtraction \
                 done in signed arithmetic. On a GPU such a read returns garbage",
                element(first)
            ));
        }
        if let Some(first) = nan(Nan::Other).filter(|_| inputs_nan_free && self.nan_free) {
            return Err(format!(
                "{} is NaN, and no input holds one: the kernel made it. Either the arithmetic \
                 (the square root of a number below 0, 0/0, ∞ - ∞), or a read of memory that \
                 holds no value of the kernel's: past the end of a row of a __shared__ array, \
                 or outside every buffer, where the emulator cannot put a marker (on a GPU \
                 such a read returns garbage too)",
                element(first)
            ));
        }
        Ok(())
    }

    /// The first element (guard zone included) where two runs of a launch
    /// left different bits.
    pub(super) fn first_difference(&self, other: &Guarded) -> Option<usize> {
        self.data
            .iter()
            .zip(&other.data)
            .position(|(a, b)| a.to_bits() != b.to_bits())
    }

    /// Element `at` of two runs' outputs, which differ there: where, and
    /// what each run left.
    pub(super) fn difference(&self, other: &Guarded, at: usize, cols: usize, name: &str) -> String {
        format!(
            "{}: {}, then {}",
            element(name, cols, self.len, at),
            describe(self.data[at], name),
            describe(other.data[at], name)
        )
    }
}

/// Element `at` of an output of `len` elements (`cols` columns, 0 for a
/// vector), or of its guard zone, in words.
fn element(name: &str, cols: usize, len: usize, at: usize) -> String {
    if at >= len {
        return format!("element {at} of {name}'s buffer, past its {len} elements");
    }
    match (at.checked_div(cols), at.checked_rem(cols)) {
        (Some(row), Some(col)) => format!("{name}[{row}, {col}]"),
        _ => format!("{name}[{at}]"),
    }
}

/// A value of output `name`, in words: a number, or where its NaN came from.
fn describe(value: f64, name: &str) -> String {
    match Nan::of(value) {
        None => format!("{value}"),
        Some(Nan::Unwritten) => "not written".to_string(),
        Some(Nan::Shared) => "NaN from __shared__ memory not written yet".to_string(),
        Some(Nan::PastEnd) => format!("NaN from a read past the end of {name}"),
        Some(Nan::BeforeStart) => "NaN from a read before an input's start".to_string(),
        Some(Nan::Other) => "NaN".to_string(),
    }
}
