#include "xorscape/landscape/restricted_loss.hpp"

#include <stdexcept>
#include <string>

namespace xorscape::trajectory {

RestrictedLoss::RestrictedLoss(const XorLoss& loss, Params base, std::vector<int> moving)
    : loss_(&loss), base_(std::move(base)), moving_(std::move(moving)) {
  const ParameterLayout& layout = loss.layout();
  const int n = layout.n_hidden();
  if (static_cast<int>(base_.size()) != layout.dimension())
    throw std::invalid_argument("base parameter vector has " + std::to_string(base_.size()) + " entries, expected " +
                                std::to_string(layout.dimension()));
  if (moving_.empty()) throw std::invalid_argument("at least one parameter must move");
  std::vector<char> seen(layout.dimension(), 0);
  unit_moves_.assign(n, 0);
  for (int index : moving_) {
    if (index < 0 || index >= layout.dimension())
      throw std::invalid_argument("moving parameter index " + std::to_string(index) + " is out of range");
    if (seen[index]) throw std::invalid_argument("parameter '" + layout.name(index) + "' is listed twice");
    seen[index] = 1;
    Moving role{Kind::b2, 0, 0};
    for (int i = 0; i < n; ++i) {
      if (index == layout.w1(i, 0) || index == layout.w1(i, 1)) {
        role = {Kind::w1, i, index == layout.w1(i, 0) ? 0 : 1};
        unit_moves_[i] = 1;
      } else if (index == layout.b1(i)) {
        role = {Kind::b1, i, 0};
        unit_moves_[i] = 1;
      } else if (index == layout.w2(i)) {
        role = {Kind::w2, i, 0};
      }
    }
    roles_.push_back(role);
  }
  // Hidden units untouched by the moving parameters have the same activation at every step.
  cached_hidden_.assign(4 * n, 0.0);
  const Activation hidden = loss.architecture().hidden;
  for (int m = 0; m < 4; ++m) {
    const Example& ex = loss.dataset().examples[m];
    for (int i = 0; i < n; ++i)
      if (!unit_moves_[i]) {
        const double z = base_[layout.w1(i, 0)] * ex.x1 + base_[layout.w1(i, 1)] * ex.x2 + base_[layout.b1(i)];
        cached_hidden_[m * n + i] = activate(hidden, z);
      }
  }
  for (int k = 0; k < layout.dimension(); ++k)
    if (!seen[k]) fixed_l2_ += loss.l2() * base_[k] * base_[k];
}

Params RestrictedLoss::full(std::span<const double> y) const {
  Params p = base_;
  for (size_t k = 0; k < moving_.size(); ++k) p[moving_[k]] = y[k];
  return p;
}

std::vector<double> RestrictedLoss::restrict(std::span<const double> full) const {
  std::vector<double> y(moving_.size());
  for (size_t k = 0; k < moving_.size(); ++k) y[k] = full[moving_.at(k)];
  return y;
}

double RestrictedLoss::value(std::span<const double> y) const {
  thread_local std::vector<double> scratch;
  scratch.resize(moving_.size());
  return value_and_gradient(y, scratch);
}

// Backpropagation as in XorLoss::value_and_gradient, but only for the moving parameters:
// delta = dl/du = w 2 e g'(u); dl/db2 = delta, dl/dw2_i = delta h_i,
// dl/db1_i = delta w2_i f'(z_i), dl/dw1_ij = delta w2_i f'(z_i) x_j.
double RestrictedLoss::value_and_gradient(std::span<const double> y, std::span<double> gradient) const {
  const ParameterLayout& L = loss_->layout();
  const int n = L.n_hidden();
  const int k_count = static_cast<int>(moving_.size());
  thread_local std::vector<double> p, h, dh;
  p.assign(base_.begin(), base_.end());
  h.resize(n);
  dh.resize(n);
  for (int k = 0; k < k_count; ++k) {
    p[moving_[k]] = y[k];
    gradient[k] = 0.0;
  }
  const Activation hidden = loss_->architecture().hidden;
  const Activation output = loss_->architecture().output;
  const double weight = loss_->reduction() == Reduction::mean ? 0.25 : 1.0;
  double sum = 0.0;
  for (int m = 0; m < 4; ++m) {
    const Example& ex = loss_->dataset().examples[m];
    double u = p[L.b2()];
    for (int i = 0; i < n; ++i) {
      if (unit_moves_[i]) {
        const double z = p[L.w1(i, 0)] * ex.x1 + p[L.w1(i, 1)] * ex.x2 + p[L.b1(i)];
        const ActivationValue a = activate_with_derivatives(hidden, z);
        h[i] = a.value;
        dh[i] = a.first;
      } else {
        h[i] = cached_hidden_[m * n + i];
      }
      u += p[L.w2(i)] * h[i];
    }
    const ActivationValue out = activate_with_derivatives(output, u);
    const double e = out.value - ex.target;
    sum += e * e;
    const double delta = weight * 2.0 * e * out.first;
    for (int k = 0; k < k_count; ++k) {
      const Moving& r = roles_[k];
      switch (r.kind) {
        case Kind::b2: gradient[k] += delta; break;
        case Kind::w2: gradient[k] += delta * h[r.hidden]; break;
        case Kind::b1: gradient[k] += delta * p[L.w2(r.hidden)] * dh[r.hidden]; break;
        case Kind::w1:
          gradient[k] += delta * p[L.w2(r.hidden)] * dh[r.hidden] * (r.input == 0 ? ex.x1 : ex.x2);
          break;
      }
    }
  }
  double value = weight * sum;
  if (loss_->l2() != 0.0) {
    double moving_squares = 0.0;
    for (int k = 0; k < k_count; ++k) {
      moving_squares += y[k] * y[k];
      gradient[k] += 2.0 * loss_->l2() * y[k];
    }
    value += fixed_l2_ + loss_->l2() * moving_squares;
  }
  return value;
}

Eigen::MatrixXd RestrictedLoss::hessian(std::span<const double> y) const {
  const Eigen::MatrixXd whole = loss_->hessian(full(y));
  const int k = dimension();
  Eigen::MatrixXd block(k, k);
  for (int r = 0; r < k; ++r)
    for (int c = 0; c < k; ++c) block(r, c) = whole(moving_[r], moving_[c]);
  return block;
}

}  // namespace xorscape::trajectory
