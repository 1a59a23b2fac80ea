// Stationary-point search: the regularised loss against finite differences, the solver and the
// homotopy on functions with known critical points, symmetry classes, Hessian index.
#include <catch2/catch.hpp>

#include <cmath>

#include "xorscape/core/rng.hpp"
#include "xorscape/stationary/stationary.hpp"

using namespace xorscape;

namespace {

// f(x, y) = x^3 - 3x + y^2: a minimum at (1, 0) and a saddle (index 1) at (-1, 0).
GradientSystem cubic_with_saddle() {
  return {2, [](std::span<const double> x, Eigen::VectorXd& f, Eigen::MatrixXd& jacobian) {
            f.resize(2);
            f << 3.0 * x[0] * x[0] - 3.0, 2.0 * x[1];
            jacobian.resize(2, 2);
            jacobian << 6.0 * x[0], 0.0, 0.0, 2.0;
          }};
}

std::vector<double> random_point(int dimension, RandomStream& rng, double scale) {
  std::vector<double> p(dimension);
  for (double& v : p) v = rng.uniform(-scale, scale);
  return p;
}

StationaryProblem problem_variant(bool output_bias, RegularisedSet set, double error_weight) {
  StationaryProblem p;
  p.output_bias = output_bias;
  p.regularised = set;
  p.error_weight = error_weight;
  return p;
}

}  // namespace

TEST_CASE("regularised loss gradient and Hessian agree with central differences for every variant") {
  RandomStream rng(7, {1});
  for (bool bias : {true, false})
    for (RegularisedSet set : {RegularisedSet::all, RegularisedSet::weights})
      for (double weight : {1.0, 0.25}) {
        const RegularisedXorLoss loss(problem_variant(bias, set, weight));
        const int D = loss.dimension();
        REQUIRE(D == (bias ? 9 : 8));
        const std::vector<double> p = random_point(D, rng, 2.0);
        Eigen::VectorXd g;
        loss.value_and_gradient(p, g);
        const Eigen::MatrixXd H = loss.hessian(p);
        const double h = 1e-5;
        for (int k = 0; k < D; ++k) {
          std::vector<double> up = p, down = p;
          up[k] += h;
          down[k] -= h;
          INFO("bias " << bias << " set " << to_string(set) << " weight " << weight << " parameter " << k);
          CHECK(g[k] == Approx((loss.value(up) - loss.value(down)) / (2 * h)).margin(1e-7));
          Eigen::VectorXd gu, gd;
          loss.value_and_gradient(up, gu);
          loss.value_and_gradient(down, gd);
          for (int j = 0; j < D; ++j) CHECK(H(j, k) == Approx((gu[j] - gd[j]) / (2 * h)).margin(1e-6));
        }
      }
}

TEST_CASE("extended-precision gradient agrees with the double gradient") {
  RandomStream rng(8, {2});
  const RegularisedXorLoss loss(StationaryProblem{});
  const std::vector<double> p = random_point(loss.dimension(), rng, 3.0);
  Eigen::VectorXd g;
  loss.value_and_gradient(p, g);
  const std::vector<long double> pl(p.begin(), p.end());
  const auto gl = loss.gradient_extended(pl);
  for (int k = 0; k < loss.dimension(); ++k) CHECK(static_cast<double>(gl[k]) == Approx(g[k]).margin(1e-13));
}

TEST_CASE("the solver converges to the saddle of x^3 - 3x + y^2 and, with it deflated, to the minimum") {
  const GradientSystem system = cubic_with_saddle();
  const SolverOptions options;
  const std::vector<double> start{-0.6, 0.7};
  const SolveResult saddle = find_stationary_point(system, start, {}, options);
  REQUIRE(saddle.status == SolveStatus::converged);
  CHECK(saddle.point[0] == Approx(-1.0).margin(1e-10));
  CHECK(saddle.point[1] == Approx(0.0).margin(1e-10));
  CHECK(saddle.gradient_l1 < 1e-10);
  const SolveResult minimum = find_stationary_point(system, start, {saddle.point}, options);
  REQUIRE(minimum.status == SolveStatus::converged);
  CHECK(minimum.point[0] == Approx(1.0).margin(1e-10));
  CHECK(minimum.point[1] == Approx(0.0).margin(1e-10));
  // With both roots deflated nothing is left to converge to.
  const SolveResult none = find_stationary_point(system, start, {saddle.point, minimum.point}, options);
  CHECK(none.status != SolveStatus::converged);
}

TEST_CASE("the homotopy path from a start crosses tau = 1 at critical points of x^3 - 3x + y^2") {
  const GradientSystem system = cubic_with_saddle();
  HomotopyOptions options;
  const std::vector<double> start{0.3, -0.8};
  const HomotopyResult path = follow_homotopy_path(system, start, options);
  REQUIRE(!path.roots.empty());
  for (const auto& root : path.roots) {
    CHECK(std::abs(std::abs(root[0]) - 1.0) < 1e-10);
    CHECK(std::abs(root[1]) < 1e-10);
  }
}

TEST_CASE("Hessian spectrum gives the index and smallest |eigenvalue| of a constructed saddle") {
  // Q diag(-2, -0.5, 1e-3, 3) Q^T with a random orthogonal Q: a saddle of index 2.
  RandomStream rng(3, {4});
  Eigen::MatrixXd M(4, 4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) M(i, j) = rng.normal();
  const Eigen::MatrixXd Q = Eigen::HouseholderQR<Eigen::MatrixXd>(M).householderQ();
  Eigen::VectorXd d(4);
  d << -2.0, -0.5, 1e-3, 3.0;
  const HessianSpectrum s = hessian_spectrum(Q * d.asDiagonal() * Q.transpose());
  CHECK(s.index == 2);
  CHECK(s.smallest_abs == Approx(1e-3).epsilon(1e-8));
  CHECK(s.eigenvalues.front() == Approx(-2.0).epsilon(1e-12));
}

TEST_CASE("the origin of the regularised tanh network is a minimum with Hessian eigenvalues 2 mu") {
  StationaryProblem p;
  p.output_bias = false;
  const RegularisedXorLoss loss(p);
  const std::vector<double> origin(loss.dimension(), 0.0);
  Eigen::VectorXd g;
  loss.value_and_gradient(origin, g);
  CHECK(g.lpNorm<1>() == 0.0);
  const HessianSpectrum s = hessian_spectrum(loss.hessian(origin));
  CHECK(s.index == 0);
  for (double v : s.eigenvalues) CHECK(v == Approx(2.0 * p.mu).epsilon(1e-12));
  CHECK(loss.classified_fraction(origin) == 0.0);  // every output sits on the midpoint
}

TEST_CASE("canonicalisation maps all 8 images of a generic point to one representative") {
  RandomStream rng(11, {5});
  const HiddenUnitSymmetry symmetry(2, 9, true);
  REQUIRE(symmetry.order() == 8);
  const std::vector<double> p = random_point(9, rng, 2.0);
  const Params canonical = symmetry.canonical(p);
  for (int g = 0; g < symmetry.order(); ++g) {
    const Params image = symmetry.apply(g, p);
    CHECK(symmetry.canonical(image) == canonical);
    CHECK(symmetry.orbit_distance(image, p) == 0.0);
  }
  CHECK(symmetry.orbit_size(p, 0.01) == 8);
  // The images are all different points.
  CHECK(symmetry.apply(1, p) != p);
}

TEST_CASE("sign flips are symmetries of the tanh loss and permutations of the sigmoid one") {
  RandomStream rng(12, {6});
  const RegularisedXorLoss tanh_loss(problem_variant(true, RegularisedSet::all, 1.0));
  const HiddenUnitSymmetry odd(2, 9, true);
  const std::vector<double> p = random_point(9, rng, 2.0);
  for (int g = 0; g < odd.order(); ++g) CHECK(tanh_loss.value(odd.apply(g, p)) == Approx(tanh_loss.value(p)).epsilon(1e-14));
  StationaryProblem sigmoid;
  sigmoid.architecture = {2, Activation::sigmoid, Activation::sigmoid};
  sigmoid.data = "xor";
  sigmoid.output_bias = true;
  const RegularisedXorLoss sigmoid_loss(sigmoid);
  const HiddenUnitSymmetry permutations(2, 9, false);
  REQUIRE(permutations.order() == 2);
  CHECK(sigmoid_loss.value(permutations.apply(1, p)) == Approx(sigmoid_loss.value(p)).epsilon(1e-14));
}

TEST_CASE("a trial on the XOR problem finds converged points and the census classifies them") {
  StationaryProblem p;
  p.output_bias = false;
  const RegularisedXorLoss loss(p);
  const HiddenUnitSymmetry symmetry(2, loss.dimension(), true);
  TrialOptions options;
  options.radius = 4.0;
  options.solves = 4;
  std::vector<Hit> hits;
  for (int t = 0; t < 6; ++t) {
    RandomStream rng(1, {static_cast<std::uint64_t>(t)});
    TrialResult trial = run_trial(loss, symmetry, rng, options);
    for (size_t k = 0; k < trial.points.size(); ++k) hits.push_back({t, static_cast<std::int32_t>(k), trial.points[k]});
  }
  REQUIRE(!hits.empty());
  const Census census = build_census(loss, symmetry, hits, 6, 0.01);
  REQUIRE(!census.classes.empty());
  for (const auto& c : census.classes) {
    CHECK(c.gradient_l1 < 1e-10);
    CHECK(c.gradient_l1_extended < 1e-15);
    CHECK(c.extended_shift < 1e-9);
    CHECK(c.smallest_abs_eigenvalue > 1e-4);
  }
  // Classes are pairwise inequivalent.
  for (size_t a = 0; a < census.classes.size(); ++a)
    for (size_t b = a + 1; b < census.classes.size(); ++b)
      CHECK(symmetry.orbit_distance(census.classes[a].representative, census.classes[b].representative) >= 0.01);
  CHECK(census.discovery.back() == static_cast<std::int64_t>(census.classes.size()));
}
