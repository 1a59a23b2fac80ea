#include "xorscape/cli/entropy_options.hpp"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "xorscape/entropy/entropy_file.hpp"
#include "xorscape/core/stopwatch.hpp"
#include "xorscape/entropy/wanglandau.hpp"

namespace xorscape::cli {

namespace {

// Bin indices are 32-bit: bins + fine bins must stay below 2^31.
constexpr int kMaxBins = 1000000000;

int read_bins(const Tool& tool, const char* option) {
  const long long bins = tool.get<int>(option);
  if (bins > kMaxBins) throw UsageError(std::string("--") + option, "at most 10^9 bins");
  return static_cast<int>(bins);
}

bool is_hdf5_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char signature[8] = {};
  in.read(signature, 8);
  return in && std::memcmp(signature, "\x89HDF\r\n\x1a\n", 8) == 0;
}

std::vector<double> read_edge_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("--bin-edges", "cannot read " + path);
  std::vector<double> edges;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream words(line.substr(0, line.find('#')));
    std::string word;
    while (words >> word) {
      std::size_t used = 0;
      double v = 0.0;
      try {
        v = std::stod(word, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != word.size()) throw UsageError("--bin-edges", path + " line " + std::to_string(number) + ": '" + word + "' is not a number");
      edges.push_back(v);
    }
  }
  return edges;
}

// The edges of --bin-edges: they must run from 0 to the largest loss `top`.
entropy::LossBinning read_bin_edges(const std::string& path, double top) {
  std::vector<double> edges;
  if (is_hdf5_file(path)) {
    try {
      const h5::InputFile file(path);
      edges = file.root().read_doubles("bins/edges");
    } catch (const std::exception& e) {
      throw UsageError("--bin-edges", path + " has no readable /bins/edges: " + e.what());
    }
  } else {
    edges = read_edge_text(path);
  }
  if (edges.size() > static_cast<std::size_t>(kMaxBins)) throw UsageError("--bin-edges", "at most 10^9 bins");
  if (edges.size() < 3) throw UsageError("--bin-edges", "needs at least 3 edges (2 bins)");
  if (edges.front() != 0.0 || edges.back() != top) {
    std::ostringstream s;
    s.precision(17);
    s << "the edges must run from 0 to the largest loss " << top << " (they run from " << edges.front() << " to "
      << edges.back() << ")";
    throw UsageError("--bin-edges", s.str());
  }
  try {
    return entropy::LossBinning(std::move(edges));
  } catch (const std::invalid_argument& e) {
    throw UsageError("--bin-edges", e.what());
  }
}

}  // namespace

NetworkChoices entropy_network_choices() {
  NetworkChoices choices;
  choices.output_allowed = {Activation::sigmoid, Activation::tanh};
  choices.output_reason = "the loss range [0, L_max] is binned, so the output must be bounded";
  return choices;
}

void add_problem_options(Tool& tool) {
  tool.options().add_options()
      ("box", po::value<std::string>()->default_value("20"),
       "half-width R of the sampled box [-R,R]^D (parameter units); per-group overrides: '10,w2=20,b2=5' "
       "(groups w1 b1 w2 b2, or single parameter names such as w1_12)")
      ("bins", po::value<int>()->default_value(1000), "uniform loss bins over [0, L_max] (L_max = 1 for xor), 2..10^9")
      ("fine-bins", po::value<int>()->default_value(0), "replace the bins below --fine-until by this many finer ones (0: off)")
      ("fine-until", po::value<double>()->default_value(0.01), "upper end of the finely binned low-loss region (loss units)")
      ("bin-edges", po::value<std::string>(),
       "non-uniform bins: a text file of increasing edges from 0 to L_max (whitespace-separated, '#' comments), "
       "or an xorscape-simplesample/-wanglandau file whose /bins/edges to reuse; replaces --bins and --fine-bins");
}

entropy::EntropyProblem read_problem(const Tool& tool, const NetworkOptions& network) {
  XorLoss loss = network.loss();
  entropy::Box box;
  try {
    box = entropy::parse_box(tool.get<std::string>("box"), loss.layout(), 20.0);
    entropy::check_box(box);
  } catch (const std::invalid_argument& e) {
    throw UsageError("--box", e.what());
  }
  if (tool.has("bin-edges")) {
    if (tool.given("bins") || tool.given("fine-bins"))
      throw UsageError("--bin-edges", "replaces --bins and --fine-bins; give only one of them");
    entropy::LossBinning binning = read_bin_edges(tool.get<std::string>("bin-edges"), entropy::loss_upper_bound(loss));
    return entropy::make_problem(std::move(loss), std::move(box), std::move(binning));
  }
  const int bins = static_cast<int>(require_at_least("--bins", read_bins(tool, "bins"), 2));
  const int fine_bins = static_cast<int>(require_at_least("--fine-bins", read_bins(tool, "fine-bins"), 0));
  const double fine_until = require_positive("--fine-until", tool.get<double>("fine-until"));
  const double top = entropy::loss_upper_bound(loss);
  std::optional<entropy::LossBinning> binning;
  try {
    binning.emplace(0.0, top, bins, fine_until, fine_bins);
  } catch (const std::invalid_argument& e) {
    throw UsageError(fine_bins > 0 ? "--fine-until" : "--bins", e.what());
  }
  return entropy::make_problem(std::move(loss), std::move(box), *binning);
}

void add_simplesample_options(Tool& tool) {
  add_problem_options(tool);
  tool.options().add_options()
      ("samples", po::value<double>()->default_value(1e8), "number of uniform points N (>= 1, up to 1e15)")
      ("block", po::value<int>()->default_value(4096), "points per random stream (part of the result's identity)")
      ("bench", po::bool_switch(), "print evaluation rates for n_h = 2 and 18 and exit (no output file)");
}

entropy::SimpleSamplingJob read_simplesample(const Tool& tool, const NetworkOptions& network) {
  entropy::EntropyProblem problem = read_problem(tool, network);
  const double samples = tool.get<double>("samples");
  if (!std::isfinite(samples) || samples < 1 || samples > 1e15 || samples != std::floor(samples))
    throw UsageError("--samples", "must be a whole number from 1 to 1e15");
  entropy::SimpleSamplingSpec spec;
  spec.samples = static_cast<std::int64_t>(samples);
  spec.seed = tool.seed();
  spec.block = static_cast<int>(require_at_least("--block", tool.get<int>("block"), 1));
  // Per thread: a block of points and their losses, and a count per bin; the result's counts and
  // the sampled entropy (bin, loss, S, error), edges and centres of the bins once.
  const double D = problem.loss.dimension(), threads = tool.threads(), nb = problem.binning.bins();
  const double blocks = threads * 8.0 * (D + 1.0) * spec.block;
  require_memory("--block", blocks, "a block of points on each of the " + std::to_string(tool.threads()) + " threads");
  require_memory("--bins", blocks + nb * (8.0 * threads + 60.0), "the histograms");
  return entropy::SimpleSamplingJob(std::move(problem), spec);
}

void add_wanglandau_options(Tool& tool) {
  add_problem_options(tool);
  tool.options().add_options()
      ("runs", po::value<int>()->default_value(4), "independent runs K (mean of S and its standard error)")
      ("windows", po::value<int>()->default_value(2), "replica-exchange windows over L per run (walkers run on threads)")
      ("overlap", po::value<double>()->default_value(0.75), "fraction of a window shared with its neighbour, in (0, 1)")
      ("flatness", po::value<double>()->default_value(0.8, "0.8"), "flat when min H >= flatness * mean H over visited bins, in (0, 1)")
      ("lnf-initial", po::value<double>()->default_value(1.0), "initial modification factor ln f")
      ("lnf-final", po::value<double>()->default_value(1e-8), "Wang-Landau ends when ln f reaches this")
      ("schedule", po::value<std::string>()->default_value("halving"), "ln f schedule: halving|1/t (Belardinelli-Pereyra)")
      ("production-sweeps", po::value<double>()->default_value(1e6),
       "multicanonical production sweeps (D steps each) per window with fixed weights 1/g; 0: none")
      ("discovery-sweeps", po::value<double>()->default_value(1e7),
       "cap on the range-discovery phase (sweeps); it normally ends at its first flat histogram")
      ("max-sweeps", po::value<double>()->default_value(0.0),
       "cap on Wang-Landau sweeps per window (0: none); a capped run is marked not converged")
      ("round-steps", po::value<int>()->default_value(1 << 18), "steps per walker between replica exchanges")
      ("bins-from", po::value<std::string>(),
       "'pilot': split the bins where a short pilot run (1 run to ln f = 1e-4) finds ln g changing by more than "
       "0.25 per bin into up to 16 equal parts, then run on those bins")
      ("compare", po::value<std::string>(),
       "an xorscape-simplesample file of the same network and box: store (/comparison) and print chi2/dof and the "
       "fraction within 2 sigma over the common bins where both are precise (needs --runs >= 2)")
      ("smooth", po::value<double>()->default_value(0.02), "half-width in L of the local fit behind beta(L) and its derivatives")
      ("bench", po::bool_switch(), "print Wang-Landau step rates (n_h = 2, 18) and 1 -> 2 thread scaling, then exit");
}

namespace {

entropy::WangLandauSpec read_wang_landau_spec(const Tool& tool, double D) {
  auto sweeps = [&](const char* option, double minimum) {
    const double v = require_finite(std::string("--") + option, tool.get<double>(option));
    if (v < minimum || v * D > 9e18) throw UsageError(std::string("--") + option, "out of range");
    return static_cast<std::int64_t>(std::ceil(v * D));
  };
  entropy::WangLandauSpec spec;
  spec.runs = static_cast<int>(require_at_least("--runs", tool.get<int>("runs"), 1));
  spec.windows = static_cast<int>(require_at_least("--windows", tool.get<int>("windows"), 1));
  spec.overlap = tool.get<double>("overlap");
  if (!(spec.overlap > 0.0 && spec.overlap < 1.0)) throw UsageError("--overlap", "must lie in (0, 1)");
  spec.flatness = tool.get<double>("flatness");
  if (!(spec.flatness > 0.0 && spec.flatness < 1.0)) throw UsageError("--flatness", "must lie in (0, 1)");
  spec.ln_f_initial = require_positive("--lnf-initial", tool.get<double>("lnf-initial"));
  spec.ln_f_final = require_positive("--lnf-final", tool.get<double>("lnf-final"));
  if (!(spec.ln_f_final < spec.ln_f_initial)) throw UsageError("--lnf-final", "must be below --lnf-initial");
  try {
    spec.schedule = entropy::parse_schedule(tool.get<std::string>("schedule"));
  } catch (const std::invalid_argument& e) {
    throw UsageError("--schedule", e.what());
  }
  spec.production_steps = sweeps("production-sweeps", 0.0);
  spec.discovery_steps = sweeps("discovery-sweeps", 1.0);
  spec.max_steps = sweeps("max-sweeps", 0.0);
  spec.round_steps = require_at_least("--round-steps", tool.get<int>("round-steps"), 1000);
  spec.seed = tool.seed();
  return spec;
}

// --bins-from pilot: the pilot's ln f, the change of ln g per bin above which a bin is split, and
// the most parts a bin is split into.
constexpr double kPilotLnF = 1e-4, kPilotIncrement = 0.25;
constexpr int kPilotMaxSplit = 16;

// Memory of a run: its discovery walker spans every bin with ln g, two histograms, flags and the
// row of its representative (29 bytes a bin) and keeps one state per bin reached (at most 8 D
// bytes a bin); its windows then hold ln g, histograms and flags each (25 bytes a bin, at most
// every bin each); its results and their combination about 60 bytes a bin. A checkpoint copies
// one walker's visited bins (at most 40 bytes a bin).
void check_wang_landau_memory(const entropy::WangLandauSpec& spec, double bins, double D) {
  const double discovery = bins * (29.0 + 8.0 * D), saving = bins * 40.0;
  require_memory("--bins", discovery + saving, "a run's discovery walker over every bin");
  const double windows = 25.0 * spec.windows * bins;
  require_memory("--windows", windows + saving, "the windows of a run");
  const double per_run = std::max({discovery, windows, 60.0 * bins});
  require_memory("--runs", spec.runs * per_run + saving, std::to_string(spec.runs) + " runs");
}

}  // namespace

// --bins-from pilot: the problem on bins refined where a pilot run finds ln g changing fastest.
// The pilot is deterministic (its own stream), so a resumed run finds the same bins again.
entropy::EntropyProblem refine_by_pilot(entropy::EntropyProblem problem, const entropy::WangLandauSpec& main) {
  entropy::WangLandauSpec spec = main;
  spec.runs = 1;
  spec.production_steps = 0;
  spec.ln_f_final = std::max(main.ln_f_final, kPilotLnF);
  if (!(spec.ln_f_final < spec.ln_f_initial)) spec.ln_f_final = main.ln_f_final;
  spec.seed = main.seed ^ 0x70696c6f74ull;  // "pilot"
  const auto start = SteadyClock::now();
  entropy::NetworkSampler pilot(entropy::XorNetworkModel(problem.loss, problem.box), problem.binning, spec,
                                problem.box.ln_volume());
  pilot.advance();
  const entropy::RunResult r = pilot.result(0);
  entropy::LossBinning refined(entropy::refined_edges(r.ln_g_wang_landau, r.known_wang_landau, problem.binning,
                                                      kPilotIncrement, kPilotMaxSplit));
  std::fprintf(stderr, "pilot (1 run to ln f = %g, %.3g steps, %.1f s): %d bins -> %d bins\n", spec.ln_f_final,
               static_cast<double>(pilot.total_steps()), seconds_since(start), problem.binning.bins(), refined.bins());
  return entropy::make_problem(std::move(problem.loss), std::move(problem.box), std::move(refined));
}

entropy::WangLandauJob read_wanglandau(const Tool& tool, const NetworkOptions& network) {
  entropy::EntropyProblem problem = read_problem(tool, network);
  const double D = problem.loss.dimension();
  const entropy::WangLandauSpec spec = read_wang_landau_spec(tool, D);
  const double smoothing = require_positive("--smooth", tool.get<double>("smooth"));
  if (tool.has("compare") && spec.runs < 2) throw UsageError("--compare", "needs --runs >= 2 for the Wang-Landau error bar");
  if (tool.has("bins-from")) {
    if (tool.get<std::string>("bins-from") != "pilot") throw UsageError("--bins-from", "the only choice is 'pilot'");
    if (problem.binning.bins() > kMaxBins / kPilotMaxSplit)
      throw UsageError("--bins-from", "the refined bins could exceed 10^9");
    if (spec.windows > problem.binning.bins() / 4) throw UsageError("--windows", "needs at least 4 bins per window");
    check_wang_landau_memory(spec, static_cast<double>(problem.binning.bins()) * kPilotMaxSplit, D);
    if (tool.has("compare")) read_comparison_reference(tool, problem);  // a bad file is refused before the pilot
    problem = refine_by_pilot(std::move(problem), spec);
  }
  if (spec.windows > problem.binning.bins() / 4) throw UsageError("--windows", "needs at least 4 bins per window");
  check_wang_landau_memory(spec, problem.binning.bins(), D);
  return entropy::WangLandauJob(std::move(problem), spec, smoothing);
}

std::optional<entropy::SimpleSamplingReference> read_comparison_reference(const Tool& tool,
                                                                         const entropy::EntropyProblem& problem) {
  if (!tool.has("compare")) return std::nullopt;
  const std::string path = tool.get<std::string>("compare");
  if (!std::filesystem::is_regular_file(path)) throw UsageError("--compare", "cannot read " + path);
  try {
    return entropy::read_simplesample_reference(path, problem);
  } catch (const std::exception& e) {
    throw UsageError("--compare", e.what());
  }
}

}  // namespace xorscape::cli
