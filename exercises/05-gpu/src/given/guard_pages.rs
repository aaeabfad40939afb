//! An input buffer of the CPU emulator that ends where memory stops (given
//! code): the pages right after its last element can be neither read nor
//! written, so a kernel that reads past the end faults on the first element
//! too far, and the emulator reports which buffer and element, instead of the
//! read returning whatever happens to lie there (as on a GPU, where it may
//! also return garbage, or fault, depending on the allocation). Before its
//! first element: a marker NaN up to the page's start, then a guard page.

use std::ptr::NonNull;

/// What lies before an input's first element, on its first page: a NaN
/// whose payload names it in a result computed from it.
pub(super) const BEFORE_START: u64 = 0x7ff8_dead_beef_0003;

/// A copy of some doubles, between inaccessible guard pages.
pub(super) struct GuardPaged {
    /// The whole mapping: a guard page, marked padding, the elements, the
    /// guard pages.
    map: NonNull<libc::c_void>,
    map_bytes: usize,
    /// The first element; the last ends exactly where the guard pages begin.
    data: *mut f64,
    len: usize,
    guard_bytes: usize,
}

impl GuardPaged {
    /// A copy of `values` (`len` of them), with at least `guard` elements'
    /// worth of guard pages after it. `None` when the system refuses the
    /// mapping.
    pub(super) fn copy_of(
        values: impl IntoIterator<Item = f64>,
        len: usize,
        guard: usize,
    ) -> Option<GuardPaged> {
        let page = page_size();
        let data_bytes = (len * size_of::<f64>()).next_multiple_of(page);
        let guard_bytes = (guard.max(1) * size_of::<f64>()).next_multiple_of(page);
        let map_bytes = page + data_bytes + guard_bytes;
        // SAFETY: a fresh private anonymous mapping, at an address the
        // system picks: it overlaps nothing. Nothing is accessible yet.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_bytes,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if map == libc::MAP_FAILED {
            return None;
        }
        let map = NonNull::new(map)?;
        // SAFETY: the mapping just made is `page + data_bytes` long and more.
        let pages = unsafe { map.as_ptr().cast::<u8>().add(page) };
        // SAFETY: the `data_bytes` after the first page of the mapping just
        // made: the pages that hold the elements become readable and
        // writable; the rest stay inaccessible.
        if data_bytes > 0
            && unsafe {
                libc::mprotect(pages.cast(), data_bytes, libc::PROT_READ | libc::PROT_WRITE)
            } != 0
        {
            // SAFETY: the mapping made above, not used since.
            unsafe { libc::munmap(map.as_ptr(), map_bytes) };
            return None;
        }
        let padding = (data_bytes - len * size_of::<f64>()) / size_of::<f64>();
        // SAFETY: `padding * 8` is within the readable pages and a multiple
        // of 8 from a page-aligned start: `data` is aligned for f64.
        let data = unsafe { pages.add(padding * size_of::<f64>()) }.cast::<f64>();
        for before in 1..=padding {
            // SAFETY: `data - before` lies between the readable pages' start and `data`.
            unsafe { data.sub(before).write(f64::from_bits(BEFORE_START)) };
        }
        let buffer = GuardPaged {
            map,
            map_bytes,
            data,
            len,
            guard_bytes,
        };
        let mut written = 0;
        for value in values.into_iter().take(len) {
            // SAFETY: `written < len`: inside the readable, writable pages.
            unsafe { buffer.data.add(written).write(value) };
            written += 1;
        }
        debug_assert_eq!(written, len, "copy_of takes exactly `len` values");
        Some(buffer)
    }

    /// The first element, for the kernel.
    pub(super) fn as_ptr(&self) -> *const f64 {
        self.data
    }

    /// The number of elements.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// If `address` is before the first element, in the buffer's mapping:
    /// how many elements before it (1 for the element right before).
    pub(super) fn elements_before_start(&self, address: usize) -> Option<usize> {
        let start = self.data as usize;
        (self.map.as_ptr() as usize..start)
            .contains(&address)
            .then(|| (start - address).div_ceil(size_of::<f64>()))
    }

    /// If `address` is in the guard pages: how many elements past the last
    /// one it is (0 for the element right after the end).
    pub(super) fn elements_past_end(&self, address: usize) -> Option<usize> {
        let end = self.data as usize + self.len * size_of::<f64>();
        (end..end + self.guard_bytes)
            .contains(&address)
            .then(|| (address - end) / size_of::<f64>())
    }
}

impl Drop for GuardPaged {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `copy_of`; no pointer into it outlives
        // the buffer (the launch that used it has joined its threads).
        unsafe { libc::munmap(self.map.as_ptr(), self.map_bytes) };
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf only reads a system constant.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size).unwrap_or(4096).max(1)
}
