#pragma once
// The options of xorscape-converge and their reading into a sweep (docs/xorscape-converge.md).
#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/network_options.hpp"
#include "xorscape/training/converge.hpp"

namespace xorscape::cli {

void add_converge_options(Tool& tool);
// Throws UsageError naming the option at fault.
training::ConvergeSweep read_converge_sweep(const Tool& tool, const NetworkOptions& network);

}  // namespace xorscape::cli
