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
