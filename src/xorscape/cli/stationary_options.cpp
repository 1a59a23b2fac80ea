#include "xorscape/cli/stationary_options.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <stdexcept>
#include <string>

namespace xorscape::cli {

NetworkChoices stationary_network_choices() {
  NetworkChoices choices;
  choices.n_hidden = 2;
  choices.hidden = "tanh";
  choices.output = "same";
  choices.data = "xor-pm";
  choices.max_hidden = 6;
  choices.max_hidden_reason = "the symmetry group the census enumerates has n_h! 2^n_h elements";
  return choices;
}

void add_stationary_options(Tool& tool) {
  tool.options().add_options()
      ("starts", po::value<long long>()->default_value(20000), "most trials (random starts) to draw (the budget); exactly this many with --complete-after 0; with --resume, the total to reach")
      ("complete-after", po::value<long long>()->default_value(1000), "stop (at a multiple of 32 trials) once the Morse sum is 1, no class is degenerate and no new class has appeared for this many trials | 0: run exactly --starts trials")
      ("inner-radius", po::value<double>()->default_value(0.5), "odd-numbered trials start on the sphere of this radius (reaches the saddles near the origin) | 0: every trial on --radius")
      ("degenerate", po::value<double>()->default_value(1e-6), "a class whose smallest |Hessian eigenvalue| is below this is degenerate")
      ("homotopy", po::value<std::string>()->default_value("yes"), "yes: follow the fixed-point homotopy path of the paper through each start, both ways | no")
      ("path-steps", po::value<int>()->default_value(4000), "continuation steps per path direction")
      ("solves", po::value<int>()->default_value(24), "deflated Levenberg-Marquardt solves per trial (points the trial found are deflated; a fresh start after a failure)")
      ("reduction", po::value<std::string>()->default_value("sum"), "error over the 4 cases: sum | mean (1/4 sum) | half-sum (1/2 sum)")
      ("mu", po::value<double>()->default_value(0.05), "regularisation strength mu in mu*|beta|^2 (dimensionless)")
      ("regularise", po::value<std::string>()->default_value("all"), "parameters in |beta|^2: all | weights (biases free)")
      ("output-bias", po::value<std::string>()->default_value("no"), "no: 4 n_h parameters, the paper's network (constant input to the hidden layer only) | yes: 4 n_h + 1 (b2_1)")
      ("radius", po::value<double>()->default_value(0.0), "radius of the start sphere (0: sqrt(2 n), n parameters)")
      ("max-iterations", po::value<int>()->default_value(400), "Levenberg-Marquardt iterations per solve")
      ("tolerance", po::value<double>()->default_value(1e-10), "accept a point when ||grad E||_1 is below this")
      ("distinct", po::value<double>()->default_value(0.01), "points closer than this (Euclidean) are the same")
      ("connect", po::value<std::string>()->default_value("no"), "yes: after the census, descend from every index-1 saddle along +/- its unstable eigenvector to the minima it joins (the /connectivity group) | no")
      ("connect-displacement", po::value<double>()->default_value(1e-3), "with --connect yes: distance stepped off the saddle along +/- its unstable eigenvector before the descent")
      ("continue-mu", po::value<std::string>()->default_value(""), "MIN:MAX: after the census, follow every class in mu from the census's --mu down to MIN and up to MAX (the /continuation group, a bifurcation diagram) | empty: no continuation")
      ("continue-points", po::value<int>()->default_value(40), "with --continue-mu: log-spaced grid points of mu on which the branches are sampled and counted")
      ("bench", po::bool_switch(), "time the solver on --starts trials and print rates; writes no file");
}

namespace {

bool yes_no(const std::string& option, const std::string& text) {
  if (text != "yes" && text != "no") throw UsageError(option, "'" + text + "' is not yes or no");
  return text == "yes";
}

void read_problem(const Tool& tool, const NetworkOptions& network, stationary::CensusSpec& spec) {
  stationary::StationaryProblem& p = spec.problem;
  p.architecture = network.architecture();
  p.data = network.dataset().name;
  spec.reduction = tool.get<std::string>("reduction");
  if (spec.reduction == "sum") p.error_weight = 1.0;
  else if (spec.reduction == "mean") p.error_weight = 0.25;
  else if (spec.reduction == "half-sum") p.error_weight = 0.5;
  else throw UsageError("--reduction", "'" + spec.reduction + "' is not sum, mean or half-sum");
  p.mu = tool.get<double>("mu");
  if (!std::isfinite(p.mu) || p.mu < 0.0) throw UsageError("--mu", "must be a finite number >= 0");
  p.output_bias = yes_no("--output-bias", tool.get<std::string>("output-bias"));
  const std::string regularise = tool.get<std::string>("regularise");
  if (regularise == "all") p.regularised = stationary::RegularisedSet::all;
  else if (regularise == "weights") p.regularised = stationary::RegularisedSet::weights;
  else throw UsageError("--regularise", "'" + regularise + "' is not all or weights");
}

// The solver measures squared distances and penalties of points up to its divergence radius
// max(1e3, 100 R): D (100 R)^2 and mu D (100 R)^2 must stay finite.
void check_overflow(const stationary::CensusSpec& spec, int dimension) {
  const double reach = spec.trial.solver.divergence_radius;
  const double squared = reach * reach * dimension;
  if (!std::isfinite(squared)) {
    char limit[64];
    std::snprintf(limit, sizeof limit, "%.3g", std::sqrt(DBL_MAX / dimension) / 100.0);
    throw UsageError("--radius", std::string("at most ") + limit +
                                     ": the solver's squared distances, up to D (100 R)^2, would overflow");
  }
  if (!std::isfinite(spec.problem.mu * squared)) {
    char limit[64];
    std::snprintf(limit, sizeof limit, "%.3g", DBL_MAX / squared);
    throw UsageError("--mu", std::string("at most ") + limit + " with this radius: mu |beta|^2 would overflow");
  }
}

// The trials' record (every hit and its census entries, written once more to the file) and each
// thread's deflation list (every point its trial found, with all its symmetry images).
void check_memory(const Tool& tool, const stationary::CensusSpec& spec, int dimension, int symmetry_order) {
  // The paper's problem averages about 3 hits per trial with 24 solves; allow for up to 8.
  const double hits_per_trial = 2.0 + std::min(spec.trial.solves, 6);
  const double per_hit = 2.0 * (8.0 * dimension + 32.0);
  const double per_trial = 48.0 + hits_per_trial * per_hit;
  const double deflation = (spec.trial.solves + 2.0) * symmetry_order * (8.0 * dimension + 32.0);
  require_memory("--solves", tool.threads() * deflation, "deflating every point of a trial with its symmetry images");
  require_memory("--starts", static_cast<double>(spec.starts) * per_trial + tool.threads() * deflation, "this census");
}

void read_continuation(const Tool& tool, stationary::CensusSpec& spec) {
  const std::string range = tool.get<std::string>("continue-mu");
  const int points = tool.get<int>("continue-points");
  if (points < 2 || points > 10000) throw UsageError("--continue-points", "must be between 2 and 10000");
  if (range.empty()) return;
  const auto colon = range.find(':');
  double low = NAN, high = NAN;
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    size_t used = 0;
    low = std::stod(range.substr(0, colon), &used);
    if (used != colon) throw std::invalid_argument("trailing text");
    high = std::stod(range.substr(colon + 1), &used);
    if (used != range.size() - colon - 1) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw UsageError("--continue-mu", "'" + range + "' is not MIN:MAX (two numbers)");
  }
  if (!std::isfinite(low) || !std::isfinite(high) || !(low > 0.0) || !(high > low) || high > 1e3)
    throw UsageError("--continue-mu", "needs 0 < MIN < MAX <= 1000");
  if (!(spec.problem.mu >= low && spec.problem.mu <= high))
    throw UsageError("--continue-mu", "the range must contain the census's --mu");
  spec.continue_mu = true;
  spec.continuation.mu_min = low;
  spec.continuation.mu_max = high;
  spec.continuation.grid_points = points;
}

}  // namespace

stationary::CensusSpec read_census_spec(const Tool& tool, const NetworkOptions& network) {
  stationary::CensusSpec spec;
  read_problem(tool, network, spec);
  const int dimension = 4 * spec.problem.architecture.n_hidden + (spec.problem.output_bias ? 1 : 0);
  spec.starts = require_at_least("--starts", tool.get<long long>("starts"), 1);
  stationary::TrialOptions& t = spec.trial;
  t.homotopy = yes_no("--homotopy", tool.get<std::string>("homotopy"));
  t.path.max_steps = static_cast<int>(require_at_least("--path-steps", tool.get<int>("path-steps"), 1));
  t.solves = static_cast<int>(require_at_least("--solves", tool.get<int>("solves"), 0));
  if (!t.homotopy && t.solves == 0) throw UsageError("--solves", "must be at least 1 with --homotopy no");
  t.solver.max_iterations = static_cast<int>(require_at_least("--max-iterations", tool.get<int>("max-iterations"), 1));
  t.solver.tolerance = require_positive("--tolerance", tool.get<double>("tolerance"));
  t.path.tolerance = t.solver.tolerance;
  t.distinct_tolerance = require_positive("--distinct", tool.get<double>("distinct"));
  const double radius = tool.get<double>("radius");
  if (!std::isfinite(radius) || radius < 0.0) throw UsageError("--radius", "must be a finite number >= 0");
  t.radius = radius == 0.0 ? std::sqrt(2.0 * dimension) : radius;
  spec.inner_radius = tool.get<double>("inner-radius");
  if (!std::isfinite(spec.inner_radius) || spec.inner_radius < 0.0)
    throw UsageError("--inner-radius", "must be a finite number >= 0");
  if (spec.inner_radius > 100.0 * t.radius)
    throw UsageError("--inner-radius", "at most 100 times the start radius (the solver's divergence radius)");
  spec.complete_after = require_at_least("--complete-after", tool.get<long long>("complete-after"), 0);
  spec.degenerate_below = tool.get<double>("degenerate");
  if (!std::isfinite(spec.degenerate_below) || spec.degenerate_below < 0.0)
    throw UsageError("--degenerate", "must be a finite number >= 0");
  t.solver.divergence_radius = std::max(1e3, 100.0 * t.radius);
  t.path.radius_limit = std::max(200.0, 50.0 * t.radius);
  check_overflow(spec, dimension);
  spec.connect = yes_no("--connect", tool.get<std::string>("connect"));
  const double displacement = tool.get<double>("connect-displacement");
  if (!std::isfinite(displacement) || displacement <= 0.0 || displacement > 0.5)
    throw UsageError("--connect-displacement", "must be a number in (0, 0.5]");
  spec.connectivity.displacement = displacement;
  read_continuation(tool, spec);
  spec.seed = tool.seed();
  const stationary::HiddenUnitSymmetry symmetry(spec.problem.architecture.n_hidden, dimension,
                                                stationary::is_odd(spec.problem.architecture.hidden));
  check_memory(tool, spec, dimension, symmetry.order());
  return spec;
}

}  // namespace xorscape::cli
