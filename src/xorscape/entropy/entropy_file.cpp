#include "xorscape/entropy/entropy_file.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

#include "xorscape/entropy/simple_sampling.hpp"
#include "xorscape/entropy/wanglandau_job.hpp"
#include "xorscape/io/network_file.hpp"

namespace xorscape::entropy {

namespace {
const char* const kLossUnits = "loss L (dimensionless)";
}  // namespace

void write_problem(const h5::Group& root, const EntropyProblem& p) {
  io::write_network(root, p.loss);
  root.set_attribute("loss_definition", "L = (1/4) sum_m (yhat_m - y_m)^2 over the nonrandomized batch (equation 4)");
  root.set_attribute("box_lower", p.box.lower);
  root.set_attribute("box_upper", p.box.upper);
  root.set_attribute("ln_box_volume", p.box.ln_volume());
  root.set_attribute("loss_upper_bound", p.loss_upper_bound);
  root.set_attribute("binning", p.binning.describe());
  root.set_attribute("normalisation", "integral of g(L) dL over the reachable bins = box volume; S = ln g");
  const h5::Group bins = root.create_group("bins");
  bins.write_scale("edges", p.binning.edges(), {"edges of the loss bins (bins + 1 values)", kLossUnits});
  bins.write_scale("centre", p.binning.centres(), {"centre of each loss bin: the loss axis of every histogram", kLossUnits});
  bins.set_attribute("lo", p.binning.lo());
  bins.set_attribute("hi", p.binning.hi());
  bins.set_attribute("requested_bins", static_cast<std::int64_t>(p.binning.requested_bins()));
  bins.set_attribute("fine_until", p.binning.requested_fine_until());
  bins.set_attribute("fine_bins", static_cast<std::int64_t>(p.binning.fine_bins()));
  bins.set_attribute("given_edges", static_cast<std::int64_t>(p.binning.given_edges()));
}

EntropyProblem read_problem(const h5::Group& root) {
  const auto network = io::read_network(root);
  if (!network || !root.exists("bins") || !root.has_attribute("box_lower"))
    throw std::runtime_error("the file describes no density-of-loss problem");
  XorLoss loss(network->architecture, dataset_by_name(network->data), network->reduction, network->l2);
  Box box{std::get<std::vector<double>>(root.attribute("box_lower")),
          std::get<std::vector<double>>(root.attribute("box_upper"))};
  const h5::Group bins = root.open_group("bins");
  // Files written before non-uniform bins have no given_edges attribute: they are uniform.
  const bool given = bins.has_attribute("given_edges") && bins.attribute_int("given_edges") != 0;
  const LossBinning binning =
      given ? LossBinning(bins.read_doubles("edges"))
            : LossBinning(bins.attribute_double("lo"), bins.attribute_double("hi"),
                          static_cast<int>(bins.attribute_int("requested_bins")), bins.attribute_double("fine_until"),
                          static_cast<int>(bins.attribute_int("fine_bins")));
  return make_problem(std::move(loss), std::move(box), binning);
}

void write_simplesample(const h5::Group& root, const SimpleSamplingJob& job, const SampledEntropy& s) {
  const SimpleSamplingResult& r = job.result();
  write_problem(root, job.problem());
  root.set_attribute("method", "simple sampling: uniform points in the box");
  root.set_attribute("samples", r.samples);
  root.set_attribute("min_loss", r.min_loss);
  root.set_attribute("max_loss", r.max_loss);
  root.set_attribute("min_index", r.min_index);
  root.set_attribute("wall_seconds", job.seconds());
  root.set_attribute("evaluations_per_second", static_cast<double>(r.samples) / job.seconds());
  root.set_attribute("simd_level", kernels::to_string(job.simd_level()));
  root.open_group("bins").write("counts", std::span<const std::int64_t>(r.counts), {{"centre"}, "points per loss bin"});
  const h5::Group e = root.create_group("entropy");
  e.write_scale("loss", s.loss, {"centre of each bin with at least one point", kLossUnits});
  e.write("S", s.entropy, {{"loss"}, "S(L) = ln g(L), g normalised to the box volume (ln(count / (N width)) + ln V)"});
  e.write("S_error", s.error, {{"loss"}, "one standard error of S from the binomial count: sqrt((1 - p) / count)"});
  const std::vector<std::int64_t> bin(s.bin.begin(), s.bin.end());
  e.write("bin", std::span<const std::int64_t>(bin), {{"loss"}, "index of the bin in /bins"});
  if (!r.min_point.empty())
    root.write("min_point", r.min_point, {{"parameter_names"}, "parameters of the smallest loss seen (sample min_index)"});
}

namespace {

void write_run_attributes(const h5::Group& root, const WangLandauJob& job, const WangLandauSummary& s) {
  const NetworkSampler& sampler = job.sampler();
  const WangLandauSpec& spec = sampler.spec();
  const LossBinning& binning = sampler.binning();
  root.set_attribute("method", std::string("replica-exchange Wang-Landau (") + to_string(spec.schedule) + " schedule)" +
                                   (s.production ? " + multicanonical production run" : ""));
  root.set_attribute("runs", static_cast<std::int64_t>(spec.runs));
  root.set_attribute("windows", static_cast<std::int64_t>(sampler.windows_used(0)));
  root.set_attribute("ln_f_final", spec.ln_f_final);
  root.set_attribute("flatness", spec.flatness);
  root.set_attribute("converged", static_cast<std::int64_t>(s.converged));
  root.set_attribute("lowest_loss", s.lowest_loss);
  root.set_attribute("highest_loss", s.highest_loss);
  root.set_attribute("reachable_range", std::vector<double>{binning.lower_edge(s.combined.first_bin),
                                                            binning.upper_edge(s.combined.last_bin)});
  root.set_attribute("total_steps", sampler.total_steps());
  root.set_attribute("wall_seconds", job.seconds());
  root.set_attribute("steps_per_second", static_cast<double>(sampler.total_steps()) / std::max(job.seconds(), 1e-9));
  root.set_attribute("rounds", sampler.rounds());
  root.set_attribute("exchange_seconds", sampler.exchange_seconds());
}

void write_entropy(const h5::Group& root, const WangLandauSummary& s) {
  const h5::Group e = root.create_group("entropy");
  e.write_scale("loss", s.combined.loss, {"bin centres of the range every run reached", kLossUnits});
  const std::string estimate = s.production ? "multicanonical (production) estimate" : "Wang-Landau estimate";
  e.write("S", s.estimate().mean, {{"loss"}, "S(L) = ln g(L), mean over runs of the " + estimate +
                                                 "; g normalised so that its integral over the reached range is the box volume"});
  e.write("S_std", s.estimate().spread, {{"loss"}, "standard deviation of S over the independent runs (0 for one run)"});
  std::vector<double> standard_error = s.estimate().spread;
  for (double& v : standard_error) v /= std::sqrt(static_cast<double>(s.runs.size()));
  e.write("S_error", standard_error,
          {{"loss"}, "standard error of S: S_std / sqrt(runs) (0 for one run); each run is normalised on its own, "
                     "so the error of the normalisation is part of it"});
  e.write("S_wang_landau", s.wang_landau.mean, {{"loss"}, "mean over runs of the Wang-Landau estimate"});
  e.write("S_wang_landau_std", s.wang_landau.spread, {{"loss"}, "its standard deviation over runs"});
  if (s.production) {
    e.write("S_production", s.refined.mean, {{"loss"}, "mean over runs of ln g + ln H from the fixed-weight production run"});
    e.write("S_production_std", s.refined.spread, {{"loss"}, "its standard deviation over runs"});
  }
  std::vector<double> each;
  for (std::size_t k = 0; k < s.runs.size(); ++k) {
    const std::vector<double>& row = s.run_estimate(static_cast<int>(k));
    each.insert(each.end(), row.begin(), row.end());
  }
  e.write("S_runs", each, {{"/run", "loss"}, "S(L) of each run (rows), the estimate S is the mean of"});
  e.set_attribute("interpolated_bins", static_cast<std::int64_t>(s.combined.interpolated));
}

void write_analysis(const h5::Group& root, const WangLandauSummary& s) {
  const h5::Group a = root.create_group("analysis");
  a.write_scale("loss", s.combined.loss, {"bin centres of the range every run reached", kLossUnits});
  a.set_attribute("smoothing",
                  "local least-squares polynomial of degree 4 over the bins within +-half_width of each bin; "
                  "S_smoothed, beta, gamma, dgamma are its value and derivatives at the bin centre");
  a.set_attribute("half_width", s.smoothing);
  if (!s.analysed) return;
  a.write("S_smoothed", s.derivatives.entropy, {{"loss"}, "smoothed S(L)"});
  a.write("beta", s.derivatives.beta, {{"loss"}, "beta(L) = dS/dL (microcanonical inverse temperature)"});
  a.write("gamma", s.derivatives.gamma, {{"loss"}, "gamma(L) = d beta / dL = d2S/dL2"});
  a.write("dgamma", s.derivatives.dgamma, {{"loss"}, "d gamma / dL = d3S/dL3"});
  std::vector<double> where, value;
  std::vector<std::string> kind;
  for (const Feature& x : s.features) {
    where.push_back(x.loss);
    kind.push_back(x.kind);
    value.push_back(x.value);
  }
  const h5::Group f = a.create_group("features");
  f.write_index_scale("feature", where.size(), {"features in increasing loss"});
  f.write("loss", where, {{"feature"}, "where the feature lies", kLossUnits});
  f.write_strings("kind", kind, {{"feature"}, "S_maximum, S_minimum, beta_maximum, beta_minimum, gamma_maximum, gamma_minimum"});
  f.write("value", value, {{"feature"}, "S, beta or gamma there"});
  f.set_attribute("meaning",
                  "S_maximum/S_minimum: zeros of beta; beta_maximum/beta_minimum: zeros of gamma (inflection "
                  "points of S); gamma_maximum/gamma_minimum: zeros of dgamma (inflection points of beta); "
                  "value: S, beta or gamma there");
}

void write_runs(const h5::Group& root, const WangLandauSummary& s) {
  const h5::Group runs = root.create_group("runs");
  std::vector<double> min_loss, max_loss, min_state;
  std::vector<std::int64_t> converged, steps;
  for (const RunResult& r : s.runs) {
    min_loss.push_back(r.min_energy);
    max_loss.push_back(r.max_energy);
    converged.push_back(r.converged);
    steps.push_back(r.steps);
    min_state.insert(min_state.end(), r.min_state.begin(), r.min_state.end());
  }
  runs.write("min_loss", min_loss, {{"/run"}, "each run's smallest loss"});
  runs.write("max_loss", max_loss, {{"/run"}, "each run's largest loss"});
  runs.write("converged", std::span<const std::int64_t>(converged), {{"/run"}, "1: every window reached ln_f_final"});
  runs.write("steps", std::span<const std::int64_t>(steps), {{"/run"}, "Monte Carlo steps of the last phase of each window, summed"});
  runs.write("min_state", min_state, {{"/run", "/parameter_names"}, "parameters of each run's smallest loss"});
}

void write_windows(const h5::Group& root, const WangLandauSummary& s, const LossBinning& binning) {
  std::vector<std::int64_t> run, join_run;
  std::vector<double> lower, upper, join_wl, join_prod, tried, accepted;
  for (std::size_t k = 0; k < s.runs.size(); ++k) {
    const RunResult& r = s.runs[k];
    for (std::size_t i = 0; i < r.window_first.size(); ++i) {
      run.push_back(static_cast<std::int64_t>(k));
      lower.push_back(binning.lower_edge(r.window_first[i]));
      upper.push_back(binning.upper_edge(r.window_last[i]));
    }
    for (std::size_t i = 0; i < r.joins_wang_landau.size(); ++i) {
      join_run.push_back(static_cast<std::int64_t>(k));
      join_wl.push_back(binning.lower_edge(r.joins_wang_landau[i]));
      join_prod.push_back(s.production ? binning.lower_edge(r.joins_production[i]) : 0.0);
      tried.push_back(static_cast<double>(r.exchanges_tried[i]));
      accepted.push_back(static_cast<double>(r.exchanges_accepted[i]));
    }
  }
  const h5::Group w = root.create_group("windows");
  w.write_index_scale("window", run.size(), {"the windows of all runs, run by run"});
  w.write_index_scale("join", join_run.size(), {"the joins of neighbouring windows (pairs) of all runs, run by run"});
  w.write("run", std::span<const std::int64_t>(run), {{"window"}, "the run the window belongs to"});
  w.write("lower_loss", lower, {{"window"}, "lower end of the window", kLossUnits});
  w.write("upper_loss", upper, {{"window"}, "upper end of the window", kLossUnits});
  w.write("join_run", std::span<const std::int64_t>(join_run), {{"join"}, "the run of the pair"});
  w.write("join_loss_wang_landau", join_wl, {{"join"}, "where the Wang-Landau estimates were joined", kLossUnits});
  w.write("join_loss_production", join_prod, {{"join"}, "where the production estimates were joined (0: none)", kLossUnits});
  w.write("exchanges_tried", tried, {{"join"}, "replica exchanges tried between the pair"});
  w.write("exchanges_accepted", accepted, {{"join"}, "replica exchanges accepted between the pair"});
  w.set_attribute("meaning", "window i of run `run` spans [lower_loss, upper_loss]; neighbours joined at "
                             "join_loss (lower edge of the bin where their slopes agree best)");
}

void write_convergence(const h5::Group& root, const WangLandauSummary& s, int dimension) {
  std::vector<std::int64_t> run, window;
  std::vector<double> sweeps, ln_f;
  for (std::size_t k = 0; k < s.runs.size(); ++k) {
    const RunResult& r = s.runs[k];
    for (std::size_t i = 0; i < r.log_steps.size(); ++i) {
      run.push_back(static_cast<std::int64_t>(k));
      window.push_back(r.log_window[i]);
      sweeps.push_back(r.log_steps[i] / static_cast<double>(dimension));
      ln_f.push_back(r.log_ln_f[i]);
    }
  }
  const h5::Group c = root.create_group("convergence");
  c.write_index_scale("entry", run.size(), {"ln f changes of all walkers of all runs"});
  c.write("run", std::span<const std::int64_t>(run), {{"entry"}, "the run"});
  c.write("window", std::span<const std::int64_t>(window), {{"entry"}, "the window (-1: the discovery walker)"});
  c.write("sweeps", sweeps, {{"entry"}, "Monte Carlo sweeps (D steps) of the walker in its phase"});
  c.write("ln_f", ln_f, {{"entry"}, "ln f after the change"});
  c.set_attribute("meaning",
                  "ln f after each change, against the walker's Monte Carlo sweeps (D steps) in its phase; "
                  "window -1: the discovery walker at its end");
}

}  // namespace

void write_wanglandau(const h5::Group& root, const WangLandauJob& job, const WangLandauSummary& summary) {
  write_problem(root, job.problem());
  write_run_attributes(root, job, summary);
  root.write_index_scale("run", summary.runs.size(), {"independent runs"});
  write_entropy(root, summary);
  write_analysis(root, summary);
  write_runs(root, summary);
  write_windows(root, summary, job.sampler().binning());
  write_convergence(root, summary, job.problem().loss.dimension());
}

SimpleSamplingReference read_simplesample_reference(const std::string& path, const EntropyProblem& problem) {
  const h5::InputFile file(path);
  const h5::Group& root = file.root();
  if (!root.is_dataset("bins/counts") || !root.has_attribute("samples"))
    throw std::runtime_error(path + " is not an xorscape-simplesample file");
  const EntropyProblem theirs = read_problem(root);
  const Architecture &a = theirs.loss.architecture(), &b = problem.loss.architecture();
  if (a.n_hidden != b.n_hidden || a.hidden != b.hidden || a.output != b.output ||
      theirs.loss.dataset().name != problem.loss.dataset().name || theirs.loss.reduction() != problem.loss.reduction())
    throw std::runtime_error(path + " samples another network");
  if (theirs.box.lower != problem.box.lower || theirs.box.upper != problem.box.upper)
    throw std::runtime_error(path + " samples another box");
  SimpleSamplingReference r{path, theirs.binning, root.read_doubles("bins/counts"),
                            static_cast<double>(root.attribute_int("samples"))};
  if (static_cast<int>(r.counts.size()) != r.binning.bins()) throw std::runtime_error(path + ": counts do not match its bins");
  return r;
}

void write_comparison(const h5::Group& root, const Comparison& c, const std::string& reference) {
  const h5::Group g = root.create_group("comparison");
  g.write_scale("loss", c.loss, {"centre of each compared bin (common bins of both files where both are precise)", kLossUnits});
  g.write("lower_loss", c.lower, {{"loss"}, "lower edge of the compared bin", kLossUnits});
  g.write("upper_loss", c.upper, {{"loss"}, "upper edge of the compared bin", kLossUnits});
  g.write("S_wang_landau", c.wang_landau, {{"loss"}, "mean over runs of ln of the mean density over the bin"});
  g.write("S_wang_landau_bin_error", c.wang_landau_bin_error,
          {{"loss"}, "standard error of that mean from this bin alone: std over runs / sqrt(runs)"});
  g.write("S_wang_landau_error", c.wang_landau_error,
          {{"loss"}, "standard error of that mean, its variance pooled over the compared bins within +-pooling"});
  g.write("S_simple", c.simple, {{"loss"}, "simple sampling: ln(count / (N width)) + ln V"});
  g.write("S_simple_error", c.simple_error, {{"loss"}, "binomial standard error sqrt((1 - p) / count)"});
  g.write("residual", c.residual, {{"loss"}, "S_wang_landau - S_simple"});
  g.write("sigma", c.sigma, {{"loss"}, "both errors combined in quadrature"});
  g.set_attribute("reference", reference);
  g.set_attribute("precision_cut", c.precision_cut);
  g.set_attribute("pooling", static_cast<std::int64_t>(c.pooling));
  g.set_attribute("common_bins", static_cast<std::int64_t>(c.common_bins));
  g.set_attribute("compared_bins", static_cast<std::int64_t>(c.statistics.bins));
  g.set_attribute("chi2", c.statistics.chi2);
  g.set_attribute("chi2_per_dof", c.statistics.chi2_per_dof);
  g.set_attribute("within_2_sigma", c.statistics.within_two_sigma);
  g.set_attribute("mean_residual", c.statistics.mean_residual);
  g.set_attribute("meaning",
                  "compared bins: common bins of both binnings where every run knows the bin and the simple-sampling "
                  "standard error of S is at most precision_cut; chi2 = sum (residual/sigma)^2, dof = compared bins "
                  "(nothing fitted); within_2_sigma: fraction with |residual| < 2 sigma");
}

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  if (root.is_dataset("min_point")) {
    selector.allow({}, {"min"});
    return root.read_doubles("min_point");
  }
  selector.allow({"run"}, {"min"});
  if (const auto run = selector.number("run")) return io::read_row(root, "runs/min_state", *run, "run");
  const std::vector<double> losses = root.read_doubles("runs/min_loss");
  const auto lowest = std::min_element(losses.begin(), losses.end()) - losses.begin();
  return io::read_row(root, "runs/min_state", lowest, "run");
}

}  // namespace xorscape::entropy
