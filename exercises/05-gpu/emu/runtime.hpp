// The emulator's launch, shared by runtime.cpp and launchers.cpp (given code).
#pragma once

#include <functional>

#include "cuda_emu.hpp"

// A launch, as the Rust side passes it (`emulator::EmuLaunch`): its shape,
// the seed of the order of the blocks, and which of the two runs it is, in;
// where a thread faulted, out.
struct EmuLaunch {
    unsigned grid_x, grid_y, block_x, block_y;
    // The blocks run in an order shuffled from this seed.
    unsigned long long seed;
    // Set when the status is EMU_FAULT: the address a thread touched, and
    // that thread's block and thread index.
    unsigned long long fault_address;
    unsigned fault_block_x, fault_block_y, fault_thread_x, fault_thread_y;
    // Not 0: the threads of a block take their turns from the last to the
    // first (the second of the two runs the Rust side compares).
    unsigned reversed;
};

enum EmuStatus {
    EMU_OK = 0,
    EMU_DIVERGENT_SYNCTHREADS = 1,
    EMU_EXCEPTION = 2,
    EMU_NOT_COMPILED = 3,
    // A thread read or wrote memory it may not touch (the guard pages past an
    // input's end, or no memory at all).
    EMU_FAULT = 4,
};

// The body of a kernel whose file did not compile (see build.rs): it makes
// the launch report EMU_NOT_COMPILED.
[[noreturn]] void emu_not_compiled();

// Runs `kernel` on every thread of every block of `launch`; an EmuStatus.
int emu_run(EmuLaunch& launch, const std::function<void()>& kernel);
