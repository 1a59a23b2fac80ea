#include "xorscape/stationary/stationary_file.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace xorscape::stationary {

namespace {

template <class T>
std::span<const T> view(const std::vector<T>& v) {
  return std::span<const T>(v);
}

// The absolute path of the parameter_names scale inside `group` (scales are found from any
// dataset below it by netCDF readers).
std::string parameter_scale_of(const h5::Group& group) {
  const ssize_t length = H5Iget_name(group.id(), nullptr, 0);
  std::string path(static_cast<size_t>(std::max<ssize_t>(length, 0)), '\0');
  if (length > 0) H5Iget_name(group.id(), path.data(), static_cast<size_t>(length) + 1);
  return (path == "/" ? "" : path) + "/parameter_names";
}

std::vector<std::int32_t> to_int32(const std::vector<std::int64_t>& values) {
  return {values.begin(), values.end()};
}

}  // namespace

io::NetworkDescription describe(const RegularisedXorLoss& loss) {
  const StationaryProblem& p = loss.problem();
  return io::NetworkDescription{p.architecture, p.data, p.error_weight == 0.25 ? Reduction::mean : Reduction::sum,
                                p.mu, loss.names()};
}

// ---- the raw record: trials and hits ----

void write_trial_record(const h5::Group& group, const TrialRecord& r) {
  group.set_attribute("starts_done", r.starts_done);
  const h5::Group trials = group.create_group("trials");
  trials.write_index_scale("trial", r.solves.size(), {"trial (start) index, 0-based"});
  trials.write("solves", view(r.solves), {{"trial"}, "deflated Levenberg-Marquardt solves run by the trial (--solves)"});
  trials.write("failures", view(r.failures), {{"trial"}, "solves that did not converge to a new point of the trial"});
  trials.write("path_steps", view(r.path_steps), {{"trial"}, "homotopy continuation steps, both directions together"});

  const h5::Group hits = group.create_group("hits");
  std::vector<std::int64_t> start;
  std::vector<std::int32_t> order;
  std::vector<double> coordinates;
  for (const Hit& h : r.hits) {
    start.push_back(h.start);
    order.push_back(h.order);
    coordinates.insert(coordinates.end(), h.point.begin(), h.point.end());
  }
  hits.write_index_scale("hit", r.hits.size(), {"points found, in trial order, 0-based"});
  hits.write("start", view(start), {{"hit"}, "trial (start) index that found the point, 0-based"});
  hits.write("order", view(order), {{"hit"}, "k: the (k+1)-th new point of the trial"});
  hits.write("iterations", view(r.hit_iterations),
             {{"hit"}, "continuation steps (method 0) or Levenberg-Marquardt iterations (method 1) when found"});
  hits.write("method", view(r.hit_method),
             {{"hit"}, "0: crossing of tau = 1 on the homotopy path, 1: deflated Levenberg-Marquardt"});
  hits.write("point", view(coordinates),
             {{"hit", parameter_scale_of(group)}, "stationary point, converged to ||grad E||_1 < --tolerance"});
}

TrialRecord read_trial_record(const h5::Group& group, int dimension) {
  TrialRecord r;
  r.starts_done = group.attribute_int("starts_done");
  r.solves = to_int32(group.read_ints("trials/solves"));
  r.failures = to_int32(group.read_ints("trials/failures"));
  r.path_steps = to_int32(group.read_ints("trials/path_steps"));
  const auto start = group.read_ints("hits/start");
  const auto order = group.read_ints("hits/order");
  r.hit_iterations = to_int32(group.read_ints("hits/iterations"));
  r.hit_method = to_int32(group.read_ints("hits/method"));
  const auto coordinates = group.read_doubles("hits/point");
  const size_t n = start.size(), D = static_cast<size_t>(dimension);
  if (r.solves.size() != static_cast<size_t>(r.starts_done) || r.failures.size() != r.solves.size() ||
      r.path_steps.size() != r.solves.size() || order.size() != n || r.hit_iterations.size() != n ||
      r.hit_method.size() != n || coordinates.size() != n * D)
    throw std::runtime_error("the trials and hits it holds do not fit " + std::to_string(r.starts_done) +
                             " trials of " + std::to_string(dimension) + " parameters");
  for (size_t h = 0; h < n; ++h)
    r.hits.push_back({start[h], static_cast<std::int32_t>(order[h]),
                      std::vector<double>(coordinates.begin() + h * D, coordinates.begin() + (h + 1) * D)});
  return r;
}

// ---- the census ----

namespace {

void write_problem(const h5::Group& problem, const CensusJob& job) {
  const CensusSpec& s = job.spec();
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
  problem.set_attribute("dimension", static_cast<std::int64_t>(job.loss().dimension()));
  problem.set_attribute("symmetry_order", static_cast<std::int64_t>(job.symmetry().order()));
  problem.set_attribute("sign_flips", static_cast<std::int64_t>(job.symmetry().sign_flips()));
  problem.set_attribute("start_radius", s.trial.radius);
  problem.set_attribute("homotopy", static_cast<std::int64_t>(s.trial.homotopy));
  problem.set_attribute("solves_per_trial", static_cast<std::int64_t>(s.trial.solves));
  problem.set_attribute("tolerance_gradient_l1", s.trial.solver.tolerance);
  problem.set_attribute("distinct_distance", s.trial.distinct_tolerance);
  problem.set_attribute("inner_radius", s.inner_radius);
  problem.set_attribute("complete_after", s.complete_after);
  problem.set_attribute("degenerate_below", s.degenerate_below);
}

void write_points(const h5::Group& points, const Census& census) {
  std::vector<double> coordinates, classified;
  std::vector<std::int32_t> cls, index;
  for (size_t q = 0; q < census.points.size(); ++q) {
    coordinates.insert(coordinates.end(), census.points[q].begin(), census.points[q].end());
    cls.push_back(census.point_class[q]);
    index.push_back(census.classes[census.point_class[q]].index);
    classified.push_back(100.0 * census.point_classified[q]);
  }
  points.set_attribute("meaning", std::string("distinct stationary points found (pairwise Euclidean distance >= distinct_distance)"));
  points.write_index_scale("point", census.points.size(), {"distinct point, 0-based"});
  points.write("coordinates", view(coordinates), {{"point", "/parameter_names"}, "the distinct point"});
  points.write("class", view(cls), {{"point"}, "row of /classes, 0-based"});
  points.write("index", view(index), {{"point"}, "number of negative Hessian eigenvalues"});
  points.write("loss", view(census.point_loss), {{"point"}, "E at the point, regulariser included"});
  points.write("classified_percent", view(classified), {{"point"}, "cases classified correctly", "percent of the 4 cases"});
}

// Per class, in discovery order: the columns of /classes.
struct ClassColumns {
  std::vector<double> representative, eigenvalues, loss, error, classified, classified_half, smallest, g1, g1x, shift,
      probability, probability_error;
  std::vector<std::int32_t> index, orbit, degenerate;
  std::vector<std::int64_t> hits, trials_reaching, first_trial;
  std::vector<std::string> kind;
  ClassColumns(const Census& census, int dimension) {
    for (const StationaryClass& k : census.classes) {
      representative.insert(representative.end(), k.representative.begin(), k.representative.end());
      eigenvalues.insert(eigenvalues.end(), k.eigenvalues.begin(), k.eigenvalues.end());
      loss.push_back(k.loss);
      error.push_back(k.error);
      classified.push_back(100.0 * k.classified);
      classified_half.push_back(100.0 * k.classified_ties_half);
      degenerate.push_back(k.degenerate ? 1 : 0);
      smallest.push_back(k.smallest_abs_eigenvalue);
      g1.push_back(k.gradient_l1);
      g1x.push_back(k.gradient_l1_extended);
      shift.push_back(k.extended_shift);
      probability.push_back(k.probability);
      probability_error.push_back(k.probability_error);
      index.push_back(k.index);
      orbit.push_back(k.orbit_size);
      hits.push_back(k.hits);
      trials_reaching.push_back(k.trials_reaching);
      first_trial.push_back(k.first_trial);
      kind.push_back(kind_of(k.index, dimension));
    }
  }
};

// Figure 2's order as one table for gnuplot (xorscape-export FILE classes/figure_table).
void write_figure_table(const h5::Group& classes, const Census& census, const ClassColumns& k) {
  std::vector<std::int64_t> position;
  std::vector<double> table;
  for (size_t r = 0; r < census.figure_order.size(); ++r) {
    const auto c = static_cast<size_t>(census.figure_order[r]);
    position.push_back(static_cast<std::int64_t>(r + 1));
    table.insert(table.end(), {static_cast<double>(r + 1), static_cast<double>(c), k.classified[c],
                               static_cast<double>(k.index[c]), k.index[c] == 0 ? 1.0 : 0.0, k.probability[c],
                               k.probability_error[c], k.loss[c]});
  }
  classes.write_scale("position", view(position), {"position on the x axis of Figure 2, 1-based"});
  const std::vector<std::string> names{"position", "class", "classified_percent", "index", "is_minimum",
                                       "probability", "probability_error", "loss"};
  classes.write_scale("figure_column", names, {"columns of figure_table"});
  classes.write("figure_order", view(census.figure_order),
                {{"position"}, "class ids sorted by classification percent, minima first, then by probability (Figure 2 x axis)"});
  classes.write("figure_table", view(table), {{"position", "figure_column"}, "Figure 2 as one table (rows: positions)"});
  std::string columns;
  for (const std::string& name : names) columns += (columns.empty() ? "" : " ") + name;
  classes.set_attribute_on("figure_table", "columns", columns);
}

void write_classes(const h5::Group& classes, const Census& census, int dimension) {
  const ClassColumns k(census, dimension);
  classes.set_attribute("meaning", std::string("equivalence classes under hidden-unit permutations (and sign flips for odd hidden activations)"));
  classes.write_index_scale("class", census.classes.size(), {"class, 0-based, in order of discovery"});
  classes.write_index_scale("eigenvalue_rank", static_cast<size_t>(dimension), {"rank of a Hessian eigenvalue, ascending, 0-based"});
  const std::vector<std::string> both{"class", "/parameter_names"};
  classes.write("representative", view(k.representative), {both, "canonical image of the first point found: units flipped to w2 > 0, sorted by w2 descending"});
  classes.write("eigenvalues", view(k.eigenvalues), {{"class", "eigenvalue_rank"}, "Hessian eigenvalues at the representative, ascending"});
  classes.write("index", view(k.index), {{"class"}, "number of negative Hessian eigenvalues (0 minimum, D maximum)"});
  classes.write_strings("kind", k.kind, {{"class"}, "minimum, saddle or maximum"});
  classes.write("loss", view(k.loss), {{"class"}, "E at the representative, regulariser included"});
  classes.write("error", view(k.error), {{"class"}, "error part of E (error_weight * sum of squared errors)"});
  classes.write("classified_percent", view(k.classified), {{"class"}, "cases on the target's side of the targets' midpoint", "percent of the 4 cases"});
  classes.write("smallest_abs_eigenvalue", view(k.smallest), {{"class"}, "smallest |Hessian eigenvalue| (near 0: degenerate)"});
  classes.write("classified_percent_ties_half", view(k.classified_half),
                {{"class"}, "classified_percent with undecided cases (output at the midpoint) counted half", "percent of the 4 cases"});
  classes.write("degenerate", view(k.degenerate),
                {{"class"}, "1: smallest |Hessian eigenvalue| below the degeneracy threshold (index unreliable, no Morse identity)"});
  classes.write("gradient_l1", view(k.g1), {{"class"}, "||grad E||_1 at the representative, double precision"});
  classes.write("gradient_l1_extended", view(k.g1x), {{"class"}, "||grad E||_1 after Newton polishing in long double, evaluated in long double"});
  classes.write("extended_shift", view(k.shift), {{"class"}, "Euclidean distance moved by the long-double polishing"});
  classes.write("orbit_size", view(k.orbit), {{"class"}, "distinct symmetry images (solutions in the class)"});
  classes.write("hits", view(k.hits), {{"class"}, "times a trial converged to a point of the class"});
  classes.write("trials_reaching", view(k.trials_reaching), {{"class"}, "trials that found the class at least once"});
  classes.write("probability", view(k.probability), {{"class"}, "trials_reaching / trials: probability of reaching the class per start (Figure 2)"});
  classes.write("probability_error", view(k.probability_error), {{"class"}, "binomial standard error of probability"});
  classes.write("first_trial", view(k.first_trial), {{"class"}, "the first trial that found the class, 0-based"});
  write_figure_table(classes, census, k);
}

void write_hit_classes(const h5::Group& hits, const Census& census) {
  const std::vector<std::int32_t> cls(census.hit_class.begin(), census.hit_class.end());
  const std::vector<std::int32_t> point(census.hit_point.begin(), census.hit_point.end());
  hits.write("class", view(cls), {{"hit"}, "class of the point (row of /classes)"});
  hits.write("distinct_point", view(point), {{"hit"}, "the distinct point (row of /points)"});
}

void write_discovery(const h5::Group& discovery, const Census& census) {
  std::vector<std::int64_t> trials(census.discovery.size());
  std::iota(trials.begin(), trials.end(), 1);
  discovery.write_scale("trials", view(trials), {"trials (starts) done"});
  discovery.write("classes_found", view(census.discovery), {{"trials"}, "distinct classes found within the first s trials"});
}

void write_summary(const h5::Group& summary, const CensusSummary& s, double seconds) {
  summary.set_attribute("trials", s.trials);
  summary.set_attribute("classes", s.classes);
  summary.set_attribute("minima", s.minima);
  summary.set_attribute("saddles", s.saddles);
  summary.set_attribute("maxima", s.maxima);
  summary.set_attribute("solutions", s.solutions);
  summary.set_attribute("minimum_solutions", s.minimum_solutions);
  summary.set_attribute("distinct_points_found", s.distinct_points);
  summary.set_attribute("last_new_class_trial", s.last_new_class);
  summary.set_attribute("wall_seconds", seconds);
  summary.set_attribute("morse_sum", s.morse_sum);
  summary.set_attribute("degenerate_classes", s.degenerate_classes);
  summary.set_attribute("completeness", s.completeness);
  const std::vector<std::int64_t> percent{0, 25, 50, 75, 100};
  summary.write_scale("classified_percent", view(percent), {"classified at least (or exactly) this percent of the 4 cases", "percent"});
  summary.write_scale("kind", std::vector<std::string>{"minimum", "saddle", "maximum"}, {"kind of stationary point"});
  std::vector<std::int64_t> at_least, exactly;
  for (int row = 0; row < CensusSummary::kKinds; ++row)
    for (int level = 0; level < CensusSummary::kLevels; ++level) {
      at_least.push_back(s.at_least[row][level]);
      exactly.push_back(s.exactly[row][level]);
    }
  summary.write("classes_classifying_at_least", view(at_least),
                {{"kind", "classified_percent"}, "Table 2 of the paper: classes of each kind classifying at least x% of the cases"});
  summary.write("classes_classifying_exactly", view(exactly),
                {{"kind", "classified_percent"}, "classes of each kind classifying exactly x% of the cases"});
  std::vector<std::int64_t> at_least_half, exactly_half;
  for (int row = 0; row < CensusSummary::kKinds; ++row)
    for (int level = 0; level < CensusSummary::kLevels; ++level) {
      at_least_half.push_back(s.at_least_ties_half[row][level]);
      exactly_half.push_back(s.exactly_ties_half[row][level]);
    }
  summary.write("classes_classifying_at_least_ties_half", view(at_least_half),
                {{"kind", "classified_percent"}, "Table 2 with undecided cases (output at the targets' midpoint) counted half: the origin at 50 %"});
  summary.write("classes_classifying_exactly_ties_half", view(exactly_half),
                {{"kind", "classified_percent"}, "classes classifying exactly x% with undecided cases counted half (a class between two levels counts in none)"});
}


// ---- the connectivity graph ----

// Per saddle and side (+v, -v), row-major (saddle, side): the columns of /connectivity.
struct SideColumns {
  std::vector<std::int32_t> node, end_class, index, converged;
  std::vector<double> barrier, energy, gradient, time, end;
  std::vector<std::int64_t> evaluations;
  explicit SideColumns(const ConnectivityGraph& g) {
    for (const SaddleConnection& s : g.saddles)
      for (int side = 0; side < 2; ++side) {
        const Descent& d = s.sides[side];
        node.push_back(d.node);
        end_class.push_back(d.end_class);
        index.push_back(d.index);
        converged.push_back(d.converged ? 1 : 0);
        barrier.push_back(s.barrier[side]);
        energy.push_back(d.energy);
        gradient.push_back(d.gradient_l1);
        time.push_back(d.flow_time);
        evaluations.push_back(d.evaluations);
        end.insert(end.end(), d.end.begin(), d.end.end());
      }
  }
};

void write_connectivity_nodes(const h5::Group& group, const ConnectivityGraph& g) {
  std::vector<std::int32_t> census_class, index;
  std::vector<double> energy, point;
  for (const ConnectivityNode& n : g.nodes) {
    census_class.push_back(n.census_class);
    index.push_back(n.index);
    energy.push_back(n.energy);
    point.insert(point.end(), n.point.begin(), n.point.end());
  }
  group.write_index_scale("node", g.nodes.size(), {"node of the graph, 0-based: the census minima (class order), then other descent ends"});
  group.write("node_class", view(census_class), {{"node"}, "census class of the node (row of /classes), -1: not in the census"});
  group.write("node_index", view(index), {{"node"}, "Hessian index at the node (0: a minimum)"});
  group.write("node_energy", view(energy), {{"node"}, "E at the node, regulariser included"});
  group.write("node_point", view(point), {{"node", "/parameter_names"}, "the node's point (canonical form)"});
}

void write_connectivity(const h5::Group& group, const ConnectivityGraph& g, const ConnectivityOptions& options) {
  group.set_attribute("meaning", std::string("steepest-descent connections of every index-1 saddle class: the two ends of the paths leaving it along +/- its unstable eigenvector"));
  group.set_attribute("displacement", options.displacement);
  group.set_attribute("flow_gradient", options.flow_gradient);
  group.set_attribute("census_minima", g.census_minima);
  group.set_attribute("ends_outside_census", g.ends_outside_census);
  group.set_attribute("unconverged", g.unconverged);
  write_connectivity_nodes(group, g);
  std::vector<std::int32_t> saddle_class;
  std::vector<double> saddle_energy;
  for (const SaddleConnection& s : g.saddles) {
    saddle_class.push_back(s.saddle_class);
    saddle_energy.push_back(s.energy);
  }
  const SideColumns k(g);
  group.write_index_scale("saddle", g.saddles.size(), {"index-1 saddle class, 0-based, in class order"});
  group.write_scale("side", std::vector<std::string>{"plus", "minus"}, {"direction of the descent: +v or -v, v the unstable eigenvector (largest component positive)"});
  const std::vector<std::string> both{"saddle", "side"};
  group.write("saddle_class", view(saddle_class), {{"saddle"}, "census class of the saddle (row of /classes)"});
  group.write("saddle_energy", view(saddle_energy), {{"saddle"}, "E at the saddle"});
  group.write("end_node", view(k.node), {both, "node the descent ended at (-1: it did not converge)"});
  group.write("end_class", view(k.end_class), {both, "census class of the end (-1: not in the census)"});
  group.write("end_index", view(k.index), {both, "Hessian index at the end"});
  group.write("converged", view(k.converged), {both, "1: the end has ||grad E||_1 below the census tolerance"});
  group.write("barrier", view(k.barrier), {both, "E(saddle) - E(end): the barrier seen from the end's side (NaN: no end)"});
  group.write("end_energy", view(k.energy), {both, "E at the end"});
  group.write("end_gradient_l1", view(k.gradient), {both, "||grad E||_1 at the end"});
  group.write("flow_time", view(k.time), {both, "gradient-flow time of the descent before the Newton polish"});
  group.write("evaluations", view(k.evaluations), {both, "gradient evaluations of the flow"});
  group.write("end_point", view(k.end), {{"saddle", "side", "/parameter_names"}, "the end of the descent"});
}

// ---- the continuation in mu ----

void write_continuation(const h5::Group& group, const ContinuationResult& r, const ContinuationOptions& options,
                        double mu0, int dimension) {
  group.set_attribute("meaning", std::string("every census class followed in mu by predictor-corrector continuation (tangent dbeta/dmu = -H^-1 dgradE/dmu, Newton corrector); a branch ends at a fold"));
  group.set_attribute("census_mu", mu0);
  group.set_attribute("mu_min", options.mu_min);
  group.set_attribute("mu_max", options.mu_max);
  group.set_attribute("folds", r.folds);
  const size_t C = r.branches.size(), G = r.mu.size(), D = static_cast<size_t>(dimension);
  group.write_scale("mu", view(r.mu), {"regularisation strength mu (log-spaced grid)"});
  group.write_index_scale("class", C, {"census class (row of /classes)"});
  group.write_scale("side", std::vector<std::string>{"below", "above"}, {"direction from the census's mu: towards mu_min or mu_max"});
  std::vector<std::int64_t> index_values(D + 1);
  std::iota(index_values.begin(), index_values.end(), 0);
  group.write_scale("index", view(index_values), {"Hessian index (number of negative eigenvalues)"});
  std::vector<std::int32_t> alive, index, fold, changes;
  std::vector<double> energy, point, end, smallest;
  for (const Branch& b : r.branches) {
    for (size_t g = 0; g < G; ++g) {
      alive.push_back(b.alive[g]);
      index.push_back(b.index[g]);
      energy.push_back(b.energy[g]);
      if (b.alive[g]) point.insert(point.end(), b.points[g].begin(), b.points[g].end());
      else point.insert(point.end(), D, std::nan(""));
    }
    end.insert(end.end(), {b.end_below, b.end_above});
    fold.insert(fold.end(), {b.fold_below ? 1 : 0, b.fold_above ? 1 : 0});
    smallest.insert(smallest.end(), {b.smallest_abs_below, b.smallest_abs_above});
    changes.push_back(b.index_changes);
  }
  group.write("alive", view(alive), {{"class", "mu"}, "1: the class's branch exists at this mu"});
  group.write("branch_index", view(index), {{"class", "mu"}, "Hessian index on the branch (-1: no branch)"});
  group.write("branch_energy", view(energy), {{"class", "mu"}, "E on the branch (NaN: no branch)"});
  group.write("branch_point", view(point), {{"class", "mu", "/parameter_names"}, "the branch's point (NaN: no branch)"});
  group.write("end_mu", view(end), {{"class", "side"}, "mu where the branch ends (mu_min or mu_max when it reaches the range end)"});
  group.write("fold", view(fold), {{"class", "side"}, "1: the branch ended inside the range (a fold: the continuation step fell below its minimum)"});
  group.write("end_smallest_abs_eigenvalue", view(smallest), {{"class", "side"}, "smallest |Hessian eigenvalue| at the branch's last point (near 0 at a fold)"});
  group.write("index_changes", view(changes), {{"class"}, "accepted steps across which the Hessian index changed (branch points)"});
  std::vector<std::int64_t> counts, total;
  for (const auto& row : r.counts) {
    counts.insert(counts.end(), row.begin(), row.end());
    total.push_back(std::accumulate(row.begin(), row.end(), std::int64_t{0}));
  }
  group.write("counts", view(counts), {{"mu", "index"}, "distinct classes (branches that met counted once) by Hessian index: the bifurcation diagram"});
  group.write("total", view(total), {{"mu"}, "distinct classes, all indices"});
  // The same as one table for gnuplot (xorscape-export FILE continuation/table --format columns).
  std::vector<std::string> names{"mu", "total"};
  for (size_t k = 0; k <= D; ++k) names.push_back("index_" + std::to_string(k));
  std::vector<double> table;
  for (size_t g = 0; g < G; ++g) {
    table.push_back(r.mu[g]);
    table.push_back(static_cast<double>(total[g]));
    for (std::int64_t n : r.counts[g]) table.push_back(static_cast<double>(n));
  }
  group.write_scale("table_column", names, {"columns of table"});
  group.write("table", view(table), {{"mu", "table_column"}, "mu, total and the counts by index as one table (rows: grid points)"});
}
}  // namespace

void write_census(const h5::Group& root, const CensusJob& job) {
  const Census& census = job.census();
  io::write_network(root, describe(job.loss()));
  root.set_attribute("fingerprint", job.identity());
  root.set_attribute("wall_seconds", job.session().seconds);
  write_trial_record(root, job.record());
  write_problem(root.create_group("problem"), job);
  write_points(root.create_group("points"), census);
  write_classes(root.create_group("classes"), census, job.loss().dimension());
  write_hit_classes(root.open_group("hits"), census);
  write_discovery(root.create_group("discovery"), census);
  write_summary(root.create_group("summary"), job.summary(), job.session().seconds);
  if (job.graph()) write_connectivity(root.create_group("connectivity"), *job.graph(), job.spec().connectivity);
  if (job.continuation())
    write_continuation(root.create_group("continuation"), *job.continuation(), job.spec().continuation,
                       job.spec().problem.mu, job.loss().dimension());
}

Params read_point(const h5::Group& root, const io::PointSelector& selector) {
  selector.allow({"class", "point"}, {});
  Params p;
  if (const auto c = selector.number("class")) p = io::read_row(root, "classes/representative", *c, "class");
  else if (const auto q = selector.number("point")) p = io::read_row(root, "points/coordinates", *q, "point");
  else throw std::invalid_argument("name a class or a point, e.g. FILE:class=0");
  if (p.size() % 4 == 0) p.push_back(0.0);  // no output bias: the network's b2_1 is 0
  return p;
}

}  // namespace xorscape::stationary
