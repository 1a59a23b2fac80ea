// Slices along any directions: filter normalisation, planes through points, principal
// components of a path, path projection, grid values against an independent forward pass, and
// the curvature (exact Hessian eigenvalues, index, gradient norm) against finite differences.
#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <cmath>

#include "xorscape/core/parameters.hpp"
#include "xorscape/core/potential.hpp"
#include "xorscape/core/rng.hpp"
#include "xorscape/landscape/curvature.hpp"
#include "xorscape/landscape/direction_slice.hpp"
#include "test_support.hpp"

using namespace xorscape;

namespace {

double norm(const Params& v) {
  double s = 0.0;
  for (double x : v) s += x * x;
  return std::sqrt(s);
}

// The sigmoid 2-2-1 network written out by hand (not XorLoss): L = (1/4) sum (yhat - y)^2.
double independent_loss(const Params& p) {
  auto s = [](double z) { return 1.0 / (1.0 + std::exp(-z)); };
  const double in[4][3] = {{0, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}};
  double sum = 0.0;
  for (const auto& c : in) {
    const double h1 = s(p[0] * c[0] + p[1] * c[1] + p[4]);
    const double h2 = s(p[2] * c[0] + p[3] * c[1] + p[5]);
    const double e = s(p[6] * h1 + p[7] * h2 + p[8]) - c[2];
    sum += e * e;
  }
  return 0.25 * sum;
}

Params random_point(RandomStream& rng, int dimension, double scale) {
  Params p(dimension);
  for (double& v : p) v = rng.uniform(-scale, scale);
  return p;
}

}  // namespace

TEST_CASE("random directions are filter-normalised per unit and reproducible", "[slice][directions]") {
  const XorLoss loss{Architecture{}, dataset_by_name("xor")};
  const Params center = published_solution(1).parameters;
  const slice::Directions d = slice::random_directions(center, loss.layout(), 7, false);
  for (const Params* v : {&d.d1, &d.d2})
    for (const std::vector<int>& block : slice::unit_blocks(loss.layout())) {
      double dn = 0.0, cn = 0.0;
      for (int k : block) dn += (*v)[k] * (*v)[k], cn += center[k] * center[k];
      CHECK(std::sqrt(dn) == Approx(std::sqrt(cn)).epsilon(1e-12));
    }
  CHECK(slice::unit_blocks(loss.layout()).size() == 3);
  CHECK(d.d1 != d.d2);
  CHECK(slice::random_directions(center, loss.layout(), 7, false).d1 == d.d1);
  CHECK(slice::random_directions(center, loss.layout(), 8, false).d1 != d.d1);
  CHECK(slice::random_directions(center, loss.layout(), 7, true).line());
}

TEST_CASE("the plane through three points holds them at their stored coordinates", "[slice][directions]") {
  std::vector<slice::NamedPoint> points;
  for (int n : {1, 2, 5}) points.push_back({std::to_string(n), published_solution(n).parameters});
  const slice::Directions d = slice::point_directions(points);
  CHECK(norm(d.d1) == Approx(1.0));
  CHECK(norm(d.d2) == Approx(1.0));
  double cross = 0.0;
  for (std::size_t k = 0; k < d.d1.size(); ++k) cross += d.d1[k] * d.d2[k];
  CHECK(std::abs(cross) < 1e-12);
  for (const slice::NamedPoint& p : points) {
    const slice::PlaneCoordinates c = slice::project(d, p.values);
    CHECK(c.residual < 1e-10);
    const Params back = slice::point_at(d, c.x, c.y);
    for (std::size_t k = 0; k < back.size(); ++k) CHECK(back[k] == Approx(p.values[k]).margin(1e-10));
  }
  CHECK(slice::project(d, points[0].values).x == Approx(0.0).margin(1e-12));
  // A point off the plane: its residual is its distance from the plane.
  Params off = points[0].values;
  Params normal(off.size(), 0.0);
  normal[8] = 1.0;
  double along1 = 0.0, along2 = 0.0;
  for (std::size_t k = 0; k < off.size(); ++k) along1 += normal[k] * d.d1[k], along2 += normal[k] * d.d2[k];
  for (std::size_t k = 0; k < off.size(); ++k) normal[k] -= along1 * d.d1[k] + along2 * d.d2[k];
  const double length = norm(normal);
  for (std::size_t k = 0; k < off.size(); ++k) off[k] += 3.0 * normal[k] / length;
  CHECK(slice::project(d, off).residual == Approx(3.0));
  // Two points: the line, t = 0 and t = 1 at the points.
  const slice::Directions line = slice::point_directions({points[0], points[1]});
  CHECK(line.line());
  CHECK(slice::project(line, points[1].values).x == Approx(1.0));
  CHECK_THROWS_AS(slice::point_directions({points[0], points[0], points[1]}), std::invalid_argument);
  CHECK_THROWS_AS(slice::point_directions({points[0], points[1], slice::NamedPoint{"mid", slice::point_at(line, 0.5, 0)}}),
                  std::invalid_argument);
}

TEST_CASE("principal components recover a path's plane and its captured variance", "[slice][directions]") {
  // A path in the plane spanned by u (large motion) and v (smaller), plus a tiny off-plane wobble.
  RandomStream rng(3);
  const Params base = random_point(rng, 9, 2.0);
  Params u = random_point(rng, 9, 1.0), v = random_point(rng, 9, 1.0), w = random_point(rng, 9, 1.0);
  std::vector<Params> path;
  for (int i = 0; i < 200; ++i) {
    const double t = i / 199.0;
    Params p = base;
    for (int k = 0; k < 9; ++k) p[k] += 10.0 * t * u[k] + 3.0 * std::sin(6.0 * t) * v[k] + 1e-3 * std::cos(40.0 * t) * w[k];
    path.push_back(p);
  }
  const slice::Directions d = slice::pca_directions(path, "synthetic");
  CHECK(d.explained_variance_ratio.at(0) > d.explained_variance_ratio.at(1));
  CHECK(d.explained_variance_ratio[0] + d.explained_variance_ratio[1] == Approx(1.0).margin(1e-6));
  CHECK(d.center == path.back());
  const slice::ProjectedPath projected = slice::project_path(d, path);
  CHECK(projected.captured_variance == Approx(d.explained_variance_ratio[0] + d.explained_variance_ratio[1]).epsilon(1e-9));
  for (double r : projected.residual) CHECK(r < 5e-3);  // the wobble: 1e-3 |w|, |w| < 3
  CHECK(projected.x.front() <= 0.0);
  CHECK(projected.x.back() == Approx(0.0).margin(1e-9));
  // A plane that misses the motion captures little of it.
  const slice::Directions axes = slice::pair_directions(base, ParameterLayout(2), 0, 1);
  const slice::ProjectedPath poor = slice::project_path(axes, path);
  double in_plane = 0.0, total = 0.0;
  for (int k = 0; k < 9; ++k) {
    double mean = 0.0, square = 0.0;
    for (const Params& p : path) mean += p[k] / path.size();
    for (const Params& p : path) square += (p[k] - mean) * (p[k] - mean);
    total += square;
    if (k < 2) in_plane += square;
  }
  CHECK(poor.captured_variance == Approx(in_plane / total).epsilon(1e-9));
  CHECK(poor.captured_variance < 0.9);
  std::vector<Params> straight(5, base);
  CHECK_THROWS_AS(slice::pca_directions(straight, "still"), std::invalid_argument);
}

TEST_CASE("grid values along random and three-point planes match an independent forward pass", "[slice][directions]") {
  const XorLoss loss{Architecture{}, dataset_by_name("xor")};
  std::vector<slice::NamedPoint> points;
  for (int n : {1, 2, 5}) points.push_back({std::to_string(n), published_solution(n).parameters});
  for (const slice::Directions& d :
       {slice::random_directions(published_solution(1).parameters, loss.layout(), 11, false),
        slice::point_directions(points), slice::random_directions(published_solution(3).parameters, loss.layout(), 5, true)}) {
    slice::DirectionSliceSpec spec;
    spec.loss = loss;
    spec.directions = d;
    spec.x = slice::Axis{-7.0, 9.0, 37};
    spec.y = slice::Axis{-5.0, 6.0, 23};
    spec.curvature = true;
    slice::DirectionGrid grid;
    {
      testing::ThreadCount threads(2);
      REQUIRE(slice::compute_direction_grid(spec, grid, RunControl()));
    }
    const std::size_t rows = d.line() ? 1 : 23;
    REQUIRE(grid.points() == 37 * rows);
    RandomStream rng(17);
    for (int sample = 0; sample < 40; ++sample) {
      const int i = static_cast<int>(rng.below(37)), j = static_cast<int>(rng.below(rows));
      const double x = -7.0 + 16.0 * i / 36.0, y = d.line() ? 0.0 : -5.0 + 11.0 * j / 22.0;
      Params p(9);
      for (int k = 0; k < 9; ++k) p[k] = d.center[k] + x * d.d1[k] + (d.line() ? 0.0 : y * d.d2[k]);
      CHECK(grid.loss[j * 37 + i] == Approx(independent_loss(p)).epsilon(1e-12).margin(1e-15));
    }
    slice::DirectionGrid single;
    {
      testing::ThreadCount threads(1);
      REQUIRE(slice::compute_direction_grid(spec, single, RunControl()));
    }
    CHECK(single.loss == grid.loss);
    CHECK(single.min_eigenvalue == grid.min_eigenvalue);
  }
}

TEST_CASE("curvature: exact Hessian eigenvalues, index and gradient norm against finite differences", "[slice][curvature]") {
  RandomStream rng(23);
  for (const Activation hidden : {Activation::sigmoid, Activation::tanh}) {
    const XorLoss loss{Architecture{2, hidden, Activation::sigmoid}, dataset_by_name("xor")};
    const slice::CurvatureEvaluator evaluator(loss);
    REQUIRE(evaluator.fixed_size());
    for (int sample = 0; sample < 50; ++sample) {
      const Params p = random_point(rng, 9, sample < 25 ? 2.0 : 6.0);
      const slice::Curvature c = evaluator.at(p);
      // Finite differences of the value alone (not of the analytic gradient): h = 1e-4.
      const double h = 1e-4;
      Eigen::MatrixXd fd(9, 9);
      Params q = p;
      for (int a = 0; a < 9; ++a)
        for (int b = 0; b < 9; ++b) {
          auto at = [&](double da, double db) {
            q = p;
            q[a] += da;
            q[b] += db;
            return loss.value(q);
          };
          fd(a, b) = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h);
        }
      const Eigen::VectorXd values = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(0.5 * (fd + fd.transpose())).eigenvalues();
      const double scale = std::max(1e-2, values.cwiseAbs().maxCoeff());
      CHECK(c.min_eigenvalue == Approx(values[0]).margin(1e-5 * scale));
      CHECK(c.max_eigenvalue == Approx(values[8]).margin(1e-5 * scale));
      int negative = 0;
      bool ambiguous = false;
      for (int k = 0; k < 9; ++k) {
        negative += values[k] < 0.0;
        ambiguous = ambiguous || std::abs(values[k]) < 1e-4 * scale;
      }
      if (!ambiguous) CHECK(c.negative == negative);
      double gradient = 0.0;
      for (int k = 0; k < 9; ++k) {
        q = p;
        q[k] += h;
        const double up = loss.value(q);
        q[k] -= 2 * h;
        const double g = (up - loss.value(q)) / (2 * h);
        gradient += g * g;
      }
      CHECK(c.gradient_norm == Approx(std::sqrt(gradient)).epsilon(1e-5).margin(1e-9));
      CHECK(c.loss == Approx(loss.value(p)).epsilon(1e-14));
      // The fixed-size path agrees with XorLoss::hessian (the general path) to round-off.
      const Eigen::VectorXd general = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(loss.hessian(p)).eigenvalues();
      CHECK(c.min_eigenvalue == Approx(general[0]).margin(1e-12 * scale));
      CHECK(c.max_eigenvalue == Approx(general[8]).margin(1e-12 * scale));
    }
  }
  // n_h = 3 goes through XorLoss::hessian.
  const XorLoss wide{Architecture{3, Activation::sigmoid, Activation::sigmoid}, dataset_by_name("xor")};
  const slice::CurvatureEvaluator evaluator(wide);
  CHECK_FALSE(evaluator.fixed_size());
  const Params p = random_point(rng, 13, 3.0);
  const Eigen::MatrixXd fd = numerical_hessian(wide, p, 1e-5);
  const Eigen::VectorXd values = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(fd).eigenvalues();
  CHECK(evaluator.at(p).min_eigenvalue == Approx(values[0]).margin(1e-6));
  CHECK(evaluator.at(p).max_eigenvalue == Approx(values[12]).margin(1e-6));
}
