#pragma once
// xorscape-train --bench: full-batch gradient-descent epochs per second of the reference path
// and of every SIMD level of the training kernel, on one thread and on --threads (stdout).
#include "xorscape/cli/cli.hpp"
#include "xorscape/training/training.hpp"

namespace xorscape::cli {

// Reads --bench-epochs; returns the exit status (kExitStopped after SIGINT/SIGTERM).
int run_train_bench(const Tool& tool, const TrainSpec& base);

}  // namespace xorscape::cli
