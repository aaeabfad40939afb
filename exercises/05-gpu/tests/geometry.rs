//! Exercise 1: the launch geometry of a CUDA kernel (src/geometry.rs).
//! Run: cargo test -p gpu --test geometry
//!
//! No GPU needed: this is the arithmetic every launch does, checked on the CPU.

use std::panic::{AssertUnwindSafe, catch_unwind};

use gpu::dim::{MAX_GRID_X, MAX_GRID_YZ};
use gpu::geometry::{Grid2d, Thread, blocks_for, for_each_thread, global_index};
use gpu::{Axis, Dim2, GpuError, emulator};

#[test]
fn global_index_is_block_index_times_block_size_plus_thread_index() {
    assert_eq!(
        global_index(0, 256, 0),
        0,
        "the first thread of the first block"
    );
    assert_eq!(
        global_index(0, 256, 255),
        255,
        "within block 0, the global index is threadIdx"
    );
    assert_eq!(
        global_index(1, 256, 0),
        256,
        "block 1 starts where block 0's 256 threads end: blockIdx * blockDim + threadIdx"
    );
    assert_eq!(global_index(3, 128, 5), 3 * 128 + 5);
}

#[test]
fn global_index_does_not_overflow_past_four_billion_threads() {
    let block_idx = MAX_GRID_X - 1;
    assert_eq!(
        global_index(block_idx, 1024, 1023),
        (block_idx as usize) * 1024 + 1023,
        "2³¹ blocks of 1024 threads are 2⁴¹ threads: multiply in usize, not u32 \
         (`block_idx as usize * block_dim as usize`)"
    );
}

#[test]
fn blocks_for_rounds_up_so_that_the_last_elements_get_a_thread() {
    assert_eq!(
        blocks_for(1024, 128, Axis::X),
        Ok(8),
        "1024 = 8 × 128 exactly"
    );
    assert_eq!(
        blocks_for(1000, 128, Axis::X),
        Ok(8),
        "1000 / 128 = 7.8: 7 blocks leave the last 104 elements without a thread; round up"
    );
    assert_eq!(
        blocks_for(1025, 128, Axis::X),
        Ok(9),
        "one element past 8 blocks needs a 9th block"
    );
    assert_eq!(
        blocks_for(5000, 32, Axis::Y),
        Ok(157),
        "the original course's Julia kernel: (5000 - 1) // 32 + 1 = 157 blocks"
    );
    assert_eq!(blocks_for(1, 256, Axis::X), Ok(1));
}

#[test]
fn blocks_for_nothing_is_zero_blocks() {
    assert_eq!(
        blocks_for(0, 256, Axis::X),
        Ok(0),
        "no elements, no blocks (and no launch: CUDA refuses a grid of 0 blocks)"
    );
}

#[test]
fn blocks_for_refuses_a_block_of_zero_threads() {
    assert_eq!(
        blocks_for(100, 0, Axis::Y),
        Err(GpuError::ZeroBlock { axis: Axis::Y }),
        "a block of 0 threads covers nothing (and n / 0 would panic): return the typed error"
    );
    assert_eq!(
        blocks_for(0, 0, Axis::X),
        Err(GpuError::ZeroBlock { axis: Axis::X }),
        "check the block size before anything else, even when there are no elements"
    );
}

#[test]
fn blocks_for_allows_up_to_65535_blocks_along_y_and_z() {
    let n = MAX_GRID_YZ as usize * 256;
    assert_eq!(blocks_for(n, 256, Axis::Y), Ok(MAX_GRID_YZ));
    assert_eq!(blocks_for(n, 256, Axis::Z), Ok(MAX_GRID_YZ));
    assert_eq!(
        blocks_for(n + 1, 256, Axis::Y),
        Err(GpuError::GridTooLarge {
            axis: Axis::Y,
            n: n + 1,
            block: 256,
            blocks: 65_536,
        }),
        "65536 blocks along y is one more than CUDA allows: refuse it, naming the sizes"
    );
    assert_eq!(
        blocks_for(n + 1, 256, Axis::X),
        Ok(65_536),
        "along x the limit is 2³¹ - 1 blocks, not 65535: use `axis.max_blocks()`"
    );
}

#[test]
fn blocks_for_allows_up_to_two_to_the_31_minus_1_blocks_along_x() {
    let n = MAX_GRID_X as usize * 1024;
    assert_eq!(blocks_for(n, 1024, Axis::X), Ok(MAX_GRID_X));
    assert_eq!(
        blocks_for(n + 1, 1024, Axis::X),
        Err(GpuError::GridTooLarge {
            axis: Axis::X,
            n: n + 1,
            block: 1024,
            blocks: 1 << 31,
        }),
        "2³¹ blocks along x is one more than CUDA allows"
    );
    let error = blocks_for(usize::MAX, 1, Axis::X).expect_err("usize::MAX blocks cannot fit");
    assert!(
        matches!(error, GpuError::GridTooLarge { blocks, .. } if blocks == usize::MAX as u64),
        "a count of blocks that does not even fit in a u32 is refused too, not truncated \
         (`as u32` would wrap it): got {error:?}"
    );
}

#[test]
fn grid_too_large_says_how_many_blocks_and_what_to_do() {
    let error = blocks_for(70_000, 1, Axis::Y).expect_err("70000 blocks along y");
    let message = error.to_string();
    for part in ["70000", "65535", "along y", "x"] {
        assert!(
            message.contains(part),
            "the message should name `{part}`: {message}"
        );
    }
}

#[test]
fn a_2d_grid_puts_columns_on_x_and_rows_on_y() {
    let g = Grid2d::new(37, 53, Dim2::new(16, 16)).expect("a 16×16 block is valid");
    assert_eq!(
        g.grid,
        Dim2::new(4, 3),
        "53 columns need ⌈53 / 16⌉ = 4 blocks along x and 37 rows ⌈37 / 16⌉ = 3 along y: x \
         runs along j, so that the 32 threads of a warp (consecutive threadIdx.x) write \
         consecutive elements of a row"
    );
    assert_eq!(g.block, Dim2::new(16, 16));
    assert_eq!(
        (g.n, g.m),
        (37, 53),
        "the grid remembers the output's shape for its guard"
    );
    assert_eq!(
        g.threads(),
        (48, 64),
        "whole blocks: 3 × 16 = 48 rows and 4 × 16 = 64 columns of threads for 37 × 53 elements"
    );
}

#[test]
fn a_2d_grid_for_an_empty_output_launches_nothing() {
    let g = Grid2d::new(0, 10, Dim2::new(16, 16)).expect("an empty output is valid");
    assert!(
        g.is_empty(),
        "0 rows need 0 blocks along y: skip the launch, got {g:?}"
    );
}

#[test]
fn a_2d_grid_refuses_an_empty_block_or_one_of_more_than_1024_threads() {
    assert_eq!(
        Grid2d::new(10, 10, Dim2::new(0, 16)),
        Err(GpuError::ZeroBlock { axis: Axis::X })
    );
    assert_eq!(
        Grid2d::new(10, 10, Dim2::new(16, 0)),
        Err(GpuError::ZeroBlock { axis: Axis::Y })
    );
    assert!(
        Grid2d::new(10, 10, Dim2::new(32, 32)).is_ok(),
        "32 × 32 = 1024 threads is the most a block may have, and it is allowed"
    );
    assert_eq!(
        Grid2d::new(10, 10, Dim2::new(64, 32)),
        Err(GpuError::BlockTooLarge {
            block: Dim2::new(64, 32)
        }),
        "64 × 32 = 2048 threads: more than 1024 per block, whatever each side is"
    );
    assert_eq!(
        Grid2d::new(10, 10, Dim2::new(u32::MAX, u32::MAX)),
        Err(GpuError::BlockTooLarge {
            block: Dim2::new(u32::MAX, u32::MAX)
        }),
        "count the threads without overflow (`Dim2::count` is u64)"
    );
}

#[test]
fn a_2d_grid_with_too_many_rows_for_y_is_refused() {
    let n = MAX_GRID_YZ as usize * 16 + 1;
    assert_eq!(
        Grid2d::new(n, 10, Dim2::new(16, 16)),
        Err(GpuError::GridTooLarge {
            axis: Axis::Y,
            n,
            block: 16,
            blocks: 65_536,
        }),
        "the rows go on y, which has at most 65535 blocks"
    );
    assert!(
        Grid2d::new(10, n, Dim2::new(16, 16)).is_ok(),
        "as many columns is fine: x allows 2³¹ - 1 blocks"
    );
}

#[test]
fn the_guard_keeps_exactly_the_output_elements() {
    let g = Grid2d::new(37, 53, Dim2::new(16, 16)).expect("valid");
    assert!(g.in_bounds(0, 0));
    assert!(
        g.in_bounds(36, 52),
        "the last element of a 37 × 53 output is (36, 52)"
    );
    assert!(!g.in_bounds(37, 0), "row 37 is one past the last row");
    assert!(!g.in_bounds(0, 53), "column 53 is one past the last column");
    assert!(
        !g.in_bounds(47, 63),
        "the last thread of the launch has no element"
    );
}

#[test]
fn the_emulator_runs_every_thread_of_the_launch_exactly_once() {
    let (grid, block) = (Dim2::new(3, 2), Dim2::new(4, 5));
    let mut seen = vec![0u32; 10 * 12];
    let mut calls = 0;
    for_each_thread(grid, block, |t: Thread| {
        assert_eq!(
            t.block_dim, block,
            "every thread sees the block's size as block_dim"
        );
        assert!(
            t.block_idx.x < grid.x && t.block_idx.y < grid.y,
            "block index {t:?}"
        );
        assert!(
            t.thread_idx.x < block.x && t.thread_idx.y < block.y,
            "thread index {t:?}"
        );
        seen[t.row() * 12 + t.col()] += 1;
        calls += 1;
    });
    assert_eq!(
        calls,
        6 * 20,
        "6 blocks of 20 threads: the body runs once per thread"
    );
    assert!(
        seen.iter().all(|&count| count == 1),
        "each global (row, col) of the 10 × 12 threads exactly once: {seen:?}"
    );
}

#[test]
fn the_emulator_varies_thread_idx_x_fastest_like_a_warp() {
    let mut order = Vec::new();
    for_each_thread(Dim2::new(1, 1), Dim2::new(3, 2), |t| {
        order.push((t.thread_idx.x, t.thread_idx.y));
    });
    assert_eq!(
        order,
        [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)],
        "threadIdx.x is the innermost loop: consecutive threads of a warp differ in x"
    );
}

#[test]
fn the_lab_s_emulator_shuffles_the_blocks_and_gives_each_fresh_shared_memory() {
    // The emulator that runs your kernels in the later exercises (given code, not yours
    // to write) is hostile on purpose: a GPU runs blocks in no promised order and leaves
    // shared memory uninitialised, so a kernel must not depend on either.
    let (grid, block) = (Dim2::new(4, 3), Dim2::new(2, 2));
    let run = |seed| emulator::probe(grid, block, seed).unwrap_or_else(|e| panic!("{e}"));
    let first = run(1);
    let mut blocks: Vec<(u32, u32)> = first.iter().map(|(b, _)| (b.y, b.x)).collect();
    let row_by_row: Vec<(u32, u32)> = (0..3).flat_map(|y| (0..4).map(move |x| (y, x))).collect();
    assert_ne!(
        blocks, row_by_row,
        "seed 1 runs the blocks in a shuffled order, not row by row"
    );
    blocks.sort_unstable();
    assert_eq!(blocks, row_by_row, "every block runs exactly once");
    for &(block, bits) in &first {
        assert!(
            f64::from_bits(bits).is_nan(),
            "block {block} found {} in shared memory, not NaN: an earlier block's value leaked",
            f64::from_bits(bits)
        );
    }
    assert_eq!(run(1), first, "the same seed replays the same order");
    assert_ne!(run(2), first, "another seed, another order");
}

#[test]
fn the_lab_s_emulator_reports_a_missing_barrier_as_a_race() {
    // The same emulator runs every launch twice, the threads of a block in opposite orders:
    // a kernel that reads what another thread writes, with no __syncthreads() in between,
    // gives two different results, which it reports as a race.
    let block = Dim2::new(32, 4);
    let read = emulator::race_probe(block, true).unwrap_or_else(|e| panic!("{e}"));
    let wrong = (0..128).find(|&t| read[t] != ((t + 1) % 128) as f64);
    assert_eq!(
        wrong, None,
        "with a barrier between the writes and the reads, thread t reads t + 1's number"
    );
    match emulator::race_probe(block, false) {
        Err(error) => assert!(
            error.to_string().contains(": a race."),
            "without the barrier the emulator must name the race, not: {error}"
        ),
        Ok(_) => panic!("without the barrier the emulator must report a race"),
    }
}

/// A point set of `rows` points in `d` dimensions, row after row, from a seed.
fn points(rows: usize, d: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..rows * d)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

/// r[i, j] = Σ_k |x[i, k] - y[j, k]|, with plain loops.
fn cityblock_reference(x: &[f64], y: &[f64], n: usize, m: usize, d: usize) -> Vec<f64> {
    let mut r = vec![0.0; n * m];
    for i in 0..n {
        for j in 0..m {
            r[i * m + j] = (0..d).map(|k| (x[i * d + k] - y[j * d + k]).abs()).sum();
        }
    }
    r
}

#[test]
fn a_naive_cityblock_kernel_body_with_the_guard_computes_the_distance_matrix() {
    let (n, m, d) = (37, 53, 5);
    let (x, y) = (points(n, d, 1), points(m, d, 2));
    let g = Grid2d::new(n, m, Dim2::new(16, 16)).expect("valid");
    let mut r = vec![f64::NAN; n * m];
    let mut idle = 0;
    // The kernel body: what one CUDA thread does.
    for_each_thread(g.grid, g.block, |t| {
        let (i, j) = (t.row(), t.col());
        if !g.in_bounds(i, j) {
            idle += 1;
            return;
        }
        r[i * m + j] = (0..d).map(|k| (x[i * d + k] - y[j * d + k]).abs()).sum();
    });
    assert_eq!(
        r,
        cityblock_reference(&x, &y, n, m, d),
        "one thread per element (i = row, j = col) must fill the whole matrix (a NaN left? \
         some element got no thread: check the grid's rounding and which axis is which)"
    );
    assert_eq!(
        idle,
        48 * 64 - 37 * 53,
        "the 3072 threads of the launch minus the 1961 elements: the guard stopped exactly \
         the threads past the edges"
    );
}

#[test]
fn without_the_guard_the_threads_past_the_edge_write_out_of_bounds() {
    let (n, m) = (37, 53);
    let g = Grid2d::new(n, m, Dim2::new(16, 16)).expect("valid");
    let (rows, cols) = g.threads();
    assert!(
        rows > n && cols > m,
        "37 × 53 is not a multiple of 16 × 16: the last blocks stick out"
    );
    let mut r = vec![0.0; n * m];
    let mut writes = 0;
    let unguarded = catch_unwind(AssertUnwindSafe(|| {
        for_each_thread(g.grid, g.block, |t| {
            let (i, j) = (t.row(), t.col());
            // No guard: on a GPU, a write past the end of the buffer (or into the next row).
            r[i * m + j] = 1.0;
            writes += 1;
        });
    }));
    assert!(
        unguarded.is_err(),
        "the unguarded body should index past the end of r"
    );
    assert!(
        writes > 0 && r.contains(&1.0),
        "the launch ran (threads wrote before one went past the end)"
    );
    assert!(
        writes < rows * cols,
        "Rust's bounds check stopped the launch at the first bad index; CUDA C would not \
         check, and would write out of bounds silently: the guard is your only protection"
    );
}
