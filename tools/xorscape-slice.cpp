// xorscape-slice: two-dimensional cross-sections of the loss landscape around a center
// (dissecting paper, section 3.3, Figures 6 and 7), nonrandomized or averaged over randomized
// batches, with per-plane histograms and plateau areas. See docs/xorscape-slice.md.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <iostream>
#include <map>

#include "xorscape/cli/cli.hpp"
#include "xorscape/core/parameters.hpp"
#include "xorscape/landscape/slice_file.hpp"

using namespace xorscape;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

slice::Axis make_axis(const cli::Range& range, int count) { return slice::Axis{range.lo, range.hi, count}; }

// "LO:HI" for both axes or "LO:HI,LO:HI" for x then y.
std::pair<cli::Range, cli::Range> parse_ranges(const std::string& text) {
  const size_t comma = text.find(',');
  if (comma == std::string::npos) {
    const cli::Range r = cli::parse_range("--range", text);
    return {r, r};
  }
  return {cli::parse_range("--range", text.substr(0, comma)), cli::parse_range("--range", text.substr(comma + 1))};
}

// The largest loss the output activation allows on this dataset (the histogram's last edge).
double largest_loss(const XorLoss& loss) {
  double worst = 0.0;
  for (const Example& e : loss.dataset().examples) {
    switch (loss.architecture().output) {
      case Activation::sigmoid: worst = std::max({worst, e.target * e.target, (1 - e.target) * (1 - e.target)}); break;
      case Activation::tanh: worst = std::max({worst, (1 + e.target) * (1 + e.target), (1 - e.target) * (1 - e.target)}); break;
      default: worst = std::max(worst, 1.0); break;
    }
  }
  return (loss.reduction() == Reduction::mean ? 1.0 : 4.0) * worst;
}

struct RunTiming {
  double writing = 0.0;  // spent by the writing thread in HDF5 and statistics (overlaps computation)
  double total = 0.0;
};

// Streams each finished block into the file and the plane's statistics.
class FileConsumer : public slice::BlockConsumer {
 public:
  FileConsumer(const slice::SliceSpec& spec, slice::SliceFileWriter& writer, RunTiming& timing,
               const RunControl& control)
      : spec_(spec), writer_(writer), timing_(timing), control_(control), loss_(spec), mean_(spec),
        progress_("xorscape-slice", static_cast<double>(spec.planes.size()) * spec.y.count, "rows") {}
  void begin_plane(int plane, const slice::PlaneComputation& computation) override {
    const Clock::time_point start = Clock::now();
    writer_.begin_plane(plane, computation);
    loss_ = slice::PlaneStatistics(spec_);
    mean_ = slice::PlaneStatistics(spec_);
    difference_ = slice::Difference{};
    timing_.writing += seconds_since(start);
  }
  void consume(int plane, const slice::PlaneBlock& block) override {
    const Clock::time_point start = Clock::now();
    const std::size_t cells = static_cast<std::size_t>(block.rows) * spec_.x.count;
    loss_.add(std::span(block.loss.data(), cells));
    if (spec_.randomized) {
      mean_.add(std::span(block.loss_mean.data(), cells));
      difference_.add(std::span(block.loss_mean.data(), cells), std::span(block.loss_nonrandomized.data(), cells));
    }
    writer_.write_block(block);
    progress_.update(static_cast<double>(plane) * spec_.y.count + block.row0 + block.rows);
    timing_.writing += seconds_since(start);
  }
  void end_plane(int) override {
    const Clock::time_point start = Clock::now();
    writer_.end_plane(loss_, spec_.randomized ? &mean_ : nullptr, spec_.randomized ? &difference_ : nullptr);
    timing_.writing += seconds_since(start);
  }
  bool should_stop() override { return control_.stop_requested(); }
  void finish() { progress_.finish(); }

 private:
  const slice::SliceSpec& spec_;
  slice::SliceFileWriter& writer_;
  RunTiming& timing_;
  const RunControl& control_;
  slice::PlaneStatistics loss_, mean_;
  slice::Difference difference_;
  cli::Progress progress_;
};

// Compute every plane block by block and stream it into the file.
// bench: when not empty, written to /bench together with this run's end-to-end timing.
RunTiming write_slices(const cli::Tool& tool, const slice::SliceSpec& spec, const std::string& center_note,
                       slice::Storage storage, std::map<std::string, h5::AttributeValue> bench) {
  const Clock::time_point start = Clock::now();
  RunTiming timing;
  slice::SliceFileWriter writer(tool.output(), tool.force(), spec, tool.provenance(), center_note, storage);
  FileConsumer consumer(spec, writer, timing, tool.control());
  slice::run_slice(spec, writer.block_rows(), consumer);
  if (!bench.empty()) {
    const double elapsed = seconds_since(start);
    bench["end_to_end_seconds"] = elapsed;
    bench["end_to_end_rate_all_threads"] = std::get<double>(bench["evaluations_per_run"]) / elapsed;
    bench["end_to_end_writing_thread_busy_seconds"] = timing.writing;
    bench["end_to_end_note"] = std::string("this run, file writing included, before the final flush and rename");
    writer.write_bench(bench);
  }
  const Clock::time_point commit_start = Clock::now();
  writer.commit();
  timing.writing += seconds_since(commit_start);
  consumer.finish();
  timing.total = seconds_since(start);
  return timing;
}

// Seconds to compute every plane of spec with `level` on `threads` threads, nothing stored.
struct Timing {
  double wall;
  double cpu;  // processor time of the whole process (all threads, waiting included)
};

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

Timing time_planes(const slice::SliceSpec& spec, kernels::SimdLevel level, int threads) {
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
  const Clock::time_point start = Clock::now();
  slice::run_slice(timed, std::clamp((256 * 1024) / (8 * spec.x.count), 1, spec.y.count), discard);
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
  const Clock::time_point start = Clock::now();
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
  const Clock::time_point start = Clock::now();
  while (seconds_since(start) < 0.2) {
    kernels::batch_loss(spec.loss, points.data(), count, count, out.data(), kNonrandomizedBatch, level);
    evaluations += count;
  }
  return evaluations / seconds_since(start);
}

// Prints the rates and returns them as attributes for the file's /bench group.
std::map<std::string, h5::AttributeValue> print_bench(const slice::SliceSpec& spec, int threads) {
  std::map<std::string, h5::AttributeValue> rates;
  rates["threads"] = static_cast<std::int64_t>(threads);
  rates["evaluations_per_run"] = static_cast<double>(spec.planes.size()) * spec.x.count *
                                 static_cast<double>(spec.y.count) * (spec.randomized ? spec.scans : 1);
  rates["units"] = std::string("loss evaluations per second (one grid point of one scan); compute only unless named end_to_end");
  const double points = static_cast<double>(spec.planes.size()) * spec.x.count * static_cast<double>(spec.y.count) *
                        (spec.randomized ? spec.scans : 1);
  std::printf("xorscape-slice --bench: %zu plane(s) of %d x %d, n_h = %d, %s, double precision\n",
              spec.planes.size(), spec.x.count, spec.y.count, spec.loss.architecture().n_hidden,
              spec.randomized ? ("randomized, " + std::to_string(spec.scans) + " scans (one evaluation = one point of one scan)").c_str()
                              : "nonrandomized");
  std::printf("compute only (every grid point, nothing stored), evaluations/s of wall-clock time and per second of\n"
              "processor time (all threads; equal per-CPU-second rates mean perfect scaling when cores are free);\n"
              "reference and batch_loss: nonrandomized, 1 thread:\n");
  std::printf("  %-34s %14s %14s %9s %14s %14s\n", "kernel", "1 thread", (std::to_string(threads) + " threads").c_str(),
              "speed-up", "per CPU-s, 1", ("per CPU-s, " + std::to_string(threads)).c_str());
  const double reference = reference_rate(spec);
  rates["reference_rate_1_thread"] = reference;
  std::printf("  %-34s %14.3e %14s %9s\n", "reference XorLoss::value per point", reference, "-", "-");
  for (kernels::SimdLevel level : kernels::available_simd_levels()) {
    const Timing t1 = time_planes(spec, level, 1);
    const Timing tn = threads > 1 ? time_planes(spec, level, threads) : t1;
    const double one = points / t1.wall, all = points / tn.wall;
    std::printf("  %-34s %14.3e %14.3e %8.2fx %14.3e %14.3e\n", ("plane kernel, " + kernels::to_string(level)).c_str(),
                one, all, all / one, points / t1.cpu, points / tn.cpu);
    rates["plane_" + kernels::to_string(level) + "_rate_per_cpu_second_1_thread"] = points / t1.cpu;
    rates["plane_" + kernels::to_string(level) + "_rate_per_cpu_second_all_threads"] = points / tn.cpu;
    rates["plane_" + kernels::to_string(level) + "_rate_1_thread"] = one;
    rates["plane_" + kernels::to_string(level) + "_rate_all_threads"] = all;
  }
  for (kernels::SimdLevel level : kernels::available_simd_levels()) {
    const double rate = batch_rate(spec, level);
    rates["batch_loss_" + kernels::to_string(level) + "_rate_1_thread"] = rate;
    std::printf("  %-34s %14.3e %14s %9s\n", ("batch_loss random points, " + kernels::to_string(level)).c_str(), rate,
                "-", "-");
  }
  std::fflush(stdout);
  return rates;
}

}  // namespace

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-slice",
                 "2-D cross-sections of the XOR loss landscape around a center (paper section 3.3, Figs 6-7)",
                 "slice.h5");
  tool.options().add_options()
      ("n-hidden", cli::po::value<int>()->default_value(2), "hidden neurons n_h")
      ("activation", cli::po::value<std::string>()->default_value("sigmoid"), "hidden activation: sigmoid|tanh|relu|identity")
      ("output-activation", cli::po::value<std::string>()->default_value("sigmoid"), "output activation: sigmoid|tanh|relu|identity")
      ("data", cli::po::value<std::string>()->default_value("xor"), "truth table: xor|xor-centered|xor-pm")
      ("center", cli::po::value<std::string>()->default_value("1"),
       "center: published solution 1..5 (Table 2, n_h = 2), a parameter file, or name=value,... (all D names)")
      ("pair", cli::po::value<std::string>(), "one plane A,B (A along x, B along y); default b1_1,b2_1 (Figs 6a, 7)")
      ("pairs", cli::po::value<std::string>(), "planes: all (D(D-1)/2 of them) or A,B;C,D;...")
      ("range", cli::po::value<std::string>()->default_value("-15:15"),
       "offsets from the center, LO:HI for both axes or LO:HI,LO:HI for x then y (parameter units)")
      ("range-x", cli::po::value<std::string>(), "offsets along x, LO:HI (overrides --range)")
      ("range-y", cli::po::value<std::string>(), "offsets along y, LO:HI (overrides --range)")
      ("resolution", cli::po::value<std::string>()->default_value("401"), "grid points N (N x N) or NxM (x by y), each >= 2")
      ("batch", cli::po::value<std::string>()->default_value("nonrandomized"), "nonrandomized | randomized")
      ("scans", cli::po::value<int>()->default_value(100), "randomized: scans K averaged (each point of each scan its own batch)")
      ("bins", cli::po::value<int>()->default_value(200), "histogram bins of the loss per plane")
      ("histogram-max", cli::po::value<double>(), "last histogram edge (default: the largest loss the output allows, 1 for sigmoid on xor)")
      ("plateau-tolerance", cli::po::value<double>()->default_value(0.05, "0.05"),
       "a grid point counts toward plateau L = k/4 when |L - k/4| <= this (loss units)")
      ("simd", cli::po::value<std::string>()->default_value("auto"), "kernel: auto|scalar|avx2|avx512 (same numbers to 1e-12)")
      ("deflate", cli::po::value<int>()->default_value(0), "compression of the grids: 0 none (fastest), 1..9 shuffle+deflate level")
      ("bench", cli::po::bool_switch(), "print scalar and vector kernel rates (1 thread and --threads), then run and time the real job");
  return tool.run(argc, argv, [&] {
    // parse and validate
    const int n_hidden = static_cast<int>(cli::require_at_least("--n-hidden", tool.get<int>("n-hidden"), 1));
    if (n_hidden > 10000) throw cli::UsageError("--n-hidden", "at most 10000");
    const Architecture architecture{n_hidden, cli::parse_activation("--activation", tool.get<std::string>("activation")),
                                    cli::parse_activation("--output-activation", tool.get<std::string>("output-activation"))};
    slice::SliceSpec spec;
    spec.loss = XorLoss(architecture, cli::parse_dataset("--data", tool.get<std::string>("data")));
    const ParameterLayout& layout = spec.loss.layout();
    const std::string center_text = tool.get<std::string>("center");
    spec.center = cli::parse_parameters("--center", center_text, layout);
    std::string center_note;
    if (center_text.find_first_not_of("0123456789") == std::string::npos)
      center_note = published_solution(std::stoi(center_text)).note;
    if (tool.has("pair") && tool.has("pairs")) throw cli::UsageError("--pairs", "give --pair or --pairs, not both");
    spec.planes = tool.has("pairs") ? cli::parse_pairs("--pairs", tool.get<std::string>("pairs"), layout)
                                    : std::vector{cli::parse_pair("--pair", tool.has("pair") ? tool.get<std::string>("pair")
                                                                                            : "b1_1,b2_1", layout)};
    auto [x_range, y_range] = parse_ranges(tool.get<std::string>("range"));
    if (tool.has("range-x")) x_range = cli::parse_range("--range-x", tool.get<std::string>("range-x"));
    if (tool.has("range-y")) y_range = cli::parse_range("--range-y", tool.get<std::string>("range-y"));
    const auto [nx, ny] = cli::parse_resolution("--resolution", tool.get<std::string>("resolution"), 2);
    if (static_cast<double>(nx) * ny > 4e8)
      throw cli::UsageError("--resolution", "at most 4e8 grid points per plane (20000 x 20000)");
    spec.x = make_axis(x_range, nx);
    spec.y = make_axis(y_range, ny);
    const std::string batch = tool.get<std::string>("batch");
    if (batch != "nonrandomized" && batch != "randomized")
      throw cli::UsageError("--batch", "'" + batch + "' is not nonrandomized or randomized");
    spec.randomized = batch == "randomized";
    if (!spec.randomized && tool.given("scans"))
      throw cli::UsageError("--scans", "only with --batch randomized (a nonrandomized slice has one scan)");
    spec.scans = static_cast<int>(cli::require_at_least("--scans", tool.get<int>("scans"), 1));
    spec.seed = tool.seed();
    spec.bins = static_cast<int>(cli::require_at_least("--bins", tool.get<int>("bins"), 1));
    if (spec.bins > 100000000) throw cli::UsageError("--bins", "at most 1e8");
    spec.histogram_max = tool.has("histogram-max") ? cli::require_positive("--histogram-max", tool.get<double>("histogram-max"))
                                                   : largest_loss(spec.loss);
    spec.plateau_tolerance = cli::require_positive("--plateau-tolerance", tool.get<double>("plateau-tolerance"));
    if (spec.plateau_tolerance >= 0.125)
      throw cli::UsageError("--plateau-tolerance", "must be below 0.125 so that neighbouring plateaus do not overlap");
    try {
      spec.level = kernels::parse_simd_level(tool.get<std::string>("simd"));
    } catch (const std::invalid_argument& e) {
      throw cli::UsageError("--simd", e.what());
    }
    const auto available = kernels::available_simd_levels();
    if (std::find(available.begin(), available.end(), spec.level) == available.end())
      throw cli::UsageError("--simd", kernels::to_string(spec.level) + " is not available on this processor (widest: " +
                                          kernels::to_string(available.back()) + ")");
    const int deflate = tool.get<int>("deflate");
    if (deflate < 0 || deflate > 9) throw cli::UsageError("--deflate", "must be 0 (none) to 9");

    // compute and write
    std::map<std::string, h5::AttributeValue> bench;
    if (tool.get<bool>("bench")) bench = print_bench(spec, tool.threads());
    const RunTiming timing = write_slices(tool, spec, center_note, slice::Storage{deflate}, bench);
    const double evaluations = static_cast<double>(spec.planes.size()) * nx * static_cast<double>(ny) *
                               (spec.randomized ? spec.scans : 1);
    std::printf("xorscape-slice: %zu plane(s) of %d x %d%s, %s kernel, %d thread(s): %.3g evaluations in %.3f s "
                "= %.3g /s end to end (writing thread busy %.3f s) -> %s\n",
                spec.planes.size(), nx, ny,
                spec.randomized ? (", " + std::to_string(spec.scans) + " randomized scans").c_str() : ", nonrandomized",
                kernels::to_string(spec.level).c_str(), tool.threads(), evaluations, timing.total,
                evaluations / timing.total, timing.writing, tool.output().c_str());
    return 0;
  });
}
