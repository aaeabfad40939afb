// The emulator's launch: every block in turn, in a shuffled order, every
// thread of a block on an OS thread, one thread at a time from barrier to
// barrier (given code). See cuda_emu.hpp.
//
// It is hostile on purpose, so that a kernel that only works by luck fails
// here rather than on the GPU: blocks run in an order shuffled from a seed
// (a GPU promises no order), the threads of a block run in one order in a
// first run and in the reverse in a second (so that a race gives two
// results), shared memory starts full of NaN in every block (a GPU leaves
// it uninitialised), and a thread that touches memory outside the buffers
// (the Rust side puts inaccessible guard pages past each input) stops the
// launch with the address instead of reading whatever is there.
#include "runtime.hpp"

#include <setjmp.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

thread_local uint3 threadIdx;
thread_local uint3 blockIdx;
thread_local dim3 blockDim;
thread_local dim3 gridDim;

// The bounds of the section that holds every __shared__ array (cuda_emu.hpp),
// which the linker provides. Weak: with no __shared__ array anywhere they are
// null.
#if defined(__APPLE__)
extern char emu_shared_begin[] __asm("section$start$__DATA$__emu_shared");
extern char emu_shared_end[] __asm("section$end$__DATA$__emu_shared");
#else
extern "C" char __start_emu_shared[] __attribute__((weak));
extern "C" char __stop_emu_shared[] __attribute__((weak));
#define emu_shared_begin __start_emu_shared
#define emu_shared_end __stop_emu_shared
#endif

namespace {

struct Diverged {};
struct NotCompiled {};

// The threads of a block, run one at a time. Each runs until it reaches a
// __syncthreads() or returns, then hands over to the next thread: in the
// order of their numbers (threadIdx.y * blockDim.x + threadIdx.x) in the
// first run of a launch, in the reverse order in the second. So a run is the
// same every time, a correct kernel gives the same bits in both, and a
// missing barrier does not: a thread that reads what others write in the
// same phase (the stretch between two barriers) sees the writes of the
// threads numbered below it in one run, of those above it in the other, and
// the two runs differ, which the Rust side reports as a race. (Threads left
// to the OS scheduler race too, but on a machine with few cores they mostly
// run in the order they were started, and the same wrong result can come
// back twice.)
//
// A thread that returns while others wait at the barrier (or arrives after
// some have returned) is a divergent __syncthreads: the launch stops and
// reports it instead of hanging.
class Block {
  public:
    Block(unsigned threads, bool reversed)
        : threads_(threads), reversed_(reversed), turn_(threads) {}

    // Before the kernel: waits for the thread's first turn.
    void start(unsigned me) {
        std::unique_lock<std::mutex> lock(mutex_);
        wait_for_turn(lock, me);
    }

    // __syncthreads(): hands over, and waits for the thread's turn in the
    // next phase.
    void sync(unsigned me) {
        std::unique_lock<std::mutex> lock(mutex_);
        ++arrived_;
        hand_over();
        wait_for_turn(lock, me);
    }

    // After the kernel (returned, threw or faulted): hands over for good.
    void exit() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (diverged_) {
            return;  // the phases are over: the others are leaving too
        }
        ++exited_;
        hand_over();
    }

  private:
    // The thread that runs `position` turns into a phase.
    unsigned nth(unsigned position) const {
        return reversed_ ? threads_ - 1 - position : position;
    }
    unsigned first() const { return nth(0); }

    // The running thread stops: the next one of the phase runs, or the
    // phase ends.
    void hand_over() {
        if (++position_ < threads_) {
            turn_[nth(position_)].notify_one();
            return;
        }
        if (arrived_ == 0) {
            return;  // every thread returned: the block is done
        }
        if (exited_ > 0) {
            diverged_ = true;
            for (auto& turn : turn_) {
                turn.notify_one();
            }
            return;
        }
        // Every thread waits at the barrier: the next phase.
        arrived_ = 0;
        position_ = 0;
        turn_[first()].notify_one();
    }

    void wait_for_turn(std::unique_lock<std::mutex>& lock, unsigned me) {
        turn_[me].wait(lock, [&] {
            return diverged_ || (position_ < threads_ && nth(position_) == me);
        });
        if (diverged_) {
            throw Diverged{};
        }
    }

    std::mutex mutex_;
    const unsigned threads_;
    const bool reversed_;
    // One condition per thread: a hand-over wakes only the next thread.
    std::vector<std::condition_variable> turn_;
    unsigned position_ = 0;
    unsigned arrived_ = 0;
    unsigned exited_ = 0;
    bool diverged_ = false;
};

thread_local Block* current_block = nullptr;
thread_local unsigned current_thread = 0;

// --- Faults: a thread of a kernel that touches memory it may not ----------

// Where the current thread jumps back to when its kernel code faults; null
// while it runs anything else (and in every thread that is not a kernel's).
thread_local sigjmp_buf* fault_return = nullptr;
thread_local void* fault_address = nullptr;

struct sigaction previous_segv;
struct sigaction previous_bus;

void on_fault(int signal, siginfo_t* info, void*) {
    sigjmp_buf* back = fault_return;
    if (back == nullptr) {
        // Not a kernel's thread: give the fault back to the handler that was
        // there before (Rust's, which reports a stack overflow) or to the
        // default, which ends the process. Returning runs the faulting
        // instruction again, and it faults into that handler.
        sigaction(signal, signal == SIGBUS ? &previous_bus : &previous_segv, nullptr);
        return;
    }
    fault_return = nullptr;
    fault_address = info->si_addr;
    // Back into run_thread, which reports the fault: the kernel's frames are
    // plain C, with nothing to destroy.
    siglongjmp(*back, 1);
}

void install_fault_handler() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action;
        std::memset(&action, 0, sizeof action);
        action.sa_sigaction = on_fault;
        // SA_ONSTACK: on a thread of Rust's that overflows its stack, the
        // handler needs the alternate stack Rust set up for it.
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        sigaction(SIGSEGV, &action, &previous_segv);
        sigaction(SIGBUS, &action, &previous_bus);
    });
}

// One thread's run of the kernel, as an EmuStatus.
int run_thread(const std::function<void()>& kernel) {
    sigjmp_buf back;
    if (sigsetjmp(back, 1) != 0) {
        return EMU_FAULT;
    }
    fault_return = &back;
    int outcome = EMU_OK;
    try {
        current_block->start(current_thread);
        kernel();
    } catch (const Diverged&) {
        outcome = EMU_DIVERGENT_SYNCTHREADS;
    } catch (const NotCompiled&) {
        outcome = EMU_NOT_COMPILED;
    } catch (...) {
        outcome = EMU_EXCEPTION;
    }
    fault_return = nullptr;
    return outcome;
}

// --- Shared memory and block order ------------------------------------------

// A signalling NaN as a double, and as either of its 32-bit halves read as a
// float. The Rust side recognises its payload in an output
// (emulator::SHARED_POISON).
const std::uint64_t SHARED_POISON = 0x7ff4'0000'7fa0'0000ULL;

// Fills every __shared__ array with SHARED_POISON, before each block.
void poison_shared_memory() {
    char* begin = emu_shared_begin;
    char* end = emu_shared_end;
    if (begin == nullptr || end <= begin) {
        return;
    }
    for (char* at = begin; at < end; at += sizeof SHARED_POISON) {
        const std::size_t bytes =
            std::min<std::size_t>(sizeof SHARED_POISON, static_cast<std::size_t>(end - at));
        std::memcpy(at, &SHARED_POISON, bytes);
    }
}

// splitmix64: a small, good generator, the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e37'79b9'7f4a'7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58'476d'1ce4'e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d0'49bb'1331'11ebULL;
    return z ^ (z >> 31);
}

// Every block (x, y) of the grid, in an order shuffled from `seed`.
std::vector<std::pair<unsigned, unsigned>> block_order(const dim3& grid, std::uint64_t seed) {
    std::vector<std::pair<unsigned, unsigned>> blocks;
    blocks.reserve(static_cast<std::size_t>(grid.x) * grid.y);
    for (unsigned by = 0; by < grid.y; ++by) {
        for (unsigned bx = 0; bx < grid.x; ++bx) {
            blocks.emplace_back(bx, by);
        }
    }
    std::uint64_t state = seed;
    for (std::size_t left = blocks.size(); left > 1; --left) {
        std::swap(blocks[left - 1], blocks[next_random(state) % left]);
    }
    return blocks;
}

}  // namespace

void __syncthreads() { current_block->sync(current_thread); }

void emu_not_compiled() { throw NotCompiled{}; }

int emu_run(EmuLaunch& launch, const std::function<void()>& kernel) {
    // __shared__ arrays are statics, one per kernel for the whole process: two
    // launches at once (two tests on two threads) would share them. One launch
    // at a time, then, as one block at a time within a launch.
    static std::mutex one_launch_at_a_time;
    std::lock_guard<std::mutex> launching(one_launch_at_a_time);
    install_fault_handler();
    const dim3 grid{launch.grid_x, launch.grid_y, 1};
    const dim3 block{launch.block_x, launch.block_y, 1};
    for (const auto& [bx, by] : block_order(grid, launch.seed)) {
        poison_shared_memory();
        Block threads_of_block(block.x * block.y, launch.reversed != 0);
        // The launch's outcome: the most telling of its threads' (a fault
        // makes the other threads of the block diverge at the barrier).
        int status = EMU_OK;
        std::mutex status_mutex;
        std::vector<std::thread> threads;
        threads.reserve(block.x * block.y);
        for (unsigned ty = 0; ty < block.y; ++ty) {
            for (unsigned tx = 0; tx < block.x; ++tx) {
                threads.emplace_back([&, tx, ty, bx = bx, by = by] {
                    threadIdx = uint3{tx, ty, 0};
                    blockIdx = uint3{bx, by, 0};
                    blockDim = block;
                    gridDim = grid;
                    current_block = &threads_of_block;
                    current_thread = ty * block.x + tx;
                    const int outcome = run_thread(kernel);
                    threads_of_block.exit();
                    if (outcome == EMU_OK) {
                        return;
                    }
                    std::lock_guard<std::mutex> lock(status_mutex);
                    if (outcome == EMU_FAULT && status != EMU_FAULT) {
                        launch.fault_address =
                            static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(fault_address));
                        launch.fault_block_x = bx;
                        launch.fault_block_y = by;
                        launch.fault_thread_x = tx;
                        launch.fault_thread_y = ty;
                    }
                    status = std::max(status, outcome);
                });
            }
        }
        for (auto& thread : threads) {
            thread.join();
        }
        if (status != EMU_OK) {
            return status;
        }
    }
    return EMU_OK;
}
