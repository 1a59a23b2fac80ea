#include "xorscape/cli/runner.hpp"

#include <unistd.h>

#include <iostream>

#include "xorscape/core/ranks.hpp"

namespace xorscape::cli {

namespace runner_detail {

void attach_progress(const Tool& tool) {
  if (ranks::is_root()) tool.control().set_progress_sink(tool.progress().sink());
}

void finish_progress(const Tool& tool) {
  if (ranks::is_root()) tool.progress().finish();
}

void note(const Tool& tool, const std::string& message) {
  if (ranks::is_root()) std::cerr << tool.name() << ": " << message << '\n';
}

bool is_root() { return ranks::is_root(); }
bool any_rank(bool flag) { return ranks::any(flag); }

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO); }

}  // namespace runner_detail

int stopped(const Tool& tool) {
  tool.progress().finish();
  runner_detail::note(tool, "stopped by a signal; nothing was written");
  return kExitStopped;
}

}  // namespace xorscape::cli
