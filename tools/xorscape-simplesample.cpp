// xorscape-simplesample: the density of loss g(L) and entropy S(L) = ln g(L) by simple sampling:
// N points uniform in the box [-R, R]^D, their loss histogram, S with its statistical error.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "xorscape/entropy/entropy_io.hpp"

using namespace xorscape;
using namespace xorscape::entropy;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
// Evaluations per second of the whole sampler (uniform points + kernels::batch_loss + histogram).
void benchmark(int threads) {
  std::printf("simple sampling (uniform points, kernels::batch_loss at %s, histogram), %d thread(s):\n",
              kernels::to_string(kernels::detect_simd_level()).c_str(), threads);
  for (int n_hidden : {2, 18}) {
    const double rate = simple_sampling_rate(n_hidden, n_hidden == 2 ? 8000000 : 2000000);
    std::printf("  n_h = %2d: %.3g evaluations/s (%.3g per thread)\n", n_hidden, rate, rate / threads);
  }
}

}  // namespace

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-simplesample",
                 "density of loss g(L) and entropy S(L) = ln g(L) by uniform sampling of the parameter box",
                 "simplesample.h5");
  add_problem_options(tool.options());
  tool.options().add_options()
      ("samples", cli::po::value<double>()->default_value(1e8), "number of uniform points N (>= 1, up to 1e15)")
      ("block", cli::po::value<int>()->default_value(4096), "points per random stream (part of the result's identity)")
      ("bench", cli::po::bool_switch(), "print evaluation rates for n_h = 2 and 18 and exit (no output file)");
  return tool.run(argc, argv, [&] {
    if (tool.get<bool>("bench")) {
      benchmark(tool.threads());
      return 0;
    }
    const EntropyProblem problem = read_problem(tool);
    const double samples = tool.get<double>("samples");
    if (!std::isfinite(samples) || samples < 1 || samples > 1e15 || samples != std::floor(samples))
      throw cli::UsageError("--samples", "must be a whole number from 1 to 1e15");
    SimpleSamplingSpec spec;
    spec.samples = static_cast<std::int64_t>(samples);
    spec.seed = tool.seed();
    spec.block = static_cast<int>(cli::require_at_least("--block", tool.get<int>("block"), 1));
    h5::OutputFile file(tool.output(), tool.force());

    cli::Progress progress("simple sampling", static_cast<double>(spec.samples), "points");
    const auto start = std::chrono::steady_clock::now();
    std::int64_t polls = 0;
    const SimpleSamplingResult result = simple_sample(problem.loss, problem.box, problem.binning, spec, [&] {
      if (++polls % 64 == 0) progress.update(std::min<double>(spec.samples, polls * double(spec.block)));
      return tool.control().stop_requested();
    });
    const double wall = seconds_since(start);
    progress.finish();
    if (result.stopped) {
      std::cerr << tool.name() << ": stopped by signal after " << result.samples << " points; no file written\n";
      return 130;
    }
    const SampledEntropy s = sampled_entropy(result, problem.binning, problem.box.ln_volume());

    const h5::Group& root = file.root();
    file.write_provenance(tool.provenance());
    write_problem(root, problem);
    root.set_attribute("method", "simple sampling: uniform points in the box");
    root.set_attribute("samples", result.samples);
    root.set_attribute("min_loss", result.min_loss);
    root.set_attribute("max_loss", result.max_loss);
    root.set_attribute("wall_seconds", wall);
    root.set_attribute("evaluations_per_second", result.samples / wall);
    root.set_attribute("simd_level", kernels::to_string(kernels::detect_simd_level()));
    std::vector<std::int64_t> counts(result.counts.begin(), result.counts.end());
    root.write("counts", counts, {counts.size()});
    root.set_attribute_on("counts", "meaning", "points per loss bin");
    root.attach_scale("counts", "bins/centre", 0, "L");
    const h5::Group e = root.create_group("entropy");
    e.write("loss", s.loss);
    e.write("S", s.entropy);
    e.write("S_error", s.error);
    std::vector<std::int64_t> bin_index(s.bin.begin(), s.bin.end());
    e.write("bin", bin_index, {bin_index.size()});
    e.set_attribute_on("loss", "units", "loss L: centre of each bin with at least one point");
    e.set_attribute_on("S", "meaning", "S(L) = ln g(L), g normalised to the box volume (ln(count / (N width)) + ln V)");
    e.set_attribute_on("S_error", "meaning", "one standard error of S from the binomial count: sqrt((1 - p) / count)");
    for (const char* name : {"S", "S_error", "bin"}) e.attach_scale(name, "loss", 0, "L");
    root.write("min_point", result.min_point);
    root.set_attribute_on("min_point", "meaning", "parameters (paper order, see parameter_names) of the smallest loss seen");
    file.commit();
    std::cerr << tool.name() << ": " << result.samples << " points, smallest loss " << result.min_loss << ", "
              << s.bin.size() << " bins with points; wrote " << tool.output() << '\n';
    return 0;
  });
}
