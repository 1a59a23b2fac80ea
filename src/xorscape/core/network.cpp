#include "xorscape/core/network.hpp"

#include <stdexcept>

#include "xorscape/core/potential.hpp"

namespace xorscape {

static_assert(Potential<XorLoss>);

ParameterLayout::ParameterLayout(int n_hidden) : n_hidden_(n_hidden) {
  if (n_hidden < 1) throw std::invalid_argument("the number of hidden neurons must be at least 1");
  names_.resize(dimension());
  for (int i = 0; i < n_hidden; ++i) {
    for (int j = 0; j < 2; ++j) names_[w1(i, j)] = "w1_" + std::to_string(i + 1) + std::to_string(j + 1);
    names_[b1(i)] = "b1_" + std::to_string(i + 1);
    names_[w2(i)] = "w2_1" + std::to_string(i + 1);
  }
  names_[b2()] = "b2_1";
}

std::optional<int> ParameterLayout::find(std::string_view name) const {
  for (int k = 0; k < dimension(); ++k)
    if (names_[k] == name) return k;
  return std::nullopt;
}

int ParameterLayout::index(std::string_view name) const {
  if (auto k = find(name)) return *k;
  throw std::invalid_argument("unknown parameter '" + std::string(name) + "' (n_h = " + std::to_string(n_hidden_) +
                              " has " + names_.front() + " ... " + names_.back() + ")");
}

XorLoss::XorLoss(Architecture architecture, Dataset dataset, Reduction reduction, double l2)
    : architecture_(architecture), layout_(architecture.n_hidden), dataset_(std::move(dataset)),
      reduction_(reduction), l2_(l2) {}

double XorLoss::activations(std::span<const double> p, double x1, double x2, std::span<double> hidden) const {
  const auto& L = layout_;
  double u = p[L.b2()];
  for (int i = 0; i < L.n_hidden(); ++i) {
    const double z = p[L.w1(i, 0)] * x1 + p[L.w1(i, 1)] * x2 + p[L.b1(i)];
    const double h = activate(architecture_.hidden, z);
    if (!hidden.empty()) hidden[i] = h;
    u += p[L.w2(i)] * h;
  }
  return activate(architecture_.output, u);
}

double XorLoss::output(std::span<const double> p, double x1, double x2) const {
  return activations(p, x1, x2, {});
}

std::array<double, 4> XorLoss::example_losses(std::span<const double> p) const {
  std::array<double, 4> losses{};
  for (int m = 0; m < 4; ++m) {
    const Example& e = dataset_.examples[m];
    const double r = output(p, e.x1, e.x2) - e.target;
    losses[m] = r * r;
  }
  return losses;
}

namespace {
double squared_norm(std::span<const double> p) {
  double s = 0.0;
  for (double v : p) s += v * v;
  return s;
}
}  // namespace

double XorLoss::value(std::span<const double> p, const Batch& batch) const {
  double sum = 0.0;
  for (int m : batch) {
    const Example& e = dataset_.examples[m];
    const double r = output(p, e.x1, e.x2) - e.target;
    sum += r * r;
  }
  double loss = batch_weight() * sum;
  if (l2_ != 0.0) loss += l2_ * squared_norm(p);
  return loss;
}

// Backpropagation for one example: with e = yhat - y, delta = 2 e g'(u) = dl/du,
// dl/dw2_i = delta h_i, dl/db2 = delta, dl/dz_i = delta w2_i f'(z_i) = dl/db1_i,
// dl/dw1_ij = dl/dz_i x_j.
double XorLoss::value_and_gradient(std::span<const double> p, std::span<double> gradient, const Batch& batch) const {
  const auto& L = layout_;
  const int n = L.n_hidden();
  thread_local std::vector<double> h, dh;
  h.resize(n);
  dh.resize(n);
  std::fill(gradient.begin(), gradient.end(), 0.0);
  const double weight = batch_weight();
  double sum = 0.0;
  for (int m : batch) {
    const Example& ex = dataset_.examples[m];
    double u = p[L.b2()];
    for (int i = 0; i < n; ++i) {
      const double z = p[L.w1(i, 0)] * ex.x1 + p[L.w1(i, 1)] * ex.x2 + p[L.b1(i)];
      const ActivationValue a = activate_with_derivatives(architecture_.hidden, z);
      h[i] = a.value;
      dh[i] = a.first;
      u += p[L.w2(i)] * a.value;
    }
    const ActivationValue out = activate_with_derivatives(architecture_.output, u);
    const double e = out.value - ex.target;
    sum += e * e;
    const double delta = weight * 2.0 * e * out.first;
    gradient[L.b2()] += delta;
    for (int i = 0; i < n; ++i) {
      gradient[L.w2(i)] += delta * h[i];
      const double dz = delta * p[L.w2(i)] * dh[i];
      gradient[L.b1(i)] += dz;
      gradient[L.w1(i, 0)] += dz * ex.x1;
      gradient[L.w1(i, 1)] += dz * ex.x2;
    }
  }
  double loss = weight * sum;
  if (l2_ != 0.0) {
    loss += l2_ * squared_norm(p);
    for (size_t k = 0; k < gradient.size(); ++k) gradient[k] += 2.0 * l2_ * p[k];
  }
  return loss;
}

// Per example, l = e^2 with e = g(u) - y, so
//   d2l = kappa (du)(du)^T + 2 e g'(u) d2u,   kappa = 2 g'(u)^2 + 2 e g''(u).
// du/dw2_i = h_i, du/db2 = 1, du/dtheta_i = w2_i f'(z_i) xt for theta_i = (w1_i1, w1_i2, b1_i)
// with xt = (x1, x2, 1); the only non-zero second derivatives of u are
//   d2u/dw2_i dtheta_i = f'(z_i) xt,  d2u/dtheta_i dtheta_i^T = w2_i f''(z_i) xt xt^T.
Eigen::MatrixXd XorLoss::hessian(std::span<const double> p, const Batch& batch) const {
  const auto& L = layout_;
  const int n = L.n_hidden();
  const int D = L.dimension();
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(D, D);
  Eigen::VectorXd du(D);
  std::vector<ActivationValue> a(n);
  const double weight = batch_weight();
  for (int m : batch) {
    const Example& ex = dataset_.examples[m];
    const double xt[3] = {ex.x1, ex.x2, 1.0};
    double u = p[L.b2()];
    for (int i = 0; i < n; ++i) {
      const double z = p[L.w1(i, 0)] * ex.x1 + p[L.w1(i, 1)] * ex.x2 + p[L.b1(i)];
      a[i] = activate_with_derivatives(architecture_.hidden, z);
      u += p[L.w2(i)] * a[i].value;
    }
    const ActivationValue out = activate_with_derivatives(architecture_.output, u);
    const double e = out.value - ex.target;
    const double kappa = 2.0 * out.first * out.first + 2.0 * e * out.second;
    const double c = 2.0 * e * out.first;
    du.setZero();
    du[L.b2()] = 1.0;
    for (int i = 0; i < n; ++i) {
      du[L.w2(i)] = a[i].value;
      const int idx[3] = {L.w1(i, 0), L.w1(i, 1), L.b1(i)};
      for (int r = 0; r < 3; ++r) du[idx[r]] = p[L.w2(i)] * a[i].first * xt[r];
    }
    H.noalias() += (weight * kappa) * du * du.transpose();
    for (int i = 0; i < n; ++i) {
      const int idx[3] = {L.w1(i, 0), L.w1(i, 1), L.b1(i)};
      for (int r = 0; r < 3; ++r) {
        const double cross = weight * c * a[i].first * xt[r];
        H(L.w2(i), idx[r]) += cross;
        H(idx[r], L.w2(i)) += cross;
        for (int s = 0; s < 3; ++s) H(idx[r], idx[s]) += weight * c * p[L.w2(i)] * a[i].second * xt[r] * xt[s];
      }
    }
  }
  if (l2_ != 0.0) H.diagonal().array() += 2.0 * l2_;
  return H;
}

}  // namespace xorscape
