#include "xorscape/cli/train_bench.hpp"

#include <omp.h>

#include <cstdio>

#include "xorscape/cli/runner.hpp"
#include "xorscape/core/rng.hpp"
#include "xorscape/core/stopwatch.hpp"

namespace xorscape::cli {

namespace {

// `count` runs of n_h = 2 from 0.1 r (the default start), eta = 0.1.
std::vector<TrainingRun> bench_runs(int count) {
  std::vector<TrainingRun> runs(count);
  for (int r = 0; r < count; ++r) {
    RandomStream stream(1, {1, static_cast<std::uint64_t>(r)});
    runs[r].state.params.resize(9);
    for (double& v : runs[r].state.params) v = 0.1 * stream.uniform();
    runs[r].state.eta = 0.1;
  }
  return runs;
}

}  // namespace

int run_train_bench(const Tool& tool, const TrainSpec& base) {
  const std::int64_t epochs = require_at_least("--bench-epochs", tool.get<long long>("bench-epochs"), 1000);
  TrainSpec spec = base;
  spec.architecture = Architecture{2, Activation::sigmoid, Activation::sigmoid};
  spec.optimizer.optimizer = Optimizer::gd;
  spec.threshold = 0.0;
  spec.record = RecordLevel::none;
  spec.max_epochs = epochs;
  // Epochs per second of all runs together.
  auto rate = [&](bool fast, kernels::SimdLevel level, int count, int threads) {
    spec.fast_path = fast;
    spec.simd = level;
    auto runs = bench_runs(count);
    omp_set_num_threads(threads);
    const auto start = SteadyClock::now();
    train(spec, runs, tool.control());
    return static_cast<double>(count) * static_cast<double>(epochs) / seconds_since(start);
  };
  const int lanes = kernels::kTrainLanes;
  std::printf("# full-batch gradient descent, n_h = 2 sigmoid, xor, eta = 0.1, %lld epochs per run\n",
              static_cast<long long>(epochs));
  std::printf("# path                      threads  runs  epochs/s (all runs)  epochs/s per core\n");
  auto line = [&](const std::string& name, double value, int threads, int runs) {
    if (tool.control().stop_requested()) return;
    std::printf("%-27s %7d %5d %20.4g %18.4g\n", name.c_str(), threads, runs, value, value / threads);
    std::fflush(stdout);
  };
  line("reference (scalar)", rate(false, kernels::SimdLevel::scalar, 1, 1), 1, 1);
  for (kernels::SimdLevel level : kernels::training_simd_levels())
    line("simd kernel " + kernels::to_string(level), rate(true, level, lanes, 1), 1, lanes);
  const int threads = tool.threads();
  if (threads > 1) {
    line("reference (scalar)", rate(false, kernels::SimdLevel::scalar, threads, threads), threads, threads);
    const kernels::SimdLevel best = kernels::training_simd_level();
    line("simd kernel " + kernels::to_string(best), rate(true, best, lanes * threads, threads), threads,
         lanes * threads);
  }
  if (tool.control().stop_requested()) return stopped(tool);
  std::printf("# one run alone on the simd kernel uses one of %d lanes; rates count epochs of all runs\n", lanes);
  return 0;
}

}  // namespace xorscape::cli
