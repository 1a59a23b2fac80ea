#include "xorscape/cli/runner.hpp"

#include <unistd.h>

#include <iostream>

namespace xorscape::cli {

namespace runner_detail {

void attach_progress(const Tool& tool) { tool.control().set_progress_sink(tool.progress().sink()); }

void finish_progress(const Tool& tool) { tool.progress().finish(); }

void note(const Tool& tool, const std::string& message) { std::cerr << tool.name() << ": " << message << '\n'; }

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO); }

}  // namespace runner_detail

int stopped(const Tool& tool) {
  tool.progress().finish();
  runner_detail::note(tool, "stopped by a signal; nothing was written");
  return kExitStopped;
}

}  // namespace xorscape::cli
