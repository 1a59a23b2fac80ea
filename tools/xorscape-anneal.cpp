// xorscape-anneal: paired trial runner for Error-Driven Annealing (EDA) against a baseline
// and controls (constant noise, magnitude-only and imbalance-only gating, restart, error
// reflection), over sweeps of learning rate, initialisation scale, threshold and base noise.
// Writes every run, the per-arm summary and per-epoch traces to HDF5 and prints a summary table.
#include <optional>

#include "xorscape/annealing/annealing_file.hpp"
#include "xorscape/annealing/experiment_job.hpp"
#include "xorscape/cli/anneal_bench.hpp"
#include "xorscape/cli/anneal_options.hpp"
#include "xorscape/cli/anneal_report.hpp"
#include "xorscape/cli/runner.hpp"

using namespace xorscape;

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-anneal",
                 "paired trials of Error-Driven Annealing against a baseline and controls, over sweeps", "anneal.h5");
  tool.enable_resume();
  const cli::NetworkOptions network(tool, cli::anneal_network_choices());
  cli::add_anneal_options(tool);
  return tool.run(argc, argv, [&] {
    const cli::AnnealSettings settings = cli::read_anneal_settings(tool, network);
    annealing::ExperimentJob job(settings.experiment);
    job.stop_after(settings.stop_after_units);
    if (settings.bench) return cli::run_anneal_bench(tool, job);
    std::optional<annealing::ExperimentSummary> summary;
    const int status = cli::run_job(tool, job, [&](const h5::Group& root) {
      summary = annealing::summarize(job.spec(), job.result());
      annealing::write_experiment(root, job.spec(), job.result(), *summary);
      if (job.replicates())
        annealing::write_replication(root, job.spec(), job.result(), job.best_point(), job.replica_spec(), job.replica());
    });
    if (summary && !settings.quiet) {
      cli::print_anneal_summary(stdout, job.spec(), *summary);
      if (job.replicates()) cli::print_anneal_replication(stdout, job);
    }
    return status;
  });
}
