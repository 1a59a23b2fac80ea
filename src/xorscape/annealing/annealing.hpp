#pragma once
// Error-Driven Annealing (EDA) and the paired trial experiment that tests it.
//
// Temperature (error-driven-annealing-note.md, section 3), for per-example losses l_1..l_N:
//   M = |l|_2,  p = l / sum(l),  H = -sum p log2 p (0 log 0 = 0),  H_max = log2 N,
//   I = ((H_max - H) / H_max)^2,  T = M I.
// sum(l) = 0 (nothing to fix) gives M = I = T = 0; N = 1 gives I = 0 (no distribution to
// be imbalanced).
//
// One epoch of training (both articles): a forward pass over the training cases gives the
// per-example losses l and the gradient of their mean; Adam takes a step; then, after the
// gradient step, the noise rule looks at the l of that forward pass and, when its gate
// opens, adds s * eps to every parameter with eps ~ Normal(0, 1) drawn per parameter.
// For EDA the gate is T > threshold and s = T * base_noise.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "xorscape/annealing/models.hpp"
#include "xorscape/annealing/statistics.hpp"
#include "xorscape/core/dataset.hpp"
#include "xorscape/core/network.hpp"
#include "xorscape/core/rng.hpp"
#include "xorscape/core/run_control.hpp"

namespace xorscape::annealing {

struct Temperature {
  double magnitude = 0.0;  // M = |l|_2
  double entropy = 0.0;    // H in bits
  double uncertainty = 0.0;  // u = (H_max - H)/H_max, in [0, 1] (the author's gate variable)
  double imbalance = 0.0;  // I = u^2, in [0, 1]
  double temperature = 0.0;  // T = M I
};
Temperature temperature(std::span<const double> losses);

// ---- arms ------------------------------------------------------------------------------

enum class Arm { baseline, eda, constant_noise, magnitude_only, imbalance_only, restart, reflection };
inline constexpr int kArmCount = 7;
std::string to_string(Arm arm);
// Throws std::invalid_argument naming the accepted values.
Arm parse_arm(std::string_view text);
const std::array<Arm, kArmCount>& all_arms();

// ---- training --------------------------------------------------------------------------

// Which signal opens the noise gate and sets the amplitude s of the injected noise.
enum class Gate {
  none,         // plain Adam (baseline)
  temperature,  // EDA: T > threshold, s = T base_noise
  magnitude,    // M > threshold, s = M base_noise   (T with I replaced by 1)
  imbalance,    // I > threshold, s = I base_noise   (T with M replaced by 1)
  always        // every epoch, s = constant_amplitude (the constant-noise control)
};

// What the temperature and imbalance gates compare with the threshold: T (or I), as the note
// states, or u = (H_max - H)/H_max unsquared, as the author's code does (its amplitude stays
// T base_noise = M u^2 base_noise).
enum class GateVariable { temperature, uncertainty };
std::string to_string(GateVariable variable);

struct NoiseRule {
  Gate gate = Gate::none;
  double threshold = 0.1;
  double base_noise = 0.01;
  double constant_amplitude = 0.0;
  GateVariable variable = GateVariable::temperature;
};

// The initial law of the parameters. Weights: the model's fan-in uniform law
// U(-s/sqrt(fan_in), s/sqrt(fan_in)) or Normal(0, (s sigma)^2); biases: drawn with the weights by
// the same law (the fan-in law only), zero, Normal(0, (s width)^2) or U(-s width, s width), where s
// is the sweep point's init_scale. The default (fan-in, with the weights) is the model's own
// initialise(), draw for draw. A non-empty `file` gives the first initialisation of seed i as
// row i of `values` (restarts and error reflection still draw from the law).
enum class WeightLaw { fan_in, normal };
enum class BiasLaw { with_weights, zero, normal, uniform };
struct InitLaw {
  WeightLaw weights = WeightLaw::fan_in;
  double weight_sigma = 0.5;
  BiasLaw biases = BiasLaw::with_weights;
  double bias_width = 0.0;
  std::string file;            // where values came from (provenance)
  std::vector<double> values;  // seeds x D, row-major; empty: draw
  bool is_default() const { return weights == WeightLaw::fan_in && biases == BiasLaw::with_weights; }
  std::string describe() const;  // e.g. "normal(0.5) weights, zero biases"
};

// Re-initialisation of a stuck run (the restart control). At every multiple of `window`
// epochs the run is stuck when not all cases are right and the mean loss fell by less
// than `tolerance` (relative) since the previous check; it is then re-initialised from
// fresh draws and Adam's state is reset. The re-initialising epoch takes no gradient step.
struct RestartRule {
  bool enabled = false;
  int window = 200;
  double tolerance = 1e-3;
  double init_scale = 1.0;
  // Draw re-initialisations like the first one: around a centre when it is not empty.
  std::span<const double> center{};
  const InitLaw* law = nullptr;  // the law of re-initialisations (nullptr: the default law)
};

// The initial parameters: the law (InitLaw) with the given scale or, with a non-empty center,
// center + U(-scale, scale) per parameter (scale is then a half-width).
template <TrialModel Model>
void initialise(const Model& model, typename Model::Vector& theta, RandomStream& rng, double scale,
                std::span<const double> center, const InitLaw* law = nullptr) {
  if (!center.empty()) {
    for (size_t k = 0; k < theta.size(); ++k) theta[k] = center[k] + rng.uniform(-scale, scale);
    return;
  }
  if (law == nullptr || law->is_default()) {
    model.initialise(theta, rng, scale);
    return;
  }
  for (size_t k = 0; k < theta.size(); ++k) {
    const int i = static_cast<int>(k);
    const bool bias = model.is_bias(i) && law->biases != BiasLaw::with_weights;
    if (!bias) {
      const double b = model.fan_in_bound(i, scale);
      theta[k] = law->weights == WeightLaw::normal ? scale * law->weight_sigma * rng.normal() : rng.uniform(-b, b);
    } else if (law->biases == BiasLaw::zero) {
      theta[k] = 0.0;
    } else if (law->biases == BiasLaw::normal) {
      theta[k] = scale * law->bias_width * rng.normal();
    } else {
      theta[k] = rng.uniform(-scale * law->bias_width, scale * law->bias_width);
    }
  }
}

struct TrainingSettings {
  double learning_rate = 0.001;
  int epochs = 5000;  // the budget: at most this many updates
  // Convergence epoch: the first epoch t such that at every epoch t' >= t up to the end
  // all cases are right and the mean loss is below converged_loss. "Epoch t" is the state
  // after t updates (t = 0 is the initialisation). -1 when the final state is not converged.
  double converged_loss = 0.01;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // Adam
  // Early stops (the author's rules), both checked on the loss of epoch t before update t+1 is
  // taken, the run then ending at epoch t+1: the loss is below loss_floor (0: never); or the loss
  // has not improved on the best so far by more than patience_delta for more than `patience`
  // epochs in a row (0: never).
  double loss_floor = 0.0;
  int patience = 0;
  double patience_delta = 1e-24;
};

// Per-epoch record of one run (t = 0..epochs; noise[t] is the norm injected in update t+1).
struct TrainingTrace {
  std::vector<double> loss, accuracy, magnitude, imbalance, temperature, noise;
  std::vector<double> parameters;  // (epochs+1) x D, row-major
  void resize(int epochs, int dimension);
};

struct TrainingResult {
  double final_accuracy = 0.0;
  double final_loss = 0.0;
  int convergence_epoch = -1;  // see TrainingSettings::converged_loss
  int epochs_run = 0;          // updates taken: the budget, or fewer after an early stop or divergence
  std::array<double, 4> outputs{};  // per training case at the end
  int all_right_epoch = -1;    // first epoch after which all cases stay right (loss ignored)
  std::int64_t injections = 0;  // epochs whose noise gate opened
  double noise_norm = 0.0;      // sum over injections of |s eps|_2
  double noise_amplitude_sum = 0.0;  // sum over injections of s
  double noise_variance_sum = 0.0;   // sum over injections of s^2
  int restarts = 0;
  // Noise drove a parameter beyond kDivergenceLimit in magnitude: the run stops there,
  // counts as a failure with accuracy 0, and its later trace entries hold -1.
  bool diverged = false;
  // A stop (SIGINT/SIGTERM, RunControl::interrupted()) arrived before the last epoch: the rest
  // of the result is meaningless and the run is redone after a resume.
  bool interrupted = false;
  std::array<bool, 4> right{};  // per training case at the end
};
inline constexpr double kDivergenceLimit = 1e30;

// Trains theta in place. noise draws eps; restarts draws re-initialisations. Every 2^16
// parameter-epochs it asks control.interrupted() (a signal or request_stop(), not the checkpoint
// deadline: a run longer than --checkpoint-every must still finish) and returns early with
// `interrupted` set, so a stop is honoured within a second even in a run of 1e8 epochs.
template <TrialModel Model>
TrainingResult train(const Model& model, typename Model::Vector& theta, const TrainingSettings& settings,
                     const NoiseRule& noise_rule, const RestartRule& restart_rule, RandomStream& noise,
                     RandomStream& restarts, TrainingTrace* trace = nullptr, const RunControl& control = RunControl());

// ---- the paired experiment -------------------------------------------------------------

enum class ModelKind { two_relu, network };
std::string to_string(ModelKind kind);

struct SweepPoint {
  double learning_rate = 0.001;
  double init_scale = 1.0;
  double threshold = 0.1;
  double base_noise = 0.01;
};

// How the constant-noise control matches its paired eda run: the same summed amplitude sum(s)
// (its random walk then has at most eda's variance) or the same summed variance sum(s^2).
enum class NoiseMatch { amplitude, variance };
std::string to_string(NoiseMatch match);

struct ExperimentSpec {
  // The protocol the settings came from ("default" or "article") and the options given explicitly
  // on top of it (provenance only: the settings themselves make the identity).
  std::string protocol = "default";
  std::string protocol_overrides;
  ModelKind model = ModelKind::two_relu;
  Architecture architecture{2, Activation::sigmoid, Activation::sigmoid};  // for ModelKind::network
  Dataset data = dataset_by_name("xor-centered");
  int epochs = 5000;
  // Per-arm budgets and patience, indexed by Arm (-1: epochs; -1: patience).
  std::array<int, kArmCount> arm_epochs{-1, -1, -1, -1, -1, -1, -1};
  std::array<int, kArmCount> arm_patience{-1, -1, -1, -1, -1, -1, -1};
  int patience = 0;  // for the arms without their own
  double patience_delta = 1e-24;
  double loss_floor = 0.0;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  GateVariable gate_variable = GateVariable::temperature;
  bool inclusive_cut = false;  // an output exactly at the class cut counts as the high class
  double trap_tolerance = 1e-9;  // a run is trapped when every final output is this close to the cut
  NoiseMatch noise_match = NoiseMatch::amplitude;
  InitLaw init;
  // Seed stream: 0 is the stream of every earlier file; another value gives fresh, independent
  // initialisations and noise (a sweep's best point is replicated on stream 1).
  std::uint64_t stream = 0;
  // A sweep's best point (the highest success rate of best_arm) is replicated on replicate_seeds
  // fresh initialisations of stream replicate_stream (0: no replication).
  int replicate_seeds = 0;
  std::uint64_t replicate_stream = 1;
  Arm best_arm = Arm::eda;
  double converged_loss = 0.01;
  int restart_window = 200;
  double restart_tolerance = 1e-3;
  std::vector<SweepPoint> points{SweepPoint{}};
  std::vector<Arm> arms{Arm::baseline, Arm::eda};
  // Initialise around this point (size D) with half-width init_scale instead of the fan-in law.
  std::vector<double> center;
  std::string center_source;  // how the center was named, and why its values differ from what was
  std::string center_note;    // named (published rows 3 and 4); provenance only, not in the identity
  int seeds = 50;
  std::uint64_t seed = 1;
  int traces = 0;  // per-epoch traces for seed indices 0..traces-1 of every arm and point
  int dimension() const;
  int epochs_of(Arm arm) const { return arm_epochs[static_cast<int>(arm)] < 0 ? epochs : arm_epochs[static_cast<int>(arm)]; }
  int patience_of(Arm arm) const {
    return arm_patience[static_cast<int>(arm)] < 0 ? patience : arm_patience[static_cast<int>(arm)];
  }
  int max_epochs() const;  // the longest budget of any arm run (the traces' length - 1)
  int traced() const { return traces < seeds ? traces : seeds; }
  // The D parameter names (TwoReluModel's, or the network's in the paper's order).
  std::vector<std::string> parameter_names() const;
  int hidden_units() const { return model == ModelKind::two_relu ? 2 : architecture.n_hidden; }
};

enum class FailureKind : std::int32_t { none = 0, dead_point = 1, other = 2, diverged = 3 };

// The state of a trained model on its four cases: accuracy, which cases are right, and for a
// failure its kind: dead_point when some misclassified case has every hidden pre-activation
// <= 0 (it sends no gradient), otherwise other.
struct Diagnosis {
  double accuracy = 0.0;
  std::array<bool, 4> right{};
  int dead_points = 0;
  FailureKind failure = FailureKind::none;
};
template <TrialModel Model>
Diagnosis diagnose(const Model& model, const typename Model::Vector& theta) {
  Diagnosis d;
  int n_right = 0;
  for (int c = 0; c < model.cases(); ++c) {
    const Example& e = model.example(c);
    d.right[c] = model.right(model.output(theta, e.x1, e.x2), e.target);
    n_right += d.right[c];
    if (!d.right[c] && model.dead(theta, e.x1, e.x2)) ++d.dead_points;
  }
  d.accuracy = static_cast<double>(n_right) / model.cases();
  d.failure = n_right == model.cases() ? FailureKind::none
              : d.dead_points > 0      ? FailureKind::dead_point
                                       : FailureKind::other;
  return d;
}

// One run: one arm on one initialisation at one sweep point.
struct RunRecord {
  double accuracy = 0.0;  // final fraction of the four cases right
  double loss = 0.0;      // final mean squared error over the four cases
  std::int32_t convergence_epoch = -1;
  std::int32_t all_right_epoch = -1;
  std::int64_t injections = 0;
  double noise_norm = 0.0;
  std::int32_t restarts = 0;
  FailureKind failure = FailureKind::none;
  std::int32_t dead_points = 0;  // misclassified cases where every hidden pre-activation <= 0
  std::int32_t parameter_count = 0;  // parameters of the final predictor (reflection: both models + gate)
  std::int32_t epochs_run = 0;  // updates taken (reflection: base run plus second phase when it ran)
  bool trapped = false;  // every final output within trap_tolerance of the class cut
  bool success() const { return failure == FailureKind::none; }
};

// Results of all runs, stored by (point, arm, seed index). Units of work are (point, seed):
// all arms of one initialisation run together so that constant-noise can match its
// paired eda run and reflection can start from its paired baseline run.
struct ExperimentResult {
  int points = 0, arms = 0, seeds = 0, dimension = 0, traced = 0, epochs = 0;
  std::vector<RunRecord> runs;           // [point][arm][seed]
  std::vector<double> initial_parameters;  // [point][seed][D]
  std::vector<double> final_parameters;    // [point][arm][seed][D]; reflection: the base model
  std::vector<std::uint8_t> done;          // [point][seed]
  // Traces [point][arm][k][epoch] (and [...][epoch][D] for parameters).
  std::vector<double> trace_loss, trace_accuracy, trace_magnitude, trace_imbalance, trace_temperature, trace_noise,
      trace_parameters;

  explicit ExperimentResult(const ExperimentSpec& spec);
  ExperimentResult() = default;
  size_t run_index(int point, int arm, int seed) const {
    return (static_cast<size_t>(point) * arms + arm) * seeds + seed;
  }
  size_t trace_offset(int point, int arm, int k) const {
    return ((static_cast<size_t>(point) * arms + arm) * traced + k) * (epochs + 1);
  }
  const RunRecord& run(int point, int arm, int seed) const { return runs[run_index(point, arm, seed)]; }
  std::int64_t completed_units() const;
};

// Runs every arm of unit (point, seed_index), stores the records and marks the unit done.
// Thread-safe for distinct units; the numbers depend only on spec and the unit. Returns false,
// leaving the unit not done, when control.interrupted() stopped one of its runs part-way.
bool run_unit(const ExperimentSpec& spec, int point, int seed_index, ExperimentResult& result,
              const RunControl& control = RunControl());

// ---- summary ---------------------------------------------------------------------------

struct ArmSummary {
  std::int64_t runs = 0, successes = 0;
  double success_rate = 0.0;
  Interval wilson{0.0, 1.0};
  // Convergence epochs among successful runs that converged (NaN when none did).
  std::int64_t converged = 0;
  double convergence_q25 = std::numeric_limits<double>::quiet_NaN();
  double convergence_median = std::numeric_limits<double>::quiet_NaN();
  double convergence_q75 = std::numeric_limits<double>::quiet_NaN();
  // The author's "convergence time": epochs run, over all runs (failures included).
  double epochs_run_q25 = std::numeric_limits<double>::quiet_NaN();
  double epochs_run_median = std::numeric_limits<double>::quiet_NaN();
  double epochs_run_q75 = std::numeric_limits<double>::quiet_NaN();
  std::int64_t trapped = 0;  // runs whose final outputs all lie within trap_tolerance of the cut
  std::array<std::int64_t, 5> accuracy_histogram{};  // final accuracy 0, 25, 50, 75, 100 %
  // Against the paired baseline runs (0 and NaN when the arm is baseline or baseline was not run).
  std::int64_t rescued = 0, broken = 0;
  double mcnemar_p = std::numeric_limits<double>::quiet_NaN();
  std::int64_t failures_dead_point = 0, failures_other = 0, failures_diverged = 0;
  // Failures at exactly 75 % accuracy with exactly one dead point (the article's trap).
  std::int64_t failures_one_dead_at_75 = 0;
  // mean_noise_norm leaves out diverged runs (their last injections swamp any mean).
  double mean_injections = 0.0, mean_noise_norm = 0.0, mean_restarts = 0.0, mean_parameter_count = 0.0;
};
ArmSummary summarize(const ExperimentSpec& spec, const ExperimentResult& result, int point, int arm);

// Cumulative distribution of the convergence epochs: for every (point, arm), the fraction of all
// its runs that converged by each epoch of a grid of at most 1001 epochs from 0 to the last
// possible convergence epoch (2 x epochs with the reflection arm, whose second phase counts too).
struct ConvergenceCdf {
  std::vector<double> epochs;    // the grid, G values
  std::vector<double> fraction;  // [point * arms + arm][g]
};
ConvergenceCdf convergence_cdf(const ExperimentSpec& spec, const ExperimentResult& result);

// The first traced initialisation (points in order) that baseline fails and eda solves: the
// example of the rescue figures. None when either arm is missing or nothing was rescued.
struct RescueExample {
  int point = 0;
  int seed_index = 0;
};
std::optional<RescueExample> find_rescue_example(const ExperimentSpec& spec, const ExperimentResult& result);

// The hidden units of a parameter vector as rows (w_1, w_2, b): unit i's line
// w_1 x1 + w_2 x2 + b = 0 in the input plane.
std::vector<double> hidden_unit_lines(const ExperimentSpec& spec, std::span<const double> theta);

// Everything a file stores about the runs beyond the runs themselves.
struct ExperimentSummary {
  int arm_count = 0;
  std::vector<ArmSummary> arms;  // [point * arm_count + arm]
  ConvergenceCdf cdf;
  std::optional<RescueExample> rescue;
  const ArmSummary& at(int point, int arm) const { return arms[static_cast<size_t>(point) * arm_count + arm]; }
};
ExperimentSummary summarize(const ExperimentSpec& spec, const ExperimentResult& result);

}  // namespace xorscape::annealing
