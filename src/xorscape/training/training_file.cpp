#include "xorscape/training/training_file.hpp"

#include <cstdio>
#include <stdexcept>

#include "xorscape/io/network_file.hpp"

namespace xorscape::training {

namespace {

const std::vector<std::string> kCases{"case1", "case2", "case3", "case4"};

// The scales every trace below `parent` shares (parent also holds "parameter_names").
void write_trace_scales(const h5::Group& parent, int n_hidden) {
  std::vector<std::string> case_neuron;
  for (const std::string& c : kCases)
    for (int i = 0; i < n_hidden; ++i) case_neuron.push_back(c + ":a1_" + std::to_string(i + 1));
  parent.write_scale("case", kCases, {"the four cases of the dataset in table order"});
  parent.write_scale("case_neuron", case_neuron,
                     {"hidden neuron i for case m, at column m * n_h + i (case1:a1_1, case1:a1_2, ...)"});
}

// One run's trace in the group `path` below `parent` (nothing when nothing was recorded).
void write_trace(const h5::Group& parent, const std::string& path, const Trace& t) {
  if (t.size() == 0) return;
  const std::string epoch = path + "/epoch";
  parent.write_scale(epoch, std::span<const std::int64_t>(t.epoch),
                     {"recorded epoch (0 and log-spaced, --points-per-decade)", "epochs (parameter updates) done"});
  parent.write(path + "/loss", t.loss, {{epoch}, "loss on the full nonrandomized batch, equation (4)"});
  parent.write(path + "/loss_batch", t.loss_batch, {{epoch}, "loss on the batch of that epoch"});
  if (t.parameters.empty()) return;
  parent.write(path + "/parameters", t.parameters, {{epoch, "parameter_names"}, "every parameter at the recorded epoch"});
  parent.write(path + "/hidden", t.hidden,
               {{epoch, "case_neuron"}, "hidden activations a1_i for the four cases of the dataset in table order"});
  parent.write(path + "/output", t.output, {{epoch, "case"}, "output activation a2_1 for the four cases"});
}

Trace read_trace(const h5::Group& group) {
  Trace t;
  if (!group.exists("epoch")) return t;
  t.epoch = group.read_ints("epoch");
  t.loss = group.read_doubles("loss");
  t.loss_batch = group.read_doubles("loss_batch");
  if (group.exists("parameters")) {
    t.parameters = group.read_doubles("parameters");
    t.hidden = group.read_doubles("hidden");
    t.output = group.read_doubles("output");
  }
  return t;
}

// /traces: every run's trace, with its learning rate and seed index as attributes.
void write_traces(const h5::Group& parent, const TrainingPlan& plan, const std::vector<TrainingRun>& runs,
                  bool attributes) {
  if (plan.spec.record == RecordLevel::none) return;
  parent.create_group("traces");
  if (plan.spec.record == RecordLevel::full) write_trace_scales(parent, plan.spec.architecture.n_hidden);
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const std::string path = "traces/" + run_name(r);
    const h5::Group group = parent.create_group(path);
    if (attributes) {
      group.set_attribute("eta", runs[r].state.eta);
      group.set_attribute("seed_index", static_cast<std::int64_t>(r % plan.seeds));
    }
    write_trace(parent, path, runs[r].trace);
  }
}

void write_settings(const h5::Group& root, const TrainingPlan& plan) {
  const TrainSpec& spec = plan.spec;
  io::write_network(root, XorLoss(spec.architecture, spec.dataset));
  root.set_attribute("complete", std::int64_t{1});
  root.set_attribute("optimizer", to_string(spec.optimizer.optimizer));
  root.set_attribute("batch", uses_randomized_batches(spec.optimizer) ? std::string("randomized")
                                                                     : std::string("nonrandomized"));
  root.set_attribute("threshold", spec.threshold);
  root.set_attribute("max_epochs", static_cast<std::int64_t>(spec.max_epochs));
  root.set_attribute("record", to_string(spec.record));
  root.set_attribute("points_per_decade", static_cast<std::int64_t>(spec.points_per_decade));
  root.set_attribute("code_path", fast_path_applies(spec) ? "simd kernel (" + kernels::to_string(spec.simd) + ")"
                                                          : std::string("reference"));
  root.set_attribute("init_source", plan.init.source);
  if (!plan.init.note.empty()) root.set_attribute("init_note", plan.init.note);
}

// /runs: everything of a run that is not in its trace, one row per run.
void write_runs(const h5::Group& g, const TrainingJob& job) {
  const TrainingPlan& plan = job.plan();
  const std::vector<TrainingRun>& runs = job.runs();
  std::vector<double> eta, initial, final_params;
  std::vector<std::int64_t> seed_index, final_epoch, converged_epoch, accepted;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const TrainingRun& run = runs[r];
    eta.push_back(run.state.eta);
    seed_index.push_back(static_cast<std::int64_t>(r % plan.seeds));
    initial.insert(initial.end(), run.initial.begin(), run.initial.end());
    final_params.insert(final_params.end(), run.state.params.begin(), run.state.params.end());
    final_epoch.push_back(run.state.epoch);
    converged_epoch.push_back(run.converged_epoch);
    accepted.push_back(run.state.accepted);
  }
  const std::vector<std::string> parameter_axes{"run", "/parameter_names"};
  g.write_index_scale("run", runs.size(), {"run index r = eta index * seeds + seed index"});
  g.write("eta", eta, {{"run"}, "learning rate of the run"});
  g.write("seed_index", std::span<const std::int64_t>(seed_index),
          {{"run"}, "runs with the same seed index share initial point and batches"});
  g.write("initial_parameters", initial, {parameter_axes, "where the run started"});
  g.write("final_parameters", final_params, {parameter_axes, "where the run stopped (at final_epoch)"});
  g.write("final_loss", job.summary().final_loss, {{"run"}, "full nonrandomized loss at final_epoch"});
  g.write("final_epoch", std::span<const std::int64_t>(final_epoch), {{"run"}, "epochs done"});
  g.write("converged_epoch", std::span<const std::int64_t>(converged_epoch),
          {{"run"}, "first epoch with full nonrandomized loss below the threshold; -1: not within the epoch budget"});
  if (plan.spec.optimizer.optimizer == Optimizer::mc0)
    g.write("accepted", std::span<const std::int64_t>(accepted), {{"run"}, "accepted Monte Carlo moves"});
}

// The power-law fits of /runs (equation 7).
void write_fits(const h5::Group& g, const TrainingJob& job) {
  std::vector<double> gamma, error, early, late, amplitude;
  std::vector<std::int64_t> ok, lo, hi, points;
  for (const PowerLawFit& fit : job.summary().fits) {
    ok.push_back(fit.ok);
    gamma.push_back(fit.gamma);
    error.push_back(fit.gamma_error);
    early.push_back(fit.gamma_early);
    late.push_back(fit.gamma_late);
    amplitude.push_back(fit.amplitude);
    lo.push_back(fit.lo);
    hi.push_back(fit.hi);
    points.push_back(fit.points);
  }
  const std::vector<std::string> run{"run"};
  g.write("gamma", gamma,
          {run, "exponent of L(tau) ~ A tau^-gamma (equation 7), least squares of ln L on ln tau over the recorded "
                "epochs in [fit_lo, fit_hi]; 0 where fit_ok = 0"});
  g.write("gamma_error", error, {run, "standard error of gamma from the fit residuals"});
  g.write("gamma_early", early, {run, "gamma fitted over the lower half of the window (ln tau)"});
  g.write("gamma_late", late, {run, "gamma fitted over the upper half of the window (ln tau)"});
  g.write("amplitude", amplitude, {run, "A of the fit"});
  g.write("fit_ok", std::span<const std::int64_t>(ok), {run, "1: fitted (at least 5 recorded points in the window)"});
  g.write("fit_lo", std::span<const std::int64_t>(lo), {run, "first epoch of the fit window"});
  g.write("fit_hi", std::span<const std::int64_t>(hi), {run, "last epoch of the fit window"});
  g.write("fit_points", std::span<const std::int64_t>(points), {run, "recorded points in the window"});
  g.set_attribute("window", job.plan().fit_window
                                ? job.plan().fit_window_text
                                : std::string("auto: from 10 x the first recorded epoch with loss < 0.05 to the last "
                                              "recorded epoch"));
}

// /sweep: the epoch of convergence of every (learning rate, seed index).
void write_sweep(const h5::Group& g, const TrainingJob& job) {
  const TrainingPlan& plan = job.plan();
  std::vector<std::int64_t> converged;
  for (const TrainingRun& run : job.runs()) converged.push_back(run.converged_epoch);
  g.write_scale("eta", plan.etas, {"learning rate"});
  g.write_index_scale("seed_index", static_cast<std::size_t>(plan.seeds),
                      {"runs with the same seed index share initial point and batches"});
  g.write("converged_epoch", std::span<const std::int64_t>(converged),
          {{"eta", "seed_index"}, "first epoch with full loss below the threshold; -1: not converged within the budget"});
  g.write("converged_fraction", job.summary().converged_fraction,
          {{"eta"}, "fraction of the seed indices converged within the budget"});
  g.set_attribute("epoch_budget", static_cast<std::int64_t>(plan.spec.max_epochs));
  g.set_attribute("threshold", plan.spec.threshold);
}

}  // namespace

std::string run_name(std::size_t run) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "run_%05zu", run);
  return buffer;
}

void write_training(const h5::Group& root, const TrainingJob& job) {
  if (!job.finished()) throw std::logic_error("write_training: the job has not finished");
  write_settings(root, job.plan());
  const h5::Group runs = root.create_group("runs");
  write_runs(runs, job);
  write_fits(runs, job);
  write_traces(root, job.plan(), job.runs(), true);
  if (job.plan().sweep) write_sweep(root.create_group("sweep"), job);
}

void write_training_state(const h5::Group& group, const TrainingPlan& plan, const std::vector<TrainingRun>& runs) {
  const ParameterLayout layout(plan.spec.architecture.n_hidden);
  std::vector<double> params, adam_first, adam_second;
  std::vector<std::int64_t> epoch, converged, finished, accepted;
  const std::vector<double> zeros(layout.dimension(), 0.0);
  const bool adam = plan.spec.optimizer.optimizer == Optimizer::adam;
  for (const TrainingRun& run : runs) {
    params.insert(params.end(), run.state.params.begin(), run.state.params.end());
    epoch.push_back(run.state.epoch);
    converged.push_back(run.converged_epoch);
    finished.push_back(run.finished);
    accepted.push_back(run.state.accepted);
    if (!adam) continue;
    // Adam's moments before the first update are zeros (optimize.cpp starts them so).
    const auto& m = run.state.adam_first.empty() ? zeros : run.state.adam_first;
    const auto& v = run.state.adam_second.empty() ? zeros : run.state.adam_second;
    adam_first.insert(adam_first.end(), m.begin(), m.end());
    adam_second.insert(adam_second.end(), v.begin(), v.end());
  }
  const std::vector<std::string> parameter_axes{"run", "parameter_names"};
  group.write_scale("parameter_names", layout.names(), {"parameter names"});
  group.write_index_scale("run", runs.size(), {"run index r = eta index * seeds + seed index"});
  group.write("parameters", params, {parameter_axes, "the run's current parameters"});
  group.write("epoch", std::span<const std::int64_t>(epoch), {{"run"}, "epochs done"});
  group.write("converged_epoch", std::span<const std::int64_t>(converged), {{"run"}, "-1: not (yet) converged"});
  group.write("finished", std::span<const std::int64_t>(finished), {{"run"}, "1: the run has finished"});
  group.write("accepted", std::span<const std::int64_t>(accepted), {{"run"}, "mc0: accepted moves"});
  if (adam) {
    group.write("adam_first", adam_first, {parameter_axes, "Adam's first moment"});
    group.write("adam_second", adam_second, {parameter_axes, "Adam's second moment"});
  }
  write_traces(group, plan, runs, false);
}

void read_training_state(const h5::Group& group, const TrainingPlan& plan, std::vector<TrainingRun>& runs) {
  const std::size_t D = static_cast<std::size_t>(plan.spec.architecture.dimension());
  const auto params = group.read_doubles("parameters");
  const auto epoch = group.read_ints("epoch");
  const auto converged = group.read_ints("converged_epoch");
  const auto finished = group.read_ints("finished");
  const auto accepted = group.read_ints("accepted");
  const bool adam = plan.spec.optimizer.optimizer == Optimizer::adam;
  const auto adam_first = adam ? group.read_doubles("adam_first") : std::vector<double>{};
  const auto adam_second = adam ? group.read_doubles("adam_second") : std::vector<double>{};
  const std::size_t R = runs.size();
  if (epoch.size() != R || params.size() != R * D || converged.size() != R || finished.size() != R ||
      accepted.size() != R || (adam && (adam_first.size() != R * D || adam_second.size() != R * D)))
    throw std::runtime_error("the checkpoint holds " + std::to_string(epoch.size()) + " runs, this plan " +
                             std::to_string(R));
  for (std::size_t r = 0; r < R; ++r) {
    TrainingRun& run = runs[r];
    const auto row = [&](const std::vector<double>& all) {
      return Params(all.begin() + static_cast<std::ptrdiff_t>(r * D), all.begin() + static_cast<std::ptrdiff_t>((r + 1) * D));
    };
    run.state.params = row(params);
    run.state.epoch = epoch[r];
    run.converged_epoch = converged[r];
    run.finished = finished[r] != 0;
    run.state.accepted = accepted[r];
    if (adam) {
      run.state.adam_first = row(adam_first);
      run.state.adam_second = row(adam_second);
    }
    const std::string path = "traces/" + run_name(r);
    run.trace = group.exists(path) ? read_trace(group.open_group(path)) : Trace{};
  }
}

void write_converge(const h5::Group& root, const ConvergeJob& job) {
  const ConvergeSweep& sweep = job.sweep();
  const ConvergeSpec& spec = sweep.spec;
  const XorLoss loss(spec.architecture, spec.dataset);
  const ParameterLayout& layout = loss.layout();
  io::write_network(root, loss);
  std::vector<std::string> names;
  std::vector<std::int64_t> index;
  std::vector<double> optimum;
  for (int k : sweep.parameters) {
    names.push_back(layout.name(k));
    index.push_back(k);
    optimum.push_back(spec.center[k]);
  }
  std::vector<std::int64_t> tau;
  std::vector<double> mean_loss, mean_batch, fraction;
  for (const ConvergeOutcome& o : job.outcomes()) {
    tau.push_back(o.tau_conv);
    mean_loss.push_back(o.mean_loss);
    mean_batch.push_back(o.mean_batch_loss);
    fraction.push_back(o.converged_runs);
  }
  root.write_scale("parameter_number", std::span<const std::int64_t>(index),
                   {"index of each shifted parameter in the parameter vector"});
  root.write_scale("shift", sweep.shifts, {"Delta: initial value minus optimum"});
  root.write_strings("parameter", names, {{"parameter_number"}, "names of the shifted parameters"});
  root.write("parameter_index", std::span<const std::int64_t>(index), {{"parameter_number"}});
  root.write("optimum", optimum, {{"parameter_number"}, "the center value of each shifted parameter"});
  root.write("center", spec.center, {{"parameter_names"}, "the solution every shift starts from"});
  root.write_strings("center_names", layout.names(), {{"parameter_names"}, "the same as /parameter_names"});
  root.set_attribute("center_source", sweep.center_source);
  if (!sweep.center_note.empty()) root.set_attribute("center_note", sweep.center_note);
  const std::vector<std::string> axes{"parameter_number", "shift"};
  root.write("tau_conv", std::span<const std::int64_t>(tau),
             {axes, "first epoch with run-averaged batch loss and run-averaged full loss below the threshold; "
                    "-1: not within the epoch budget"});
  root.write("mean_loss", mean_loss, {axes, "run-averaged full loss at tau_conv (at the budget's end if not converged)"});
  root.write("mean_batch_loss", mean_batch, {axes, "run-averaged loss on each run's own batch at tau_conv"});
  root.write("converged_fraction", fraction,
             {axes, "fraction of the runs whose own full loss is below the threshold at tau_conv (or at the budget's end)"});
  root.set_attribute("runs", static_cast<std::int64_t>(spec.runs));
  root.set_attribute("eta", spec.eta);
  root.set_attribute("threshold", spec.threshold);
  root.set_attribute("max_epochs", static_cast<std::int64_t>(spec.max_epochs));
  root.set_attribute("batches", std::string("randomized; run r uses the same batch sequence at every shift"));
}

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  const std::string tool = root.has_attribute("tool") ? root.attribute_string("tool") : "";
  if (tool == "xorscape-converge") {
    selector.allow({}, {"center"});
    return root.read_doubles("center");
  }
  selector.allow({"run"}, {"initial", "final"});
  const std::string dataset = selector.has("initial") ? "runs/initial_parameters" : "runs/final_parameters";
  std::int64_t run = 0;
  if (const auto k = selector.number("run")) {
    run = *k;
  } else if (root.shape(dataset).at(0) != 1) {
    throw std::invalid_argument("the file holds " + std::to_string(root.shape(dataset).at(0)) +
                                " runs: name one, e.g. FILE:run=0");
  }
  return io::read_row(root, dataset, run, "run");
}

}  // namespace xorscape::training
