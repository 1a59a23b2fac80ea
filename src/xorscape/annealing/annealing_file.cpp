#include "xorscape/annealing/annealing_file.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "xorscape/io/network_file.hpp"

namespace xorscape::annealing {

namespace {

constexpr double kMissing = -1.0;  // stored where a statistic does not exist (documented)

std::vector<double> iota(size_t n) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i);
  return v;
}

std::vector<std::string> arm_names(const ExperimentSpec& spec) {
  std::vector<std::string> names;
  for (Arm a : spec.arms) names.push_back(to_string(a));
  return names;
}

// The absolute paths of the scales of a group's datasets: the output's root holds them, the
// checkpoint's /state its own.
struct Axes {
  std::string point, arm, seed, parameter, trace, epoch;
  explicit Axes(const h5::Group& holder) {
    std::string prefix(static_cast<size_t>(std::max<ssize_t>(0, H5Iget_name(holder.id(), nullptr, 0))), '\0');
    H5Iget_name(holder.id(), prefix.data(), prefix.size() + 1);
    if (prefix.empty() || prefix.back() != '/') prefix += '/';
    point = prefix + "point";
    arm = prefix + "arm_names";
    seed = prefix + "seed_index";
    parameter = prefix + "parameter_names";
    trace = prefix + "trace";
    epoch = prefix + "epoch";
  }
};

// The scales of the runs and traces; parameter_names only when the network description has not
// written it already.
void write_scales(const h5::Group& g, const ExperimentSpec& spec, const ExperimentResult& r, bool parameter_names) {
  g.write_scale("point", iota(r.points),
                {"sweep point: index into /sweep (--eta x --init-scale x --threshold x --base-noise, the last fastest)"});
  g.write_scale("arm_names", arm_names(spec), {"the arms, in the order of --arms"});
  g.write_scale("seed_index", iota(r.seeds),
                {"initialisation i: every arm and sweep point starts from the draws of stream (seed, i)"});
  if (parameter_names) g.write_scale("parameter_names", spec.parameter_names(), {"parameter names"});
  if (r.traced == 0) return;
  g.write_scale("trace", iota(r.traced), {"traced initialisations: seed indices 0..K-1"});
  g.write_scale("epoch", iota(static_cast<size_t>(r.epochs) + 1), {"epoch t: the state after t updates"});
}

template <class T>
void write_field(const h5::Group& runs, const std::string& name, const ExperimentResult& r,
                 const std::function<T(const RunRecord&)>& get, const std::vector<std::string>& axes,
                 const std::string& meaning) {
  std::vector<T> v(r.runs.size());
  for (size_t i = 0; i < r.runs.size(); ++i) v[i] = get(r.runs[i]);
  runs.write(name, std::span<const T>(v), h5::Info{axes, meaning});
}

// Per-run records, shape (point, arm, seed), and the parameters.
void write_runs(const h5::Group& holder, const ExperimentResult& r) {
  const Axes x(holder);
  const h5::Group runs = holder.create_group("runs");
  const std::vector<std::string> pas{x.point, x.arm, x.seed};
  using R = const RunRecord&;
  write_field<double>(runs, "accuracy", r, [](R v) { return v.accuracy; }, pas,
                      "final fraction of the four cases classified right (output above the class cut)");
  write_field<double>(runs, "loss", r, [](R v) { return v.loss; }, pas, "final mean squared error over the four cases");
  write_field<std::int32_t>(runs, "success", r, [](R v) { return v.success(); }, pas,
                            "1 when all four cases are right at the end");
  write_field<std::int32_t>(runs, "convergence_epoch", r, [](R v) { return v.convergence_epoch; }, pas,
                            "see the root attribute convergence_epoch_definition; -1: not converged");
  write_field<std::int32_t>(runs, "all_right_epoch", r, [](R v) { return v.all_right_epoch; }, pas,
                            "first epoch after which all four cases stay right (loss ignored); -1: never");
  write_field<std::int32_t>(runs, "epochs_run", r, [](R v) { return v.epochs_run; }, pas,
                            "updates taken: the arm's budget, or fewer after an early stop (loss floor, patience) or "
                            "divergence; reflection: base run plus second phase (the author's convergence time)");
  write_field<std::int32_t>(runs, "trapped", r, [](R v) { return static_cast<std::int32_t>(v.trapped); }, pas,
                            "1 when every final output lies within trap_tolerance of the class cut (the uniform-loss "
                            "trap, whatever the rounding of its accuracy label)");
  write_field<std::int64_t>(runs, "injections", r, [](R v) { return v.injections; }, pas,
                            "epochs in which noise was added");
  write_field<double>(runs, "noise_norm", r, [](R v) { return v.noise_norm; }, pas,
                      "sum over injections of the Euclidean norm of the added noise vector");
  write_field<std::int32_t>(runs, "restarts", r, [](R v) { return v.restarts; }, pas,
                            "re-initialisations of a stuck run (restart arm)");
  write_field<std::int32_t>(runs, "failure_kind", r, [](R v) { return static_cast<std::int32_t>(v.failure); }, pas,
                            "0 success, 1 dead point (a misclassified case with every hidden pre-activation <= 0), "
                            "2 other failure, 3 diverged (noise drove a parameter beyond 1e30; loss stored as -1)");
  write_field<std::int32_t>(runs, "dead_points", r, [](R v) { return v.dead_points; }, pas,
                            "misclassified cases with every hidden pre-activation <= 0");
  write_field<std::int32_t>(runs, "parameter_count", r, [](R v) { return v.parameter_count; }, pas,
                            "parameters of the final predictor (reflection rescue: base + error model + gate)");
  const std::vector<std::int32_t> done(r.done.begin(), r.done.end());
  runs.write("done", std::span<const std::int32_t>(done), {{x.point, x.seed}, "1 where the unit (point, seed) ran"});
  runs.write("initial_parameters", r.initial_parameters,
             {{x.point, x.seed, x.parameter}, "initial parameters, shared by every arm"});
  runs.write("final_parameters", r.final_parameters,
             {{x.point, x.arm, x.seed, x.parameter}, "parameters at the end; for reflection those of the base model"});
}

// Traces, shape (point, arm, k, epoch): seed indices 0..K-1 of every arm.
void write_traces(const h5::Group& holder, const ExperimentResult& r) {
  const Axes x(holder);
  const h5::Group traces = holder.create_group("traces");
  traces.set_attribute("traced_seed_indices", static_cast<std::int64_t>(r.traced));
  if (r.traced == 0) return;
  const std::vector<std::string> axes{x.point, x.arm, x.trace, x.epoch};
  traces.write("loss", r.trace_loss, {axes, "mean squared error at epoch t (state after t updates)"});
  traces.write("accuracy", r.trace_accuracy, {axes, "fraction of cases right at epoch t"});
  traces.write("magnitude", r.trace_magnitude, {axes, "M = |l|_2 of the per-example losses at epoch t"});
  traces.write("imbalance", r.trace_imbalance, {axes, "I = ((H_max - H)/H_max)^2 at epoch t"});
  traces.write("temperature", r.trace_temperature, {axes, "T = M I at epoch t"});
  traces.write("noise", r.trace_noise, {axes, "norm of the noise added in update t+1 (0: none)"});
  traces.write("parameters", r.trace_parameters, {{x.point, x.arm, x.trace, x.epoch, x.parameter}, "parameters at epoch t"});
}

// The protocol and every setting it covers, as root attributes and per-arm budgets over arm_names.
void write_protocol(const h5::Group& root, const ExperimentSpec& spec) {
  root.set_attribute("protocol", spec.protocol);
  root.set_attribute("protocol_overrides", spec.protocol_overrides);
  root.set_attribute("init_law", spec.init.describe());
  root.set_attribute("init_weights", std::string(spec.init.weights == WeightLaw::fan_in ? "fan-in" : "normal"));
  root.set_attribute("init_weight_sigma", spec.init.weight_sigma);
  const char* biases[] = {"with-weights", "zero", "normal", "uniform"};
  root.set_attribute("init_biases", std::string(biases[static_cast<int>(spec.init.biases)]));
  root.set_attribute("init_bias_width", spec.init.bias_width);
  root.set_attribute("init_file", spec.init.file);
  root.set_attribute("adam_beta1", spec.beta1);
  root.set_attribute("adam_beta2", spec.beta2);
  root.set_attribute("adam_epsilon", spec.epsilon);
  root.set_attribute("gate_variable", to_string(spec.gate_variable));
  root.set_attribute("success_cut", std::string(spec.inclusive_cut ? ">=" : ">"));
  root.set_attribute("loss_floor", spec.loss_floor);
  root.set_attribute("patience_delta", spec.patience_delta);
  root.set_attribute("trap_tolerance", spec.trap_tolerance);
  root.set_attribute("constant_noise_match", to_string(spec.noise_match));
  root.set_attribute("stream", static_cast<std::int64_t>(spec.stream));
  std::vector<double> budgets, patience;
  for (Arm a : spec.arms) {
    budgets.push_back(spec.epochs_of(a));
    patience.push_back(spec.patience_of(a));
  }
  root.write("arm_epochs", budgets, {{"arm_names"}, "epoch budget of each arm (--epochs, --arm-epochs)"});
  root.write("arm_patience", patience,
             {{"arm_names"}, "early stop after more than this many epochs without improvement (0: never)"});
}

// Root attributes: the model and its network description, the run settings, the center.
void write_description(const h5::Group& root, const ExperimentSpec& spec) {
  // Always 1: a checkpoint is a separate file (OUTPUT.checkpoint.h5); kept for readers of older files.
  root.set_attribute("complete", std::int64_t{1});
  root.set_attribute("model", to_string(spec.model));
  if (spec.model == ModelKind::network) {
    io::write_network(root, XorLoss(spec.architecture, spec.data));
  } else {
    root.set_attribute("n_hidden", std::int64_t{2});
    root.set_attribute("dimension", static_cast<std::int64_t>(spec.dimension()));
    root.set_attribute("data", spec.data.name);
    root.write_scale("parameter_names", spec.parameter_names(),
                     {"parameter names of y = ReLU(w0 . x + b0) + ReLU(w1 . x + b1)"});
  }
  root.set_attribute("epochs", static_cast<std::int64_t>(spec.epochs));
  root.set_attribute("converged_loss", spec.converged_loss);
  root.set_attribute("missing_value", kMissing);
  root.set_attribute("convergence_epoch_definition",
                     std::string("first epoch t such that at every epoch t' >= t up to the end all four cases are "
                                 "right and the mean loss is below converged_loss; epoch t is the state after t "
                                 "updates; -1 when the final state is not converged"));
  if (spec.center.empty()) return;
  root.write("center", spec.center,
             {{"parameter_names"}, "initial parameters are drawn from center + U(-s, s), s = init_scale"});
  root.set_attribute("center_source", spec.center_source);
  if (!spec.center_note.empty()) root.set_attribute("center_note", spec.center_note);
}

void write_sweep(const h5::Group& root, const ExperimentSpec& spec) {
  const h5::Group sweep = root.create_group("sweep");
  std::vector<double> eta, scale, threshold, noise;
  for (const SweepPoint& p : spec.points) {
    eta.push_back(p.learning_rate);
    scale.push_back(p.init_scale);
    threshold.push_back(p.threshold);
    noise.push_back(p.base_noise);
  }
  sweep.write("learning_rate", eta, {{"/point"}, "Adam learning rate (--eta)"});
  sweep.write("init_scale", scale, {{"/point"}, "weights and biases drawn from U(-s/sqrt(fan_in), s/sqrt(fan_in))"});
  sweep.write("threshold", threshold, {{"/point"}, "noise gate: T (or M, or I) above this value"});
  sweep.write("base_noise", noise, {{"/point"}, "noise amplitude per unit of T: theta += T base_noise eps"});
}

struct SummaryField {
  const char* name;
  double (*get)(const ArmSummary&);
  const char* meaning;
};

// clang-format off
const SummaryField kSummaryFields[] = {
    {"runs", [](const ArmSummary& s) { return static_cast<double>(s.runs); }, "runs completed"},
    {"successes", [](const ArmSummary& s) { return static_cast<double>(s.successes); }, "runs with all four cases right at the end"},
    {"success_rate", [](const ArmSummary& s) { return s.success_rate; }, "successes / runs"},
    {"wilson_lo", [](const ArmSummary& s) { return s.wilson.lo; }, "Wilson 95 % interval of the success rate, lower"},
    {"wilson_hi", [](const ArmSummary& s) { return s.wilson.hi; }, "Wilson 95 % interval of the success rate, upper"},
    {"converged", [](const ArmSummary& s) { return static_cast<double>(s.converged); }, "successes with a convergence epoch"},
    {"convergence_q25", [](const ArmSummary& s) { return s.convergence_q25; },
     "first quartile of the convergence epoch among successes (type-7 quantile); -1: none"},
    {"convergence_median", [](const ArmSummary& s) { return s.convergence_median; },
     "median convergence epoch among successes; -1: none"},
    {"convergence_q75", [](const ArmSummary& s) { return s.convergence_q75; },
     "third quartile of the convergence epoch among successes; -1: none"},
    {"epochs_run_q25", [](const ArmSummary& s) { return s.epochs_run_q25; },
     "first quartile of epochs run over all runs, failures included (the author's convergence time)"},
    {"epochs_run_median", [](const ArmSummary& s) { return s.epochs_run_median; },
     "median of epochs run over all runs, failures included (the author's convergence time)"},
    {"epochs_run_q75", [](const ArmSummary& s) { return s.epochs_run_q75; },
     "third quartile of epochs run over all runs, failures included"},
    {"trapped", [](const ArmSummary& s) { return static_cast<double>(s.trapped); },
     "runs whose final outputs all lie within trap_tolerance of the class cut"},
    {"rescued", [](const ArmSummary& s) { return static_cast<double>(s.rescued); }, "paired baseline failed, this arm succeeded"},
    {"broken", [](const ArmSummary& s) { return static_cast<double>(s.broken); }, "paired baseline succeeded, this arm failed"},
    {"mcnemar_p", [](const ArmSummary& s) { return s.mcnemar_p; },
     "exact two-sided McNemar p-value against baseline (binomial on rescued vs broken); -1: baseline itself or "
     "baseline not run"},
    {"failures_dead_point", [](const ArmSummary& s) { return static_cast<double>(s.failures_dead_point); }, "failures with a dead point"},
    {"failures_other", [](const ArmSummary& s) { return static_cast<double>(s.failures_other); }, "failures without a dead point"},
    {"failures_diverged", [](const ArmSummary& s) { return static_cast<double>(s.failures_diverged); },
     "runs stopped because noise drove a parameter beyond 1e30"},
    {"failures_one_dead_at_75", [](const ArmSummary& s) { return static_cast<double>(s.failures_one_dead_at_75); },
     "failures at exactly 75 % accuracy with exactly one dead point"},
    {"mean_injections", [](const ArmSummary& s) { return s.mean_injections; }, "mean noise injections per run"},
    {"mean_noise_norm", [](const ArmSummary& s) { return s.mean_noise_norm; },
     "mean total noise norm per run, over runs that did not diverge"},
    {"mean_restarts", [](const ArmSummary& s) { return s.mean_restarts; }, "mean re-initialisations per run"},
    {"mean_parameter_count", [](const ArmSummary& s) { return s.mean_parameter_count; },
     "mean parameter count of the final predictor"},
};
// clang-format on

// Summary per (point, arm), the accuracy histogram and the convergence CDF, as summarize() made them.
void write_summary(const h5::Group& root, const ExperimentSummary& summary) {
  const h5::Group group = root.create_group("summary");
  for (const SummaryField& field : kSummaryFields) {
    std::vector<double> v;
    for (const ArmSummary& s : summary.arms) {
      const double value = field.get(s);
      v.push_back(std::isnan(value) ? kMissing : value);
    }
    group.write(field.name, v, {{"/point", "/arm_names"}, field.meaning});
  }
  root.write_scale("final_accuracy", std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0}, {"final accuracy of a run"});
  std::vector<std::int64_t> histogram;
  for (const ArmSummary& s : summary.arms)
    histogram.insert(histogram.end(), s.accuracy_histogram.begin(), s.accuracy_histogram.end());
  group.write("accuracy_histogram", std::span<const std::int64_t>(histogram),
              {{"/point", "/arm_names", "/final_accuracy"}, "runs ending at 0, 25, 50, 75, 100 % accuracy"});
  // 2-D tables (row point * arms + arm), so that gnuplot reads them through xorscape-export.
  root.write_scale("point_arm", iota(summary.arms.size()), {"row of the CDF: point * number of arms + arm"});
  const std::vector<double> table(histogram.begin(), histogram.end());
  group.write("accuracy_histogram_table", table,
              {{"/point_arm", "/final_accuracy"}, "accuracy_histogram as rows point * arms + arm (for gnuplot)"});
  root.write_scale("cdf_epoch", summary.cdf.epochs, {"epochs at which the CDF is given"});
  group.write("convergence_cdf", summary.cdf.fraction,
              {{"/point_arm", "/cdf_epoch"},
               "fraction of all runs of (point, arm) whose convergence epoch is <= the epoch of the column; row index "
               "= point * arms + arm"});
}

// The rescue example's eda trace as 1-D series and the hidden units' lines before (baseline's
// final state) and after (eda's final state), for the rescue figures.
void write_rescue_example(const h5::Group& root, const ExperimentSpec& spec, const ExperimentResult& r,
                          const std::optional<RescueExample>& rescue) {
  const h5::Group group = root.create_group("rescue_example");
  group.set_attribute("found", static_cast<std::int64_t>(rescue.has_value()));
  group.set_attribute("meaning", std::string("first traced seed (points in order) that baseline fails and eda solves"));
  if (!rescue) return;
  const int point = rescue->point, k = rescue->seed_index;
  const int base = static_cast<int>(std::find(spec.arms.begin(), spec.arms.end(), Arm::baseline) - spec.arms.begin());
  const int eda = static_cast<int>(std::find(spec.arms.begin(), spec.arms.end(), Arm::eda) - spec.arms.begin());
  group.set_attribute("point", static_cast<std::int64_t>(point));
  group.set_attribute("seed_index", static_cast<std::int64_t>(k));
  const size_t E = static_cast<size_t>(r.epochs) + 1;
  auto series = [&](const std::vector<double>& all, int arm) {
    const auto first = all.begin() + static_cast<std::ptrdiff_t>(r.trace_offset(point, arm, k));
    return std::vector<double>(first, first + static_cast<std::ptrdiff_t>(E));
  };
  group.write_scale("epoch", iota(E), {"epoch t: the state after t updates"});
  for (const auto& [name, all] : {std::pair<std::string, const std::vector<double>*>{"loss", &r.trace_loss},
                                  {"accuracy", &r.trace_accuracy},
                                  {"temperature", &r.trace_temperature},
                                  {"magnitude", &r.trace_magnitude},
                                  {"imbalance", &r.trace_imbalance},
                                  {"noise", &r.trace_noise}})
    group.write(name, series(*all, eda), {{"epoch"}, "eda run"});
  group.write("baseline_loss", series(r.trace_loss, base), {{"epoch"}, "the paired baseline run"});
  group.write("baseline_accuracy", series(r.trace_accuracy, base), {{"epoch"}, "the paired baseline run"});
  group.write_index_scale("hidden_unit", static_cast<size_t>(spec.hidden_units()), {"hidden unit i"});
  group.write_scale("unit_coefficient", std::vector<std::string>{"w_1", "w_2", "b"},
                    {"the unit's line w_1 x1 + w_2 x2 + b = 0 in the input plane"});
  const auto D = static_cast<size_t>(r.dimension);
  auto lines = [&](const std::vector<double>& all, size_t row) {
    return hidden_unit_lines(spec, std::span<const double>(all).subspan(row * D, D));
  };
  const std::vector<std::string> units{"hidden_unit", "unit_coefficient"};
  group.write("units_initial", lines(r.initial_parameters, static_cast<size_t>(point) * r.seeds + k),
              {units, "the shared initial hidden units (w_1, w_2, b), one row each"});
  group.write("units_before", lines(r.final_parameters, r.run_index(point, base, k)),
              {units, "baseline's final hidden units (w_1, w_2, b), one row each"});
  group.write("units_after", lines(r.final_parameters, r.run_index(point, eda, k)),
              {units, "eda's final hidden units (w_1, w_2, b), one row each"});
  std::vector<double> cases;
  for (const Example& e : spec.data.examples) cases.insert(cases.end(), {e.x1, e.x2, e.target});
  group.write_index_scale("case", 4, {"training case, in table order"});
  group.write_scale("case_column", std::vector<std::string>{"x1", "x2", "target"}, {"columns of cases"});
  group.write("cases", cases, {{"case", "case_column"}, "the four training cases"});
}

}  // namespace

void write_experiment(const h5::Group& root, const ExperimentSpec& spec, const ExperimentResult& result,
                      const ExperimentSummary& summary) {
  write_description(root, spec);
  write_scales(root, spec, result, false);
  write_protocol(root, spec);
  // Index coordinates of the arm and parameter axes (the files before the scales moved to the root had them).
  root.write("arm_index", iota(result.arms), {{"arm_names"}, "position of each arm in --arms"});
  root.write("parameter_index", iota(result.dimension), {{"parameter_names"}, "position in the parameter vector"});
  write_sweep(root, spec);
  write_runs(root, result);
  write_summary(root, summary);
  write_traces(root, result);
  write_rescue_example(root, spec, result, summary.rescue);
}

void write_replication(const h5::Group& root, const ExperimentSpec& spec, const ExperimentResult& sweep,
                       int best_point, const ExperimentSpec& replica_spec, const ExperimentResult& replica) {
  const h5::Group group = root.create_group("replication");
  group.set_attribute("best_point", static_cast<std::int64_t>(best_point));
  group.set_attribute("points_searched", static_cast<std::int64_t>(spec.points.size()));
  group.set_attribute("best_arm", to_string(spec.best_arm));
  group.set_attribute("stream", static_cast<std::int64_t>(replica_spec.stream));
  group.set_attribute("seeds", static_cast<std::int64_t>(replica_spec.seeds));
  group.set_attribute("meaning", std::string("the sweep point with the highest success rate of best_arm (the maximum of "
                                             "points_searched points, biased upwards), run again on fresh seeds"));
  std::vector<double> sweep_rate;
  for (int a = 0; a < sweep.arms; ++a) sweep_rate.push_back(summarize(spec, sweep, best_point, a).success_rate);
  group.write("sweep_success_rate", sweep_rate, {{"/arm_names"}, "success rate at the best point in the sweep itself"});
  for (const SummaryField& field : kSummaryFields) {
    std::vector<double> v;
    for (int a = 0; a < replica.arms; ++a) {
      const double value = field.get(summarize(replica_spec, replica, 0, a));
      v.push_back(std::isnan(value) ? kMissing : value);
    }
    group.write(field.name, v, {{"/arm_names"}, std::string(field.meaning) + " (replication)"});
  }
  group.write_scale("seed_index", iota(replica.seeds), {"replication initialisation i: stream (seed, i, stream)"});
  std::vector<std::int32_t> success(replica.runs.size());
  for (size_t i = 0; i < success.size(); ++i) success[i] = replica.runs[i].success();
  group.write("success", std::span<const std::int32_t>(success),
              {{"/arm_names", "seed_index"}, "1 when the replication run ended with all four cases right"});
}

void write_state(const h5::Group& state, const ExperimentSpec& spec, const ExperimentResult& result) {
  write_scales(state, spec, result, true);
  write_runs(state, result);
  write_traces(state, result);
}

void read_state(const h5::Group& state, ExperimentResult& r) {
  auto doubles = [&](const std::string& n) { return state.read_doubles(n); };
  auto ints = [&](const std::string& n) { return state.read_ints(n); };
  const auto accuracy = doubles("runs/accuracy"), loss = doubles("runs/loss"), noise = doubles("runs/noise_norm");
  const auto conv = ints("runs/convergence_epoch"), right = ints("runs/all_right_epoch"),
             inj = ints("runs/injections"), ran = ints("runs/epochs_run"), trapped = ints("runs/trapped"), restarts = ints("runs/restarts"), kind = ints("runs/failure_kind"),
             dead = ints("runs/dead_points"), count = ints("runs/parameter_count"), done = ints("runs/done");
  auto initial = doubles("runs/initial_parameters"), final = doubles("runs/final_parameters");
  if (accuracy.size() != r.runs.size() || done.size() != r.done.size() || initial.size() != r.initial_parameters.size() ||
      final.size() != r.final_parameters.size())
    throw std::runtime_error("the checkpoint's runs have another shape than this experiment's");
  for (size_t i = 0; i < r.runs.size(); ++i) {
    RunRecord& x = r.runs[i];
    x.accuracy = accuracy[i];
    x.loss = loss[i];
    x.noise_norm = noise[i];
    x.convergence_epoch = static_cast<std::int32_t>(conv[i]);
    x.all_right_epoch = static_cast<std::int32_t>(right[i]);
    x.injections = inj[i];
    x.epochs_run = static_cast<std::int32_t>(ran[i]);
    x.trapped = trapped[i] != 0;
    x.restarts = static_cast<std::int32_t>(restarts[i]);
    x.failure = static_cast<FailureKind>(kind[i]);
    x.dead_points = static_cast<std::int32_t>(dead[i]);
    x.parameter_count = static_cast<std::int32_t>(count[i]);
  }
  for (size_t i = 0; i < done.size(); ++i) r.done[i] = static_cast<std::uint8_t>(done[i]);
  r.initial_parameters = std::move(initial);
  r.final_parameters = std::move(final);
  if (r.traced == 0) return;
  for (auto [name, target] : {std::pair<const char*, std::vector<double>*>{"traces/loss", &r.trace_loss},
                              {"traces/accuracy", &r.trace_accuracy},
                              {"traces/magnitude", &r.trace_magnitude},
                              {"traces/imbalance", &r.trace_imbalance},
                              {"traces/temperature", &r.trace_temperature},
                              {"traces/noise", &r.trace_noise},
                              {"traces/parameters", &r.trace_parameters}}) {
    std::vector<double> values = doubles(name);
    if (values.size() != target->size()) throw std::runtime_error(std::string("the checkpoint's ") + name + " has another shape");
    *target = std::move(values);
  }
}

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  selector.allow({"seed", "arm", "point"}, {"initial", "final"});
  if (root.has_attribute("model") && root.attribute_string("model") != "network")
    throw std::invalid_argument("the file's model is " + root.attribute_string("model") +
                                ", not the network: its parameters are not the network's");
  const auto seed = selector.number("seed");
  if (!seed) throw std::invalid_argument("name a run, e.g. FILE:seed=0,arm=eda");
  const std::int64_t point = selector.number("point").value_or(0);
  const auto initial = root.shape("runs/initial_parameters");  // (points, seeds, D)
  const auto points = static_cast<std::int64_t>(initial.at(0)), seeds = static_cast<std::int64_t>(initial.at(1));
  if (point < 0 || point >= points)
    throw std::invalid_argument("point " + std::to_string(point) + " does not exist (0.." + std::to_string(points - 1) + ")");
  if (*seed < 0 || *seed >= seeds)
    throw std::invalid_argument("seed " + std::to_string(*seed) + " does not exist (0.." + std::to_string(seeds - 1) + ")");
  const auto D = static_cast<std::int64_t>(initial.at(2));
  // The run's row of the (..., D) dataset, as D values.
  auto row = [&](const std::string& path, std::int64_t index) {
    const std::vector<double> all = root.read_doubles(path);
    const auto first = all.begin() + static_cast<std::ptrdiff_t>(index * D);
    return Params(first, first + static_cast<std::ptrdiff_t>(D));
  };
  if (selector.has("initial")) return row("runs/initial_parameters", point * seeds + *seed);
  const std::vector<std::string> arms = root.read_strings("arm_names");
  std::int64_t arm = 0;
  if (selector.keys.count("arm")) {
    const auto it = std::find(arms.begin(), arms.end(), selector.keys.at("arm"));
    if (it == arms.end()) throw std::invalid_argument("arm '" + selector.keys.at("arm") + "' is not in the file");
    arm = it - arms.begin();
  }
  const auto A = static_cast<std::int64_t>(arms.size());
  return row("runs/final_parameters", (point * A + arm) * seeds + *seed);
}

}  // namespace xorscape::annealing
