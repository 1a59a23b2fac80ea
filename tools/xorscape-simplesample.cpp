// xorscape-simplesample: the density of loss g(L) and entropy S(L) = ln g(L) by simple sampling:
// N points uniform in the box [-R, R]^D, their loss histogram, S with its statistical error.
#include <cstdio>

#include "xorscape/cli/entropy_bench.hpp"
#include "xorscape/cli/entropy_options.hpp"
#include "xorscape/cli/runner.hpp"
#include "xorscape/entropy/entropy_file.hpp"

using namespace xorscape;

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-simplesample",
                 "density of loss g(L) and entropy S(L) = ln g(L) by uniform sampling of the parameter box",
                 "simplesample.h5");
  tool.enable_resume();
  const cli::NetworkOptions network(tool, cli::entropy_network_choices());
  cli::add_simplesample_options(tool);
  return tool.run(argc, argv, [&] {
    if (tool.get<bool>("bench")) {
      cli::print_simple_sampling_rates(stdout, tool.threads());
      return 0;
    }
    entropy::SimpleSamplingJob job = cli::read_simplesample(tool, network);
    return cli::run_job(tool, job, [&](const h5::Group& root) { entropy::write_simplesample(root, job, job.entropy()); });
  });
}
