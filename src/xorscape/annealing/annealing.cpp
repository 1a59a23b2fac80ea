#include "xorscape/annealing/annealing.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "xorscape/training/adam.hpp"

namespace xorscape::annealing {

Temperature temperature(std::span<const double> losses) {
  Temperature t;
  double sum = 0.0, squares = 0.0;
  for (double l : losses) {
    sum += l;
    squares += l * l;
  }
  t.magnitude = std::sqrt(squares);
  const size_t n = losses.size();
  if (!(sum > 0.0) || n < 2) return t;  // no error to distribute, or no distribution: I = T = 0
  double h = 0.0;
  for (double l : losses) {
    if (l <= 0.0) continue;  // 0 log 0 = 0
    const double p = l / sum;
    h -= p * std::log2(p);
  }
  const double h_max = std::log2(static_cast<double>(n));
  h = std::clamp(h, 0.0, h_max);
  const double x = (h_max - h) / h_max;
  t.entropy = h;
  t.uncertainty = x;
  t.imbalance = x * x;
  t.temperature = t.magnitude * t.imbalance;
  return t;
}

// ---- arms ------------------------------------------------------------------------------

const std::array<Arm, kArmCount>& all_arms() {
  static const std::array<Arm, kArmCount> arms{Arm::baseline,       Arm::eda,     Arm::constant_noise,
                                               Arm::magnitude_only, Arm::imbalance_only, Arm::restart,
                                               Arm::reflection};
  return arms;
}

std::string to_string(Arm arm) {
  switch (arm) {
    case Arm::baseline: return "baseline";
    case Arm::eda: return "eda";
    case Arm::constant_noise: return "constant-noise";
    case Arm::magnitude_only: return "magnitude-only";
    case Arm::imbalance_only: return "imbalance-only";
    case Arm::restart: return "restart";
    case Arm::reflection: return "reflection";
  }
  return "?";
}

Arm parse_arm(std::string_view text) {
  for (Arm arm : all_arms())
    if (to_string(arm) == text) return arm;
  throw std::invalid_argument("'" + std::string(text) +
                              "' is not an arm (baseline, eda, constant-noise, magnitude-only, imbalance-only, "
                              "restart, reflection, all)");
}

std::string to_string(ModelKind kind) { return kind == ModelKind::two_relu ? "relu2" : "network"; }

std::string to_string(GateVariable variable) { return variable == GateVariable::temperature ? "T" : "u"; }

std::string to_string(NoiseMatch match) { return match == NoiseMatch::amplitude ? "amplitude" : "variance"; }

std::string InitLaw::describe() const {
  std::ostringstream s;
  s.precision(17);
  if (weights == WeightLaw::fan_in)
    s << "fan-in uniform weights";
  else
    s << "normal(" << weight_sigma << ") weights";
  switch (biases) {
    case BiasLaw::with_weights: s << ", biases with the weights"; break;
    case BiasLaw::zero: s << ", zero biases"; break;
    case BiasLaw::normal: s << ", normal(" << bias_width << ") biases"; break;
    case BiasLaw::uniform: s << ", uniform(" << bias_width << ") biases"; break;
  }
  if (!file.empty()) s << "; first initialisations from " << file;
  return s.str();
}

// ---- training --------------------------------------------------------------------------

void TrainingTrace::resize(int epochs, int dimension) {
  for (auto* v : {&loss, &accuracy, &magnitude, &imbalance, &temperature, &noise}) v->assign(epochs + 1, 0.0);
  parameters.assign(static_cast<size_t>(epochs + 1) * dimension, 0.0);
}

namespace {

// Parameter-epochs between two looks at the RunControl: about a millisecond of work, whatever
// the model's size (every 10923 epochs of the two-ReLU model, every 4 of a network with n_h 4096).
constexpr int kPollWork = 1 << 16;

struct GateDecision {
  bool open = false;
  double amplitude = 0.0;
};

GateDecision decide(const NoiseRule& rule, const Temperature& temp) {
  switch (rule.gate) {
    case Gate::none: return {};
    case Gate::temperature:
      return {(rule.variable == GateVariable::uncertainty ? temp.uncertainty : temp.temperature) > rule.threshold,
              temp.temperature * rule.base_noise};
    case Gate::magnitude: return {temp.magnitude > rule.threshold, temp.magnitude * rule.base_noise};
    case Gate::imbalance:
      return {(rule.variable == GateVariable::uncertainty ? temp.uncertainty : temp.imbalance) > rule.threshold,
              temp.imbalance * rule.base_noise};
    case Gate::always: return {true, rule.constant_amplitude};
  }
  return {};
}

// Adds amplitude * eps to every parameter; returns the norm of the added vector and sets the
// largest parameter magnitude afterwards.
template <class Vector>
double inject(Vector& theta, RandomStream& noise, double amplitude, double& largest) {
  double squares = 0.0;
  largest = 0.0;
  for (auto& v : theta) {
    const double e = noise.normal();
    squares += e * e;
    v += amplitude * e;
    largest = std::max(largest, std::abs(v));
  }
  return amplitude * std::sqrt(squares);
}

template <class Vector>
void record_epoch(TrainingTrace& trace, int t, double loss, double accuracy, const Temperature& temp,
                  const Vector& theta) {
  trace.loss[t] = loss;
  trace.accuracy[t] = accuracy;
  trace.magnitude[t] = temp.magnitude;
  trace.imbalance[t] = temp.imbalance;
  trace.temperature[t] = temp.temperature;
  std::copy(theta.begin(), theta.end(), trace.parameters.begin() + static_cast<size_t>(t) * theta.size());
}

// The run stops at epoch t: a failure with accuracy 0, its later trace entries -1.
void mark_diverged(TrainingResult& result, TrainingTrace* trace, int t) {
  result.diverged = true;
  result.final_accuracy = 0.0;
  result.final_loss = std::numeric_limits<double>::infinity();
  result.right.fill(false);
  if (trace)
    for (auto* v : {&trace->loss, &trace->accuracy, &trace->magnitude, &trace->imbalance, &trace->temperature})
      std::fill(v->begin() + t + 1, v->end(), -1.0);
}

// A run that ended at epoch `end` before the end of its trace: the later entries are missing (-1).
void mark_ended(TrainingTrace* trace, int end) {
  if (!trace || end + 1 >= static_cast<int>(trace->loss.size())) return;
  for (auto* v : {&trace->loss, &trace->accuracy, &trace->magnitude, &trace->imbalance, &trace->temperature})
    std::fill(v->begin() + end + 1, v->end(), -1.0);
  const size_t D = trace->parameters.size() / trace->loss.size();
  std::fill(trace->parameters.begin() + static_cast<std::ptrdiff_t>((end + 1) * D), trace->parameters.end(), -1.0);
}

// The author's early stops on the loss of epoch t (TrainingSettings): true when the run ends at t+1.
struct EarlyStop {
  double best = std::numeric_limits<double>::infinity();
  int stale = 0;
  bool operator()(const TrainingSettings& settings, double loss) {
    if (settings.loss_floor > 0.0 && loss < settings.loss_floor) return true;
    if (settings.patience > 0) {
      if (best - loss > settings.patience_delta) {
        best = loss;
        stale = 0;
      } else if (++stale > settings.patience) {
        return true;
      }
    }
    best = std::min(best, loss);
    return false;
  }
};

}  // namespace

template <TrialModel Model>
TrainingResult train(const Model& model, typename Model::Vector& theta, const TrainingSettings& settings,
                     const NoiseRule& rule, const RestartRule& restart, RandomStream& noise, RandomStream& restarts,
                     TrainingTrace* trace, const RunControl& control) {
  using Vector = typename Model::Vector;
  const int n = model.cases();
  int end = settings.epochs;  // the last epoch: the budget, or earlier after an early stop
  Adam adam(model.dimension(), AdamSettings{.learning_rate = settings.learning_rate, .beta1 = settings.beta1,
                                            .beta2 = settings.beta2, .epsilon = settings.epsilon});
  EarlyStop early_stop;
  const bool may_stop_early = settings.loss_floor > 0.0 || settings.patience > 0;
  Vector gradient = theta;
  std::array<double, 4> losses{}, outputs{};
  TrainingResult result;
  int last_not_right = -1, last_not_converged = -1;
  double window_loss = std::numeric_limits<double>::infinity();
  const bool needs_temperature = rule.gate == Gate::temperature || rule.gate == Gate::magnitude ||
                                 rule.gate == Gate::imbalance || trace != nullptr;
  const int poll_every = std::max(1, kPollWork / model.dimension());
  int countdown = poll_every;
  for (int t = 0;; ++t) {
    if (--countdown == 0) {
      countdown = poll_every;
      if (control.interrupted()) {
        result.interrupted = true;
        return result;
      }
    }
    const double loss = model.evaluate(theta, losses.data(), outputs.data(), gradient);
    int right = 0;
    for (int c = 0; c < n; ++c) {
      result.right[c] = model.right(outputs[c], model.example(c).target);
      right += result.right[c];
    }
    if (right != n) last_not_right = t;
    if (right != n || !(loss < settings.converged_loss)) last_not_converged = t;
    Temperature temp;
    if (needs_temperature) temp = temperature(std::span<const double>(losses.data(), n));
    if (trace) record_epoch(*trace, t, loss, static_cast<double>(right) / n, temp, theta);
    if (t == end) {
      result.final_loss = loss;
      result.final_accuracy = static_cast<double>(right) / n;
      std::copy(outputs.begin(), outputs.end(), result.outputs.begin());
      break;
    }
    if (may_stop_early && early_stop(settings, loss)) end = t + 1;
    if (restart.enabled && t > 0 && t % restart.window == 0) {
      const bool stuck = right != n && window_loss - loss < restart.tolerance * window_loss;
      window_loss = loss;
      if (stuck) {
        initialise(model, theta, restarts, restart.init_scale, restart.center);
        adam.reset();
        ++result.restarts;
        window_loss = std::numeric_limits<double>::infinity();
        continue;
      }
    }
    adam.step(theta, gradient);
    const GateDecision gate = decide(rule, temp);
    if (!gate.open) continue;
    double largest = 0.0;
    const double norm = inject(theta, noise, gate.amplitude, largest);
    ++result.injections;
    result.noise_norm += norm;
    result.noise_amplitude_sum += gate.amplitude;
    result.noise_variance_sum += gate.amplitude * gate.amplitude;
    if (trace) trace->noise[t] = norm;
    if (!(largest <= kDivergenceLimit)) {
      mark_diverged(result, trace, t);
      result.epochs_run = t + 1;
      return result;
    }
  }
  mark_ended(trace, end);
  result.epochs_run = end;
  result.all_right_epoch = last_not_right < end ? last_not_right + 1 : -1;
  result.convergence_epoch = last_not_converged < end ? last_not_converged + 1 : -1;
  return result;
}

template TrainingResult train<TwoReluModel>(const TwoReluModel&, TwoReluModel::Vector&, const TrainingSettings&,
                                            const NoiseRule&, const RestartRule&, RandomStream&, RandomStream&,
                                            TrainingTrace*, const RunControl&);
template TrainingResult train<NetworkModel>(const NetworkModel&, NetworkModel::Vector&, const TrainingSettings&,
                                            const NoiseRule&, const RestartRule&, RandomStream&, RandomStream&,
                                            TrainingTrace*, const RunControl&);

// ---- the experiment --------------------------------------------------------------------

int ExperimentSpec::max_epochs() const {
  int longest = epochs;
  for (int e : arm_epochs) longest = std::max(longest, e);
  return longest;
}

int ExperimentSpec::dimension() const {
  return model == ModelKind::two_relu ? TwoReluModel::kDimension : architecture.dimension();
}

std::vector<std::string> ExperimentSpec::parameter_names() const {
  return model == ModelKind::two_relu ? TwoReluModel::parameter_names() : ParameterLayout(architecture.n_hidden).names();
}

ExperimentResult::ExperimentResult(const ExperimentSpec& spec)
    : points(static_cast<int>(spec.points.size())), arms(static_cast<int>(spec.arms.size())), seeds(spec.seeds),
      dimension(spec.dimension()), traced(spec.traced()), epochs(spec.max_epochs()) {
  const size_t units = static_cast<size_t>(points) * seeds;
  runs.resize(units * arms);
  initial_parameters.resize(units * dimension);
  final_parameters.resize(units * arms * dimension);
  done.assign(units, 0);
  const size_t trace_size = static_cast<size_t>(points) * arms * traced * (epochs + 1);
  for (auto* v : {&trace_loss, &trace_accuracy, &trace_magnitude, &trace_imbalance, &trace_temperature, &trace_noise})
    v->assign(trace_size, 0.0);
  trace_parameters.assign(trace_size * dimension, 0.0);
}

std::int64_t ExperimentResult::completed_units() const { return std::count(done.begin(), done.end(), 1); }

namespace {

// Stream keys of one initialisation (seed index s): shared by every arm and sweep point,
// which is what pairs the arms (same initial parameters, same noise draws).
enum StreamKey : std::uint64_t { kInitStream = 1, kNoiseStream = 2, kRestartStream = 3, kReflectionStream = 4 };

// Logistic-regression gate of error reflection: g(x) = sigmoid(a1 x1 + a2 x2 + c) trained
// by Adam on the mean cross-entropy to send the base model's errors (route = 1) to the
// error model. Returns the epoch after which the routing stays right (-1 if it never does).
struct GateResult {
  std::array<double, 3> parameters{};
  int separated_epoch = -1;
  bool interrupted = false;
};
GateResult train_gate(const Dataset& data, const std::array<bool, 4>& route, double learning_rate, int epochs,
                      const RunControl& control) {
  GateResult gate;
  Adam adam(3, AdamSettings{.learning_rate = learning_rate});
  std::array<double, 3> gradient{};
  int last_wrong = -1;
  for (int t = 0;; ++t) {
    if ((t & 0xFFFF) == 0xFFFF && control.interrupted()) {
      gate.interrupted = true;
      return gate;
    }
    gradient = {0.0, 0.0, 0.0};
    bool all_routed = true;
    for (int m = 0; m < 4; ++m) {
      const Example& e = data.examples[m];
      const double z = gate.parameters[0] * e.x1 + gate.parameters[1] * e.x2 + gate.parameters[2];
      const double g = sigmoid(z);
      if ((z > 0.0) != route[m]) all_routed = false;
      const double d = 0.25 * (g - (route[m] ? 1.0 : 0.0));  // d(cross-entropy)/dz, mean over 4
      gradient[0] += d * e.x1;
      gradient[1] += d * e.x2;
      gradient[2] += d;
    }
    if (!all_routed) last_wrong = t;
    if (t == epochs) break;
    adam.step(gate.parameters, gradient);
  }
  gate.separated_epoch = last_wrong < epochs ? last_wrong + 1 : -1;
  return gate;
}

template <class Model>
Model make_model(const ExperimentSpec& spec, std::span<const int> cases = kNonrandomizedBatch);
template <>
TwoReluModel make_model<TwoReluModel>(const ExperimentSpec& spec, std::span<const int> cases) {
  TwoReluModel model(spec.data, cases);
  model.set_inclusive_cut(spec.inclusive_cut);
  return model;
}
template <>
NetworkModel make_model<NetworkModel>(const ExperimentSpec& spec, std::span<const int> cases) {
  NetworkModel model(spec.architecture, spec.data, cases);
  model.set_inclusive_cut(spec.inclusive_cut);
  return model;
}

// The stream (seed, s, key) of stream 0 (every earlier file's) or of a fresh stream.
RandomStream stream_of(const ExperimentSpec& spec, int s, std::uint64_t key) {
  if (spec.stream == 0) return RandomStream(spec.seed, {static_cast<std::uint64_t>(s), key});
  return RandomStream(spec.seed, {static_cast<std::uint64_t>(s), key, spec.stream});
}

// The training settings of one arm: its budget and patience, the shared Adam and stop settings.
TrainingSettings settings_of(const ExperimentSpec& spec, const SweepPoint& point, Arm arm) {
  TrainingSettings settings{point.learning_rate, spec.epochs_of(arm), spec.converged_loss};
  settings.beta1 = spec.beta1;
  settings.beta2 = spec.beta2;
  settings.epsilon = spec.epsilon;
  settings.loss_floor = spec.loss_floor;
  settings.patience = spec.patience_of(arm);
  settings.patience_delta = spec.patience_delta;
  return settings;
}

// All arms of one unit (sweep point, seed index s): every arm starts from the same initial
// parameters and draws the same noise; constant-noise matches its paired eda run's noise budget
// and reflection starts from its paired baseline run.
template <TrialModel Model>
class UnitRunner {
 public:
  using Vector = typename Model::Vector;

  UnitRunner(const ExperimentSpec& spec, int point, int s, ExperimentResult& result, const RunControl& control)
      : spec_(spec), point_(point), s_(s), result_(result), control_(control), sweep_(spec.points[point]),
        model_(make_model<Model>(spec)), dimension_(model_.dimension()), traced_(s < spec.traced()) {}

  // False when a stop interrupted one of the runs (nothing of this unit counts then).
  bool run() {
    initial_ = new_vector();
    RandomStream init = stream_of(spec_, s_, kInitStream);
    if (spec_.init.values.empty())
      initialise(model_, initial_, init, sweep_.init_scale, spec_.center, &spec_.init);
    else
      std::copy_n(spec_.init.values.begin() + static_cast<std::ptrdiff_t>(s_) * dimension_, dimension_, initial_.begin());
    std::copy(initial_.begin(), initial_.end(),
              result_.initial_parameters.begin() + (static_cast<size_t>(point_) * spec_.seeds + s_) * dimension_);
    if (wants(Arm::baseline) || wants(Arm::reflection)) {
      if (traced_) {
        baseline_trace_.resize(result_.epochs, dimension_);
        baseline_trace_used_ = &baseline_trace_;
      }
      baseline_ = train_arm(Arm::baseline, NoiseRule{}, RestartRule{}, baseline_theta_,
                            traced_ ? &baseline_trace_ : nullptr);
      if (baseline_.interrupted) return false;
      if (wants(Arm::baseline)) store(Arm::baseline, record_of(baseline_, baseline_theta_), baseline_theta_, baseline_trace_used_);
    }
    if (wants(Arm::eda) || wants(Arm::constant_noise)) {
      TrainingTrace* t = trace_for(Arm::eda);
      const NoiseRule eda_rule{Gate::temperature, sweep_.threshold, sweep_.base_noise, 0.0, spec_.gate_variable};
      eda_ = train_arm(Arm::eda, eda_rule, RestartRule{}, eda_theta_, t);
      if (eda_.interrupted) return false;
      if (wants(Arm::eda)) store(Arm::eda, record_of(eda_, eda_theta_), eda_theta_, t);
    }
    for (Arm arm : spec_.arms) {
      if (arm == Arm::baseline || arm == Arm::eda) continue;
      if (!(arm == Arm::reflection ? run_reflection() : run_control(arm))) return false;
    }
    return true;
  }

 private:
  Vector new_vector() const {
    Vector v{};
    if constexpr (!std::is_same_v<Vector, std::array<double, TwoReluModel::kDimension>>) v.resize(dimension_);
    return v;
  }
  bool wants(Arm arm) const { return std::find(spec_.arms.begin(), spec_.arms.end(), arm) != spec_.arms.end(); }
  int arm_index(Arm arm) const {
    return static_cast<int>(std::find(spec_.arms.begin(), spec_.arms.end(), arm) - spec_.arms.begin());
  }
  TrainingTrace* trace_for(Arm arm) {
    if (!traced_ || !wants(arm)) return nullptr;
    trace_.resize(result_.epochs, dimension_);
    return &trace_;
  }

  TrainingResult train_arm(Arm arm, const NoiseRule& rule, const RestartRule& restart, Vector& theta,
                           TrainingTrace* trace) const {
    theta = initial_;
    RandomStream noise = stream_of(spec_, s_, kNoiseStream);
    RandomStream restarts = stream_of(spec_, s_, kRestartStream);
    return train(model_, theta, settings_of(spec_, sweep_, arm), rule, restart, noise, restarts, trace, control_);
  }

  bool trapped(const std::array<double, 4>& outputs, int cases) const {
    for (int c = 0; c < cases; ++c)
      if (!(std::abs(outputs[c] - model_.cut()) <= spec_.trap_tolerance)) return false;
    return true;
  }

  RunRecord record_of(const TrainingResult& r, const Vector& theta) const {
    RunRecord record;
    record.accuracy = r.final_accuracy;
    record.loss = r.final_loss;
    record.convergence_epoch = r.convergence_epoch;
    record.all_right_epoch = r.all_right_epoch;
    record.epochs_run = r.epochs_run;
    record.trapped = !r.diverged && trapped(r.outputs, model_.cases());
    record.injections = r.injections;
    record.noise_norm = r.noise_norm;
    record.restarts = r.restarts;
    record.parameter_count = dimension_;
    const Diagnosis d = diagnose(model_, theta);
    record.failure = d.failure;
    record.dead_points = d.dead_points;
    if (r.diverged) {
      record.failure = FailureKind::diverged;
      record.dead_points = 0;
      record.loss = -1.0;  // not finite: stored as the missing value
    }
    return record;
  }

  void store(Arm arm, const RunRecord& record, const Vector& theta, const TrainingTrace* t) {
    const size_t run = result_.run_index(point_, arm_index(arm), s_);
    result_.runs[run] = record;
    std::copy(theta.begin(), theta.end(), result_.final_parameters.begin() + run * dimension_);
    if (!t) return;
    const size_t offset = result_.trace_offset(point_, arm_index(arm), s_);
    std::copy(t->loss.begin(), t->loss.end(), result_.trace_loss.begin() + offset);
    std::copy(t->accuracy.begin(), t->accuracy.end(), result_.trace_accuracy.begin() + offset);
    std::copy(t->magnitude.begin(), t->magnitude.end(), result_.trace_magnitude.begin() + offset);
    std::copy(t->imbalance.begin(), t->imbalance.end(), result_.trace_imbalance.begin() + offset);
    std::copy(t->temperature.begin(), t->temperature.end(), result_.trace_temperature.begin() + offset);
    std::copy(t->noise.begin(), t->noise.end(), result_.trace_noise.begin() + offset);
    std::copy(t->parameters.begin(), t->parameters.end(), result_.trace_parameters.begin() + offset * dimension_);
  }

  // constant-noise, magnitude-only, imbalance-only and restart.
  bool run_control(Arm arm) {
    TrainingTrace* t = trace_for(arm);
    Vector theta = initial_;
    TrainingResult r;
    if (arm == Arm::constant_noise) {
      // The paired eda run's summed amplitude sum(s) (or summed variance sum(s^2)) spread evenly
      // over every epoch of this arm's budget.
      const double epochs = spec_.epochs_of(arm);
      const double amplitude = spec_.noise_match == NoiseMatch::amplitude ? eda_.noise_amplitude_sum / epochs
                                                                          : std::sqrt(eda_.noise_variance_sum / epochs);
      r = train_arm(arm, NoiseRule{Gate::always, 0.0, 0.0, amplitude}, RestartRule{}, theta, t);
    } else if (arm == Arm::magnitude_only || arm == Arm::imbalance_only) {
      const NoiseRule rule{arm == Arm::magnitude_only ? Gate::magnitude : Gate::imbalance, sweep_.threshold,
                           sweep_.base_noise, 0.0, spec_.gate_variable};
      r = train_arm(arm, rule, RestartRule{}, theta, t);
    } else {
      const RestartRule restart{true,         spec_.restart_window, spec_.restart_tolerance, sweep_.init_scale,
                                spec_.center, &spec_.init};
      r = train_arm(arm, NoiseRule{}, restart, theta, t);
    }
    if (r.interrupted) return false;
    store(arm, record_of(r, theta), theta, t);
    return true;
  }

  // Error reflection: when the baseline run failed, a second model of the same kind trained on
  // the misclassified cases only, and a gate that routes inputs to it; both train for the same
  // epochs. Its trace is that of the base run (the second phase trains other models).
  bool run_reflection() {
    trace_for(Arm::reflection);
    RunRecord record = record_of(baseline_, baseline_theta_);
    if (!record.success()) {
      std::vector<int> errors;
      std::array<bool, 4> route{};
      for (int c = 0; c < 4; ++c)
        if (!baseline_.right[c]) {
          errors.push_back(c);
          route[c] = true;
        }
      const Model error_model = make_model<Model>(spec_, errors);
      Vector error_theta = new_vector();
      RandomStream init = stream_of(spec_, s_, kReflectionStream);
      initialise(model_, error_theta, init, sweep_.init_scale, spec_.center, &spec_.init);
      RandomStream unused = stream_of(spec_, s_, kNoiseStream);
      const TrainingSettings second = settings_of(spec_, sweep_, Arm::reflection);
      const TrainingResult err =
          train(error_model, error_theta, second, NoiseRule{}, RestartRule{}, unused, unused, nullptr, control_);
      if (err.interrupted) return false;
      const GateResult gate = train_gate(spec_.data, route, sweep_.learning_rate, second.epochs, control_);
      if (gate.interrupted) return false;
      routed_record(record, err, gate, error_theta);
    }
    store(Arm::reflection, record, baseline_theta_, baseline_trace_used_);
    return true;
  }

  // The combined predictor: each case goes to the error model where the gate routes it there.
  void routed_record(RunRecord& record, const TrainingResult& err, const GateResult& gate, const Vector& error_theta) const {
    std::array<bool, 4> right{}, dead{};
    std::array<double, 4> outputs{};
    double loss = 0.0;
    int n_right = 0;
    for (int c = 0; c < 4; ++c) {
      const Example& e = model_.example(c);
      const bool to_error = gate.parameters[0] * e.x1 + gate.parameters[1] * e.x2 + gate.parameters[2] > 0.0;
      const Vector& used = to_error ? error_theta : baseline_theta_;
      const double y = model_.output(used, e.x1, e.x2);
      outputs[c] = y;
      right[c] = model_.right(y, e.target);
      dead[c] = model_.dead(used, e.x1, e.x2);
      loss += 0.25 * (y - e.target) * (y - e.target);
      n_right += right[c];
    }
    record.accuracy = n_right / 4.0;
    record.loss = loss;
    record.parameter_count = 2 * dimension_ + 3;
    record.dead_points = 0;
    for (int c = 0; c < 4; ++c) record.dead_points += !right[c] && dead[c];
    record.failure = n_right == 4 ? FailureKind::none : record.dead_points > 0 ? FailureKind::dead_point : FailureKind::other;
    record.trapped = trapped(outputs, 4);
    // Epochs: the base run, then the later of the two second-phase convergence epochs.
    const int base = baseline_.epochs_run;
    record.epochs_run = base + std::max(err.epochs_run, spec_.epochs_of(Arm::reflection));
    record.convergence_epoch = -1;
    record.all_right_epoch = -1;
    if (n_right == 4 && err.all_right_epoch >= 0 && gate.separated_epoch >= 0) {
      record.all_right_epoch = base + std::max(err.all_right_epoch, gate.separated_epoch);
      if (loss < spec_.converged_loss && err.convergence_epoch >= 0)
        record.convergence_epoch = base + std::max(err.convergence_epoch, gate.separated_epoch);
    }
  }

  const ExperimentSpec& spec_;
  const int point_, s_;
  ExperimentResult& result_;
  const RunControl& control_;
  const SweepPoint& sweep_;
  const Model model_;
  const int dimension_;
  const bool traced_;
  Vector initial_{};
  Vector baseline_theta_{}, eda_theta_{};
  TrainingResult baseline_, eda_;
  TrainingTrace trace_, baseline_trace_;
  const TrainingTrace* baseline_trace_used_ = nullptr;
};

}  // namespace

bool run_unit(const ExperimentSpec& spec, int point, int seed_index, ExperimentResult& result,
              const RunControl& control) {
  const bool finished = spec.model == ModelKind::two_relu
                            ? UnitRunner<TwoReluModel>(spec, point, seed_index, result, control).run()
                            : UnitRunner<NetworkModel>(spec, point, seed_index, result, control).run();
  if (finished) result.done[static_cast<size_t>(point) * spec.seeds + seed_index] = 1;
  return finished;
}

// ---- summary ---------------------------------------------------------------------------

ArmSummary summarize(const ExperimentSpec& spec, const ExperimentResult& result, int point, int arm) {
  ArmSummary s;
  const auto baseline_at = std::find(spec.arms.begin(), spec.arms.end(), Arm::baseline);
  const int baseline = baseline_at == spec.arms.end() ? -1 : static_cast<int>(baseline_at - spec.arms.begin());
  std::vector<double> epochs, epochs_run;
  std::int64_t finite_runs = 0;
  for (int seed = 0; seed < spec.seeds; ++seed) {
    if (!result.done[static_cast<size_t>(point) * spec.seeds + seed]) continue;
    const RunRecord& r = result.run(point, arm, seed);
    ++s.runs;
    epochs_run.push_back(r.epochs_run);
    s.trapped += r.trapped;
    if (r.success()) {
      ++s.successes;
      if (r.convergence_epoch >= 0) epochs.push_back(r.convergence_epoch);
    } else {
      (r.failure == FailureKind::dead_point ? s.failures_dead_point
       : r.failure == FailureKind::diverged ? s.failures_diverged
                                             : s.failures_other)++;
      if (r.accuracy == 0.75 && r.dead_points == 1) ++s.failures_one_dead_at_75;
    }
    ++s.accuracy_histogram[std::clamp(static_cast<int>(std::lround(r.accuracy * 4.0)), 0, 4)];
    s.mean_injections += static_cast<double>(r.injections);
    // A diverged run's last injections are astronomically large; they would swamp the mean.
    if (r.failure != FailureKind::diverged) {
      s.mean_noise_norm += r.noise_norm;
      ++finite_runs;
    }
    s.mean_restarts += r.restarts;
    s.mean_parameter_count += r.parameter_count;
    if (baseline >= 0 && arm != baseline) {
      const bool base_ok = result.run(point, baseline, seed).success();
      s.rescued += !base_ok && r.success();
      s.broken += base_ok && !r.success();
    }
  }
  if (s.runs > 0) {
    const double n = static_cast<double>(s.runs);
    s.success_rate = static_cast<double>(s.successes) / n;
    s.mean_injections /= n;
    s.mean_noise_norm = finite_runs > 0 ? s.mean_noise_norm / static_cast<double>(finite_runs) : 0.0;
    s.mean_restarts /= n;
    s.mean_parameter_count /= n;
  }
  s.wilson = wilson_interval(s.successes, s.runs);
  s.converged = static_cast<std::int64_t>(epochs.size());
  if (!epochs.empty()) {
    s.convergence_q25 = quantile(epochs, 0.25);
    s.convergence_median = quantile(epochs, 0.5);
    s.convergence_q75 = quantile(epochs, 0.75);
  }
  if (!epochs_run.empty()) {
    s.epochs_run_q25 = quantile(epochs_run, 0.25);
    s.epochs_run_median = quantile(epochs_run, 0.5);
    s.epochs_run_q75 = quantile(epochs_run, 0.75);
  }
  if (baseline >= 0 && arm != baseline) s.mcnemar_p = mcnemar_exact_p(s.rescued, s.broken);
  return s;
}

ConvergenceCdf convergence_cdf(const ExperimentSpec& spec, const ExperimentResult& result) {
  const bool reflection = std::find(spec.arms.begin(), spec.arms.end(), Arm::reflection) != spec.arms.end();
  const int last = spec.max_epochs() + (reflection ? spec.epochs_of(Arm::reflection) : 0);
  const int G = std::min(last + 1, 1001);
  ConvergenceCdf cdf;
  cdf.epochs.resize(G);
  for (int g = 0; g < G; ++g) cdf.epochs[g] = std::round(static_cast<double>(last) * g / (G - 1));
  cdf.fraction.assign(static_cast<size_t>(result.points) * result.arms * G, 0.0);
  for (int p = 0; p < result.points; ++p)
    for (int a = 0; a < result.arms; ++a) {
      std::vector<double> epochs;
      std::int64_t n = 0;
      for (int s = 0; s < result.seeds; ++s) {
        if (!result.done[static_cast<size_t>(p) * result.seeds + s]) continue;
        ++n;
        const RunRecord& x = result.run(p, a, s);
        if (x.success() && x.convergence_epoch >= 0) epochs.push_back(x.convergence_epoch);
      }
      std::sort(epochs.begin(), epochs.end());
      for (int g = 0; g < G; ++g) {
        const auto count = std::upper_bound(epochs.begin(), epochs.end(), cdf.epochs[g]) - epochs.begin();
        cdf.fraction[(static_cast<size_t>(p) * result.arms + a) * G + g] =
            n > 0 ? static_cast<double>(count) / static_cast<double>(n) : 0.0;
      }
    }
  return cdf;
}

std::optional<RescueExample> find_rescue_example(const ExperimentSpec& spec, const ExperimentResult& result) {
  const auto find_arm = [&](Arm arm) {
    const auto at = std::find(spec.arms.begin(), spec.arms.end(), arm);
    return at == spec.arms.end() ? -1 : static_cast<int>(at - spec.arms.begin());
  };
  const int base = find_arm(Arm::baseline), eda = find_arm(Arm::eda);
  if (base < 0 || eda < 0) return std::nullopt;
  for (int p = 0; p < result.points; ++p)
    for (int s = 0; s < result.traced; ++s)
      if (result.done[static_cast<size_t>(p) * result.seeds + s] && !result.run(p, base, s).success() &&
          result.run(p, eda, s).success())
        return RescueExample{p, s};
  return std::nullopt;
}

std::vector<double> hidden_unit_lines(const ExperimentSpec& spec, std::span<const double> theta) {
  const int units = spec.hidden_units();
  const ParameterLayout layout(units);
  std::vector<double> rows;
  for (int i = 0; i < units; ++i) {
    if (spec.model == ModelKind::two_relu)
      rows.insert(rows.end(), theta.begin() + 3 * i, theta.begin() + 3 * i + 3);
    else
      rows.insert(rows.end(), {theta[layout.w1(i, 0)], theta[layout.w1(i, 1)], theta[layout.b1(i)]});
  }
  return rows;
}

ExperimentSummary summarize(const ExperimentSpec& spec, const ExperimentResult& result) {
  ExperimentSummary summary;
  summary.arm_count = result.arms;
  for (int p = 0; p < result.points; ++p)
    for (int a = 0; a < result.arms; ++a) summary.arms.push_back(summarize(spec, result, p, a));
  summary.cdf = convergence_cdf(spec, result);
  summary.rescue = find_rescue_example(spec, result);
  return summary;
}

}  // namespace xorscape::annealing
