//! Exercise 2: is there a GPU? (src/device.rs)
//! Run: cargo test -p gpu --test device
//!
//! Passes with a GPU and without one: what it checks is that the answer is a
//! `Result`, never a panic.

use std::panic::catch_unwind;

use gpu::GpuError;
use gpu::device::cuda_available;

#[test]
fn cuda_available_answers_with_a_result_instead_of_panicking() {
    let answer = catch_unwind(cuda_available).unwrap_or_else(|_| {
        panic!(
            "cuda_available panicked: it must return Err(GpuError::NoCudaDriver) when libcuda \
             is missing (ask `is_culib_present()` before anything else in cudarc), and Ok(()) \
             when it is there"
        )
    });
    match answer {
        Ok(()) => println!("libcuda loads: this machine has a CUDA driver"),
        Err(error) => {
            assert_eq!(
                error,
                GpuError::NoCudaDriver,
                "the only reason to refuse is a missing driver"
            );
            println!("{error}");
        }
    }
}

#[test]
fn cuda_available_gives_the_same_answer_twice() {
    assert_eq!(
        cuda_available(),
        cuda_available(),
        "the probe loads and drops libcuda; asking again changes nothing"
    );
}
