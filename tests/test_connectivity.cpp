// The connectivity graph of a census: descents from every index-1 saddle along +/- its unstable
// eigenvector end at minima (tiny gradient, index 0), barriers are E(saddle) - E(minimum) >= 0.
#include <catch2/catch.hpp>

#include <cmath>

#include "xorscape/stationary/census_job.hpp"
#include "xorscape/stationary/connectivity.hpp"

using namespace xorscape;
using namespace xorscape::stationary;

namespace {

CensusSpec connect_spec(int n_hidden, std::int64_t starts, std::int64_t complete_after) {
  CensusSpec spec;
  spec.problem.architecture.n_hidden = n_hidden;
  spec.starts = starts;
  spec.seed = 5;
  spec.trial.solves = 3;
  spec.trial.radius = std::sqrt(4.0 * n_hidden * 2.0);
  spec.trial.solver.divergence_radius = 1e3;
  spec.trial.path.radius_limit = 200.0;
  spec.complete_after = complete_after;
  spec.connect = true;
  return spec;
}

void run_to_end(CensusJob& job) {
  const RunControl control;
  while (!job.finished()) job.advance(control);
}

int index1_classes(const Census& census) {
  int n = 0;
  for (const auto& c : census.classes) n += c.index == 1;
  return n;
}

}  // namespace

TEST_CASE("the unstable direction of a saddle is the unit eigenvector of its negative eigenvalue") {
  CensusJob job(connect_spec(1, 320, 64));
  run_to_end(job);
  for (const auto& c : job.census().classes) {
    if (c.index != 1) continue;
    const std::vector<double> v = unstable_direction(job.loss(), c.representative);
    const Eigen::Map<const Eigen::VectorXd> u(v.data(), static_cast<Eigen::Index>(v.size()));
    CHECK(u.norm() == Approx(1.0).epsilon(1e-12));
    const Eigen::VectorXd hu = job.loss().hessian(c.representative) * u;
    CHECK((hu - c.eigenvalues[0] * u).norm() < 1e-8 * std::abs(c.eigenvalues[0]) + 1e-12);
    CHECK(c.eigenvalues[0] < 0.0);
  }
}

TEST_CASE("every index-1 saddle of a complete n_h = 1 census joins census minima, with barriers >= 0") {
  CensusJob job(connect_spec(1, 3200, 64));
  run_to_end(job);
  REQUIRE(job.summary().completeness == "complete");
  REQUIRE(job.graph().has_value());
  const ConnectivityGraph& g = *job.graph();
  REQUIRE(index1_classes(job.census()) > 0);
  CHECK(static_cast<int>(g.saddles.size()) == index1_classes(job.census()));
  CHECK(g.unconverged == 0);
  CHECK(g.ends_outside_census == 0);
  for (const SaddleConnection& s : g.saddles) {
    for (int side = 0; side < 2; ++side) {
      const Descent& d = s.sides[side];
      INFO("saddle class " << s.saddle_class << " side " << side);
      CHECK(d.converged);
      CHECK(d.gradient_l1 < 1e-10);
      CHECK(d.index == 0);
      REQUIRE(d.node >= 0);
      CHECK(d.node < g.census_minima);
      CHECK(g.nodes[d.node].census_class == d.end_class);
      CHECK(job.census().classes[d.end_class].index == 0);
      CHECK(s.barrier[side] == Approx(s.energy - g.nodes[d.node].energy).margin(1e-12));
      CHECK(s.barrier[side] > 0.0);
    }
  }
}

TEST_CASE("the paper's n_h = 2 census: every index-1 saddle descends to minima with tiny gradient") {
  CensusJob job(connect_spec(2, 96, 0));
  run_to_end(job);
  REQUIRE(job.graph().has_value());
  const ConnectivityGraph& g = *job.graph();
  CHECK(static_cast<int>(g.saddles.size()) == index1_classes(job.census()));
  REQUIRE(!g.saddles.empty());
  for (const SaddleConnection& s : g.saddles)
    for (int side = 0; side < 2; ++side) {
      const Descent& d = s.sides[side];
      INFO("saddle class " << s.saddle_class << " side " << side << " end class " << d.end_class);
      CHECK(d.converged);
      CHECK(d.gradient_l1 < 1e-10);
      CHECK(d.index == 0);
      CHECK(s.barrier[side] > 0.0);
      // A descent never ends above where it started.
      CHECK(d.energy < s.energy);
    }
  // Every node is a minimum; nodes beyond the census minima are minima the short census missed.
  for (const ConnectivityNode& n : g.nodes) CHECK(n.index == 0);
}

// ---- continuation in mu ----

TEST_CASE("a branch followed in mu stays on grad E = 0 and its slope matches the tangent -H^-1 dF/dmu") {
  CensusJob job(connect_spec(1, 3200, 64));
  run_to_end(job);
  const Census& census = job.census();
  REQUIRE(census.classes.size() > 1);
  const std::vector<double> grid{0.0499, 0.05, 0.0501};
  ContinuationOptions options;
  for (const StationaryClass& c : census.classes) {
    const Branch b = follow_branch(job.loss(), c.representative, grid, options);
    INFO("class with loss " << c.loss);
    for (size_t g = 0; g < grid.size(); ++g) {
      if (!b.alive[g]) continue;
      StationaryProblem p = job.loss().problem();
      p.mu = grid[g];
      const RegularisedXorLoss at(p);
      std::vector<double> gradient(at.dimension());
      at.value_and_gradient(b.points[g], gradient);
      double l1 = 0.0;
      for (double x : gradient) l1 += std::abs(x);
      CHECK(l1 < 1e-10);
      CHECK(b.energy[g] == Approx(at.value(b.points[g])).epsilon(1e-14));
    }
    REQUIRE(b.alive[0]);
    REQUIRE(b.alive[2]);
    // Central difference of the branch against the analytic tangent at mu = 0.05.
    const Eigen::MatrixXd H = job.loss().hessian(b.points[1]);
    Eigen::VectorXd dfdmu(job.loss().dimension());
    for (int k = 0; k < dfdmu.size(); ++k) dfdmu(k) = 2.0 * b.points[1][k];  // every parameter regularised
    const Eigen::VectorXd tangent = H.fullPivLu().solve(-dfdmu);
    for (int k = 0; k < dfdmu.size(); ++k)
      CHECK((b.points[2][k] - b.points[0][k]) / 0.0002 == Approx(tangent(k)).margin(1e-4 * (1.0 + tangent.norm())));
  }
}

TEST_CASE("continuing a complete census keeps the Morse sum 1 at every mu of the grid") {
  CensusSpec spec = connect_spec(1, 3200, 64);
  spec.continue_mu = true;
  spec.continuation.grid_points = 12;
  CensusJob job(spec);
  run_to_end(job);
  REQUIRE(job.summary().completeness == "complete");
  REQUIRE(job.continuation().has_value());
  const ContinuationResult& r = *job.continuation();
  REQUIRE(r.mu.size() == 12);
  CHECK(r.folds > 0);  // the 2-1-1 network's saddles annihilate in pairs above mu = 0.1
  CHECK(r.mu.front() == Approx(0.001));
  CHECK(r.mu.back() == Approx(0.2));
  for (size_t g = 0; g < r.mu.size(); ++g) {
    std::int64_t morse = 0;
    for (const Branch& b : r.branches)
      if (b.alive[g]) morse += (b.index[g] % 2 == 0 ? 1 : -1) * job.census().classes[b.census_class].orbit_size;
    INFO("mu = " << r.mu[g]);
    CHECK(morse == 1);
  }
  // At the census's mu (between grid points) every class exists: the nearest grid points hold them all,
  // unless a fold lies between.
  for (const Branch& b : r.branches) {
    CHECK(b.end_below <= 0.05);
    CHECK(b.end_above >= 0.05);
    if (b.fold_above) CHECK(b.smallest_abs_above < 1e-2);
  }
}
