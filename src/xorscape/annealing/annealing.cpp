#include "xorscape/annealing/annealing.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
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

// ---- training --------------------------------------------------------------------------

void TrainingTrace::resize(int epochs, int dimension) {
  for (auto* v : {&loss, &accuracy, &magnitude, &imbalance, &temperature, &noise}) v->assign(epochs + 1, 0.0);
  parameters.assign(static_cast<size_t>(epochs + 1) * dimension, 0.0);
}

template <class Model>
TrainingResult train(const Model& model, typename Model::Vector& theta, const TrainingSettings& settings,
                     const NoiseRule& rule, const RestartRule& restart, RandomStream& noise, RandomStream& restarts,
                     TrainingTrace* trace) {
  using Vector = typename Model::Vector;
  const int dimension = model.dimension();
  const int n = model.cases();
  const int epochs = settings.epochs;
  Adam adam(dimension, AdamSettings{.learning_rate = settings.learning_rate});
  Vector gradient = theta;
  std::array<double, 4> losses{}, outputs{};
  TrainingResult result;
  int last_not_right = -1, last_not_converged = -1;
  double window_loss = std::numeric_limits<double>::infinity();
  const bool needs_temperature = rule.gate == Gate::temperature || rule.gate == Gate::magnitude ||
                                 rule.gate == Gate::imbalance || trace != nullptr;
  for (int t = 0;; ++t) {
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
    if (trace) {
      trace->loss[t] = loss;
      trace->accuracy[t] = static_cast<double>(right) / n;
      trace->magnitude[t] = temp.magnitude;
      trace->imbalance[t] = temp.imbalance;
      trace->temperature[t] = temp.temperature;
      std::copy(theta.begin(), theta.end(), trace->parameters.begin() + static_cast<size_t>(t) * dimension);
    }
    if (t == epochs) {
      result.final_loss = loss;
      result.final_accuracy = static_cast<double>(right) / n;
      break;
    }
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
    double amplitude = 0.0;
    bool open = false;
    switch (rule.gate) {
      case Gate::none: break;
      case Gate::temperature:
        open = temp.temperature > rule.threshold;
        amplitude = temp.temperature * rule.base_noise;
        break;
      case Gate::magnitude:
        open = temp.magnitude > rule.threshold;
        amplitude = temp.magnitude * rule.base_noise;
        break;
      case Gate::imbalance:
        open = temp.imbalance > rule.threshold;
        amplitude = temp.imbalance * rule.base_noise;
        break;
      case Gate::always:
        open = true;
        amplitude = rule.constant_amplitude;
        break;
    }
    if (open) {
      double squares = 0.0, largest = 0.0;
      for (auto& v : theta) {
        const double e = noise.normal();
        squares += e * e;
        v += amplitude * e;
        largest = std::max(largest, std::abs(v));
      }
      const double norm = amplitude * std::sqrt(squares);
      ++result.injections;
      result.noise_norm += norm;
      result.noise_amplitude_sum += amplitude;
      if (trace) trace->noise[t] = norm;
      if (!(largest <= kDivergenceLimit)) {
        result.diverged = true;
        result.final_accuracy = 0.0;
        result.final_loss = std::numeric_limits<double>::infinity();
        result.right.fill(false);
        if (trace)
          for (auto* v : {&trace->loss, &trace->accuracy, &trace->magnitude, &trace->imbalance, &trace->temperature})
            std::fill(v->begin() + t + 1, v->end(), -1.0);
        return result;
      }
    }
  }
  result.all_right_epoch = last_not_right < epochs ? last_not_right + 1 : -1;
  result.convergence_epoch = last_not_converged < epochs ? last_not_converged + 1 : -1;
  return result;
}

template TrainingResult train<TwoReluModel>(const TwoReluModel&, TwoReluModel::Vector&, const TrainingSettings&,
                                            const NoiseRule&, const RestartRule&, RandomStream&, RandomStream&,
                                            TrainingTrace*);
template TrainingResult train<NetworkModel>(const NetworkModel&, NetworkModel::Vector&, const TrainingSettings&,
                                            const NoiseRule&, const RestartRule&, RandomStream&, RandomStream&,
                                            TrainingTrace*);

// ---- the experiment --------------------------------------------------------------------

int ExperimentSpec::dimension() const {
  return model == ModelKind::two_relu ? TwoReluModel::kDimension : architecture.dimension();
}

ExperimentResult::ExperimentResult(const ExperimentSpec& spec)
    : points(static_cast<int>(spec.points.size())), arms(static_cast<int>(spec.arms.size())), seeds(spec.seeds),
      dimension(spec.dimension()), traced(spec.traced()), epochs(spec.epochs) {
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
};
GateResult train_gate(const Dataset& data, const std::array<bool, 4>& route, double learning_rate, int epochs) {
  GateResult gate;
  Adam adam(3, AdamSettings{.learning_rate = learning_rate});
  std::array<double, 3> gradient{};
  int last_wrong = -1;
  for (int t = 0;; ++t) {
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
  return TwoReluModel(spec.data, cases);
}
template <>
NetworkModel make_model<NetworkModel>(const ExperimentSpec& spec, std::span<const int> cases) {
  return NetworkModel(spec.architecture, spec.data, cases);
}

template <class Model>
void run_unit_for(const ExperimentSpec& spec, int point, int s, ExperimentResult& result) {
  using Vector = typename Model::Vector;
  const SweepPoint& sp = spec.points[point];
  const Model model = make_model<Model>(spec);
  const int dimension = model.dimension();
  Vector initial{};
  if constexpr (!std::is_same_v<Vector, std::array<double, TwoReluModel::kDimension>>) initial.resize(dimension);
  {
    RandomStream init(spec.seed, {static_cast<std::uint64_t>(s), kInitStream});
    initialise(model, initial, init, sp.init_scale, spec.center);
  }
  std::copy(initial.begin(), initial.end(),
            result.initial_parameters.begin() + (static_cast<size_t>(point) * spec.seeds + s) * dimension);
  const TrainingSettings settings{sp.learning_rate, spec.epochs, spec.converged_loss};
  const NoiseRule eda_rule{Gate::temperature, sp.threshold, sp.base_noise, 0.0};

  auto train_arm = [&](const NoiseRule& rule, const RestartRule& restart, Vector& theta, TrainingTrace* trace) {
    theta = initial;
    RandomStream noise(spec.seed, {static_cast<std::uint64_t>(s), kNoiseStream});
    RandomStream restarts(spec.seed, {static_cast<std::uint64_t>(s), kRestartStream});
    return train(model, theta, settings, rule, restart, noise, restarts, trace);
  };
  auto record_of = [&](const TrainingResult& r, const Vector& theta) {
    RunRecord record;
    record.accuracy = r.final_accuracy;
    record.loss = r.final_loss;
    record.convergence_epoch = r.convergence_epoch;
    record.all_right_epoch = r.all_right_epoch;
    record.injections = r.injections;
    record.noise_norm = r.noise_norm;
    record.restarts = r.restarts;
    record.parameter_count = dimension;
    const Diagnosis d = diagnose(model, theta);
    record.failure = d.failure;
    record.dead_points = d.dead_points;
    if (r.diverged) {
      record.failure = FailureKind::diverged;
      record.dead_points = 0;
      record.loss = -1.0;  // not finite: stored as the missing value
    }
    return record;
  };

  // Runs the arms depend on: constant-noise matches eda's noise, reflection starts from baseline.
  const auto wants = [&](Arm arm) { return std::find(spec.arms.begin(), spec.arms.end(), arm) != spec.arms.end(); };
  TrainingResult baseline, eda;
  Vector baseline_theta = initial, eda_theta = initial;
  const bool traced = s < spec.traced();
  auto arm_index = [&](Arm arm) {
    return static_cast<int>(std::find(spec.arms.begin(), spec.arms.end(), arm) - spec.arms.begin());
  };
  TrainingTrace trace;
  auto trace_for = [&](Arm arm) -> TrainingTrace* {
    if (!traced || !wants(arm)) return nullptr;
    trace.resize(spec.epochs, dimension);
    return &trace;
  };
  auto store = [&](Arm arm, const RunRecord& record, const Vector& theta, const TrainingTrace* t) {
    const int a = arm_index(arm);
    result.runs[result.run_index(point, a, s)] = record;
    std::copy(theta.begin(), theta.end(), result.final_parameters.begin() + result.run_index(point, a, s) * dimension);
    if (!t) return;
    const size_t offset = result.trace_offset(point, a, s);
    std::copy(t->loss.begin(), t->loss.end(), result.trace_loss.begin() + offset);
    std::copy(t->accuracy.begin(), t->accuracy.end(), result.trace_accuracy.begin() + offset);
    std::copy(t->magnitude.begin(), t->magnitude.end(), result.trace_magnitude.begin() + offset);
    std::copy(t->imbalance.begin(), t->imbalance.end(), result.trace_imbalance.begin() + offset);
    std::copy(t->temperature.begin(), t->temperature.end(), result.trace_temperature.begin() + offset);
    std::copy(t->noise.begin(), t->noise.end(), result.trace_noise.begin() + offset);
    std::copy(t->parameters.begin(), t->parameters.end(), result.trace_parameters.begin() + offset * dimension);
  };

  TrainingTrace baseline_trace;
  const TrainingTrace* baseline_trace_used = nullptr;
  if (wants(Arm::baseline) || wants(Arm::reflection)) {
    if (traced) {
      baseline_trace.resize(spec.epochs, dimension);
      baseline_trace_used = &baseline_trace;
    }
    baseline = train_arm(NoiseRule{}, RestartRule{}, baseline_theta, traced ? &baseline_trace : nullptr);
    if (wants(Arm::baseline))
      store(Arm::baseline, record_of(baseline, baseline_theta), baseline_theta, baseline_trace_used);
  }
  if (wants(Arm::eda) || wants(Arm::constant_noise)) {
    TrainingTrace* t = trace_for(Arm::eda);
    eda = train_arm(eda_rule, RestartRule{}, eda_theta, t);
    if (wants(Arm::eda)) store(Arm::eda, record_of(eda, eda_theta), eda_theta, t);
  }
  for (Arm arm : spec.arms) {
    if (arm == Arm::baseline || arm == Arm::eda) continue;
    TrainingTrace* t = trace_for(arm);
    Vector theta = initial;
    if (arm == Arm::constant_noise) {
      // Same average noise amplitude per epoch as the paired eda run, spent every epoch.
      const NoiseRule rule{Gate::always, 0.0, 0.0, eda.noise_amplitude_sum / spec.epochs};
      const TrainingResult r = train_arm(rule, RestartRule{}, theta, t);
      store(arm, record_of(r, theta), theta, t);
    } else if (arm == Arm::magnitude_only || arm == Arm::imbalance_only) {
      const NoiseRule rule{arm == Arm::magnitude_only ? Gate::magnitude : Gate::imbalance, sp.threshold, sp.base_noise,
                           0.0};
      const TrainingResult r = train_arm(rule, RestartRule{}, theta, t);
      store(arm, record_of(r, theta), theta, t);
    } else if (arm == Arm::restart) {
      const RestartRule restart{true, spec.restart_window, spec.restart_tolerance, sp.init_scale, spec.center};
      const TrainingResult r = train_arm(NoiseRule{}, restart, theta, t);
      store(arm, record_of(r, theta), theta, t);
    } else if (arm == Arm::reflection) {
      RunRecord record = record_of(baseline, baseline_theta);
      if (!record.success()) {
        // Error reflection: a second model of the same kind trained on the misclassified
        // cases only, and a gate that routes inputs to it; both train for the same epochs.
        std::vector<int> errors;
        std::array<bool, 4> route{};
        for (int c = 0; c < 4; ++c)
          if (!baseline.right[c]) {
            errors.push_back(c);
            route[c] = true;
          }
        const Model error_model = make_model<Model>(spec, errors);
        Vector error_theta{};
        if constexpr (!std::is_same_v<Vector, std::array<double, TwoReluModel::kDimension>>) error_theta.resize(dimension);
        RandomStream init(spec.seed, {static_cast<std::uint64_t>(s), kReflectionStream});
        initialise(model, error_theta, init, sp.init_scale, spec.center);
        RandomStream unused(spec.seed, {static_cast<std::uint64_t>(s), kNoiseStream});
        const TrainingResult err = train(error_model, error_theta, settings, NoiseRule{}, RestartRule{}, unused, unused);
        const GateResult gate = train_gate(spec.data, route, sp.learning_rate, spec.epochs);
        std::array<bool, 4> right{};
        std::array<bool, 4> dead{};
        double loss = 0.0;
        int n_right = 0;
        for (int c = 0; c < 4; ++c) {
          const Example& e = model.example(c);
          const bool to_error = gate.parameters[0] * e.x1 + gate.parameters[1] * e.x2 + gate.parameters[2] > 0.0;
          const Vector& used = to_error ? error_theta : baseline_theta;
          const double y = model.output(used, e.x1, e.x2);
          right[c] = model.right(y, e.target);
          dead[c] = model.dead(used, e.x1, e.x2);
          loss += 0.25 * (y - e.target) * (y - e.target);
          n_right += right[c];
        }
        record.accuracy = n_right / 4.0;
        record.loss = loss;
        record.parameter_count = 2 * dimension + 3;
        record.dead_points = 0;
        for (int c = 0; c < 4; ++c) record.dead_points += !right[c] && dead[c];
        record.failure = n_right == 4 ? FailureKind::none
                                      : record.dead_points > 0 ? FailureKind::dead_point : FailureKind::other;
        // Epochs: the base run, then the later of the two second-phase convergence epochs.
        record.convergence_epoch = -1;
        record.all_right_epoch = -1;
        if (n_right == 4 && err.all_right_epoch >= 0 && gate.separated_epoch >= 0) {
          record.all_right_epoch = spec.epochs + std::max(err.all_right_epoch, gate.separated_epoch);
          if (loss < spec.converged_loss && err.convergence_epoch >= 0)
            record.convergence_epoch = spec.epochs + std::max(err.convergence_epoch, gate.separated_epoch);
        }
      }
      // Its trace is that of the base run (the second phase trains other models).
      store(arm, record, baseline_theta, baseline_trace_used);
    }
  }
}

}  // namespace

void run_unit(const ExperimentSpec& spec, int point, int seed_index, ExperimentResult& result) {
  if (spec.model == ModelKind::two_relu)
    run_unit_for<TwoReluModel>(spec, point, seed_index, result);
  else
    run_unit_for<NetworkModel>(spec, point, seed_index, result);
  result.done[static_cast<size_t>(point) * spec.seeds + seed_index] = 1;
}

void run_units(const ExperimentSpec& spec, std::span<const std::int64_t> units, ExperimentResult& result,
               const std::function<bool()>& should_stop, const std::function<void(std::int64_t)>& report) {
  std::atomic<std::int64_t> finished{0};
  std::atomic<bool> stop{false};
  const auto count = static_cast<std::int64_t>(units.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t i = 0; i < count; ++i) {
    if (stop.load(std::memory_order_relaxed)) continue;
    const std::int64_t unit = units[i];
    run_unit(spec, static_cast<int>(unit / spec.seeds), static_cast<int>(unit % spec.seeds), result);
    const std::int64_t now = ++finished;
    if (omp_get_thread_num() == 0) {
      if (report) report(now);
      if (should_stop && should_stop()) stop = true;
    }
  }
}

// ---- summary ---------------------------------------------------------------------------

ArmSummary summarize(const ExperimentSpec& spec, const ExperimentResult& result, int point, int arm) {
  ArmSummary s;
  const auto baseline_at = std::find(spec.arms.begin(), spec.arms.end(), Arm::baseline);
  const int baseline = baseline_at == spec.arms.end() ? -1 : static_cast<int>(baseline_at - spec.arms.begin());
  std::vector<double> epochs;
  std::int64_t finite_runs = 0;
  for (int seed = 0; seed < spec.seeds; ++seed) {
    if (!result.done[static_cast<size_t>(point) * spec.seeds + seed]) continue;
    const RunRecord& r = result.run(point, arm, seed);
    ++s.runs;
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
  if (baseline >= 0 && arm != baseline) s.mcnemar_p = mcnemar_exact_p(s.rescued, s.broken);
  return s;
}

}  // namespace xorscape::annealing
