#pragma once
// The landscape as an interface (pele's potential): a function of a flat parameter vector that
// answers three questions: its value, its value and gradient, and its Hessian. The XOR loss
// (XorLoss), the loss restricted to a few moving parameters (trajectory::RestrictedLoss) and the
// regularised loss of the stationary-point census (stationary::RegularisedXorLoss) satisfy it;
// the integrators, the stationary-point solvers and the end-point analysis take any Potential.
//
//   int dimension() const;
//   double value(std::span<const double> x) const;
//   double value_and_gradient(std::span<const double> x, std::span<double> gradient) const;
//   Eigen::MatrixXd hessian(std::span<const double> x) const;      // dimension x dimension
#include <Eigen/Dense>

#include <cmath>
#include <concepts>
#include <span>
#include <vector>

namespace xorscape {

template <class P>
concept Potential = requires(const P& p, std::span<const double> x, std::span<double> gradient) {
  { p.dimension() } -> std::convertible_to<int>;
  { p.value(x) } -> std::convertible_to<double>;
  { p.value_and_gradient(x, gradient) } -> std::convertible_to<double>;
  { p.hessian(x) } -> std::convertible_to<Eigen::MatrixXd>;
};

// Central differences of the value (step h relative to max(1, |x_k|)): the reference that
// analytic gradients are tested against.
template <Potential P>
std::vector<double> numerical_gradient(const P& potential, std::span<const double> x, double h = 1e-6) {
  std::vector<double> y(x.begin(), x.end()), g(x.size());
  for (size_t k = 0; k < x.size(); ++k) {
    const double step = h * std::max(1.0, std::abs(x[k]));
    y[k] = x[k] + step;
    const double up = potential.value(y);
    y[k] = x[k] - step;
    const double down = potential.value(y);
    y[k] = x[k];
    g[k] = (up - down) / (2.0 * step);
  }
  return g;
}

// Central differences of the analytic gradient, symmetrised: the reference for Hessians.
template <Potential P>
Eigen::MatrixXd numerical_hessian(const P& potential, std::span<const double> x, double h = 1e-5) {
  const int n = static_cast<int>(x.size());
  Eigen::MatrixXd H(n, n);
  std::vector<double> y(x.begin(), x.end()), up(n), down(n);
  for (int k = 0; k < n; ++k) {
    const double step = h * std::max(1.0, std::abs(x[k]));
    y[k] = x[k] + step;
    potential.value_and_gradient(y, up);
    y[k] = x[k] - step;
    potential.value_and_gradient(y, down);
    y[k] = x[k];
    for (int r = 0; r < n; ++r) H(r, k) = (up[r] - down[r]) / (2.0 * step);
  }
  return 0.5 * (H + H.transpose());
}

// The Euclidean norm of a vector without overflow for entries near the largest double
// (the gradient at parameters of size 1e300 is finite; its squared norm may not be).
inline double safe_norm(std::span<const double> v) {
  double scale = 0.0;
  for (double x : v) scale = std::max(scale, std::abs(x));
  if (scale == 0.0 || !std::isfinite(scale)) return scale;
  double sum = 0.0;
  for (double x : v) sum += (x / scale) * (x / scale);
  return scale * std::sqrt(sum);
}

}  // namespace xorscape
