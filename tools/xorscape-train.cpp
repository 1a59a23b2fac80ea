// xorscape-train: trains the XOR network (Figures 2-4 of the dissecting paper): single runs,
// many seeds in parallel, learning-rate sweeps x seeds, and a benchmark of the GD hot path.
#include "xorscape/cli/runner.hpp"
#include "xorscape/cli/train_bench.hpp"
#include "xorscape/cli/train_options.hpp"
#include "xorscape/training/training_file.hpp"

using namespace xorscape;

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-train", "train the 2-n_h-1 XOR network: loss, parameter and activation traces, "
                                   "power-law exponent, learning-rate sweeps (Figs 2-4)", "train.h5");
  tool.enable_resume();
  const cli::NetworkOptions network(tool, cli::train_network_choices());
  cli::add_train_options(tool);
  return tool.run(argc, argv, [&] {
    training::TrainingPlan plan = cli::read_training_plan(tool, network);
    if (tool.get<bool>("bench")) return cli::run_train_bench(tool, plan.spec);
    training::TrainingJob job(std::move(plan));
    return cli::run_job(tool, job, [&](const h5::Group& root) { training::write_training(root, job); });
  });
}
