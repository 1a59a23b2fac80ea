// xorscape-wanglandau: the density of loss g(L) and entropy S(L) = ln g(L) of the XOR network by
// replica-exchange Wang-Landau sampling (halving or 1/t schedule) followed by a multicanonical
// production run, K independent runs, checkpoints and --resume, and the microcanonical
// inflection-point analysis of S(L) (beta = dS/dL and its derivatives).
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "xorscape/entropy/entropy_io.hpp"
#include "xorscape/entropy/models.hpp"
#include "xorscape/entropy/wanglandau.hpp"

using namespace xorscape;
using namespace xorscape::entropy;
using Sampler = ReplicaExchangeWangLandau<XorNetworkModel>;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

XorNetworkModel network_model(int n_hidden) {
  const XorLoss loss(Architecture{n_hidden, Activation::sigmoid, Activation::sigmoid}, dataset_by_name("xor"));
  return XorNetworkModel(loss, symmetric_box(loss.dimension(), 10.0));
}

// Wang-Landau steps per second of one walker (1000 bins, box R = 10, ln f = 1e-3), per core, and
// the wall-clock rate of two walkers on one and on two threads.
void benchmark() {
  const LossBinning binning(0.0, 1.0, 1000);
  WangLandauSpec spec;
  const std::int64_t steps = 20000000;
  std::printf("Wang-Landau steps (one-parameter move, incremental loss, 1000 bins, box R = 10):\n");
  for (int n_hidden : {2, 18}) {
    auto walker = standalone_walker(network_model(n_hidden), binning, 1, 1e-3);
    advance_walker(walker, binning, spec, 1000000);  // warm-up: step sizes adapt, bins fill
    const double cpu0 = thread_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    advance_walker(walker, binning, spec, steps);
    const double wall = seconds_since(start), cpu = thread_cpu_seconds() - cpu0;
    std::printf("  n_h = %2d: %.3g steps/s per core (CPU time), %.3g steps/s wall\n", n_hidden, steps / cpu,
                steps / wall);
  }
  double rate[2] = {0, 0};
  for (int threads : {1, 2}) {
    std::vector<Walker<XorNetworkModel>> walkers;
    for (int j = 0; j < 2; ++j) walkers.push_back(standalone_walker(network_model(2), binning, 10 + j, 1e-3));
    const auto start = std::chrono::steady_clock::now();
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (int j = 0; j < 2; ++j) advance_walker(walkers[j], binning, spec, steps / 2);
    rate[threads - 1] = steps / seconds_since(start);
  }
  std::printf("  two walkers, n_h = 2: %.3g steps/s on 1 thread, %.3g on 2 threads: speed-up %.2f\n", rate[0],
              rate[1], rate[1] / rate[0]);
  std::printf("simple sampling (kernels::batch_loss at %s), %d thread(s): n_h = 2: %.3g evaluations/s, n_h = 18: %.3g\n",
              kernels::to_string(kernels::detect_simd_level()).c_str(), omp_get_max_threads(),
              simple_sampling_rate(2, 4000000), simple_sampling_rate(18, 1000000));
}

// Mean and sample standard deviation of rows [from, from + K) of `each`.
void mean_and_spread(const std::vector<std::vector<double>>& each, size_t from, size_t K, std::vector<double>& mean,
                     std::vector<double>& spread) {
  const size_t n = each[from].size();
  mean.assign(n, 0.0);
  spread.assign(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < K; ++k) mean[i] += each[from + k][i] / K;
    if (K > 1) {
      double s = 0.0;
      for (size_t k = 0; k < K; ++k) s += (each[from + k][i] - mean[i]) * (each[from + k][i] - mean[i]);
      spread[i] = std::sqrt(s / (K - 1));
    }
  }
}

void write_results(h5::OutputFile& file, const cli::Tool& tool, const EntropyProblem& problem, const Sampler& sampler,
                   double smoothing, double wall_seconds) {
  const WangLandauSpec& spec = sampler.spec();
  const int K = spec.runs;
  const bool production = spec.production_steps > 0;
  std::vector<RunResult> results;
  for (int r = 0; r < K; ++r) results.push_back(sampler.result(r));
  // One loss axis for both estimates: the bins every run's Wang-Landau and production estimate know.
  std::vector<std::vector<double>> all;
  std::vector<std::vector<std::uint8_t>> known;
  for (const auto& r : results) {
    all.push_back(r.ln_g_wang_landau);
    known.push_back(r.known_wang_landau);
  }
  if (production)
    for (const auto& r : results) {
      all.push_back(r.ln_g_production);
      known.push_back(r.known_production);
    }
  const CombinedEntropy c = combine_estimates(all, known, problem.binning);
  std::vector<double> wl_mean, wl_spread, prod_mean, prod_spread;
  mean_and_spread(c.each, 0, K, wl_mean, wl_spread);
  if (production) mean_and_spread(c.each, K, K, prod_mean, prod_spread);
  const std::vector<double>& S = production ? prod_mean : wl_mean;
  const std::vector<double>& S_std = production ? prod_spread : wl_spread;
  const size_t n = c.loss.size();

  const h5::Group& root = file.root();
  file.write_provenance(tool.provenance());
  write_problem(root, problem);
  root.set_attribute("method", std::string("replica-exchange Wang-Landau (") + to_string(spec.schedule) +
                                   " schedule)" + (production ? " + multicanonical production run" : ""));
  root.set_attribute("runs", static_cast<std::int64_t>(K));
  root.set_attribute("windows", static_cast<std::int64_t>(sampler.windows_used(0)));
  root.set_attribute("ln_f_final", spec.ln_f_final);
  root.set_attribute("flatness", spec.flatness);
  bool converged = true;
  double lowest = 1e300, highest = -1e300;
  for (const auto& r : results) {
    converged = converged && r.converged;
    lowest = std::min(lowest, r.min_energy);
    highest = std::max(highest, r.max_energy);
  }
  root.set_attribute("converged", static_cast<std::int64_t>(converged));
  root.set_attribute("lowest_loss", lowest);
  root.set_attribute("highest_loss", highest);
  root.set_attribute("reachable_range", std::vector<double>{problem.binning.lower_edge(c.first_bin),
                                                            problem.binning.upper_edge(c.last_bin)});
  root.set_attribute("total_steps", sampler.total_steps());
  root.set_attribute("wall_seconds", wall_seconds);
  root.set_attribute("steps_per_second", sampler.total_steps() / std::max(wall_seconds, 1e-9));

  const h5::Group e = root.create_group("entropy");
  e.write("loss", c.loss);
  e.set_attribute_on("loss", "units", "loss L: bin centres of the range every run reached");
  auto curve = [&](const std::string& name, const std::vector<double>& v, const std::string& meaning) {
    e.write(name, v);
    e.set_attribute_on(name, "meaning", meaning);
    e.attach_scale(name, "loss", 0, "L");
  };
  curve("S", S, std::string("S(L) = ln g(L), mean over runs of the ") +
                    (production ? "multicanonical (production) estimate" : "Wang-Landau estimate") +
                    "; g normalised so that its integral over the reached range is the box volume");
  curve("S_std", S_std, "standard deviation of S over the independent runs (0 for one run)");
  curve("S_wang_landau", wl_mean, "mean over runs of the Wang-Landau estimate");
  curve("S_wang_landau_std", wl_spread, "its standard deviation over runs");
  if (production) {
    curve("S_production", prod_mean, "mean over runs of ln g + ln H from the fixed-weight production run");
    curve("S_production_std", prod_spread, "its standard deviation over runs");
  }
  std::vector<double> each;
  for (int k = 0; k < K; ++k) {
    const auto& row = c.each[(production ? K : 0) + k];
    each.insert(each.end(), row.begin(), row.end());
  }
  e.write("S_runs", each, {static_cast<hsize_t>(K), n});
  e.set_attribute_on("S_runs", "meaning", "S(L) of each run (rows), the estimate S is the mean of");
  e.attach_scale("S_runs", "loss", 1, "L");
  e.label_dimension("S_runs", 0, "run");
  e.set_attribute("interpolated_bins", static_cast<std::int64_t>(c.interpolated));

  // Inflection-point analysis on the mean curve.
  const h5::Group a = root.create_group("analysis");
  a.write("loss", c.loss);
  a.set_attribute("smoothing",
                  "local least-squares polynomial of degree 4 over the bins within +-half_width of each bin; "
                  "S_smoothed, beta, gamma, dgamma are its value and derivatives at the bin centre");
  a.set_attribute("half_width", smoothing);
  if (n >= 7) {
    const Derivatives d = smoothed_derivatives(c.loss, S, smoothing);
    auto series = [&](const std::string& name, const std::vector<double>& v, const std::string& meaning) {
      a.write(name, v);
      a.set_attribute_on(name, "meaning", meaning);
      a.attach_scale(name, "loss", 0, "L");
    };
    series("S_smoothed", d.entropy, "smoothed S(L)");
    series("beta", d.beta, "beta(L) = dS/dL (microcanonical inverse temperature)");
    series("gamma", d.gamma, "gamma(L) = d beta / dL = d2S/dL2");
    series("dgamma", d.dgamma, "d gamma / dL = d3S/dL3");
    const auto f = features(c.loss, d);
    std::vector<double> where, value;
    std::vector<std::string> kind;
    for (const auto& x : f) {
      where.push_back(x.loss);
      kind.push_back(x.kind);
      value.push_back(x.value);
    }
    const h5::Group fg = a.create_group("features");
    fg.write("loss", where);
    fg.write_strings("kind", kind);
    fg.write("value", value);
    fg.set_attribute("meaning",
                     "S_maximum/S_minimum: zeros of beta; beta_maximum/beta_minimum: zeros of gamma (inflection "
                     "points of S); gamma_maximum/gamma_minimum: zeros of dgamma (inflection points of beta); "
                     "value: S, beta or gamma there");
  }

  // Per run.
  const h5::Group runs = root.create_group("runs");
  std::vector<double> min_loss, max_loss, min_state;
  std::vector<std::int64_t> conv, steps;
  for (const auto& r : results) {
    min_loss.push_back(r.min_energy);
    max_loss.push_back(r.max_energy);
    conv.push_back(r.converged);
    steps.push_back(r.steps);
    min_state.insert(min_state.end(), r.min_state.begin(), r.min_state.end());
  }
  runs.write("min_loss", min_loss);
  runs.write("max_loss", max_loss);
  runs.write("converged", conv, {conv.size()});
  runs.write("steps", steps, {steps.size()});
  runs.write("min_state", min_state, {static_cast<hsize_t>(K), static_cast<hsize_t>(problem.loss.dimension())});
  runs.set_attribute_on("min_state", "meaning", "parameters of each run's smallest loss (columns: parameter_names)");
  runs.set_attribute_on("steps", "meaning", "Monte Carlo steps of the last phase of each window, summed");

  // Windows and convergence, flattened with the run index.
  const h5::Group w = root.create_group("windows");
  std::vector<std::int64_t> w_run, j_run;
  std::vector<double> w_lo, w_hi, j_wl, j_prod, x_rate_tried, x_rate_acc;
  const h5::Group conv_group = root.create_group("convergence");
  std::vector<std::int64_t> c_run, c_window;
  std::vector<double> c_sweeps, c_lnf;
  const double D = problem.loss.dimension();
  for (int k = 0; k < K; ++k) {
    const auto& r = results[k];
    for (size_t i = 0; i < r.window_first.size(); ++i) {
      w_run.push_back(k);
      w_lo.push_back(problem.binning.lower_edge(r.window_first[i]));
      w_hi.push_back(problem.binning.upper_edge(r.window_last[i]));
    }
    for (size_t i = 0; i < r.joins_wang_landau.size(); ++i) {
      j_run.push_back(k);
      j_wl.push_back(problem.binning.lower_edge(r.joins_wang_landau[i]));
      j_prod.push_back(production ? problem.binning.lower_edge(r.joins_production[i]) : 0.0);
      x_rate_tried.push_back(static_cast<double>(r.exchanges_tried[i]));
      x_rate_acc.push_back(static_cast<double>(r.exchanges_accepted[i]));
    }
    for (size_t i = 0; i < r.log_steps.size(); ++i) {
      c_run.push_back(k);
      c_window.push_back(r.log_window[i]);
      c_sweeps.push_back(r.log_steps[i] / D);
      c_lnf.push_back(r.log_ln_f[i]);
    }
  }
  w.write("run", w_run, {w_run.size()});
  w.write("lower_loss", w_lo);
  w.write("upper_loss", w_hi);
  w.write("join_run", j_run, {j_run.size()});
  w.write("join_loss_wang_landau", j_wl);
  w.write("join_loss_production", j_prod);
  w.write("exchanges_tried", x_rate_tried);
  w.write("exchanges_accepted", x_rate_acc);
  w.set_attribute("meaning", "window i of run `run` spans [lower_loss, upper_loss]; neighbours joined at "
                             "join_loss (lower edge of the bin where their slopes agree best)");
  conv_group.write("run", c_run, {c_run.size()});
  conv_group.write("window", c_window, {c_window.size()});
  conv_group.write("sweeps", c_sweeps);
  conv_group.write("ln_f", c_lnf);
  conv_group.set_attribute("meaning",
                           "ln f after each change, against the walker's Monte Carlo sweeps (D steps) in its phase; "
                           "window -1: the discovery walker at its end");
  file.commit();
}

}  // namespace

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-wanglandau",
                 "density of loss g(L) and entropy S(L) by replica-exchange Wang-Landau + multicanonical refinement",
                 "wanglandau.h5");
  add_problem_options(tool.options());
  namespace po = cli::po;
  tool.options().add_options()
      ("runs", po::value<int>()->default_value(1), "independent runs K (mean and standard deviation of S)")
      ("windows", po::value<int>()->default_value(2), "replica-exchange windows over L per run (walkers run on threads)")
      ("overlap", po::value<double>()->default_value(0.75), "fraction of a window shared with its neighbour, in (0, 1)")
      ("flatness", po::value<double>()->default_value(0.8), "flat when min H >= flatness * mean H over visited bins, in (0, 1)")
      ("lnf-initial", po::value<double>()->default_value(1.0), "initial modification factor ln f")
      ("lnf-final", po::value<double>()->default_value(1e-8), "Wang-Landau ends when ln f reaches this")
      ("schedule", po::value<std::string>()->default_value("halving"), "ln f schedule: halving|1/t (Belardinelli-Pereyra)")
      ("production-sweeps", po::value<double>()->default_value(1e6),
       "multicanonical production sweeps (D steps each) per window with fixed weights 1/g; 0: none")
      ("discovery-sweeps", po::value<double>()->default_value(1e7),
       "cap on the range-discovery phase (sweeps); it normally ends at its first flat histogram")
      ("max-sweeps", po::value<double>()->default_value(0.0),
       "cap on Wang-Landau sweeps per window (0: none); a capped run is marked not converged")
      ("round-steps", po::value<int>()->default_value(1 << 18), "steps per walker between replica exchanges")
      ("smooth", po::value<double>()->default_value(0.02), "half-width in L of the local fit behind beta(L) and its derivatives")
      ("resume", po::bool_switch(), "continue from the checkpoint (or do nothing if the output is complete)")
      ("checkpoint", po::value<std::string>()->default_value(""), "checkpoint file (default: OUTPUT.checkpoint)")
      ("checkpoint-every", po::value<double>()->default_value(300.0), "seconds between checkpoints (also written on SIGINT/SIGTERM)")
      ("bench", po::bool_switch(), "print Wang-Landau step rates (n_h = 2, 18) and 1 -> 2 thread scaling, then exit");
  return tool.run(argc, argv, [&] {
    if (tool.get<bool>("bench")) {
      benchmark();
      return 0;
    }
    const EntropyProblem problem = read_problem(tool);
    const double D = problem.loss.dimension();
    auto sweeps = [&](const char* option, double minimum) {
      const double v = cli::require_finite(std::string("--") + option, tool.get<double>(option));
      if (v < minimum || v * D > 9e18) throw cli::UsageError(std::string("--") + option, "out of range");
      return static_cast<std::int64_t>(std::ceil(v * D));
    };
    WangLandauSpec spec;
    spec.runs = static_cast<int>(cli::require_at_least("--runs", tool.get<int>("runs"), 1));
    spec.windows = static_cast<int>(cli::require_at_least("--windows", tool.get<int>("windows"), 1));
    spec.overlap = tool.get<double>("overlap");
    if (!(spec.overlap > 0.0 && spec.overlap < 1.0)) throw cli::UsageError("--overlap", "must lie in (0, 1)");
    spec.flatness = tool.get<double>("flatness");
    if (!(spec.flatness > 0.0 && spec.flatness < 1.0)) throw cli::UsageError("--flatness", "must lie in (0, 1)");
    spec.ln_f_initial = cli::require_positive("--lnf-initial", tool.get<double>("lnf-initial"));
    spec.ln_f_final = cli::require_positive("--lnf-final", tool.get<double>("lnf-final"));
    if (!(spec.ln_f_final < spec.ln_f_initial)) throw cli::UsageError("--lnf-final", "must be below --lnf-initial");
    try {
      spec.schedule = parse_schedule(tool.get<std::string>("schedule"));
    } catch (const std::invalid_argument& e) {
      throw cli::UsageError("--schedule", e.what());
    }
    spec.production_steps = sweeps("production-sweeps", 0.0);
    spec.discovery_steps = sweeps("discovery-sweeps", 1.0);
    spec.max_steps = sweeps("max-sweeps", 0.0);
    spec.round_steps = cli::require_at_least("--round-steps", tool.get<int>("round-steps"), 1000);
    spec.seed = tool.seed();
    const double smoothing = cli::require_positive("--smooth", tool.get<double>("smooth"));
    const double checkpoint_every = cli::require_positive("--checkpoint-every", tool.get<double>("checkpoint-every"));
    if (spec.windows * 4 > problem.binning.bins()) throw cli::UsageError("--windows", "needs at least 4 bins per window");
    const std::filesystem::path checkpoint =
        tool.get<std::string>("checkpoint").empty() ? tool.output() + ".checkpoint" : tool.get<std::string>("checkpoint");
    const bool resume = tool.get<bool>("resume");
    if (resume && !std::filesystem::exists(checkpoint) && std::filesystem::exists(tool.output())) {
      std::cerr << tool.name() << ": " << tool.output() << " is complete; nothing to resume\n";
      return 0;
    }

    Sampler sampler(XorNetworkModel(problem.loss, problem.box), problem.binning, spec, problem.identity,
                    problem.box.ln_volume());
    if (resume && std::filesystem::exists(checkpoint)) {
      try {
        sampler.load(checkpoint);
      } catch (const std::exception& e) {  // another configuration's checkpoint, or not a checkpoint at all
        throw cli::UsageError("--checkpoint", e.what());
      }
      std::cerr << tool.name() << ": resuming from " << checkpoint.string() << " (round " << sampler.rounds() << ")\n";
    }
    cli::Progress progress("wang-landau", 1.0, "of ln f range");
    const auto start = std::chrono::steady_clock::now();
    auto last_checkpoint = start;
    const bool done = sampler.run([&] { return tool.control().stop_requested(); },
                                  [&] {
                                    progress.update(sampler.progress());
                                    if (seconds_since(last_checkpoint) >= checkpoint_every) {
                                      sampler.save(checkpoint);
                                      last_checkpoint = std::chrono::steady_clock::now();
                                      if (!::isatty(STDERR_FILENO))  // a sparse line for logs
                                        std::fprintf(stderr, "%s: %.0f s, %.3g steps, ln f progress %.0f%%, checkpoint %s\n",
                                                     tool.name().c_str(), seconds_since(start),
                                                     double(sampler.total_steps()), 100.0 * sampler.progress(),
                                                     checkpoint.string().c_str());
                                    }
                                  });
    if (!done) {
      sampler.save(checkpoint);
      std::cerr << "\n" << tool.name() << ": stopped; checkpoint written to " << checkpoint.string()
                << " (continue with the same options and --resume)\n";
      return 130;
    }
    progress.finish();
    const double wall = seconds_since(start);
    h5::OutputFile file(tool.output(), tool.force() || resume);
    write_results(file, tool, problem, sampler, smoothing, wall);
    std::error_code ignored;
    std::filesystem::remove(checkpoint, ignored);
    std::cerr << tool.name() << ": " << sampler.total_steps() << " steps in " << wall << " s; wrote "
              << tool.output() << '\n';
    return 0;
  });
}
