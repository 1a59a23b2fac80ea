#include "xorscape/core/run_control.hpp"

#include <atomic>
#include <csignal>

namespace xorscape {
namespace {
std::atomic<bool> stop_flag{false};
extern "C" void on_stop_signal(int) { stop_flag.store(true, std::memory_order_relaxed); }
}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}
void request_stop() { stop_flag.store(true, std::memory_order_relaxed); }
bool stop_requested() { return stop_flag.load(std::memory_order_relaxed); }
void clear_stop_request() { stop_flag.store(false, std::memory_order_relaxed); }

}  // namespace xorscape
