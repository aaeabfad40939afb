//! Exercise 8: transfers and timing (src/transfers.rs).
//! Run: cargo test -p gpu --test transfers
//! On a machine with a GPU: cargo test -p gpu --test transfers -- --include-ignored
//!
//! No timing is asserted: times are for the benchmarks. These tests check
//! the arithmetic of the report, and that the copies and events work.

use gpu::transfers::{HostMemory, gb_per_s, transfer_share};
use gpu::{Gpu, Pairwise, testing::points};

#[test]
fn gb_per_s_is_bytes_per_second_in_units_of_a_billion() {
    assert_eq!(gb_per_s(1_000_000_000, 1000.0), 1.0, "1 GB in 1 s");
    assert_eq!(gb_per_s(8_000_000_000, 500.0), 16.0, "8 GB in 0.5 s");
    assert_eq!(
        gb_per_s(200_000_000, 4.0),
        50.0,
        "the 5000 × 5000 doubles of r (200 MB) in 4 ms"
    );
    assert_eq!(
        gb_per_s(1024, 0.0),
        0.0,
        "no time measured: report 0, not infinity"
    );
}

#[test]
fn transfer_share_is_the_copies_part_of_the_total() {
    assert_eq!(transfer_share(3.0, 1.0), 0.75);
    assert_eq!(transfer_share(0.0, 5.0), 0.0, "no copies");
    assert_eq!(transfer_share(2.0, 0.0), 1.0, "nothing but copies");
    assert_eq!(transfer_share(0.0, 0.0), 0.0, "nothing at all: 0, not NaN");
}

fn gpu() -> Gpu {
    Gpu::new().unwrap_or_else(|error| panic!("{error}"))
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn round_trips_through_pageable_and_pinned_memory_copy_every_bit() {
    let gpu = gpu();
    let data: Vec<f64> = points(1000, 33, 24).into_iter().collect();
    for memory in [HostMemory::Pageable, HostMemory::Pinned] {
        assert_eq!(
            gpu.round_trip(&data, memory).unwrap(),
            data,
            "{memory:?}: a copy there and back changes nothing"
        );
    }
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn events_time_the_gpu_work_between_them() {
    let gpu = gpu();
    let (x, y) = (points(2000, 50, 25), points(2000, 50, 26));
    let (xd, yd) = (gpu.upload(x.view()).unwrap(), gpu.upload(y.view()).unwrap());
    let (r, ms) = gpu
        .time_ms(|gpu| gpu.pairwise(Pairwise::CityblockNaive, &xd, &yd))
        .unwrap();
    assert!(ms > 0.0, "a 2000 × 2000 launch takes some time: {ms} ms");
    assert_eq!(r.shape(), (2000, 2000));
    for memory in [HostMemory::Pageable, HostMemory::Pinned] {
        let timing = gpu.time_transfers(1 << 20, memory).unwrap();
        assert!(timing.to_device_ms > 0.0 && timing.to_host_ms > 0.0);
        println!(
            "{memory:?}: {:.1} GB/s to the GPU, {:.1} GB/s back",
            gb_per_s(timing.bytes, timing.to_device_ms),
            gb_per_s(timing.bytes, timing.to_host_ms)
        );
    }
}

#[test]
#[ignore = "needs a CUDA GPU"]
fn memory_freed_before_a_synchronize_stays_in_the_pool_for_the_next_sample() {
    let gpu = gpu();
    let Some(before) = gpu.pool_reserved_bytes().unwrap() else {
        println!(
            "{}: no memory pools (cudarc uses cuMemAlloc): nothing to check",
            gpu.name()
        );
        return;
    };
    let bytes = 64 << 20;
    // The given `upload_vector`: 64 MiB from the pool, freed when dropped.
    drop(gpu.upload_vector(&vec![1.0; bytes / 8]).unwrap());
    // A timed sample ends with a synchronisation, where a pool with the
    // default release threshold (0) returns its free memory to the driver.
    gpu.synchronize().unwrap();
    let after = gpu.pool_reserved_bytes().unwrap().unwrap_or(0);
    assert!(
        after >= bytes as u64,
        "the pool held {before} bytes, then 64 MiB were allocated and freed, and after a \
         synchronize it holds {after}: it gave the memory back, so the next timed sample would \
         map it again. Gpu::new sets the pool's release threshold to keep it"
    );
}
