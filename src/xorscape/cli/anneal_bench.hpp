#pragma once
// xorscape-anneal --bench: runs the whole experiment without writing anything and prints the
// training epochs per second.
#include "xorscape/annealing/experiment_job.hpp"
#include "xorscape/cli/cli.hpp"

namespace xorscape::cli {

// Status 0, or 130 (and nothing printed but the stop) after SIGINT/SIGTERM.
int run_anneal_bench(const Tool& tool, annealing::ExperimentJob& job);

}  // namespace xorscape::cli
