#include "xorscape/cli/slice_bench.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdio>

#include "xorscape/core/rng.hpp"
#include "xorscape/core/stopwatch.hpp"

namespace xorscape::cli {

namespace {

// Seconds to compute every plane of spec with `level` on `threads` threads, nothing stored.
struct Timing {
  double wall;
  double cpu;  // processor time of the whole process (all threads, waiting included)
};

Timing time_planes(const slice::SliceSpec& spec, kernels::SimdLevel level, int threads, const RunControl& control) {
  struct Discard : slice::BlockConsumer {
    void begin_plane(int, const slice::PlaneComputation&) override {}
    void consume(int, const slice::PlaneBlock&) override {}
    void end_plane(int) override {}
  } discard;
  slice::SliceSpec timed = spec;
  timed.level = level;
  const int previous = omp_get_max_threads();
  omp_set_num_threads(threads);
  const double cpu_start = process_cpu_seconds();
  const SteadyClock::time_point start = SteadyClock::now();
  slice::run_slice(timed, slice::block_rows(spec), discard, control);
  const Timing timing{seconds_since(start), process_cpu_seconds() - cpu_start};
  omp_set_num_threads(previous);
  return timing;
}

// Evaluations per second of XorLoss::value point by point on the first plane (a sample of rows).
double reference_rate(const slice::SliceSpec& spec) {
  const auto [a, b] = spec.planes.front();
  const std::vector<double> x = spec.x.values(), y = spec.y.values();
  Params p = spec.center;
  double sink = 0.0;
  long long evaluations = 0;
  const SteadyClock::time_point start = SteadyClock::now();
  for (size_t j = 0; seconds_since(start) < 0.3; j = (j + 1) % y.size()) {
    p[b] = spec.center[b] + y[j];
    for (double dx : x) {
      p[a] = spec.center[a] + dx;
      sink += spec.loss.value(p);
    }
    evaluations += static_cast<long long>(x.size());
  }
  const double rate = evaluations / seconds_since(start);
  return sink == -1.0 ? 0.0 : rate;
}

// Evaluations per second of kernels::batch_loss on random points (no plane structure), one thread.
double batch_rate(const slice::SliceSpec& spec, kernels::SimdLevel level) {
  const int D = spec.loss.dimension();
  const std::size_t count = 4096;
  std::vector<double> points(D * count), out(count);
  RandomStream rng(spec.seed, {0xbe9c4ULL});
  for (double& v : points) v = rng.uniform(-10.0, 10.0);
  long long evaluations = 0;
  const SteadyClock::time_point start = SteadyClock::now();
  while (seconds_since(start) < 0.2) {
    kernels::batch_loss(spec.loss, points.data(), count, count, out.data(), kNonrandomizedBatch, level);
    evaluations += count;
  }
  return evaluations / seconds_since(start);
}

void print_header(const slice::SliceSpec& spec, int threads) {
  std::printf("xorscape-slice --bench: %zu plane(s) of %d x %d, n_h = %d, %s, double precision\n",
              spec.planes.size(), spec.x.count, spec.y.count, spec.loss.architecture().n_hidden,
              spec.randomized ? ("randomized, " + std::to_string(spec.scans) + " scans (one evaluation = one point of one scan)").c_str()
                              : "nonrandomized");
  std::printf("compute only (every grid point, nothing stored), evaluations/s of wall-clock time and per second of\n"
              "processor time (all threads; equal per-CPU-second rates mean perfect scaling when cores are free);\n"
              "reference and batch_loss: nonrandomized, 1 thread:\n");
  std::printf("  %-34s %14s %14s %9s %14s %14s\n", "kernel", "1 thread", (std::to_string(threads) + " threads").c_str(),
              "speed-up", "per CPU-s, 1", ("per CPU-s, " + std::to_string(threads)).c_str());
}

}  // namespace

std::map<std::string, h5::AttributeValue> print_slice_bench(const slice::SliceSpec& spec, int threads,
                                                            const RunControl& control) {
  std::map<std::string, h5::AttributeValue> rates;
  const double points = slice::evaluations(spec);
  rates["threads"] = static_cast<std::int64_t>(threads);
  rates["evaluations_per_run"] = points;
  rates["units"] = std::string("loss evaluations per second (one grid point of one scan); compute only unless named end_to_end");
  print_header(spec, threads);
  const double reference = reference_rate(spec);
  rates["reference_rate_1_thread"] = reference;
  std::printf("  %-34s %14.3e %14s %9s\n", "reference XorLoss::value per point", reference, "-", "-");
  for (kernels::SimdLevel level : kernels::available_simd_levels()) {
    if (control.stop_requested()) return rates;
    const Timing t1 = time_planes(spec, level, 1, control);
    const Timing tn = threads > 1 ? time_planes(spec, level, threads, control) : t1;
    const double one = points / t1.wall, all = points / tn.wall;
    const std::string name = "plane_" + kernels::to_string(level);
    std::printf("  %-34s %14.3e %14.3e %8.2fx %14.3e %14.3e\n", ("plane kernel, " + kernels::to_string(level)).c_str(),
                one, all, all / one, points / t1.cpu, points / tn.cpu);
    rates[name + "_rate_per_cpu_second_1_thread"] = points / t1.cpu;
    rates[name + "_rate_per_cpu_second_all_threads"] = points / tn.cpu;
    rates[name + "_rate_1_thread"] = one;
    rates[name + "_rate_all_threads"] = all;
  }
  for (kernels::SimdLevel level : kernels::available_simd_levels()) {
    if (control.stop_requested()) return rates;
    const double rate = batch_rate(spec, level);
    rates["batch_loss_" + kernels::to_string(level) + "_rate_1_thread"] = rate;
    std::printf("  %-34s %14.3e %14s %9s\n", ("batch_loss random points, " + kernels::to_string(level)).c_str(), rate,
                "-", "-");
  }
  std::fflush(stdout);
  return rates;
}

void print_slice_summary(const slice::SliceSpec& spec, int threads, const slice::SliceTiming& timing,
                         const std::string& output) {
  const double evaluations = slice::evaluations(spec);
  std::printf("xorscape-slice: %zu plane(s) of %d x %d%s, %s kernel, %d thread(s): %.3g evaluations in %.3f s "
              "= %.3g /s end to end (writing thread busy %.3f s) -> %s\n",
              spec.planes.size(), spec.x.count, spec.y.count,
              spec.randomized ? (", " + std::to_string(spec.scans) + " randomized scans").c_str() : ", nonrandomized",
              kernels::to_string(spec.level).c_str(), threads, evaluations, timing.total, evaluations / timing.total,
              timing.writing, output.c_str());
}

}  // namespace xorscape::cli
