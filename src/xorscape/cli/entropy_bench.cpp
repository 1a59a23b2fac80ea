#include "xorscape/cli/entropy_bench.hpp"

#include "xorscape/entropy/simple_sampling.hpp"
#include "xorscape/entropy/wanglandau.hpp"
#include "xorscape/entropy/wanglandau_job.hpp"
#include "xorscape/kernels/kernels.hpp"

namespace xorscape::cli {

void print_simple_sampling_rates(std::FILE* out, int threads) {
  std::fprintf(out, "simple sampling (uniform points, kernels::batch_loss at %s, histogram), %d thread(s):\n",
               kernels::to_string(kernels::detect_simd_level()).c_str(), threads);
  for (int n_hidden : {2, 18}) {
    const double rate = entropy::simple_sampling_rate(n_hidden, n_hidden == 2 ? 8000000 : 2000000);
    std::fprintf(out, "  n_h = %2d: %.3g evaluations/s (%.3g per thread)\n", n_hidden, rate, rate / threads);
  }
}

void print_wang_landau_rates(std::FILE* out, int threads) {
  const std::int64_t steps = 20000000;
  std::fprintf(out, "Wang-Landau steps (one-parameter move, incremental loss, 1000 bins, box R = 10):\n");
  for (int n_hidden : {2, 18}) {
    const entropy::StepRates r = entropy::wang_landau_step_rates(n_hidden, steps);
    std::fprintf(out, "  n_h = %2d: %.3g steps/s per core (CPU time), %.3g steps/s wall\n", n_hidden, r.per_cpu_second,
                 r.per_second);
  }
  const double one = entropy::two_walker_rate(1, steps), two = entropy::two_walker_rate(2, steps);
  std::fprintf(out, "  two walkers, n_h = 2: %.3g steps/s on 1 thread, %.3g on 2 threads: speed-up %.2f\n", one, two,
               two / one);
  print_simple_sampling_rates(out, threads);
}

void print_in_run_rate(std::FILE* out, const entropy::SamplerTiming& t, double seconds) {
  if (t.steps == 0 || t.walker_cpu_seconds <= 0.0 || t.slots <= 0.0 || seconds <= 0.0) return;
  const double steps = static_cast<double>(t.steps);
  std::fprintf(out,
               "rate: %.3g steps in %.3g s: %.3g steps/s wall; %.3g steps/s per busy core (CPU time; --bench gives "
               "one walker on one core); the stepping threads ran %.0f %% of their time, walkers filled %.0f %% "
               "of the thread slots, stepping took %.0f %% of the wall time\n",
               steps, seconds, steps / seconds, steps / t.walker_cpu_seconds,
               100.0 * t.walker_cpu_seconds / t.walker_seconds, 100.0 * t.walker_seconds / t.slots,
               100.0 * t.stepping_seconds / seconds);
}

}  // namespace xorscape::cli
