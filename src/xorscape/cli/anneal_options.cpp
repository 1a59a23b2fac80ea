#include "xorscape/cli/anneal_options.hpp"

#include "xorscape/io/h5.hpp"

#include <algorithm>
#include <cmath>
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
      ("protocol", po::value<std::string>()->default_value("default"),
       "default (the settings above) or article (the author's code: --eta 0.01 --base-noise 0.1 --threshold 0.1 "
       "--epochs 5000 --arm-epochs baseline=800 --arm-patience baseline=10 --loss-floor 1e-7 --adam-beta2 0.99 "
       "--gate-on u --success-cut ge --init normal:0.5 --init-bias zero); options given with it override it")
      ("init", po::value<std::string>()->default_value("fan-in"),
       "weight law: fan-in (U(-s/sqrt(fan_in), s/sqrt(fan_in))) or normal:SIGMA (Normal(0, (s SIGMA)^2)), s = --init-scale")
      ("init-bias", po::value<std::string>()->default_value("with-weights"),
       "bias law: with-weights (drawn with the weights, fan-in law only), zero, normal:SIGMA or uniform:HALFWIDTH "
       "(both times s = --init-scale)")
      ("init-file", po::value<std::string>()->default_value(""),
       "first initialisation of seed i from row i of an HDF5 dataset FILE.h5[:DATASET] of shape (seeds, D) or "
       "(points, seeds, D) (point 0); default dataset runs/initial_parameters (an earlier xorscape-anneal file)")
      ("adam-beta1", po::value<double>()->default_value(0.9), "Adam beta1, in [0, 1)")
      ("adam-beta2", po::value<double>()->default_value(0.999), "Adam beta2, in [0, 1)")
      ("adam-epsilon", po::value<double>()->default_value(1e-8), "Adam epsilon, above 0")
      ("gate-on", po::value<std::string>()->default_value("T"),
       "the eda (and imbalance-only) gate compares T (I) with the threshold, or u = (H_max - H)/H_max (the "
       "author's code); the amplitude stays T base_noise (I base_noise)")
      ("success-cut", po::value<std::string>()->default_value("gt"),
       "a case is right when its output is above (gt) or at least (ge) the class cut on the side of its target")
      ("arm-epochs", po::value<std::string>()->default_value(""), "per-arm budgets ARM=N,... (other arms: --epochs)")
      ("patience", po::value<long long>()->default_value(0),
       "stop a run once its loss has not improved by more than --patience-delta for more than N epochs (0: never)")
      ("arm-patience", po::value<std::string>()->default_value(""), "per-arm patience ARM=N,... (other arms: --patience)")
      ("patience-delta", po::value<double>()->default_value(1e-24), "the improvement --patience asks for, at least 0")
      ("loss-floor", po::value<double>()->default_value(0.0), "stop a run once its loss is below this (0: never)")
      ("trap-tolerance", po::value<double>()->default_value(1e-9),
       "a run is trapped when every final output lies within this distance of the class cut")
      ("constant-noise-match", po::value<std::string>()->default_value("amplitude"),
       "the constant-noise arm spends its paired eda run's summed amplitude sum(s) or summed variance sum(s^2)")
      ("stream", po::value<long long>()->default_value(0),
       "seed stream: 0 (every earlier file's draws) or another value for fresh, independent draws (replications)")
      ("replicate", po::value<long long>()->default_value(0),
       "a sweep (more than one point): run its best point again on N fresh seeds of --replicate-stream, stored in "
       "/replication (0: none)")
      ("replicate-stream", po::value<long long>()->default_value(1), "the seed stream of the replication, not --stream")
      ("best-arm", po::value<std::string>()->default_value("eda"), "the arm whose success rate picks the best point")
      ("bench", po::bool_switch(), "time the experiment and print epochs per second; writes no file")
      ("quiet", po::bool_switch(), "do not print the summary table")
      ("stop-after-units", po::value<long long>()->default_value(0),
       "testing aid: stop as a signal would once this many (point, seed) units are done (0: never)");
}

namespace {

// The author's choices (--protocol article): option -> value, as it would be typed.
const std::vector<std::pair<std::string, std::string>>& article_protocol() {
  static const std::vector<std::pair<std::string, std::string>> values{
      {"eta", "0.01"},          {"base-noise", "0.1"},      {"threshold", "0.1"},       {"epochs", "5000"},
      {"arm-epochs", "baseline=800"}, {"arm-patience", "baseline=10"}, {"loss-floor", "1e-7"},
      {"patience-delta", "1e-24"}, {"adam-beta1", "0.9"},    {"adam-beta2", "0.99"},     {"adam-epsilon", "1e-8"},
      {"gate-on", "u"},         {"success-cut", "ge"},      {"init", "normal:0.5"},     {"init-bias", "zero"}};
  return values;
}

// An option's value as text under the protocol: the article's value where --protocol article
// covers it and the option was not given, the option's own (given or default) otherwise.
class ProtocolValues {
 public:
  explicit ProtocolValues(const Tool& tool) : tool_(tool) {
    const std::string protocol = tool.get<std::string>("protocol");
    if (protocol != "default" && protocol != "article")
      throw UsageError("--protocol", "'" + protocol + "' is not default or article");
    article_ = protocol == "article";
  }
  bool article() const { return article_; }
  const std::string* article_value(const std::string& option) const {
    if (!article_ || tool_.given(option) || (option == "eta" && tool_.given("lr"))) return nullptr;
    for (const auto& [name, value] : article_protocol())
      if (name == option) return &value;
    return nullptr;
  }
  std::string text(const std::string& option) const {
    if (const std::string* v = article_value(option)) return *v;
    return tool_.get<std::string>(option);
  }
  double number(const std::string& option) const {
    if (const std::string* v = article_value(option)) return std::stod(*v);
    return require_finite("--" + option, tool_.get<double>(option));
  }
  long long integer(const std::string& option) const {
    if (const std::string* v = article_value(option)) return std::stoll(*v);
    return tool_.get<long long>(option);
  }
  // The options the protocols set that were given explicitly (with "lr" as "eta").
  std::string overrides() const {
    std::string list;
    for (const auto& [name, value] : article_protocol())
      if (tool_.given(name) || (name == "eta" && tool_.given("lr"))) list += (list.empty() ? "" : ",") + name;
    return list;
  }

 private:
  const Tool& tool_;
  bool article_ = false;
};

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
std::vector<double> parse_list(const ProtocolValues& tool, const std::string& option, bool allow_zero) {
  std::vector<double> values = parse_numbers("--" + option, tool.text(option));
  for (double v : values)
    if (v < 0.0 || (!allow_zero && v == 0.0))
      throw UsageError("--" + option, allow_zero ? "values must be at least 0" : "values must be above 0");
  return values;
}

// --eta, or its alias --lr (not both).
std::vector<double> learning_rates(const Tool& tool, const ProtocolValues& values) {
  if (!tool.has("lr")) return parse_list(values, "eta", false);
  if (tool.given("eta")) throw UsageError("--lr", "is another name of --eta; give one of them");
  return parse_list(values, "lr", false);
}

int bounded(const ProtocolValues& tool, const std::string& option, long long minimum) {
  const long long value = require_at_least("--" + option, tool.integer(option), minimum);
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

// ARM=N,... into a per-arm table (-1 where not named).
std::array<int, annealing::kArmCount> parse_arm_values(const ProtocolValues& tool, const std::string& option,
                                                       long long minimum) {
  std::array<int, annealing::kArmCount> table;
  table.fill(-1);
  std::stringstream in(tool.text(option));
  std::string item;
  while (std::getline(in, item, ',')) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) throw UsageError("--" + option, "'" + item + "' is not ARM=N");
    Arm arm{};
    try {
      arm = annealing::parse_arm(item.substr(0, eq));
    } catch (const std::invalid_argument& e) {
      throw UsageError("--" + option, e.what());
    }
    long long value = 0;
    try {
      size_t used = 0;
      value = std::stoll(item.substr(eq + 1), &used);
      if (used != item.size() - eq - 1) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      throw UsageError("--" + option, "'" + item.substr(eq + 1) + "' is not a whole number");
    }
    if (value < minimum || value > 100000000)
      throw UsageError("--" + option, "values must be " + std::to_string(minimum) + "..100000000");
    if (table[static_cast<int>(arm)] >= 0) throw UsageError("--" + option, "arm '" + item.substr(0, eq) + "' is named twice");
    table[static_cast<int>(arm)] = static_cast<int>(value);
  }
  return table;
}

// NAME or NAME:WIDTH; the width must be finite and above 0 where the name needs one.
std::pair<std::string, double> law_of(const std::string& option, const std::string& text) {
  const size_t colon = text.find(':');
  const std::string name = text.substr(0, colon);
  if (colon == std::string::npos) return {name, 0.0};
  const auto widths = parse_numbers("--" + option, text.substr(colon + 1));
  if (widths.size() != 1 || !(widths[0] > 0.0)) throw UsageError("--" + option, "the width after ':' must be one value above 0");
  return {name, widths[0]};
}

void read_init_law(const ProtocolValues& tool, annealing::InitLaw& law) {
  using annealing::BiasLaw;
  const auto [weights, sigma] = law_of("init", tool.text("init"));
  if (weights == "fan-in" && sigma == 0.0) {
    law.weights = annealing::WeightLaw::fan_in;
  } else if (weights == "normal" && sigma > 0.0) {
    law.weights = annealing::WeightLaw::normal;
    law.weight_sigma = sigma;
  } else {
    throw UsageError("--init", "'" + tool.text("init") + "' is not fan-in or normal:SIGMA");
  }
  const auto [biases, width] = law_of("init-bias", tool.text("init-bias"));
  if ((biases == "with-weights" || biases == "zero") && width == 0.0)
    law.biases = biases == "zero" ? BiasLaw::zero : BiasLaw::with_weights;
  else if ((biases == "normal" || biases == "uniform") && width > 0.0)
    law.biases = biases == "normal" ? BiasLaw::normal : BiasLaw::uniform;
  else
    throw UsageError("--init-bias", "'" + tool.text("init-bias") + "' is not with-weights, zero, normal:SIGMA or uniform:W");
  law.bias_width = width;
  if (law.biases == BiasLaw::with_weights && law.weights != annealing::WeightLaw::fan_in)
    throw UsageError("--init-bias", "with-weights needs --init fan-in; name a bias law for --init normal");
}

// --init-file FILE.h5[:DATASET]: rows 0..seeds-1 of a (seeds, D) or (points, seeds, D) dataset.
void read_init_file(const std::string& text, annealing::ExperimentSpec& spec) {
  if (text.empty()) return;
  if (!spec.center.empty()) throw UsageError("--init-file", "cannot be combined with --center");
  const size_t colon = text.rfind(':');
  const bool named = colon != std::string::npos && colon > 0 && text.find(".h5") < colon;
  const std::string path = named ? text.substr(0, colon) : text;
  const std::string dataset = named ? text.substr(colon + 1) : "runs/initial_parameters";
  const auto D = static_cast<size_t>(spec.dimension());
  try {
    const h5::InputFile file(path);
    const auto shape = file.root().shape(dataset);
    if (shape.size() < 2 || shape.back() != D || shape[shape.size() - 2] < static_cast<hsize_t>(spec.seeds))
      throw UsageError("--init-file", dataset + " is not (seeds >= " + std::to_string(spec.seeds) + ", " +
                                          std::to_string(D) + ") nor (points, seeds, " + std::to_string(D) + ")");
    std::vector<double> values = file.root().read_doubles(dataset);
    values.resize(static_cast<size_t>(spec.seeds) * D);
    for (double v : values)
      if (!std::isfinite(v)) throw UsageError("--init-file", dataset + " holds a value that is not finite");
    spec.init.values = std::move(values);
    spec.init.file = text;
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw UsageError("--init-file", "cannot read '" + text + "': " + e.what());
  }
}

void read_replication(const Tool& tool, annealing::ExperimentSpec& spec) {
  const long long seeds = require_at_least("--replicate", tool.get<long long>("replicate"), 0);
  if (seeds > 100000000) throw UsageError("--replicate", "at most 100000000");
  if (seeds > 0 && spec.points.size() < 2)
    throw UsageError("--replicate", "needs a sweep: give more than one value to --eta, --init-scale, --threshold or --base-noise");
  spec.replicate_seeds = static_cast<int>(seeds);
  spec.replicate_stream = static_cast<std::uint64_t>(require_at_least("--replicate-stream", tool.get<long long>("replicate-stream"), 0));
  if (seeds > 0 && spec.replicate_stream == spec.stream)
    throw UsageError("--replicate-stream", "must differ from --stream (the replication needs fresh seeds)");
  try {
    spec.best_arm = annealing::parse_arm(tool.get<std::string>("best-arm"));
  } catch (const std::invalid_argument& e) {
    throw UsageError("--best-arm", e.what());
  }
  if (seeds > 0 && std::find(spec.arms.begin(), spec.arms.end(), spec.best_arm) == spec.arms.end())
    throw UsageError("--best-arm", "arm '" + annealing::to_string(spec.best_arm) + "' is not in --arms");
}

// Everything --protocol covers, and the options beside it.
void read_protocol(const Tool& raw, const ProtocolValues& tool, annealing::ExperimentSpec& spec) {
  spec.protocol = tool.article() ? "article" : "default";
  spec.protocol_overrides = tool.overrides();
  spec.arm_epochs = parse_arm_values(tool, "arm-epochs", 1);
  spec.patience = bounded(tool, "patience", 0);
  spec.arm_patience = parse_arm_values(tool, "arm-patience", 0);
  spec.patience_delta = tool.number("patience-delta");
  if (spec.patience_delta < 0.0) throw UsageError("--patience-delta", "must be at least 0");
  spec.loss_floor = tool.number("loss-floor");
  if (spec.loss_floor < 0.0) throw UsageError("--loss-floor", "must be at least 0");
  spec.beta1 = tool.number("adam-beta1");
  spec.beta2 = tool.number("adam-beta2");
  for (const auto& [option, value] : {std::pair{"adam-beta1", spec.beta1}, std::pair{"adam-beta2", spec.beta2}})
    if (!(value >= 0.0 && value < 1.0)) throw UsageError(std::string("--") + option, "must be in [0, 1)");
  spec.epsilon = require_positive("--adam-epsilon", tool.number("adam-epsilon"));
  const std::string gate = tool.text("gate-on");
  if (gate != "T" && gate != "u") throw UsageError("--gate-on", "'" + gate + "' is not T or u");
  spec.gate_variable = gate == "T" ? annealing::GateVariable::temperature : annealing::GateVariable::uncertainty;
  const std::string cut = tool.text("success-cut");
  if (cut != "gt" && cut != "ge") throw UsageError("--success-cut", "'" + cut + "' is not gt or ge");
  spec.inclusive_cut = cut == "ge";
  spec.trap_tolerance = tool.number("trap-tolerance");
  if (spec.trap_tolerance < 0.0) throw UsageError("--trap-tolerance", "must be at least 0");
  const std::string match = tool.text("constant-noise-match");
  if (match != "amplitude" && match != "variance")
    throw UsageError("--constant-noise-match", "'" + match + "' is not amplitude or variance");
  spec.noise_match = match == "amplitude" ? annealing::NoiseMatch::amplitude : annealing::NoiseMatch::variance;
  spec.stream = static_cast<std::uint64_t>(require_at_least("--stream", raw.get<long long>("stream"), 0));
  read_replication(raw, spec);
  read_init_law(tool, spec.init);
  if (!spec.center.empty() && !spec.init.is_default())
    throw UsageError(raw.given("init-bias") ? "--init-bias" : "--init", "cannot be combined with --center");
  read_init_file(tool.text("init-file"), spec);
}

}  // namespace

AnnealSettings read_anneal_settings(const Tool& tool, const NetworkOptions& network) {
  AnnealSettings settings;
  annealing::ExperimentSpec& spec = settings.experiment;
  const ProtocolValues values(tool);
  spec.arms = parse_arms(tool.get<std::string>("arms"));
  spec.seeds = bounded(values, "seeds", 1);
  spec.epochs = bounded(values, "epochs", 1);
  const auto etas = learning_rates(tool, values);
  const auto scales = parse_list(values, "init-scale", false);
  const auto thresholds = parse_list(values, "threshold", true);
  const auto noises = parse_list(values, "base-noise", true);
  spec.points.clear();
  for (double eta : etas)
    for (double s : scales)
      for (double t : thresholds)
        for (double b : noises) spec.points.push_back({eta, s, t, b});
  spec.converged_loss = require_positive("--converged-loss", tool.get<double>("converged-loss"));
  spec.restart_window = bounded(values, "restart-window", 1);
  spec.restart_tolerance = require_finite("--restart-tolerance", tool.get<double>("restart-tolerance"));
  if (spec.restart_tolerance < 0.0) throw UsageError("--restart-tolerance", "must be at least 0");
  read_model(tool, network, spec);
  read_protocol(tool, values, spec);
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
  require_memory("--traces", 8.0 * points * arms * spec.traced() * (spec.max_epochs() + 1.0) * (6.0 + D), "the traces");
  return settings;
}

}  // namespace xorscape::cli
