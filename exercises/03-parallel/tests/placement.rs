//! Exercise 2: where the parallel loop goes (src/placement.rs).
//! Run: cargo test -p parallel --test placement
//!
//! This test program counts every allocation of the process (its global
//! allocator wraps the system's), to show which variant allocates per pair.
//! The count is process-wide and rayon's workers allocate on other threads,
//! so every test here runs alone, one at a time (see [`alone`]).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use ndarray::{Array2, ArrayView2};
use parallel::DimensionMismatch;
use parallel::placement::{
    cityblock_alloc_per_pair, cityblock_par_columns, cityblock_par_reduction, cityblock_par_rows,
    euclidean_par_rows,
};
use parallel::serial::{cityblock_loops, euclidean_loops};
use parallel::testing::{assert_allclose, random_points};

/// The system's allocator, counting the calls that ask it for memory.
struct CountingAllocator;

/// How many times the process asked for memory (alloc, alloc_zeroed, realloc).
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call goes unchanged to `System`, which upholds the contract;
// counting touches only an atomic, and never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's layout, under the caller's promises.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's layout, under the caller's promises.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `ptr` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, that is from `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: CountingAllocator = CountingAllocator;

/// Held by every test of this file for its whole run: while one counts the
/// allocations of a variant, no other test allocates meanwhile. A test that
/// failed (and so poisoned the lock) leaves nothing to protect.
fn alone() -> MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How many times `f` asked for memory, process-wide.
fn allocations_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    let value = f();
    let after = ALLOCATIONS.load(Ordering::SeqCst);
    (value, after - before)
}

type Variant =
    fn(ArrayView2<'_, f64>, ArrayView2<'_, f64>) -> Result<Array2<f64>, DimensionMismatch>;

/// The variants that add each pair's terms in order, like the serial loop.
const IN_ORDER: [(&str, Variant); 3] = [
    ("cityblock_par_rows", cityblock_par_rows),
    ("cityblock_par_columns", cityblock_par_columns),
    ("cityblock_alloc_per_pair", cityblock_alloc_per_pair),
];

#[test]
fn parallel_rows_and_columns_give_the_serial_bits() {
    let _alone = alone();
    let (x, y) = (random_points(37, 11, 1), random_points(23, 11, 2));
    let expected = cityblock_loops(x.view(), y.view()).unwrap();
    for (name, variant) in IN_ORDER {
        assert_eq!(
            variant(x.view(), y.view()).unwrap(),
            expected,
            "{name}: each entry is computed by one thread, terms added in order, so every bit \
             must match cityblock_loops"
        );
    }
}

#[test]
fn a_parallel_reduction_is_close_but_adds_in_another_order() {
    let _alone = alone();
    let (x, y) = (random_points(9, 1000, 3), random_points(7, 1000, 4));
    let expected = cityblock_loops(x.view(), y.view()).unwrap();
    let r = cityblock_par_reduction(x.view(), y.view()).unwrap();
    assert_allclose(
        r.view(),
        expected.view(),
        1e-13,
        0.0,
        "cityblock_par_reduction: a sum over k, split among threads",
    );
}

#[test]
fn euclidean_in_parallel_matches_the_serial_loops() {
    let _alone = alone();
    let (x, y) = (random_points(31, 5, 5), random_points(17, 5, 6));
    assert_eq!(
        euclidean_par_rows(x.view(), y.view()).unwrap(),
        euclidean_loops(x.view(), y.view()).unwrap(),
        "same terms, same order, then the square root"
    );
}

#[test]
fn empty_inputs_give_empty_results() {
    let _alone = alone();
    let (x, y) = (Array2::<f64>::zeros((0, 3)), random_points(4, 3, 7));
    for (name, variant) in IN_ORDER {
        assert_eq!(variant(x.view(), y.view()).unwrap().dim(), (0, 4), "{name}");
        assert_eq!(variant(y.view(), x.view()).unwrap().dim(), (4, 0), "{name}");
    }
    assert_eq!(
        cityblock_par_reduction(y.view(), x.view()).unwrap().dim(),
        (4, 0)
    );
    assert_eq!(
        euclidean_par_rows(x.view(), y.view()).unwrap().dim(),
        (0, 4)
    );
}

#[test]
fn different_dimensions_are_an_error_naming_both_shapes() {
    let _alone = alone();
    let (x, y) = (Array2::<f64>::zeros((3, 2)), Array2::<f64>::zeros((5, 6)));
    let expected = DimensionMismatch {
        x: (3, 2),
        y: (5, 6),
    };
    for (name, variant) in IN_ORDER {
        assert_eq!(variant(x.view(), y.view()).unwrap_err(), expected, "{name}");
    }
    assert_eq!(
        cityblock_par_reduction(x.view(), y.view()).unwrap_err(),
        expected
    );
    assert_eq!(
        euclidean_par_rows(x.view(), y.view()).unwrap_err(),
        expected
    );
}

#[test]
fn only_alloc_per_pair_allocates_in_the_inner_loop() {
    let _alone = alone();
    let (n, m) = (64, 48);
    let pairs = n * m;
    let (x, y) = (random_points(n, 8, 8), random_points(m, 8, 9));
    let others: [(&str, Variant); 4] = [
        ("cityblock_par_rows", cityblock_par_rows),
        ("cityblock_par_columns", cityblock_par_columns),
        ("cityblock_par_reduction", cityblock_par_reduction),
        ("euclidean_par_rows", euclidean_par_rows),
    ];
    // A first run of each, uncounted: rayon starts its pool and its threads'
    // state once, whoever asks first.
    for (_, variant) in others {
        variant(x.view(), y.view()).unwrap();
    }
    cityblock_alloc_per_pair(x.view(), y.view()).unwrap();

    let (_, per_pair) = allocations_of(|| cityblock_alloc_per_pair(x.view(), y.view()));
    assert!(
        per_pair >= pairs,
        "cityblock_alloc_per_pair asked for memory {per_pair} times for {n} × {m} = {pairs} \
         pairs: it stands for the notebook's norm(x[i] - y[j], 1), whose difference is a new \
         array for every pair, so at least one allocation per pair"
    );
    // Far fewer than one per pair: the output, a few per row or per parallel
    // region, rayon's bookkeeping, the test harness's own threads.
    let few = pairs / 8;
    for (name, variant) in others {
        let (_, count) = allocations_of(|| variant(x.view(), y.view()));
        assert!(
            count < few,
            "{name} asked for memory {count} times for {n} × {m} = {pairs} pairs (fewer than \
             {few} expected): something in its inner loop allocates. Read the two points as \
             views and write each distance straight into the output"
        );
    }
}
