#pragma once
// The models the annealing trial runner trains, behind one small compile-time interface, the
// TrialModel concept below (so the six-parameter inner loop of the two-ReLU model inlines and
// allocates nothing).
#include <array>
#include <cmath>
#include <concepts>
#include <ranges>
#include <span>
#include <string>
#include <vector>

#include "xorscape/core/dataset.hpp"
#include "xorscape/core/network.hpp"
#include "xorscape/core/rng.hpp"

namespace xorscape::annealing {

// The class cut of a dataset: midway between its two target values (0.5 for xor and
// xor-centered, 0 for xor-pm). An output above the cut means the higher target.
double class_cut(const Dataset& data);

// What train(), diagnose() and the experiment need of a model:
//   Vector                                  the parameter vector: a contiguous range of doubles
//   dimension(), cases()                    parameters; training cases (4, or fewer for error reflection)
//   example(c)                              the c-th training case
//   evaluate(theta, losses, outputs, gradient)
//       per-case squared errors l_c = (yhat_c - y_c)^2 and outputs yhat_c for c < cases(), the
//       gradient of the mean loss (1/n) sum_c l_c; returns that mean
//   output(theta, x1, x2)                   the prediction for one input
//   right(output, target)                   classification: output above the cut means class "high"
//   dead(theta, x1, x2)                     every hidden pre-activation <= 0 (the case sends no gradient)
//   initialise(theta, rng, scale)           the model's own initial law (fan-in uniform)
//   is_bias(k), fan_in_bound(k, scale)      parameter k is a bias; its fan-in uniform half-width
//   set_inclusive_cut(bool)                 an output exactly at the cut counts as the high class
template <class M>
concept TrialModel =
    std::ranges::contiguous_range<typename M::Vector> &&
    std::same_as<std::ranges::range_value_t<typename M::Vector>, double> &&
    requires(const M& model, typename M::Vector& theta, const typename M::Vector& fixed, double* values,
             RandomStream& rng, double x, int c) {
      { model.dimension() } -> std::convertible_to<int>;
      { model.cases() } -> std::convertible_to<int>;
      { model.example(c) } -> std::convertible_to<const Example&>;
      { model.evaluate(fixed, values, values, theta) } -> std::convertible_to<double>;
      { model.output(fixed, x, x) } -> std::convertible_to<double>;
      { model.right(x, x) } -> std::convertible_to<bool>;
      { model.dead(fixed, x, x) } -> std::convertible_to<bool>;
      model.initialise(theta, rng, x);
      { model.is_bias(c) } -> std::convertible_to<bool>;
      { model.fan_in_bound(c, x) } -> std::convertible_to<double>;
    };

// y = ReLU(w0 . x + b0) + ReLU(w1 . x + b1), the model of the annealing articles.
// theta = (w0_1, w0_2, b0, w1_1, w1_2, b1).
class TwoReluModel {
 public:
  using Vector = std::array<double, 6>;
  static constexpr int kDimension = 6;

  // cases: indices into data.examples the model trains on (all four by default).
  explicit TwoReluModel(const Dataset& data, std::span<const int> cases = kNonrandomizedBatch);

  int dimension() const { return kDimension; }
  int cases() const { return n_; }
  const Example& example(int c) const { return examples_[c]; }
  static const std::vector<std::string>& parameter_names();

  double evaluate(const Vector& theta, double* losses, double* outputs, Vector& gradient) const {
    double g[6] = {0, 0, 0, 0, 0, 0};
    double sum = 0.0;
    const double scale = 2.0 / n_;
    for (int c = 0; c < n_; ++c) {
      const Example& e = examples_[c];
      const double z0 = theta[0] * e.x1 + theta[1] * e.x2 + theta[2];
      const double z1 = theta[3] * e.x1 + theta[4] * e.x2 + theta[5];
      const double y = (z0 > 0.0 ? z0 : 0.0) + (z1 > 0.0 ? z1 : 0.0);
      const double r = y - e.target;
      outputs[c] = y;
      losses[c] = r * r;
      sum += r * r;
      // ReLU'(0) = 0, as in the foundation's activation (and PyTorch).
      const double d0 = z0 > 0.0 ? scale * r : 0.0;
      const double d1 = z1 > 0.0 ? scale * r : 0.0;
      g[0] += d0 * e.x1;
      g[1] += d0 * e.x2;
      g[2] += d0;
      g[3] += d1 * e.x1;
      g[4] += d1 * e.x2;
      g[5] += d1;
    }
    for (int k = 0; k < 6; ++k) gradient[k] = g[k];
    return sum / n_;
  }
  double output(const Vector& theta, double x1, double x2) const {
    const double z0 = theta[0] * x1 + theta[1] * x2 + theta[2];
    const double z1 = theta[3] * x1 + theta[4] * x2 + theta[5];
    return (z0 > 0.0 ? z0 : 0.0) + (z1 > 0.0 ? z1 : 0.0);
  }
  bool right(double output, double target) const {
    return (inclusive_ ? output >= cut_ : output > cut_) == (target > cut_);
  }
  double cut() const { return cut_; }
  void set_inclusive_cut(bool inclusive) { inclusive_ = inclusive; }
  bool dead(const Vector& theta, double x1, double x2) const {
    return theta[0] * x1 + theta[1] * x2 + theta[2] <= 0.0 && theta[3] * x1 + theta[4] * x2 + theta[5] <= 0.0;
  }
  // Fan-in uniform: every weight and bias from U(-scale/sqrt(2), scale/sqrt(2)).
  void initialise(Vector& theta, RandomStream& rng, double scale) const;
  bool is_bias(int k) const { return k % 3 == 2; }
  double fan_in_bound(int, double scale) const { return scale / std::sqrt(2.0); }

 private:
  std::array<Example, 4> examples_{};
  int n_ = 0;
  double cut_ = 0.5;
  bool inclusive_ = false;
};

// The foundation's 2 -> n_h -> 1 network (XorLoss; sigmoid by default) as a trial model.
class NetworkModel {
 public:
  using Vector = std::vector<double>;

  NetworkModel(Architecture architecture, const Dataset& data, std::span<const int> cases = kNonrandomizedBatch);

  int dimension() const { return loss_.dimension(); }
  int cases() const { return static_cast<int>(cases_.size()); }
  const Example& example(int c) const { return loss_.dataset().examples[cases_[c]]; }
  const std::vector<std::string>& parameter_names() const { return loss_.layout().names(); }

  double evaluate(const Vector& theta, double* losses, double* outputs, Vector& gradient) const;
  double output(const Vector& theta, double x1, double x2) const { return loss_.output(theta, x1, x2); }
  bool right(double output, double target) const {
    return (inclusive_ ? output >= cut_ : output > cut_) == (target > cut_);
  }
  double cut() const { return cut_; }
  void set_inclusive_cut(bool inclusive) { inclusive_ = inclusive; }
  // ReLU hidden units only: every hidden pre-activation <= 0, so this case sends no gradient.
  // Always false for sigmoid and tanh hidden units.
  bool dead(const Vector& theta, double x1, double x2) const;
  // Fan-in uniform per layer: input->hidden weights and hidden biases from
  // U(-scale/sqrt(2), scale/sqrt(2)), hidden->output weights and output bias from
  // U(-scale/sqrt(n_h), scale/sqrt(n_h)).
  void initialise(Vector& theta, RandomStream& rng, double scale) const;
  bool is_bias(int k) const {
    const ParameterLayout& L = loss_.layout();
    return (k >= L.b1(0) && k < L.w2(0)) || k == L.b2();
  }
  double fan_in_bound(int k, double scale) const {
    return scale / std::sqrt(k < loss_.layout().w2(0) ? 2.0 : static_cast<double>(loss_.layout().n_hidden()));
  }

 private:
  XorLoss loss_;
  std::vector<int> cases_;
  double cut_ = 0.5;
  bool inclusive_ = false;
  mutable std::vector<double> case_gradient_;
};

static_assert(TrialModel<TwoReluModel>);
static_assert(TrialModel<NetworkModel>);

}  // namespace xorscape::annealing
