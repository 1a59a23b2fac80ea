#include "xorscape/cli/anneal_options.hpp"

#include <algorithm>
#include <sstream>

namespace xorscape::cli {

using annealing::Arm;
using annealing::ModelKind;

NetworkChoices anneal_network_choices() {
  NetworkChoices choices;
  choices.output = "same";
  choices.data = "xor-centered";
  return choices;
}

void add_anneal_options(Tool& tool) {
  tool.options().add_options()
      ("arms", po::value<std::string>()->default_value("baseline,eda"),
       "comma list of baseline, eda, constant-noise, magnitude-only, imbalance-only, restart, reflection; or all")
      ("seeds", po::value<long long>()->default_value(50), "initialisations (runs per arm and sweep point), 1..1e8")
      ("epochs", po::value<long long>()->default_value(5000), "epochs per run (full-batch updates), 1..1e8")
      ("eta", po::value<std::string>()->default_value("0.001"), "Adam learning rate(s), comma list (sweep axis)")
      ("lr", po::value<std::string>(), "the same as --eta (its former name)")
      ("init-scale", po::value<std::string>()->default_value("1"),
       "initialisation scale(s) s: parameters from U(-s/sqrt(fan_in), s/sqrt(fan_in)); comma list (sweep axis)")
      ("threshold", po::value<std::string>()->default_value("0.1"),
       "noise gate threshold(s) on T (or M, I for the gating controls); comma list (sweep axis)")
      ("base-noise", po::value<std::string>()->default_value("0.01"),
       "noise amplitude per unit temperature: theta += T*base_noise*Normal(0,1); comma list (sweep axis)")
      ("converged-loss", po::value<double>()->default_value(0.01),
       "convergence needs the mean squared error below this (and all four cases right) to the end")
      ("restart-window", po::value<long long>()->default_value(200), "restart arm: epochs between stuck checks")
      ("restart-tolerance", po::value<double>()->default_value(1e-3),
       "restart arm: stuck when not all right and the loss fell by less than this fraction over a window")
      ("model", po::value<std::string>()->default_value("relu2"),
       "relu2 (two summed ReLU units, 6 parameters; --n-hidden and the activations are fixed) or network (the "
       "2-n_h-1 network of --n-hidden, --activation, --output-activation)")
      ("center", po::value<std::string>()->default_value(""),
       "--model network only: initialise at center + U(-s, s) per parameter (s = --init-scale, a half-width); "
       "a published solution 1..5 (n_h = 2), a parameter file, name=value,... or FILE.h5:SELECTOR "
       "(docs/parameter-points.md); empty: fan-in law")
      ("traces", po::value<long long>()->default_value(3),
       "per-epoch traces (loss, accuracy, T, M, I, noise, parameters) for the first K seeds of each arm and point")
      ("bench", po::bool_switch(), "time the experiment and print epochs per second; writes no file")
      ("quiet", po::bool_switch(), "do not print the summary table")
      ("stop-after-units", po::value<long long>()->default_value(0),
       "testing aid: stop as a signal would once this many (point, seed) units are done (0: never)");
}

namespace {

std::vector<Arm> parse_arms(const std::string& text) {
  if (text == "all") return {annealing::all_arms().begin(), annealing::all_arms().end()};
  std::vector<Arm> arms;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    Arm arm{};
    try {
      arm = annealing::parse_arm(item);
    } catch (const std::invalid_argument& e) {
      throw UsageError("--arms", e.what());
    }
    if (std::find(arms.begin(), arms.end(), arm) != arms.end())
      throw UsageError("--arms", "arm '" + item + "' is listed twice");
    arms.push_back(arm);
  }
  if (arms.empty()) throw UsageError("--arms", "needs at least one arm");
  return arms;
}

// A sweep axis: a comma list of finite values above 0 (or at least 0).
std::vector<double> parse_list(const Tool& tool, const std::string& option, bool allow_zero) {
  std::vector<double> values = parse_numbers("--" + option, tool.get<std::string>(option));
  for (double v : values)
    if (v < 0.0 || (!allow_zero && v == 0.0))
      throw UsageError("--" + option, allow_zero ? "values must be at least 0" : "values must be above 0");
  return values;
}

// --eta, or its alias --lr (not both).
std::vector<double> learning_rates(const Tool& tool) {
  if (!tool.has("lr")) return parse_list(tool, "eta", false);
  if (tool.given("eta")) throw UsageError("--lr", "is another name of --eta; give one of them");
  return parse_list(tool, "lr", false);
}

int bounded(const Tool& tool, const std::string& option, long long minimum) {
  const long long value = require_at_least("--" + option, tool.get<long long>(option), minimum);
  if (value > 100000000) throw UsageError("--" + option, "at most 100000000");
  return static_cast<int>(value);
}

// The model: relu2 has fixed units (and refuses the network options that would change them).
void read_model(const Tool& tool, const NetworkOptions& network, annealing::ExperimentSpec& spec) {
  const std::string model = tool.get<std::string>("model");
  if (model != "relu2" && model != "network") throw UsageError("--model", "'" + model + "' is not relu2 or network");
  spec.model = model == "relu2" ? ModelKind::two_relu : ModelKind::network;
  spec.architecture = network.architecture();
  spec.data = network.dataset();
  if (spec.model == ModelKind::two_relu) {
    if (tool.given("n-hidden") && spec.architecture.n_hidden != 2)
      throw UsageError("--n-hidden", "the relu2 model has two units; use --model network for other n_h");
    for (const char* option : {"activation", "output-activation"})
      if (tool.given(option))
        throw UsageError(std::string("--") + option, "the relu2 model is fixed (ReLU units, identity output)");
  }
  const std::string center = tool.get<std::string>("center");
  if (center.empty()) return;
  if (spec.model != ModelKind::network) throw UsageError("--center", "needs --model network");
  const ParameterPoint point = parse_point("--center", center, network.description());
  spec.center = point.values;
  spec.center_source = point.source;
  spec.center_note = point.note;
}

}  // namespace

AnnealSettings read_anneal_settings(const Tool& tool, const NetworkOptions& network) {
  AnnealSettings settings;
  annealing::ExperimentSpec& spec = settings.experiment;
  spec.arms = parse_arms(tool.get<std::string>("arms"));
  spec.seeds = bounded(tool, "seeds", 1);
  spec.epochs = bounded(tool, "epochs", 1);
  const auto etas = learning_rates(tool);
  const auto scales = parse_list(tool, "init-scale", false);
  const auto thresholds = parse_list(tool, "threshold", true);
  const auto noises = parse_list(tool, "base-noise", true);
  spec.points.clear();
  for (double eta : etas)
    for (double s : scales)
      for (double t : thresholds)
        for (double b : noises) spec.points.push_back({eta, s, t, b});
  spec.converged_loss = require_positive("--converged-loss", tool.get<double>("converged-loss"));
  spec.restart_window = bounded(tool, "restart-window", 1);
  spec.restart_tolerance = require_finite("--restart-tolerance", tool.get<double>("restart-tolerance"));
  if (spec.restart_tolerance < 0.0) throw UsageError("--restart-tolerance", "must be at least 0");
  read_model(tool, network, spec);
  spec.traces = static_cast<int>(std::min<long long>(require_at_least("--traces", tool.get<long long>("traces"), 0),
                                                     spec.seeds));
  spec.seed = tool.seed();
  settings.bench = tool.get<bool>("bench");
  settings.quiet = tool.get<bool>("quiet");
  settings.stop_after_units = require_at_least("--stop-after-units", tool.get<long long>("stop-after-units"), 0);
  // Everything is held in memory until the file is written: per run its record and final
  // parameters, per traced run six series and the parameters at every epoch.
  const double points = static_cast<double>(spec.points.size()), arms = static_cast<double>(spec.arms.size());
  const double D = spec.dimension();
  require_memory("--seeds", points * spec.seeds * (arms * (sizeof(annealing::RunRecord) + 8.0 * D) + 8.0 * D + 1.0),
                 "the runs");
  require_memory("--traces", 8.0 * points * arms * spec.traced() * (spec.epochs + 1.0) * (6.0 + D), "the traces");
  return settings;
}

}  // namespace xorscape::cli
