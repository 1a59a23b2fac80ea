// xorscape-train: trains the XOR network (Figures 2-4 of the dissecting paper): single runs,
// many seeds in parallel, learning-rate sweeps x seeds, and a benchmark of the GD hot path.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "xorscape/cli/cli.hpp"
#include "xorscape/io/h5.hpp"
#include "xorscape/core/rng.hpp"
#include "xorscape/training/training.hpp"

using namespace xorscape;
namespace po = cli::po;

namespace {

// Stream keys: every run's random numbers are keyed by its seed index, so the runs of one
// seed index start from the same point and see the same batches at every learning rate.
enum StreamKey : std::uint64_t { kInitKey = 1, kBatchKey = 2, kProposalKey = 3 };

struct Init {
  bool uniform = true;
  cli::Range range{0.0, 0.1};
  Params fixed;
};

Init parse_init(const std::string& text, const ParameterLayout& layout) {
  Init init;
  if (text.find(':') != std::string::npos) {
    init.range = cli::parse_range("--init", text);
    return init;
  }
  init.uniform = false;
  init.fixed = cli::parse_parameters("--init", text, layout);
  return init;
}

// "LO:HI:N" (N log-spaced values, LO > 0) or "a,b,c".
std::vector<double> parse_eta_sweep(const std::string& text) {
  std::vector<double> etas;
  const size_t first = text.find(':');
  if (first != std::string::npos) {
    const size_t second = text.find(':', first + 1);
    if (second == std::string::npos) throw cli::UsageError("--eta-sweep", "'" + text + "' is not LO:HI:N or a list");
    const cli::Range range = cli::parse_range("--eta-sweep", text.substr(0, second));
    if (range.lo <= 0.0) throw cli::UsageError("--eta-sweep", "log-spaced learning rates need LO > 0");
    long long n = 0;
    try {
      size_t used = 0;
      n = std::stoll(text.substr(second + 1), &used);
      if (used != text.size() - second - 1) n = 0;
    } catch (const std::exception&) {
      n = 0;
    }
    if (n < 2 || n > 100000) throw cli::UsageError("--eta-sweep", "N in LO:HI:N must be between 2 and 100000");
    for (long long i = 0; i < n; ++i)
      etas.push_back(range.lo * std::pow(range.hi / range.lo, static_cast<double>(i) / static_cast<double>(n - 1)));
    return etas;
  }
  etas = cli::parse_numbers("--eta-sweep", text);
  for (double eta : etas) cli::require_positive("--eta-sweep", eta);
  return etas;
}

std::string checkpoint_path(const std::string& output) { return output + ".checkpoint.h5"; }

void write_trace(const h5::Group& group, const Trace& t, int dimension, int n_hidden,
                 const std::vector<std::string>& names) {
  if (t.size() == 0) return;
  const hsize_t n = t.size();
  group.write("epoch", std::span<const std::int64_t>(t.epoch), {n});
  group.set_attribute_on("epoch", "units", std::string("epochs (parameter updates) done"));
  group.write("loss", t.loss);
  group.set_attribute_on("loss", "meaning", std::string("loss on the full nonrandomized batch, equation (4)"));
  group.write("loss_batch", t.loss_batch);
  group.set_attribute_on("loss_batch", "meaning", std::string("loss on the batch of that epoch"));
  group.attach_scale("loss", "epoch", 0, "epoch");
  group.attach_scale("loss_batch", "epoch", 0, "epoch");
  if (!t.parameters.empty()) {
    group.write("parameters", t.parameters, {n, static_cast<hsize_t>(dimension)});
    group.set_attribute_on("parameters", "columns", names);
    group.attach_scale("parameters", "epoch", 0, "epoch");
    group.label_dimension("parameters", 1, "parameter");
    group.write("hidden", t.hidden, {n, static_cast<hsize_t>(4 * n_hidden)});
    std::vector<std::string> columns;
    const char* cases[4] = {"case1", "case2", "case3", "case4"};
    for (const char* c : cases)
      for (int i = 0; i < n_hidden; ++i) columns.push_back(std::string(c) + ":a1_" + std::to_string(i + 1));
    group.set_attribute_on("hidden", "columns", columns);
    group.set_attribute_on("hidden", "meaning",
                           std::string("hidden activations a1_i for the four cases of the dataset in table order"));
    group.attach_scale("hidden", "epoch", 0, "epoch");
    group.label_dimension("hidden", 1, "case:neuron");
    group.write("output", t.output, {n, 4});
    group.set_attribute_on("output", "meaning", std::string("output activation a2_1 for the four cases"));
    group.attach_scale("output", "epoch", 0, "epoch");
    group.label_dimension("output", 1, "case");
  }
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

std::string run_name(size_t r) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "run_%05zu", r);
  return buffer;
}

struct Plan {
  TrainSpec spec;
  std::vector<double> etas;  // one per eta index
  int seeds = 1;
  bool sweep = false;
  std::string fit_window = "auto";
  std::string signature;     // options that must match on --resume
};

std::vector<TrainingRun> initial_runs(const Plan& plan, const Init& init, std::uint64_t seed) {
  const int D = plan.spec.architecture.dimension();
  std::vector<TrainingRun> runs;
  for (size_t e = 0; e < plan.etas.size(); ++e)
    for (int s = 0; s < plan.seeds; ++s) {
      TrainingRun run;
      if (init.uniform) {
        RandomStream stream(seed, {kInitKey, static_cast<std::uint64_t>(s)});
        run.initial.resize(D);
        for (double& v : run.initial) v = stream.uniform(init.range.lo, init.range.hi);
      } else {
        run.initial = init.fixed;
      }
      run.state.params = run.initial;
      run.state.eta = plan.etas[e];
      run.state.batch_key = RandomStream(seed, {kBatchKey, static_cast<std::uint64_t>(s)}).next();
      run.state.proposal_key = RandomStream(seed, {kProposalKey, static_cast<std::uint64_t>(s)}).next();
      runs.push_back(std::move(run));
    }
  return runs;
}

// Everything of a run that is not in its trace, as rows (for the output and the checkpoint).
void write_runs(const h5::Group& g, const Plan& plan, const std::vector<TrainingRun>& runs, bool checkpoint) {
  const int D = plan.spec.architecture.dimension();
  const hsize_t R = runs.size();
  std::vector<double> eta, initial, final_params, final_loss, adam_first, adam_second;
  std::vector<std::int64_t> seed_index, final_epoch, converged_epoch, finished, accepted, index;
  const XorLoss loss(plan.spec.architecture, plan.spec.dataset);
  for (size_t r = 0; r < runs.size(); ++r) {
    const TrainingRun& run = runs[r];
    index.push_back(static_cast<std::int64_t>(r));
    eta.push_back(run.state.eta);
    seed_index.push_back(static_cast<std::int64_t>(r % plan.seeds));
    initial.insert(initial.end(), run.initial.begin(), run.initial.end());
    final_params.insert(final_params.end(), run.state.params.begin(), run.state.params.end());
    final_loss.push_back(loss.value(run.state.params));
    final_epoch.push_back(run.state.epoch);
    converged_epoch.push_back(run.converged_epoch);
    finished.push_back(run.finished);
    accepted.push_back(run.state.accepted);
    if (plan.spec.optimizer.optimizer == Optimizer::adam) {
      std::vector<double> zeros(D, 0.0);
      const auto& m = run.state.adam_first.empty() ? zeros : run.state.adam_first;
      const auto& v = run.state.adam_second.empty() ? zeros : run.state.adam_second;
      adam_first.insert(adam_first.end(), m.begin(), m.end());
      adam_second.insert(adam_second.end(), v.begin(), v.end());
    }
  }
  g.write("run", std::span<const std::int64_t>(index), {R});
  g.write("eta", eta);
  g.set_attribute_on("eta", "meaning", std::string("learning rate of the run"));
  g.write("seed_index", std::span<const std::int64_t>(seed_index), {R});
  g.set_attribute_on("seed_index", "meaning",
                     std::string("runs with the same seed index share initial point and batches"));
  g.write("initial_parameters", initial, {R, static_cast<hsize_t>(D)});
  g.write("final_parameters", final_params, {R, static_cast<hsize_t>(D)});
  g.write("final_loss", final_loss);
  g.set_attribute_on("final_loss", "meaning", std::string("full nonrandomized loss at final_epoch"));
  g.write("final_epoch", std::span<const std::int64_t>(final_epoch), {R});
  g.write("converged_epoch", std::span<const std::int64_t>(converged_epoch), {R});
  g.set_attribute_on("converged_epoch", "meaning",
                     std::string("first epoch with full nonrandomized loss below the threshold; -1: not within the "
                                 "epoch budget"));
  for (const char* name : {"eta", "seed_index", "initial_parameters", "final_parameters", "final_loss",
                           "final_epoch", "converged_epoch"})
    g.attach_scale(name, "run", 0, "run");
  if (plan.spec.optimizer.optimizer == Optimizer::mc0) {
    g.write("accepted", std::span<const std::int64_t>(accepted), {R});
    g.set_attribute_on("accepted", "meaning", std::string("accepted Monte Carlo moves"));
  }
  if (checkpoint) {
    g.write("finished", std::span<const std::int64_t>(finished), {R});
    if (!adam_first.empty()) {
      g.write("adam_first", adam_first, {R, static_cast<hsize_t>(D)});
      g.write("adam_second", adam_second, {R, static_cast<hsize_t>(D)});
    }
  }
}

void write_fits(const h5::Group& g, const Plan& plan, const std::vector<TrainingRun>& runs) {
  std::vector<double> gamma, error, early, late, amplitude;
  std::vector<std::int64_t> ok, lo, hi, points;
  for (const TrainingRun& run : runs) {
    std::pair<std::int64_t, std::int64_t> window = default_fit_window(run.trace);
    if (plan.fit_window != "auto") {
      const cli::Range range = cli::parse_range("--fit-window", plan.fit_window);
      window = {static_cast<std::int64_t>(range.lo), static_cast<std::int64_t>(range.hi)};
    }
    const PowerLawFit fit = fit_power_law(run.trace.epoch, run.trace.loss, window.first, window.second);
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
  const hsize_t R = runs.size();
  g.write("gamma", gamma);
  g.set_attribute_on("gamma", "meaning",
                     std::string("exponent of L(tau) ~ A tau^-gamma (equation 7), least squares of ln L on ln tau "
                                 "over the recorded epochs in [fit_lo, fit_hi]; 0 where fit_ok = 0"));
  g.write("gamma_error", error);
  g.set_attribute_on("gamma_error", "meaning", std::string("standard error of gamma from the fit residuals"));
  g.write("gamma_early", early);
  g.write("gamma_late", late);
  g.set_attribute_on("gamma_early", "meaning", std::string("gamma fitted over the lower half of the window (ln tau)"));
  g.set_attribute_on("gamma_late", "meaning", std::string("gamma fitted over the upper half of the window (ln tau)"));
  g.write("amplitude", amplitude);
  g.write("fit_ok", std::span<const std::int64_t>(ok), {R});
  g.write("fit_lo", std::span<const std::int64_t>(lo), {R});
  g.write("fit_hi", std::span<const std::int64_t>(hi), {R});
  g.write("fit_points", std::span<const std::int64_t>(points), {R});
  g.set_attribute("window", plan.fit_window == "auto"
                                ? std::string("auto: from 10 x the first recorded epoch with loss < 0.05 to the last "
                                              "recorded epoch")
                                : plan.fit_window);
  for (const char* name : {"gamma", "gamma_error", "gamma_early", "gamma_late", "amplitude", "fit_ok", "fit_lo",
                           "fit_hi", "fit_points"})
    g.attach_scale(name, "run", 0, "run");
}

void write_sweep(const h5::Group& g, const Plan& plan, const std::vector<TrainingRun>& runs) {
  const hsize_t E = plan.etas.size(), S = plan.seeds;
  std::vector<std::int64_t> seed_index(S), converged(E * S);
  std::vector<double> fraction(E, 0.0);
  for (hsize_t s = 0; s < S; ++s) seed_index[s] = static_cast<std::int64_t>(s);
  for (hsize_t e = 0; e < E; ++e)
    for (hsize_t s = 0; s < S; ++s) {
      converged[e * S + s] = runs[e * S + s].converged_epoch;
      fraction[e] += runs[e * S + s].converged_epoch >= 0 ? 1.0 / static_cast<double>(S) : 0.0;
    }
  g.write("eta", plan.etas);
  g.set_attribute_on("eta", "meaning", std::string("learning rate"));
  g.write("seed_index", std::span<const std::int64_t>(seed_index), {S});
  g.write("converged_epoch", std::span<const std::int64_t>(converged), {E, S});
  g.set_attribute_on("converged_epoch", "meaning",
                     std::string("first epoch with full loss below the threshold; -1: not converged within the "
                                 "budget"));
  g.write("converged_fraction", fraction);
  g.attach_scale("converged_epoch", "eta", 0, "eta");
  g.attach_scale("converged_epoch", "seed_index", 1, "seed_index");
  g.attach_scale("converged_fraction", "eta", 0, "eta");
  g.set_attribute("epoch_budget", static_cast<std::int64_t>(plan.spec.max_epochs));
  g.set_attribute("threshold", plan.spec.threshold);
}

void write_file(const std::string& path, bool overwrite, const cli::Tool& tool, const Plan& plan,
                const std::vector<TrainingRun>& runs, bool checkpoint) {
  h5::OutputFile file(path, overwrite);
  const h5::Group& root = file.root();
  file.write_provenance(tool.provenance());
  const ParameterLayout layout(plan.spec.architecture.n_hidden);
  root.set_attribute("complete", static_cast<std::int64_t>(!checkpoint));
  root.set_attribute("signature", plan.signature);
  root.set_attribute("n_hidden", static_cast<std::int64_t>(plan.spec.architecture.n_hidden));
  root.set_attribute("optimizer", to_string(plan.spec.optimizer.optimizer));
  root.set_attribute("batch", uses_randomized_batches(plan.spec.optimizer) ? std::string("randomized")
                                                                          : std::string("nonrandomized"));
  root.set_attribute("threshold", plan.spec.threshold);
  root.set_attribute("max_epochs", static_cast<std::int64_t>(plan.spec.max_epochs));
  root.set_attribute("dataset", plan.spec.dataset.name);
  root.set_attribute("code_path", std::string(fast_path_applies(plan.spec)
                                                  ? "simd kernel (" + kernels::to_string(plan.spec.simd) + ")"
                                                  : "reference"));
  root.write_strings("parameter_names", layout.names());
  write_runs(root.create_group("runs"), plan, runs, checkpoint);
  if (!checkpoint) write_fits(root.open_group("runs"), plan, runs);
  if (plan.spec.record != RecordLevel::none) {
    const h5::Group traces = root.create_group("traces");
    for (size_t r = 0; r < runs.size(); ++r) {
      const h5::Group g = traces.create_group(run_name(r));
      g.set_attribute("eta", runs[r].state.eta);
      g.set_attribute("seed_index", static_cast<std::int64_t>(r % plan.seeds));
      write_trace(g, runs[r].trace, plan.spec.architecture.dimension(), plan.spec.architecture.n_hidden,
                  layout.names());
    }
  }
  if (plan.sweep && !checkpoint) write_sweep(root.create_group("sweep"), plan, runs);
  file.commit();
}

void load_checkpoint(const std::string& path, const Plan& plan, std::vector<TrainingRun>& runs) {
  h5::InputFile file(path);
  const h5::Group& root = file.root();
  if (root.attribute_string("signature") != plan.signature)
    throw cli::UsageError("--resume", "checkpoint '" + path + "' was made with other options (" +
                                          root.attribute_string("signature") + ")");
  const h5::Group g = root.open_group("runs");
  const size_t D = plan.spec.architecture.dimension();
  const auto final_params = g.read_doubles("final_parameters");
  const auto epochs = g.read_ints("final_epoch");
  const auto converged = g.read_ints("converged_epoch");
  const auto finished = g.read_ints("finished");
  const bool adam = g.exists("adam_first");
  const auto adam_first = adam ? g.read_doubles("adam_first") : std::vector<double>{};
  const auto adam_second = adam ? g.read_doubles("adam_second") : std::vector<double>{};
  const auto accepted = g.exists("accepted") ? g.read_ints("accepted") : std::vector<std::int64_t>{};
  if (epochs.size() != runs.size()) throw cli::UsageError("--resume", "checkpoint holds a different number of runs");
  for (size_t r = 0; r < runs.size(); ++r) {
    TrainingRun& run = runs[r];
    run.state.params.assign(final_params.begin() + r * D, final_params.begin() + (r + 1) * D);
    run.state.epoch = epochs[r];
    run.converged_epoch = converged[r];
    run.finished = finished[r] != 0;
    if (!accepted.empty()) run.state.accepted = accepted[r];
    if (adam) {
      run.state.adam_first.assign(adam_first.begin() + r * D, adam_first.begin() + (r + 1) * D);
      run.state.adam_second.assign(adam_second.begin() + r * D, adam_second.begin() + (r + 1) * D);
    }
    if (root.exists("traces/" + run_name(r))) run.trace = read_trace(root.open_group("traces/" + run_name(r)));
  }
}

int bench(const TrainSpec& base, std::int64_t epochs, int threads) {
  TrainSpec spec = base;
  spec.architecture = Architecture{2, Activation::sigmoid, Activation::sigmoid};
  spec.optimizer.optimizer = Optimizer::gd;
  spec.threshold = 0.0;
  spec.record = RecordLevel::none;
  spec.max_epochs = epochs;
  auto make_runs = [&](int count) {
    std::vector<TrainingRun> runs(count);
    for (int r = 0; r < count; ++r) {
      RandomStream stream(1, {kInitKey, static_cast<std::uint64_t>(r)});
      runs[r].state.params.resize(9);
      for (double& v : runs[r].state.params) v = 0.1 * stream.uniform();
      runs[r].state.eta = 0.1;
    }
    return runs;
  };
  auto rate = [&](bool fast, kernels::SimdLevel level, int count, int use_threads) {
    spec.fast_path = fast;
    spec.simd = level;
    auto runs = make_runs(count);
    omp_set_num_threads(use_threads);
    const auto t0 = std::chrono::steady_clock::now();
    train(spec, runs);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return static_cast<double>(count) * static_cast<double>(epochs) / seconds;
  };
  const int lanes = kernels::kTrainLanes;
  std::printf("# full-batch gradient descent, n_h = 2 sigmoid, xor, eta = 0.1, %lld epochs per run\n",
              static_cast<long long>(epochs));
  std::printf("# path                      threads  runs  epochs/s (all runs)  epochs/s per core\n");
  auto line = [&](const std::string& name, double value, int used_threads, int runs) {
    std::printf("%-27s %7d %5d %20.4g %18.4g\n", name.c_str(), used_threads, runs, value, value / used_threads);
  };
  line("reference (scalar)", rate(false, kernels::SimdLevel::scalar, 1, 1), 1, 1);
  for (kernels::SimdLevel level : kernels::training_simd_levels())
    line("simd kernel " + kernels::to_string(level), rate(true, level, lanes, 1), 1, lanes);
  if (threads > 1) {
    line("reference (scalar)", rate(false, kernels::SimdLevel::scalar, threads, threads), threads, threads);
    const kernels::SimdLevel best = kernels::training_simd_level();
    line("simd kernel " + kernels::to_string(best), rate(true, best, lanes * threads, threads), threads,
         lanes * threads);
  }
  std::printf("# one run alone on the simd kernel uses one of %d lanes; rates count epochs of all runs\n", lanes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-train", "train the 2-n_h-1 XOR network: loss, parameter and activation traces, "
                                   "power-law exponent, learning-rate sweeps (Figs 2-4)", "train.h5");
  tool.options().add_options()
      ("n-hidden", po::value<int>()->default_value(2), "hidden neurons n_h (>= 1)")
      ("activation", po::value<std::string>()->default_value("sigmoid"), "hidden activation: sigmoid | tanh | relu")
      ("output-activation", po::value<std::string>()->default_value("sigmoid"), "output activation: sigmoid | tanh | identity")
      ("data", po::value<std::string>()->default_value("xor"), "dataset: xor | xor-centered | xor-pm")
      ("optimizer", po::value<std::string>()->default_value("sgd"),
       "gd (full nonrandomized batch, eq. 6) | sgd (randomized batches) | adam | mc0 (zero-temperature Monte Carlo)")
      ("batch", po::value<std::string>()->default_value("auto"),
       "batch for adam and mc0: nonrandomized | randomized (auto: randomized for adam, nonrandomized for mc0)")
      ("eta", po::value<double>()->default_value(0.1, "0.1"), "learning rate (Adam: its step size)")
      ("eta-sweep", po::value<std::string>()->default_value(""),
       "learning-rate sweep: LO:HI:N (N log-spaced values) or a list a,b,c; every value x every seed")
      ("seeds", po::value<int>()->default_value(1), "independent runs (seed indices 0..N-1) per learning rate")
      ("init", po::value<std::string>()->default_value("0:0.1"),
       "initial parameters: LO:HI (each uniform in [LO,HI); default 0.1 r, r in [0,1)), a Table 2 solution 1..5, "
       "a parameter file, or name=value,...")
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
      ("resume", po::bool_switch(), "continue from OUTPUT.checkpoint.h5 (written when a run is stopped by a signal)")
      ("bench", po::bool_switch(), "print full-batch GD epochs/s (n_h = 2) of the reference and SIMD paths; no file")
      ("bench-epochs", po::value<long long>()->default_value(2000000), "epochs per run in --bench");
  return tool.run(argc, argv, [&] {
    Plan plan;
    TrainSpec& spec = plan.spec;
    const int n_hidden = static_cast<int>(cli::require_at_least("--n-hidden", tool.get<int>("n-hidden"), 1));
    if (n_hidden > 4096) throw cli::UsageError("--n-hidden", "at most 4096");
    spec.architecture = Architecture{n_hidden, cli::parse_activation("--activation", tool.get<std::string>("activation")),
                                     cli::parse_activation("--output-activation",
                                                           tool.get<std::string>("output-activation"))};
    spec.dataset = cli::parse_dataset("--data", tool.get<std::string>("data"));
    try {
      spec.optimizer.optimizer = parse_optimizer(tool.get<std::string>("optimizer"));
    } catch (const std::invalid_argument& e) {
      throw cli::UsageError("--optimizer", e.what());
    }
    const std::string batch = tool.get<std::string>("batch");
    if (batch == "auto") {
      spec.optimizer.batch =
          spec.optimizer.optimizer == Optimizer::mc0 || spec.optimizer.optimizer == Optimizer::gd
              ? BatchMode::nonrandomized
              : BatchMode::randomized;
    } else {
      try {
        spec.optimizer.batch = parse_batch_mode(batch);
      } catch (const std::invalid_argument& e) {
        throw cli::UsageError("--batch", e.what());
      }
      if ((spec.optimizer.optimizer == Optimizer::gd && spec.optimizer.batch == BatchMode::randomized) ||
          (spec.optimizer.optimizer == Optimizer::sgd && spec.optimizer.batch == BatchMode::nonrandomized))
        throw cli::UsageError("--batch", "gd always uses the nonrandomized batch and sgd randomized batches");
    }
    spec.optimizer.eta = cli::require_positive("--eta", tool.get<double>("eta"));
    spec.optimizer.mc_step = cli::require_positive("--mc-step", tool.get<double>("mc-step"));
    spec.max_epochs = cli::require_at_least("--epochs", tool.get<long long>("epochs"), 1);
    const double threshold = tool.get<double>("threshold");
    if (!std::isfinite(threshold) || threshold < 0.0) throw cli::UsageError("--threshold", "must be a finite number >= 0");
    spec.threshold = threshold;
    spec.points_per_decade =
        static_cast<int>(cli::require_at_least("--points-per-decade", tool.get<int>("points-per-decade"), 1));
    if (spec.points_per_decade > 10000) throw cli::UsageError("--points-per-decade", "at most 10000");
    plan.seeds = static_cast<int>(cli::require_at_least("--seeds", tool.get<int>("seeds"), 1));
    const std::string sweep = tool.get<std::string>("eta-sweep");
    plan.sweep = !sweep.empty();
    plan.etas = plan.sweep ? parse_eta_sweep(sweep) : std::vector<double>{spec.optimizer.eta};
    if (plan.etas.size() * static_cast<size_t>(plan.seeds) > 10000000)
      throw cli::UsageError("--seeds", "too many runs (learning rates x seeds above 1e7)");
    const size_t runs_count = plan.etas.size() * plan.seeds;
    const std::string record = tool.get<std::string>("record");
    try {
      spec.record = record == "auto" ? (runs_count <= 32 ? RecordLevel::full : RecordLevel::loss)
                                     : parse_record_level(record);
    } catch (const std::invalid_argument& e) {
      throw cli::UsageError("--record", e.what());
    }
    plan.fit_window = tool.get<std::string>("fit-window");
    if (plan.fit_window != "auto") {
      const cli::Range range = cli::parse_range("--fit-window", plan.fit_window);
      if (range.lo < 1) throw cli::UsageError("--fit-window", "epochs must be at least 1");
    }
    spec.fast_path = !tool.get<bool>("reference");
    const ParameterLayout layout(n_hidden);
    const Init init = parse_init(tool.get<std::string>("init"), layout);
    if (tool.get<bool>("bench"))
      return bench(spec, cli::require_at_least("--bench-epochs", tool.get<long long>("bench-epochs"), 1000),
                   tool.threads());

    std::ostringstream signature;
    for (const char* option : {"n-hidden", "activation", "output-activation", "data", "optimizer", "batch", "eta",
                               "eta-sweep", "seeds", "init", "epochs", "threshold", "mc-step", "record",
                               "points-per-decade", "reference"}) {
      signature << option << '=';
      const auto& value = tool.values()[option].value();
      if (auto v = boost::any_cast<std::string>(&value)) signature << *v;
      if (auto v = boost::any_cast<int>(&value)) signature << *v;
      if (auto v = boost::any_cast<long long>(&value)) signature << *v;
      if (auto v = boost::any_cast<double>(&value)) signature << *v;
      if (auto v = boost::any_cast<bool>(&value)) signature << *v;
      signature << ' ';
    }
    signature << "seed=" << tool.seed();
    plan.signature = signature.str();

    std::vector<TrainingRun> runs = initial_runs(plan, init, tool.seed());
    const std::string checkpoint = checkpoint_path(tool.output());
    if (tool.get<bool>("resume")) {
      if (!std::filesystem::exists(checkpoint))
        throw cli::UsageError("--resume", "no checkpoint '" + checkpoint + "' to resume from");
      load_checkpoint(checkpoint, plan, runs);
    } else if (std::filesystem::exists(tool.output()) && !tool.force()) {
      throw cli::UsageError("--output", "'" + tool.output() + "' exists; use --force to overwrite it");
    }

    cli::Progress progress("xorscape-train", static_cast<double>(runs.size()) * static_cast<double>(spec.max_epochs),
                           "epochs");
    tool.control().set_progress_sink([&](double done, double) { progress.update(done); });
    const bool complete = train(spec, runs, tool.control());
    progress.finish();
    if (!complete) {
      write_file(checkpoint, true, tool, plan, runs, true);
      std::cerr << "xorscape-train: stopped; checkpoint written to " << checkpoint
                << " (continue with the same options and --resume)\n";
      return 3;
    }
    write_file(tool.output(), tool.force() || tool.get<bool>("resume"), tool, plan, runs, false);
    std::filesystem::remove(checkpoint);
    return 0;
  });
}
