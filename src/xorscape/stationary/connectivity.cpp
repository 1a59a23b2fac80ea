#include "xorscape/stationary/connectivity.hpp"

#include <Eigen/Dense>

#include <cmath>
#include <limits>

#include "xorscape/landscape/integrators.hpp"

namespace xorscape::stationary {

std::vector<double> unstable_direction(const RegularisedXorLoss& loss, std::span<const double> saddle) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(loss.hessian(saddle));
  Eigen::VectorXd v = solver.eigenvectors().col(0).normalized();
  Eigen::Index largest = 0;
  v.cwiseAbs().maxCoeff(&largest);
  if (v(largest) < 0) v = -v;
  return {v.data(), v.data() + v.size()};
}

namespace {

trajectory::TrajectorySpec flow_spec(const ConnectivityOptions& options) {
  trajectory::TrajectorySpec spec;
  spec.integrator = trajectory::Integrator::gradient_flow;
  spec.eta = 1.0;  // epochs are flow time
  spec.epochs = options.flow_time;
  spec.loss_threshold = -std::numeric_limits<double>::infinity();  // no target loss: stop on the gradient
  spec.gradient_tolerance = options.flow_gradient;
  spec.max_evaluations = options.max_evaluations;
  spec.thinning.per_decade = 0.0;  // no path is kept: only the end matters
  spec.thinning.arc_step = std::numeric_limits<double>::infinity();
  spec.thinning.loss_step = std::numeric_limits<double>::infinity();
  return spec;
}

double l1(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += std::abs(x);
  return s;
}

}  // namespace

Descent descend(const RegularisedXorLoss& loss, const std::vector<double>& start, const ConnectivityOptions& options) {
  // A descent is a unit of work: a checkpoint deadline must not cut the flow short.
  const trajectory::TrajectoryResult flow = trajectory::run(loss, start, flow_spec(options), RunControl());
  Descent d;
  d.flow_time = flow.final_epoch;
  d.evaluations = flow.evaluations;
  d.end = flow.end;
  const SolveResult polished = newton_refine(gradient_system(loss), flow.end, options.tolerance);
  // Newton converges to the nearest stationary point of any index: from the flow's end (already
  // at |grad E| < flow_gradient, beside a minimum) it must not climb.
  const double tolerance = 1e-9 * std::max(1.0, std::abs(flow.final_loss));
  if (polished.status == SolveStatus::converged && loss.value(polished.point) <= flow.final_loss + tolerance)
    d.end = polished.point;
  std::vector<double> gradient(d.end.size());
  d.energy = loss.value_and_gradient(d.end, gradient);
  d.gradient_l1 = l1(gradient);
  d.converged = d.gradient_l1 < options.tolerance;
  d.index = hessian_spectrum(loss.hessian(d.end)).index;
  return d;
}

namespace {

// The node of a converged end: a census class's node when it is one (census minima are nodes
// already; another class becomes a node the first time), else an earlier extra node within the
// distinct distance, else a new node.
int node_of(const HiddenUnitSymmetry& symmetry, const Census& census, double distinct, Descent& d,
            ConnectivityGraph& graph) {
  for (size_t c = 0; c < census.classes.size(); ++c)
    if (symmetry.orbit_distance(d.end, census.classes[c].representative) < distinct) {
      d.end_class = static_cast<int>(c);
      break;
    }
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    const ConnectivityNode& node = graph.nodes[n];
    if (d.end_class >= 0 ? node.census_class == d.end_class
                         : node.census_class < 0 && symmetry.orbit_distance(d.end, node.point) < distinct)
      return static_cast<int>(n);
  }
  graph.nodes.push_back({d.end_class, d.index, d.energy, symmetry.canonical(d.end)});
  return static_cast<int>(graph.nodes.size()) - 1;
}

}  // namespace

ConnectivityGraph connect_census(const RegularisedXorLoss& loss, const HiddenUnitSymmetry& symmetry,
                                 const Census& census, const ConnectivityOptions& options,
                                 const RunControl& control) {
  ConnectivityGraph graph;
  for (size_t c = 0; c < census.classes.size(); ++c)
    if (census.classes[c].index == 0)
      graph.nodes.push_back({static_cast<int>(c), 0, census.classes[c].loss, census.classes[c].representative});
  graph.census_minima = static_cast<std::int64_t>(graph.nodes.size());
  for (size_t c = 0; c < census.classes.size(); ++c) {
    const StationaryClass& saddle = census.classes[c];
    if (saddle.index != 1) continue;
    if (control.interrupted()) break;
    SaddleConnection link;
    link.saddle_class = static_cast<int>(c);
    link.energy = saddle.loss;
    const std::vector<double> v = unstable_direction(loss, saddle.representative);
    for (int side = 0; side < 2; ++side) {
      std::vector<double> start = saddle.representative;
      const double sign = side == 0 ? 1.0 : -1.0;
      for (size_t k = 0; k < start.size(); ++k) start[k] += sign * options.displacement * v[k];
      Descent& d = link.sides[side];
      d = descend(loss, start, options);
      if (d.converged) d.node = node_of(symmetry, census, options.distinct_tolerance, d, graph);
      link.barrier[side] = d.converged ? link.energy - d.energy : std::numeric_limits<double>::quiet_NaN();
      if (!d.converged) ++graph.unconverged;
      else if (d.node >= graph.census_minima) ++graph.ends_outside_census;
    }
    graph.saddles.push_back(std::move(link));
  }
  return graph;
}

}  // namespace xorscape::stationary
