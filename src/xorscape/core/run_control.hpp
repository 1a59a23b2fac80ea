#pragma once
// RunControl: the one object every long computation receives. It answers "stop now?" and
// receives progress ("done of total"). There are no global flags in the library: a computation
// polls it inside its loops (often enough that a stop is honoured within a second) and leaves
// its state consistent when it returns early; it reports control.progress(done, total) from any
// thread. Two questions, because a checkpoint deadline must never cost work:
//   stop_requested()  stop at the next point where the state can be saved without losing work
//                     (a boundary between work units, or anywhere for a job whose state is
//                     saveable at any step); true for a due checkpoint as for an interruption
//   interrupted()     stop even inside a work unit, which is then dropped and redone after
//                     --resume; true only for a signal or request_stop(), never for a deadline
//                     (a unit longer than the checkpoint interval must still finish)
//
// What makes stop_requested() true:
//   request_stop()            a caller (tests, a "stop after N units" aid, an error elsewhere)
//   a deadline                set_deadline(): the runner's periodic checkpoints
//   SIGINT / SIGTERM          watch_signals(true) after install_signal_handlers() (cli layer)
// A default-constructed RunControl never stops and discards progress.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>

namespace xorscape {

class RunControl {
 public:
  using Clock = std::chrono::steady_clock;
  // Receives (done, total) in the computation's own units; called one at a time.
  using ProgressSink = std::function<void(double done, double total)>;

  RunControl() = default;
  explicit RunControl(ProgressSink sink) : sink_(std::move(sink)) {}
  RunControl(const RunControl&) = delete;
  RunControl& operator=(const RunControl&) = delete;

  // Thread-safe and cheap (two relaxed loads, and a clock read only while a deadline is set).
  bool stop_requested() const noexcept {
    if (requested_.load(std::memory_order_relaxed)) return true;
    if (watch_signals_ && signal_received()) return true;
    return has_deadline_.load(std::memory_order_relaxed) && Clock::now() >= deadline_;
  }
  // Thread-safe; stays requested until clear_stop().
  void request_stop() const noexcept { requested_.store(true, std::memory_order_relaxed); }
  void clear_stop() noexcept { requested_.store(false, std::memory_order_relaxed); }

  // Stop at this time (a checkpoint is due); set and cleared between calls into a computation.
  void set_deadline(Clock::time_point deadline) noexcept {
    deadline_ = deadline;
    has_deadline_.store(true, std::memory_order_relaxed);
  }
  void clear_deadline() noexcept { has_deadline_.store(false, std::memory_order_relaxed); }

  // Also stop when SIGINT or SIGTERM arrived (install_signal_handlers() must have run).
  void watch_signals(bool watch) noexcept { watch_signals_ = watch; }
  // True when the stop came from a signal or request_stop() rather than the deadline.
  bool interrupted() const noexcept {
    return requested_.load(std::memory_order_relaxed) || (watch_signals_ && signal_received());
  }

  // Thread-safe: calls are serialised. Progress never stops or slows a computation by more
  // than the sink's own cost (the terminal display redraws at most a few times a second).
  void progress(double done, double total) const {
    if (!sink_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    sink_(done, total);
  }
  void set_progress_sink(ProgressSink sink) { sink_ = std::move(sink); }

  // The process-wide signal flag. The handlers only set an atomic flag (async-signal-safe).
  static void install_signal_handlers();
  static bool signal_received() noexcept;
  static void clear_signal() noexcept;  // for tests

 private:
  mutable std::atomic<bool> requested_{false};
  std::atomic<bool> has_deadline_{false};
  Clock::time_point deadline_{};
  bool watch_signals_ = false;
  ProgressSink sink_;
  mutable std::mutex mutex_;
};

}  // namespace xorscape
