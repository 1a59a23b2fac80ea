#include "xorscape/landscape/curvature.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <vector>

namespace xorscape::slice {

namespace {

template <class Matrix>
Curvature from_hessian(const Matrix& h, double loss, double gradient_squared) {
  Curvature c;
  c.loss = loss;
  c.gradient_norm = std::sqrt(gradient_squared);
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(h, Eigen::EigenvaluesOnly);
  const auto& values = solver.eigenvalues();  // ascending
  c.min_eigenvalue = values[0];
  c.max_eigenvalue = values[values.size() - 1];
  const double limit = -kNegativeTolerance * std::max({1.0, std::abs(c.min_eigenvalue), std::abs(c.max_eigenvalue)});
  for (Eigen::Index k = 0; k < values.size(); ++k) c.negative += values[k] < limit ? 1 : 0;
  return c;
}

// The n_h = 2 Hessian, gradient and loss in one pass over the four cases (XorLoss::hessian's
// formula: per case kappa du du^T + c d2u, the order of the parameters of network.hpp).
Curvature fixed_curvature(const XorLoss& loss, std::span<const double> p) {
  using Matrix9 = Eigen::Matrix<double, 9, 9>;
  using Vector9 = Eigen::Matrix<double, 9, 1>;
  const Architecture& arch = loss.architecture();
  const double weight = loss.reduction() == Reduction::mean ? 0.25 : 1.0;
  Matrix9 h = Matrix9::Zero();
  Vector9 g = Vector9::Zero();
  double sum = 0.0;
  for (const Example& ex : loss.dataset().examples) {
    const double xt[3] = {ex.x1, ex.x2, 1.0};
    ActivationValue a[2];
    double u = p[8];
    for (int i = 0; i < 2; ++i) {
      a[i] = activate_with_derivatives(arch.hidden, p[2 * i] * ex.x1 + p[2 * i + 1] * ex.x2 + p[4 + i]);
      u += p[6 + i] * a[i].value;
    }
    const ActivationValue out = activate_with_derivatives(arch.output, u);
    const double e = out.value - ex.target;
    sum += e * e;
    const double kappa = weight * (2.0 * out.first * out.first + 2.0 * e * out.second);
    const double c = weight * 2.0 * e * out.first;
    Vector9 du;
    du[8] = 1.0;
    for (int i = 0; i < 2; ++i) {
      du[6 + i] = a[i].value;
      const double s = p[6 + i] * a[i].first;
      du[2 * i] = s * xt[0];
      du[2 * i + 1] = s * xt[1];
      du[4 + i] = s;
    }
    g += c * du;
    h.noalias() += kappa * du * du.transpose();
    for (int i = 0; i < 2; ++i) {
      const int idx[3] = {2 * i, 2 * i + 1, 4 + i};
      const double cross = c * a[i].first, second = c * p[6 + i] * a[i].second;
      for (int r = 0; r < 3; ++r) {
        h(6 + i, idx[r]) += cross * xt[r];
        h(idx[r], 6 + i) += cross * xt[r];
        for (int s = 0; s < 3; ++s) h(idx[r], idx[s]) += second * xt[r] * xt[s];
      }
    }
  }
  double value = weight * sum;
  if (loss.l2() != 0.0) {
    for (int k = 0; k < 9; ++k) {
      value += loss.l2() * p[k] * p[k];
      g[k] += 2.0 * loss.l2() * p[k];
      h(k, k) += 2.0 * loss.l2();
    }
  }
  return from_hessian(h, value, g.squaredNorm());
}

}  // namespace

Curvature CurvatureEvaluator::at(std::span<const double> params) const {
  if (fixed_size()) return fixed_curvature(loss_, params);
  std::vector<double> gradient(params.size());
  const double value = loss_.value_and_gradient(params, gradient);
  double squared = 0.0;
  for (double v : gradient) squared += v * v;
  return from_hessian(loss_.hessian(params), value, squared);
}

}  // namespace xorscape::slice
