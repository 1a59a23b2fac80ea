// The loss kernels (every SIMD level this machine has) against the scalar forward pass; the vector
// functions themselves are tested in test_simd.cpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <sstream>

#include "xorscape/kernels/kernels.hpp"
#include "xorscape/core/parameters.hpp"
#include "xorscape/core/rng.hpp"

using namespace xorscape;
using kernels::SimdLevel;

namespace {

bool close_relative(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance * std::max(std::abs(a), std::abs(b));
}

Params random_point(int dimension, RandomStream& rng, double scale) {
  Params p(dimension);
  for (double& v : p) v = rng.uniform(-scale, scale);
  return p;
}

std::string describe(SimdLevel level, const XorLoss& loss) {
  std::ostringstream s;
  s << kernels::to_string(level) << " n_h=" << loss.architecture().n_hidden << " hidden="
    << to_string(loss.architecture().hidden) << " output=" << to_string(loss.architecture().output)
    << " data=" << loss.dataset().name << " l2=" << loss.l2();
  return s.str();
}

std::vector<XorLoss> loss_variants() {
  std::vector<XorLoss> losses;
  for (int n : {1, 2, 3, 7})
    for (Activation hidden : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::identity})
      losses.emplace_back(Architecture{n, hidden, Activation::sigmoid}, dataset_by_name("xor"));
  losses.emplace_back(Architecture{2, Activation::tanh, Activation::tanh}, dataset_by_name("xor-pm"));
  losses.emplace_back(Architecture{3, Activation::relu, Activation::identity}, dataset_by_name("xor-centered"));
  losses.emplace_back(Architecture{2, Activation::sigmoid, Activation::sigmoid}, dataset_by_name("xor"),
                      Reduction::sum, 1e-3);
  return losses;
}

}  // namespace

TEST_CASE("batch_loss equals XorLoss::value to 1e-12 at every SIMD level, activation and n_h") {
  RandomStream rng(5);
  for (const XorLoss& loss : loss_variants()) {
    const int D = loss.dimension();
    const std::size_t count = 203;  // not a multiple of the vector width: the tail is covered too
    const std::size_t stride = 208;
    std::vector<double> points(D * stride);
    std::vector<Params> rows(count);
    for (std::size_t j = 0; j < count; ++j) {
      // Small, moderate and huge parameters: |theta| up to 1e300 must not overflow where the
      // hidden activation is bounded and there is no regulariser (with relu, identity or
      // l2 > 0 the loss itself overflows there).
      const bool bounded = (loss.architecture().hidden == Activation::sigmoid ||
                            loss.architecture().hidden == Activation::tanh) && loss.l2() == 0.0;
      const double scale = j % 17 == 0 ? (bounded ? 1e300 : 1e3) : (j % 5 == 0 ? 60.0 : 8.0);
      rows[j] = random_point(D, rng, scale);
      for (int k = 0; k < D; ++k) points[k * stride + j] = rows[j][k];
    }
    const Batch batches[2] = {kNonrandomizedBatch, Batch{2, 2, 0, 3}};
    for (const Batch& batch : batches) {
      for (SimdLevel level : kernels::available_simd_levels()) {
        std::vector<double> out(count, -1.0);
        kernels::batch_loss(loss, points.data(), stride, count, out.data(), batch, level);
        for (std::size_t j = 0; j < count; ++j) {
          const double reference = loss.value(rows[j], batch);
          INFO(describe(level, loss) << " point " << j << ": " << out[j] << " vs " << reference);
          REQUIRE(std::isfinite(reference));
          CHECK(close_relative(out[j], reference, 1e-12));
        }
      }
    }
  }
}

TEST_CASE("the plane kernel equals XorLoss::value on every plane of n_h = 2 and at every SIMD level") {
  const PublishedSolution& solution = published_solution(1);
  RandomStream rng(9);
  std::vector<XorLoss> losses = loss_variants();
  for (const XorLoss& loss : losses) {
    const ParameterLayout& L = loss.layout();
    const int D = L.dimension();
    const Params center = L.n_hidden() == 2 ? solution.parameters : random_point(D, rng, 6.0);
    std::vector<double> x(37);
    for (size_t i = 0; i < x.size(); ++i) x[i] = -15.0 + 30.0 * static_cast<double>(i) / (x.size() - 1);
    const double ys[3] = {-12.5, 0.0, 7.3};
    for (int a = 0; a < D; ++a) {
      for (int b = 0; b < D; ++b) {
        if (a == b || (D > 9 && (a + b) % 5 != 0)) continue;
        for (SimdLevel level : kernels::available_simd_levels()) {
          const kernels::PlaneEvaluator plane(loss, center, a, b, x, level);
          std::vector<double> cases(4 * plane.case_stride()), row(x.size());
          for (double y : ys) {
            plane.row_loss(y, row.data(), cases.data());
            plane.row_case_losses(y, cases.data());
            for (size_t i = 0; i < x.size(); ++i) {
              Params p = center;
              p[a] += x[i];
              p[b] += y;
              const Batch batch{static_cast<int>(rng.below(4)), static_cast<int>(rng.below(4)),
                                static_cast<int>(rng.below(4)), static_cast<int>(rng.below(4))};
              INFO(describe(level, loss) << " plane " << L.name(a) << "," << L.name(b) << " at (" << x[i] << ", "
                                         << y << ")");
              CHECK(close_relative(row[i], loss.value(p), 1e-12));
              CHECK(close_relative(plane.combine(cases.data(), i, batch, y), loss.value(p, batch), 1e-12));
            }
          }
        }
      }
    }
  }
}

TEST_CASE("a plane's cases that vary with one parameter only are not evaluated per point") {
  const XorLoss loss(Architecture{}, dataset_by_name("xor"));
  const ParameterLayout& L = loss.layout();
  const Params& center = published_solution(1).parameters;
  const std::vector<double> x{-1.0, 0.0, 1.0};
  // w1_11 and w1_21 only reach the network through input x1: the cases with x1 = 0 do not move.
  CHECK(kernels::PlaneEvaluator(loss, center, L.index("w1_11"), L.index("w1_21"), x).cases_per_point() == 2);
  // w1_11 and w1_12: case (0,0) is constant, (0,1) varies with y only, (1,0) with x only.
  CHECK(kernels::PlaneEvaluator(loss, center, L.index("w1_11"), L.index("w1_12"), x).cases_per_point() == 1);
  CHECK(kernels::PlaneEvaluator(loss, center, L.index("b1_1"), L.index("b2_1"), x).cases_per_point() == 4);
}
