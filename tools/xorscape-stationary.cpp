// xorscape-stationary: census of the stationary points (minima, saddles, maxima) of the
// regularised XOR network, reproducing Coetzee & Stonick, "488 solutions to the XOR problem".
// Independent trials from random starts on the sphere of radius sqrt(2n); each trial runs
// deflated Levenberg–Marquardt solves of grad E = 0 from its start; points are grouped
// into equivalence classes under the hidden-unit symmetries and characterised by their
// Hessian. Checkpoints and --resume; extends a finished file to more --starts.
#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <numeric>
#include <sstream>

#include "xorscape/cli/cli.hpp"
#include "xorscape/stationary/stationary.hpp"

using namespace xorscape;
namespace po = cli::po;

namespace {

// Trials are computed in blocks of this many (independent of --threads, so the order of
// checkpoints and results never depends on it).
constexpr std::int64_t kBlock = 32;

struct Settings {
  StationaryProblem problem;
  std::string reduction;
  std::int64_t starts = 0;
  TrialOptions trial;
  double checkpoint_seconds = 60.0;
};

// Everything that must agree for a checkpoint or earlier file to be continued.
std::string fingerprint(const Settings& s, std::uint64_t seed) {
  std::ostringstream f;
  f.precision(17);
  const auto& a = s.problem.architecture;
  f << "n_hidden=" << a.n_hidden << " hidden=" << to_string(a.hidden) << " output=" << to_string(a.output)
    << " data=" << s.problem.data << " error_weight=" << s.problem.error_weight << " mu=" << s.problem.mu
    << " output_bias=" << s.problem.output_bias << " regularised=" << to_string(s.problem.regularised)
    << " homotopy=" << s.trial.homotopy << " path_steps=" << s.trial.path.max_steps << " solves=" << s.trial.solves
    << " max_iterations=" << s.trial.solver.max_iterations << " tolerance=" << s.trial.solver.tolerance
    << " distinct=" << s.trial.distinct_tolerance << " radius=" << s.trial.radius << " seed=" << seed;
  return f.str();
}

Settings read_settings(const cli::Tool& tool) {
  Settings s;
  auto& p = s.problem;
  p.architecture.n_hidden = static_cast<int>(cli::require_at_least("--n-hidden", tool.get<int>("n-hidden"), 1));
  if (p.architecture.n_hidden > 6) throw cli::UsageError("--n-hidden", "must be at most 6 (the symmetry group has n_h! 2^n_h elements)");
  p.architecture.hidden = cli::parse_activation("--activation", tool.get<std::string>("activation"));
  const std::string output = tool.get<std::string>("output-activation");
  p.architecture.output =
      output == "same" ? p.architecture.hidden : cli::parse_activation("--output-activation", output);
  p.data = cli::parse_dataset("--data", tool.get<std::string>("data")).name;
  s.reduction = tool.get<std::string>("reduction");
  if (s.reduction == "sum") p.error_weight = 1.0;
  else if (s.reduction == "mean") p.error_weight = 0.25;
  else if (s.reduction == "half-sum") p.error_weight = 0.5;
  else throw cli::UsageError("--reduction", "'" + s.reduction + "' is not sum, mean or half-sum");
  p.mu = tool.get<double>("mu");
  if (!std::isfinite(p.mu) || p.mu < 0.0) throw cli::UsageError("--mu", "must be a finite number >= 0");
  const std::string bias = tool.get<std::string>("output-bias");
  if (bias != "yes" && bias != "no") throw cli::UsageError("--output-bias", "'" + bias + "' is not yes or no");
  p.output_bias = bias == "yes";
  const std::string reg = tool.get<std::string>("regularise");
  if (reg == "all") p.regularised = RegularisedSet::all;
  else if (reg == "weights") p.regularised = RegularisedSet::weights;
  else throw cli::UsageError("--regularise", "'" + reg + "' is not all or weights");
  s.starts = cli::require_at_least("--starts", tool.get<long long>("starts"), 1);
  auto& t = s.trial;
  const std::string homotopy = tool.get<std::string>("homotopy");
  if (homotopy != "yes" && homotopy != "no") throw cli::UsageError("--homotopy", "'" + homotopy + "' is not yes or no");
  t.homotopy = homotopy == "yes";
  t.path.max_steps = static_cast<int>(cli::require_at_least("--path-steps", tool.get<int>("path-steps"), 1));
  t.solves = static_cast<int>(cli::require_at_least("--solves", tool.get<int>("solves"), 0));
  if (!t.homotopy && t.solves == 0) throw cli::UsageError("--solves", "must be at least 1 with --homotopy no");
  t.solver.max_iterations =
      static_cast<int>(cli::require_at_least("--max-iterations", tool.get<int>("max-iterations"), 1));
  t.solver.tolerance = cli::require_positive("--tolerance", tool.get<double>("tolerance"));
  t.path.tolerance = t.solver.tolerance;
  t.distinct_tolerance = cli::require_positive("--distinct", tool.get<double>("distinct"));
  const int dimension = 4 * p.architecture.n_hidden + (p.output_bias ? 1 : 0);
  const double radius = tool.get<double>("radius");
  if (!std::isfinite(radius) || radius < 0.0) throw cli::UsageError("--radius", "must be a finite number >= 0");
  t.radius = radius == 0.0 ? std::sqrt(2.0 * dimension) : radius;
  t.solver.divergence_radius = std::max(1e3, 100.0 * t.radius);
  t.path.radius_limit = std::max(200.0, 50.0 * t.radius);
  s.checkpoint_seconds = cli::require_positive("--checkpoint-every", tool.get<double>("checkpoint-every"));
  return s;
}

// The raw outcome of the trials done so far (what checkpoints hold).
struct Progress {
  std::int64_t starts_done = 0;
  std::vector<Hit> hits;
  std::vector<std::int32_t> hit_iterations;
  std::vector<std::int32_t> hit_method;
  std::vector<std::int32_t> path_steps;  // per trial
  std::vector<std::int32_t> solves;    // per trial
  std::vector<std::int32_t> failures;  // per trial
};

void write_raw(const h5::Group& root, const Progress& progress, int dimension, const std::string& fingerprint) {
  root.set_attribute("fingerprint", fingerprint);
  root.set_attribute("starts_done", progress.starts_done);
  const h5::Group trials = root.create_group("trials");
  trials.write("solves", std::span<const std::int32_t>(progress.solves), {progress.solves.size()});
  trials.write("failures", std::span<const std::int32_t>(progress.failures), {progress.failures.size()});
  trials.write("path_steps", std::span<const std::int32_t>(progress.path_steps), {progress.path_steps.size()});
  trials.set_attribute_on("solves", "meaning", std::string("deflated Levenberg-Marquardt solves run by the trial (--solves)"));
  trials.set_attribute_on("path_steps", "meaning", std::string("homotopy continuation steps, both directions together"));
  trials.set_attribute_on("failures", "meaning", std::string("solves that did not converge to a new point of the trial"));
  const h5::Group hits = root.create_group("hits");
  std::vector<std::int64_t> start;
  std::vector<std::int32_t> order;
  std::vector<double> coordinates;
  for (const Hit& h : progress.hits) {
    start.push_back(h.start);
    order.push_back(h.order);
    coordinates.insert(coordinates.end(), h.point.begin(), h.point.end());
  }
  const hsize_t n = progress.hits.size();
  h5::StorageOptions storage;
  if (n == 0) storage.deflate_level = 0;
  hits.write("start", std::span<const std::int64_t>(start), {n}, storage);
  hits.write("order", std::span<const std::int32_t>(order), {n}, storage);
  hits.write("iterations", std::span<const std::int32_t>(progress.hit_iterations), {n}, storage);
  hits.write("method", std::span<const std::int32_t>(progress.hit_method), {n}, storage);
  hits.set_attribute_on("method", "meaning", std::string("0: crossing of tau = 1 on the homotopy path, 1: deflated Levenberg-Marquardt"));
  hits.write("point", std::span<const double>(coordinates), {n, static_cast<hsize_t>(dimension)}, storage);
  hits.set_attribute_on("start", "meaning", std::string("trial (start) index that found the point, 0-based"));
  hits.set_attribute_on("order", "meaning", std::string("k: the (k+1)-th new point of the trial"));
  hits.set_attribute_on("iterations", "meaning", std::string("continuation steps (method 0) or Levenberg-Marquardt iterations (method 1) when found"));
  hits.set_attribute_on("point", "meaning", std::string("stationary point, converged to ||grad E||_1 < --tolerance"));
}

Progress read_raw(const h5::Group& root, int dimension) {
  Progress progress;
  progress.starts_done = root.attribute_int("starts_done");
  for (auto v : root.read_ints("trials/solves")) progress.solves.push_back(static_cast<std::int32_t>(v));
  for (auto v : root.read_ints("trials/failures")) progress.failures.push_back(static_cast<std::int32_t>(v));
  for (auto v : root.read_ints("trials/path_steps")) progress.path_steps.push_back(static_cast<std::int32_t>(v));
  const auto start = root.read_ints("hits/start");
  const auto order = root.read_ints("hits/order");
  const auto iterations = root.read_ints("hits/iterations");
  const auto method = root.read_ints("hits/method");
  const auto coordinates = root.read_doubles("hits/point");
  for (size_t h = 0; h < start.size(); ++h) {
    progress.hits.push_back({start[h], static_cast<std::int32_t>(order[h]),
                             std::vector<double>(coordinates.begin() + h * dimension,
                                                 coordinates.begin() + (h + 1) * dimension)});
    progress.hit_iterations.push_back(static_cast<std::int32_t>(iterations[h]));
    progress.hit_method.push_back(static_cast<std::int32_t>(method[h]));
  }
  return progress;
}

std::string kind_of(int index, int dimension) {
  if (index == 0) return "minimum";
  if (index == dimension) return "maximum";
  return "saddle";
}

void write_result(const cli::Tool& tool, const Settings& s, const RegularisedXorLoss& loss,
                  const HiddenUnitSymmetry& symmetry, const Progress& progress, const Census& census,
                  double seconds) {
  const int D = loss.dimension();
  h5::OutputFile file(tool.output(), true);
  file.write_provenance(tool.provenance());
  const h5::Group& root = file.root();
  write_raw(root, progress, D, fingerprint(s, tool.seed()));
  root.set_attribute("wall_seconds", seconds);

  const h5::Group problem = root.create_group("problem");
  problem.set_attribute("formula", std::string("E = error_weight * sum_m (yhat_m - t_m)^2 + mu * sum_{k regularised} beta_k^2"));
  problem.set_attribute("n_hidden", static_cast<std::int64_t>(s.problem.architecture.n_hidden));
  problem.set_attribute("hidden_activation", to_string(s.problem.architecture.hidden));
  problem.set_attribute("output_activation", to_string(s.problem.architecture.output));
  problem.set_attribute("data", s.problem.data);
  problem.set_attribute("reduction", s.reduction);
  problem.set_attribute("error_weight", s.problem.error_weight);
  problem.set_attribute("mu", s.problem.mu);
  problem.set_attribute("output_bias", static_cast<std::int64_t>(s.problem.output_bias));
  problem.set_attribute("regularised", to_string(s.problem.regularised));
  problem.set_attribute("dimension", static_cast<std::int64_t>(D));
  problem.set_attribute("symmetry_order", static_cast<std::int64_t>(symmetry.order()));
  problem.set_attribute("sign_flips", static_cast<std::int64_t>(symmetry.sign_flips()));
  problem.set_attribute("start_radius", s.trial.radius);
  problem.set_attribute("homotopy", static_cast<std::int64_t>(s.trial.homotopy));
  problem.set_attribute("solves_per_trial", static_cast<std::int64_t>(s.trial.solves));
  problem.set_attribute("tolerance_gradient_l1", s.trial.solver.tolerance);
  problem.set_attribute("distinct_distance", s.trial.distinct_tolerance);
  problem.write_strings("parameter", loss.names());

  const auto C = census.classes.size();
  const auto P = census.points.size();
  h5::StorageOptions small;
  small.deflate_level = 0;
  // Distinct points.
  {
    const h5::Group points = root.create_group("points");
    std::vector<double> coordinates, point_loss, classified;
    std::vector<std::int32_t> cls, index;
    for (size_t q = 0; q < P; ++q) {
      coordinates.insert(coordinates.end(), census.points[q].begin(), census.points[q].end());
      const auto& c = census.classes[census.point_class[q]];
      cls.push_back(census.point_class[q]);
      index.push_back(c.index);
      point_loss.push_back(loss.value(census.points[q]));
      classified.push_back(100.0 * loss.classified_fraction(census.points[q]));
    }
    points.write_strings("parameter", loss.names());
    points.write("coordinates", std::span<const double>(coordinates), {P, static_cast<hsize_t>(D)}, small);
    points.attach_scale("coordinates", "parameter", 1, "parameter");
    points.write("class", std::span<const std::int32_t>(cls), {P}, small);
    points.write("index", std::span<const std::int32_t>(index), {P}, small);
    points.write("loss", std::span<const double>(point_loss), {P}, small);
    points.write("classified_percent", std::span<const double>(classified), {P}, small);
    points.set_attribute("meaning", std::string("distinct stationary points found (pairwise Euclidean distance >= distinct_distance)"));
    points.set_attribute_on("class", "meaning", std::string("row of /classes, 0-based"));
    points.set_attribute_on("index", "meaning", std::string("number of negative Hessian eigenvalues"));
    points.set_attribute_on("classified_percent", "units", std::string("percent of the 4 cases"));
  }
  // Classes.
  {
    const h5::Group classes = root.create_group("classes");
    std::vector<double> representative, eigenvalues, class_loss, error, classified, smallest, g1, g1x, shift,
        probability, probability_error;
    std::vector<std::int32_t> index, orbit;
    std::vector<std::int64_t> hits, trials_reaching, first_trial, id;
    std::vector<std::string> kind;
    for (size_t c = 0; c < C; ++c) {
      const auto& k = census.classes[c];
      id.push_back(static_cast<std::int64_t>(c));
      representative.insert(representative.end(), k.representative.begin(), k.representative.end());
      eigenvalues.insert(eigenvalues.end(), k.eigenvalues.begin(), k.eigenvalues.end());
      class_loss.push_back(k.loss);
      error.push_back(k.error);
      classified.push_back(100.0 * k.classified);
      smallest.push_back(k.smallest_abs_eigenvalue);
      g1.push_back(k.gradient_l1);
      g1x.push_back(k.gradient_l1_extended);
      shift.push_back(k.extended_shift);
      index.push_back(k.index);
      orbit.push_back(k.orbit_size);
      hits.push_back(k.hits);
      trials_reaching.push_back(k.trials_reaching);
      first_trial.push_back(k.first_trial);
      kind.push_back(kind_of(k.index, D));
      const double pr = static_cast<double>(k.trials_reaching) / static_cast<double>(census.trials);
      probability.push_back(pr);
      probability_error.push_back(std::sqrt(pr * (1.0 - pr) / static_cast<double>(census.trials)));
    }
    // Figure 2 order: by classification percentage, minima before saddles, then by probability.
    std::vector<std::int64_t> figure_order(C);
    std::iota(figure_order.begin(), figure_order.end(), 0);
    std::stable_sort(figure_order.begin(), figure_order.end(), [&](std::int64_t a, std::int64_t b) {
      if (classified[a] != classified[b]) return classified[a] < classified[b];
      if ((index[a] == 0) != (index[b] == 0)) return index[a] == 0;
      return probability[a] > probability[b];
    });
    // The same order as one table for gnuplot (xorscape-export FILE classes/figure_table).
    std::vector<double> table;
    for (size_t r = 0; r < C; ++r) {
      const auto c = static_cast<size_t>(figure_order[r]);
      table.insert(table.end(), {static_cast<double>(r + 1), static_cast<double>(c), classified[c],
                                 static_cast<double>(index[c]), index[c] == 0 ? 1.0 : 0.0, probability[c],
                                 probability_error[c], class_loss[c]});
    }
    classes.write("figure_table", std::span<const double>(table), {C, 8}, small);
    classes.set_attribute_on("figure_table", "columns",
                             std::string("position class classified_percent index is_minimum probability probability_error loss"));
    classes.write_strings("parameter", loss.names());
    classes.write("class", std::span<const std::int64_t>(id), {C}, small);
    classes.write("representative", std::span<const double>(representative), {C, static_cast<hsize_t>(D)}, small);
    classes.attach_scale("representative", "class", 0, "class");
    classes.attach_scale("representative", "parameter", 1, "parameter");
    classes.write("eigenvalues", std::span<const double>(eigenvalues), {C, static_cast<hsize_t>(D)}, small);
    classes.attach_scale("eigenvalues", "class", 0, "class");
    classes.label_dimension("eigenvalues", 1, "eigenvalue (ascending)");
    classes.write("index", std::span<const std::int32_t>(index), {C}, small);
    classes.write_strings("kind", kind);
    classes.write("loss", std::span<const double>(class_loss), {C}, small);
    classes.write("error", std::span<const double>(error), {C}, small);
    classes.write("classified_percent", std::span<const double>(classified), {C}, small);
    classes.write("smallest_abs_eigenvalue", std::span<const double>(smallest), {C}, small);
    classes.write("gradient_l1", std::span<const double>(g1), {C}, small);
    classes.write("gradient_l1_extended", std::span<const double>(g1x), {C}, small);
    classes.write("extended_shift", std::span<const double>(shift), {C}, small);
    classes.write("orbit_size", std::span<const std::int32_t>(orbit), {C}, small);
    classes.write("hits", std::span<const std::int64_t>(hits), {C}, small);
    classes.write("trials_reaching", std::span<const std::int64_t>(trials_reaching), {C}, small);
    classes.write("probability", std::span<const double>(probability), {C}, small);
    classes.write("probability_error", std::span<const double>(probability_error), {C}, small);
    classes.write("first_trial", std::span<const std::int64_t>(first_trial), {C}, small);
    classes.write("figure_order", std::span<const std::int64_t>(figure_order), {C}, small);
    for (const char* name : {"index", "loss", "error", "classified_percent", "smallest_abs_eigenvalue", "gradient_l1",
                             "gradient_l1_extended", "extended_shift", "orbit_size", "hits", "trials_reaching",
                             "probability", "probability_error", "first_trial"})
      classes.attach_scale(name, "class", 0, "class");
    classes.set_attribute("meaning", std::string("equivalence classes under hidden-unit permutations (and sign flips for odd hidden activations)"));
    classes.set_attribute_on("representative", "meaning", std::string("canonical image of the first point found: units flipped to w2 > 0, sorted by w2 descending"));
    classes.set_attribute_on("index", "meaning", std::string("number of negative Hessian eigenvalues (0 minimum, D maximum)"));
    classes.set_attribute_on("loss", "meaning", std::string("E at the representative, regulariser included"));
    classes.set_attribute_on("error", "meaning", std::string("error part of E (error_weight * sum of squared errors)"));
    classes.set_attribute_on("classified_percent", "units", std::string("percent of the 4 cases on the target's side of the targets' midpoint"));
    classes.set_attribute_on("gradient_l1", "meaning", std::string("||grad E||_1 at the representative, double precision"));
    classes.set_attribute_on("gradient_l1_extended", "meaning", std::string("||grad E||_1 after Newton polishing in long double, evaluated in long double"));
    classes.set_attribute_on("extended_shift", "meaning", std::string("Euclidean distance moved by the long-double polishing"));
    classes.set_attribute_on("orbit_size", "meaning", std::string("distinct symmetry images (solutions in the class)"));
    classes.set_attribute_on("hits", "meaning", std::string("times a trial converged to a point of the class"));
    classes.set_attribute_on("trials_reaching", "meaning", std::string("trials that found the class at least once"));
    classes.set_attribute_on("probability", "meaning", std::string("trials_reaching / trials: probability of reaching the class per start (Figure 2)"));
    classes.set_attribute_on("probability_error", "meaning", std::string("binomial standard error of probability"));
    classes.set_attribute_on("figure_order", "meaning", std::string("class ids sorted by classification percent, minima first, then by probability (Figure 2 x axis)"));
  }
  // Hits: their class and distinct point (raw coordinates are in /hits/point).
  {
    const h5::Group hits = root.open_group("hits");
    const hsize_t n = census.hit_class.size();
    std::vector<std::int32_t> cls(census.hit_class.begin(), census.hit_class.end());
    std::vector<std::int32_t> point(census.hit_point.begin(), census.hit_point.end());
    h5::StorageOptions storage;
    if (n == 0) storage.deflate_level = 0;
    hits.write("class", std::span<const std::int32_t>(cls), {n}, storage);
    hits.write("distinct_point", std::span<const std::int32_t>(point), {n}, storage);
  }
  // Discovery curve.
  {
    const h5::Group discovery = root.create_group("discovery");
    std::vector<std::int64_t> trials(census.trials);
    std::iota(trials.begin(), trials.end(), 1);
    discovery.write("trials", std::span<const std::int64_t>(trials), {trials.size()});
    discovery.write("classes_found", std::span<const std::int64_t>(census.discovery), {census.discovery.size()});
    discovery.attach_scale("classes_found", "trials", 0, "trials (starts) done");
    discovery.set_attribute_on("classes_found", "meaning", std::string("distinct classes found within the first s trials"));
  }
  // Summary and the paper's Table 2 (classes classifying at least x% of the cases).
  {
    const h5::Group summary = root.create_group("summary");
    std::int64_t minima = 0, saddles = 0, maxima = 0, solutions = 0, minimum_solutions = 0;
    std::vector<std::int64_t> table(3 * 5, 0), exactly(3 * 5, 0);
    for (const auto& c : census.classes) {
      const int row = c.index == 0 ? 0 : (c.index == D ? 2 : 1);
      (row == 0 ? minima : row == 1 ? saddles : maxima) += 1;
      solutions += c.orbit_size;
      if (row == 0) minimum_solutions += c.orbit_size;
      const int correct = static_cast<int>(std::lround(4.0 * c.classified));
      exactly[row * 5 + correct] += 1;
      for (int q = 0; q <= correct; ++q) table[row * 5 + q] += 1;
    }
    summary.set_attribute("trials", census.trials);
    summary.set_attribute("classes", static_cast<std::int64_t>(C));
    summary.set_attribute("minima", minima);
    summary.set_attribute("saddles", saddles);
    summary.set_attribute("maxima", maxima);
    summary.set_attribute("solutions", solutions);
    summary.set_attribute("minimum_solutions", minimum_solutions);
    summary.set_attribute("distinct_points_found", static_cast<std::int64_t>(P));
    summary.set_attribute("wall_seconds", seconds);
    std::vector<std::int64_t> percent{0, 25, 50, 75, 100};
    summary.write("classified_percent", std::span<const std::int64_t>(percent), {5}, small);
    summary.write_strings("kind", {"minimum", "saddle", "maximum"});
    summary.write("classes_classifying_at_least", std::span<const std::int64_t>(table), {3, 5}, small);
    summary.write("classes_classifying_exactly", std::span<const std::int64_t>(exactly), {3, 5}, small);
    for (const char* name : {"classes_classifying_at_least", "classes_classifying_exactly"}) {
      summary.attach_scale(name, "kind", 0, "kind");
      summary.attach_scale(name, "classified_percent", 1, "classified percent");
    }
    summary.set_attribute_on("classes_classifying_at_least", "meaning", std::string("Table 2 of the paper: classes of each kind classifying at least x% of the cases"));
  }
  file.commit();
}

void print_summary(const Settings& s, const RegularisedXorLoss& loss, const Census& census, double seconds,
                   std::int64_t solves, std::int64_t path_steps) {
  const int D = loss.dimension();
  int minima = 0, saddles = 0, maxima = 0, solutions = 0, minimum_solutions = 0;
  int at_least[3][5] = {};
  for (const auto& c : census.classes) {
    const int row = c.index == 0 ? 0 : (c.index == D ? 2 : 1);
    ++(row == 0 ? minima : row == 1 ? saddles : maxima);
    solutions += c.orbit_size;
    if (row == 0) minimum_solutions += c.orbit_size;
    for (int q = 0; q <= std::lround(4.0 * c.classified); ++q) ++at_least[row][q];
  }
  std::int64_t saturated_at = 0;
  for (std::int64_t t = 0; t < census.trials; ++t)
    if (census.discovery[t] == static_cast<std::int64_t>(census.classes.size())) {
      saturated_at = t + 1;
      break;
    }
  std::printf("problem: 2-%d-1 %s/%s on %s, %s error, mu = %g on %s parameters, %d parameters%s\n",
              s.problem.architecture.n_hidden, to_string(s.problem.architecture.hidden).c_str(),
              to_string(s.problem.architecture.output).c_str(), s.problem.data.c_str(), s.reduction.c_str(),
              s.problem.mu, to_string(s.problem.regularised).c_str(), D,
              s.problem.output_bias ? " (output bias)" : " (no output bias)");
  std::printf("trials: %lld starts on the sphere of radius %.4g; homotopy paths %s, %d deflated solves each; %.1f s\n",
              static_cast<long long>(census.trials), s.trial.radius, s.trial.homotopy ? "yes" : "no", s.trial.solves,
              seconds);
  std::printf("classes: %zu (%d minima, %d saddles, %d maxima); solutions (orbit sizes summed): %d, of them minima %d\n",
              census.classes.size(), minima, saddles, maxima, solutions, minimum_solutions);
  std::printf("last new class found at trial %lld of %lld\n", static_cast<long long>(saturated_at),
              static_cast<long long>(census.trials));
  std::printf("classes classifying at least   0%%  25%%  50%%  75%% 100%%\n");
  const char* rows[3] = {"minimum", "saddle ", "maximum"};
  for (int r = 0; r < 3; ++r)
    std::printf("  %s                    %4d %4d %4d %4d %4d\n", rows[r], at_least[r][0], at_least[r][1], at_least[r][2],
                at_least[r][3], at_least[r][4]);
  std::printf("  class kind    index   loss        error       class%%  |lambda|min  |grad|_1(ld)  orbit  P(reach)\n");
  for (size_t c = 0; c < census.classes.size(); ++c) {
    const auto& k = census.classes[c];
    std::printf("  %5zu %-8s %5d  %-10.6f  %-10.6f  %5.0f   %-10.3g   %-10.2g    %3d    %.4f\n", c,
                kind_of(k.index, D).c_str(), k.index, k.loss, k.error, 100.0 * k.classified, k.smallest_abs_eigenvalue,
                k.gradient_l1_extended, k.orbit_size,
                static_cast<double>(k.trials_reaching) / static_cast<double>(census.trials));
  }
  if (seconds > 0)
    std::printf("rates (this run's new trials): %.1f trials/s, %.1f deflated solves/s, %.0f path steps/s\n",
                census.trials / seconds, solves / seconds, path_steps / seconds);
}

}  // namespace

int main(int argc, char** argv) {
  cli::Tool tool("xorscape-stationary",
                 "census of the stationary points (minima, saddles, maxima) of the regularised XOR network",
                 "stationary.h5");
  tool.options().add_options()
      ("starts", po::value<long long>()->default_value(2000), "number of trials (random starts); with --resume, the total to reach")
      ("homotopy", po::value<std::string>()->default_value("yes"), "yes: follow the fixed-point homotopy path of the paper through each start, both ways | no")
      ("path-steps", po::value<int>()->default_value(4000), "continuation steps per path direction")
      ("solves", po::value<int>()->default_value(24), "deflated Levenberg-Marquardt solves per trial (points the trial found are deflated; a fresh start after a failure)")
      ("n-hidden", po::value<int>()->default_value(2), "hidden neurons n_h (1..6)")
      ("activation", po::value<std::string>()->default_value("tanh"), "hidden activation: sigmoid | tanh | relu")
      ("output-activation", po::value<std::string>()->default_value("same"), "output activation: same (as --activation) | sigmoid | tanh | identity")
      ("data", po::value<std::string>()->default_value("xor-pm"), "xor | xor-centered | xor-pm (±1 inputs, ∓0.8 targets)")
      ("reduction", po::value<std::string>()->default_value("sum"), "error over the 4 cases: sum | mean (1/4 sum) | half-sum (1/2 sum)")
      ("mu", po::value<double>()->default_value(0.05), "regularisation strength mu in mu*|beta|^2 (dimensionless)")
      ("regularise", po::value<std::string>()->default_value("all"), "parameters in |beta|^2: all | weights (biases free)")
      ("output-bias", po::value<std::string>()->default_value("no"), "no: 4 n_h parameters, the paper's network (constant input to the hidden layer only) | yes: 4 n_h + 1 (b2_1)")
      ("radius", po::value<double>()->default_value(0.0), "radius of the start sphere (0: sqrt(2 n), n parameters)")
      ("max-iterations", po::value<int>()->default_value(400), "Levenberg-Marquardt iterations per solve")
      ("tolerance", po::value<double>()->default_value(1e-10), "accept a point when ||grad E||_1 is below this")
      ("distinct", po::value<double>()->default_value(0.01), "points closer than this (Euclidean) are the same")
      ("checkpoint-every", po::value<double>()->default_value(60.0), "seconds between checkpoints (OUTPUT.checkpoint.h5)")
      ("resume", po::bool_switch(), "continue from OUTPUT.checkpoint.h5, or extend a finished OUTPUT to more --starts")
      ("bench", po::bool_switch(), "time the solver on --starts trials and print rates; writes no file");
  return tool.run(argc, argv, [&] {
    const Settings s = read_settings(tool);
    const RegularisedXorLoss loss(s.problem);
    const HiddenUnitSymmetry symmetry(s.problem.architecture.n_hidden, loss.dimension(),
                                      is_odd(s.problem.architecture.hidden));
    const int D = loss.dimension();
    const bool bench = tool.get<bool>("bench");
    const std::string print = fingerprint(s, tool.seed());
    const std::filesystem::path checkpoint_path = tool.output() + ".checkpoint.h5";

    Progress progress;
    if (tool.get<bool>("resume") && !bench) {
      const std::filesystem::path source = std::filesystem::exists(checkpoint_path) ? checkpoint_path
                                           : std::filesystem::exists(tool.output()) ? std::filesystem::path(tool.output())
                                                                                     : std::filesystem::path();
      if (!source.empty()) {
        std::unique_ptr<h5::InputFile> in;
        try {
          in = std::make_unique<h5::InputFile>(source);
        } catch (const std::exception& e) {
          throw cli::UsageError("--resume", "cannot read '" + source.string() + "': " + e.what());
        }
        if (!in->root().has_attribute("fingerprint") || in->root().attribute_string("fingerprint") != print)
          throw cli::UsageError("--resume", "'" + source.string() + "' was made with other settings (" +
                                                (in->root().has_attribute("fingerprint") ? in->root().attribute_string("fingerprint") : "none") + ")");
        progress = read_raw(in->root(), D);
        if (progress.starts_done > s.starts)
          throw cli::UsageError("--starts", "'" + source.string() + "' already holds " +
                                                std::to_string(progress.starts_done) + " trials");
        std::fprintf(stderr, "xorscape-stationary: resuming from %s at trial %lld\n", source.c_str(),
                     static_cast<long long>(progress.starts_done));
      }
    }

    const auto begin = std::chrono::steady_clock::now();
    auto last_checkpoint = begin;
    std::int64_t path_steps = 0, solves = 0;
    cli::Progress bar("trials", static_cast<double>(s.starts), "trials");
    bool stopped = false;
    while (progress.starts_done < s.starts) {
      const std::int64_t first = progress.starts_done;
      const std::int64_t count = std::min(kBlock, s.starts - first);
      std::vector<TrialResult> block(count);
#pragma omp parallel for schedule(dynamic, 1)
      for (std::int64_t t = 0; t < count; ++t) {
        RandomStream rng(tool.seed(), {0x5747u, static_cast<std::uint64_t>(first + t)});
        block[t] = run_trial(loss, symmetry, rng, s.trial);
      }
      for (std::int64_t t = 0; t < count; ++t) {
        auto& trial = block[t];
        for (size_t k = 0; k < trial.points.size(); ++k) {
          progress.hits.push_back({first + t, static_cast<std::int32_t>(k), std::move(trial.points[k])});
          progress.hit_iterations.push_back(trial.iterations[k]);
          progress.hit_method.push_back(trial.method[k]);
        }
        path_steps += trial.path_steps;
        progress.solves.push_back(trial.solves);
        progress.path_steps.push_back(trial.path_steps);
        progress.failures.push_back(trial.failures);
        solves += trial.solves;
      }
      progress.starts_done += count;
      bar.update(static_cast<double>(progress.starts_done));
      const auto now = std::chrono::steady_clock::now();
      stopped = tool.control().stop_requested();
      if (!bench && progress.starts_done < s.starts &&
          (stopped || std::chrono::duration<double>(now - last_checkpoint).count() > s.checkpoint_seconds)) {
        h5::OutputFile checkpoint(checkpoint_path, true);
        write_raw(checkpoint.root(), progress, D, print);
        checkpoint.commit();
        last_checkpoint = now;
      }
      if (stopped) break;
    }
    bar.finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    if (stopped && progress.starts_done < s.starts) {
      std::fprintf(stderr, "xorscape-stationary: stopped after %lld of %lld trials; checkpoint %s (rerun with --resume)\n",
                   static_cast<long long>(progress.starts_done), static_cast<long long>(s.starts),
                   checkpoint_path.c_str());
      return 130;
    }
    const Census census = build_census(loss, symmetry, progress.hits, progress.starts_done, s.trial.distinct_tolerance);
    print_summary(s, loss, census, seconds, solves, path_steps);
    if (bench) return 0;
    write_result(tool, s, loss, symmetry, progress, census, seconds);
    std::filesystem::remove(checkpoint_path);
    return 0;
  });
}
