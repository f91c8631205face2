// sqlitegraph/pager/writer_gate.hpp — the one-writer-at-a-time gate.
//
// A flag guarded by a mutex and a condition variable rather than a
// std::timed_mutex: the gate is held for a whole write transaction, may be
// released by a different call path than the one that took it, and must be
// understood by ThreadSanitizer (which does not model timed mutex waits).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace sqlitegraph {

class writer_gate {
  public:
    bool try_acquire_for(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!released_.wait_for(lock, timeout, [this] { return !held_; })) return false;
        held_ = true;
        return true;
    }

    void acquire() {
        std::unique_lock lock(mutex_);
        released_.wait(lock, [this] { return !held_; });
        held_ = true;
    }

    void release() {
        {
            std::lock_guard lock(mutex_);
            held_ = false;
        }
        released_.notify_one();
    }

  private:
    std::mutex mutex_;
    std::condition_variable released_;
    bool held_ = false;
};

// Owns the gate for a scope or a transaction (movable, like unique_lock).
class writer_lock {
  public:
    writer_lock() = default;
    explicit writer_lock(writer_gate& gate) : gate_(&gate) {}
    writer_lock(writer_lock&& other) noexcept : gate_(other.gate_), owns_(std::exchange(other.owns_, false)) {}
    writer_lock& operator=(writer_lock&& other) noexcept {
        if (this != &other) {
            unlock();
            gate_ = other.gate_;
            owns_ = std::exchange(other.owns_, false);
        }
        return *this;
    }
    writer_lock(const writer_lock&) = delete;
    writer_lock& operator=(const writer_lock&) = delete;
    ~writer_lock() { unlock(); }

    bool try_lock_for(std::chrono::milliseconds timeout) { return owns_ = gate_->try_acquire_for(timeout); }
    void lock() {
        gate_->acquire();
        owns_ = true;
    }
    void unlock() noexcept {
        if (owns_) gate_->release();
        owns_ = false;
    }
    [[nodiscard]] bool owns_lock() const noexcept { return owns_; }

  private:
    writer_gate* gate_ = nullptr;
    bool owns_ = false;
};

} // namespace sqlitegraph
