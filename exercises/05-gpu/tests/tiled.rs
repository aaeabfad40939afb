//! Exercise 4: a tile per block, through shared memory (src/cuda/cityblock_tiled.cu).
//! Run: cargo test -p gpu --test tiled
//!
//! No GPU needed: the emulator runs the kernel (with __syncthreads as a real
//! barrier between the block's threads) and NVRTC compiles it.

use gpu::kernels::{CITYBLOCK_TILED, Pairwise};
use gpu::testing::{assert_close, cityblock, points};
use gpu::{emulator, nvrtc};

#[test]
fn cityblock_tiled_matches_the_reference_across_tile_edges() {
    // Tiles are 64 × 64, staged 8 columns at a time: sizes on, just past and
    // far from those edges, and d not a multiple of 8.
    for (n, m, d) in [
        (1, 1, 1),
        (64, 64, 8),
        (65, 63, 9),
        (130, 70, 17),
        (3, 129, 50),
        (100, 2, 3),
    ] {
        let (x, y) = (points(n, d, 4), points(m, d, 5));
        let r = emulator::pairwise(Pairwise::CityblockTiled, x.view(), y.view())
            .unwrap_or_else(|error| panic!("{error}"));
        assert_close(
            r.view(),
            cityblock(x.view(), y.view()).view(),
            1e-12,
            &format!("cityblock_tiled, x {n}×{d}, y {m}×{d}"),
        );
    }
}

#[test]
fn cityblock_tiled_gives_the_naive_kernel_s_result_bit_for_bit() {
    // Both add |x - y| over k in the same order (the tiled kernel's padding
    // adds exact zeros), so the results are identical, not just close.
    let (x, y) = (points(90, 21, 6), points(75, 21, 7));
    let tiled = emulator::pairwise(Pairwise::CityblockTiled, x.view(), y.view())
        .unwrap_or_else(|error| panic!("{error}"));
    let naive = emulator::pairwise(Pairwise::CityblockNaive, x.view(), y.view())
        .unwrap_or_else(|error| panic!("{error}"));
    let first_difference = tiled
        .indexed_iter()
        .find(|&(at, value)| value.to_bits() != naive[at].to_bits());
    if let Some(((i, j), value)) = first_difference {
        panic!(
            "r[{i}, {j}] is {value} from the tiled kernel but {} from the naive one: both must \
             add |x - y| over k in ascending order, the padding adding exact zeros. Far apart \
             values mean the tile held something else: padding not written as 0 (values left \
             from the previous step). (A race, a missing __syncthreads(), the emulator reports \
             itself: it runs every launch twice, in two orders of the threads.)",
            naive[[i, j]]
        );
    }
}

#[test]
fn cityblock_tiled_with_no_coordinates_gives_zeros() {
    let (x, y) = (points(70, 0, 1), points(10, 0, 2));
    let r = emulator::pairwise(Pairwise::CityblockTiled, x.view(), y.view())
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        r.iter().all(|&value| value == 0.0) && r.dim() == (70, 10),
        "with d = 0 every distance is 0: the k loop runs no step, the store still runs"
    );
}

#[test]
fn cityblock_tiled_compiles_to_ptx_with_shared_memory_and_a_barrier() {
    if !nvrtc::nvrtc_or_skip() {
        return;
    }
    let ptx = nvrtc::ptx_text(&CITYBLOCK_TILED).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        ptx.contains(".entry cityblock_tiled"),
        "src/cuda/cityblock_tiled.cu must define `extern \"C\" __global__ void cityblock_tiled`"
    );
    assert!(
        ptx.contains(".shared"),
        "the PTX declares no shared memory: stage the tiles of x and y in `__shared__` arrays"
    );
    assert!(
        ptx.contains("bar.sync") || ptx.contains("barrier.sync"),
        "the PTX has no barrier: the block must `__syncthreads()` after staging a tile (before \
         reading it) and after using it (before the next step overwrites it)"
    );
    assert!(
        ptx.contains("st.global.f64"),
        "the PTX stores nothing to r: is the kernel still a TODO?"
    );
    // Machine code for the A100 and the H100, as Gpu::new makes for its GPU: ptxas
    // refuses a tile that needs more shared memory or registers than they have.
    nvrtc::check_limits(&CITYBLOCK_TILED).unwrap_or_else(|error| panic!("{error}"));
}
