// The network's loss, gradient and Hessian against definitions and finite differences.
#include <catch2/catch.hpp>

#include <cmath>

#include "xorscape/core/network.hpp"
#include "xorscape/core/parameters.hpp"
#include "xorscape/core/rng.hpp"

using namespace xorscape;

namespace {

Params random_parameters(int dimension, RandomStream& rng, double scale) {
  Params p(dimension);
  for (double& v : p) v = rng.uniform(-scale, scale);
  return p;
}

// Central difference of the loss along coordinate k.
double numeric_derivative(const XorLoss& loss, Params p, int k, double h) {
  const double x = p[k];
  p[k] = x + h;
  const double up = loss.value(p);
  p[k] = x - h;
  const double down = loss.value(p);
  return (up - down) / (2.0 * h);
}

}  // namespace

TEST_CASE("parameter names follow Table 2 order and the general n_h grouping") {
  const ParameterLayout two(2);
  const std::vector<std::string> expected{"w1_11", "w1_12", "w1_21", "w1_22", "b1_1",
                                          "b1_2",  "w2_11", "w2_12", "b2_1"};
  CHECK(two.names() == expected);
  const ParameterLayout eighteen(18);
  CHECK(eighteen.dimension() == 73);
  CHECK(eighteen.index("w1_181") == eighteen.w1(17, 0));
  CHECK(eighteen.index("w2_118") == eighteen.w2(17));
  CHECK(eighteen.index("b1_10") == eighteen.b1(9));
  CHECK_THROWS_AS(two.index("w1_31"), std::invalid_argument);
}

TEST_CASE("gradient agrees with central differences for every activation pair and n_h") {
  const Activation activations[] = {Activation::sigmoid, Activation::tanh, Activation::relu};
  const Activation outputs[] = {Activation::sigmoid, Activation::tanh, Activation::identity};
  for (int n_hidden : {1, 2, 5, 18}) {
    for (Activation hidden : activations) {
      for (Activation output : outputs) {
        for (const char* data : {"xor", "xor-centered", "xor-pm"}) {
          const XorLoss loss({n_hidden, hidden, output}, dataset_by_name(data));
          RandomStream rng(7, {static_cast<std::uint64_t>(n_hidden), static_cast<std::uint64_t>(hidden),
                               static_cast<std::uint64_t>(output)});
          for (int trial = 0; trial < 3; ++trial) {
            const Params p = random_parameters(loss.dimension(), rng, 2.0);
            Params g(loss.dimension());
            const double value = loss.value_and_gradient(p, g);
            REQUIRE(value == Approx(loss.value(p)).epsilon(1e-14));
            for (int k = 0; k < loss.dimension(); ++k) {
              INFO("n_h=" << n_hidden << " hidden=" << to_string(hidden) << " output=" << to_string(output)
                          << " data=" << data << " parameter=" << loss.layout().name(k));
              // ReLU kinks make differences unreliable only within h of a kink; h is tiny.
              CHECK(g[k] == Approx(numeric_derivative(loss, p, k, 1e-6)).margin(2e-7).epsilon(1e-5));
            }
          }
        }
      }
    }
  }
}

TEST_CASE("Hessian is symmetric and matches differences of the analytic gradient") {
  for (int n_hidden : {1, 2, 5}) {
    for (Activation hidden : {Activation::sigmoid, Activation::tanh}) {
      for (Activation output : {Activation::sigmoid, Activation::tanh, Activation::identity}) {
        const XorLoss loss({n_hidden, hidden, output}, dataset_by_name("xor-pm"), Reduction::sum, 0.05);
        RandomStream rng(11, {static_cast<std::uint64_t>(n_hidden)});
        const Params p = random_parameters(loss.dimension(), rng, 1.5);
        const Eigen::MatrixXd H = loss.hessian(p);
        const int D = loss.dimension();
        CHECK((H - H.transpose()).cwiseAbs().maxCoeff() < 1e-14);
        const double h = 1e-6;
        for (int k = 0; k < D; ++k) {
          Params up = p, down = p;
          up[k] += h;
          down[k] -= h;
          Params gu(D), gd(D);
          loss.value_and_gradient(up, gu);
          loss.value_and_gradient(down, gd);
          for (int l = 0; l < D; ++l) {
            INFO("n_h=" << n_hidden << " entry (" << loss.layout().name(k) << ", " << loss.layout().name(l) << ")");
            CHECK(H(l, k) == Approx((gu[l] - gd[l]) / (2 * h)).margin(1e-7).epsilon(1e-5));
          }
        }
      }
    }
  }
}

TEST_CASE("sigmoid loss, gradient and Hessian stay finite for parameters of size 1e300") {
  const XorLoss loss({2, Activation::sigmoid, Activation::sigmoid}, dataset_by_name("xor"));
  for (double big : {1e300, -1e300, 1e150, -7e299}) {
    Params p(9, big);
    p[1] = -big;
    Params g(9);
    const double value = loss.value_and_gradient(p, g);
    CHECK(std::isfinite(value));
    CHECK(value >= 0.0);
    CHECK(value <= 1.0);
    for (double v : g) CHECK(std::isfinite(v));
    CHECK(loss.hessian(p).allFinite());
  }
}

TEST_CASE("loss definitions: mean over the batch, sum, and the L2 term") {
  const Params p = published_solution(2).parameters;
  const XorLoss mean({2}, dataset_by_name("xor"));
  const XorLoss sum({2}, dataset_by_name("xor"), Reduction::sum);
  const XorLoss regularised({2}, dataset_by_name("xor"), Reduction::sum, 0.05);
  const auto per_example = mean.example_losses(p);
  const double total = per_example[0] + per_example[1] + per_example[2] + per_example[3];
  CHECK(mean.value(p) == Approx(total / 4).epsilon(1e-15));
  CHECK(sum.value(p) == Approx(total).epsilon(1e-15));
  double norm = 0;
  for (double v : p) norm += v * v;
  CHECK(regularised.value(p) == Approx(total + 0.05 * norm).epsilon(1e-15));
  // A randomized batch may repeat a case: {0, 0, 3, 3} weighs cases 0 and 3 twice.
  CHECK(mean.value(p, {0, 0, 3, 3}) == Approx((2 * per_example[0] + 2 * per_example[3]) / 4).epsilon(1e-15));
}
