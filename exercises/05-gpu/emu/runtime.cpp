// The emulator's launch: every block in turn, every thread of a block on an
// OS thread (given code). See cuda_emu.hpp.
#include "runtime.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

thread_local uint3 threadIdx;
thread_local uint3 blockIdx;
thread_local dim3 blockDim;
thread_local dim3 gridDim;

namespace {

struct Diverged {};
struct NotCompiled {};

// The block's barrier. A thread that returns while others wait at the
// barrier (or arrives after some have returned) is a divergent
// __syncthreads: the launch stops and reports it instead of hanging.
class BlockBarrier {
  public:
    explicit BlockBarrier(unsigned threads) : threads_(threads) {}

    void sync() {
        std::unique_lock<std::mutex> lock(mutex_);
        if (diverged_ || exited_ > 0) {
            diverge();
        }
        const unsigned long generation = generation_;
        if (++arrived_ == threads_) {
            arrived_ = 0;
            ++generation_;
            changed_.notify_all();
            return;
        }
        const bool released = changed_.wait_for(lock, std::chrono::seconds(60), [&] {
            return generation_ != generation || diverged_;
        });
        if (!released || diverged_) {
            diverge();
        }
    }

    void exit() {
        std::lock_guard<std::mutex> lock(mutex_);
        ++exited_;
        if (arrived_ > 0) {
            diverged_ = true;
            changed_.notify_all();
        }
    }

  private:
    [[noreturn]] void diverge() {
        diverged_ = true;
        changed_.notify_all();
        throw Diverged{};
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    const unsigned threads_;
    unsigned arrived_ = 0;
    unsigned exited_ = 0;
    unsigned long generation_ = 0;
    bool diverged_ = false;
};

thread_local BlockBarrier* current_block = nullptr;

}  // namespace

void __syncthreads() { current_block->sync(); }

void emu_not_compiled() { throw NotCompiled{}; }

int emu_run(const EmuLaunch& launch, const std::function<void()>& kernel) {
    // __shared__ arrays are statics, one per kernel for the whole process: two
    // launches at once (two tests on two threads) would share them. One launch
    // at a time, then, as one block at a time within a launch.
    static std::mutex one_launch_at_a_time;
    std::lock_guard<std::mutex> launching(one_launch_at_a_time);
    const dim3 grid{launch.grid_x, launch.grid_y, 1};
    const dim3 block{launch.block_x, launch.block_y, 1};
    for (unsigned by = 0; by < grid.y; ++by) {
        for (unsigned bx = 0; bx < grid.x; ++bx) {
            BlockBarrier barrier(block.x * block.y);
            int status = EMU_OK;
            std::mutex status_mutex;
            std::vector<std::thread> threads;
            threads.reserve(block.x * block.y);
            for (unsigned ty = 0; ty < block.y; ++ty) {
                for (unsigned tx = 0; tx < block.x; ++tx) {
                    threads.emplace_back([&, tx, ty, bx, by] {
                        threadIdx = uint3{tx, ty, 0};
                        blockIdx = uint3{bx, by, 0};
                        blockDim = block;
                        gridDim = grid;
                        current_block = &barrier;
                        int outcome = EMU_OK;
                        try {
                            kernel();
                        } catch (const Diverged&) {
                            outcome = EMU_DIVERGENT_SYNCTHREADS;
                        } catch (const NotCompiled&) {
                            outcome = EMU_NOT_COMPILED;
                        } catch (...) {
                            outcome = EMU_EXCEPTION;
                        }
                        barrier.exit();
                        if (outcome != EMU_OK) {
                            std::lock_guard<std::mutex> lock(status_mutex);
                            status = outcome;
                        }
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
    }
    return EMU_OK;
}
