#pragma once
// The options of xorscape-train and their reading into a training plan (docs/xorscape-train.md).
#include "xorscape/cli/cli.hpp"
#include "xorscape/cli/network_options.hpp"
#include "xorscape/training/training_job.hpp"

namespace xorscape::cli {

// n_h 1..4096, hidden sigmoid | tanh | relu, output sigmoid | tanh | identity.
NetworkChoices train_network_choices();
void add_train_options(Tool& tool);
// Every option checked, the memory the runs need included; throws UsageError naming the option at fault.
training::TrainingPlan read_training_plan(const Tool& tool, const NetworkOptions& network);

}  // namespace xorscape::cli
