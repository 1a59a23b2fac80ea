#include "xorscape/cli/slice_options.hpp"

#include <algorithm>
#include <cmath>

namespace xorscape::cli {

void add_slice_options(Tool& tool) {
  tool.options().add_options()
      ("center", po::value<std::string>()->default_value("1"),
       "center: published solution 1..5 (Table 2, n_h = 2), a parameter file, name=value,... (all D names), "
       "or FILE.h5:SELECTOR (train.h5:run=0, census.h5:class=7, trajectory.h5:end; docs/parameter-points.md)")
      ("pair", po::value<std::string>(), "one plane A,B (A along x, B along y); default b1_1,b2_1 (Figs 6a, 7)")
      ("pairs", po::value<std::string>(), "planes: all (D(D-1)/2 of them) or A,B;C,D;...")
      ("range", po::value<std::string>()->default_value("-15:15"),
       "offsets from the center, LO:HI for both axes or LO:HI,LO:HI for x then y (parameter units)")
      ("range-x", po::value<std::string>(), "offsets along x, LO:HI (overrides --range)")
      ("range-y", po::value<std::string>(), "offsets along y, LO:HI (overrides --range)")
      ("resolution", po::value<std::string>()->default_value("401"), "grid points N (N x N) or NxM (x by y), each >= 2")
      ("batch", po::value<std::string>()->default_value("nonrandomized"), "nonrandomized | randomized")
      ("scans", po::value<int>()->default_value(100), "randomized: scans K averaged (each point of each scan its own batch)")
      ("bins", po::value<int>()->default_value(200), "histogram bins of the loss per plane")
      ("histogram-max", po::value<double>(), "last histogram edge (default: the largest loss the output allows, 1 for sigmoid on xor)")
      ("plateau-tolerance", po::value<double>()->default_value(0.05, "0.05"),
       "a grid point counts toward plateau L = k/4 when |L - k/4| <= this (loss units)")
      ("simd", po::value<std::string>()->default_value("auto"), "kernel: auto|scalar|avx2|avx512 (same numbers to 1e-12)")
      ("deflate", po::value<int>()->default_value(0), "compression of the grids: 0 none (fastest), 1..9 shuffle+deflate level")
      ("bench", po::bool_switch(), "print scalar and vector kernel rates (1 thread and --threads), then run and time the real job");
}

namespace {

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

void read_planes(const Tool& tool, slice::SliceSpec& spec) {
  const ParameterLayout& layout = spec.loss.layout();
  if (tool.has("pair") && tool.has("pairs")) throw UsageError("--pairs", "give --pair or --pairs, not both");
  spec.planes = tool.has("pairs") ? parse_pairs("--pairs", tool.get<std::string>("pairs"), layout)
                                  : std::vector{parse_pair("--pair", tool.has("pair") ? tool.get<std::string>("pair")
                                                                                      : "b1_1,b2_1", layout)};
}

// The grid: --range ("LO:HI" for both axes or "LO:HI,LO:HI" for x then y), --range-x/-y, --resolution;
// every grid point's parameters must be finite numbers.
void read_axes(const Tool& tool, slice::SliceSpec& spec) {
  const std::string text = tool.get<std::string>("range");
  const size_t comma = text.find(',');
  Range x = parse_range("--range", text.substr(0, comma)), y = x;
  if (comma != std::string::npos) y = parse_range("--range", text.substr(comma + 1));
  const std::string x_option = tool.has("range-x") ? "--range-x" : "--range";
  const std::string y_option = tool.has("range-y") ? "--range-y" : "--range";
  if (tool.has("range-x")) x = parse_range("--range-x", tool.get<std::string>("range-x"));
  if (tool.has("range-y")) y = parse_range("--range-y", tool.get<std::string>("range-y"));
  const auto [nx, ny] = parse_resolution("--resolution", tool.get<std::string>("resolution"), 2);
  if (static_cast<double>(nx) * ny > 4e8) throw UsageError("--resolution", "at most 4e8 grid points per plane (20000 x 20000)");
  spec.x = slice::Axis{x.lo, x.hi, nx};
  spec.y = slice::Axis{y.lo, y.hi, ny};
  const ParameterLayout& layout = spec.loss.layout();
  for (const auto& [a, b] : spec.planes)
    for (const auto& [option, index, range] : {std::tuple{x_option, a, x}, std::tuple{y_option, b, y}})
      if (!std::isfinite(spec.center[index] + range.lo) || !std::isfinite(spec.center[index] + range.hi))
        throw UsageError(option, "the center's " + layout.name(index) + " plus the offsets is not a finite number");
}

void read_batch(const Tool& tool, slice::SliceSpec& spec) {
  const std::string batch = tool.get<std::string>("batch");
  if (batch != "nonrandomized" && batch != "randomized")
    throw UsageError("--batch", "'" + batch + "' is not nonrandomized or randomized");
  spec.randomized = batch == "randomized";
  if (!spec.randomized && tool.given("scans"))
    throw UsageError("--scans", "only with --batch randomized (a nonrandomized slice has one scan)");
  spec.scans = static_cast<int>(require_at_least("--scans", tool.get<int>("scans"), 1));
  spec.seed = tool.seed();
}

void read_statistics(const Tool& tool, slice::SliceSpec& spec) {
  spec.bins = static_cast<int>(require_at_least("--bins", tool.get<int>("bins"), 1));
  if (spec.bins > 100000000) throw UsageError("--bins", "at most 1e8");
  require_memory("--bins", 40.0 * spec.bins, "histograms of this many bins");
  spec.histogram_max = tool.has("histogram-max") ? require_positive("--histogram-max", tool.get<double>("histogram-max"))
                                                 : largest_loss(spec.loss);
  spec.plateau_tolerance = require_positive("--plateau-tolerance", tool.get<double>("plateau-tolerance"));
  if (spec.plateau_tolerance >= 0.125)
    throw UsageError("--plateau-tolerance", "must be below 0.125 so that neighbouring plateaus do not overlap");
}

kernels::SimdLevel read_simd(const Tool& tool) {
  kernels::SimdLevel level;
  try {
    level = kernels::parse_simd_level(tool.get<std::string>("simd"));
  } catch (const std::invalid_argument& e) {
    throw UsageError("--simd", e.what());
  }
  const auto available = kernels::available_simd_levels();
  if (std::find(available.begin(), available.end(), level) == available.end())
    throw UsageError("--simd", kernels::to_string(level) + " is not available on this processor (widest: " +
                                   kernels::to_string(available.back()) + ")");
  return level;
}

// The ring of blocks in flight, each thread's row buffers, the planes being computed (their axes
// and kernels, a few at a time) and the histograms.
void check_memory(const slice::SliceSpec& spec, int threads) {
  const double nx = spec.x.count, ny = spec.y.count, fields = spec.randomized ? 4 : 1;
  const double ring = 4.0 * slice::block_rows(spec) * nx * 8.0 * fields;
  const double per_thread = 8.0 * (6.0 * nx + 64.0 * (1.0 + nx / spec.column_chunk));
  const double planes = 5.0 * 8.0 * (16.0 * nx + ny);
  require_memory("--resolution", ring + threads * per_thread + planes, "a slice of this resolution");
}

}  // namespace

SliceRequest read_slice_request(const Tool& tool, const NetworkOptions& network) {
  SliceRequest request;
  slice::SliceSpec& spec = request.spec;
  spec.loss = network.loss();
  const ParameterPoint center = parse_point("--center", tool.get<std::string>("center"), network.description());
  spec.center = center.values;
  request.center = {center.source, center.note};
  read_planes(tool, spec);
  read_axes(tool, spec);
  read_batch(tool, spec);
  read_statistics(tool, spec);
  spec.level = read_simd(tool);
  const int deflate = tool.get<int>("deflate");
  if (deflate < 0 || deflate > 9) throw UsageError("--deflate", "must be 0 (none) to 9");
  request.storage = slice::Storage{deflate};
  request.bench = tool.get<bool>("bench");
  check_memory(spec, tool.threads());
  return request;
}

}  // namespace xorscape::cli
