#include "xorscape/cli/train_options.hpp"

#include <cmath>
#include <cstdlib>

namespace xorscape::cli {

namespace {

constexpr std::size_t kMaxRuns = 10000000;

OptimizerSettings read_optimizer(const Tool& tool) {
  OptimizerSettings settings;
  try {
    settings.optimizer = parse_optimizer(tool.get<std::string>("optimizer"));
  } catch (const std::invalid_argument& e) {
    throw UsageError("--optimizer", e.what());
  }
  const std::string batch = tool.get<std::string>("batch");
  if (batch == "auto") {
    settings.batch = settings.optimizer == Optimizer::mc0 || settings.optimizer == Optimizer::gd
                         ? BatchMode::nonrandomized
                         : BatchMode::randomized;
  } else {
    try {
      settings.batch = parse_batch_mode(batch);
    } catch (const std::invalid_argument& e) {
      throw UsageError("--batch", e.what());
    }
    if ((settings.optimizer == Optimizer::gd && settings.batch == BatchMode::randomized) ||
        (settings.optimizer == Optimizer::sgd && settings.batch == BatchMode::nonrandomized))
      throw UsageError("--batch", "gd always uses the nonrandomized batch and sgd randomized batches");
  }
  settings.eta = require_positive("--eta", tool.get<double>("eta"));
  settings.mc_step = require_positive("--mc-step", tool.get<double>("mc-step"));
  return settings;
}

// "LO:HI:N" (N log-spaced values, LO > 0) or "a,b,c".
std::vector<double> parse_eta_sweep(const std::string& text) {
  std::vector<double> etas;
  const size_t first = text.find(':');
  if (first == std::string::npos) {
    etas = parse_numbers("--eta-sweep", text);
  } else {
    const size_t second = text.find(':', first + 1);
    if (second == std::string::npos) throw UsageError("--eta-sweep", "'" + text + "' is not LO:HI:N or a list");
    const Range range = parse_range("--eta-sweep", text.substr(0, second));
    if (range.lo <= 0.0) throw UsageError("--eta-sweep", "log-spaced learning rates need LO > 0");
    const std::string count = text.substr(second + 1);
    char* end = nullptr;
    const long long n = count.empty() ? 0 : std::strtoll(count.c_str(), &end, 10);
    if (count.empty() || *end != '\0' || n < 2 || n > 100000)
      throw UsageError("--eta-sweep", "N in LO:HI:N must be between 2 and 100000");
    for (long long i = 0; i < n; ++i)
      etas.push_back(range.lo * std::pow(range.hi / range.lo, static_cast<double>(i) / static_cast<double>(n - 1)));
  }
  for (double eta : etas) require_positive("--eta-sweep", eta);
  return etas;
}

bool is_number(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return *end == '\0';
}

// LO:HI (uniform per parameter) or any parameter point (cli::parse_point).
training::Initialisation read_init(const std::string& text, const NetworkOptions& network) {
  training::Initialisation init;
  const size_t colon = text.find(':', 1);
  if (colon != std::string::npos && is_number(text.substr(0, colon))) {
    const Range range = parse_range("--init", text);
    init.lo = range.lo;
    init.hi = range.hi;
    init.source = "each parameter uniform in [LO, HI) with LO:HI = " + text;
    return init;
  }
  const ParameterPoint point = parse_point("--init", text, network.description());
  init.uniform = false;
  init.point = point.values;
  init.source = point.source;
  init.note = point.note;
  return init;
}

void read_records(const Tool& tool, training::TrainingPlan& plan) {
  TrainSpec& spec = plan.spec;
  spec.points_per_decade =
      static_cast<int>(require_at_least("--points-per-decade", tool.get<int>("points-per-decade"), 1));
  if (spec.points_per_decade > 10000) throw UsageError("--points-per-decade", "at most 10000");
  const std::string record = tool.get<std::string>("record");
  try {
    spec.record = record == "auto" ? (plan.run_count() <= 32 ? RecordLevel::full : RecordLevel::loss)
                                   : parse_record_level(record);
  } catch (const std::invalid_argument& e) {
    throw UsageError("--record", e.what());
  }
  plan.fit_window_text = tool.get<std::string>("fit-window");
  if (plan.fit_window_text != "auto") {
    const Range range = parse_range("--fit-window", plan.fit_window_text);
    if (range.lo < 1) throw UsageError("--fit-window", "epochs must be at least 1");
    if (range.hi > 1e18) throw UsageError("--fit-window", "epochs must be at most 1e18");
    plan.fit_window = std::pair{static_cast<std::int64_t>(range.lo), static_cast<std::int64_t>(range.hi)};
  }
}

}  // namespace

NetworkChoices train_network_choices() {
  NetworkChoices choices;
  choices.hidden_allowed = {Activation::sigmoid, Activation::tanh, Activation::relu};
  choices.output_allowed = {Activation::sigmoid, Activation::tanh, Activation::identity};
  choices.output_reason = "a relu output unit stops learning once it is negative for every case";
  return choices;
}

void add_train_options(Tool& tool) {
  tool.options().add_options()
      ("optimizer", po::value<std::string>()->default_value("sgd"),
       "gd (full nonrandomized batch, eq. 6) | sgd (randomized batches) | adam | mc0 (zero-temperature Monte Carlo)")
      ("batch", po::value<std::string>()->default_value("auto"),
       "batch for adam and mc0: nonrandomized | randomized (auto: randomized for adam, nonrandomized for mc0)")
      ("eta", po::value<double>()->default_value(0.1, "0.1"), "learning rate (Adam: its step size)")
      ("eta-sweep", po::value<std::string>()->default_value(""),
       "learning-rate sweep: LO:HI:N (N log-spaced values) or a list a,b,c; every value x every seed")
      ("seeds", po::value<int>()->default_value(1), "independent runs (seed indices 0..N-1) per learning rate")
      ("init", po::value<std::string>()->default_value("0:0.1"),
       "initial parameters: LO:HI (each uniform in [LO,HI); default 0.1 r, r in [0,1)) or one point: a Table 2 "
       "solution 1..5, a parameter file, name=value,..., or FILE.h5:SELECTOR (docs/parameter-points.md)")
      ("epochs", po::value<long long>()->default_value(1000000), "epoch budget per run (epoch = one update)")
      ("threshold", po::value<double>()->default_value(0.005, "0.005"),
       "stop a run when its full nonrandomized loss falls below this; 0 = never stop early")
      ("mc-step", po::value<double>()->default_value(0.5),
       "mc0: a move shifts one random parameter by a uniform amount in [-STEP, STEP)")
      ("record", po::value<std::string>()->default_value("auto"),
       "observers: none | loss | full (loss, parameters, activations); auto: full up to 32 runs, else loss")
      ("points-per-decade", po::value<int>()->default_value(50), "recorded epochs per decade of tau (log thinning)")
      ("fit-window", po::value<std::string>()->default_value("auto"),
       "epochs LO:HI for the power-law fit L ~ tau^-gamma; auto: 10 x (first epoch with L < 0.05) to the end")
      ("reference", po::bool_switch(), "use the scalar reference path even where the SIMD kernel applies")
      ("bench", po::bool_switch(), "print full-batch GD epochs/s (n_h = 2) of the reference and SIMD paths; no file")
      ("bench-epochs", po::value<long long>()->default_value(2000000), "epochs per run in --bench (>= 1000)");
}

training::TrainingPlan read_training_plan(const Tool& tool, const NetworkOptions& network) {
  training::TrainingPlan plan;
  TrainSpec& spec = plan.spec;
  spec.architecture = network.architecture();
  spec.dataset = network.dataset();
  spec.optimizer = read_optimizer(tool);
  spec.max_epochs = require_at_least("--epochs", tool.get<long long>("epochs"), 1);
  const double threshold = tool.get<double>("threshold");
  if (!std::isfinite(threshold) || threshold < 0.0) throw UsageError("--threshold", "must be a finite number >= 0");
  spec.threshold = threshold;
  spec.fast_path = !tool.get<bool>("reference");
  plan.seeds = static_cast<int>(require_at_least("--seeds", tool.get<int>("seeds"), 1));
  const std::string sweep = tool.get<std::string>("eta-sweep");
  plan.sweep = !sweep.empty();
  plan.etas = plan.sweep ? parse_eta_sweep(sweep) : std::vector<double>{spec.optimizer.eta};
  if (plan.run_count() > kMaxRuns)
    throw UsageError("--seeds", "too many runs (learning rates x seeds above 1e7)");
  read_records(tool, plan);
  plan.init = read_init(tool.get<std::string>("init"), network);
  plan.seed = tool.seed();
  const std::string runs = std::to_string(plan.run_count()) + (plan.sweep ? " runs (learning rates x seeds)" : " runs");
  require_memory("--seeds", training::estimated_memory(plan), runs + " recording '" + to_string(spec.record) + "'");
  return plan;
}

}  // namespace xorscape::cli
