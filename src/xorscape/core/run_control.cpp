#include "xorscape/core/run_control.hpp"

#include <csignal>

namespace xorscape {
namespace {
std::atomic<bool> signal_flag{false};
extern "C" void on_stop_signal(int) { signal_flag.store(true, std::memory_order_relaxed); }
}  // namespace

void RunControl::install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}
bool RunControl::signal_received() noexcept { return signal_flag.load(std::memory_order_relaxed); }
void RunControl::clear_signal() noexcept { signal_flag.store(false, std::memory_order_relaxed); }

}  // namespace xorscape
