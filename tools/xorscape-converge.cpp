// xorscape-converge: epoch of convergence tau_conv when one parameter of a solution starts
// shifted by Delta and the others at their optimum (Figure 5 of the dissecting paper).
#include "xorscape/cli/converge_options.hpp"
#include "xorscape/cli/runner.hpp"
#include "xorscape/training/training_file.hpp"

using namespace xorscape;

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-converge",
                 "epoch of convergence from a solution with one parameter shifted by Delta (Fig 5)", "converge.h5");
  tool.enable_resume();
  const cli::NetworkOptions network(tool);
  cli::add_converge_options(tool);
  return tool.run(argc, argv, [&] {
    training::ConvergeJob job(cli::read_converge_sweep(tool, network));
    return cli::run_job(tool, job, [&](const h5::Group& root) { training::write_converge(root, job); });
  });
}
