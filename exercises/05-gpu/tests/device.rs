//! Exercise 2: is there a GPU? (src/device.rs)
//! Run: cargo test -p gpu --test device
//!
//! The test asks the system itself whether the CUDA driver library loads (with
//! `dlopen`, not through cudarc), and checks that `cuda_available` gives the
//! same answer: so a constant answer fails on one kind of machine or the
//! other, and a panic fails on both.

use std::ffi::CStr;
use std::panic::catch_unwind;

use gpu::GpuError;
use gpu::device::cuda_available;

/// The names the NVIDIA driver installs its library under: the versioned
/// name every driver package has, and the development link some add.
const DRIVER_LIBRARIES: [&CStr; 2] = [c"libcuda.so.1", c"libcuda.so"];

/// Whether the system's dynamic loader finds and loads the CUDA driver
/// library: the test's own probe, independent of cudarc's.
fn driver_loads() -> bool {
    DRIVER_LIBRARIES.iter().any(|name| {
        // SAFETY: `name` is a NUL-terminated string. Loading libcuda runs the
        // NVIDIA driver's initialisers, meant to run in any process that uses
        // CUDA; RTLD_LOCAL keeps its symbols out of the process's namespace,
        // and the handle is closed at once, with nothing of the library kept.
        unsafe {
            let handle = libc::dlopen(name.as_ptr(), libc::RTLD_LAZY | libc::RTLD_LOCAL);
            let loaded = !handle.is_null();
            if loaded {
                libc::dlclose(handle);
            }
            loaded
        }
    })
}

/// The answer `cuda_available` owes, given whether the driver library loads.
fn expected_answer(loads: bool) -> Result<(), GpuError> {
    if loads {
        Ok(())
    } else {
        Err(GpuError::NoCudaDriver)
    }
}

/// What the system's loader says about the driver, in words for messages.
fn what_the_loader_says(loads: bool) -> &'static str {
    if loads {
        "the dynamic loader finds and loads libcuda on this machine"
    } else {
        "the dynamic loader finds no libcuda on this machine (no NVIDIA driver)"
    }
}

#[test]
fn cuda_available_agrees_with_the_system_loader() {
    let loads = driver_loads();
    let answer = catch_unwind(cuda_available).unwrap_or_else(|_| {
        panic!(
            "cuda_available panicked, and {}: it must answer with a Result, never panic, \
             so ask whether the driver library is there before anything else in cudarc",
            what_the_loader_says(loads)
        )
    });
    assert_eq!(
        answer,
        expected_answer(loads),
        "{}: cuda_available must say so. It should not decide without asking: the answer \
         differs from one machine to the next",
        what_the_loader_says(loads)
    );
    match answer {
        Ok(()) => println!("libcuda loads: this machine has a CUDA driver"),
        Err(error) => println!("{error}"),
    }
}

#[test]
fn cuda_available_gives_the_same_answer_twice() {
    let first = catch_unwind(cuda_available)
        .unwrap_or_else(|_| panic!("cuda_available panicked: it must answer with a Result"));
    assert_eq!(
        first,
        cuda_available(),
        "the probe loads and drops libcuda; asking again changes nothing"
    );
    let loads = driver_loads();
    assert_eq!(
        first,
        expected_answer(loads),
        "{}",
        what_the_loader_says(loads)
    );
}
