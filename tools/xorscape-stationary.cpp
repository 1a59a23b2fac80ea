// xorscape-stationary: census of the stationary points (minima, saddles, maxima) of the
// regularised XOR network, reproducing Coetzee & Stonick, "488 solutions to the XOR problem"
// (docs/xorscape-stationary.md). Resumable: periodic checkpoints, --resume, and --resume with
// more --starts extends a finished file.
#include "xorscape/cli/runner.hpp"
#include "xorscape/cli/stationary_options.hpp"
#include "xorscape/cli/stationary_report.hpp"
#include "xorscape/stationary/stationary_file.hpp"

using namespace xorscape;

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-stationary",
                 "census of the stationary points (minima, saddles, maxima) of the regularised XOR network",
                 "stationary.h5");
  tool.enable_resume();
  tool.enable_distribution();  // census trials over the ranks of an MPI launch
  const cli::NetworkOptions network(tool, cli::stationary_network_choices());
  cli::add_stationary_options(tool);
  return tool.run(argc, argv, [&] {
    stationary::CensusJob job(cli::read_census_spec(tool, network));
    if (tool.get<bool>("bench")) return cli::bench_census(tool, job);
    const int status = cli::run_job(tool, job, [&](const h5::Group& root) { stationary::write_census(root, job); });
    if (status == 0 && job.finished()) cli::print_census_summary(stdout, job);
    return status;
  });
}
