#pragma once
// The options of xorscape-anneal and their reading into an experiment (docs/xorscape-anneal.md).
#include "xorscape/annealing/annealing.hpp"
#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/network_options.hpp"

namespace xorscape::cli {

// The network options with the trial runner's defaults: n_h 2, sigmoid, output "same", xor-centered.
NetworkChoices anneal_network_choices();
void add_anneal_options(Tool& tool);

struct AnnealSettings {
  annealing::ExperimentSpec experiment;
  bool bench = false;  // time the experiment, write nothing
  bool quiet = false;  // no summary table
  long long stop_after_units = 0;  // testing aid (ExperimentJob::stop_after)
};
// Throws UsageError naming the option at fault; checks the memory the runs and traces need.
AnnealSettings read_anneal_settings(const Tool& tool, const NetworkOptions& network);

}  // namespace xorscape::cli
