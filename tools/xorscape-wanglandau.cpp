// xorscape-wanglandau: the density of loss g(L) and entropy S(L) = ln g(L) of the XOR network by
// replica-exchange Wang-Landau sampling (halving or 1/t schedule) followed by a multicanonical
// production run, K independent runs, and the microcanonical inflection-point analysis of S(L)
// (beta = dS/dL and its derivatives). Resumable: periodic checkpoints, --resume.
#include <cstdio>
#include <stdexcept>

#include "xorscape/cli/entropy_bench.hpp"
#include "xorscape/cli/entropy_options.hpp"
#include "xorscape/cli/runner.hpp"
#include "xorscape/core/ranks.hpp"
#include "xorscape/core/stopwatch.hpp"
#include "xorscape/entropy/entropy_file.hpp"
#include "xorscape/entropy/wanglandau_job.hpp"

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
    const auto reference = cli::read_comparison_reference(tool, job.problem());
    const auto start = SteadyClock::now();
    const int status = cli::run_job(tool, job, [&](const h5::Group& root) {
      const entropy::WangLandauSummary summary = job.summary();
      entropy::write_wanglandau(root, job, summary);
      if (!reference) return;
      entropy::Comparison c;
      try {
        c = entropy::compare_with_simple_sampling(summary, job.problem().binning, *reference,
                                                  job.problem().box.ln_volume(), cli::kComparePrecision);
      } catch (const std::runtime_error& e) {  // e.g. no common bin is precise: the estimate stands alone
        std::fprintf(stderr, "comparison with %s skipped: %s\n", reference->path.c_str(), e.what());
        return;
      }
      entropy::write_comparison(root, c, reference->path);
      std::fprintf(stderr,
                   "comparison with %s: chi2/dof = %.3f over %d bins (simple-sampling error of S <= %g), "
                   "%.1f %% within 2 sigma, mean residual %+.4f\n",
                   reference->path.c_str(), c.statistics.chi2_per_dof, c.statistics.bins, c.precision_cut,
                   100.0 * c.statistics.within_two_sigma, c.statistics.mean_residual);
    });
    // Rank 0 alone prints (and writes; the comparison above runs only where the file is written).
    if (ranks::is_root()) cli::print_in_run_rate(stderr, job.sampler().timing(), seconds_since(start));
    return status;
  });
}
