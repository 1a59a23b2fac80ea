// xorscape-trajectory: steepest-descent paths across the loss landscape (Fig. 6 of the
// dissecting paper), restricted to a plane of two parameters or in full space, by gradient
// descent (epochs of learning rate eta) and/or by gradient flow (adaptive Dormand-Prince).
// Writes a file of its own, or adds the paths into an existing slice file (--into).
// Resumable: the checkpoint holds the finished trajectories (landscape/trajectory_jobs.hpp).
#include "xorscape/cli/runner.hpp"
#include "xorscape/cli/trajectory_bench.hpp"
#include "xorscape/cli/trajectory_options.hpp"
#include "xorscape/landscape/trajectory_file.hpp"

using namespace xorscape;

int main(int argc, char** argv) {
  // No default output: -o is declared with the trajectory options, as --into writes none.
  cli::Tool tool("xorscape-trajectory",
                 "steepest-descent paths (gradient descent and gradient flow) across loss-landscape slices");
  tool.enable_resume();
  const cli::NetworkOptions network(tool);
  cli::add_trajectory_options(tool);
  return tool.run(argc, argv, [&] {
    const cli::TrajectoryRequest request = cli::read_trajectory_request(tool, network);
    if (request.bench) return cli::run_trajectory_bench(tool, request.plan, request.epochs_given);
    trajectory::TrajectoryJob job(request.plan);
    const h5::Provenance provenance = tool.provenance();
    if (request.into)
      return cli::run_job(tool, job, *request.into, cli::OutputMode::update_existing, [&](const h5::Group& root) {
        cli::print_trajectory_outcomes(job);
        trajectory::add_trajectories(root, job, provenance);
      });
    return cli::run_job(tool, job, request.output, cli::OutputMode::new_file, [&](const h5::Group& root) {
      cli::print_trajectory_outcomes(job);
      trajectory::write_trajectory_file(root, job, provenance);
    });
  });
}
