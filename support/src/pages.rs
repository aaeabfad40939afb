//! Large results on huge pages (given code: nothing to do here).
//!
//! Lab 1 measured it: the first write to each 4 KiB page of a fresh array
//! costs a page fault, and on a virtual machine the faults for a 200 MB
//! result take longer than the writes themselves. With 2 MiB pages there are
//! 512 times fewer. NumPy asks Linux for such *transparent huge pages* on
//! every array of 4 MiB or more; the kernels of labs 2, 3 and 6 do the same
//! for their (n, m) results.

use ndarray::Array2;

/// Arrays at least this large are put on huge pages (NumPy's threshold).
pub const HUGE_PAGE_THRESHOLD_BYTES: usize = 4 << 20;

// ANCHOR: zeroed_matrix
/// An (n, m) array of zeros whose pages are not touched yet, on huge pages
/// when it is large and the operating system offers them.
///
/// `vec![0.0; len]` gets its memory from `calloc`, which for large sizes
/// maps fresh zero pages without writing them: so the advice below comes
/// before the first touch, when it still decides the page size.
pub fn zeroed_matrix(n: usize, m: usize) -> Array2<f64> {
    // An impossible size saturates, and `vec!` then reports a capacity overflow.
    let len = n.saturating_mul(m);
    let data = vec![0.0; len];
    if size_of_val(data.as_slice()) >= HUGE_PAGE_THRESHOLD_BYTES {
        advise_huge_pages(&data);
    }
    Array2::from_shape_vec((n, m), data).expect("n * m elements")
}
// ANCHOR_END: zeroed_matrix

/// Asks Linux to back the whole pages inside `data` with huge pages.
#[cfg(target_os = "linux")]
fn advise_huge_pages(data: &[f64]) {
    const PAGE_BYTES: usize = 4096;
    let skip = data.as_ptr().align_offset(PAGE_BYTES).min(data.len());
    let bytes = size_of_val(&data[skip..]) / PAGE_BYTES * PAGE_BYTES;
    if bytes > 0 {
        let first_page = data[skip..].as_ptr().cast_mut().cast::<libc::c_void>();
        // SAFETY: the range is page-aligned and lies inside `data`'s
        // allocation; MADV_HUGEPAGE changes how the kernel backs those pages,
        // never what they hold. A refusal (huge pages disabled) only costs
        // speed, so the result is ignored.
        unsafe { libc::madvise(first_page, bytes, libc::MADV_HUGEPAGE) };
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_: &[f64]) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_large_and_empty_matrices_are_zeros_of_the_right_shape() {
        // 1000 × 1000 × 8 bytes is above the threshold: the huge-page path.
        for (n, m) in [(0, 0), (0, 7), (3, 5), (1000, 1000)] {
            let a = zeroed_matrix(n, m);
            assert_eq!(a.dim(), (n, m));
            assert!(a.iter().all(|&v| v == 0.0));
        }
    }
}
