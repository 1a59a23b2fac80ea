// xorscape-wanglandau: the density of loss g(L) and entropy S(L) = ln g(L) of the XOR network by
// replica-exchange Wang-Landau sampling (halving or 1/t schedule) followed by a multicanonical
// production run, K independent runs, and the microcanonical inflection-point analysis of S(L)
// (beta = dS/dL and its derivatives). Resumable: periodic checkpoints, --resume.
#include <cstdio>

#include "xorscape/cli/entropy_bench.hpp"
#include "xorscape/cli/entropy_options.hpp"
#include "xorscape/cli/runner.hpp"
#include "xorscape/core/ranks.hpp"
#include "xorscape/core/stopwatch.hpp"
#include "xorscape/entropy/entropy_file.hpp"

using namespace xorscape;

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-wanglandau",
                 "density of loss g(L) and entropy S(L) by replica-exchange Wang-Landau + multicanonical refinement",
                 "wanglandau.h5");
  tool.enable_resume(300.0);
  tool.enable_distribution();  // walkers (windows x runs) over the ranks of an MPI launch
  const cli::NetworkOptions network(tool, cli::entropy_network_choices());
  cli::add_wanglandau_options(tool);
  return tool.run(argc, argv, [&] {
    if (tool.get<bool>("bench")) {
      cli::print_wang_landau_rates(stdout, tool.threads());
      return 0;
    }
    entropy::WangLandauJob job = cli::read_wanglandau(tool, network);
    const auto start = SteadyClock::now();
    const int status =
        cli::run_job(tool, job, [&](const h5::Group& root) { entropy::write_wanglandau(root, job, job.summary()); });
    if (ranks::is_root()) cli::print_in_run_rate(stderr, job.sampler().timing(), seconds_since(start));
    return status;
  });
}
