// xorscape-anneal: paired trial runner for Error-Driven Annealing (EDA) against a baseline
// and controls (constant noise, magnitude-only and imbalance-only gating, restart, error
// reflection), over sweeps of learning rate, initialisation scale, threshold and base noise.
// Writes every run, the per-arm summary and per-epoch traces to HDF5 and prints a summary table.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "xorscape/annealing/annealing.hpp"
#include "xorscape/cli/cli.hpp"

using namespace xorscape;
using namespace xorscape::annealing;
namespace po = cli::po;
namespace fs = std::filesystem;

namespace {

constexpr double kMissing = -1.0;  // stored where a statistic does not exist (documented)

std::vector<Arm> parse_arms(const std::string& text) {
  std::vector<Arm> arms;
  if (text == "all") return {all_arms().begin(), all_arms().end()};
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    Arm arm;
    try {
      arm = parse_arm(item);
    } catch (const std::invalid_argument& e) {
      throw cli::UsageError("--arms", e.what());
    }
    if (std::find(arms.begin(), arms.end(), arm) != arms.end())
      throw cli::UsageError("--arms", "arm '" + item + "' is listed twice");
    arms.push_back(arm);
  }
  if (arms.empty()) throw cli::UsageError("--arms", "needs at least one arm");
  return arms;
}

std::vector<double> parse_list(const cli::Tool& tool, const std::string& option, bool allow_zero) {
  std::vector<double> values = cli::parse_numbers("--" + option, tool.get<std::string>(option));
  for (double v : values)
    if (v < 0.0 || (!allow_zero && v == 0.0))
      throw cli::UsageError("--" + option, allow_zero ? "values must be at least 0" : "values must be above 0");
  return values;
}

// Every setting that changes the numbers; a checkpoint is only resumed under the same one.
std::string signature(const ExperimentSpec& spec) {
  std::ostringstream s;
  s.precision(17);
  s << to_string(spec.model) << " n_h=" << spec.architecture.n_hidden << " hidden=" << to_string(spec.architecture.hidden)
    << " output=" << to_string(spec.architecture.output) << " data=" << spec.data.name << " epochs=" << spec.epochs
    << " converged_loss=" << spec.converged_loss << " restart=" << spec.restart_window << "/" << spec.restart_tolerance
    << " seeds=" << spec.seeds << " seed=" << spec.seed << " traces=" << spec.traces << " arms=";
  for (Arm a : spec.arms) s << to_string(a) << ",";
  s << " center=";
  for (double c : spec.center) s << c << ",";
  s << " points=";
  for (const SweepPoint& p : spec.points)
    s << p.learning_rate << "/" << p.init_scale << "/" << p.threshold << "/" << p.base_noise << ";";
  return s.str();
}

template <class T, class F>
std::vector<T> field(const ExperimentResult& r, F get) {
  std::vector<T> out(r.runs.size());
  for (size_t i = 0; i < r.runs.size(); ++i) out[i] = static_cast<T>(get(r.runs[i]));
  return out;
}

std::vector<double> iota(size_t n) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i);
  return v;
}

void write_rescue_example(const h5::Group& root, const ExperimentSpec& spec, const ExperimentResult& r);

// The whole layout (docs/xorscape-anneal.md). A checkpoint is the same file with complete = 0.
void write_result(const h5::OutputFile& file, const cli::Tool& tool, const ExperimentSpec& spec,
                  const ExperimentResult& r, const std::vector<std::string>& parameter_names, bool complete) {
  file.write_provenance(tool.provenance());
  const h5::Group& root = file.root();
  root.set_attribute("complete", static_cast<std::int64_t>(complete));
  root.set_attribute("signature", signature(spec));
  root.set_attribute("model", to_string(spec.model));
  root.set_attribute("n_hidden", static_cast<std::int64_t>(spec.architecture.n_hidden));
  root.set_attribute("data", spec.data.name);
  root.set_attribute("epochs", static_cast<std::int64_t>(spec.epochs));
  root.set_attribute("converged_loss", spec.converged_loss);
  root.set_attribute("missing_value", kMissing);
  root.set_attribute("convergence_epoch_definition",
                     std::string("first epoch t such that at every epoch t' >= t up to the end all four cases are "
                                 "right and the mean loss is below converged_loss; epoch t is the state after t "
                                 "updates; -1 when the final state is not converged"));
  const auto P = static_cast<hsize_t>(r.points), A = static_cast<hsize_t>(r.arms), S = static_cast<hsize_t>(r.seeds),
             D = static_cast<hsize_t>(r.dimension), K = static_cast<hsize_t>(r.traced),
             E = static_cast<hsize_t>(r.epochs + 1);

  const h5::Group axes = root.create_group("axes");
  axes.write("point", iota(P));
  axes.write("arm", iota(A));
  axes.write("seed_index", iota(S));
  axes.write("parameter", iota(D));
  axes.write("accuracy", std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0});
  std::vector<std::string> arm_names;
  for (Arm a : spec.arms) arm_names.push_back(to_string(a));
  root.write_strings("arm_names", arm_names);
  root.write_strings("parameter_names", parameter_names);
  root.set_attribute_on("axes/arm", "names", arm_names);
  root.set_attribute_on("axes/parameter", "names", parameter_names);

  const h5::Group sweep = root.create_group("sweep");
  std::vector<double> lr, scale, threshold, noise;
  for (const SweepPoint& p : spec.points) {
    lr.push_back(p.learning_rate);
    scale.push_back(p.init_scale);
    threshold.push_back(p.threshold);
    noise.push_back(p.base_noise);
  }
  sweep.write("learning_rate", lr);
  sweep.write("init_scale", scale);
  sweep.write("threshold", threshold);
  sweep.write("base_noise", noise);
  sweep.set_attribute_on("init_scale", "meaning", std::string("weights and biases drawn from U(-s/sqrt(fan_in), s/sqrt(fan_in))"));
  sweep.set_attribute_on("threshold", "meaning", std::string("noise gate: T (or M, or I) above this value"));
  sweep.set_attribute_on("base_noise", "meaning", std::string("noise amplitude per unit of T: theta += T base_noise eps"));
  for (const char* name : {"learning_rate", "init_scale", "threshold", "base_noise"})
    root.attach_scale(std::string("sweep/") + name, "axes/point", 0, "point");

  // Per-run records, shape (point, arm, seed).
  const h5::Group runs = root.create_group("runs");
  const std::vector<hsize_t> pas{P, A, S};
  auto attach_pas = [&](const std::string& name, const std::string& meaning) {
    root.attach_scale("runs/" + name, "axes/point", 0, "point");
    root.attach_scale("runs/" + name, "axes/arm", 1, "arm");
    root.attach_scale("runs/" + name, "axes/seed_index", 2, "seed_index");
    runs.set_attribute_on(name, "meaning", meaning);
  };
  runs.write("accuracy", field<double>(r, [](const RunRecord& x) { return x.accuracy; }), pas);
  attach_pas("accuracy", "final fraction of the four cases classified right (output above the class cut)");
  runs.write("loss", field<double>(r, [](const RunRecord& x) { return x.loss; }), pas);
  attach_pas("loss", "final mean squared error over the four cases");
  runs.write("success", field<std::int32_t>(r, [](const RunRecord& x) { return x.success(); }), pas);
  attach_pas("success", "1 when all four cases are right at the end");
  runs.write("convergence_epoch", field<std::int32_t>(r, [](const RunRecord& x) { return x.convergence_epoch; }), pas);
  attach_pas("convergence_epoch", "see the root attribute convergence_epoch_definition; -1: not converged");
  runs.write("all_right_epoch", field<std::int32_t>(r, [](const RunRecord& x) { return x.all_right_epoch; }), pas);
  attach_pas("all_right_epoch", "first epoch after which all four cases stay right (loss ignored); -1: never");
  runs.write("injections", field<std::int64_t>(r, [](const RunRecord& x) { return x.injections; }), pas);
  attach_pas("injections", "epochs in which noise was added");
  runs.write("noise_norm", field<double>(r, [](const RunRecord& x) { return x.noise_norm; }), pas);
  attach_pas("noise_norm", "sum over injections of the Euclidean norm of the added noise vector");
  runs.write("restarts", field<std::int32_t>(r, [](const RunRecord& x) { return x.restarts; }), pas);
  attach_pas("restarts", "re-initialisations of a stuck run (restart arm)");
  runs.write("failure_kind", field<std::int32_t>(r, [](const RunRecord& x) { return static_cast<int>(x.failure); }),
             pas);
  attach_pas("failure_kind", "0 success, 1 dead point (a misclassified case with every hidden pre-activation <= 0), "
                             "2 other failure, 3 diverged (noise drove a parameter beyond 1e30; loss stored as -1)");
  runs.write("dead_points", field<std::int32_t>(r, [](const RunRecord& x) { return x.dead_points; }), pas);
  attach_pas("dead_points", "misclassified cases with every hidden pre-activation <= 0");
  runs.write("parameter_count", field<std::int32_t>(r, [](const RunRecord& x) { return x.parameter_count; }), pas);
  attach_pas("parameter_count", "parameters of the final predictor (reflection rescue: base + error model + gate)");
  const std::vector<std::int32_t> done(r.done.begin(), r.done.end());
  runs.write("done", done, {P, S});
  root.attach_scale("runs/done", "axes/point", 0, "point");
  root.attach_scale("runs/done", "axes/seed_index", 1, "seed_index");
  runs.write("initial_parameters", r.initial_parameters, {P, S, D});
  root.attach_scale("runs/initial_parameters", "axes/point", 0, "point");
  root.attach_scale("runs/initial_parameters", "axes/seed_index", 1, "seed_index");
  root.attach_scale("runs/initial_parameters", "axes/parameter", 2, "parameter");
  runs.write("final_parameters", r.final_parameters, {P, A, S, D});
  root.attach_scale("runs/final_parameters", "axes/point", 0, "point");
  root.attach_scale("runs/final_parameters", "axes/arm", 1, "arm");
  root.attach_scale("runs/final_parameters", "axes/seed_index", 2, "seed_index");
  root.attach_scale("runs/final_parameters", "axes/parameter", 3, "parameter");
  runs.set_attribute_on("final_parameters", "meaning",
                        std::string("parameters at the end; for reflection those of the base model"));

  // Summary per (point, arm).
  const h5::Group summary = root.create_group("summary");
  std::vector<ArmSummary> sums;
  for (int p = 0; p < r.points; ++p)
    for (int a = 0; a < r.arms; ++a) sums.push_back(summarize(spec, r, p, a));
  auto missing = [](double v) { return std::isnan(v) ? kMissing : v; };
  auto put = [&](const std::string& name, auto get, const std::string& meaning) {
    std::vector<double> v;
    for (const ArmSummary& s : sums) v.push_back(missing(static_cast<double>(get(s))));
    summary.write(name, v, {P, A});
    root.attach_scale("summary/" + name, "axes/point", 0, "point");
    root.attach_scale("summary/" + name, "axes/arm", 1, "arm");
    summary.set_attribute_on(name, "meaning", meaning);
  };
  put("runs", [](const ArmSummary& s) { return s.runs; }, "runs completed");
  put("successes", [](const ArmSummary& s) { return s.successes; }, "runs with all four cases right at the end");
  put("success_rate", [](const ArmSummary& s) { return s.success_rate; }, "successes / runs");
  put("wilson_lo", [](const ArmSummary& s) { return s.wilson.lo; }, "Wilson 95 % interval of the success rate, lower");
  put("wilson_hi", [](const ArmSummary& s) { return s.wilson.hi; }, "Wilson 95 % interval of the success rate, upper");
  put("converged", [](const ArmSummary& s) { return s.converged; }, "successes with a convergence epoch");
  put("convergence_q25", [](const ArmSummary& s) { return s.convergence_q25; },
      "first quartile of the convergence epoch among successes (type-7 quantile); -1: none");
  put("convergence_median", [](const ArmSummary& s) { return s.convergence_median; },
      "median convergence epoch among successes; -1: none");
  put("convergence_q75", [](const ArmSummary& s) { return s.convergence_q75; },
      "third quartile of the convergence epoch among successes; -1: none");
  put("rescued", [](const ArmSummary& s) { return s.rescued; }, "paired baseline failed, this arm succeeded");
  put("broken", [](const ArmSummary& s) { return s.broken; }, "paired baseline succeeded, this arm failed");
  put("mcnemar_p", [](const ArmSummary& s) { return s.mcnemar_p; },
      "exact two-sided McNemar p-value against baseline (binomial on rescued vs broken); -1: baseline itself or "
      "baseline not run");
  put("failures_dead_point", [](const ArmSummary& s) { return s.failures_dead_point; }, "failures with a dead point");
  put("failures_other", [](const ArmSummary& s) { return s.failures_other; }, "failures without a dead point");
  put("failures_diverged", [](const ArmSummary& s) { return s.failures_diverged; },
      "runs stopped because noise drove a parameter beyond 1e30");
  put("failures_one_dead_at_75", [](const ArmSummary& s) { return s.failures_one_dead_at_75; },
      "failures at exactly 75 % accuracy with exactly one dead point");
  put("mean_injections", [](const ArmSummary& s) { return s.mean_injections; }, "mean noise injections per run");
  put("mean_noise_norm", [](const ArmSummary& s) { return s.mean_noise_norm; }, "mean total noise norm per run, over runs that did not diverge");
  put("mean_restarts", [](const ArmSummary& s) { return s.mean_restarts; }, "mean re-initialisations per run");
  put("mean_parameter_count", [](const ArmSummary& s) { return s.mean_parameter_count; },
      "mean parameter count of the final predictor");
  std::vector<std::int64_t> histogram;
  for (const ArmSummary& s : sums) histogram.insert(histogram.end(), s.accuracy_histogram.begin(), s.accuracy_histogram.end());
  summary.write("accuracy_histogram", histogram, {P, A, 5});
  root.attach_scale("summary/accuracy_histogram", "axes/point", 0, "point");
  root.attach_scale("summary/accuracy_histogram", "axes/arm", 1, "arm");
  root.attach_scale("summary/accuracy_histogram", "axes/accuracy", 2, "final_accuracy");
  summary.set_attribute_on("accuracy_histogram", "meaning", std::string("runs ending at 0, 25, 50, 75, 100 % accuracy"));

  // Cumulative distribution of convergence epochs, as a 2-D table (row p*arms + a) so that
  // gnuplot can read it through xorscape-export: fraction of all runs converged by epoch t.
  {
    const bool reflection = std::find(spec.arms.begin(), spec.arms.end(), Arm::reflection) != spec.arms.end();
    const int last = reflection ? 2 * spec.epochs : spec.epochs;
    const int G = std::min(last + 1, 1001);
    std::vector<double> grid(G);
    for (int g = 0; g < G; ++g) grid[g] = std::round(static_cast<double>(last) * g / (G - 1));
    std::vector<double> cdf(P * A * G, 0.0);
    for (int p = 0; p < r.points; ++p)
      for (int a = 0; a < r.arms; ++a) {
        std::vector<double> epochs;
        std::int64_t n = 0;
        for (int s = 0; s < r.seeds; ++s) {
          if (!r.done[static_cast<size_t>(p) * r.seeds + s]) continue;
          ++n;
          const RunRecord& x = r.run(p, a, s);
          if (x.success() && x.convergence_epoch >= 0) epochs.push_back(x.convergence_epoch);
        }
        std::sort(epochs.begin(), epochs.end());
        for (int g = 0; g < G; ++g) {
          const auto count = std::upper_bound(epochs.begin(), epochs.end(), grid[g]) - epochs.begin();
          cdf[(static_cast<size_t>(p) * A + a) * G + g] = n > 0 ? static_cast<double>(count) / n : 0.0;
        }
      }
    axes.write("point_arm", iota(P * A));
    axes.write("cdf_epoch", grid);
    summary.write("convergence_cdf", cdf, {P * A, static_cast<hsize_t>(G)});
    root.attach_scale("summary/convergence_cdf", "axes/point_arm", 0, "point*arms+arm");
    root.attach_scale("summary/convergence_cdf", "axes/cdf_epoch", 1, "epoch");
    summary.set_attribute_on("convergence_cdf", "meaning",
                             std::string("fraction of all runs of (point, arm) whose convergence epoch is <= the "
                                         "epoch of the column; row index = point * arms + arm"));
  }

  // Traces, shape (point, arm, k, epoch): seed indices 0..K-1 of every arm.
  const h5::Group traces = root.create_group("traces");
  traces.set_attribute("traced_seed_indices", static_cast<std::int64_t>(K));
  if (K > 0) {
    axes.write("epoch", iota(E));
    axes.write("trace", iota(K));
    const std::vector<hsize_t> dims{P, A, K, E};
    auto put_trace = [&](const std::string& name, const std::vector<double>& v, const std::string& meaning) {
      traces.write(name, v, dims);
      root.attach_scale("traces/" + name, "axes/point", 0, "point");
      root.attach_scale("traces/" + name, "axes/arm", 1, "arm");
      root.attach_scale("traces/" + name, "axes/trace", 2, "seed_index");
      root.attach_scale("traces/" + name, "axes/epoch", 3, "epoch");
      traces.set_attribute_on(name, "meaning", meaning);
    };
    put_trace("loss", r.trace_loss, "mean squared error at epoch t (state after t updates)");
    put_trace("accuracy", r.trace_accuracy, "fraction of cases right at epoch t");
    put_trace("magnitude", r.trace_magnitude, "M = |l|_2 of the per-example losses at epoch t");
    put_trace("imbalance", r.trace_imbalance, "I = ((H_max - H)/H_max)^2 at epoch t");
    put_trace("temperature", r.trace_temperature, "T = M I at epoch t");
    put_trace("noise", r.trace_noise, "norm of the noise added in update t+1 (0: none)");
    traces.write("parameters", r.trace_parameters, {P, A, K, E, D});
    root.attach_scale("traces/parameters", "axes/point", 0, "point");
    root.attach_scale("traces/parameters", "axes/arm", 1, "arm");
    root.attach_scale("traces/parameters", "axes/trace", 2, "seed_index");
    root.attach_scale("traces/parameters", "axes/epoch", 3, "epoch");
    root.attach_scale("traces/parameters", "axes/parameter", 4, "parameter");
    traces.set_attribute_on("parameters", "meaning", std::string("parameters at epoch t"));
  }
  write_rescue_example(root, spec, r);
}

// The first traced initialisation (points in order) that baseline fails and eda solves:
// its eda trace as 1-D series and the hidden units' lines before (baseline's final state)
// and after (eda's final state), for the rescue figures.
void write_rescue_example(const h5::Group& root, const ExperimentSpec& spec, const ExperimentResult& r) {
  const h5::Group group = root.create_group("rescue_example");
  const auto find_arm = [&](Arm arm) {
    const auto at = std::find(spec.arms.begin(), spec.arms.end(), arm);
    return at == spec.arms.end() ? -1 : static_cast<int>(at - spec.arms.begin());
  };
  const int base = find_arm(Arm::baseline), eda = find_arm(Arm::eda);
  int point = -1, k = -1;
  if (base >= 0 && eda >= 0)
    for (int p = 0; p < r.points && point < 0; ++p)
      for (int s = 0; s < r.traced; ++s)
        if (r.done[static_cast<size_t>(p) * r.seeds + s] && !r.run(p, base, s).success() && r.run(p, eda, s).success()) {
          point = p;
          k = s;
          break;
        }
  group.set_attribute("found", static_cast<std::int64_t>(point >= 0));
  group.set_attribute("meaning", std::string("first traced seed (points in order) that baseline fails and eda solves"));
  if (point < 0) return;
  group.set_attribute("point", static_cast<std::int64_t>(point));
  group.set_attribute("seed_index", static_cast<std::int64_t>(k));
  const size_t E = static_cast<size_t>(r.epochs) + 1;
  auto series = [&](const std::vector<double>& all, int arm) {
    const size_t offset = r.trace_offset(point, arm, k);
    return std::vector<double>(all.begin() + offset, all.begin() + offset + E);
  };
  group.write("epoch", iota(E));
  for (const auto& [name, all] : {std::pair<std::string, const std::vector<double>*>{"loss", &r.trace_loss},
                                  {"accuracy", &r.trace_accuracy},
                                  {"temperature", &r.trace_temperature},
                                  {"magnitude", &r.trace_magnitude},
                                  {"imbalance", &r.trace_imbalance},
                                  {"noise", &r.trace_noise}}) {
    group.write(name, series(*all, eda));
    group.attach_scale(name, "epoch", 0, "epoch");
  }
  group.write("baseline_loss", series(r.trace_loss, base));
  group.attach_scale("baseline_loss", "epoch", 0, "epoch");
  group.write("baseline_accuracy", series(r.trace_accuracy, base));
  group.attach_scale("baseline_accuracy", "epoch", 0, "epoch");
  // Hidden units as rows (w_1, w_2, b): the line w_1 x1 + w_2 x2 + b = 0 in the input plane.
  const int D = r.dimension;
  const int units = spec.model == ModelKind::two_relu ? 2 : spec.architecture.n_hidden;
  const ParameterLayout layout(units);
  auto lines = [&](const double* theta) {
    std::vector<double> rows;
    for (int i = 0; i < units; ++i) {
      if (spec.model == ModelKind::two_relu)
        rows.insert(rows.end(), theta + 3 * i, theta + 3 * i + 3);
      else
        rows.insert(rows.end(), {theta[layout.w1(i, 0)], theta[layout.w1(i, 1)], theta[layout.b1(i)]});
    }
    return rows;
  };
  const std::vector<hsize_t> dims{static_cast<hsize_t>(units), 3};
  group.write("units_initial", lines(r.initial_parameters.data() + (static_cast<size_t>(point) * r.seeds + k) * D), dims);
  group.write("units_before", lines(r.final_parameters.data() + r.run_index(point, base, k) * D), dims);
  group.write("units_after", lines(r.final_parameters.data() + r.run_index(point, eda, k) * D), dims);
  group.set_attribute_on("units_before", "meaning", std::string("baseline's final hidden units (w_1, w_2, b), one row each"));
  group.set_attribute_on("units_after", "meaning", std::string("eda's final hidden units (w_1, w_2, b), one row each"));
  std::vector<double> cases;
  for (const Example& e : spec.data.examples) cases.insert(cases.end(), {e.x1, e.x2, e.target});
  group.write("cases", cases, {4, 3});
}

// Reads a checkpoint back into `r` (same layout as the output).
void read_checkpoint(const fs::path& path, const ExperimentSpec& spec, ExperimentResult& r) {
  h5::InputFile file(path);
  const h5::Group& root = file.root();
  if (root.attribute_string("signature") != signature(spec))
    throw cli::UsageError("--resume", "checkpoint '" + path.string() + "' was made with other settings");
  auto doubles = [&](const std::string& n) { return root.read_doubles(n); };
  auto ints = [&](const std::string& n) { return root.read_ints(n); };
  const auto accuracy = doubles("runs/accuracy"), loss = doubles("runs/loss"), noise = doubles("runs/noise_norm");
  const auto conv = ints("runs/convergence_epoch"), right = ints("runs/all_right_epoch"),
             inj = ints("runs/injections"), restarts = ints("runs/restarts"), kind = ints("runs/failure_kind"),
             dead = ints("runs/dead_points"), count = ints("runs/parameter_count"), done = ints("runs/done");
  if (accuracy.size() != r.runs.size() || done.size() != r.done.size())
    throw cli::UsageError("--resume", "checkpoint '" + path.string() + "' has the wrong shape");
  for (size_t i = 0; i < r.runs.size(); ++i) {
    RunRecord& x = r.runs[i];
    x.accuracy = accuracy[i];
    x.loss = loss[i];
    x.noise_norm = noise[i];
    x.convergence_epoch = static_cast<std::int32_t>(conv[i]);
    x.all_right_epoch = static_cast<std::int32_t>(right[i]);
    x.injections = inj[i];
    x.restarts = static_cast<std::int32_t>(restarts[i]);
    x.failure = static_cast<FailureKind>(kind[i]);
    x.dead_points = static_cast<std::int32_t>(dead[i]);
    x.parameter_count = static_cast<std::int32_t>(count[i]);
  }
  for (size_t i = 0; i < done.size(); ++i) r.done[i] = static_cast<std::uint8_t>(done[i]);
  r.initial_parameters = doubles("runs/initial_parameters");
  r.final_parameters = doubles("runs/final_parameters");
  if (r.traced > 0) {
    r.trace_loss = doubles("traces/loss");
    r.trace_accuracy = doubles("traces/accuracy");
    r.trace_magnitude = doubles("traces/magnitude");
    r.trace_imbalance = doubles("traces/imbalance");
    r.trace_temperature = doubles("traces/temperature");
    r.trace_noise = doubles("traces/noise");
    r.trace_parameters = doubles("traces/parameters");
  }
}

std::string format_epoch(double v) {
  if (std::isnan(v)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.0f", v);
  return b;
}

void print_summary(const ExperimentSpec& spec, const ExperimentResult& r) {
  for (int p = 0; p < r.points; ++p) {
    const SweepPoint& sp = spec.points[p];
    std::printf("\n# point %d: lr %g, init scale %g, threshold %g, base noise %g, %d epochs, model %s\n", p,
                sp.learning_rate, sp.init_scale, sp.threshold, sp.base_noise, spec.epochs, to_string(spec.model).c_str());
    std::printf("%-15s %5s %13s %15s %20s %24s %7s %7s %9s %10s %9s %9s %7s\n", "arm", "runs", "success", "wilson95",
                "conv q25/med/q75", "acc 0/25/50/75/100%", "rescue", "broken", "mcnemar_p", "fail d/o/x", "inject",
                "noise", "params");
    for (int a = 0; a < r.arms; ++a) {
      const ArmSummary s = summarize(spec, r, p, a);
      char success[32], wilson[32], conv[48], hist[48], pval[16], fails[24];
      std::snprintf(success, sizeof success, "%lld (%.1f%%)", static_cast<long long>(s.successes), 100.0 * s.success_rate);
      std::snprintf(wilson, sizeof wilson, "[%.1f, %.1f]%%", 100.0 * s.wilson.lo, 100.0 * s.wilson.hi);
      std::snprintf(conv, sizeof conv, "%s/%s/%s", format_epoch(s.convergence_q25).c_str(),
                    format_epoch(s.convergence_median).c_str(), format_epoch(s.convergence_q75).c_str());
      std::snprintf(hist, sizeof hist, "%lld/%lld/%lld/%lld/%lld", static_cast<long long>(s.accuracy_histogram[0]),
                    static_cast<long long>(s.accuracy_histogram[1]), static_cast<long long>(s.accuracy_histogram[2]),
                    static_cast<long long>(s.accuracy_histogram[3]), static_cast<long long>(s.accuracy_histogram[4]));
      if (std::isnan(s.mcnemar_p))
        std::snprintf(pval, sizeof pval, "-");
      else
        std::snprintf(pval, sizeof pval, "%.3g", s.mcnemar_p);
      std::snprintf(fails, sizeof fails, "%lld/%lld/%lld", static_cast<long long>(s.failures_dead_point),
                    static_cast<long long>(s.failures_other), static_cast<long long>(s.failures_diverged));
      std::printf("%-15s %5lld %13s %15s %20s %24s %7lld %7lld %9s %10s %9.1f %9.3g %7.1f\n",
                  to_string(spec.arms[a]).c_str(), static_cast<long long>(s.runs), success, wilson, conv, hist,
                  static_cast<long long>(s.rescued), static_cast<long long>(s.broken), pval, fails, s.mean_injections,
                  s.mean_noise_norm, s.mean_parameter_count);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-anneal",
                 "paired trials of Error-Driven Annealing against a baseline and controls, over sweeps", "anneal.h5");
  tool.options().add_options()
      ("arms", po::value<std::string>()->default_value("baseline,eda"),
       "comma list of baseline, eda, constant-noise, magnitude-only, imbalance-only, restart, reflection; or all")
      ("seeds", po::value<long long>()->default_value(50), "initialisations (runs per arm and sweep point)")
      ("epochs", po::value<long long>()->default_value(5000), "epochs per run (full-batch updates)")
      ("lr", po::value<std::string>()->default_value("0.001"), "Adam learning rate(s), comma list (sweep axis)")
      ("init-scale", po::value<std::string>()->default_value("1"),
       "initialisation scale(s) s: parameters from U(-s/sqrt(fan_in), s/sqrt(fan_in)); comma list (sweep axis)")
      ("threshold", po::value<std::string>()->default_value("0.1"),
       "noise gate threshold(s) on T (or M, I for the gating controls); comma list (sweep axis)")
      ("base-noise", po::value<std::string>()->default_value("0.01"),
       "noise amplitude per unit temperature: theta += T*base_noise*Normal(0,1); comma list (sweep axis)")
      ("converged-loss", po::value<double>()->default_value(0.01),
       "convergence needs the mean squared error below this (and all four cases right) to the end")
      ("restart-window", po::value<long long>()->default_value(200),
       "restart arm: epochs between stuck checks")
      ("restart-tolerance", po::value<double>()->default_value(1e-3),
       "restart arm: stuck when not all right and the loss fell by less than this fraction over a window")
      ("model", po::value<std::string>()->default_value("relu2"),
       "relu2 (two summed ReLU units, 6 parameters) or network (the 2-n_h-1 network of the foundation)")
      ("n-hidden", po::value<long long>()->default_value(2), "hidden neurons of --model network")
      ("activation", po::value<std::string>()->default_value("sigmoid"),
       "hidden and output activation of --model network: sigmoid, tanh, relu")
      ("data", po::value<std::string>()->default_value("xor-centered"), "xor, xor-centered or xor-pm")
      ("center", po::value<std::string>()->default_value(""),
       "--model network only: initialise at center + U(-s, s) per parameter (s = --init-scale, a half-width); "
       "a published solution 1..5 (n_h = 2), a parameter file or name=value,...; empty: fan-in law")
      ("traces", po::value<long long>()->default_value(3),
       "per-epoch traces (loss, accuracy, T, M, I, noise, parameters) for the first K seeds of each arm and point")
      ("checkpoint-every", po::value<double>()->default_value(60.0), "seconds between checkpoints of long runs")
      ("resume", po::bool_switch(), "continue from OUTPUT.checkpoint (same settings) instead of starting afresh")
      ("bench", po::bool_switch(), "time the experiment and print epochs per second; writes no file")
      ("quiet", po::bool_switch(), "do not print the summary table")
      ("stop-after-units", po::value<long long>()->default_value(0),
       "testing aid: behave as if interrupted once this many (point, seed) units are done (0: never)");
  return tool.run(argc, argv, [&] {
    // ---- parse and validate
    ExperimentSpec spec;
    spec.arms = parse_arms(tool.get<std::string>("arms"));
    spec.seeds = static_cast<int>(cli::require_at_least("--seeds", tool.get<long long>("seeds"), 1));
    if (tool.get<long long>("seeds") > 100000000) throw cli::UsageError("--seeds", "at most 100000000");
    spec.epochs = static_cast<int>(cli::require_at_least("--epochs", tool.get<long long>("epochs"), 1));
    if (tool.get<long long>("epochs") > 100000000) throw cli::UsageError("--epochs", "at most 100000000");
    const auto lrs = parse_list(tool, "lr", false);
    const auto scales = parse_list(tool, "init-scale", false);
    const auto thresholds = parse_list(tool, "threshold", true);
    const auto noises = parse_list(tool, "base-noise", true);
    spec.points.clear();
    for (double lr : lrs)
      for (double s : scales)
        for (double t : thresholds)
          for (double b : noises) spec.points.push_back({lr, s, t, b});
    spec.converged_loss = cli::require_positive("--converged-loss", tool.get<double>("converged-loss"));
    spec.restart_window =
        static_cast<int>(cli::require_at_least("--restart-window", tool.get<long long>("restart-window"), 1));
    if (tool.get<long long>("restart-window") > 100000000) throw cli::UsageError("--restart-window", "at most 100000000");
    spec.restart_tolerance = cli::require_finite("--restart-tolerance", tool.get<double>("restart-tolerance"));
    if (spec.restart_tolerance < 0.0) throw cli::UsageError("--restart-tolerance", "must be at least 0");
    const std::string model = tool.get<std::string>("model");
    if (model != "relu2" && model != "network")
      throw cli::UsageError("--model", "'" + model + "' is not relu2 or network");
    spec.model = model == "relu2" ? ModelKind::two_relu : ModelKind::network;
    const long long n_hidden = cli::require_at_least("--n-hidden", tool.get<long long>("n-hidden"), 1);
    if (n_hidden > 4096) throw cli::UsageError("--n-hidden", "at most 4096");
    if (spec.model == ModelKind::two_relu && tool.given("n-hidden") && n_hidden != 2)
      throw cli::UsageError("--n-hidden", "the relu2 model has two units; use --model network for other n_h");
    if (spec.model == ModelKind::two_relu && tool.given("activation"))
      throw cli::UsageError("--activation", "the relu2 model is fixed (ReLU units, identity output)");
    const Activation activation = cli::parse_activation("--activation", tool.get<std::string>("activation"));
    spec.architecture = Architecture{static_cast<int>(n_hidden), activation, activation};
    spec.data = cli::parse_dataset("--data", tool.get<std::string>("data"));
    if (!tool.get<std::string>("center").empty()) {
      if (spec.model != ModelKind::network) throw cli::UsageError("--center", "needs --model network");
      spec.center = cli::parse_parameters("--center", tool.get<std::string>("center"),
                                          ParameterLayout(spec.architecture.n_hidden));
    }
    spec.traces = static_cast<int>(cli::require_at_least("--traces", tool.get<long long>("traces"), 0));
    spec.seed = tool.seed();
    const double checkpoint_every = cli::require_positive("--checkpoint-every", tool.get<double>("checkpoint-every"));
    const long long stop_after = cli::require_at_least("--stop-after-units", tool.get<long long>("stop-after-units"), 0);
    const double trace_bytes = 8.0 * spec.points.size() * spec.arms.size() * spec.traced() * (spec.epochs + 1.0) *
                               (6.0 + spec.dimension());
    if (trace_bytes > 8e9) throw cli::UsageError("--traces", "traces would need more than 8 GB; lower --traces");
    const double run_bytes = 8.0 * spec.points.size() * spec.seeds * spec.arms.size() * (12.0 + spec.dimension());
    if (run_bytes > 16e9) throw cli::UsageError("--seeds", "results would need more than 16 GB");
    const bool bench = tool.get<bool>("bench");
    const bool resume = tool.get<bool>("resume");
    const fs::path output = tool.output();
    const fs::path checkpoint = output.string() + ".checkpoint";
    const std::vector<std::string> names =
        spec.model == ModelKind::two_relu ? TwoReluModel::parameter_names() : ParameterLayout(spec.architecture.n_hidden).names();

    // ---- compute (resuming from a checkpoint when asked)
    ExperimentResult result(spec);
    if (resume && !bench) {
      if (fs::exists(checkpoint)) {
        read_checkpoint(checkpoint, spec, result);
        std::fprintf(stderr, "xorscape-anneal: resuming from '%s' (%lld of %zu units done)\n", checkpoint.c_str(),
                     static_cast<long long>(result.completed_units()), result.done.size());
      } else if (fs::exists(output)) {
        std::fprintf(stderr, "xorscape-anneal: '%s' is complete and there is no checkpoint; nothing to do\n",
                     output.c_str());
        return 0;
      }
    }
    std::vector<std::int64_t> pending;
    for (size_t u = 0; u < result.done.size(); ++u)
      if (!result.done[u]) pending.push_back(static_cast<std::int64_t>(u));
    const std::int64_t total = static_cast<std::int64_t>(result.done.size());
    cli::Progress progress("xorscape-anneal", static_cast<double>(total), "units");
    const auto start = std::chrono::steady_clock::now();
    std::int64_t units_done = total - static_cast<std::int64_t>(pending.size());
    while (!pending.empty()) {
      const std::int64_t before = total - static_cast<std::int64_t>(pending.size());
      const auto chunk_start = std::chrono::steady_clock::now();
      run_units(
          spec, pending, result,
          [&] {
            if (stop_after > 0 && units_done >= stop_after) tool.control().request_stop();
            return tool.control().stop_requested() ||
                   (!bench && std::chrono::duration<double>(std::chrono::steady_clock::now() - chunk_start).count() >
                                  checkpoint_every);
          },
          [&](std::int64_t finished) {
            units_done = before + finished;
            progress.update(static_cast<double>(units_done));
          });
      pending.clear();
      for (size_t u = 0; u < result.done.size(); ++u)
        if (!result.done[u]) pending.push_back(static_cast<std::int64_t>(u));
      if (pending.empty() || bench) break;
      h5::OutputFile file(checkpoint, true);
      write_result(file, tool, spec, result, names, false);
      file.commit();
      if (tool.control().stop_requested()) {
        std::fprintf(stderr, "xorscape-anneal: stopped; %lld of %lld units done, checkpoint '%s' (continue with --resume)\n",
                     static_cast<long long>(result.completed_units()), static_cast<long long>(total), checkpoint.c_str());
        return 130;
      }
    }
    progress.finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (bench) {
      // Training runs per unit: the arms, plus the eda or baseline runs they need but did not list.
      auto has = [&](Arm a) { return std::find(spec.arms.begin(), spec.arms.end(), a) != spec.arms.end(); };
      double runs_per_unit = static_cast<double>(spec.arms.size());
      if (has(Arm::reflection)) runs_per_unit -= 1.0;  // reuses the baseline run (second phase not counted)
      if (has(Arm::reflection) && !has(Arm::baseline)) runs_per_unit += 1.0;
      if (has(Arm::constant_noise) && !has(Arm::eda)) runs_per_unit += 1.0;
      const double epochs = runs_per_unit * static_cast<double>(result.completed_units()) * spec.epochs;
      std::printf("bench: %lld units x %.0f runs x %d epochs = %.4g epochs in %.3f s on %d threads: %.4g epochs/s\n",
                  static_cast<long long>(result.completed_units()), runs_per_unit, spec.epochs, epochs, seconds,
                  tool.threads(), epochs / seconds);
      return 0;
    }

    // ---- write
    h5::OutputFile file(output, tool.force() || resume);
    write_result(file, tool, spec, result, names, true);
    file.commit();
    if (fs::exists(checkpoint)) fs::remove(checkpoint);
    if (!tool.get<bool>("quiet")) print_summary(spec, result);
    return 0;
  });
}
