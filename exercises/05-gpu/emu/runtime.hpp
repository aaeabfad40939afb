// The emulator's launch, shared by runtime.cpp and launchers.cpp (given code).
#pragma once

#include <functional>

#include "cuda_emu.hpp"

// A launch's shape, as the Rust side passes it (`emulator::Launch`).
struct EmuLaunch {
    unsigned grid_x, grid_y, block_x, block_y;
};

enum EmuStatus {
    EMU_OK = 0,
    EMU_DIVERGENT_SYNCTHREADS = 1,
    EMU_EXCEPTION = 2,
    EMU_NOT_COMPILED = 3,
};

// The body of a kernel whose file did not compile (see build.rs): it makes
// the launch report EMU_NOT_COMPILED.
[[noreturn]] void emu_not_compiled();

// Runs `kernel` on every thread of every block of `launch`; an EmuStatus.
int emu_run(const EmuLaunch& launch, const std::function<void()>& kernel);
