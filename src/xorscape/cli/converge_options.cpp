#include "xorscape/cli/converge_options.hpp"

#include <sstream>

namespace xorscape::cli {

void add_converge_options(Tool& tool) {
  tool.options().add_options()
      ("center", po::value<std::string>()->default_value("1"),
       "the solution: Table 2 row 1..5, a parameter file, name=value,..., or FILE.h5:SELECTOR (docs/parameter-points.md)")
      ("parameters", po::value<std::string>()->default_value("all"), "parameters to shift: all or A,B,C")
      ("range", po::value<std::string>()->default_value("-10:10"), "shifts Delta LO:HI (added to the optimum)")
      ("resolution", po::value<std::string>()->default_value("41"), "number of Delta values (>= 2)")
      ("runs", po::value<int>()->default_value(100), "randomized-batch runs R averaged per Delta (1..100000)")
      ("eta", po::value<double>()->default_value(0.1, "0.1"), "learning rate")
      ("epochs", po::value<long long>()->default_value(1000000), "epoch budget per Delta")
      ("threshold", po::value<double>()->default_value(0.005, "0.005"),
       "convergence: run-averaged batch loss and run-averaged full loss both below this")
      ("reference", po::bool_switch(), "use the scalar reference path instead of the SIMD kernel");
}

training::ConvergeSweep read_converge_sweep(const Tool& tool, const NetworkOptions& network) {
  training::ConvergeSweep sweep;
  ConvergeSpec& spec = sweep.spec;
  spec.architecture = network.architecture();
  spec.dataset = network.dataset();
  const ParameterLayout layout(spec.architecture.n_hidden);
  const ParameterPoint center = parse_point("--center", tool.get<std::string>("center"), network.description());
  spec.center = center.values;
  sweep.center_source = center.source;
  sweep.center_note = center.note;
  const std::string names = tool.get<std::string>("parameters");
  if (names == "all") {
    for (int k = 0; k < layout.dimension(); ++k) sweep.parameters.push_back(k);
  } else {
    std::stringstream in(names);
    std::string item;
    while (std::getline(in, item, ','))
      try {
        sweep.parameters.push_back(layout.index(item));
      } catch (const std::invalid_argument& e) {
        throw UsageError("--parameters", e.what());
      }
    if (sweep.parameters.empty()) throw UsageError("--parameters", "needs 'all' or parameter names");
  }
  const Range range = parse_range("--range", tool.get<std::string>("range"));
  const auto resolution = parse_resolution("--resolution", tool.get<std::string>("resolution"), 2);
  if (resolution.first != resolution.second) throw UsageError("--resolution", "needs one number N");
  const int n = resolution.first;
  for (int i = 0; i < n; ++i) sweep.shifts.push_back(range.lo + (range.hi - range.lo) * i / (n - 1));
  for (int k : sweep.parameters)
    if (!std::isfinite(spec.center[k] + range.lo) || !std::isfinite(spec.center[k] + range.hi))
      throw UsageError("--range", "the shifted " + layout.name(k) + " is not a finite number");
  spec.runs = static_cast<int>(require_at_least("--runs", tool.get<int>("runs"), 1));
  if (spec.runs > 100000) throw UsageError("--runs", "at most 100000");
  spec.eta = require_positive("--eta", tool.get<double>("eta"));
  spec.max_epochs = require_at_least("--epochs", tool.get<long long>("epochs"), 1);
  spec.threshold = require_positive("--threshold", tool.get<double>("threshold"));
  spec.seed = tool.seed();
  spec.fast_path = !tool.get<bool>("reference");
  // Per task: the runs' states (and a saved copy) plus two chunk buffers; tasks run on all threads.
  const double per_task = 2.0 * spec.runs * (8.0 * layout.dimension() + 200.0) + 2.0 * 8.0 * 4096;
  require_memory("--runs", per_task * tool.threads() + 64.0 * sweep.parameters.size() * n, "this sweep");
  return sweep;
}

}  // namespace xorscape::cli
