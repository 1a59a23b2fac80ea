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
  // Training runs per unit: the arms, plus the eda or baseline runs they need but did not list.
  auto has = [&](Arm a) { return std::find(spec.arms.begin(), spec.arms.end(), a) != spec.arms.end(); };
  double runs_per_unit = static_cast<double>(spec.arms.size());
  if (has(Arm::reflection)) runs_per_unit -= 1.0;  // reuses the baseline run (second phase not counted)
  if (has(Arm::reflection) && !has(Arm::baseline)) runs_per_unit += 1.0;
  if (has(Arm::constant_noise) && !has(Arm::eda)) runs_per_unit += 1.0;
  const auto units = job.result().completed_units();
  const double epochs = runs_per_unit * static_cast<double>(units) * spec.epochs;
  std::printf("bench: %lld units x %.0f runs x %d epochs = %.4g epochs in %.3f s on %d threads: %.4g epochs/s\n",
              static_cast<long long>(units), runs_per_unit, spec.epochs, epochs, seconds, tool.threads(),
              epochs / seconds);
  return 0;
}

}  // namespace xorscape::cli
