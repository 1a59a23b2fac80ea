#include "xorscape/cli/anneal_bench.hpp"

#include <algorithm>
#include <cstdio>

#include "xorscape/cli/runner.hpp"
#include "xorscape/core/stopwatch.hpp"

namespace xorscape::cli {

using annealing::Arm;

int run_anneal_bench(const Tool& tool, annealing::ExperimentJob& job) {
  runner_detail::attach_progress(tool);
  const auto start = SteadyClock::now();
  job.advance(tool.control());
  const double seconds = seconds_since(start);
  runner_detail::finish_progress(tool);
  if (!job.finished()) return stopped(tool);
  const annealing::ExperimentSpec& spec = job.spec();
  // The budgets of the training runs per unit: the arms, plus the eda or baseline runs they need but
  // did not list; and the epochs actually run by the listed arms (early stops end runs sooner).
  auto has = [&](Arm a) { return std::find(spec.arms.begin(), spec.arms.end(), a) != spec.arms.end(); };
  double budget_per_unit = 0.0;
  for (Arm a : spec.arms)
    if (a != Arm::reflection) budget_per_unit += spec.epochs_of(a);  // reflection reuses the baseline run
  if (has(Arm::reflection) && !has(Arm::baseline)) budget_per_unit += spec.epochs_of(Arm::baseline);
  if (has(Arm::constant_noise) && !has(Arm::eda)) budget_per_unit += spec.epochs_of(Arm::eda);
  const annealing::ExperimentResult& result = job.result();
  double ran = 0.0;
  for (int p = 0; p < result.points; ++p)
    for (int a = 0; a < result.arms; ++a)
      if (spec.arms[a] != Arm::reflection)
        for (int s = 0; s < result.seeds; ++s) ran += result.run(p, a, s).epochs_run;
  const auto units = result.completed_units();
  const double budget = budget_per_unit * static_cast<double>(units);
  std::printf("bench: %lld units x %.0f budget epochs = %.4g epochs (%.4g run by the listed arms) in %.3f s on %d "
              "threads: %.4g budget epochs/s, %.4g epochs run/s\n",
              static_cast<long long>(units), budget_per_unit, budget, ran, seconds, tool.threads(), budget / seconds,
              ran / seconds);
  return 0;
}

}  // namespace xorscape::cli
